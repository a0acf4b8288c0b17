//! Every function's selector, as a `u32` computed by `sol!` from its
//! signature in `abi/`, so that a router compares one integer per case; and
//! [`routes!`](crate::routes), which writes a program's router and the list
//! of what it serves from one table.

use spending_limit_hook::abi::{self, ISpendingLimitHook as I, ISpendingLimitPolicy as P};

spending_limit_hook::selector_ids! {
    /// `preCheck(address,uint256,bytes)`.
    pub PRE_CHECK = I::preCheckCall;
    /// `postCheck(bytes)`.
    pub POST_CHECK = I::postCheckCall;
    /// `onInstall(bytes)`.
    pub ON_INSTALL = I::onInstallCall;
    /// `onUninstall(bytes)`.
    pub ON_UNINSTALL = I::onUninstallCall;
    /// `isModuleType(uint256)`.
    pub IS_MODULE_TYPE = I::isModuleTypeCall;
    /// `isInitialized(address)`.
    pub IS_INITIALIZED = I::isInitializedCall;
    /// `configs(address,address)`.
    pub CONFIGS = I::configsCall;
    /// `setSpendingLimit(address,uint256,uint48)`.
    pub SET_SPENDING_LIMIT = I::setSpendingLimitCall;
    /// `removeSpendingLimit(address)`.
    pub REMOVE_SPENDING_LIMIT = I::removeSpendingLimitCall;
    /// `getRemainingAllowance(address,address)`.
    pub GET_REMAINING_ALLOWANCE = I::getRemainingAllowanceCall;
    /// `trustedForwarder(address)`.
    pub TRUSTED_FORWARDER = I::trustedForwarderCall;
    /// `setTrustedForwarder(address)`.
    pub SET_TRUSTED_FORWARDER = I::setTrustedForwarderCall;
    /// `clearTrustedForwarder()`.
    pub CLEAR_TRUSTED_FORWARDER = I::clearTrustedForwarderCall;
    /// `isTrustedForwarder(address,address)`.
    pub IS_TRUSTED_FORWARDER = I::isTrustedForwarderCall;
    /// `name()`.
    pub NAME = I::nameCall;
    /// `version()`.
    pub VERSION = I::versionCall;
    /// `previewPreCheck(address,address,uint256,bytes)`.
    pub PREVIEW_PRE_CHECK = P::previewPreCheckCall;
    /// `tokenState(address,address)`.
    pub TOKEN_STATE = P::tokenStateCall;
    /// `trackedTokens(address)`.
    pub TRACKED_TOKENS = P::trackedTokensCall;
    /// `setPaused(bool)`.
    pub SET_PAUSED = P::setPausedCall;
    /// `setDenyUnknownTokens(bool)`.
    pub SET_DENY_UNKNOWN_TOKENS = P::setDenyUnknownTokensCall;
    /// `setMaxPerCall(address,uint256)`.
    pub SET_MAX_PER_CALL = P::setMaxPerCallCall;
    /// `accountPolicy(address)`.
    pub ACCOUNT_POLICY = P::accountPolicyCall;
    /// `maxPerCall(address,address)`.
    pub MAX_PER_CALL = P::maxPerCallCall;
    /// `setWindows(address,(uint8,uint128,uint48,uint48)[])`.
    pub SET_WINDOWS = P::setWindowsCall;
    /// `setLifetimeCap(address,uint128)`.
    pub SET_LIFETIME_CAP = P::setLifetimeCapCall;
    /// `setValidity(address,uint48,uint48)`.
    pub SET_VALIDITY = P::setValidityCall;
    /// `setBudget(bytes32,address[],uint96[],(uint8,uint128,uint48,uint48)[])`.
    pub SET_BUDGET = P::setBudgetCall;
    /// `removeBudget(bytes32)`.
    pub REMOVE_BUDGET = P::removeBudgetCall;
    /// `tokenPolicy(address,address)`.
    pub TOKEN_POLICY = P::tokenPolicyCall;
    /// `budgetState(address,bytes32)`.
    pub BUDGET_STATE = P::budgetStateCall;
    /// `budgets(address)`.
    pub BUDGETS = P::budgetsCall;
    /// `configProgram()`.
    pub CONFIG_PROGRAM = P::configProgramCall;
    /// `setProtectedTargets(address[])`.
    pub SET_PROTECTED_TARGETS = P::setProtectedTargetsCall;
    /// `protectedTargets(address)`.
    pub PROTECTED_TARGETS = P::protectedTargetsCall;
    /// `stylus_constructor()`: what Stylus deployers call the constructor
    /// with, followed by its ABI-encoded arguments.
    pub CONSTRUCTOR = abi::IStylusConstructor::stylus_constructorCall;
}

/// Writes a program's router and the list of selectors it serves from one
/// table of `SELECTOR => handler` lines (each handler a function of
/// [`crate::functions`]):
///
/// ```ignore
/// routes! {
///     /// The hook program's router.
///     fn route;
///     /// What it serves.
///     const SERVED;
///     PRE_CHECK => functions::pre_check,
/// }
/// ```
///
/// The router is a `match` on the selector (the compiler's compare tree: no
/// table of function pointers, which would sit in the data section that
/// every call pays for), of type [`crate::entry::Route`].
#[macro_export]
macro_rules! routes {
    (
        $(#[$route_doc:meta])* $route_vis:vis fn $route:ident;
        $(#[$list_doc:meta])* $list_vis:vis const $list:ident;
        $($selector:path => $handler:path,)*
    ) => {
        $(#[$route_doc])*
        $route_vis fn $route(
            selector: u32,
            input: &[u8],
            args: &[u8],
        ) -> Result<Option<alloc::vec::Vec<u8>>, spending_limit_hook::error::HookError> {
            Ok(Some(match selector {
                $($selector => $handler(input, args)?,)*
                _ => return Ok(None),
            }))
        }

        $(#[$list_doc])*
        $list_vis const $list: &[u32] = &[$($selector),*];
    };
}
