// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

/// @title ISpendingLimitHook
/// @notice The Stylus spending-limit hook's interface: SmartAgentKit's
///         `SpendingLimitHook` (the reference), plus `DuplicateToken`.
/// @dev `preCheck` and `postCheck` also accept the 40-byte suffix
///      `multiplexer ++ account` that Rhinestone's HookMultiPlexer appends.
interface ISpendingLimitHook {
    struct TokenLimitInit {
        address token;
        uint256 limit;
        uint48 windowDuration;
    }

    error SpendingLimitExceeded(address token, uint256 attempted, uint256 remaining);
    error WindowDurationTooShort(uint48 provided, uint48 minimum);
    error LimitCannotBeZero();
    error NoLimitsProvided();
    error TooManyTokens(uint256 max);
    error DelegateCallNotAllowed();
    error ModuleManagementBlocked();
    error UnknownFunctionBlocked();
    error SelfCallBlocked();
    error ModuleAlreadyInitialized(address smartAccount);
    error NotInitialized(address smartAccount);
    error InvalidCallType();
    error DecodingError();
    error DuplicateToken(address token);

    event SpendingLimitSet(address indexed account, address indexed token, uint256 limit, uint48 windowDuration);
    event SpendingLimitRemoved(address indexed account, address indexed token);
    event SpendingRecorded(address indexed account, address indexed token, uint256 amount, uint256 totalSpent);
    event SpendingWindowReset(address indexed account, address indexed token, uint48 newWindowStart);

    /// @notice Checks and charges what the account is about to execute.
    function preCheck(address msgSender, uint256 msgValue, bytes calldata msgData)
        external
        returns (bytes memory hookData);

    /// @notice Called after the execution; never reverts for data preCheck returned.
    function postCheck(bytes calldata hookData) external;

    /// @notice abi.encode(address trustedForwarder, TokenLimitInit[]), or
    ///         abi.encode(TokenLimitInit[]) optionally followed by the forwarder.
    function onInstall(bytes calldata data) external;

    function onUninstall(bytes calldata data) external;

    function isModuleType(uint256 typeId) external view returns (bool);

    function isInitialized(address account) external view returns (bool);

    function configs(address account, address token)
        external
        view
        returns (uint256 limit, uint256 spent, uint48 windowDuration, uint48 windowStart);

    function setSpendingLimit(address token, uint256 limit, uint48 windowDuration) external;

    function removeSpendingLimit(address token) external;

    function getRemainingAllowance(address account, address token) external view returns (uint256);

    function trustedForwarder(address account) external view returns (address);

    function setTrustedForwarder(address forwarder) external;

    function clearTrustedForwarder() external;

    function isTrustedForwarder(address forwarder, address account) external view returns (bool);

    function name() external view returns (string memory);

    function version() external view returns (string memory);
}
