//! The hook's storage and logs on the Stylus host.

use alloy_primitives::{B256, U256};
use spending_limit_hook::env::Env;

use crate::host;

/// Storage through the host's per-call slot cache (flushed by the entry
/// point), logs through `emit_log`.
#[derive(Debug, Default, Clone, Copy)]
pub struct HostEnv;

impl Env for HostEnv {
    fn load(&mut self, slot: U256) -> B256 {
        host::storage_load(slot)
    }

    fn store(&mut self, slot: U256, value: B256) {
        host::storage_store(slot, value)
    }

    fn emit(&mut self, log: &[u8], topics: usize) {
        host::emit_log(log, topics)
    }
}
