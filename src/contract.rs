//! The contract's entry points: thin wiring of [`crate::check`],
//! [`crate::lifecycle`] and [`crate::ledger`] to the Stylus host. The
//! reference's functions are also declared `#[public]` for the SDK's router,
//! which motsu tests and the ABI exporter use; on chain every call goes
//! through [`crate::dispatch`].

// The storage macro uses `vec!` unqualified; in no_std it must be imported.
#[allow(unused_imports)]
use alloc::vec;
use alloc::{string::String, vec::Vec};

use alloy_primitives::{aliases::U48, Address, B256, U256};
use stylus_sdk::{abi::Bytes, prelude::*};

use crate::env::HostEnv;
use crate::error::HookError;
use crate::ledger::AccountKey;
use crate::window::Spec;
use crate::{calldata, check, config_program, host, install, ledger, lifecycle, policy, window};

/// ERC-7579 module type id of a hook.
pub const MODULE_TYPE_HOOK: u64 = 4;

/// What `preCheck` returns: ABI-encoded empty `bytes` (offset 0x20,
/// length 0). Built on each call: as a constant it would sit in the data
/// section, which every call pays for.
fn empty_bytes() -> Vec<u8> {
    let mut out = [0u8; 64];
    if let Some(offset) = out.get_mut(31) {
        *offset = 0x20;
    }
    crate::list::copied(&out)
}

/// What `name()` returns.
pub const NAME: &str = "SpendingLimitHook";
/// What `version()` returns: the crate's semver.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The hook. It declares no SDK storage fields: every slot is addressed by
/// [`ledger`], which documents the layout.
#[storage]
#[cfg_attr(not(target_arch = "wasm32"), entrypoint)]
pub struct SpendingLimitHook {}

/// The program's entry point on chain: [`crate::dispatch`] routes the call.
/// Natively (tests, ABI export) the SDK's router stands in for it.
///
/// The same steps as the one the SDK's `#[entrypoint]` writes (refuse
/// reentry, import `pay_for_memory_grow`, read the calldata, run, flush the
/// slot cache, set the result), except that the calldata buffer is made by
/// [`crate::list`]: the SDK's `Vec::with_capacity` would link in `alloc`'s
/// failure handler, whose text every call pays for.
#[cfg(target_arch = "wasm32")]
// `no_mangle` (the host calls the program by this name) and the storage
// handle below.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    if host::msg_reentrant() {
        return 1;
    }
    host::import_pay_for_memory_grow();
    let input = host::read_args(len);
    // SAFETY: the struct has no fields, so no two storage handles can alias.
    let mut hook = unsafe {
        <SpendingLimitHook as stylus_sdk::storage::StorageType>::new(
            U256::ZERO,
            0,
            stylus_sdk::host::VM(stylus_sdk::host::WasmVM {}),
        )
    };
    let (output, status) = match route(&mut hook, &input) {
        Ok(output) => (output, 0),
        Err(output) => (output, 1),
    };
    host::storage_flush();
    host::write_result(&output);
    status
}

/// The hook program: the calls it serves itself, and the others handed to
/// the config program (see [`crate::config_program`]).
#[cfg(all(target_arch = "wasm32", not(feature = "config-program")))]
fn route(hook: &mut SpendingLimitHook, input: &[u8]) -> stylus_sdk::ArbResult {
    crate::dispatch::dispatch_hot(hook, input).unwrap_or_else(|| {
        // The hook has written nothing before handing on (its routes return
        // whole), so the config program sees storage as it is.
        let program = config_program::target(&mut HostEnv).map_err(|e| e.encode())?;
        match host::delegate_call(program, input) {
            (true, output) => Ok(output),
            (false, output) => Err(output),
        }
    })
}

/// The config program: installation, settings and views, run in the hook's
/// storage by its `DELEGATECALL`.
#[cfg(all(target_arch = "wasm32", feature = "config-program"))]
fn route(hook: &mut SpendingLimitHook, input: &[u8]) -> stylus_sdk::ArbResult {
    crate::dispatch::dispatch_config(hook, input)
}

// Every method of the two blocks below is a thin wrapper that the router
// calls from one place. `#[inline(always)]` folds each into its route: every
// function in the program adds 8 gas to each uncached call's entry cost, and
// these 27 were worth 330 gas there and 630 bytes.
impl SpendingLimitHook {
    #[inline(always)]
    fn now(&self) -> u64 {
        window::clamp_time(host::block_timestamp())
    }

    /// `preCheck` on the raw calldata, so that the multiplexer's suffix is seen.
    #[inline(always)]
    pub fn pre_check_raw(&mut self, calldata: &[u8]) -> Result<Vec<u8>, HookError> {
        check::pre_check_call(
            &mut HostEnv,
            host::contract_address(),
            host::msg_sender(),
            calldata,
            self.now(),
        )?;
        Ok(empty_bytes())
    }

    /// `previewPreCheck`: whether `account` executing `msg_data` now would pass
    /// `preCheck`, and the revert data if not. Changes nothing.
    #[inline(always)]
    pub fn preview_pre_check(&self, account: Address, msg_data: &[u8]) -> (bool, Vec<u8>) {
        match check::preview(
            &mut HostEnv,
            host::contract_address(),
            account,
            msg_data,
            self.now(),
        ) {
            Ok(()) => (true, Vec::new()),
            Err(error) => (false, error.encode()),
        }
    }

    /// `setPaused`, `setDenyUnknownTokens`, `setMaxPerCall` by `msg.sender`.
    #[inline(always)]
    pub fn set_paused(&mut self, paused: bool) -> Result<(), HookError> {
        lifecycle::set_paused(&mut HostEnv, host::msg_sender(), paused)
    }

    /// See [`lifecycle::set_deny_unknown_tokens`].
    #[inline(always)]
    pub fn set_deny_unknown_tokens(&mut self, deny: bool) -> Result<(), HookError> {
        lifecycle::set_deny_unknown_tokens(&mut HostEnv, host::msg_sender(), deny)
    }

    /// See [`lifecycle::set_max_per_call`].
    #[inline(always)]
    pub fn set_max_per_call(&mut self, token: Address, cap: U256) -> Result<(), HookError> {
        lifecycle::set_max_per_call(&mut HostEnv, host::msg_sender(), token, cap)
    }

    /// `accountPolicy`: (paused, denyUnknownTokens).
    #[inline(always)]
    pub fn account_policy(&self, account: Address) -> (bool, bool) {
        let state = ledger::account(&mut HostEnv, &AccountKey::new(account));
        (state.paused, state.deny_unknown)
    }

    /// `maxPerCall`: a token's per-call cap (0: none).
    #[inline(always)]
    pub fn max_per_call(&self, account: Address, token: Address) -> U256 {
        ledger::max_per_call(&mut HostEnv, &AccountKey::new(account), token)
    }

    /// `tokenState`: a token's whole state as of now.
    #[inline(always)]
    pub fn token_state(&self, account: Address, token: Address) -> ledger::TokenState {
        ledger::token_state(&mut HostEnv, &AccountKey::new(account), token, self.now())
    }

    /// `trackedTokens`: the tokens `account` limits, in storage order.
    #[inline(always)]
    pub fn tracked_tokens(&self, account: Address) -> Vec<Address> {
        ledger::tracked_tokens(&mut HostEnv, &AccountKey::new(account))
    }

    /// See [`lifecycle::set_windows`].
    #[inline(always)]
    pub fn set_windows(&mut self, token: Address, windows: &[Spec]) -> Result<(), HookError> {
        lifecycle::set_windows(&mut HostEnv, host::msg_sender(), token, windows, self.now())
    }

    /// See [`lifecycle::set_lifetime_cap`].
    #[inline(always)]
    pub fn set_lifetime_cap(&mut self, token: Address, cap: u128) -> Result<(), HookError> {
        lifecycle::set_lifetime_cap(&mut HostEnv, host::msg_sender(), token, cap)
    }

    /// See [`lifecycle::set_validity`].
    #[inline(always)]
    pub fn set_validity(
        &mut self,
        token: Address,
        valid_after: u64,
        valid_until: u64,
    ) -> Result<(), HookError> {
        let account = host::msg_sender();
        lifecycle::set_validity(&mut HostEnv, account, token, valid_after, valid_until)
    }

    /// See [`lifecycle::set_budget`].
    #[inline(always)]
    pub fn set_budget(
        &mut self,
        id: B256,
        tokens: &[(Address, u128)],
        windows: &[Spec],
    ) -> Result<(), HookError> {
        let account = host::msg_sender();
        lifecycle::set_budget(&mut HostEnv, account, id, tokens, windows, self.now())
    }

    /// See [`lifecycle::remove_budget`].
    #[inline(always)]
    pub fn remove_budget(&mut self, id: B256) -> Result<(), HookError> {
        lifecycle::remove_budget(&mut HostEnv, host::msg_sender(), id)
    }

    /// `tokenPolicy`: everything beyond the reference window for a token.
    #[inline(always)]
    pub fn token_policy(&self, account: Address, token: Address) -> policy::TokenPolicy {
        policy::token_policy(&mut HostEnv, &AccountKey::new(account), token, self.now())
    }

    /// `budgetState`: a budget's tokens, scales and windows as of now.
    #[inline(always)]
    pub fn budget_state(&self, account: Address, id: B256) -> policy::BudgetView {
        policy::budget_state(&mut HostEnv, &AccountKey::new(account), id, self.now())
    }

    /// `budgets`: the budget ids `account` holds.
    #[inline(always)]
    pub fn budgets(&self, account: Address) -> Vec<B256> {
        policy::budget_ids(&mut HostEnv, &AccountKey::new(account))
    }

    /// The constructor: fixes the config program, once.
    #[inline(always)]
    pub fn construct(&mut self, program: Address) -> Result<(), HookError> {
        config_program::construct(&mut HostEnv, program, host::code_len(program))
    }

    /// `configProgram`: where the calls the hook does not serve itself run.
    #[inline(always)]
    pub fn config_program(&self) -> Address {
        config_program::address(&mut HostEnv)
    }

    /// `postCheck` on the raw calldata. `preCheck` keeps no per-call state, so
    /// there is nothing to reconcile: it accepts whatever it is given.
    #[inline(always)]
    pub fn post_check_raw(&mut self, _calldata: &[u8]) -> Result<Vec<u8>, HookError> {
        Ok(Vec::new())
    }
}

#[public]
impl SpendingLimitHook {
    /// Installs the hook for `msg.sender` with its first limits and, optionally,
    /// the multiplexer it will be called through.
    #[inline(always)]
    pub fn on_install(&mut self, data: Bytes) -> Result<(), HookError> {
        lifecycle::install(&mut HostEnv, host::msg_sender(), &data, self.now())
    }

    /// Forgets every limit of `msg.sender`, its forwarder and its installation.
    /// Never reverts, so an account can always remove the hook.
    #[inline(always)]
    pub fn on_uninstall(&mut self, _data: Bytes) -> Result<(), HookError> {
        lifecycle::uninstall(&mut HostEnv, host::msg_sender());
        Ok(())
    }

    /// True only for the hook module type (4).
    #[inline(always)]
    pub fn is_module_type(type_id: U256) -> bool {
        type_id == calldata::uint(MODULE_TYPE_HOOK)
    }

    /// Whether `account` has installed the hook.
    #[inline(always)]
    pub fn is_initialized(&self, account: Address) -> bool {
        ledger::account(&mut HostEnv, &AccountKey::new(account)).initialized
    }

    /// The reference's public `configs` mapping: limit, spent, window duration,
    /// window start (all zero for an untracked token).
    #[inline(always)]
    pub fn configs(&self, account: Address, token: Address) -> (U256, U256, U48, U48) {
        let config =
            ledger::config(&mut HostEnv, &AccountKey::new(account), token).unwrap_or_default();
        (
            config.limit,
            config.spent,
            calldata::uint48_of(config.window_duration),
            calldata::uint48_of(config.window_start),
        )
    }

    /// Sets or updates `token`'s limit for `msg.sender`. An existing token keeps
    /// what it spent and when its window started.
    #[inline(always)]
    pub fn set_spending_limit(
        &mut self,
        token: Address,
        limit: U256,
        window_duration: U48,
    ) -> Result<(), HookError> {
        let config = install::TokenLimit {
            token,
            limit,
            window_duration: window_duration.as_limbs()[0],
        };
        lifecycle::set_spending_limit(&mut HostEnv, host::msg_sender(), &config, self.now())
    }

    /// Stops limiting `token` for `msg.sender`; a no-op for an untracked token.
    #[inline(always)]
    pub fn remove_spending_limit(&mut self, token: Address) -> Result<(), HookError> {
        lifecycle::remove_spending_limit(&mut HostEnv, host::msg_sender(), token)
    }

    /// What `account` may still spend of `token` in the current window. 0 for an
    /// untracked token (the reference's answer), the full limit once the window
    /// has closed.
    #[inline(always)]
    pub fn get_remaining_allowance(&self, account: Address, token: Address) -> U256 {
        ledger::remaining_allowance(&mut HostEnv, &AccountKey::new(account), token, self.now())
    }

    /// The forwarder `account` trusts (zero when none).
    #[inline(always)]
    pub fn trusted_forwarder(&self, account: Address) -> Address {
        ledger::account(&mut HostEnv, &AccountKey::new(account)).forwarder
    }

    /// Trusts `forwarder` to call on behalf of `msg.sender`.
    #[inline(always)]
    pub fn set_trusted_forwarder(&mut self, forwarder: Address) {
        lifecycle::set_forwarder(&mut HostEnv, host::msg_sender(), forwarder);
    }

    /// Stops trusting any forwarder for `msg.sender`.
    #[inline(always)]
    pub fn clear_trusted_forwarder(&mut self) {
        lifecycle::set_forwarder(&mut HostEnv, host::msg_sender(), Address::ZERO);
    }

    /// Whether `forwarder` is `account`'s forwarder (modulekit's rule, under
    /// which the zero address is trusted by an account that set none).
    #[inline(always)]
    pub fn is_trusted_forwarder(&self, forwarder: Address, account: Address) -> bool {
        self.trusted_forwarder(account) == forwarder
    }

    /// "SpendingLimitHook".
    #[inline(always)]
    pub fn name() -> String {
        String::from(NAME)
    }

    /// The module's semver.
    #[inline(always)]
    pub fn version() -> String {
        String::from(VERSION)
    }
}
