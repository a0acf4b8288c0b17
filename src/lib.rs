//! An ERC-7579 hook (module type 4) that caps what a smart account may spend,
//! per token and per time window, written for Arbitrum Stylus.
//!
//! It is a drop-in replacement for SmartAgentKit's Solidity `SpendingLimitHook`:
//! the same selectors, errors, events and install data, with fewer bypasses
//! (canonical decoding, `executeUserOp` unwrapped, duplicate tokens refused, no
//! arithmetic panics), and with policies beyond it (a dry run, an emergency
//! pause, per-call caps, denying tokens without a limit, extra fixed, aligned
//! and sliding windows, lifetime caps, validity periods, budgets shared by
//! several tokens).
//!
//! One call's way through the crate: [`dispatch`] routes the raw calldata;
//! for `preCheck`, [`check`] runs the steps: [`account`] resolves whose budget
//! it is, [`execution`] decodes what the account will do, [`outflow`] says what
//! that spends, [`ledger`] charges it using [`window`] arithmetic, and
//! [`policy`] checks what goes beyond the reference window. The account's
//! own changes (install, limits, policies) are in [`lifecycle`]; on chain
//! most of those run in a second program, [`config_program`]. Where each
//! word lives is in [`slots`]; logs are encoded in [`events`]. Storage and
//! logs go through [`env`](mod@env), so all of it also runs in memory.

#![cfg_attr(target_arch = "wasm32", no_std)]
// The ABI exporter generates an undocumented `print_from_args`.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

pub use contract::{SpendingLimitHook, MODULE_TYPE_HOOK, NAME, VERSION};

pub mod abi;
pub mod account;
pub mod calldata;
pub mod check;
pub mod config_program;
// The SDK's `#[storage]` expands to a `vec!` the program never runs; the
// artifact test in `vm/tests/program.rs` is what holds this module to `list`.
#[allow(clippy::disallowed_macros)]
mod contract;
pub mod dispatch;
pub mod encode;
pub mod env;
pub mod error;
pub mod events;
pub mod execution;
pub mod host;
pub mod install;
pub mod ledger;
pub mod lifecycle;
pub mod list;
pub mod outflow;
pub mod policy;
pub mod slots;
pub mod window;

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // Nothing in the contract is meant to panic; if something does, trap
    // without carrying formatting machinery into the binary.
    core::arch::wasm32::unreachable()
}

#[cfg(feature = "export-abi")]
pub use contract::print_from_args;

// Unit tests run natively: motsu supplies the `vm_hooks` symbols (keccak among
// them) that the wasm build imports from the host.
#[cfg(test)]
use motsu as _;
