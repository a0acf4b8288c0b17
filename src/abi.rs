//! Every Solidity shape the hook speaks, declared once.
//!
//! Errors and events are the reference `SpendingLimitHook`'s, byte for byte: a
//! frontend or indexer built for the Solidity module decodes ours unchanged. The
//! call shapes of accounts and tokens live here too, so that selectors are
//! computed by `sol!` from signatures instead of being copied as magic numbers.

use alloy_sol_types::sol;

sol! {
    /// A spend would take the token past what is left in its window.
    /// `remaining` saturates at 0 when a lowered limit sits below `spent`.
    #[derive(Debug, PartialEq, Eq)]
    error SpendingLimitExceeded(address token, uint256 attempted, uint256 remaining);
    /// A window shorter than [`crate::window::MIN_WINDOW_DURATION`] was configured.
    #[derive(Debug, PartialEq, Eq)]
    error WindowDurationTooShort(uint48 provided, uint48 minimum);
    /// A limit of 0 was configured; 0 means "no limit" in storage, so it cannot be a limit.
    #[derive(Debug, PartialEq, Eq)]
    error LimitCannotBeZero();
    /// `onInstall` carried no token entry.
    #[derive(Debug, PartialEq, Eq)]
    error NoLimitsProvided();
    /// The account would track more than [`crate::ledger::MAX_TRACKED_TOKENS`] tokens.
    #[derive(Debug, PartialEq, Eq)]
    error TooManyTokens(uint256 max);
    /// A delegatecall execution: its effects cannot be read from calldata.
    #[derive(Debug, PartialEq, Eq)]
    error DelegateCallNotAllowed();
    /// The account is asked to install or uninstall a module.
    #[derive(Debug, PartialEq, Eq)]
    error ModuleManagementBlocked();
    /// The account is asked to run a function the hook cannot see through.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownFunctionBlocked();
    /// An execution targets the hook itself (it would reconfigure its own limits).
    #[derive(Debug, PartialEq, Eq)]
    error SelfCallBlocked();
    /// `onInstall` for an account that is already installed.
    #[derive(Debug, PartialEq, Eq)]
    error ModuleAlreadyInitialized(address smartAccount);
    /// A check or setter for an account that never installed the hook.
    #[derive(Debug, PartialEq, Eq)]
    error NotInitialized(address smartAccount);
    /// An ERC-7579 call type other than single, batch or delegatecall.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidCallType();
    /// Calldata that is malformed or not canonically ABI-encoded.
    #[derive(Debug, PartialEq, Eq)]
    error DecodingError();
    /// The same token appears twice in one `onInstall` (the reference silently kept the last).
    #[derive(Debug, PartialEq, Eq)]
    error DuplicateToken(address token);

    /// A token's limit or window was configured.
    #[derive(Debug, PartialEq, Eq)]
    event SpendingLimitSet(address indexed account, address indexed token, uint256 limit, uint48 windowDuration);
    /// A token's limit was removed; the token is unlimited from now on.
    #[derive(Debug, PartialEq, Eq)]
    event SpendingLimitRemoved(address indexed account, address indexed token);
    /// A spend was charged; `totalSpent` is the window's total after it.
    #[derive(Debug, PartialEq, Eq)]
    event SpendingRecorded(address indexed account, address indexed token, uint256 amount, uint256 totalSpent);
    /// A token's window restarted at `newWindowStart` with nothing spent.
    #[derive(Debug, PartialEq, Eq)]
    event SpendingWindowReset(address indexed account, address indexed token, uint48 newWindowStart);

    /// One entry of the install data: a token and its windowed limit.
    #[derive(Debug, PartialEq, Eq)]
    struct TokenLimitInit {
        address token;
        uint256 limit;
        uint48 windowDuration;
    }

    /// One ERC-7579 execution of a batch.
    #[derive(Debug, PartialEq, Eq)]
    struct Execution {
        address target;
        uint256 value;
        bytes callData;
    }

    /// ERC-4337 v0.7 packed user operation, as `executeUserOp` receives it.
    #[derive(Debug, PartialEq, Eq)]
    struct PackedUserOperation {
        address sender;
        uint256 nonce;
        bytes initCode;
        bytes callData;
        bytes32 accountGasLimits;
        uint256 preVerificationGas;
        bytes32 gasFees;
        bytes paymasterAndData;
        bytes signature;
    }

    /// The hook's own raw-calldata entry points (ERC-7579 `IHook`).
    interface IHook {
        function preCheck(address msgSender, uint256 msgValue, bytes msgData) external returns (bytes hookData);
        function postCheck(bytes hookData) external;
    }

    /// The ERC-7579 account functions a hook is asked about.
    interface IERC7579Account {
        function execute(bytes32 mode, bytes executionCalldata) external;
        function executeFromExecutor(bytes32 mode, bytes executionCalldata) external returns (bytes[] returnData);
        function installModule(uint256 moduleTypeId, address module, bytes initData) external;
        function uninstallModule(uint256 moduleTypeId, address module, bytes deInitData) external;
        function executeUserOp(PackedUserOperation userOp, bytes32 userOpHash) external;
    }

    /// Token functions whose calldata moves the account's tokens.
    interface IERC20 {
        function transfer(address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
    }
}
