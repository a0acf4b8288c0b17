// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

/// @title ISpendingLimitPolicy
/// @notice What the Stylus spending-limit hook offers beyond the reference
///         interface (ISpendingLimitHook), for frontends and agents.
interface ISpendingLimitPolicy {
    /// @notice One window of a token's or a budget's policy. `kind`: 0 fixed
    ///         (the reference's: opens at the first spend after the last one
    ///         closed), 1 aligned (`[anchor + k*duration, anchor + (k+1)*duration)`,
    ///         calendar-like, never drifting), 2 sliding (never more than
    ///         `limit` in any `duration` seconds; kept in 24 buckets of
    ///         ceil(duration/24) s, so a spend is forgotten between `duration`
    ///         and `25 * ceil(duration / 24)` seconds after it was made).
    ///         `anchor` is ignored unless aligned. `duration` >= 60, `limit` > 0.
    struct Window {
        uint8 kind;
        uint128 limit;
        uint48 duration;
        uint48 anchor;
    }

    /// @notice A window and what it holds as of now: `spent` and `remaining`
    ///         in the window (a closed window counts as empty), `start` the
    ///         earliest time whose spends still count, `resetsAt` when the
    ///         next part of `spent` is forgotten (0: nothing spent), and
    ///         `budget` the budget it belongs to (zero: the token's own; a
    ///         budget's amounts are in its units, a token's amount times its scale).
    struct WindowState {
        uint8 kind;
        uint128 limit;
        uint48 duration;
        uint48 anchor;
        uint128 spent;
        uint128 remaining;
        uint48 start;
        uint48 resetsAt;
        bytes32 budget;
    }

    /// @notice The account paused all outflows.
    error AccountPaused();
    /// @notice The account denies tokens without a limit, and this one has none.
    error TokenNotAllowed(address token);
    /// @notice One execution moves more than the token's per-call cap.
    error PerCallCapExceeded(address token, uint256 attempted, uint256 cap);
    /// @notice A per-token setting for a token the account does not limit.
    error TokenNotLimited(address token);
    /// @notice Window `index` of a policy is malformed (kind unknown, limit 0,
    ///         duration under 60 s) or past the most a policy holds.
    error InvalidWindow(uint256 index);
    /// @notice `validUntil` is not after `validAfter`.
    error InvalidValidity(uint48 validAfter, uint48 validUntil);
    /// @notice The token may only be spent in `[validAfter, validUntil)` (a zero
    ///         `validUntil`: no end), and now is outside.
    error OutsideValidity(address token, uint48 validAfter, uint48 validUntil);
    /// @notice The spend would take the token past its lifetime cap.
    error LifetimeCapExceeded(address token, uint256 attempted, uint256 remaining);
    /// @notice The spend, in the budget's units (amount times the token's
    ///         scale), does not fit one of the budget's windows.
    error BudgetExceeded(bytes32 budget, uint256 attempted, uint256 remaining);
    /// @notice A budget definition the hook cannot hold: zero id, no tokens,
    ///         lengths that differ, a zero scale, a token twice, a scale that
    ///         differs from the token's scale in another budget, or no room
    ///         for a ninth budget.
    error InvalidBudget(bytes32 budget);
    /// @notice The deployment has no usable config program at `program`: the
    ///         hook was constructed without one (zero), or its constructor was
    ///         given an address without code, or ran already.
    error InvalidConfigProgram(address program);

    /// @notice An execution calls (or sends value to) a contract an agent
    ///         must never reach: the account itself (its own admin
    ///         functions, a nested `execute`), the multiplexer the hook is
    ///         called through, or one of the account's protected targets.
    ///         (An execution calling the hook itself reverts `SelfCallBlocked`,
    ///         as in the reference.)
    error ProtectedTarget(address target);

    /// @notice `setProtectedTargets` with more than 16 targets (`max`), or
    ///         the zero address, or one twice (`target`).
    error InvalidProtectedTargets(address target, uint256 max);

    /// @notice The account paused (or resumed) all outflows.
    event PausedSet(address indexed account, bool paused);
    /// @notice The account chose whether tokens without a limit are denied.
    event UnknownTokensDeniedSet(address indexed account, bool denied);
    /// @notice A token's per-call cap changed (0: no cap).
    event MaxPerCallSet(address indexed account, address indexed token, uint256 maxPerCall);
    /// @notice A token's extra windows were replaced; `count` TokenWindowSet follow.
    event TokenWindowsSet(address indexed account, address indexed token, uint256 count);
    /// @notice Window `index` of a token's extra windows.
    event TokenWindowSet(
        address indexed account, address indexed token, uint256 index, uint8 kind, uint128 limit, uint48 duration, uint48 anchor
    );
    /// @notice A token's lifetime cap changed (0: none; what was spent under it is forgotten).
    event LifetimeCapSet(address indexed account, address indexed token, uint128 cap);
    /// @notice When a token may be spent changed (0, 0: always).
    event ValiditySet(address indexed account, address indexed token, uint48 validAfter, uint48 validUntil);
    /// @notice A budget was defined or replaced; `tokenCount` BudgetTokenSet and
    ///         `windowCount` BudgetWindowSet follow.
    event BudgetSet(address indexed account, bytes32 indexed budget, uint256 tokenCount, uint256 windowCount);
    /// @notice A token of a budget and its scale.
    event BudgetTokenSet(address indexed account, bytes32 indexed budget, address token, uint96 scale);
    /// @notice Window `index` of a budget.
    event BudgetWindowSet(
        address indexed account, bytes32 indexed budget, uint256 index, uint8 kind, uint128 limit, uint48 duration, uint48 anchor
    );
    /// @notice A budget was removed (by removeBudget, or because its last token stopped being limited).
    event BudgetRemoved(address indexed account, bytes32 indexed budget);
    /// @notice The account uninstalled the hook: every limit, policy and budget is gone.
    event AccountCleared(address indexed account);

    /// @notice The account's protected targets were replaced by `count` targets.
    event ProtectedTargetsSet(address indexed account, uint256 count);

    /// @notice One of them.
    event ProtectedTargetSet(address indexed account, address indexed target);

    /// @notice Pauses (or resumes) every outflow of `msg.sender`: native value
    ///         and every token call the hook counts, limited token or not.
    function setPaused(bool paused) external;

    /// @notice Whether outflows of tokens without a limit are refused (the
    ///         reference lets them through, and so does the default).
    function setDenyUnknownTokens(bool deny) external;

    /// @notice Caps what one execution may move of a limited token, on top of
    ///         its window limit. 0 removes the cap.
    function setMaxPerCall(address token, uint256 maxPerCall) external;

    /// @notice Replaces the extra windows of a limited token (at most 3), on
    ///         top of its reference window. A window whose kind, duration
    ///         and anchor are unchanged at the same index keeps what it has
    ///         counted, so raising a limit does not forgive past spends.
    function setWindows(address token, Window[] calldata windows) external;

    /// @notice Caps what may ever be spent of a limited token, from now on.
    ///         0 removes the cap and forgets what was counted under it.
    function setLifetimeCap(address token, uint128 cap) external;

    /// @notice A limited token may only be spent from `validAfter` until
    ///         before `validUntil` (0: no end). (0, 0) lifts the restriction.
    function setValidity(address token, uint48 validAfter, uint48 validUntil) external;

    /// @notice Defines (or replaces) a budget: limited tokens, each counted as
    ///         amount * scale (to bring decimals to one unit), sharing windows
    ///         (at most 3). A token's scale is its unit: in two budgets it is
    ///         the same. An account holds at most 8 budgets. A replaced budget
    ///         keeps what its unchanged windows counted.
    function setBudget(bytes32 budget, address[] calldata tokens, uint96[] calldata scales, Window[] calldata windows)
        external;

    /// @notice Removes a budget; a no-op for an unknown one.
    function removeBudget(bytes32 budget) external;

    /// @notice Everything beyond the reference window that applies to a
    ///         token, as of now: when it may move, its lifetime cap, its scale
    ///         in budgets (0: in none), and every window that applies, the
    ///         token's own first, then each of its budgets' (see WindowState).
    ///         With tokenState (the reference window and the per-call cap),
    ///         the token's whole state.
    function tokenPolicy(address account, address token)
        external
        view
        returns (
            uint48 validAfter,
            uint48 validUntil,
            uint128 lifetimeCap,
            uint128 lifetimeSpent,
            uint96 scale,
            WindowState[] memory windows,
            bytes32[] memory budgets
        );

    /// @notice A budget's tokens, scales and windows as of now.
    function budgetState(address account, bytes32 budget)
        external
        view
        returns (address[] memory tokens, uint96[] memory scales, WindowState[] memory windows);

    /// @notice The budgets `account` holds.
    function budgets(address account) external view returns (bytes32[] memory);

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

    /// @notice The program that runs this hook's installation, settings and
    ///         views (every function but preCheck, postCheck,
    ///         setSpendingLimit, getRemainingAllowance and this one), in the
    ///         hook's storage by DELEGATECALL. Fixed by the constructor.
    function configProgram() external view returns (address);

    /// @notice Replaces the caller's protected targets: contracts no
    ///         execution of the account may call or send value to, wherever
    ///         it sits in a batch (its validators and other modules, the
    ///         EntryPoint, an allowlist hook). At most 16; an empty list
    ///         removes them. Cleared by onUninstall.
    function setProtectedTargets(address[] calldata targets) external;

    /// @notice The account's protected targets, in the order set.
    function protectedTargets(address account) external view returns (address[] memory targets);
}
