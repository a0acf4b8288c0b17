//! `onInstall` data, in the two layouts found in the wild.
//!
//! The deployed reference decodes `abi.encode(address forwarder, TokenLimitInit[])`;
//! its docs describe `abi.encode(TokenLimitInit[])` optionally followed by the
//! forwarder. The first word tells them apart: 0x20 is the array's offset in the
//! documented layout, anything else is the deployed layout's forwarder (whose
//! array offset must then be 0x40).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};

use crate::calldata::{self, Malformed, Read, WORD};

/// One token to limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLimit {
    /// The token, or the zero address for native value.
    pub token: Address,
    /// Most that may be spent per window.
    pub limit: U256,
    /// Window length in seconds.
    pub window_duration: u64,
}

/// What an install asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallData {
    /// The forwarder to trust, if any (the zero address counts as none).
    pub forwarder: Option<Address>,
    /// The tokens, in the order given.
    pub limits: Vec<TokenLimit>,
}

/// Size of one encoded `TokenLimitInit`.
const ENTRY: usize = 3 * WORD;

/// Decodes install data in either layout.
pub fn decode(data: &[u8]) -> Read<InstallData> {
    if calldata::offset(data, 0) == Ok(WORD) {
        let (limits, end) = limits_at(data, WORD)?;
        let trailer = calldata::tail(data, end)?;
        let forwarder = match trailer.len() {
            0 => None,
            20 => Some(Address::from_slice(trailer)),
            WORD => Some(calldata::address(trailer, 0)?),
            _ => return Err(Malformed),
        };
        Ok(InstallData {
            forwarder: forwarder.filter(|f| !f.is_zero()),
            limits,
        })
    } else {
        let forwarder = calldata::address(data, 0)?;
        calldata::expect_offset(data, WORD, 2 * WORD)?;
        let (limits, _) = limits_at(data, 2 * WORD)?;
        Ok(InstallData {
            forwarder: (!forwarder.is_zero()).then_some(forwarder),
            limits,
        })
    }
}

/// The `TokenLimitInit[]` whose length word is at `at`, and where it ends.
fn limits_at(data: &[u8], at: usize) -> Read<(Vec<TokenLimit>, usize)> {
    let count = calldata::offset(data, at)?;
    let start = at.checked_add(WORD).ok_or(Malformed)?;
    let size = count.checked_mul(ENTRY).ok_or(Malformed)?;
    let entries = calldata::slice(data, start, size)?;
    let mut limits = crate::list::with_capacity(count);
    let mut at = 0;
    while at < entries.len() {
        let limit = TokenLimit {
            token: calldata::address(entries, at)?,
            limit: calldata::uint_at(entries, at.saturating_add(WORD))?,
            window_duration: calldata::uint48(entries, at.saturating_add(2 * WORD))?,
        };
        crate::list::push(&mut limits, limit);
        at = at.saturating_add(ENTRY);
    }
    Ok((limits, start.checked_add(size).ok_or(Malformed)?))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;
    use crate::abi::TokenLimitInit;
    use alloy_primitives::aliases::U48;
    use alloy_sol_types::SolValue;

    fn inits() -> Vec<TokenLimitInit> {
        vec![
            TokenLimitInit {
                token: Address::ZERO,
                limit: U256::from(10),
                windowDuration: U48::from(60),
            },
            TokenLimitInit {
                token: Address::with_last_byte(7),
                limit: U256::MAX,
                windowDuration: U48::from(86_400),
            },
        ]
    }

    fn expected(forwarder: Option<Address>) -> InstallData {
        InstallData {
            forwarder,
            limits: vec![
                TokenLimit {
                    token: Address::ZERO,
                    limit: U256::from(10),
                    window_duration: 60,
                },
                TokenLimit {
                    token: Address::with_last_byte(7),
                    limit: U256::MAX,
                    window_duration: 86_400,
                },
            ],
        }
    }

    #[test]
    fn deployed_layout() {
        let mux = Address::with_last_byte(0xaa);
        assert_eq!(
            decode(&(mux, inits()).abi_encode_params()),
            Ok(expected(Some(mux)))
        );
        assert_eq!(
            decode(&(Address::ZERO, inits()).abi_encode_params()),
            Ok(expected(None))
        );
    }

    #[test]
    fn documented_layout_with_and_without_forwarder() {
        let mux = Address::with_last_byte(0xaa);
        let array = inits().abi_encode();
        assert_eq!(decode(&array), Ok(expected(None)));
        let mut word = array.clone();
        word.extend_from_slice(&mux.abi_encode());
        assert_eq!(decode(&word), Ok(expected(Some(mux))));
        let mut packed = array.clone();
        packed.extend_from_slice(mux.as_slice());
        assert_eq!(decode(&packed), Ok(expected(Some(mux))));
        let mut junk = array;
        junk.push(1);
        assert_eq!(decode(&junk), Err(Malformed));
    }

    #[test]
    fn malformed_install_data_is_refused() {
        let data = (Address::ZERO, inits()).abi_encode_params();
        assert_eq!(decode(&data[..data.len() - 1]), Err(Malformed));
        assert_eq!(decode(&[]), Err(Malformed));
        let mut shifted = data.clone();
        shifted[63] = 0x60;
        assert_eq!(decode(&shifted), Err(Malformed));
        let mut dirty = data;
        dirty[2 * 96 + 5] = 1; // upper bytes of the second entry's token
        assert_eq!(decode(&dirty), Err(Malformed));
    }
}
