//! The hook is deployed as two Stylus programs, because all of it does not
//! fit the size at which a program stays cheap to enter.
//!
//! Every call's entry cost grows with the program (uncached, about 8 gas a
//! function and 0.13 gas a byte), and the hook runs on every execution of
//! every account. So the *hook program*, the address accounts install, holds
//! only what an execution or a frequent call runs (its routing table is in
//! `programs/hook`); everything else (installation, the settings beyond
//! `setSpendingLimit`, the other views) is the *config program*
//! (`programs/config`). Both run this crate's logic.
//! The hook program hands a call it does not serve to the config program by
//! `DELEGATECALL`, so the config program runs in the hook's storage, at the
//! hook's address, for the same `msg.sender` and `msg.value`: to an account
//! or a frontend there is one contract with one ABI, and events come from
//! the hook's address.
//!
//! The config program's address is fixed once, by the hook's constructor,
//! which the Stylus deployer calls in the same transaction as it deploys and
//! activates the hook (`scripts/deploy.sh`); nothing can change it later.
//! The constructor refuses an address without code: a `DELEGATECALL` to one
//! would succeed and do nothing, so every setting would silently be lost.
//! A hook whose constructor never ran refuses every call it would hand on
//! with `InvalidConfigProgram(0)`.
//!
//! Both programs share [`crate::slots`]' layout by construction (this crate);
//! the config program's own storage is never used.

use alloy_primitives::Address;

use crate::abi;
use crate::env::Env;
use crate::error::HookError;
use crate::slots::{self, CONFIG_PROGRAM_SLOT};

/// [`CONFIG_PROGRAM_SLOT`], made at run time: a constant slot handed to
/// [`Env`] by reference would be placed in the data section, which every
/// call pays for at entry (measured: 23 gas on every uncached call).
#[inline]
fn slot() -> alloy_primitives::U256 {
    crate::calldata::uint(core::hint::black_box(CONFIG_PROGRAM_SLOT.as_limbs()[0]))
}

/// The hook program's constructor, as deploy tools read it.
pub const CONSTRUCTOR: &str = "constructor(address configProgram)";

/// The config program the constructor set (zero before it ran).
pub fn address(env: &mut impl Env) -> Address {
    slots::address_of(env.load(slot()))
}

/// The constructor: sets the config program once. `code_len` is the
/// program's code size as the chain reports it.
pub fn construct(env: &mut impl Env, program: Address, code_len: usize) -> Result<(), HookError> {
    let set = address(env);
    if set != Address::ZERO {
        return Err(invalid(set));
    }
    if program == Address::ZERO || code_len == 0 {
        return Err(invalid(program));
    }
    env.store(slot(), slots::address_word(program));
    Ok(())
}

/// The config program to hand a call to, or the error a hook without one
/// reverts with.
pub fn target(env: &mut impl Env) -> Result<Address, HookError> {
    match address(env) {
        Address::ZERO => Err(invalid(Address::ZERO)),
        program => Ok(program),
    }
}

fn invalid(program: Address) -> HookError {
    HookError::policy(abi::InvalidConfigProgram { program })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::MemoryEnv;

    const PROGRAM: Address = Address::repeat_byte(0xc0);

    #[test]
    fn the_constructor_sets_the_program_once() {
        let mut env = MemoryEnv::default();
        assert_eq!(target(&mut env), Err(invalid(Address::ZERO)));
        assert_eq!(construct(&mut env, PROGRAM, 1_000), Ok(()));
        assert_eq!(address(&mut env), PROGRAM);
        assert_eq!(target(&mut env), Ok(PROGRAM));
        // Again, even with another program: refused, naming the one set.
        let other = Address::repeat_byte(0xc1);
        assert_eq!(construct(&mut env, other, 1_000), Err(invalid(PROGRAM)));
        assert_eq!(address(&mut env), PROGRAM);
    }

    #[test]
    fn the_constructor_refuses_an_address_without_code_and_changes_nothing() {
        for (program, code_len) in [(PROGRAM, 0), (Address::ZERO, 1_000)] {
            let mut env = MemoryEnv::default();
            assert_eq!(
                construct(&mut env, program, code_len),
                Err(invalid(program))
            );
            assert!(env.slots.is_empty(), "nothing stored");
        }
    }
}
