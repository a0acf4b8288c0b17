//! A local Stylus VM: runs a Stylus program's deployable WASM offline, through
//! its ABI, with Nitro's host functions, storage semantics, logs and gas.
//!
//! - [`activation`]: every rule Nitro applies when it activates a program,
//!   and the entry costs it records.
//! - [`artifact`]: the program as cargo-stylus deploys it, and back.
//! - [`meter`]: ink metering inserted into the module, as Nitro does.
//! - [`pricing`]: every price, with its source.
//! - [`host`]: the `vm_hooks` imports.
//! - [`state`]: storage, warm/cold, EIP-2200.
//! - [`vm`]: deploy, transactions, calls, gas reports.

pub mod activation;
pub mod artifact;
pub mod host;
pub mod meter;
pub mod pricing;
pub mod state;
pub mod vm;

pub use host::Log;
pub use vm::{Call, DeployError, GasReport, LocalVm, Outcome, Status};
