//! The three things the ledger needs from a chain: read a slot, write a slot,
//! emit a log. Behind a trait so that the same ledger code runs on the Stylus
//! host (`spending_limit_stylus::env::HostEnv`), in memory for unit and
//! property tests (with any clock), and in a write-discarding overlay for
//! dry runs.

use alloc::{collections::BTreeMap, vec::Vec};

use alloy_primitives::{B256, U256};

/// Storage and logs, as the ledger sees them.
pub trait Env {
    /// The current value of `slot`.
    fn load(&mut self, slot: U256) -> B256;
    /// Sets `slot` to `value` (the host writes it back when the call ends).
    fn store(&mut self, slot: U256, value: B256);
    /// Emits a log laid out as the Stylus host takes it: `topics` words, then
    /// the ABI-encoded data (so the event encoder writes it once, in place).
    fn emit(&mut self, log: &[u8], topics: usize);
}

/// A log as [`MemoryEnv`] records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedLog {
    /// Topic 0 first.
    pub topics: Vec<B256>,
    /// ABI-encoded non-indexed fields.
    pub data: Vec<u8>,
}

/// Storage in a map and logs in a list: for tests, and as the base of dry runs.
#[derive(Debug, Default, Clone)]
pub struct MemoryEnv {
    /// Every slot ever written with a non-zero value.
    pub slots: BTreeMap<U256, B256>,
    /// Every log, oldest first.
    pub logs: Vec<RecordedLog>,
}

// Never part of the program (tests and dry runs off chain), so it records logs
// with `Vec` freely.
#[allow(clippy::disallowed_methods)]
impl Env for MemoryEnv {
    fn load(&mut self, slot: U256) -> B256 {
        self.slots.get(&slot).copied().unwrap_or_default()
    }

    fn store(&mut self, slot: U256, value: B256) {
        if value.is_zero() {
            self.slots.remove(&slot);
        } else {
            self.slots.insert(slot, value);
        }
    }

    fn emit(&mut self, log: &[u8], topics: usize) {
        let (topics, data) = log.split_at(topics.saturating_mul(32).min(log.len()));
        self.logs.push(RecordedLog {
            topics: topics.chunks(32).map(B256::from_slice).collect(),
            data: data.to_vec(),
        });
    }
}

/// Reads through to `base`, keeps writes and logs to itself: a dry run sees its
/// own effects, and the chain sees none of them. The writes are a short list
/// searched linearly (a preCheck writes a few slots per token it touches),
/// which keeps map code out of the program.
pub struct Overlay<'a> {
    base: &'a mut dyn Env,
    writes: Vec<(U256, B256)>,
}

impl<'a> Overlay<'a> {
    /// An overlay with no writes yet.
    pub fn new(base: &'a mut dyn Env) -> Self {
        Self {
            base,
            writes: Vec::new(),
        }
    }
}

impl Env for Overlay<'_> {
    fn load(&mut self, slot: U256) -> B256 {
        match self.writes.iter().find(|(s, _)| *s == slot) {
            Some((_, value)) => *value,
            None => self.base.load(slot),
        }
    }

    fn store(&mut self, slot: U256, value: B256) {
        match self.writes.iter_mut().find(|(s, _)| *s == slot) {
            Some(entry) => entry.1 = value,
            None => crate::list::push(&mut self.writes, (slot, value)),
        }
    }

    fn emit(&mut self, _log: &[u8], _topics: usize) {}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;

    #[test]
    fn overlay_sees_its_writes_and_leaves_the_base_alone() {
        let mut base = MemoryEnv::default();
        base.store(U256::from(1), B256::with_last_byte(1));
        {
            let mut overlay = Overlay::new(&mut base);
            overlay.store(U256::from(1), B256::with_last_byte(2));
            overlay.store(U256::from(2), B256::with_last_byte(3));
            overlay.emit(&[0; 32], 1);
            assert_eq!(overlay.load(U256::from(1)), B256::with_last_byte(2));
            assert_eq!(overlay.load(U256::from(2)), B256::with_last_byte(3));
        }
        assert_eq!(base.load(U256::from(1)), B256::with_last_byte(1));
        assert_eq!(base.load(U256::from(2)), B256::ZERO);
        assert!(base.logs.is_empty());
    }
}
