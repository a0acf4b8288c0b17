//! A program's entry point, and the checks every call goes through before
//! its function runs.

use alloc::vec::Vec;

use spending_limit_hook::calldata;
use spending_limit_hook::error::HookError;
use stylus_sdk::ArbResult;

use crate::host;

/// A program's routing table: the function for `selector`, run on the whole
/// calldata `input` and its arguments `args`, or `Ok(None)` when the program
/// does not serve it.
pub type Route = fn(u32, &[u8], &[u8]) -> Result<Option<Vec<u8>>, HookError>;

/// Runs `route` on one call. Every function is non-payable, as in the
/// reference: value with any call reverts with empty data, like Solidity's
/// check, and so does calldata too short for a selector. `None` when the
/// program does not serve the selector.
pub fn serve(input: &[u8], route: Route) -> Option<ArbResult> {
    if !host::msg_value().is_zero() {
        return Some(Err(Vec::new()));
    }
    let Some(selector) = calldata::selector(input) else {
        return Some(Err(Vec::new()));
    };
    let args = calldata::tail(input, 4).unwrap_or_default();
    match route(u32::from_be_bytes(selector), input, args) {
        Ok(Some(output)) => Some(Ok(output)),
        Ok(None) => None,
        Err(error) => Some(Err(error.encode())),
    }
}

/// Runs one call of a program, as the SDK's `#[entrypoint]` would: refuse
/// reentry, import `pay_for_memory_grow` (Nitro charges memory growth
/// through it, and refuses a growable memory without it), read the
/// calldata, run `program`, flush the storage cache, set the result.
/// Returns 0 for success, 1 for a revert. Unlike the SDK's, it makes the
/// calldata buffer through `spending_limit_hook::list`: the SDK's
/// `Vec::with_capacity` would link in `alloc`'s failure handler, whose text
/// every call pays for.
#[cfg(target_arch = "wasm32")]
pub fn run(len: usize, program: impl FnOnce(&[u8]) -> ArbResult) -> usize {
    if host::msg_reentrant() {
        return 1;
    }
    host::import_pay_for_memory_grow();
    let input = host::read_args(len);
    let (output, status) = match program(&input) {
        Ok(output) => (output, 0),
        Err(output) => (output, 1),
    };
    host::storage_flush();
    host::write_result(&output);
    status
}

/// Nothing in the programs is meant to panic (clippy denies every way to);
/// if something does, trap without carrying formatting machinery into the
/// program.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
