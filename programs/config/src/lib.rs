//! The config program: installation, every setting and every view but the
//! hook program's few. Accounts never call it: the hook program hands it
//! what it does not serve, by `DELEGATECALL`, so it runs in the hook's
//! storage, at the hook's address, for the hook's caller. Its own storage is
//! never used.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::vec::Vec;

use spending_limit_stylus::functions;
use spending_limit_stylus::selectors::*;
use stylus_sdk::ArbResult;

spending_limit_stylus::routes! {
    /// The config program's functions: installation and the questions an
    /// account asks around it, every setting, and every other view.
    pub fn route;
    /// The selectors [`route`] serves.
    pub const SERVED;
    IS_MODULE_TYPE => functions::is_module_type,
    IS_INITIALIZED => functions::is_initialized,
    ON_INSTALL => functions::on_install,
    ON_UNINSTALL => functions::on_uninstall,
    CONFIGS => functions::configs,
    REMOVE_SPENDING_LIMIT => functions::remove_spending_limit,
    TRUSTED_FORWARDER => functions::trusted_forwarder,
    SET_TRUSTED_FORWARDER => functions::set_trusted_forwarder,
    CLEAR_TRUSTED_FORWARDER => functions::clear_trusted_forwarder,
    IS_TRUSTED_FORWARDER => functions::is_trusted_forwarder,
    PREVIEW_PRE_CHECK => functions::preview_pre_check,
    TOKEN_STATE => functions::token_state,
    TRACKED_TOKENS => functions::tracked_tokens,
    SET_PAUSED => functions::set_paused,
    SET_DENY_UNKNOWN_TOKENS => functions::set_deny_unknown_tokens,
    SET_MAX_PER_CALL => functions::set_max_per_call,
    ACCOUNT_POLICY => functions::account_policy,
    MAX_PER_CALL => functions::max_per_call,
    SET_WINDOWS => functions::set_windows,
    SET_LIFETIME_CAP => functions::set_lifetime_cap,
    SET_VALIDITY => functions::set_validity,
    SET_BUDGET => functions::set_budget,
    REMOVE_BUDGET => functions::remove_budget,
    TOKEN_POLICY => functions::token_policy,
    BUDGET_STATE => functions::budget_state,
    BUDGETS => functions::budgets,
    SET_PROTECTED_TARGETS => functions::set_protected_targets,
    PROTECTED_TARGETS => functions::protected_targets,
    NAME => functions::name,
    VERSION => functions::version,
}

/// One call. An unknown selector reverts with no data, as Solidity without
/// a fallback does.
pub fn call(input: &[u8]) -> ArbResult {
    spending_limit_stylus::entry::serve(input, route).unwrap_or(Err(Vec::new()))
}

/// The program's entry point on chain.
// `no_mangle`: the host calls the program by this name.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    spending_limit_stylus::entry::run(len, call)
}
