//! What the spending-limit hook's tests share, so that no test includes
//! another's files: call builders ([`calls`]), the hook as deployed for
//! motsu ([`harness`]), transactions over the in-memory store ([`memory`]),
//! and properties that report how many cases they ran ([`property`]).

// Tests' helpers: a panic is a failing test, and arithmetic is on small
// literals.
#![allow(
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]

// The SDK's `#[storage]` expands to paths through `alloc`.
extern crate alloc;

pub mod calls;
pub mod harness;
pub mod memory;
pub mod property;

pub use spending_limit_config_program as config_program;
pub use spending_limit_hook_program as hook_program;
pub use spending_limit_stylus::interface;

// motsu supplies, natively, the host functions the programs link.
use motsu as _;
