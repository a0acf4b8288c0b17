//! The few Stylus host calls the hook makes, as safe functions.
//!
//! They call `vm_hooks` directly instead of going through the SDK's `dyn Host`
//! handle: a trait object keeps every host function and its glue alive in the
//! program (all 34 imports), which costs size and, through the entry cost,
//! gas on every call. Natively (motsu tests) the same symbols are motsu's.
//! With `spending_limit_hook::list`, this is the only `unsafe` code the
//! programs have.
#![allow(unsafe_code)]

use alloy_primitives::{Address, B256, U256};
#[cfg(target_arch = "wasm32")]
use spending_limit_hook::list;
use spending_limit_hook::{calldata, window};
use stylus_sdk::hostio;

/// `msg.sender`.
#[inline]
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
    calldata::uint_from_be(&out.0)
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

/// The time the hook's windows see: the block's, clamped to what a window
/// can hold.
#[inline]
pub fn now() -> u64 {
    window::clamp_time(block_timestamp())
}

/// Reads a storage slot (through the host's per-call slot cache).
pub fn storage_load(slot: U256) -> B256 {
    let key = calldata::uint_to_be(&slot);
    let mut out = B256::ZERO;
    // SAFETY: both pointers are to 32-byte buffers, as the host expects.
    unsafe { hostio::storage_load_bytes32(key.as_ptr(), out.as_mut_ptr()) };
    out
}

/// Writes a storage slot into the host's cache; the entry point flushes it.
pub fn storage_store(slot: U256, value: B256) {
    let key = calldata::uint_to_be(&slot);
    // SAFETY: both pointers are to 32-byte buffers, as the host expects. The
    // crate declares no SDK storage types that could hold a stale copy.
    unsafe { hostio::storage_cache_bytes32(key.as_ptr(), value.as_ptr()) };
}

/// Whether this call re-enters the program (the SDK's entry point refuses
/// that unless built `reentrant`; so does ours).
#[cfg(target_arch = "wasm32")]
pub fn msg_reentrant() -> bool {
    // SAFETY: no pointers involved.
    unsafe { hostio::msg_reentrant() }
}

/// The call's calldata, `len` bytes as the entry point was told.
#[cfg(target_arch = "wasm32")]
pub fn read_args(len: usize) -> alloc::vec::Vec<u8> {
    let mut input = list::zeroed(len);
    // SAFETY: the host writes exactly `len` bytes, and `input` holds `len`.
    unsafe { hostio::read_args(input.as_mut_ptr()) };
    input
}

/// Sets the call's return or revert data.
#[cfg(target_arch = "wasm32")]
pub fn write_result(data: &[u8]) {
    // SAFETY: the pointer and length describe `data`, which outlives the call.
    unsafe { hostio::write_result(data.as_ptr(), data.len()) };
}

/// Writes the slots cached by [`storage_store`] back, keeping the cache.
#[cfg(target_arch = "wasm32")]
pub fn storage_flush() {
    // SAFETY: no pointers involved.
    unsafe { hostio::storage_flush_cache(false) };
}

/// Pays for no new pages. Nitro's activation inserts calls to this import
/// wherever memory grows, so the program must import it, as the SDK's entry
/// point does by calling it once (8,700 ink, under a gas).
#[cfg(target_arch = "wasm32")]
pub fn import_pay_for_memory_grow() {
    // SAFETY: no pointers involved.
    unsafe { hostio::pay_for_memory_grow(0) };
}

/// Emits `log`: `topics` words (at most 4), then the data.
pub fn emit_log(log: &[u8], topics: usize) {
    // SAFETY: the pointer and length describe `log`, which outlives the call.
    unsafe { hostio::emit_log(log.as_ptr(), log.len(), topics) };
}

/// `EXTCODESIZE`: the bytes of code at `address` (0 for none).
pub fn code_len(address: Address) -> usize {
    // SAFETY: the host reads exactly 20 bytes from the pointer.
    unsafe { hostio::account_code_size(address.as_ptr()) }
}

/// `DELEGATECALL`s `program` with `calldata` and all the gas the 63/64 rule
/// allows: whether it succeeded, and what it returned or reverted with.
#[cfg(target_arch = "wasm32")]
pub fn delegate_call(program: Address, calldata: &[u8]) -> (bool, alloc::vec::Vec<u8>) {
    let mut len = 0usize;
    // SAFETY: 20 bytes of address, `calldata` as pointer and length, and a
    // `usize` the host writes the return data's length to.
    let status = unsafe {
        hostio::delegate_call_contract(
            program.as_ptr(),
            calldata.as_ptr(),
            calldata.len(),
            u64::MAX,
            &mut len,
        )
    };
    let mut data = list::zeroed(len);
    // SAFETY: `data` holds `len` bytes, which is what the host has to copy.
    unsafe { hostio::read_return_data(data.as_mut_ptr(), 0, len) };
    (status == 0, data)
}
