//! Every Solidity shape the hook speaks, declared once.
//!
//! The hook's own functions, errors and events come from the published
//! interface `abi/ISpendingLimitHook.sol`, so the contract cannot drift from
//! it; they are the reference `SpendingLimitHook`'s byte for byte, and a
//! frontend or indexer built for the Solidity module decodes ours unchanged.
//! The call shapes of accounts and tokens live here too, so that selectors are
//! computed by `sol!` from signatures instead of being copied as magic numbers.

use alloy_sol_types::sol;

sol!(
    #[sol(all_derives)]
    "abi/ISpendingLimitHook.sol"
);

sol!(
    #[sol(all_derives)]
    "abi/ISpendingLimitPolicy.sol"
);

pub use ISpendingLimitPolicy::{
    AccountCleared, AccountPaused, BudgetExceeded, BudgetRemoved, BudgetSet, BudgetTokenSet,
    BudgetWindowSet, InvalidBudget, InvalidConfigProgram, InvalidProtectedTargets, InvalidValidity,
    InvalidWindow, LifetimeCapExceeded, LifetimeCapSet, MaxPerCallSet, OutsideValidity, PausedSet,
    PerCallCapExceeded, ProtectedTarget, ProtectedTargetSet, ProtectedTargetsSet, TokenNotAllowed,
    TokenNotLimited, TokenWindowSet, TokenWindowsSet, UnknownTokensDeniedSet, ValiditySet,
};

pub use ISpendingLimitHook::{
    DecodingError, DelegateCallNotAllowed, DuplicateToken, InvalidCallType, LimitCannotBeZero,
    ModuleAlreadyInitialized, ModuleManagementBlocked, NoLimitsProvided, NotInitialized,
    SelfCallBlocked, SpendingLimitExceeded, SpendingLimitRemoved, SpendingLimitSet,
    SpendingRecorded, SpendingWindowReset, TokenLimitInit, TooManyTokens, UnknownFunctionBlocked,
    WindowDurationTooShort,
};

sol! {
    /// The constructor's selector, as Stylus tools call it: the deployer sends
    /// `stylus_constructor()`'s selector followed by the constructor's
    /// ABI-encoded arguments (here one `address`: the config program).
    interface IStylusConstructor {
        function stylus_constructor();
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
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
    }

    /// OpenZeppelin's allowance increase before 2.0 (LINK and other tokens of
    /// that age still have it).
    interface IERC20Legacy {
        function increaseApproval(address spender, uint256 addedValue) external returns (bool);
    }

    /// ERC-1363 and ERC-677: transfers and approvals followed by a callback.
    interface IERC1363 {
        function transferAndCall(address to, uint256 amount) external returns (bool);
        function transferAndCall(address to, uint256 amount, bytes data) external returns (bool);
        function transferFromAndCall(address from, address to, uint256 amount) external returns (bool);
        function transferFromAndCall(address from, address to, uint256 amount, bytes data) external returns (bool);
        function approveAndCall(address spender, uint256 amount) external returns (bool);
        function approveAndCall(address spender, uint256 amount, bytes data) external returns (bool);
    }

    /// ERC-777 sends, and the operator grant that gives away unbounded control.
    interface IERC777 {
        function send(address to, uint256 amount, bytes data) external;
        function operatorSend(address from, address to, uint256 amount, bytes data, bytes operatorData) external;
        function authorizeOperator(address operator) external;
    }

    /// DAI's transfer aliases.
    interface IDai {
        function push(address usr, uint256 wad) external;
        function move(address src, address dst, uint256 wad) external;
    }

    /// Uniswap's Permit2 allowance transfer: the token is an argument, the
    /// target is Permit2 itself.
    interface IPermit2 {
        function approve(address token, address spender, uint160 amount, uint48 expiration) external;
        function transferFrom(address from, address to, uint160 amount, address token) external;
    }
}
