//! Whose budget a call spends: modulekit's `TrustedForwarder._getAccount` rule.
//!
//! `HookMultiPlexer` calls its sub-hooks itself and appends
//! `multiplexer (20 bytes) | account (20 bytes)` to the calldata. The suffix is
//! believed only when its forwarder is the caller *and* the named account has
//! registered that caller as its forwarder; otherwise anyone could append a
//! victim's address and spend (or block) the victim's budget.

use alloy_primitives::Address;

use crate::env::Env;
use crate::ledger::{self, AccountKey, AccountState};

/// The account a suffix claims, when the suffix's forwarder is `caller`.
/// Whether the claim holds is for [`resolve`] to decide against storage.
pub fn suffix_claim(calldata: &[u8], caller: Address) -> Option<Address> {
    let start = calldata.len().checked_sub(40)?;
    let suffix: &[u8; 40] = calldata.get(start..)?.try_into().ok()?;
    let (forwarder, account) = suffix.split_first_chunk::<20>()?;
    let account: &[u8; 20] = account.try_into().ok()?;
    (Address::from(*forwarder) == caller).then_some(Address::from(*account))
}

/// The account a raw call (`preCheck`/`postCheck`) acts for: the suffix's
/// account when `caller` is that account's registered forwarder, else
/// `caller` itself. With the account's state when deciding needed it (a
/// suffix to check); otherwise the word is left unread, for the caller to
/// read only if it must.
pub fn resolve(
    env: &mut dyn Env,
    calldata: &[u8],
    caller: Address,
) -> (AccountKey, Option<AccountState>) {
    if let Some(claimed) = suffix_claim(calldata, caller) {
        let key = AccountKey::new(claimed);
        let state = ledger::account(env, &key);
        if state.forwarder == caller {
            return (key, Some(state));
        }
    }
    (AccountKey::new(caller), None)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;

    fn with_suffix(forwarder: Address, account: Address) -> Vec<u8> {
        let mut data = vec![0xd6, 0x8f, 0x60, 0x25, 1, 2, 3];
        data.extend_from_slice(forwarder.as_slice());
        data.extend_from_slice(account.as_slice());
        data
    }

    #[test]
    fn suffix_is_claimed_only_for_its_own_caller() {
        let mux = Address::with_last_byte(0xaa);
        let acct = Address::with_last_byte(0x01);
        let data = with_suffix(mux, acct);
        assert_eq!(suffix_claim(&data, mux), Some(acct));
        assert_eq!(suffix_claim(&data, Address::with_last_byte(0xbb)), None);
        assert_eq!(suffix_claim(&data[..39], mux), None);
    }

    #[test]
    fn exactly_forty_bytes_is_enough() {
        let mux = Address::with_last_byte(0xaa);
        let acct = Address::with_last_byte(0x01);
        let data = with_suffix(mux, acct);
        let bare = &data[data.len() - 40..];
        assert_eq!(suffix_claim(bare, mux), Some(acct));
    }
}
