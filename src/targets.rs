//! Protected targets: contracts an account names that none of its
//! executions may call or send value to, wherever they sit in a batch (its
//! validators and other modules, the EntryPoint, an allowlist hook). The
//! targets every account has without naming them (the hook, the account
//! itself, the multiplexer it is called through) are in [`crate::check`].
//!
//! The list is kept for views and clearing; a lookup reads one slot of the
//! `isProtected` mapping per target, and only for an account that has a
//! list (its word, and every tracked token's hot word, say so).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256};

use crate::abi;
use crate::calldata;
use crate::env::Env;
use crate::error::HookError;
use crate::events::{self, Subject};
use crate::ledger::{self, AccountKey, AccountState};
use crate::list;
pub use crate::slots::MAX_PROTECTED_TARGETS;
use crate::slots::{address_of, address_word, clear};

/// Whether `target` is one of the account's protected targets.
pub fn is_protected(env: &mut dyn Env, key: &AccountKey, target: Address) -> bool {
    !env.load(key.is_protected_slot(target)).is_zero()
}

/// The account's protected targets, in the order set.
pub fn list(env: &mut dyn Env, key: &AccountKey) -> Vec<Address> {
    let count = usize::from(ledger::account(env, key).protected_count);
    let mut targets = list::with_capacity(count);
    for index in 0..count.min(MAX_PROTECTED_TARGETS) {
        list::push(
            &mut targets,
            address_of(env.load(key.protected_slot(index))),
        );
    }
    targets
}

/// Replaces the account's protected targets with `targets`: at most
/// [`MAX_PROTECTED_TARGETS`], none zero, none twice
/// (`InvalidProtectedTargets`); nothing changes when they are refused.
/// Emits `ProtectedTargetsSet`, then `ProtectedTargetSet` for each.
pub fn set(
    env: &mut dyn Env,
    key: &AccountKey,
    state: &mut AccountState,
    targets: &[Address],
) -> Result<(), HookError> {
    let invalid = |target: Address| {
        HookError::InvalidProtectedTargets(abi::InvalidProtectedTargets {
            target,
            max: calldata::uint(MAX_PROTECTED_TARGETS as u64),
        })
    };
    if targets.len() > MAX_PROTECTED_TARGETS {
        return Err(invalid(Address::ZERO));
    }
    for (index, target) in targets.iter().enumerate() {
        let earlier = targets.get(..index).unwrap_or_default();
        if *target == Address::ZERO || earlier.contains(target) {
            return Err(invalid(*target));
        }
    }
    forget(env, key, state);
    for (index, target) in targets.iter().enumerate() {
        env.store(key.protected_slot(index), address_word(*target));
        env.store(key.is_protected_slot(*target), B256::with_last_byte(1));
    }
    // At most 16: the count fits its byte.
    let count = u8::try_from(targets.len()).unwrap_or(u8::MAX);
    ledger::set_protected_count(env, key, state, count);
    events::emit(
        env,
        events::topic!(abi::ProtectedTargetsSet),
        key.account,
        Subject::None,
        &[calldata::uint(u64::from(count))],
    );
    for target in targets {
        events::emit(
            env,
            events::topic!(abi::ProtectedTargetSet),
            key.account,
            Subject::Token(*target),
            &[],
        );
    }
    Ok(())
}

/// Clears the list and its lookups (the count in the account word is the
/// caller's to write: [`set`] rewrites it, uninstall clears the word).
pub fn forget(env: &mut dyn Env, key: &AccountKey, state: &AccountState) {
    for index in 0..usize::from(state.protected_count).min(MAX_PROTECTED_TARGETS) {
        let slot = key.protected_slot(index);
        let target = address_of(env.load(slot));
        clear(env, key.is_protected_slot(target));
        clear(env, slot);
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // tests
mod tests {
    use super::*;
    use crate::env::MemoryEnv;
    use crate::lifecycle;

    const ACCOUNT: Address = Address::repeat_byte(0xac);

    fn installed() -> (MemoryEnv, AccountKey) {
        let mut env = MemoryEnv::default();
        let data = crate::encode::install_data(
            Address::ZERO,
            &[(
                Address::repeat_byte(0x70),
                alloy_primitives::U256::from(1_000),
                3_600,
            )],
        );
        lifecycle::install(&mut env, ACCOUNT, &data, 1_000).unwrap();
        (env, AccountKey::new(ACCOUNT))
    }

    #[test]
    fn a_list_replaces_the_last_and_each_target_is_looked_up() {
        let (mut env, key) = installed();
        let (a, b, c) = (
            Address::repeat_byte(1),
            Address::repeat_byte(2),
            Address::repeat_byte(3),
        );
        let mut state = ledger::account(&mut env, &key);
        set(&mut env, &key, &mut state, &[a, b]).unwrap();
        assert_eq!(list(&mut env, &key), [a, b]);
        assert!(is_protected(&mut env, &key, a) && is_protected(&mut env, &key, b));
        assert!(!is_protected(&mut env, &key, c));
        set(&mut env, &key, &mut state, &[c]).unwrap();
        assert_eq!(list(&mut env, &key), [c]);
        assert!(!is_protected(&mut env, &key, a) && !is_protected(&mut env, &key, b));
        assert!(is_protected(&mut env, &key, c));
        set(&mut env, &key, &mut state, &[]).unwrap();
        assert!(list(&mut env, &key).is_empty());
        assert!(!is_protected(&mut env, &key, c));
        assert!(!ledger::account(&mut env, &key).guards());
    }

    #[test]
    fn too_many_a_zero_or_a_repeated_target_is_refused_and_changes_nothing() {
        let (mut env, key) = installed();
        let mut state = ledger::account(&mut env, &key);
        set(&mut env, &key, &mut state, &[Address::repeat_byte(9)]).unwrap();
        let before = env.slots.clone();
        let many: Vec<Address> = (1..=17).map(Address::with_last_byte).collect();
        let max = calldata::uint(16);
        for (targets, target) in [
            (many.as_slice(), Address::ZERO),
            (&[Address::ZERO][..], Address::ZERO),
            (
                &[Address::repeat_byte(4), Address::repeat_byte(4)][..],
                Address::repeat_byte(4),
            ),
        ] {
            assert_eq!(
                set(&mut env, &key, &mut state, targets),
                Err(HookError::InvalidProtectedTargets(
                    abi::InvalidProtectedTargets { target, max }
                ))
            );
            assert_eq!(env.slots, before);
        }
        let sixteen: Vec<Address> = (1..=16).map(Address::with_last_byte).collect();
        set(&mut env, &key, &mut state, &sixteen).unwrap();
        assert_eq!(list(&mut env, &key), sixteen);
    }
}
