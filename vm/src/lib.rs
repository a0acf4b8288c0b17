//! A local Stylus VM: runs a Stylus program's deployable WASM offline, with
//! Nitro's host functions, storage semantics, logs and gas.
pub mod artifact;
pub mod pricing;
