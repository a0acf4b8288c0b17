//! The reference's state and the steps that change it: configure, remove,
//! clear, charge a spend to a token's window. Always through an [`Env`].
//! What goes beyond the reference window is in [`crate::policy`], which a
//! spend consults only for tokens whose hot word says so.
//!
//! The layout is documented in [`crate::slots`].

use alloy_primitives::{Address, B256, U256};

use crate::abi;
use crate::calldata;
use crate::env::Env;
use crate::error::HookError;
use crate::events::{self, Subject};
use crate::install::TokenLimit;
use crate::policy;
use crate::slots::{
    address_of, address_word, at, bytes_at, clear, get_u48, get_u96, load_word, put_bytes, put_u48,
    put_u96, store_word, uint128,
};
pub use crate::slots::{AccountKey, MAX_TRACKED_TOKENS};
use crate::window;

// The words below are read and written a byte range at a time (byte 0 is
// the most significant): their fields sit on byte boundaries, and plain loads
// and stores cost a fraction of 256-bit shifts and masks in metered code.

/// Hot word bytes 0..2, as a `u16`: the wide flag (bit 255 of the word: limit
/// and spent live in the wide slots) ...
const WIDE_FLAG: u16 = 0x8000;
/// ... the capped flag (bit 254: a per-call cap is set, in the record's +4) ...
const CAPPED_FLAG: u16 = 0x4000;
/// ... the paused flag (bit 253): a copy of the account's paused switch, kept
/// in every tracked token's hot word so that a spend of a tracked token can
/// be refused or charged without reading the account word (2,100 gas cold) ...
const PAUSED_FLAG: u16 = 0x2000;
/// ... the guards flag (bit 252): a copy of "the account has protected
/// targets", so that a spend of a tracked token says whether the
/// execution's targets must be looked up without reading the account word ...
const GUARDS_FLAG: u16 = 0x1000;
/// ... and the policy flags (bits 240..252): what [`crate::policy`] holds for
/// the token beyond the reference window. Zero: nothing, and a spend never
/// reads further.
const POLICY_MASK: u16 = 0x0fff;
/// Hot word bytes 2..8: the window end.
const END_AT: usize = 2;
/// Hot word bytes 8..20: the limit, when compact.
const LIMIT_AT: usize = 8;
/// Hot word bytes 20..32: spent, when compact.
const SPENT_AT: usize = 20;
/// Cold word bytes 20..26: the duration, when the end saturated.
const KEPT_AT: usize = 20;
/// Cold word bytes 26..32: the window start.
const START_AT: usize = 26;
/// Account word bytes 8..12: the protected-target count, paused (bit 0) and
/// deny (bit 1), the token count, initialized (bit 0); the forwarder is in
/// bytes 12..32.
const ACCOUNT_FLAGS_AT: usize = 8;
/// Words of a token record that this module owns.
const RECORD_WORDS: u64 = 5;
/// Width of the compact limit and spent fields.
const COMPACT_BITS: usize = 96;

/// Account-wide state packed into one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountState {
    /// The forwarder (the `HookMultiPlexer`) allowed to speak for the account.
    pub forwarder: Address,
    /// Whether the account has installed the hook.
    pub initialized: bool,
    /// How many tokens the account tracks.
    pub token_count: u8,
    /// Whether every outflow is refused until the account resumes.
    pub paused: bool,
    /// Whether outflows of tokens without a limit are refused.
    pub deny_unknown: bool,
    /// How many protected targets the account has (`crate::targets`).
    pub protected_count: u8,
}

impl AccountState {
    fn unpack(word: &B256) -> Self {
        let [protected_count, switches, token_count, initialized] =
            bytes_at::<4>(word, ACCOUNT_FLAGS_AT);
        Self {
            forwarder: address_of(*word),
            initialized: initialized & 1 != 0,
            token_count,
            paused: switches & 1 != 0,
            deny_unknown: switches & 2 != 0,
            protected_count,
        }
    }

    fn pack(&self) -> B256 {
        let mut word = address_word(self.forwarder);
        let switches = u8::from(self.paused) | if self.deny_unknown { 2 } else { 0 };
        put_bytes(
            &mut word,
            ACCOUNT_FLAGS_AT,
            [
                self.protected_count,
                switches,
                self.token_count,
                u8::from(self.initialized),
            ],
        );
        word
    }

    /// Whether the account has protected targets to look executions up in.
    pub fn guards(&self) -> bool {
        self.protected_count != 0
    }
}

/// Reads `key`'s account word.
#[inline(never)]
pub fn account(env: &mut dyn Env, key: &AccountKey) -> AccountState {
    AccountState::unpack(&env.load(key.base))
}

/// Writes `key`'s account word.
pub fn set_account(env: &mut dyn Env, key: &AccountKey, state: &AccountState) {
    env.store(key.base, state.pack());
}

/// One token's configuration and usage, as the reference's `configs` returns it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenConfig {
    /// Most that may be spent in one window.
    pub limit: U256,
    /// Spent in the current window.
    pub spent: U256,
    /// When the current window started.
    pub window_start: u64,
    /// Window length in seconds.
    pub window_duration: u64,
}

/// The hot word's fields, with limit and spent resolved from the wide slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hot {
    limit: U256,
    spent: U256,
    window_end: u64,
    wide: bool,
    /// The flag bits other than wide (capped, paused, policy), which a
    /// rewrite of limit and spent passes through.
    flags: u16,
}

impl Hot {
    fn capped(&self) -> bool {
        self.flags & CAPPED_FLAG != 0
    }

    fn paused(&self) -> bool {
        self.flags & PAUSED_FLAG != 0
    }

    fn policy(&self) -> u16 {
        self.flags & POLICY_MASK
    }
}

/// The flag bits a new token's hot word starts with: the account's paused
/// switch and whether it has protected targets, copied.
fn new_token_flags(state: &AccountState) -> u16 {
    with_flag(
        with_flag(0, PAUSED_FLAG, state.paused),
        GUARDS_FLAG,
        state.guards(),
    )
}

fn load_hot(env: &mut dyn Env, slot: U256) -> Option<Hot> {
    let word = env.load(slot);
    if word.is_zero() {
        return None;
    }
    let top = top_bits(&word);
    let wide = top & WIDE_FLAG != 0;
    let (limit, spent) = if wide {
        (load_word(env, at(slot, 2)), load_word(env, at(slot, 3)))
    } else {
        (
            uint128(get_u96(&word, LIMIT_AT)),
            uint128(get_u96(&word, SPENT_AT)),
        )
    };
    Some(Hot {
        limit,
        spent,
        window_end: get_u48(&word, END_AT),
        wide,
        flags: top & !WIDE_FLAG,
    })
}

/// Writes the hot word with `flags` (all but wide, which the amounts decide);
/// `before` is what the slots held, so that unchanged wide slots are left
/// alone and wide slots that fall out of use are cleared.
fn store_hot(
    env: &mut dyn Env,
    slot: U256,
    before: Option<&Hot>,
    flags: u16,
    limit: U256,
    spent: U256,
    window_end: u64,
) {
    let wide = limit.bit_len() > COMPACT_BITS || spent.bit_len() > COMPACT_BITS;
    let was_wide = before.is_some_and(|b| b.wide);
    let mut word = B256::ZERO;
    put_u48(&mut word, END_AT, window_end);
    let wide_flag = if wide { WIDE_FLAG } else { 0 };
    let top = flags & !WIDE_FLAG | wide_flag;
    put_bytes(&mut word, 0, top.to_be_bytes());
    if wide {
        if !was_wide || before.is_some_and(|b| b.limit != limit) {
            store_word(env, at(slot, 2), limit);
        }
        if !was_wide || before.is_some_and(|b| b.spent != spent) {
            store_word(env, at(slot, 3), spent);
        }
    } else {
        put_u96(&mut word, LIMIT_AT, calldata::low_u128(&limit));
        put_u96(&mut word, SPENT_AT, calldata::low_u128(&spent));
        if was_wide {
            clear(env, at(slot, 2));
            clear(env, at(slot, 3));
        }
    }
    env.store(slot, word);
}

/// The cold word of a window from `start` lasting `duration`. The duration
/// is `end - start` with the end in the hot word, so it is stored only when
/// the end saturated and that difference would lose it: changing a limit's
/// duration then rewrites the hot word alone.
fn cold_word(window_start: u64, window_duration: u64) -> B256 {
    let kept = if window_start.saturating_add(window_duration) > window::MAX_TIME {
        window_duration
    } else {
        0
    };
    let mut word = B256::ZERO;
    put_u48(&mut word, START_AT, window_start);
    put_u48(&mut word, KEPT_AT, kept);
    word
}

/// The window's start and duration, from its cold word and its end.
fn window_of(cold: &B256, window_end: u64) -> (u64, u64) {
    let start = get_u48(cold, START_AT);
    let kept = get_u48(cold, KEPT_AT);
    let duration = if kept != 0 {
        kept
    } else {
        window_end.saturating_sub(start)
    };
    (start, duration)
}

/// The window's start and duration.
fn load_window(env: &mut dyn Env, slot: U256, window_end: u64) -> (u64, u64) {
    window_of(&env.load(at(slot, 1)), window_end)
}

fn store_cold(env: &mut dyn Env, slot: U256, window_start: u64, window_duration: u64) {
    env.store(at(slot, 1), cold_word(window_start, window_duration));
}

/// `token`'s configuration for the account, or `None` if it is not tracked.
pub fn config(env: &mut dyn Env, key: &AccountKey, token: Address) -> Option<TokenConfig> {
    let slot = key.token_slot(token);
    let hot = load_hot(env, slot)?;
    let (window_start, window_duration) = load_window(env, slot, hot.window_end);
    Some(TokenConfig {
        limit: hot.limit,
        spent: hot.spent,
        window_start,
        window_duration,
    })
}

/// Whether the account tracks `token`.
pub fn is_tracked(env: &mut dyn Env, key: &AccountKey, token: Address) -> bool {
    !env.load(key.token_slot(token)).is_zero()
}

/// The tokens the account tracks, in storage order.
pub fn tracked_tokens(env: &mut dyn Env, key: &AccountKey) -> alloc::vec::Vec<Address> {
    let count = usize::from(account(env, key).token_count).min(MAX_TRACKED_TOKENS);
    let mut tokens = crate::list::with_capacity(count);
    for i in 0..count {
        crate::list::push(&mut tokens, address_of(env.load(key.list_slot(i))));
    }
    tokens
}

/// How `set_limit` treats a token that is already tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Keep its spent amount and window start (`setSpendingLimit`).
    Update,
    /// Refuse with `DuplicateToken` (`onInstall`).
    Refuse,
}

/// Configures `token`: a new token starts an empty window at `now`; an existing
/// one keeps what it spent and when its window started, and only its limit and
/// duration change. Emits `SpendingLimitSet`.
///
/// Each program calls it from one place with a constant `on_existing`
/// (`onInstall` in the config program, `setSpendingLimit` in the hook
/// program); inlined there, the other case's code drops out of the program.
#[inline(always)]
pub fn set_limit(
    env: &mut dyn Env,
    key: &AccountKey,
    state: &mut AccountState,
    config: &TokenLimit,
    now: u64,
    on_existing: OnExisting,
) -> Result<(), HookError> {
    let TokenLimit {
        token,
        limit,
        window_duration,
    } = *config;
    if limit.is_zero() {
        return Err(HookError::LimitCannotBeZero(abi::LimitCannotBeZero {}));
    }
    if window_duration < window::MIN_WINDOW_DURATION {
        return Err(HookError::window_too_short(window_duration));
    }
    let window_duration = window_duration.min(window::MAX_TIME);
    let slot = key.token_slot(token);
    let before = load_hot(env, slot);
    let (spent, window_start, cold_before) = match before {
        Some(hot) => {
            if on_existing == OnExisting::Refuse {
                return Err(HookError::DuplicateToken(abi::DuplicateToken { token }));
            }
            let cold = env.load(at(slot, 1));
            (hot.spent, window_of(&cold, hot.window_end).0, Some(cold))
        }
        None => {
            let index = usize::from(state.token_count);
            if index >= MAX_TRACKED_TOKENS {
                return Err(HookError::TooManyTokens(abi::TooManyTokens {
                    max: calldata::uint(MAX_TRACKED_TOKENS as u64),
                }));
            }
            env.store(key.list_slot(index), crate::slots::address_word(token));
            state.token_count = state.token_count.saturating_add(1);
            (U256::ZERO, now, None)
        }
    };
    // A new duration usually changes only the end, in the hot word.
    let cold = cold_word(window_start, window_duration);
    if cold_before != Some(cold) {
        env.store(at(slot, 1), cold);
    }
    store_hot(
        env,
        slot,
        before.as_ref(),
        before.map_or_else(|| new_token_flags(state), |hot| hot.flags),
        limit,
        spent,
        window::window_end(window_start, window_duration),
    );
    events::emit(
        env,
        events::topic!(abi::SpendingLimitSet),
        key.account,
        Subject::Token(token),
        &[limit, calldata::uint(window_duration)],
    );
    Ok(())
}

/// Forgets `token`'s record (every word).
fn clear_record(env: &mut dyn Env, slot: U256) {
    for offset in 0..RECORD_WORDS {
        clear(env, at(slot, offset));
    }
}

/// Stops tracking `token`; returns whether it was tracked. Emits
/// `SpendingLimitRemoved` when it was.
pub fn remove_limit(
    env: &mut dyn Env,
    key: &AccountKey,
    state: &mut AccountState,
    token: Address,
) -> bool {
    let slot = key.token_slot(token);
    if env.load(slot).is_zero() {
        return false;
    }
    clear_record(env, slot);
    let count = usize::from(state.token_count).min(MAX_TRACKED_TOKENS);
    let tokens = tracked_tokens(env, key);
    if let Some(index) = tokens.iter().position(|t| *t == token) {
        let last = count.saturating_sub(1);
        if index != last {
            let moved = env.load(key.list_slot(last));
            env.store(key.list_slot(index), moved);
        }
        env.store(key.list_slot(last), B256::ZERO);
        state.token_count = state.token_count.saturating_sub(1);
    }
    events::emit(
        env,
        events::topic!(abi::SpendingLimitRemoved),
        key.account,
        Subject::Token(token),
        &[],
    );
    true
}

/// Forgets everything about the account: every token record, the list, the
/// forwarder and the initialized flag.
pub fn clear_account(env: &mut dyn Env, key: &AccountKey) {
    let tokens = tracked_tokens(env, key);
    for (index, token) in (0..tokens.len()).zip(tokens) {
        clear_record(env, key.token_slot(token));
        env.store(key.list_slot(index), B256::ZERO);
    }
    clear(env, key.base);
}

/// What the account may still spend of `token` now: 0 when untracked (the
/// reference's answer), the whole limit when the window has closed.
pub fn remaining_allowance(env: &mut dyn Env, key: &AccountKey, token: Address, now: u64) -> U256 {
    match load_hot(env, key.token_slot(token)) {
        None => U256::ZERO,
        Some(hot) if window::is_closed(hot.window_end, now) => hot.limit,
        Some(hot) => window::remaining(hot.limit, hot.spent),
    }
}

/// What [`charge`] did with a spend it did not refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charged {
    /// The token is limited and the spend is recorded. The account is
    /// initialized: only an initialized account has limited tokens. `guards`
    /// is the token's copy of whether the account has protected targets.
    Recorded {
        /// Whether the account has protected targets.
        guards: bool,
    },
    /// The token has no limit, so nothing was read but its hot word and
    /// nothing was written. Whether such a spend may go ahead (initialized,
    /// not paused, unknown tokens not denied) is in the account word,
    /// which [`charge`] leaves to its caller.
    NotLimited,
}

/// Charges `amount` of `token` at `now`: refuses every spend while the
/// account is paused and an amount over the token's per-call cap, restarts
/// a closed window at `now` (emitting `SpendingWindowReset`), refuses what
/// does not fit, records the rest (emitting `SpendingRecorded`). Reads only
/// the token's own words: see [`Charged`].
pub fn charge(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    amount: U256,
    now: u64,
) -> Result<Charged, HookError> {
    let slot = key.token_slot(token);
    let Some(hot) = load_hot(env, slot) else {
        return Ok(Charged::NotLimited);
    };
    if hot.paused() {
        return Err(HookError::policy(abi::AccountPaused {}));
    }
    if hot.capped() {
        let cap = load_word(env, at(slot, 4));
        if amount > cap {
            return Err(HookError::policy(abi::PerCallCapExceeded {
                token,
                attempted: amount,
                cap,
            }));
        }
    }
    // Decide everything first and write only once the spend fits, so that a
    // refused spend leaves storage as it was even before the revert.
    let restart =
        window::is_closed(hot.window_end, now).then(|| load_window(env, slot, hot.window_end).1);
    let (spent_before, window_end) = match restart {
        Some(duration) => (U256::ZERO, window::window_end(now, duration)),
        None => (hot.spent, hot.window_end),
    };
    let spent = window::charge(hot.limit, spent_before, amount)
        .map_err(|e| HookError::exceeded(token, amount, e.remaining))?;
    let extra = if hot.policy() != 0 {
        policy::check(env, key, token, slot, hot.policy(), amount, now)?
    } else {
        policy::Writes::default()
    };
    if let Some(duration) = restart {
        store_cold(env, slot, now, duration);
        events::emit(
            env,
            events::topic!(abi::SpendingWindowReset),
            key.account,
            Subject::Token(token),
            &[calldata::uint(now)],
        );
    }
    store_hot(
        env,
        slot,
        Some(&hot),
        hot.flags,
        hot.limit,
        spent,
        window_end,
    );
    extra.apply(env);
    events::emit(
        env,
        events::topic!(abi::SpendingRecorded),
        key.account,
        Subject::Token(token),
        &[amount, spent],
    );
    Ok(Charged::Recorded {
        guards: hot.flags & GUARDS_FLAG != 0,
    })
}

/// The hot word's flag bits (its first two bytes).
fn top_bits(word: &B256) -> u16 {
    u16::from_be_bytes(bytes_at(word, 0))
}

/// Rewrites `word`, the hot word at `slot`, with its flag bits passed
/// through `update`, unless that changes nothing.
fn update_top_bits(env: &mut dyn Env, slot: U256, mut word: B256, update: impl FnOnce(u16) -> u16) {
    let top = top_bits(&word);
    let updated = update(top);
    if updated != top {
        put_bytes(&mut word, 0, updated.to_be_bytes());
        env.store(slot, word);
    }
}

/// `top` with `flag` set when `on`, cleared otherwise.
fn with_flag(top: u16, flag: u16, on: bool) -> u16 {
    if on {
        top | flag
    } else {
        top & !flag
    }
}

/// The policy flags of the token whose record is at `slot`.
pub(crate) fn policy_bits(env: &mut dyn Env, slot: U256) -> u16 {
    top_bits(&env.load(slot)) & POLICY_MASK
}

/// Sets the policy flags of the tracked token whose record is at `slot`.
pub(crate) fn set_policy_bits(env: &mut dyn Env, slot: U256, bits: u16) {
    let word = env.load(slot);
    update_top_bits(env, slot, word, |top| {
        top & !POLICY_MASK | bits & POLICY_MASK
    });
}

/// Pauses or resumes every outflow of the account: the switch in its
/// account word, and its copy in each tracked token's hot word
/// ([`PAUSED_FLAG`]), together, so that the two never disagree. Costs a
/// write per tracked token, for a switch an account flips rarely, so that no
/// spend has to read the account word.
pub fn set_paused(env: &mut dyn Env, key: &AccountKey, state: &mut AccountState, paused: bool) {
    state.paused = paused;
    set_account(env, key, state);
    copy_to_tokens(env, key, PAUSED_FLAG, paused);
}

/// Sets how many protected targets the account has, in its word and, as the
/// guards flag ([`GUARDS_FLAG`]), in every tracked token's hot word.
pub fn set_protected_count(
    env: &mut dyn Env,
    key: &AccountKey,
    state: &mut AccountState,
    count: u8,
) {
    state.protected_count = count;
    set_account(env, key, state);
    copy_to_tokens(env, key, GUARDS_FLAG, count != 0);
}

/// Sets or clears `flag`, a copy of an account switch, in every tracked
/// token's hot word.
fn copy_to_tokens(env: &mut dyn Env, key: &AccountKey, flag: u16, on: bool) {
    for token in tracked_tokens(env, key) {
        let slot = key.token_slot(token);
        let word = env.load(slot);
        update_top_bits(env, slot, word, |top| with_flag(top, flag, on));
    }
}

/// Sets (or with 0, removes) `token`'s per-call cap. The token must be
/// limited: a cap is checked where the window is, on the token's record.
pub fn set_max_per_call(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    cap: U256,
) -> Result<(), HookError> {
    let slot = key.token_slot(token);
    let word = env.load(slot);
    if word.is_zero() {
        return Err(HookError::policy(abi::TokenNotLimited { token }));
    }
    let capped = !cap.is_zero();
    update_top_bits(env, slot, word, |top| with_flag(top, CAPPED_FLAG, capped));
    store_word(env, at(slot, 4), cap);
    events::emit(
        env,
        events::topic!(abi::MaxPerCallSet),
        key.account,
        Subject::Token(token),
        &[cap],
    );
    Ok(())
}

/// A token's state as of `now`, as `tokenState` returns it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenState {
    /// Whether the token is limited at all.
    pub limited: bool,
    /// The window limit.
    pub limit: U256,
    /// Spent in the current window (0 once the window has closed).
    pub spent: U256,
    /// What is left in the current window.
    pub remaining: U256,
    /// When the current (or last) window started.
    pub window_start: u64,
    /// Window length.
    pub window_duration: u64,
    /// When the window closes; at or before `now`, the next spend opens one.
    pub window_end: u64,
    /// The per-call cap (0: none).
    pub max_per_call: U256,
}

/// `token`'s whole state for the account as of `now`.
pub fn token_state(env: &mut dyn Env, key: &AccountKey, token: Address, now: u64) -> TokenState {
    let slot = key.token_slot(token);
    let Some(hot) = load_hot(env, slot) else {
        return TokenState::default();
    };
    let (window_start, window_duration) = load_window(env, slot, hot.window_end);
    let closed = window::is_closed(hot.window_end, now);
    let spent = if closed { U256::ZERO } else { hot.spent };
    let max_per_call = if hot.capped() {
        load_word(env, at(slot, 4))
    } else {
        U256::ZERO
    };
    TokenState {
        limited: true,
        limit: hot.limit,
        spent,
        remaining: window::remaining(hot.limit, spent),
        window_start,
        window_duration,
        window_end: hot.window_end,
        max_per_call,
    }
}

/// `token`'s per-call cap (0: none).
pub fn max_per_call(env: &mut dyn Env, key: &AccountKey, token: Address) -> U256 {
    load_word(env, at(key.token_slot(token), 4))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;

    const COMPACT_MAX: U256 = U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);
    use crate::env::MemoryEnv;
    use alloy_sol_types::SolEvent;

    const ACCOUNT: Address = Address::repeat_byte(0xac);
    const TOKEN: Address = Address::repeat_byte(0x70);
    const T0: u64 = 1_000_000;

    fn setup(limit: U256, duration: u64) -> (MemoryEnv, AccountKey) {
        let mut env = MemoryEnv::default();
        let key = AccountKey::new(ACCOUNT);
        let mut state = AccountState {
            initialized: true,
            ..Default::default()
        };
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(TOKEN, limit, duration),
            T0,
            OnExisting::Refuse,
        )
        .unwrap();
        set_account(&mut env, &key, &state);
        (env, key)
    }

    fn lim(token: Address, limit: U256, window_duration: u64) -> TokenLimit {
        TokenLimit {
            token,
            limit,
            window_duration,
        }
    }

    /// Charges `amount` of TOKEN, which is limited.
    fn spend(
        env: &mut MemoryEnv,
        key: &AccountKey,
        amount: U256,
        now: u64,
    ) -> Result<(), HookError> {
        let charged = charge(env, key, TOKEN, amount, now)?;
        assert_eq!(charged, Charged::Recorded { guards: false });
        Ok(())
    }

    fn spent(env: &mut MemoryEnv, key: &AccountKey) -> U256 {
        config(env, key, TOKEN).unwrap().spent
    }

    #[test]
    fn account_word_round_trips() {
        let state = AccountState {
            forwarder: Address::repeat_byte(0xfe),
            initialized: true,
            token_count: 50,
            paused: true,
            deny_unknown: true,
            protected_count: 16,
        };
        assert_eq!(AccountState::unpack(&state.pack()), state);
        assert_eq!(AccountState::unpack(&B256::ZERO), AccountState::default());
    }

    /// The words are written a byte range at a time; these pin them to the
    /// bit positions `crate::slots` documents.
    fn word_of(fields: &[(U256, usize)]) -> B256 {
        B256::from(
            fields
                .iter()
                .fold(U256::ZERO, |word, (value, shift)| word | (*value << *shift)),
        )
    }

    #[test]
    fn account_word_has_the_documented_layout() {
        let state = AccountState {
            forwarder: Address::repeat_byte(0xfe),
            initialized: true,
            token_count: 50,
            paused: false,
            deny_unknown: true,
            protected_count: 3,
        };
        let forwarder = U256::from_be_slice(state.forwarder.as_slice());
        let one = U256::from(1);
        assert_eq!(
            state.pack(),
            word_of(&[
                (forwarder, 0),
                (one, 160),
                (U256::from(50), 168),
                (one, 177),
                (U256::from(3), 184)
            ])
        );
        let paused = AccountState {
            paused: true,
            ..AccountState::default()
        };
        assert_eq!(paused.pack(), word_of(&[(one, 176)]));
    }

    #[test]
    fn token_words_have_the_documented_layout() {
        let (mut env, key) = setup(U256::from(1_000), 3_600);
        charge(&mut env, &key, TOKEN, U256::from(7), T0 + 5).unwrap();
        let slot = key.token_slot(TOKEN);
        let end = U256::from(T0 + 3_600);
        assert_eq!(
            env.load(slot),
            word_of(&[(U256::from(7), 0), (U256::from(1_000), 96), (end, 192)])
        );
        assert_eq!(env.load(at(slot, 1)), word_of(&[(U256::from(T0), 0)]));
        // Flags: policy bits 240..252, guards 252, paused 253, capped 254,
        // wide 255.
        set_policy_bits(&mut env, slot, 0x0801);
        set_max_per_call(&mut env, &key, TOKEN, U256::from(9)).unwrap();
        let mut state = account(&mut env, &key);
        set_paused(&mut env, &key, &mut state, true);
        set_protected_count(&mut env, &key, &mut state, 2);
        let flags = U256::from(0x0801u64) << 240
            | U256::from(1) << 252
            | U256::from(1) << 253
            | U256::from(1) << 254;
        assert_eq!(
            env.load(slot),
            word_of(&[
                (U256::from(7), 0),
                (U256::from(1_000), 96),
                (end, 192),
                (flags, 0)
            ])
        );
        let wide = U256::from(1) << 96;
        set_limit(
            &mut env,
            &key,
            &mut AccountState::default(),
            &lim(TOKEN, wide, 3_600),
            T0 + 6,
            OnExisting::Update,
        )
        .unwrap();
        assert_eq!(
            env.load(slot),
            word_of(&[(end, 192), (flags | U256::from(1) << 255, 0)])
        );
        assert_eq!(env.load(at(slot, 2)), B256::from(wide));
        assert_eq!(env.load(at(slot, 3)), B256::from(U256::from(7)));
    }

    #[test]
    fn new_token_starts_an_empty_window_now() {
        let (mut env, key) = setup(U256::from(100), 3_600);
        assert_eq!(
            config(&mut env, &key, TOKEN),
            Some(TokenConfig {
                limit: U256::from(100),
                spent: U256::ZERO,
                window_start: T0,
                window_duration: 3_600
            })
        );
        assert_eq!(tracked_tokens(&mut env, &key), alloc::vec![TOKEN]);
        assert_eq!(env.logs.len(), 1);
        assert_eq!(env.logs[0].topics[0], abi::SpendingLimitSet::SIGNATURE_HASH);
    }

    #[test]
    fn spends_accumulate_until_the_limit() {
        let (mut env, key) = setup(U256::from(100), 3_600);
        spend(&mut env, &key, U256::from(60), T0 + 1).unwrap();
        spend(&mut env, &key, U256::from(40), T0 + 2).unwrap();
        assert_eq!(spent(&mut env, &key), U256::from(100));
        assert_eq!(
            spend(&mut env, &key, U256::from(1), T0 + 3),
            Err(HookError::exceeded(TOKEN, U256::from(1), U256::ZERO))
        );
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0 + 3),
            U256::ZERO
        );
    }

    #[test]
    fn refused_spend_changes_nothing() {
        let (mut env, key) = setup(U256::from(100), 3_600);
        spend(&mut env, &key, U256::from(60), T0).unwrap();
        let before = env.slots.clone();
        // Even across a window restart, a refused spend writes nothing.
        assert!(spend(&mut env, &key, U256::from(101), T0 + 3_600).is_err());
        assert_eq!(env.slots, before);
    }

    #[test]
    fn window_closes_at_start_plus_duration() {
        let (mut env, key) = setup(U256::from(100), 60);
        spend(&mut env, &key, U256::from(100), T0).unwrap();
        assert!(spend(&mut env, &key, U256::from(1), T0 + 59).is_err());
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0 + 59),
            U256::ZERO
        );
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0 + 60),
            U256::from(100)
        );
        env.logs.clear();
        spend(&mut env, &key, U256::from(30), T0 + 60).unwrap();
        let cfg = config(&mut env, &key, TOKEN).unwrap();
        assert_eq!((cfg.spent, cfg.window_start), (U256::from(30), T0 + 60));
        assert_eq!(
            env.logs[0].topics[0],
            abi::SpendingWindowReset::SIGNATURE_HASH
        );
        assert_eq!(env.logs[1].topics[0], abi::SpendingRecorded::SIGNATURE_HASH);
    }

    #[test]
    fn window_drifts_from_the_first_spend_after_it_closes() {
        let (mut env, key) = setup(U256::from(100), 60);
        spend(&mut env, &key, U256::from(1), T0 + 1_000).unwrap();
        assert_eq!(
            config(&mut env, &key, TOKEN).unwrap().window_start,
            T0 + 1_000
        );
        assert!(spend(&mut env, &key, U256::from(100), T0 + 1_059).is_err());
    }

    #[test]
    fn update_keeps_spent_and_start_and_applies_the_new_duration() {
        let (mut env, key) = setup(U256::from(100), 3_600);
        spend(&mut env, &key, U256::from(80), T0 + 10).unwrap();
        let mut state = account(&mut env, &key);
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(TOKEN, U256::from(50), 60),
            T0 + 20,
            OnExisting::Update,
        )
        .unwrap();
        let cfg = config(&mut env, &key, TOKEN).unwrap();
        assert_eq!(
            cfg,
            TokenConfig {
                limit: U256::from(50),
                spent: U256::from(80),
                window_start: T0,
                window_duration: 60
            }
        );
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0 + 59),
            U256::ZERO
        );
        // The shorter window closes at T0 + 60, not T0 + 3600.
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0 + 60),
            U256::from(50)
        );
        assert_eq!(state.token_count, 1);
    }

    #[test]
    fn a_new_duration_rewrites_only_the_hot_word_unless_the_end_saturates() {
        let (mut env, key) = setup(U256::from(100), 3_600);
        let cold = at(key.token_slot(TOKEN), 1);
        let before = env.load(cold);
        let mut state = account(&mut env, &key);
        let mut update = |env: &mut MemoryEnv, duration| {
            let limit = lim(TOKEN, U256::from(100), duration);
            set_limit(env, &key, &mut state, &limit, T0 + 5, OnExisting::Update).unwrap();
            config(env, &key, TOKEN).unwrap()
        };
        assert_eq!(update(&mut env, 7_200).window_duration, 7_200);
        assert_eq!(
            env.load(cold),
            before,
            "start and duration follow from the hot word"
        );
        // A window that never closes keeps its duration in the cold word.
        let huge = window::MAX_TIME - 1;
        let cfg = update(&mut env, huge);
        assert_eq!((cfg.window_start, cfg.window_duration), (T0, huge));
        assert_ne!(env.load(cold), before);
        assert_eq!(update(&mut env, 60).window_duration, 60);
        assert_eq!(env.load(cold), before);
    }

    #[test]
    fn wide_limits_and_spends_round_trip() {
        let (mut env, key) = setup(U256::MAX, 3_600);
        spend(&mut env, &key, U256::MAX - U256::from(1), T0).unwrap();
        assert_eq!(spent(&mut env, &key), U256::MAX - U256::from(1));
        spend(&mut env, &key, U256::from(1), T0).unwrap();
        assert!(spend(&mut env, &key, U256::from(1), T0).is_err());
        // Lowering to a compact limit keeps the wide spent: still nothing left.
        let mut state = account(&mut env, &key);
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(TOKEN, U256::from(5), 3_600),
            T0,
            OnExisting::Update,
        )
        .unwrap();
        assert_eq!(config(&mut env, &key, TOKEN).unwrap().spent, U256::MAX);
        assert_eq!(remaining_allowance(&mut env, &key, TOKEN, T0), U256::ZERO);
        // A new window is compact again, and the wide slots are cleared.
        spend(&mut env, &key, U256::from(5), T0 + 3_600).unwrap();
        let slot = key.token_slot(TOKEN);
        assert_eq!(env.load(at(slot, 2)), B256::ZERO);
        assert_eq!(env.load(at(slot, 3)), B256::ZERO);
        assert_eq!(spent(&mut env, &key), U256::from(5));
    }

    #[test]
    fn compact_boundary() {
        let (mut env, key) = setup(COMPACT_MAX, 3_600);
        spend(&mut env, &key, COMPACT_MAX, T0).unwrap();
        assert_eq!(spent(&mut env, &key), COMPACT_MAX);
        assert_eq!(env.load(at(key.token_slot(TOKEN), 2)), B256::ZERO);
        let mut state = account(&mut env, &key);
        let wide = COMPACT_MAX + U256::from(1);
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(TOKEN, wide, 3_600),
            T0,
            OnExisting::Update,
        )
        .unwrap();
        assert_eq!(config(&mut env, &key, TOKEN).unwrap().limit, wide);
        assert_eq!(
            remaining_allowance(&mut env, &key, TOKEN, T0),
            U256::from(1)
        );
    }

    #[test]
    fn pause_is_copied_into_every_tracked_token_and_refuses_their_spends() {
        let (mut env, key) = setup(U256::from(1_000), 3_600);
        let other = Address::repeat_byte(0x71);
        let late = Address::repeat_byte(0x72);
        let mut state = account(&mut env, &key);
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(other, U256::from(5), 60),
            T0,
            OnExisting::Refuse,
        )
        .unwrap();
        set_paused(&mut env, &key, &mut state, true);
        // A token limited while paused starts paused too.
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(late, U256::from(5), 60),
            T0,
            OnExisting::Refuse,
        )
        .unwrap();
        set_account(&mut env, &key, &state);
        assert!(account(&mut env, &key).paused);
        let before = env.slots.clone();
        for token in [TOKEN, other, late] {
            assert_eq!(
                charge(&mut env, &key, token, U256::from(1), T0 + 1),
                Err(HookError::policy(abi::AccountPaused {}))
            );
        }
        assert_eq!(env.slots, before, "a refused spend writes nothing");
        set_paused(&mut env, &key, &mut state, false);
        for token in [TOKEN, other, late] {
            let hot = load_hot(&mut env, key.token_slot(token)).unwrap();
            assert!(!hot.paused(), "{token}");
            assert_eq!(
                charge(&mut env, &key, token, U256::from(1), T0 + 1),
                Ok(Charged::Recorded { guards: false })
            );
        }
        // Resuming leaves every other flag and field as it was.
        assert_eq!(spent(&mut env, &key), U256::from(1));
    }

    #[test]
    fn untracked_tokens_are_not_limited() {
        let (mut env, key) = setup(U256::from(1), 60);
        let other = Address::repeat_byte(0x71);
        let before = env.slots.clone();
        assert_eq!(
            charge(&mut env, &key, other, U256::MAX, T0),
            Ok(Charged::NotLimited)
        );
        assert_eq!(env.slots, before, "an unlimited spend writes nothing");
        assert_eq!(config(&mut env, &key, other), None);
        assert_eq!(remaining_allowance(&mut env, &key, other, T0), U256::ZERO);
    }

    #[test]
    fn too_many_tokens() {
        let mut env = MemoryEnv::default();
        let key = AccountKey::new(ACCOUNT);
        let mut state = AccountState {
            initialized: true,
            ..Default::default()
        };
        for i in 0..MAX_TRACKED_TOKENS {
            let token = Address::with_last_byte(i as u8);
            set_limit(
                &mut env,
                &key,
                &mut state,
                &lim(token, U256::from(1), 60),
                T0,
                OnExisting::Refuse,
            )
            .unwrap();
        }
        let extra = Address::repeat_byte(0xee);
        assert_eq!(
            set_limit(
                &mut env,
                &key,
                &mut state,
                &lim(extra, U256::from(1), 60),
                T0,
                OnExisting::Refuse
            ),
            Err(HookError::TooManyTokens(abi::TooManyTokens {
                max: U256::from(50)
            }))
        );
        // Updating a tracked token is still allowed at the cap.
        let first = Address::with_last_byte(0);
        set_limit(
            &mut env,
            &key,
            &mut state,
            &lim(first, U256::from(2), 60),
            T0,
            OnExisting::Update,
        )
        .unwrap();
    }

    #[test]
    fn remove_swaps_the_last_token_in_and_clears_everything() {
        let mut env = MemoryEnv::default();
        let key = AccountKey::new(ACCOUNT);
        let mut state = AccountState {
            initialized: true,
            ..Default::default()
        };
        let tokens: alloc::vec::Vec<_> = (1..=3).map(Address::with_last_byte).collect();
        for token in &tokens {
            set_limit(
                &mut env,
                &key,
                &mut state,
                &lim(*token, U256::MAX, 60),
                T0,
                OnExisting::Refuse,
            )
            .unwrap();
        }
        set_account(&mut env, &key, &state);
        charge(&mut env, &key, tokens[0], U256::from(5), T0).unwrap();
        assert!(remove_limit(&mut env, &key, &mut state, tokens[0]));
        set_account(&mut env, &key, &state);
        assert!(!remove_limit(&mut env, &key, &mut state, tokens[0]));
        assert_eq!(
            tracked_tokens(&mut env, &key),
            alloc::vec![tokens[2], tokens[1]]
        );
        assert_eq!(config(&mut env, &key, tokens[0]), None);
        for offset in 0..4 {
            assert_eq!(env.load(at(key.token_slot(tokens[0]), offset)), B256::ZERO);
        }
        clear_account(&mut env, &key);
        assert!(
            env.slots.is_empty(),
            "uninstall leaves no slot behind: {:?}",
            env.slots
        );
    }

    #[test]
    fn events_are_encoded_as_alloy_encodes_them() {
        use alloy_primitives::aliases::U48;
        let (mut env, key) = setup(U256::from(100), 3_600);
        spend(&mut env, &key, U256::from(7), T0 + 3_600).unwrap();
        let mut state = account(&mut env, &key);
        remove_limit(&mut env, &key, &mut state, TOKEN);
        fn alloy<E: SolEvent>(e: &E) -> (alloc::vec::Vec<B256>, alloc::vec::Vec<u8>) {
            (
                e.encode_topics()
                    .into_iter()
                    .map(|t| B256::from(t.0))
                    .collect(),
                e.encode_data(),
            )
        }
        let expected = [
            alloy(&abi::SpendingLimitSet {
                account: ACCOUNT,
                token: TOKEN,
                limit: U256::from(100),
                windowDuration: U48::from(3_600),
            }),
            alloy(&abi::SpendingWindowReset {
                account: ACCOUNT,
                token: TOKEN,
                newWindowStart: U48::from(T0 + 3_600),
            }),
            alloy(&abi::SpendingRecorded {
                account: ACCOUNT,
                token: TOKEN,
                amount: U256::from(7),
                totalSpent: U256::from(7),
            }),
            alloy(&abi::SpendingLimitRemoved {
                account: ACCOUNT,
                token: TOKEN,
            }),
        ];
        let got: alloc::vec::Vec<_> = env
            .logs
            .iter()
            .map(|l| (l.topics.clone(), l.data.clone()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn token_state_reads_as_of_now() {
        let (mut env, key) = setup(U256::from(100), 60);
        assert_eq!(
            token_state(&mut env, &key, Address::repeat_byte(0x71), T0),
            TokenState::default()
        );
        spend(&mut env, &key, U256::from(30), T0 + 10).unwrap();
        let open = token_state(&mut env, &key, TOKEN, T0 + 59);
        assert_eq!(
            open,
            TokenState {
                limited: true,
                limit: U256::from(100),
                spent: U256::from(30),
                remaining: U256::from(70),
                window_start: T0,
                window_duration: 60,
                window_end: T0 + 60,
                max_per_call: U256::ZERO,
            }
        );
        let closed = token_state(&mut env, &key, TOKEN, T0 + 60);
        assert_eq!(
            (closed.spent, closed.remaining, closed.window_end),
            (U256::ZERO, U256::from(100), T0 + 60)
        );
        set_max_per_call(&mut env, &key, TOKEN, U256::from(7)).unwrap();
        assert_eq!(
            token_state(&mut env, &key, TOKEN, T0).max_per_call,
            U256::from(7)
        );
    }

    #[test]
    fn slots_are_distinct_per_account_and_token() {
        let a = AccountKey::new(Address::repeat_byte(1));
        let b = AccountKey::new(Address::repeat_byte(2));
        let t = Address::repeat_byte(3);
        assert_ne!(a.token_slot(t), b.token_slot(t));
        assert_ne!(a.token_slot(t), a.token_slot(Address::repeat_byte(4)));
        assert_ne!(a.base, b.base);
    }
}
