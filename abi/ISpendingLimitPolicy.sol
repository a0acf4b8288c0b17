// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

/// @title ISpendingLimitPolicy
/// @notice What the Stylus spending-limit hook offers beyond the reference
///         interface (ISpendingLimitHook), for frontends and agents.
interface ISpendingLimitPolicy {
    /// @notice The account paused all outflows.
    error AccountPaused();
    /// @notice The account denies tokens without a limit, and this one has none.
    error TokenNotAllowed(address token);
    /// @notice One execution moves more than the token's per-call cap.
    error PerCallCapExceeded(address token, uint256 attempted, uint256 cap);
    /// @notice A per-token setting for a token the account does not limit.
    error TokenNotLimited(address token);

    /// @notice The account paused (or resumed) all outflows.
    event PausedSet(address indexed account, bool paused);
    /// @notice The account chose whether tokens without a limit are denied.
    event UnknownTokensDeniedSet(address indexed account, bool denied);
    /// @notice A token's per-call cap changed (0: no cap).
    event MaxPerCallSet(address indexed account, address indexed token, uint256 maxPerCall);

    /// @notice Pauses (or resumes) every outflow of `msg.sender`: native value
    ///         and every token call the hook counts, limited token or not.
    function setPaused(bool paused) external;

    /// @notice Whether outflows of tokens without a limit are refused (the
    ///         reference lets them through, and so does the default).
    function setDenyUnknownTokens(bool deny) external;

    /// @notice Caps what one execution may move of a limited token, on top of
    ///         its window limit. 0 removes the cap.
    function setMaxPerCall(address token, uint256 maxPerCall) external;

    /// @notice The account-wide switches.
    function accountPolicy(address account) external view returns (bool paused, bool denyUnknownTokens);

    /// @notice A token's per-call cap (0: none).
    function maxPerCall(address account, address token) external view returns (uint256);

    /// @notice Whether `preCheck` would pass if `account` executed `msgData`
    ///         now, and if not, the exact revert data it would raise. Decodes
    ///         exactly as preCheck does and changes nothing. HookMultiPlexer
    ///         discards a sub-hook's revert reason; this is how an agent learns
    ///         it before acting.
    function previewPreCheck(address account, address msgSender, uint256 msgValue, bytes calldata msgData)
        external
        view
        returns (bool wouldPass, bytes memory revertData);

    /// @notice A token's whole state as of now, for frontends and agents:
    ///         whether it is limited, its limit, what is spent and left in the
    ///         current window (a closed window counts as empty), when that
    ///         window started and closes (a close at or before now means the
    ///         next spend opens a new window), and its per-call cap (0: none).
    function tokenState(address account, address token)
        external
        view
        returns (
            bool limited,
            uint256 limit,
            uint256 spent,
            uint256 remaining,
            uint48 windowStart,
            uint48 windowDuration,
            uint48 windowEnd,
            uint256 maxPerCall
        );

    /// @notice The tokens `account` limits, in storage order.
    function trackedTokens(address account) external view returns (address[] memory tokens);
}
