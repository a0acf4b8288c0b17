//! Arguments out of calldata and return values into it, as Solidity
//! encodes them, for the handlers of [`crate::functions`]. Written by hand
//! instead of alloy's generic coder, which costs kilobytes of program per
//! type; the end-to-end tests check every function against alloy's encoding.

use alloc::vec::Vec;

use alloy_primitives::U256;
use spending_limit_hook::abi;
use spending_limit_hook::calldata::{self, Malformed, Read, WORD};
use spending_limit_hook::error::HookError;
use spending_limit_hook::list;
use spending_limit_hook::policy::{self, WindowView};
use spending_limit_hook::slots::uint128;
use spending_limit_hook::window::{Kind, Spec};

/// A `bytes` argument whose head word is at `head`, following its offset as
/// Solidity's decoder does (any in-bounds offset).
#[inline]
pub fn bytes_arg(args: &[u8], head: usize) -> Read<Vec<u8>> {
    let offset = calldata::offset(args, head)?;
    let len = calldata::offset(args, offset)?;
    let start = offset.checked_add(WORD).ok_or(Malformed)?;
    let value = calldata::slice(args, start, len)?;
    Ok(list::copied(value))
}

/// A `Window[]` argument whose head word is at `head`. A kind the hook does
/// not know is `InvalidWindow(index)`; values too wide for their type are a
/// decoding error, as in Solidity.
pub fn windows_arg(args: &[u8], head: usize) -> Result<Vec<Spec>, HookError> {
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
pub const WINDOW_STATE_WORDS: usize = 9;

/// Appends a `WindowState[]` tail: its length, then each window's words.
pub fn push_windows(out: &mut Vec<u8>, windows: &[WindowView]) {
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
pub fn push_word(out: &mut Vec<u8>, word: U256) {
    list::extend(out, &calldata::uint_to_be(&word));
}

/// A `bool` argument: Solidity refuses any word but 0 and 1.
#[inline]
pub fn bool_arg(args: &[u8], at: usize) -> Read<bool> {
    match calldata::uint_at(args, at)? {
        v if v.is_zero() => Ok(false),
        v if v == calldata::uint(1) => Ok(true),
        _ => Err(Malformed),
    }
}

/// A `uint256` return value (inlined: a function of its own costs more than it saves).
#[inline(always)]
pub fn uint_word(value: U256) -> Vec<u8> {
    list::copied(&calldata::uint_to_be(&value))
}

/// A `bool` return value.
pub fn bool_word(value: bool) -> Vec<u8> {
    let mut word = [0u8; 32];
    word[31] = u8::from(value);
    list::copied(&word)
}

/// ABI-encodes a `string` return value.
#[inline]
pub fn string_return(value: &str) -> Vec<u8> {
    let mut out = list::with_capacity(3 * WORD);
    push_word(&mut out, calldata::uint(WORD as u64));
    push_bytes(&mut out, value.as_bytes());
    out
}

/// Appends a dynamic value's tail: its length, then its bytes, padded.
pub fn push_bytes(out: &mut Vec<u8>, value: &[u8]) {
    push_word(out, calldata::uint(value.len() as u64));
    list::extend(out, value);
    let padding =
        calldata::padded(value.len()).map_or(0, |padded| padded.saturating_sub(value.len()));
    // A local, not `&[0; WORD]`: a promoted constant would sit in the data
    // section, which every call pays for.
    let zeros = [0u8; WORD];
    list::extend(out, zeros.get(..padding).unwrap_or_default());
}
