//! Logs. Every event the hook emits is `(address indexed account[, one more
//! indexed word], <static words>)`, so all of them are encoded here directly
//! rather than through alloy's generic encoder (kilobytes of program per
//! event type). Tests check the bytes against alloy's encoding.

use alloy_primitives::{Address, B256, U256};

use crate::env::Env;

/// What the second indexed topic of an event is, if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Only the account is indexed.
    None,
    /// A token (the reference's four events, per-token policy events).
    Token(Address),
    /// A budget id.
    Budget(B256),
}

/// An event's topic 0 as four 64-bit limbs, most significant first.
///
/// Passed this way so that the code emitting an event builds its topic from
/// immediates: a 32-byte constant would sit in the data section, and Stylus
/// charges every call 0.75 gas per data byte, whether it emits the event or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic(u64, u64, u64, u64);

impl Topic {
    /// The topic of an event with signature hash `hash`.
    pub const fn of(hash: B256) -> Self {
        Self(
            limb(&hash.0, 0),
            limb(&hash.0, 8),
            limb(&hash.0, 16),
            limb(&hash.0, 24),
        )
    }

    fn word(self) -> B256 {
        B256::new(crate::calldata::uint_to_be(&U256::from_limbs([
            self.3, self.2, self.1, self.0,
        ])))
    }
}

/// The big-endian `u64` at byte `at` of a 32-byte hash (`at <= 24`).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // constant offsets below 32
const fn limb(bytes: &[u8; 32], at: usize) -> u64 {
    u64::from_be_bytes([
        bytes[at],
        bytes[at + 1],
        bytes[at + 2],
        bytes[at + 3],
        bytes[at + 4],
        bytes[at + 5],
        bytes[at + 6],
        bytes[at + 7],
    ])
}

/// The [`Topic`] of an `abi` event type, computed at compile time.
macro_rules! topic {
    ($event:ty) => {{
        const TOPIC: $crate::events::Topic =
            $crate::events::Topic::of(<$event as alloy_sol_types::SolEvent>::SIGNATURE_HASH);
        TOPIC
    }};
}
pub(crate) use topic;

/// Emits event `topic` for `account` about `subject` with `data` words.
#[inline(always)]
pub fn emit(env: &mut dyn Env, topic: Topic, account: Address, subject: Subject, data: &[U256]) {
    // Four scalar arguments: each call site passes its topic as immediates.
    let Topic(a, b, c, d) = topic;
    emit_limbs(env, a, b, c, d, account, subject, data);
}

#[inline(never)]
#[allow(clippy::too_many_arguments)] // the topic's limbs, one by one
fn emit_limbs(
    env: &mut dyn Env,
    a: u64,
    b: u64,
    c: u64,
    d: u64,
    account: Address,
    subject: Subject,
    data: &[U256],
) {
    let (second, topics) = match subject {
        Subject::None => (None, 2),
        Subject::Token(token) => (Some(crate::slots::address_word(token)), 3),
        Subject::Budget(id) => (Some(id), 3),
    };
    // Sized once and written a word at a time: pushing slices would pay for
    // a capacity check and a call per word.
    let mut log = crate::list::zeroed(data.len().saturating_add(topics).saturating_mul(32));
    let mut words = log.as_chunks_mut::<32>().0.iter_mut();
    let mut put = |word: [u8; 32]| {
        if let Some(slot) = words.next() {
            *slot = word;
        }
    };
    put(Topic(a, b, c, d).word().0);
    put(crate::slots::address_word(account).0);
    if let Some(second) = second {
        put(second.0);
    }
    for word in data {
        put(crate::calldata::uint_to_be(word));
    }
    env.emit(&log, topics);
}
