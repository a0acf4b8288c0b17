//! What an account does to its own configuration: install, uninstall, set or
//! remove a limit, choose a forwarder. Each takes the account (always the
//! caller, never a suffix) and the time explicitly, on any [`Env`], so the
//! same code runs on chain and in property tests with any clock.

use alloy_primitives::{Address, B256, U256};

use crate::abi;
use crate::calldata;
use crate::env::Env;
use crate::error::HookError;
use crate::events::{self, Subject};
use crate::install::{self, TokenLimit};
use crate::ledger::{self, AccountKey, AccountState, OnExisting};
use crate::policy;
use crate::targets;
use crate::window::Spec;

/// `onInstall(data)` by `account` at `now`.
pub fn install(
    env: &mut dyn Env,
    account: Address,
    data: &[u8],
    now: u64,
) -> Result<(), HookError> {
    let key = AccountKey::new(account);
    let mut state = ledger::account(env, &key);
    if state.initialized {
        return Err(HookError::ModuleAlreadyInitialized(
            abi::ModuleAlreadyInitialized {
                smartAccount: account,
            },
        ));
    }
    let install = install::decode(data)?;
    if install.limits.is_empty() {
        return Err(HookError::NoLimitsProvided(abi::NoLimitsProvided {}));
    }
    if install.limits.len() > ledger::MAX_TRACKED_TOKENS {
        return Err(too_many_tokens());
    }
    if let Some(forwarder) = install.forwarder {
        state.forwarder = forwarder;
    }
    for limit in &install.limits {
        ledger::set_limit(env, &key, &mut state, limit, now, OnExisting::Refuse)?;
    }
    state.initialized = true;
    ledger::set_account(env, &key, &state);
    Ok(())
}

/// `onUninstall` by `account`: forgets every limit, the forwarder and the
/// installation. Never fails, so an account can always remove the hook.
pub fn uninstall(env: &mut dyn Env, account: Address) {
    let key = AccountKey::new(account);
    let state = ledger::account(env, &key);
    targets::forget(env, &key, &state);
    policy::clear_account(env, &key);
    ledger::clear_account(env, &key);
    let installed = state.initialized;
    if installed {
        let event = events::topic!(abi::AccountCleared);
        events::emit(env, event, account, Subject::None, &[]);
    }
}

/// `setSpendingLimit(token, limit, windowDuration)` by `account` at `now`.
pub fn set_spending_limit(
    env: &mut dyn Env,
    account: Address,
    config: &TokenLimit,
    now: u64,
) -> Result<(), HookError> {
    let (key, mut state) = installed(env, account)?;
    ledger::set_limit(env, &key, &mut state, config, now, OnExisting::Update)?;
    ledger::set_account(env, &key, &state);
    Ok(())
}

/// `removeSpendingLimit(token)` by `account`; a no-op for an untracked token.
pub fn remove_spending_limit(
    env: &mut dyn Env,
    account: Address,
    token: Address,
) -> Result<(), HookError> {
    let (key, mut state) = installed(env, account)?;
    if ledger::is_tracked(env, &key, token) {
        policy::forget_token(env, &key, token);
    }
    if ledger::remove_limit(env, &key, &mut state, token) {
        ledger::set_account(env, &key, &state);
    }
    Ok(())
}

/// `setTrustedForwarder(forwarder)` (or `clearTrustedForwarder()` with zero) by `account`.
/// Inlined into its two callers: the zero address, passed by reference, would
/// be 20 bytes of the data section that every call pays for.
#[inline(always)]
pub fn set_forwarder(env: &mut dyn Env, account: Address, forwarder: Address) {
    let key = AccountKey::new(account);
    let mut state = ledger::account(env, &key);
    state.forwarder = forwarder;
    ledger::set_account(env, &key, &state);
}

/// `setPaused(paused)` by `account`: pauses or resumes every outflow.
pub fn set_paused(env: &mut dyn Env, account: Address, paused: bool) -> Result<(), HookError> {
    let (key, mut state) = installed(env, account)?;
    ledger::set_paused(env, &key, &mut state, paused);
    events::emit(
        env,
        events::topic!(abi::PausedSet),
        account,
        Subject::None,
        &[calldata::uint(u64::from(paused))],
    );
    Ok(())
}

/// `setDenyUnknownTokens(deny)` by `account`.
pub fn set_deny_unknown_tokens(
    env: &mut dyn Env,
    account: Address,
    deny: bool,
) -> Result<(), HookError> {
    let (key, mut state) = installed(env, account)?;
    state.deny_unknown = deny;
    ledger::set_account(env, &key, &state);
    let event = events::topic!(abi::UnknownTokensDeniedSet);
    events::emit(
        env,
        event,
        account,
        Subject::None,
        &[calldata::uint(u64::from(deny))],
    );
    Ok(())
}

/// `setMaxPerCall(token, maxPerCall)` by `account`; 0 removes the cap.
pub fn set_max_per_call(
    env: &mut dyn Env,
    account: Address,
    token: Address,
    cap: U256,
) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    ledger::set_max_per_call(env, &key, token, cap)
}

/// `setWindows(token, windows)` by `account` at `now`.
pub fn set_windows(
    env: &mut dyn Env,
    account: Address,
    token: Address,
    windows: &[Spec],
    now: u64,
) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    policy::set_windows(env, &key, token, windows, now)
}

/// `setLifetimeCap(token, cap)` by `account`; 0 removes the cap.
pub fn set_lifetime_cap(
    env: &mut dyn Env,
    account: Address,
    token: Address,
    cap: u128,
) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    policy::set_lifetime_cap(env, &key, token, cap)
}

/// `setValidity(token, validAfter, validUntil)` by `account`.
pub fn set_validity(
    env: &mut dyn Env,
    account: Address,
    token: Address,
    valid_after: u64,
    valid_until: u64,
) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    policy::set_validity(env, &key, token, valid_after, valid_until)
}

/// `setBudget(id, tokens, scales, windows)` by `account` at `now`; `tokens`
/// pairs each token with its scale.
pub fn set_budget(
    env: &mut dyn Env,
    account: Address,
    id: B256,
    tokens: &[(Address, u128)],
    windows: &[Spec],
    now: u64,
) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    policy::set_budget(env, &key, id, tokens, windows, now)
}

/// `removeBudget(id)` by `account`.
pub fn remove_budget(env: &mut dyn Env, account: Address, id: B256) -> Result<(), HookError> {
    let (key, _) = installed(env, account)?;
    policy::remove_budget(env, &key, id);
    Ok(())
}

/// `setProtectedTargets(targets)` by `account`.
pub fn set_protected_targets(
    env: &mut dyn Env,
    account: Address,
    list: &[Address],
) -> Result<(), HookError> {
    let (key, mut state) = installed(env, account)?;
    targets::set(env, &key, &mut state, list)
}

fn installed(env: &mut dyn Env, account: Address) -> Result<(AccountKey, AccountState), HookError> {
    let key = AccountKey::new(account);
    let state = ledger::account(env, &key);
    if !state.initialized {
        return Err(HookError::not_initialized(account));
    }
    Ok((key, state))
}

fn too_many_tokens() -> HookError {
    HookError::TooManyTokens(abi::TooManyTokens {
        max: calldata::uint(ledger::MAX_TRACKED_TOKENS as u64),
    })
}
