//! The few Stylus host calls the hook makes, as safe functions.
//!
//! They call `vm_hooks` directly instead of going through the SDK's `dyn Host`
//! handle: a trait object keeps every host function and its glue alive in the
//! program (all 34 imports), which costs size and, through the entry cost,
//! gas on every call. Natively (motsu tests) the same symbols are motsu's.
//! This is the crate's only `unsafe` code.
#![allow(unsafe_code)]

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::hostio;

/// `msg.sender`.
pub fn msg_sender() -> Address {
    let mut out = Address::ZERO;
    // SAFETY: the host writes exactly 20 bytes to the pointer.
    unsafe { hostio::msg_sender(out.as_mut_ptr()) };
    out
}

/// `msg.value`.
pub fn msg_value() -> U256 {
    let mut out = B256::ZERO;
    // SAFETY: the host writes exactly 32 bytes to the pointer.
    unsafe { hostio::msg_value(out.as_mut_ptr()) };
    crate::calldata::uint_from_be(&out.0)
}

/// `address(this)`.
pub fn contract_address() -> Address {
    let mut out = Address::ZERO;
    // SAFETY: the host writes exactly 20 bytes to the pointer.
    unsafe { hostio::contract_address(out.as_mut_ptr()) };
    out
}

/// `block.timestamp`.
pub fn block_timestamp() -> u64 {
    // SAFETY: no pointers involved.
    unsafe { hostio::block_timestamp() }
}

/// Reads a storage slot (through the host's per-call slot cache).
pub fn storage_load(slot: U256) -> B256 {
    let key = crate::calldata::uint_to_be(&slot);
    let mut out = B256::ZERO;
    // SAFETY: both pointers are to 32-byte buffers, as the host expects.
    unsafe { hostio::storage_load_bytes32(key.as_ptr(), out.as_mut_ptr()) };
    out
}

/// Writes a storage slot into the host's cache; the entry point flushes it.
pub fn storage_store(slot: U256, value: B256) {
    let key = crate::calldata::uint_to_be(&slot);
    // SAFETY: both pointers are to 32-byte buffers, as the host expects. The
    // crate declares no SDK storage types that could hold a stale copy.
    unsafe { hostio::storage_cache_bytes32(key.as_ptr(), value.as_ptr()) };
}

/// Emits `log`: `topics` words (at most 4), then the data.
pub fn emit_log(log: &[u8], topics: usize) {
    // SAFETY: the pointer and length describe `log`, which outlives the call.
    unsafe { hostio::emit_log(log.as_ptr(), log.len(), topics) };
}
