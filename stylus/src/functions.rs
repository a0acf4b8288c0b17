//! Every function of the hook's interface, as a program runs it: its
//! arguments read from the calldata, the hook's logic run on the host, its
//! result encoded. Each has the shape of [`crate::entry::Route`]'s cases,
//! `(calldata, arguments) -> result`, so a program's router is a table of
//! them (`programs/hook`, `programs/config`); which program serves which is
//! decided there only.
//!
//! Each is `#[inline(always)]`: it is called from one place, its program's
//! router, and every function a program keeps costs about 8 gas on each
//! uncached call's entry (these were worth 330 gas there and 630 bytes).

use alloc::vec::Vec;

use alloy_primitives::B256;
use spending_limit_hook::calldata::{self, WORD};
use spending_limit_hook::config_program;
use spending_limit_hook::error::{address_word, HookError};
use spending_limit_hook::install::TokenLimit;
use spending_limit_hook::ledger::{self, AccountKey};
use spending_limit_hook::slots::address_uint;
use spending_limit_hook::{abi, check, lifecycle, list, policy};

use crate::codec::{
    bool_arg, bool_word, bytes_arg, push_bytes, push_windows, push_word, string_return, uint_word,
    windows_arg, WINDOW_STATE_WORDS,
};
use crate::env::HostEnv;
use crate::host;

/// ERC-7579 module type id of a hook.
pub const MODULE_TYPE_HOOK: u64 = 4;
/// What `name()` returns.
pub const NAME: &str = "SpendingLimitHook";
/// What `version()` returns: the crate's semver.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `preCheck`, on the whole calldata, so that the multiplexer's suffix is
/// seen. Returns ABI-encoded empty `bytes` (offset 0x20, length 0), built
/// on each call: as a constant it would sit in the data section, which
/// every call pays for.
#[inline(always)]
pub fn pre_check(input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    check::pre_check_call(
        &mut HostEnv,
        host::contract_address(),
        host::msg_sender(),
        input,
        host::now(),
    )?;
    let mut out = [0u8; 64];
    if let Some(offset) = out.get_mut(31) {
        *offset = 0x20;
    }
    Ok(list::copied(&out))
}

/// `postCheck`. `preCheck` keeps no per-call state, so there is nothing to
/// reconcile: it accepts whatever it is given.
#[inline(always)]
pub fn post_check(_input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    Ok(Vec::new())
}

/// `setSpendingLimit(token, limit, windowDuration)` for the caller. An
/// existing token keeps what it spent and when its window started.
#[inline(always)]
pub fn set_spending_limit(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let config = TokenLimit {
        token: calldata::address(args, 0)?,
        limit: calldata::uint_at(args, WORD)?,
        window_duration: calldata::uint48(args, 2 * WORD)?,
    };
    lifecycle::set_spending_limit(&mut HostEnv, host::msg_sender(), &config, host::now())?;
    Ok(Vec::new())
}

/// `getRemainingAllowance(account, token)`: 0 for an untracked token (the
/// reference's answer), the full limit once the window has closed.
#[inline(always)]
pub fn get_remaining_allowance(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let token = calldata::address(args, WORD)?;
    Ok(uint_word(ledger::remaining_allowance(
        &mut HostEnv,
        &account,
        token,
        host::now(),
    )))
}

/// The hook program's constructor, `stylus_constructor(address)`: fixes
/// the config program, once (see `spending_limit_hook::config_program`).
#[inline(always)]
pub fn constructor(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let program = calldata::address(args, 0)?;
    config_program::construct(&mut HostEnv, program, host::code_len(program))?;
    Ok(Vec::new())
}

/// `configProgram()`: where the calls the hook program does not serve run.
#[inline(always)]
pub fn config_program(_input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    Ok(list::copied(&address_word(config_program::address(
        &mut HostEnv,
    ))))
}

/// `isModuleType(typeId)`: true only for the hook module type (4).
#[inline(always)]
pub fn is_module_type(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let type_id = calldata::uint_at(args, 0)?;
    Ok(bool_word(type_id == calldata::uint(MODULE_TYPE_HOOK)))
}

/// `isInitialized(account)`: whether it has installed the hook.
#[inline(always)]
pub fn is_initialized(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    Ok(bool_word(
        ledger::account(&mut HostEnv, &account).initialized,
    ))
}

/// `onInstall(data)`: installs the hook for the caller with its first
/// limits and, optionally, the multiplexer it will be called through.
#[inline(always)]
pub fn on_install(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let data = bytes_arg(args, 0)?;
    lifecycle::install(&mut HostEnv, host::msg_sender(), &data, host::now())?;
    Ok(Vec::new())
}

/// `onUninstall(data)`: forgets every setting of the caller, its forwarder
/// and its installation. Never reverts on its data, so an account can
/// always remove the hook.
#[inline(always)]
pub fn on_uninstall(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    bytes_arg(args, 0)?;
    lifecycle::uninstall(&mut HostEnv, host::msg_sender());
    Ok(Vec::new())
}

/// `configs(account, token)`, the reference's public mapping: limit, spent,
/// window duration, window start (all zero for an untracked token).
#[inline(always)]
pub fn configs(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let token = calldata::address(args, WORD)?;
    let config = ledger::config(&mut HostEnv, &account, token).unwrap_or_default();
    let mut out = list::with_capacity(4 * WORD);
    for word in [
        config.limit,
        config.spent,
        calldata::uint(config.window_duration),
        calldata::uint(config.window_start),
    ] {
        push_word(&mut out, word);
    }
    Ok(out)
}

/// `removeSpendingLimit(token)` for the caller; a no-op for an untracked token.
#[inline(always)]
pub fn remove_spending_limit(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let token = calldata::address(args, 0)?;
    lifecycle::remove_spending_limit(&mut HostEnv, host::msg_sender(), token)?;
    Ok(Vec::new())
}

/// `trustedForwarder(account)`: the forwarder it trusts (zero when none).
#[inline(always)]
pub fn trusted_forwarder(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let forwarder = ledger::account(&mut HostEnv, &account).forwarder;
    Ok(list::copied(&address_word(forwarder)))
}

/// `setTrustedForwarder(forwarder)`: trusts it to call for the caller.
#[inline(always)]
pub fn set_trusted_forwarder(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let forwarder = calldata::address(args, 0)?;
    lifecycle::set_forwarder(&mut HostEnv, host::msg_sender(), forwarder);
    Ok(Vec::new())
}

/// `clearTrustedForwarder()`: stops trusting any forwarder for the caller.
#[inline(always)]
pub fn clear_trusted_forwarder(_input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    lifecycle::set_forwarder(
        &mut HostEnv,
        host::msg_sender(),
        alloy_primitives::Address::ZERO,
    );
    Ok(Vec::new())
}

/// `isTrustedForwarder(forwarder, account)`: modulekit's rule, under which
/// the zero address is trusted by an account that set none.
#[inline(always)]
pub fn is_trusted_forwarder(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let forwarder = calldata::address(args, 0)?;
    let account = AccountKey::new(calldata::address(args, WORD)?);
    Ok(bool_word(
        ledger::account(&mut HostEnv, &account).forwarder == forwarder,
    ))
}

/// `previewPreCheck(account, msgSender, msgValue, msgData)`: whether
/// `account` executing `msgData` now would pass `preCheck`, and the revert
/// data if not. Changes nothing. `msgSender` and `msgValue` are decoded for
/// shape only: `preCheck` does not use them either.
#[inline(always)]
pub fn preview_pre_check(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = calldata::address(args, 0)?;
    calldata::address(args, WORD)?;
    calldata::uint_at(args, 2 * WORD)?;
    let msg_data = bytes_arg(args, 3 * WORD)?;
    let outcome = check::preview(
        &mut HostEnv,
        host::contract_address(),
        account,
        &msg_data,
        host::now(),
    );
    let (would_pass, revert_data) = match outcome {
        Ok(()) => (true, Vec::new()),
        Err(error) => (false, error.encode()),
    };
    let mut out = list::with_capacity(revert_data.len().saturating_add(4 * WORD));
    push_word(&mut out, calldata::uint(u64::from(would_pass)));
    push_word(&mut out, calldata::uint((2 * WORD) as u64));
    push_bytes(&mut out, &revert_data);
    Ok(out)
}

/// `tokenState(account, token)`: a token's whole state as of now.
#[inline(always)]
pub fn token_state(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let token = calldata::address(args, WORD)?;
    let state = ledger::token_state(&mut HostEnv, &account, token, host::now());
    let words = [
        calldata::uint(u64::from(state.limited)),
        state.limit,
        state.spent,
        state.remaining,
        calldata::uint(state.window_start),
        calldata::uint(state.window_duration),
        calldata::uint(state.window_end),
        state.max_per_call,
    ];
    let mut out = list::with_capacity(words.len().saturating_mul(WORD));
    for word in words {
        push_word(&mut out, word);
    }
    Ok(out)
}

/// `trackedTokens(account)`: the tokens it limits, in storage order.
#[inline(always)]
pub fn tracked_tokens(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    Ok(address_array(&ledger::tracked_tokens(
        &mut HostEnv,
        &account,
    )))
}

/// `setPaused(paused)` for the caller.
#[inline(always)]
pub fn set_paused(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    lifecycle::set_paused(&mut HostEnv, host::msg_sender(), bool_arg(args, 0)?)?;
    Ok(Vec::new())
}

/// `setDenyUnknownTokens(deny)` for the caller.
#[inline(always)]
pub fn set_deny_unknown_tokens(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    lifecycle::set_deny_unknown_tokens(&mut HostEnv, host::msg_sender(), bool_arg(args, 0)?)?;
    Ok(Vec::new())
}

/// `setMaxPerCall(token, cap)` for the caller.
#[inline(always)]
pub fn set_max_per_call(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let token = calldata::address(args, 0)?;
    let cap = calldata::uint_at(args, WORD)?;
    lifecycle::set_max_per_call(&mut HostEnv, host::msg_sender(), token, cap)?;
    Ok(Vec::new())
}

/// `accountPolicy(account)`: (paused, denyUnknownTokens).
#[inline(always)]
pub fn account_policy(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let state = ledger::account(&mut HostEnv, &account);
    let mut out = bool_word(state.paused);
    list::extend(&mut out, &bool_word(state.deny_unknown));
    Ok(out)
}

/// `maxPerCall(account, token)`: a token's per-call cap (0: none).
#[inline(always)]
pub fn max_per_call(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let token = calldata::address(args, WORD)?;
    Ok(uint_word(ledger::max_per_call(
        &mut HostEnv,
        &account,
        token,
    )))
}

/// `setWindows(token, windows)` for the caller.
#[inline(always)]
pub fn set_windows(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let token = calldata::address(args, 0)?;
    let windows = windows_arg(args, WORD)?;
    lifecycle::set_windows(
        &mut HostEnv,
        host::msg_sender(),
        token,
        &windows,
        host::now(),
    )?;
    Ok(Vec::new())
}

/// `setLifetimeCap(token, cap)` for the caller.
#[inline(always)]
pub fn set_lifetime_cap(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let token = calldata::address(args, 0)?;
    let cap = calldata::low_u128(&calldata::uint_bits(args, WORD, 128)?);
    lifecycle::set_lifetime_cap(&mut HostEnv, host::msg_sender(), token, cap)?;
    Ok(Vec::new())
}

/// `setValidity(token, validAfter, validUntil)` for the caller.
#[inline(always)]
pub fn set_validity(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let token = calldata::address(args, 0)?;
    let valid_after = calldata::uint48(args, WORD)?;
    let valid_until = calldata::uint48(args, 2 * WORD)?;
    lifecycle::set_validity(
        &mut HostEnv,
        host::msg_sender(),
        token,
        valid_after,
        valid_until,
    )?;
    Ok(Vec::new())
}

/// `setBudget(id, tokens, scales, windows)` for the caller.
#[inline(always)]
pub fn set_budget(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let id = B256::from(*calldata::word(args, 0)?);
    let (tokens, count) = calldata::array_at(args, WORD, 1)?;
    let (scales, scale_count) = calldata::array_at(args, 2 * WORD, 1)?;
    let windows = windows_arg(args, 3 * WORD)?;
    if count != scale_count {
        return Err(HookError::policy(abi::InvalidBudget { budget: id }));
    }
    let mut members = list::with_capacity(count);
    for i in 0..count {
        let at = i.saturating_mul(WORD);
        let token = calldata::address(tokens, at)?;
        let scale = calldata::low_u128(&calldata::uint_bits(scales, at, 96)?);
        list::push(&mut members, (token, scale));
    }
    let account = host::msg_sender();
    lifecycle::set_budget(&mut HostEnv, account, id, &members, &windows, host::now())?;
    Ok(Vec::new())
}

/// `removeBudget(id)` for the caller.
#[inline(always)]
pub fn remove_budget(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let id = B256::from(*calldata::word(args, 0)?);
    lifecycle::remove_budget(&mut HostEnv, host::msg_sender(), id)?;
    Ok(Vec::new())
}

/// `setProtectedTargets(targets)` for the caller.
#[inline(always)]
pub fn set_protected_targets(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let (items, count) = calldata::array_at(args, 0, 1)?;
    let mut targets = list::with_capacity(count);
    for i in 0..count {
        list::push(
            &mut targets,
            calldata::address(items, i.saturating_mul(WORD))?,
        );
    }
    lifecycle::set_protected_targets(&mut HostEnv, host::msg_sender(), &targets)?;
    Ok(Vec::new())
}

/// `protectedTargets(account)`: its protected targets, in the order set.
#[inline(always)]
pub fn protected_targets(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    Ok(address_array(&spending_limit_hook::targets::list(
        &mut HostEnv,
        &account,
    )))
}

/// An `address[]` return value.
fn address_array(addresses: &[alloy_primitives::Address]) -> Vec<u8> {
    let mut out = list::with_capacity(addresses.len().saturating_add(2).saturating_mul(WORD));
    push_word(&mut out, calldata::uint(WORD as u64));
    push_word(&mut out, calldata::uint(addresses.len() as u64));
    for address in addresses {
        push_word(&mut out, address_uint(*address));
    }
    out
}

/// `tokenPolicy(account, token)`: everything beyond the reference window
/// for a token.
#[inline(always)]
pub fn token_policy(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let token = calldata::address(args, WORD)?;
    let policy = policy::token_policy(&mut HostEnv, &account, token, host::now());
    let mut out = Vec::new();
    push_word(&mut out, calldata::uint(policy.valid_after));
    push_word(&mut out, calldata::uint(policy.valid_until));
    push_word(
        &mut out,
        spending_limit_hook::slots::uint128(policy.lifetime_cap),
    );
    push_word(
        &mut out,
        spending_limit_hook::slots::uint128(policy.lifetime_spent),
    );
    push_word(&mut out, spending_limit_hook::slots::uint128(policy.scale));
    let windows_at = 7 * WORD;
    let budgets_at = windows_at.saturating_add(WORD).saturating_add(
        policy
            .windows
            .len()
            .saturating_mul(WINDOW_STATE_WORDS * WORD),
    );
    push_word(&mut out, calldata::uint(windows_at as u64));
    push_word(&mut out, calldata::uint(budgets_at as u64));
    push_windows(&mut out, &policy.windows);
    push_word(&mut out, calldata::uint(policy.budgets.len() as u64));
    for id in policy.budgets {
        list::extend(&mut out, id.as_slice());
    }
    Ok(out)
}

/// `budgetState(account, id)`: a budget's tokens, scales and windows as of now.
#[inline(always)]
pub fn budget_state(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let id = B256::from(*calldata::word(args, WORD)?);
    let budget = policy::budget_state(&mut HostEnv, &account, id, host::now());
    let list = budget.tokens.len().saturating_add(1).saturating_mul(WORD);
    let scales_at = (3 * WORD).saturating_add(list);
    let mut out = Vec::new();
    push_word(&mut out, calldata::uint((3 * WORD) as u64));
    push_word(&mut out, calldata::uint(scales_at as u64));
    push_word(
        &mut out,
        calldata::uint(scales_at.saturating_add(list) as u64),
    );
    push_word(&mut out, calldata::uint(budget.tokens.len() as u64));
    for (token, _) in &budget.tokens {
        push_word(&mut out, address_uint(*token));
    }
    push_word(&mut out, calldata::uint(budget.tokens.len() as u64));
    for (_, scale) in &budget.tokens {
        push_word(&mut out, spending_limit_hook::slots::uint128(*scale));
    }
    push_windows(&mut out, &budget.windows);
    Ok(out)
}

/// `budgets(account)`: the budget ids it holds.
#[inline(always)]
pub fn budgets(_input: &[u8], args: &[u8]) -> Result<Vec<u8>, HookError> {
    let account = AccountKey::new(calldata::address(args, 0)?);
    let ids = policy::budget_ids(&mut HostEnv, &account);
    let mut out = Vec::new();
    push_word(&mut out, calldata::uint(WORD as u64));
    push_word(&mut out, calldata::uint(ids.len() as u64));
    for id in ids {
        list::extend(&mut out, id.as_slice());
    }
    Ok(out)
}

/// `name()`: "SpendingLimitHook".
#[inline(always)]
pub fn name(_input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    Ok(string_return(NAME))
}

/// `version()`: the module's semver.
#[inline(always)]
pub fn version(_input: &[u8], _args: &[u8]) -> Result<Vec<u8>, HookError> {
    Ok(string_return(VERSION))
}
