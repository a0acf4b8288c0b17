//! The hook as it is deployed, for motsu: every call goes through the hook
//! program's router, and a selector it does not serve through the config
//! program's, in the same storage, for the same caller and value: what the
//! hook program's `DELEGATECALL` does (its gas aside). So a motsu test runs
//! the programs' own routers and ABI handlers, and sees which program
//! serves what.
//!
//! One thing the harness leaves out: on chain the hook program hands a call
//! on only once its constructor has named a config program
//! (`spending_limit_hook::config_program`). motsu reports no code at any
//! address, so the constructor cannot run here; `e2e/tests/two_programs.rs`
//! tests it on the local VM.
//!
//! Typed methods (`on_install`, `configs`, ...) encode the call with
//! `sol!`'s types, route it, and decode the answer: a revert comes back as
//! the [`HookError`] its data encodes.

#![allow(clippy::expect_used, clippy::panic)] // a harness: a bad answer is a failing test

use alloy_primitives::{aliases::U48, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use spending_limit_hook::abi::{self, ISpendingLimitHook as I, ISpendingLimitPolicy as P};
use spending_limit_hook::error::HookError;
use spending_limit_hook::window::Spec;
use stylus_sdk::abi::Router;
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

/// Which program serves a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// The hook program (the installed address).
    Hook,
    /// The config program, by the hook program's `DELEGATECALL`.
    Config,
    /// Neither: the call reverts with no data.
    Neither,
}

/// The program that serves `selector`.
pub fn served_by(selector: [u8; 4]) -> Program {
    let selector = u32::from_be_bytes(selector);
    if spending_limit_hook_program::SERVED.contains(&selector) {
        Program::Hook
    } else if spending_limit_config_program::SERVED.contains(&selector) {
        Program::Config
    } else {
        Program::Neither
    }
}

/// One call to the hook at its address: the hook program, then, for what it
/// hands on, the config program.
pub fn call(input: &[u8]) -> ArbResult {
    spending_limit_hook_program::call(input)
        .unwrap_or_else(|| spending_limit_config_program::call(input))
}

/// The hook at one motsu address. It has no fields of its own: the hook's
/// state is addressed slot by slot (`spending_limit_hook::slots`).
#[storage]
pub struct Hook {}

// SAFETY (of the trait's contract): `Hook` is the whole contract's storage,
// at slot 0, as motsu creates it.
#[allow(unsafe_code)]
unsafe impl TopLevelStorage for Hook {}

impl Router<Hook> for Hook {
    type Storage = Hook;

    // Every call, selector and all, goes to `fallback`, which hands the
    // whole calldata to the programs' routers.
    fn route(_: &mut Hook, _selector: u32, _input: &[u8]) -> Option<ArbResult> {
        None
    }

    fn receive(_: &mut Hook) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_: &mut Hook, calldata: &[u8]) -> Option<ArbResult> {
        Some(call(calldata))
    }

    fn constructor(_: &mut Hook, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }
}

/// The [`HookError`] a revert's data encodes.
///
/// # Panics
///
/// If the data is not one of the hook's errors (an empty revert included).
pub fn decode_error(data: &[u8]) -> HookError {
    macro_rules! decode {
        ($($name:ident),*) => {
            $(if let Ok(error) = abi::$name::abi_decode(data, true) {
                return HookError::$name(error);
            })*
        };
    }
    decode!(
        SpendingLimitExceeded,
        WindowDurationTooShort,
        LimitCannotBeZero,
        NoLimitsProvided,
        TooManyTokens,
        DelegateCallNotAllowed,
        ModuleManagementBlocked,
        UnknownFunctionBlocked,
        SelfCallBlocked,
        ModuleAlreadyInitialized,
        NotInitialized,
        InvalidCallType,
        DecodingError,
        DuplicateToken,
        AccountPaused,
        TokenNotAllowed,
        PerCallCapExceeded,
        TokenNotLimited,
        InvalidWindow,
        InvalidValidity,
        OutsideValidity,
        LifetimeCapExceeded,
        BudgetExceeded,
        InvalidBudget,
        InvalidConfigProgram,
        ProtectedTarget,
        InvalidProtectedTargets
    );
    panic!(
        "not one of the hook's errors: 0x{}",
        alloy_primitives::hex::encode(data)
    );
}

/// Routes `call` and decodes its answer.
fn transact<C: SolCall>(call_data: &C) -> Result<C::Return, HookError> {
    match call(&call_data.abi_encode()) {
        Ok(output) => Ok(C::abi_decode_returns(&output, true)
            .expect("the hook's answer decodes as its declared return")),
        Err(revert) => Err(decode_error(&revert)),
    }
}

/// A view: routes `call` and decodes its answer, which must not be a revert.
fn view<C: SolCall>(call_data: &C) -> C::Return {
    transact(call_data).unwrap_or_else(|e| panic!("a view reverted: {e:?}"))
}

/// A raw call's output, or its revert as a [`HookError`].
fn raw(input: &[u8]) -> Result<Vec<u8>, HookError> {
    call(input).map_err(|revert| decode_error(&revert))
}

/// A window as `setWindows` and `setBudget` take it.
pub fn window_arg(spec: &Spec) -> P::Window {
    P::Window {
        kind: spec.kind.code(),
        limit: spec.limit,
        duration: U48::from(spec.duration),
        anchor: U48::from(spec.anchor),
    }
}

impl Hook {
    /// Any calldata, as an account or anyone sends it (selector and all):
    /// the return or revert data.
    pub fn call(&self, input: &[u8]) -> ArbResult {
        call(input)
    }

    /// `preCheck`, with the raw calldata (so a multiplexer suffix can be appended).
    pub fn pre_check_raw(&self, calldata: &[u8]) -> Result<Vec<u8>, HookError> {
        raw(calldata)
    }

    /// `postCheck`, with the raw calldata.
    pub fn post_check_raw(&self, calldata: &[u8]) -> Result<Vec<u8>, HookError> {
        raw(calldata)
    }

    /// `onInstall(data)`.
    pub fn on_install(&self, data: Bytes) -> Result<(), HookError> {
        transact(&I::onInstallCall { data }).map(|_| ())
    }

    /// `onUninstall(data)`.
    pub fn on_uninstall(&self, data: Bytes) -> Result<(), HookError> {
        transact(&I::onUninstallCall { data }).map(|_| ())
    }

    /// `isModuleType(typeId)`.
    pub fn is_module_type(&self, type_id: U256) -> bool {
        view(&I::isModuleTypeCall { typeId: type_id })._0
    }

    /// `isInitialized(account)`.
    pub fn is_initialized(&self, account: Address) -> bool {
        view(&I::isInitializedCall { account })._0
    }

    /// `configs(account, token)`: limit, spent, window duration, window start.
    pub fn configs(&self, account: Address, token: Address) -> (U256, U256, U48, U48) {
        let r = view(&I::configsCall { account, token });
        (r.limit, r.spent, r.windowDuration, r.windowStart)
    }

    /// `setSpendingLimit(token, limit, windowDuration)`.
    pub fn set_spending_limit(
        &self,
        token: Address,
        limit: U256,
        window_duration: U48,
    ) -> Result<(), HookError> {
        transact(&I::setSpendingLimitCall {
            token,
            limit,
            windowDuration: window_duration,
        })
        .map(|_| ())
    }

    /// `removeSpendingLimit(token)`.
    pub fn remove_spending_limit(&self, token: Address) -> Result<(), HookError> {
        transact(&I::removeSpendingLimitCall { token }).map(|_| ())
    }

    /// `getRemainingAllowance(account, token)`.
    pub fn get_remaining_allowance(&self, account: Address, token: Address) -> U256 {
        view(&I::getRemainingAllowanceCall { account, token })._0
    }

    /// `trustedForwarder(account)`.
    pub fn trusted_forwarder(&self, account: Address) -> Address {
        view(&I::trustedForwarderCall { account })._0
    }

    /// `setTrustedForwarder(forwarder)`.
    pub fn set_trusted_forwarder(&self, forwarder: Address) {
        view(&I::setTrustedForwarderCall { forwarder });
    }

    /// `clearTrustedForwarder()`.
    pub fn clear_trusted_forwarder(&self) {
        view(&I::clearTrustedForwarderCall {});
    }

    /// `isTrustedForwarder(forwarder, account)`.
    pub fn is_trusted_forwarder(&self, forwarder: Address, account: Address) -> bool {
        view(&I::isTrustedForwarderCall { forwarder, account })._0
    }

    /// `name()`.
    pub fn name(&self) -> String {
        view(&I::nameCall {})._0
    }

    /// `version()`.
    pub fn version(&self) -> String {
        view(&I::versionCall {})._0
    }

    /// `previewPreCheck(account, account, 0, msgData)`: (wouldPass, revertData).
    pub fn preview_pre_check(&self, account: Address, msg_data: &[u8]) -> (bool, Vec<u8>) {
        let r = view(&P::previewPreCheckCall {
            account,
            msgSender: account,
            msgValue: U256::ZERO,
            msgData: Bytes::copy_from_slice(msg_data),
        });
        (r.wouldPass, r.revertData.to_vec())
    }

    /// `tokenState(account, token)`.
    pub fn token_state(&self, account: Address, token: Address) -> P::tokenStateReturn {
        view(&P::tokenStateCall { account, token })
    }

    /// `trackedTokens(account)`.
    pub fn tracked_tokens(&self, account: Address) -> Vec<Address> {
        view(&P::trackedTokensCall { account }).tokens
    }

    /// `setPaused(paused)`.
    pub fn set_paused(&self, paused: bool) -> Result<(), HookError> {
        transact(&P::setPausedCall { paused }).map(|_| ())
    }

    /// `setDenyUnknownTokens(deny)`.
    pub fn set_deny_unknown_tokens(&self, deny: bool) -> Result<(), HookError> {
        transact(&P::setDenyUnknownTokensCall { deny }).map(|_| ())
    }

    /// `setMaxPerCall(token, cap)`.
    pub fn set_max_per_call(&self, token: Address, cap: U256) -> Result<(), HookError> {
        transact(&P::setMaxPerCallCall {
            token,
            maxPerCall: cap,
        })
        .map(|_| ())
    }

    /// `accountPolicy(account)`: (paused, denyUnknownTokens).
    pub fn account_policy(&self, account: Address) -> (bool, bool) {
        let r = view(&P::accountPolicyCall { account });
        (r.paused, r.denyUnknownTokens)
    }

    /// `maxPerCall(account, token)`.
    pub fn max_per_call(&self, account: Address, token: Address) -> U256 {
        view(&P::maxPerCallCall { account, token })._0
    }

    /// `setWindows(token, windows)`.
    pub fn set_windows(&self, token: Address, windows: &[Spec]) -> Result<(), HookError> {
        let windows = windows.iter().map(window_arg).collect();
        transact(&P::setWindowsCall { token, windows }).map(|_| ())
    }

    /// `setLifetimeCap(token, cap)`.
    pub fn set_lifetime_cap(&self, token: Address, cap: u128) -> Result<(), HookError> {
        transact(&P::setLifetimeCapCall { token, cap }).map(|_| ())
    }

    /// `setValidity(token, validAfter, validUntil)`.
    pub fn set_validity(
        &self,
        token: Address,
        valid_after: u64,
        valid_until: u64,
    ) -> Result<(), HookError> {
        transact(&P::setValidityCall {
            token,
            validAfter: U48::from(valid_after),
            validUntil: U48::from(valid_until),
        })
        .map(|_| ())
    }

    /// `setBudget(id, tokens, scales, windows)`, tokens with their scales.
    pub fn set_budget(
        &self,
        id: B256,
        members: &[(Address, u128)],
        windows: &[Spec],
    ) -> Result<(), HookError> {
        transact(&P::setBudgetCall {
            budget: id,
            tokens: members.iter().map(|(token, _)| *token).collect(),
            scales: members
                .iter()
                .map(|(_, scale)| {
                    alloy_primitives::aliases::U96::try_from(*scale)
                        .expect("a test's scale fits 96 bits")
                })
                .collect(),
            windows: windows.iter().map(window_arg).collect(),
        })
        .map(|_| ())
    }

    /// `removeBudget(id)`.
    pub fn remove_budget(&self, id: B256) -> Result<(), HookError> {
        transact(&P::removeBudgetCall { budget: id }).map(|_| ())
    }

    /// `tokenPolicy(account, token)`.
    pub fn token_policy(&self, account: Address, token: Address) -> P::tokenPolicyReturn {
        view(&P::tokenPolicyCall { account, token })
    }

    /// `budgetState(account, id)`.
    pub fn budget_state(&self, account: Address, id: B256) -> P::budgetStateReturn {
        view(&P::budgetStateCall {
            account,
            budget: id,
        })
    }

    /// `setProtectedTargets(targets)`.
    pub fn set_protected_targets(&self, targets: &[Address]) -> Result<(), HookError> {
        transact(&P::setProtectedTargetsCall {
            targets: targets.to_vec(),
        })
        .map(|_| ())
    }

    /// `protectedTargets(account)`.
    pub fn protected_targets(&self, account: Address) -> Vec<Address> {
        view(&P::protectedTargetsCall { account }).targets
    }

    /// `budgets(account)`.
    pub fn budgets(&self, account: Address) -> Vec<B256> {
        view(&P::budgetsCall { account })._0
    }
}
