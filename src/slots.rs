//! Where every piece of state lives, and how words are packed: the storage
//! layout in one place, shared by [`crate::ledger`] (the reference's state)
//! and [`crate::policy`] (what goes beyond it).
//!
//! # Layout
//!
//! Equivalent to this Solidity, with the hot fields of a spend packed so that a
//! spend inside its window reads one slot (the token's hot word) and writes
//! it; through a forwarder, it reads the account word as well, to check the
//! forwarder:
//!
//! ```solidity
//! struct Account {
//!     uint256 word;                 // +0   bits 0..160 forwarder, 160 initialized, 168..176 token count,
//!                                   //      176 paused, 177 deny tokens without a limit,
//!                                   //      184..192 protected-target count
//!     address[50] tokens;           // +1   tracked tokens, in insertion order (swap-and-pop on removal)
//!     mapping(address => Token) records; // +51
//!     Budget[8] budgets;            // +52  89 words each
//!     address[16] protectedTargets; // +764 in the order set
//!     mapping(address => bool) isProtected; // +780
//! }
//! struct Token {
//!     uint256 hot;   // +0  bits 0..96 spent, 96..192 limit, 192..240 window end,
//!                    //     240..252 policy flags (240..242 extra window count, 242 lifetime
//!                    //     capped, 243 validity set, 244..252 bit i: budget i holds the token),
//!                    //     252 guards (the account has protected targets, copied),
//!                    //     253 paused (the account's switch, copied), 254 capped, 255 wide
//!     uint256 cold;  // +1  bits 0..48 window start, 48..96 window duration if start + duration
//!                    //     passes uint48 (the end saturated); otherwise 0: it is end - start
//!     uint256 wideLimit; // +2  the limit, when it or spent does not fit 96 bits
//!     uint256 wideSpent; // +3  spent, likewise
//!     uint256 maxPerCall; // +4  the per-call cap, read only when the hot word says capped
//!     // Read only when the hot word's policy flags ask for them:
//!     uint256 policy;     // +5  bytes 0..6 validAfter, 6..12 validUntil, 20..32 scale
//!                         //     (read when validity is set or a budget holds the token)
//!     uint256 lifetime;   // +6  bytes 0..16 spent, 16..32 cap
//!     uint256 unused;     // +7
//!     Window[3] windows;  // +8  27 words each
//! }
//! struct Window {
//!     uint256 spec;   // +0  byte 0 kind, 1..7 duration, 7..13 anchor, 16..32 limit
//!     uint256 tally;  // +1  bytes 0..4 which ring slots hold amounts (sliding), 4..10 mark
//!                     //     (window start, or latest bucket index), 16..32 counted
//!     uint256[25] ring; // +2  sliding windows: each bucket's amount (bytes 16..32); a slot
//!                       //     is read only while its tally bit is set, so stale words never count
//! }
//! struct Budget {
//!     bytes32 id;         // +0  zero: the slot is free
//!     uint256[7] unused;  // +1
//!     Window[3] windows;  // +8  as a token's; byte 13 of the first spec says how many
//! }
//! mapping(address => Account) accounts; // slot 0
//! address configProgram;                // slot 1, set once by the constructor
//! ```
//!
//! The reference's words are described in bits (bit 0 is the least
//! significant bit), the policy words in bytes (byte 0 is the most
//! significant). Every field starts and ends on a byte boundary and is read
//! and written as a byte range, which compiles to plain loads and stores
//! instead of 256-bit shifts and masks (a shift is a loop, and every turn of
//! a loop is a metered basic block). A budget's tokens are the tracked tokens
//! whose flags name it.
//!
//! A token is tracked exactly when its hot word is non-zero: a tracked token
//! always has a window end (its window lasts at least 60 s) and a limit of at
//! least 1 or the wide flag. Only an initialized account has tracked tokens,
//! and each carries a copy of the account's paused switch, so a spend of a
//! tracked token needs nothing from the account word. The window end is
//! `start + duration` cached in the hot word so that a spend need not read the
//! cold word until its window closes. A token with only the reference's window
//! never reads past its first two words.

use alloy_primitives::{keccak256, Address, B256, U256};

use crate::calldata;
use crate::env::Env;

/// Most tokens one account may track, as in the reference (keeps uninstall bounded).
pub const MAX_TRACKED_TOKENS: usize = 50;
/// Most budgets one account may hold (keeps uninstall bounded).
pub const MAX_BUDGETS: usize = 8;

/// The config program's address (see [`crate::config_program`]): a plain
/// slot after the `accounts` mapping, whose entries are all keccak-derived.
pub const CONFIG_PROGRAM_SLOT: U256 = U256::from_limbs([1, 0, 0, 0]);

/// Root slot of the `accounts` mapping (0), as the word keccak hashes.
const ACCOUNTS_ROOT: [u8; 32] = [0; 32];
/// Offset of the `records` mapping inside an account's struct.
const RECORDS_OFFSET: u64 = 1 + MAX_TRACKED_TOKENS as u64;
/// Offset of the budgets inside an account's struct.
const BUDGETS_OFFSET: u64 = RECORDS_OFFSET + 1;
/// Words of one budget: id, seven unused, three windows.
const BUDGET_WORDS: u64 = 8 + 3 * 27;
/// Most protected targets one account may have (keeps uninstall bounded).
pub const MAX_PROTECTED_TARGETS: usize = 16;
/// Offset of the protected-target list inside an account's struct.
const PROTECTED_OFFSET: u64 = BUDGETS_OFFSET + MAX_BUDGETS as u64 * BUDGET_WORDS;
/// Offset of the `isProtected` mapping inside an account's struct.
const IS_PROTECTED_OFFSET: u64 = PROTECTED_OFFSET + MAX_PROTECTED_TARGETS as u64;

/// The largest word, built at run time: as a constant it would be 32 bytes
/// of the data section, which every call pays for.
#[inline(never)]
pub(crate) fn max_uint() -> U256 {
    U256::from_limbs([u64::MAX; 4])
}

/// A `u128` as a word, without ruint's generic conversion.
pub const fn uint128(v: u128) -> U256 {
    // Both halves fit a limb: the casts drop nothing.
    #[allow(clippy::cast_possible_truncation)]
    U256::from_limbs([v as u64, (v >> 64) as u64, 0, 0])
}

/// The slot's word as a number.
#[inline(never)]
pub(crate) fn load_word(env: &mut dyn Env, slot: U256) -> U256 {
    calldata::uint_from_be(&env.load(slot).0)
}

/// Writes a number into the slot.
#[inline(never)]
pub(crate) fn store_word(env: &mut dyn Env, slot: U256, word: U256) {
    env.store(slot, B256::new(calldata::uint_to_be(&word)));
}

/// Clears the slot unless it is already zero (a zero write to a zero slot
/// still costs a warm store).
#[inline(never)]
pub(crate) fn clear(env: &mut dyn Env, slot: U256) {
    if !env.load(slot).is_zero() {
        env.store(slot, B256::ZERO);
    }
}

/// The address in the low 20 bytes of `word` (without alloy's slicing, whose
/// panic path would carry its source location into the program).
pub(crate) fn address_of(word: B256) -> Address {
    let (_, low) = word.0.split_last_chunk::<20>().unwrap_or((&[], &[0u8; 20]));
    Address::from(*low)
}

/// An address as a word (left-padded), without alloy's `into_word`, whose
/// length assertion would carry its source location into the program.
pub fn address_word(address: Address) -> B256 {
    let mut word = [0u8; 32];
    if let Some((_, low)) = word.split_last_chunk_mut::<20>() {
        *low = address.0 .0;
    }
    B256::new(word)
}

/// An address as a number.
#[inline(never)]
pub fn address_uint(address: Address) -> U256 {
    calldata::uint_from_be(&address_word(address).0)
}

/// Solidity's mapping slot: `keccak256(abi.encode(key, slot))` for a
/// value-type key already widened to a word, and the slot as a word.
///
/// Inlined into its two callers ([`AccountKey::new`] and
/// `AccountKey::entry`, each out of line) so that the accounts root, a
/// constant word of zeros, is written in place: passed by reference, it
/// would be 32 bytes of the data section, which every call pays for.
#[inline(always)]
fn mapping_slot(key: B256, slot: [u8; 32]) -> U256 {
    let mut preimage = [[0u8; 32]; 2];
    preimage[0] = key.0;
    preimage[1] = slot;
    calldata::uint_from_be(&keccak256(preimage.as_flattened()).0)
}

/// `slot + offset`; slots live on a ring of 2^256, as in Solidity.
#[inline(never)]
pub(crate) fn at(slot: U256, offset: u64) -> U256 {
    slot.wrapping_add(calldata::uint(offset))
}

/// The storage base of one account, derived once per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountKey {
    /// The smart account.
    pub account: Address,
    pub(crate) base: U256,
}

impl AccountKey {
    /// The key of `account`'s state.
    #[inline(never)]
    pub fn new(account: Address) -> Self {
        Self {
            account,
            base: mapping_slot(address_word(account), ACCOUNTS_ROOT),
        }
    }

    /// The first slot of `token`'s record for this account.
    pub fn token_slot(&self, token: Address) -> U256 {
        self.entry(RECORDS_OFFSET, token)
    }

    /// The slot of `key`'s entry in the account's address-keyed mapping at
    /// `offset`. One function for every such mapping: its keccak preimage
    /// is long code, and a program would otherwise carry a copy per mapping
    /// (measured: 670 bytes of the hook program, 940 of the config program).
    #[inline(never)]
    fn entry(&self, offset: u64, key: Address) -> U256 {
        mapping_slot(
            address_word(key),
            calldata::uint_to_be(&at(self.base, offset)),
        )
    }

    /// The first slot of budget `index` (`index < MAX_BUDGETS`).
    pub fn budget_slot(&self, index: usize) -> U256 {
        let offset = BUDGET_WORDS.saturating_mul(index as u64);
        at(self.base, BUDGETS_OFFSET.saturating_add(offset))
    }

    /// Slot `index` of the protected-target list (`index < MAX_PROTECTED_TARGETS`).
    pub(crate) fn protected_slot(&self, index: usize) -> U256 {
        at(self.base, PROTECTED_OFFSET.saturating_add(index as u64))
    }

    /// The slot that says whether `target` is protected.
    pub(crate) fn is_protected_slot(&self, target: Address) -> U256 {
        self.entry(IS_PROTECTED_OFFSET, target)
    }

    /// Slot `index` of the tracked-token list (`index < MAX_TRACKED_TOKENS`).
    pub(crate) fn list_slot(&self, index: usize) -> U256 {
        // index < MAX_TRACKED_TOKENS, so the cast and the +1 are exact.
        at(self.base, 1u64.saturating_add(index as u64))
    }
}

/// `N` bytes of `word` from byte `at` (byte 0 is the most significant).
///
/// Every packed word is read and written with these (see the layout above).
#[inline(never)]
pub(crate) fn bytes_at<const N: usize>(word: &B256, at: usize) -> [u8; N] {
    word.0
        .get(at..at.saturating_add(N))
        .and_then(|b| b.try_into().ok())
        .unwrap_or([0; N])
}

/// Writes `bytes` into `word` from byte `at`.
#[inline(never)]
pub(crate) fn put_bytes<const N: usize>(word: &mut B256, at: usize, bytes: [u8; N]) {
    let dst = word.0.get_mut(at..at.saturating_add(N));
    if let Some(dst) = dst.and_then(|d| <&mut [u8; N]>::try_from(d).ok()) {
        *dst = bytes;
    }
}

/// The big-endian `u128` at byte `at`.
#[inline(never)]
pub(crate) fn get_u128(word: &B256, at: usize) -> u128 {
    u128::from_be_bytes(bytes_at(word, at))
}

/// Writes a big-endian `u128` at byte `at`.
#[inline(never)]
pub(crate) fn put_u128(word: &mut B256, at: usize, value: u128) {
    put_bytes(word, at, value.to_be_bytes());
}

/// The big-endian 48-bit time at byte `at`.
#[inline(never)]
pub(crate) fn get_u48(word: &B256, at: usize) -> u64 {
    let [a, b, c, d, e, f] = bytes_at::<6>(word, at);
    u64::from_be_bytes([0, 0, a, b, c, d, e, f])
}

/// Writes a 48-bit time (clamped) at byte `at`.
#[inline(never)]
pub(crate) fn put_u48(word: &mut B256, at: usize, value: u64) {
    let [_, _, rest @ ..] = value.min(crate::window::MAX_TIME).to_be_bytes();
    put_bytes(word, at, rest);
}

/// The big-endian 96-bit number at byte `at`.
#[inline(never)]
pub(crate) fn get_u96(word: &B256, at: usize) -> u128 {
    let [a, b, c, d, e, f, g, h, i, j, k, l] = bytes_at::<12>(word, at);
    u128::from_be_bytes([0, 0, 0, 0, a, b, c, d, e, f, g, h, i, j, k, l])
}

/// Writes the low 96 bits of `value` at byte `at` (callers have checked that
/// it fits).
#[inline(never)]
pub(crate) fn put_u96(word: &mut B256, at: usize, value: u128) {
    let [_, _, _, _, low @ ..] = value.to_be_bytes();
    put_bytes(word, at, low);
}

/// A `u128` as a storage word holding that number.
#[inline(never)]
pub(crate) fn u128_word(value: u128) -> B256 {
    let mut word = B256::ZERO;
    put_u128(&mut word, 16, value);
    word
}
