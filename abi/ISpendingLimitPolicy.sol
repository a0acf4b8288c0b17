// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

/// @title ISpendingLimitPolicy
/// @notice What the Stylus spending-limit hook offers beyond the reference
///         interface (ISpendingLimitHook), for frontends and agents.
interface ISpendingLimitPolicy {
    /// @notice Whether `preCheck` would pass if `account` executed `msgData`
    ///         now, and if not, the exact revert data it would raise. Decodes
    ///         exactly as preCheck does and changes nothing. HookMultiPlexer
    ///         discards a sub-hook's revert reason; this is how an agent learns
    ///         it before acting.
    function previewPreCheck(address account, address msgSender, uint256 msgValue, bytes calldata msgData)
        external
        view
        returns (bool wouldPass, bytes memory revertData);

    /// @notice The tokens `account` limits, in storage order.
    function trackedTokens(address account) external view returns (address[] memory tokens);
}
