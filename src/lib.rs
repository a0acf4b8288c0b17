//! The logic of an ERC-7579 hook (module type 4) that caps what a smart
//! account may spend, per token and per time window: everything but the
//! chain. Its Stylus programs (`programs/hook`, `programs/config`, through
//! `spending-limit-stylus`) run it on Arbitrum; tests run it in memory with
//! any clock.
//!
//! It is a drop-in replacement for SmartAgentKit's Solidity `SpendingLimitHook`:
//! the same selectors, errors, events and install data, with fewer bypasses
//! (canonical decoding, `executeUserOp` unwrapped, duplicate tokens refused, no
//! arithmetic panics), and with policies beyond it (a dry run, an emergency
//! pause, per-call caps, denying tokens without a limit, extra fixed, aligned
//! and sliding windows, lifetime caps, validity periods, budgets shared by
//! several tokens).
//!
//! One `preCheck`'s way through the crate: [`check`] runs the steps:
//! [`account`] resolves whose budget it is, [`execution`] decodes what the
//! account will do, [`outflow`] says what that spends, [`ledger`] charges it
//! using [`window`] arithmetic, and [`policy`] checks what goes beyond the
//! reference window; [`targets`] holds the account's protected targets.
//! The account's own changes (install, limits, policies) are in
//! [`lifecycle`]; the deployment's own state (which config program
//! the hook program hands calls to) in [`config_program`]. Where each word
//! lives is in [`slots`]; logs are encoded in [`events`], errors in
//! [`error`]. Storage and logs go through [`env`](mod@env), so all of it
//! runs on any backend.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod abi;
pub mod account;
pub mod calldata;
pub mod check;
pub mod config_program;
pub mod encode;
pub mod env;
pub mod error;
pub mod events;
pub mod execution;
pub mod install;
pub mod ledger;
pub mod lifecycle;
pub mod list;
pub mod outflow;
pub mod policy;
pub mod slots;
pub mod targets;
pub mod window;

// Unit tests run natively, where the tests' crates bring the host's keccak
// in (through the SDK): motsu supplies it, with the other `vm_hooks` symbols.
#[cfg(test)]
use motsu as _;
