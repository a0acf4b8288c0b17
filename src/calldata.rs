//! Bounds-checked reads of ABI words out of untrusted bytes.
//!
//! Every decoder in the crate reads through these helpers, so "index out of
//! range", "offset wraps around", and "value does not fit" are each decided in
//! one place and always end in [`Malformed`] instead of a panic.
//!
//! The readers are kept out of line: each is called from dozens of places,
//! and inlining them everywhere would cost kilobytes of program.

use alloy_primitives::{aliases::U48, Address, U256};

/// The input is not the ABI encoding the reader expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// Each call's selector as a `u32` constant, so that code choosing by
/// selector compares one integer per case instead of four bytes. The
/// selector comes from the call's `sol!` type, never typed in.
#[macro_export]
macro_rules! selector_ids {
    ($($(#[$doc:meta])* $vis:vis $name:ident = $call:ty;)*) => {
        $($(#[$doc])* $vis const $name: u32 =
            u32::from_be_bytes(<$call as alloy_sol_types::SolCall>::SELECTOR);)*
    };
}
pub use selector_ids;

/// Result of a read from untrusted bytes.
pub type Read<T> = Result<T, Malformed>;

/// Size of one ABI word.
pub const WORD: usize = 32;

/// `v` as a `uint256`, without ruint's generic (and panicking) conversion.
pub const fn uint(v: u64) -> U256 {
    U256::from_limbs([v, 0, 0, 0])
}

/// `v` as a `uint48`, saturating.
pub const fn uint48_of(v: u64) -> U48 {
    let max = (1u64 << 48) - 1;
    U48::from_limbs([if v > max { max } else { v }])
}

/// The 4-byte function selector at the start of `data`, if there is one.
pub fn selector(data: &[u8]) -> Option<[u8; 4]> {
    data.get(..4)?.try_into().ok()
}

/// `data[from..from + len]`, refusing ranges that wrap or run past the end.
pub fn slice(data: &[u8], from: usize, len: usize) -> Read<&[u8]> {
    let to = from.checked_add(len).ok_or(Malformed)?;
    data.get(from..to).ok_or(Malformed)
}

/// `data[from..]`, refusing a start past the end.
pub fn tail(data: &[u8], from: usize) -> Read<&[u8]> {
    data.get(from..).ok_or(Malformed)
}

/// The 32-byte word at byte `at`.
#[inline(never)]
pub fn word(data: &[u8], at: usize) -> Read<&[u8; 32]> {
    slice(data, at, WORD)?.try_into().map_err(|_| Malformed)
}

/// The word at `at` as a `uint256`.
#[inline(never)]
pub fn uint_at(data: &[u8], at: usize) -> Read<U256> {
    Ok(uint_from_be(word(data, at)?))
}

/// The word at `at` as an `address`; dirty upper bytes are refused, as
/// Solidity's ABI decoder refuses them.
#[inline(never)]
pub fn address(data: &[u8], at: usize) -> Read<Address> {
    let w = word(data, at)?;
    // The 12 padding bytes as three 4-byte loads (a byte loop would pay a
    // metered block per byte).
    let ([p0, p1, p2, ..], []) = w.as_chunks::<4>() else {
        return Err(Malformed);
    };
    if u32::from_ne_bytes(*p0) | u32::from_ne_bytes(*p1) | u32::from_ne_bytes(*p2) != 0 {
        return Err(Malformed);
    }
    let (_, addr) = w.split_last_chunk::<20>().ok_or(Malformed)?;
    Ok(Address::from(*addr))
}

/// The word at `at` as a `uint48`; larger values are refused.
#[inline(never)]
pub fn uint48(data: &[u8], at: usize) -> Read<u64> {
    let v = uint_at(data, at)?;
    if v.bit_len() > 48 {
        return Err(Malformed);
    }
    Ok(low_u64(&v))
}

/// The word at `at` as an unsigned integer of `bits` bits (`uint8`,
/// `uint128`...); larger values are refused, as Solidity's decoder refuses them.
#[inline(never)]
pub fn uint_bits(data: &[u8], at: usize, bits: usize) -> Read<U256> {
    let v = uint_at(data, at)?;
    if v.bit_len() > bits {
        return Err(Malformed);
    }
    Ok(v)
}

/// A dynamic array argument whose head word is at `head`, each item
/// `item_words` static words: the items' bytes and their count. Any in-bounds
/// offset is followed, as Solidity's decoder follows it.
#[inline(never)]
pub fn array_at(data: &[u8], head: usize, item_words: usize) -> Read<(&[u8], usize)> {
    let start = offset(data, head)?;
    let count = offset(data, start)?;
    let size = count
        .checked_mul(item_words)
        .and_then(|n| n.checked_mul(WORD))
        .ok_or(Malformed)?;
    let items = slice(data, start.checked_add(WORD).ok_or(Malformed)?, size)?;
    Ok((items, count))
}

/// A big-endian word as a number.
///
/// Written out limb by limb instead of ruint's `from_be_bytes`, whose loop
/// over the limbs is a metered basic block per turn: every storage word, ABI
/// word and slot goes through this or [`uint_to_be`], a few dozen times a
/// spend.
#[inline(never)]
pub fn uint_from_be(word: &[u8; 32]) -> U256 {
    let mut limbs = [0u64; 4];
    if let ([a, b, c, d], []) = word.as_chunks::<8>() {
        limbs = [
            u64::from_be_bytes(*d),
            u64::from_be_bytes(*c),
            u64::from_be_bytes(*b),
            u64::from_be_bytes(*a),
        ];
    }
    U256::from_limbs(limbs)
}

/// A number as a big-endian word: [`uint_from_be`] the other way (ruint's
/// `to_be_bytes` reverses the bytes in a loop of 16 metered turns).
#[inline(never)]
pub fn uint_to_be(value: &U256) -> [u8; 32] {
    let [l0, l1, l2, l3] = *value.as_limbs();
    let mut word = [0u8; 32];
    if let ([a, b, c, d], []) = word.as_chunks_mut::<8>() {
        *a = l3.to_be_bytes();
        *b = l2.to_be_bytes();
        *c = l1.to_be_bytes();
        *d = l0.to_be_bytes();
    }
    word
}

/// The low 64 bits of `v` (callers have checked that it fits). Read off
/// the limb rather than through ruint's conversions, which bring panic
/// paths and their locations into the program.
pub fn low_u64(v: &U256) -> u64 {
    v.as_limbs()[0]
}

/// The low 128 bits of `v` (callers have checked that it fits).
pub fn low_u128(v: &U256) -> u128 {
    let [low, high, ..] = *v.as_limbs();
    u128::from(low) | u128::from(high) << 64
}

/// The word at `at` as an offset or length. Any value that cannot index into
/// `data` is refused here, so later arithmetic on it cannot overflow.
#[inline(never)]
pub fn offset(data: &[u8], at: usize) -> Read<usize> {
    // Read as 8-byte loads rather than as a `uint256`: offsets are read
    // several times a call, and ruint's conversion to `usize` loops.
    let ([high0, high1, high2, low], []) = word(data, at)?.as_chunks::<8>() else {
        return Err(Malformed);
    };
    if u64::from_ne_bytes(*high0) | u64::from_ne_bytes(*high1) | u64::from_ne_bytes(*high2) != 0 {
        return Err(Malformed);
    }
    let n = usize::try_from(u64::from_be_bytes(*low)).map_err(|_| Malformed)?;
    if n > data.len() {
        return Err(Malformed);
    }
    Ok(n)
}

/// The word at `at` must hold exactly `expected`: the offset a canonical
/// encoder writes there.
pub fn expect_offset(data: &[u8], at: usize, expected: usize) -> Read<()> {
    if offset(data, at)? == expected {
        Ok(())
    } else {
        Err(Malformed)
    }
}

/// `len` rounded up to whole words, as ABI encoding pads dynamic data.
pub fn padded(len: usize) -> Read<usize> {
    len.checked_add(WORD - 1)
        .map(|n| n & !(WORD - 1))
        .ok_or(Malformed)
}

/// A `bytes` value whose head word is at `head` and whose tail must start at
/// `expected_offset` (both relative to `data`), where a canonical encoder puts
/// it. Returns the content and where the padded tail ends: the next tail's
/// canonical offset. Whether that padding is present is the caller's concern.
#[inline(never)]
pub fn bytes_at(data: &[u8], head: usize, expected_offset: usize) -> Read<(&[u8], usize)> {
    expect_offset(data, head, expected_offset)?;
    let len = offset(data, expected_offset)?;
    let start = expected_offset.checked_add(WORD).ok_or(Malformed)?;
    let content = slice(data, start, len)?;
    let end = start.checked_add(padded(len)?).ok_or(Malformed)?;
    Ok((content, end))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;

    fn w(v: u64) -> [u8; 32] {
        U256::from(v).to_be_bytes()
    }

    #[test]
    fn words_convert_as_ruint_converts_them() {
        proptest::proptest!(|(bytes: [u8; 32])| {
            let value = U256::from_be_bytes(bytes);
            proptest::prop_assert_eq!(uint_from_be(&bytes), value);
            proptest::prop_assert_eq!(uint_to_be(&value), bytes);
        });
        let ordered: [u8; 32] = core::array::from_fn(|i| i as u8);
        assert_eq!(uint_from_be(&ordered), U256::from_be_bytes(ordered));
        assert_eq!(uint_to_be(&U256::from(0x0102u64))[30..], [1, 2]);
    }

    #[test]
    fn any_dirty_padding_byte_is_refused() {
        for i in 0..32 {
            let mut word = [0u8; 32];
            word[i] = 1;
            assert_eq!(address(&word, 0).is_ok(), i >= 12, "address, byte {i}");
            assert_eq!(
                offset(&[word, [0; 32]].concat(), 0).is_ok(),
                i >= 31,
                "offset, byte {i}"
            );
        }
    }

    #[test]
    fn reads_refuse_out_of_range() {
        let data = [0u8; 40];
        assert!(word(&data, 8).is_ok());
        assert_eq!(word(&data, 9), Err(Malformed));
        assert_eq!(word(&data, usize::MAX), Err(Malformed));
        assert_eq!(slice(&data, usize::MAX, 2), Err(Malformed));
        assert_eq!(tail(&data, 41), Err(Malformed));
    }

    #[test]
    fn address_refuses_dirty_upper_bytes() {
        let mut data = [0u8; 32];
        data[31] = 7;
        assert_eq!(address(&data, 0), Ok(Address::with_last_byte(7)));
        data[11] = 1;
        assert_eq!(address(&data, 0), Err(Malformed));
    }

    #[test]
    fn offsets_past_the_data_are_refused() {
        let data = w(32);
        assert_eq!(offset(&data, 0), Ok(32));
        let data = w(33);
        assert_eq!(offset(&data, 0), Err(Malformed));
        let huge = U256::MAX.to_be_bytes::<32>();
        assert_eq!(offset(&huge, 0), Err(Malformed));
    }

    #[test]
    fn uint48_bounds() {
        assert_eq!(uint48(&w((1 << 48) - 1), 0), Ok((1 << 48) - 1));
        assert_eq!(uint48(&w(1 << 48), 0), Err(Malformed));
    }

    #[test]
    fn sized_uints_and_arrays_are_bounds_checked() {
        assert_eq!(uint_bits(&w(255), 0, 8), Ok(U256::from(255)));
        assert_eq!(uint_bits(&w(256), 0, 8), Err(Malformed));
        let mut data = Vec::new();
        for v in [32, 2, 7, 8] {
            data.extend_from_slice(&w(v));
        }
        let (items, count) = array_at(&data, 0, 1).unwrap();
        assert_eq!((items.len(), count), (64, 2));
        assert_eq!(array_at(&data, 0, 2), Err(Malformed));
        data[63] = 0xff;
        assert_eq!(array_at(&data, 0, 1), Err(Malformed));
        assert_eq!(array_at(&huge_count(), 0, usize::MAX), Err(Malformed));
    }

    fn huge_count() -> Vec<u8> {
        let mut data = w(32).to_vec();
        data.extend_from_slice(&w(1));
        data
    }

    #[test]
    fn padding_rounds_up_to_words() {
        assert_eq!(padded(0), Ok(0));
        assert_eq!(padded(1), Ok(32));
        assert_eq!(padded(32), Ok(32));
        assert_eq!(padded(33), Ok(64));
        assert_eq!(padded(usize::MAX), Err(Malformed));
    }

    #[test]
    fn bytes_at_reads_a_canonical_tail() {
        let mut data = Vec::new();
        data.extend_from_slice(&w(32));
        data.extend_from_slice(&w(3));
        data.extend_from_slice(&[1, 2, 3]);
        data.resize(96, 0);
        assert_eq!(bytes_at(&data, 0, 32), Ok((&[1u8, 2, 3][..], 96)));
        // The head points elsewhere than a canonical encoder would.
        assert_eq!(bytes_at(&data, 0, 64), Err(Malformed));
        // The content runs past the end.
        assert_eq!(bytes_at(&data[..66], 0, 32), Err(Malformed));
    }
}
