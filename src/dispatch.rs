//! The ABI router: selector → arguments → method → result.
//!
//! The hook is deployed as two programs (see [`crate::config_program`]): the
//! hook program serves [`dispatch_hot`], the calls on every execution and the
//! two the gas goals measure, and hands every other selector to the config
//! program, which serves [`dispatch_config`]. [`dispatch`] is both, for the
//! native build and the tests; which selectors go where is decided here only.
//!
//! Written by hand instead of the SDK's generated router, for three reasons:
//! `preCheck`/`postCheck` need the raw calldata (the multiplexer's suffix);
//! Solidity accepts trailing bytes after the arguments and so must a drop-in
//! (the SDK's router refuses them); and the generated router's strict
//! re-encoding costs program size and gas on every call. The methods it calls
//! are the same ones the SDK's `#[public]` router exposes to motsu tests and
//! the ABI exporter, so there is one implementation of each function.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use stylus_sdk::{abi::Bytes, ArbResult};

use crate::abi::ISpendingLimitHook as I;
use crate::abi::{self, ISpendingLimitPolicy as P};
use crate::calldata::{self, Malformed, Read, WORD};
use crate::error::{address_word, HookError};
use crate::list;
use crate::policy::{self, WindowView};
use crate::slots::{address_uint, uint128};
use crate::window::{Kind, Spec};
use crate::SpendingLimitHook;

calldata::selector_ids! {
    PRE_CHECK = I::preCheckCall;
    POST_CHECK = I::postCheckCall;
    ON_INSTALL = I::onInstallCall;
    ON_UNINSTALL = I::onUninstallCall;
    IS_MODULE_TYPE = I::isModuleTypeCall;
    IS_INITIALIZED = I::isInitializedCall;
    CONFIGS = I::configsCall;
    SET_SPENDING_LIMIT = I::setSpendingLimitCall;
    REMOVE_SPENDING_LIMIT = I::removeSpendingLimitCall;
    GET_REMAINING_ALLOWANCE = I::getRemainingAllowanceCall;
    TRUSTED_FORWARDER = I::trustedForwarderCall;
    SET_TRUSTED_FORWARDER = I::setTrustedForwarderCall;
    CLEAR_TRUSTED_FORWARDER = I::clearTrustedForwarderCall;
    IS_TRUSTED_FORWARDER = I::isTrustedForwarderCall;
    PREVIEW_PRE_CHECK = P::previewPreCheckCall;
    TOKEN_STATE = P::tokenStateCall;
    TRACKED_TOKENS = P::trackedTokensCall;
    SET_PAUSED = P::setPausedCall;
    SET_DENY_UNKNOWN_TOKENS = P::setDenyUnknownTokensCall;
    SET_MAX_PER_CALL = P::setMaxPerCallCall;
    ACCOUNT_POLICY = P::accountPolicyCall;
    MAX_PER_CALL = P::maxPerCallCall;
    SET_WINDOWS = P::setWindowsCall;
    SET_LIFETIME_CAP = P::setLifetimeCapCall;
    SET_VALIDITY = P::setValidityCall;
    SET_BUDGET = P::setBudgetCall;
    REMOVE_BUDGET = P::removeBudgetCall;
    TOKEN_POLICY = P::tokenPolicyCall;
    BUDGET_STATE = P::budgetStateCall;
    BUDGETS = P::budgetsCall;
    NAME = I::nameCall;
    VERSION = I::versionCall;
    CONFIG_PROGRAM = P::configProgramCall;
    CONSTRUCTOR = abi::IStylusConstructor::stylus_constructorCall;
}

/// A router: `Ok(None)` when the selector is not one of its functions.
type Route = fn(&mut SpendingLimitHook, u32, &[u8], &[u8]) -> Result<Option<Vec<u8>>, HookError>;

/// Routes one call to any function of the hook: what the native build runs.
pub fn dispatch(hook: &mut SpendingLimitHook, input: &[u8]) -> ArbResult {
    dispatch_hot(hook, input).unwrap_or_else(|| dispatch_config(hook, input))
}

/// The hook program's calls; `None` for a selector it leaves to the config
/// program (which may not know it either).
pub fn dispatch_hot(hook: &mut SpendingLimitHook, input: &[u8]) -> Option<ArbResult> {
    serve(hook, input, route_hot)
}

/// The config program's calls. An unknown selector reverts with no data, as
/// Solidity without a fallback does.
pub fn dispatch_config(hook: &mut SpendingLimitHook, input: &[u8]) -> ArbResult {
    serve(hook, input, route_config).unwrap_or(Err(Vec::new()))
}

/// Runs `route` on the call. Every function is non-payable, as in the
/// reference: value with any call reverts with empty data, like Solidity's
/// check, and so does calldata too short for a selector; neither is handed on.
fn serve(hook: &mut SpendingLimitHook, input: &[u8], route: Route) -> Option<ArbResult> {
    if !crate::host::msg_value().is_zero() {
        return Some(Err(Vec::new()));
    }
    let Some(selector) = calldata::selector(input) else {
        return Some(Err(Vec::new()));
    };
    let args = calldata::tail(input, 4).unwrap_or_default();
    match route(hook, u32::from_be_bytes(selector), input, args) {
        Ok(Some(output)) => Some(Ok(output)),
        Ok(None) => None,
        Err(error) => Some(Err(error.encode())),
    }
}

/// The hook program's functions: what runs on every execution of an
/// account (`preCheck`, `postCheck`), the two calls whose gas the goals
/// measure (`setSpendingLimit`, `getRemainingAllowance`), and the
/// deployment's own (`stylus_constructor`, and `configProgram`, which must
/// not be answered by the program it names). Everything else, including what
/// an account asks once while installing (`isModuleType`, `isInitialized`),
/// costs every call of these a little at entry and is handed on.
fn route_hot(
    hook: &mut SpendingLimitHook,
    selector: u32,
    input: &[u8],
    args: &[u8],
) -> Result<Option<Vec<u8>>, HookError> {
    Ok(Some(match selector {
        PRE_CHECK => hook.pre_check_raw(input)?,
        POST_CHECK => hook.post_check_raw(input)?,
        SET_SPENDING_LIMIT => {
            let token = calldata::address(args, 0)?;
            let limit = calldata::uint_at(args, WORD)?;
            let duration = calldata::uint48_of(calldata::uint48(args, 2 * WORD)?);
            hook.set_spending_limit(token, limit, duration)?;
            Vec::new()
        }
        GET_REMAINING_ALLOWANCE => {
            uint_word(hook.get_remaining_allowance(
                calldata::address(args, 0)?,
                calldata::address(args, WORD)?,
            ))
        }
        CONSTRUCTOR => {
            hook.construct(calldata::address(args, 0)?)?;
            Vec::new()
        }
        CONFIG_PROGRAM => list::copied(&address_word(hook.config_program())),
        _ => return Ok(None),
    }))
}

/// The config program's functions: installation and the questions an
/// account asks around it, every setting and every other view.
fn route_config(
    hook: &mut SpendingLimitHook,
    selector: u32,
    _input: &[u8],
    args: &[u8],
) -> Result<Option<Vec<u8>>, HookError> {
    Ok(Some(match selector {
        IS_MODULE_TYPE => bool_word(SpendingLimitHook::is_module_type(calldata::uint_at(
            args, 0,
        )?)),
        IS_INITIALIZED => bool_word(hook.is_initialized(calldata::address(args, 0)?)),
        ON_INSTALL => {
            hook.on_install(bytes_arg(args, 0)?)?;
            Vec::new()
        }
        ON_UNINSTALL => {
            hook.on_uninstall(bytes_arg(args, 0)?)?;
            Vec::new()
        }
        CONFIGS => {
            let (limit, spent, duration, start) =
                hook.configs(calldata::address(args, 0)?, calldata::address(args, WORD)?);
            let mut out = list::with_capacity(4 * WORD);
            for word in [
                limit,
                spent,
                calldata::uint(duration.as_limbs()[0]),
                calldata::uint(start.as_limbs()[0]),
            ] {
                push_word(&mut out, word);
            }
            out
        }
        REMOVE_SPENDING_LIMIT => {
            hook.remove_spending_limit(calldata::address(args, 0)?)?;
            Vec::new()
        }
        TRUSTED_FORWARDER => list::copied(&address_word(
            hook.trusted_forwarder(calldata::address(args, 0)?),
        )),
        SET_TRUSTED_FORWARDER => {
            hook.set_trusted_forwarder(calldata::address(args, 0)?);
            Vec::new()
        }
        CLEAR_TRUSTED_FORWARDER => {
            hook.clear_trusted_forwarder();
            Vec::new()
        }
        IS_TRUSTED_FORWARDER => bool_word(
            hook.is_trusted_forwarder(calldata::address(args, 0)?, calldata::address(args, WORD)?),
        ),
        PREVIEW_PRE_CHECK => {
            let account = calldata::address(args, 0)?;
            // msgSender and msgValue are decoded for shape only: preCheck does
            // not use them either.
            calldata::address(args, WORD)?;
            calldata::uint_at(args, 2 * WORD)?;
            let msg_data = bytes_arg(args, 3 * WORD)?;
            let (would_pass, revert_data) = hook.preview_pre_check(account, &msg_data);
            let mut out = list::with_capacity(revert_data.len().saturating_add(4 * WORD));
            push_word(&mut out, calldata::uint(u64::from(would_pass)));
            push_word(&mut out, calldata::uint((2 * WORD) as u64));
            push_bytes(&mut out, &revert_data);
            out
        }
        TOKEN_STATE => {
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
            let mut out = list::with_capacity(words.len().saturating_mul(WORD));
            for word in words {
                push_word(&mut out, word);
            }
            out
        }
        TRACKED_TOKENS => {
            let tokens = hook.tracked_tokens(calldata::address(args, 0)?);
            let mut out = list::with_capacity(tokens.len().saturating_add(2).saturating_mul(WORD));
            push_word(&mut out, calldata::uint(WORD as u64));
            push_word(&mut out, calldata::uint(tokens.len() as u64));
            for token in tokens {
                push_word(&mut out, address_uint(token));
            }
            out
        }
        SET_PAUSED => {
            hook.set_paused(bool_arg(args, 0)?)?;
            Vec::new()
        }
        SET_DENY_UNKNOWN_TOKENS => {
            hook.set_deny_unknown_tokens(bool_arg(args, 0)?)?;
            Vec::new()
        }
        SET_MAX_PER_CALL => {
            hook.set_max_per_call(calldata::address(args, 0)?, calldata::uint_at(args, WORD)?)?;
            Vec::new()
        }
        ACCOUNT_POLICY => {
            let (paused, deny) = hook.account_policy(calldata::address(args, 0)?);
            let mut out = bool_word(paused);
            list::extend(&mut out, &bool_word(deny));
            out
        }
        MAX_PER_CALL => uint_word(
            hook.max_per_call(calldata::address(args, 0)?, calldata::address(args, WORD)?),
        ),
        SET_WINDOWS => {
            let token = calldata::address(args, 0)?;
            hook.set_windows(token, &windows_arg(args, WORD)?)?;
            Vec::new()
        }
        SET_LIFETIME_CAP => {
            let token = calldata::address(args, 0)?;
            let cap = calldata::low_u128(&calldata::uint_bits(args, WORD, 128)?);
            hook.set_lifetime_cap(token, cap)?;
            Vec::new()
        }
        SET_VALIDITY => {
            let token = calldata::address(args, 0)?;
            let valid_after = calldata::uint48(args, WORD)?;
            let valid_until = calldata::uint48(args, 2 * WORD)?;
            hook.set_validity(token, valid_after, valid_until)?;
            Vec::new()
        }
        SET_BUDGET => {
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
            hook.set_budget(id, &members, &windows)?;
            Vec::new()
        }
        REMOVE_BUDGET => {
            hook.remove_budget(B256::from(*calldata::word(args, 0)?))?;
            Vec::new()
        }
        TOKEN_POLICY => {
            let policy =
                hook.token_policy(calldata::address(args, 0)?, calldata::address(args, WORD)?);
            let mut out = Vec::new();
            push_word(&mut out, calldata::uint(policy.valid_after));
            push_word(&mut out, calldata::uint(policy.valid_until));
            push_word(&mut out, uint128(policy.lifetime_cap));
            push_word(&mut out, uint128(policy.lifetime_spent));
            push_word(&mut out, uint128(policy.scale));
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
            out
        }
        BUDGET_STATE => {
            let id = B256::from(*calldata::word(args, WORD)?);
            let budget = hook.budget_state(calldata::address(args, 0)?, id);
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
                push_word(&mut out, uint128(*scale));
            }
            push_windows(&mut out, &budget.windows);
            out
        }
        BUDGETS => {
            let ids = hook.budgets(calldata::address(args, 0)?);
            let mut out = Vec::new();
            push_word(&mut out, calldata::uint(WORD as u64));
            push_word(&mut out, calldata::uint(ids.len() as u64));
            for id in ids {
                list::extend(&mut out, id.as_slice());
            }
            out
        }
        NAME => string_return(crate::contract::NAME),
        VERSION => string_return(crate::contract::VERSION),
        _ => return Ok(None),
    }))
}

/// A `bytes` argument whose head word is at `head`, following its offset as
/// Solidity's decoder does (any in-bounds offset).
fn bytes_arg(args: &[u8], head: usize) -> Read<Bytes> {
    let offset = calldata::offset(args, head)?;
    let len = calldata::offset(args, offset)?;
    let start = offset.checked_add(WORD).ok_or(Malformed)?;
    let value = calldata::slice(args, start, len)?;
    Ok(Bytes::from(list::copied(value)))
}

/// A `Window[]` argument whose head word is at `head`. A kind the hook does
/// not know is `InvalidWindow(index)`; values too wide for their type are a
/// decoding error, as in Solidity.
fn windows_arg(args: &[u8], head: usize) -> Result<Vec<Spec>, HookError> {
    let (items, count) = calldata::array_at(args, head, 4)?;
    if count > policy::MAX_WINDOWS {
        return Err(HookError::policy(abi::InvalidWindow {
            index: calldata::uint(policy::MAX_WINDOWS as u64),
        }));
    }
    let mut windows = list::with_capacity(count);
    for index in 0..count {
        let at = index.saturating_mul(4 * WORD);
        let [code, ..] = calldata::low_u64(&calldata::uint_bits(items, at, 8)?).to_le_bytes();
        let limit = calldata::uint_bits(items, at.saturating_add(WORD), 128)?;
        let duration = calldata::uint48(items, at.saturating_add(2 * WORD))?;
        let anchor = calldata::uint48(items, at.saturating_add(3 * WORD))?;
        let kind = Kind::from_code(code).ok_or_else(|| {
            HookError::policy(abi::InvalidWindow {
                index: calldata::uint(index as u64),
            })
        })?;
        let spec = Spec {
            kind,
            limit: calldata::low_u128(&limit),
            duration,
            anchor,
        };
        list::push(&mut windows, spec);
    }
    Ok(windows)
}

/// Words of one `WindowState`.
const WINDOW_STATE_WORDS: usize = 9;

/// Appends a `WindowState[]` tail: its length, then each window's words.
fn push_windows(out: &mut Vec<u8>, windows: &[WindowView]) {
    push_word(out, calldata::uint(windows.len() as u64));
    for WindowView {
        spec,
        shown,
        budget,
    } in windows
    {
        for word in [
            calldata::uint(u64::from(spec.kind.code())),
            uint128(spec.limit),
            calldata::uint(spec.duration),
            calldata::uint(spec.anchor),
            uint128(shown.spent),
            uint128(shown.remaining),
            calldata::uint(shown.start),
            calldata::uint(shown.resets_at),
        ] {
            push_word(out, word);
        }
        list::extend(out, budget.as_slice());
    }
}

/// Appends one ABI word. Kept out of line: a 256-bit byte swap inlined at
/// every call would cost program size on every route.
#[inline(never)]
fn push_word(out: &mut Vec<u8>, word: U256) {
    list::extend(out, &calldata::uint_to_be(&word));
}

/// A `bool` argument: Solidity refuses any word but 0 and 1.
fn bool_arg(args: &[u8], at: usize) -> Read<bool> {
    match calldata::uint_at(args, at)? {
        v if v.is_zero() => Ok(false),
        v if v == calldata::uint(1) => Ok(true),
        _ => Err(Malformed),
    }
}

/// A `uint256` return value (inlined: a function of its own costs more than it saves).
#[inline(always)]
fn uint_word(value: U256) -> Vec<u8> {
    list::copied(&calldata::uint_to_be(&value))
}

fn bool_word(value: bool) -> Vec<u8> {
    let mut word = [0u8; 32];
    word[31] = u8::from(value);
    list::copied(&word)
}

/// ABI-encodes a `string` return value.
fn string_return(value: &str) -> Vec<u8> {
    let mut out = list::with_capacity(3 * WORD);
    push_word(&mut out, calldata::uint(WORD as u64));
    push_bytes(&mut out, value.as_bytes());
    out
}

/// Appends a dynamic value's tail: its length, then its bytes, padded.
fn push_bytes(out: &mut Vec<u8>, value: &[u8]) {
    push_word(out, calldata::uint(value.len() as u64));
    list::extend(out, value);
    let padding =
        calldata::padded(value.len()).map_or(0, |padded| padded.saturating_sub(value.len()));
    // A local, not `&[0; WORD]`: a promoted constant would sit in the data
    // section, which every call pays for.
    let zeros = [0u8; WORD];
    list::extend(out, zeros.get(..padding).unwrap_or_default());
}
