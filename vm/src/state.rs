//! What persists between calls (storage) and what a transaction remembers
//! (warm slots, values at its start, memory opened), with the EVM's storage
//! pricing: EIP-2929 warm/cold and EIP-2200 SSTORE.

use std::collections::{HashMap, HashSet};

use alloy_primitives::{Address, B256, U256};

use crate::pricing::{
    COLD_ACCOUNT_GAS, COLD_SLOAD_GAS, SSTORE_RESET_GAS, SSTORE_SET_GAS, WARM_ACCOUNT_GAS,
    WARM_SLOAD_GAS,
};

/// A storage key: the contract and the slot.
pub type Key = (Address, U256);

/// Contract storage, as committed by successful calls.
#[derive(Debug, Default, Clone)]
pub struct World {
    slots: HashMap<Key, B256>,
}

impl World {
    /// The committed value of `key`.
    pub fn get(&self, key: &Key) -> B256 {
        self.slots.get(key).copied().unwrap_or_default()
    }

    /// Commits `value` to `key`.
    pub fn set(&mut self, key: Key, value: B256) {
        if value.is_zero() {
            self.slots.remove(&key);
        } else {
            self.slots.insert(key, value);
        }
    }

    /// Every non-zero slot of `contract`.
    pub fn slots_of(&self, contract: Address) -> Vec<(U256, B256)> {
        let mut slots: Vec<_> = self
            .slots
            .iter()
            .filter(|((c, _), _)| *c == contract)
            .map(|((_, s), v)| (*s, *v))
            .collect();
        slots.sort();
        slots
    }
}

/// What one transaction remembers across its calls.
#[derive(Debug, Default, Clone)]
pub struct TxState {
    /// Slots accessed so far (EIP-2929).
    pub warm: HashSet<Key>,
    /// Accounts accessed so far (EIP-2929): the first call to an address in a
    /// transaction pays the cold price.
    pub warm_accounts: HashSet<Address>,
    /// Each touched slot's value when the transaction started (EIP-2200).
    pub original: HashMap<Key, B256>,
    /// WASM memory pages open so far in the transaction.
    pub open_pages: u64,
}

impl TxState {
    /// Gas of an SLOAD of `key` whose current value is `current`; warms it.
    pub fn sload_gas(&mut self, key: Key, current: B256) -> u64 {
        self.original.entry(key).or_insert(current);
        if self.warm.insert(key) {
            COLD_SLOAD_GAS
        } else {
            WARM_SLOAD_GAS
        }
    }

    /// EIP-2929 price of touching `address` (a call, `EXTCODESIZE`); warms it.
    pub fn account_gas(&mut self, address: Address) -> u64 {
        if self.warm_accounts.insert(address) {
            COLD_ACCOUNT_GAS
        } else {
            WARM_ACCOUNT_GAS
        }
    }

    /// Gas of an SSTORE of `new` over `current` at `key` (EIP-2200 with
    /// EIP-2929's cold surcharge); warms it.
    pub fn sstore_gas(&mut self, key: Key, current: B256, new: B256) -> u64 {
        let original = *self.original.entry(key).or_insert(current);
        let cold = if self.warm.insert(key) {
            COLD_SLOAD_GAS
        } else {
            0
        };
        let base = if new == current {
            WARM_SLOAD_GAS
        } else if current == original {
            if original.is_zero() {
                SSTORE_SET_GAS
            } else {
                SSTORE_RESET_GAS
            }
        } else {
            WARM_SLOAD_GAS
        };
        cold + base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(slot: u64) -> Key {
        (Address::ZERO, U256::from(slot))
    }

    #[test]
    fn sload_is_cold_once_per_transaction() {
        let mut tx = TxState::default();
        assert_eq!(tx.sload_gas(key(1), B256::ZERO), 2_100);
        assert_eq!(tx.sload_gas(key(1), B256::ZERO), 100);
        assert_eq!(TxState::default().sload_gas(key(1), B256::ZERO), 2_100);
    }

    #[test]
    fn sstore_follows_eip_2200() {
        let one = B256::with_last_byte(1);
        let two = B256::with_last_byte(2);
        let mut tx = TxState::default();
        // Fresh slot, cold: 20,000 + 2,100.
        assert_eq!(tx.sstore_gas(key(1), B256::ZERO, one), 22_100);
        // Written again in the same transaction: dirty, 100.
        assert_eq!(tx.sstore_gas(key(1), one, two), 100);
        // A clean non-zero slot read first: 2,900.
        let mut tx = TxState::default();
        tx.sload_gas(key(2), one);
        assert_eq!(tx.sstore_gas(key(2), one, two), 2_900);
        // A no-op store: 100.
        assert_eq!(tx.sstore_gas(key(2), two, two), 100);
    }
}
