//! The deployed program's ABI router: selector → arguments → method → result.
//!
//! Written by hand instead of the SDK's generated router, for three reasons:
//! `preCheck`/`postCheck` need the raw calldata (the multiplexer's suffix);
//! Solidity accepts trailing bytes after the arguments and so must a drop-in
//! (the SDK's router refuses them); and the generated router's strict
//! re-encoding costs program size and gas on every call. The methods it calls
//! are the same ones the SDK's `#[public]` router exposes to motsu tests and
//! the ABI exporter, so there is one implementation of each function.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use stylus_sdk::{abi::Bytes, ArbResult};

use crate::abi::ISpendingLimitHook as I;
use crate::abi::ISpendingLimitPolicy as P;
use crate::calldata::{self, Malformed, Read, WORD};
use crate::error::{address_word, HookError};
use crate::SpendingLimitHook;

/// Routes one call. Every function is non-payable, as in the reference:
/// value with any call reverts with empty data, like Solidity's check.
pub fn dispatch(hook: &mut SpendingLimitHook, input: &[u8]) -> ArbResult {
    if !crate::host::msg_value().is_zero() {
        return Err(Vec::new());
    }
    let Some(selector) = calldata::selector(input) else {
        return Err(Vec::new());
    };
    let args = calldata::tail(input, 4).unwrap_or_default();
    match route(hook, selector, input, args) {
        Ok(Some(output)) => Ok(output),
        // No such function: Solidity without a fallback reverts with no data.
        Ok(None) => Err(Vec::new()),
        Err(error) => Err(error.encode()),
    }
}

fn route(
    hook: &mut SpendingLimitHook,
    selector: [u8; 4],
    input: &[u8],
    args: &[u8],
) -> Result<Option<Vec<u8>>, HookError> {
    Ok(Some(match selector {
        I::preCheckCall::SELECTOR => hook.pre_check_raw(input)?,
        I::postCheckCall::SELECTOR => hook.post_check_raw(input)?,
        I::onInstallCall::SELECTOR => {
            hook.on_install(bytes_arg(args, 0)?)?;
            Vec::new()
        }
        I::onUninstallCall::SELECTOR => {
            hook.on_uninstall(bytes_arg(args, 0)?)?;
            Vec::new()
        }
        I::isModuleTypeCall::SELECTOR => bool_word(SpendingLimitHook::is_module_type(
            calldata::uint_at(args, 0)?,
        )),
        I::isInitializedCall::SELECTOR => {
            bool_word(hook.is_initialized(calldata::address(args, 0)?))
        }
        I::configsCall::SELECTOR => {
            let (limit, spent, duration, start) =
                hook.configs(calldata::address(args, 0)?, calldata::address(args, WORD)?);
            let mut out = Vec::with_capacity(4 * WORD);
            for word in [
                limit,
                spent,
                calldata::uint(duration.as_limbs()[0]),
                calldata::uint(start.as_limbs()[0]),
            ] {
                out.extend_from_slice(&word.to_be_bytes::<32>());
            }
            out
        }
        I::setSpendingLimitCall::SELECTOR => {
            let token = calldata::address(args, 0)?;
            let limit = calldata::uint_at(args, WORD)?;
            let duration = calldata::uint48_of(calldata::uint48(args, 2 * WORD)?);
            hook.set_spending_limit(token, limit, duration)?;
            Vec::new()
        }
        I::removeSpendingLimitCall::SELECTOR => {
            hook.remove_spending_limit(calldata::address(args, 0)?)?;
            Vec::new()
        }
        I::getRemainingAllowanceCall::SELECTOR => {
            let remaining = hook.get_remaining_allowance(
                calldata::address(args, 0)?,
                calldata::address(args, WORD)?,
            );
            remaining.to_be_bytes::<32>().to_vec()
        }
        I::trustedForwarderCall::SELECTOR => {
            address_word(hook.trusted_forwarder(calldata::address(args, 0)?)).to_vec()
        }
        I::setTrustedForwarderCall::SELECTOR => {
            hook.set_trusted_forwarder(calldata::address(args, 0)?);
            Vec::new()
        }
        I::clearTrustedForwarderCall::SELECTOR => {
            hook.clear_trusted_forwarder();
            Vec::new()
        }
        I::isTrustedForwarderCall::SELECTOR => bool_word(
            hook.is_trusted_forwarder(calldata::address(args, 0)?, calldata::address(args, WORD)?),
        ),
        P::previewPreCheckCall::SELECTOR => {
            let account = calldata::address(args, 0)?;
            // msgSender and msgValue are decoded for shape only: preCheck does
            // not use them either.
            calldata::address(args, WORD)?;
            calldata::uint_at(args, 2 * WORD)?;
            let msg_data = bytes_arg(args, 3 * WORD)?;
            let (would_pass, revert_data) = hook.preview_pre_check(account, &msg_data);
            let mut out = Vec::with_capacity(revert_data.len().saturating_add(4 * WORD));
            out.extend_from_slice(&calldata::uint(u64::from(would_pass)).to_be_bytes::<32>());
            out.extend_from_slice(&calldata::uint((2 * WORD) as u64).to_be_bytes::<32>());
            push_bytes(&mut out, &revert_data);
            out
        }
        P::tokenStateCall::SELECTOR => {
            let state =
                hook.token_state(calldata::address(args, 0)?, calldata::address(args, WORD)?);
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
            let mut out = Vec::with_capacity(words.len().saturating_mul(WORD));
            for word in words {
                out.extend_from_slice(&word.to_be_bytes::<32>());
            }
            out
        }
        P::trackedTokensCall::SELECTOR => {
            let tokens = hook.tracked_tokens(calldata::address(args, 0)?);
            let mut out = Vec::with_capacity(tokens.len().saturating_add(2).saturating_mul(WORD));
            out.extend_from_slice(&calldata::uint(WORD as u64).to_be_bytes::<32>());
            out.extend_from_slice(&calldata::uint(tokens.len() as u64).to_be_bytes::<32>());
            for token in tokens {
                out.extend_from_slice(&address_word(token));
            }
            out
        }
        P::setPausedCall::SELECTOR => {
            hook.set_paused(bool_arg(args, 0)?)?;
            Vec::new()
        }
        P::setDenyUnknownTokensCall::SELECTOR => {
            hook.set_deny_unknown_tokens(bool_arg(args, 0)?)?;
            Vec::new()
        }
        P::setMaxPerCallCall::SELECTOR => {
            hook.set_max_per_call(calldata::address(args, 0)?, calldata::uint_at(args, WORD)?)?;
            Vec::new()
        }
        P::accountPolicyCall::SELECTOR => {
            let (paused, deny) = hook.account_policy(calldata::address(args, 0)?);
            let mut out = bool_word(paused);
            out.extend_from_slice(&bool_word(deny));
            out
        }
        P::maxPerCallCall::SELECTOR => hook
            .max_per_call(calldata::address(args, 0)?, calldata::address(args, WORD)?)
            .to_be_bytes::<32>()
            .to_vec(),
        I::nameCall::SELECTOR => string_return(crate::contract::NAME),
        I::versionCall::SELECTOR => string_return(crate::contract::VERSION),
        _ => return Ok(None),
    }))
}

/// A `bytes` argument whose head word is at `head`, following its offset as
/// Solidity's decoder does (any in-bounds offset).
fn bytes_arg(args: &[u8], head: usize) -> Read<Bytes> {
    let offset = calldata::offset(args, head)?;
    let len = calldata::offset(args, offset)?;
    let start = offset.checked_add(WORD).ok_or(Malformed)?;
    Ok(Bytes::from(calldata::slice(args, start, len)?.to_vec()))
}

/// A `bool` argument: Solidity refuses any word but 0 and 1.
fn bool_arg(args: &[u8], at: usize) -> Read<bool> {
    match calldata::uint_at(args, at)? {
        v if v.is_zero() => Ok(false),
        v if v == calldata::uint(1) => Ok(true),
        _ => Err(Malformed),
    }
}

fn bool_word(value: bool) -> Vec<u8> {
    let mut word = [0u8; 32];
    word[31] = u8::from(value);
    word.to_vec()
}

/// ABI-encodes a `string` return value.
fn string_return(value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 * WORD);
    out.extend_from_slice(&calldata::uint(WORD as u64).to_be_bytes::<32>());
    push_bytes(&mut out, value.as_bytes());
    out
}

/// Appends a dynamic value's tail: its length, then its bytes, padded.
fn push_bytes(out: &mut Vec<u8>, value: &[u8]) {
    out.extend_from_slice(&calldata::uint(value.len() as u64).to_be_bytes::<32>());
    out.extend_from_slice(value);
    let padded = calldata::padded(value.len()).unwrap_or(value.len());
    out.resize(
        out.len().saturating_add(padded.saturating_sub(value.len())),
        0,
    );
}
