//! What the spending-limit hook's two Stylus programs share: the host calls
//! they make, the storage behind [`spending_limit_hook::env::Env`] on the
//! host, the entry point, and, for every function of the interface, its
//! handler (arguments in, the hook's logic, result out).
//!
//! Each program crate (`programs/hook`, `programs/config`) is a routing table
//! over [`functions`]: which selectors it serves, which it hands on. The
//! logic itself is chain-independent and lives in `spending-limit-hook`;
//! this crate is the only one that touches the host (with its SAFETY notes
//! in [`host`]).

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod codec;
pub mod entry;
pub mod env;
pub mod functions;
pub mod host;
#[cfg(not(target_arch = "wasm32"))]
pub mod interface;
pub mod selectors;

// Natively (tests, tools) motsu supplies the `vm_hooks` symbols, keccak among
// them, that the wasm build imports from the host.
#[cfg(test)]
use motsu as _;
