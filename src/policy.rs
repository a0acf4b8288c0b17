//! Policies beyond the reference window: extra windows per token (fixed,
//! aligned, sliding), a lifetime cap, a validity period, and budgets shared
//! by several tokens. Storage only: the window arithmetic is in
//! [`crate::window`], the layout in [`crate::slots`].
//!
//! A token's record says in its hot word whether any of this applies
//! ([`crate::ledger`]'s policy flags), so tokens with only the reference's
//! window never pay for reading it. Checks read everything first and return
//! the [`Writes`] to make; the ledger applies them only once the whole spend
//! fits, so a refused spend changes nothing even before the revert.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

use crate::abi;
use crate::calldata;
use crate::env::Env;
use crate::error::HookError;
use crate::events::{self, Subject};
use crate::ledger;
use crate::list;
use crate::slots::{
    address_uint, at, bytes_at, clear, get_u128, get_u48, max_uint, put_bytes, put_u128, put_u48,
    u128_word, uint128, AccountKey, MAX_BUDGETS,
};
use crate::window::{self, Kind, Spec, Tally, RING};

/// Most extra windows a token or a budget holds (each spend reads them all).
pub const MAX_WINDOWS: usize = 3;

/// Record offsets (see [`crate::slots`]).
const POLICY: u64 = 5;
const LIFETIME: u64 = 6;
const WINDOWS: u64 = 8;
const WINDOW_WORDS: u64 = 2 + RING;
/// Budget offset of its id; its windows follow as a token's do.
const BUDGET_ID: u64 = 0;

/// Largest token scale: it shares the policy word.
pub const MAX_SCALE: u128 = (1 << 96) - 1;

// The policy flags in the token's hot word (see `crate::slots`).
const FLAG_WINDOWS: u16 = 0b11;
const FLAG_LIFETIME: u16 = 1 << 2;
const FLAG_VALIDITY: u16 = 1 << 3;
const BUDGET_SHIFT: u32 = 4;

// Byte offsets of the fields of the policy words (byte 0 is the most
// significant; see `crate::slots` for the layout).
const VALID_AFTER: usize = 0;
const VALID_UNTIL: usize = 6;
const SCALE: usize = 20;
const SPEC_KIND: usize = 0;
const SPEC_DURATION: usize = 1;
const SPEC_ANCHOR: usize = 7;
/// In a budget's first window spec: how many windows the budget has, so a
/// spend learns it from a word it reads anyway.
const SPEC_SET_COUNT: usize = 13;
const TALLY_OCCUPIED: usize = 0;
const TALLY_MARK: usize = 4;
/// Where the amount of a limit, tally, cap or ring slot sits: the low half.
const AMOUNT: usize = 16;
const LIFETIME_SPENT: usize = 0;

/// Slot writes decided by a check, made only once everything passed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Writes(Vec<(U256, B256)>);

impl Writes {
    fn push(&mut self, slot: U256, word: B256) {
        crate::list::push(&mut self.0, (slot, word));
    }

    /// Makes the writes, in order.
    pub fn apply(self, env: &mut dyn Env) {
        for (slot, word) in self.0 {
            env.store(slot, word);
        }
    }
}

/// A token's policy word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Header {
    valid_after: u64,
    valid_until: u64,
    windows: usize,
    /// Bit `i`: the token counts towards budget `i`.
    budgets: u8,
    lifetime: bool,
    /// What one unit of the token is worth in budget units (0 while in none).
    scale: u128,
}

impl Header {
    fn load(env: &mut dyn Env, record: U256) -> Self {
        let flags = ledger::policy_bits(env, record);
        Self::from_flags(env, record, flags)
    }

    /// The header of a token whose hot word carries `flags`: counts and
    /// switches come from the flags, and the policy word (validity, scale)
    /// is read only if they say it holds something.
    fn from_flags(env: &mut dyn Env, record: U256, flags: u16) -> Self {
        let [budgets, _] = flags.wrapping_shr(BUDGET_SHIFT).to_le_bytes();
        let mut header = Self {
            windows: usize::from(flags & FLAG_WINDOWS).min(MAX_WINDOWS),
            budgets,
            lifetime: flags & FLAG_LIFETIME != 0,
            ..Self::default()
        };
        if flags & FLAG_VALIDITY != 0 || budgets != 0 {
            let word = env.load(at(record, POLICY));
            header.valid_after = get_u48(&word, VALID_AFTER);
            header.valid_until = get_u48(&word, VALID_UNTIL);
            header.scale = get_u96(&word, SCALE);
        }
        header
    }

    /// Writes the flags into the token's hot word and, if it holds
    /// anything, the policy word.
    fn store(&self, env: &mut dyn Env, record: U256) {
        let validity = self.valid_after != 0 || self.valid_until != 0;
        let mut flags = u16::try_from(self.windows.min(MAX_WINDOWS)).unwrap_or(0)
            | u16::from(self.budgets).wrapping_shl(BUDGET_SHIFT);
        if self.lifetime {
            flags |= FLAG_LIFETIME;
        }
        if validity {
            flags |= FLAG_VALIDITY;
        }
        if validity || self.budgets != 0 {
            let mut word = B256::ZERO;
            put_u48(&mut word, VALID_AFTER, self.valid_after);
            put_u48(&mut word, VALID_UNTIL, self.valid_until);
            let [_, _, _, _, scale @ ..] = self.scale.min(MAX_SCALE).to_be_bytes();
            put_bytes(&mut word, SCALE, scale);
            env.store(at(record, POLICY), word);
        } else {
            clear(env, at(record, POLICY));
        }
        ledger::set_policy_bits(env, record, flags);
    }

    fn allows(&self, now: u64) -> bool {
        now >= self.valid_after && (self.valid_until == 0 || now < self.valid_until)
    }
}

fn get_u96(word: &B256, at: usize) -> u128 {
    let [a, b, c, d, e, f, g, h, i, j, k, l] = bytes_at::<12>(word, at);
    u128::from_be_bytes([0, 0, 0, 0, a, b, c, d, e, f, g, h, i, j, k, l])
}

/// The budgets whose bit is set in `mask`.
fn budget_indexes(mask: u8) -> impl Iterator<Item = usize> {
    (0..MAX_BUDGETS).filter(move |i| mask & 1u8.wrapping_shl(*i as u32) != 0)
}

fn budget_bit(index: usize) -> u8 {
    1u8.wrapping_shl(index as u32)
}

fn window_slot(record: U256, index: usize) -> U256 {
    // index < MAX_WINDOWS: the product is small.
    at(
        record,
        WINDOWS.saturating_add(WINDOW_WORDS.saturating_mul(index as u64)),
    )
}

fn spec_word(spec: &Spec) -> B256 {
    let mut word = u128_word(spec.limit);
    put_bytes(&mut word, SPEC_KIND, [spec.kind.code()]);
    put_u48(&mut word, SPEC_DURATION, spec.duration);
    put_u48(&mut word, SPEC_ANCHOR, spec.anchor);
    word
}

fn spec_of(word: &B256) -> Spec {
    let [code] = bytes_at::<1>(word, SPEC_KIND);
    Spec {
        // Only valid specs are stored.
        kind: Kind::from_code(code).unwrap_or(Kind::Fixed),
        limit: get_u128(word, AMOUNT),
        duration: get_u48(word, SPEC_DURATION),
        anchor: get_u48(word, SPEC_ANCHOR),
    }
}

fn tally_word(tally: &Tally) -> B256 {
    let mut word = u128_word(tally.counted);
    put_bytes(&mut word, TALLY_OCCUPIED, tally.occupied.to_be_bytes());
    put_u48(&mut word, TALLY_MARK, tally.mark);
    word
}

fn tally_of(word: &B256) -> Tally {
    Tally {
        counted: get_u128(word, AMOUNT),
        mark: get_u48(word, TALLY_MARK),
        occupied: u32::from_be_bytes(bytes_at(word, TALLY_OCCUPIED)),
    }
}

/// The amount in a ring slot, cap or scale word.
fn amount_at(env: &mut dyn Env, slot: U256) -> u128 {
    get_u128(&env.load(slot), AMOUNT)
}

/// One stored window, rolled to now.
struct Live {
    spec: Spec,
    tally: Tally,
    slot: U256,
}

fn ring_slot(window: U256, slot: u32) -> U256 {
    at(window, 2u64.saturating_add(u64::from(slot)))
}

fn load_window(env: &mut dyn Env, record: U256, index: usize, now: u64) -> Live {
    let slot = window_slot(record, index);
    let spec = spec_of(&env.load(slot));
    let tally = tally_of(&env.load(at(slot, 1)));
    let tally = window::roll(&spec, tally, now, |s| amount_at(env, ring_slot(slot, s)));
    Live { spec, tally, slot }
}

/// Charges `amount` to `count` windows at `record`, or returns what is left in
/// the first that cannot take it. `None` is an amount past 128 bits, which
/// no window can take.
fn charge_windows(
    env: &mut dyn Env,
    record: U256,
    count: usize,
    amount: Option<u128>,
    now: u64,
    writes: &mut Writes,
) -> Result<(), U256> {
    for index in 0..count {
        let live = load_window(env, record, index, now);
        let Some(amount) = amount else {
            return Err(uint128(live.spec.limit.saturating_sub(live.tally.counted)));
        };
        let charged = window::charge_window(&live.spec, live.tally, amount, |s| {
            amount_at(env, ring_slot(live.slot, s))
        })
        .map_err(uint128)?;
        writes.push(at(live.slot, 1), tally_word(&charged.tally));
        if let Some((s, amount)) = charged.bucket {
            writes.push(ring_slot(live.slot, s), u128_word(amount));
        }
    }
    Ok(())
}

/// `amount` if it fits a policy amount; larger amounts exceed every policy limit.
fn fit(amount: U256) -> Option<u128> {
    (amount.bit_len() <= 128).then(|| calldata::low_u128(&amount))
}

/// Checks a spend of `amount` of `token` (whose record is at `record` and
/// whose hot word carries `flags`) against its policy and its budgets at
/// `now`, and returns the writes that record it.
pub fn check(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    record: U256,
    flags: u16,
    amount: U256,
    now: u64,
) -> Result<Writes, HookError> {
    let header = Header::from_flags(env, record, flags);
    if !header.allows(now) {
        return Err(HookError::policy(abi::OutsideValidity {
            token,
            validAfter: calldata::uint48_of(header.valid_after),
            validUntil: calldata::uint48_of(header.valid_until),
        }));
    }
    let mut writes = Writes::default();
    let fitted = fit(amount);
    charge_windows(env, record, header.windows, fitted, now, &mut writes)
        .map_err(|remaining| HookError::exceeded(token, amount, remaining))?;
    if header.lifetime {
        let word = env.load(at(record, LIFETIME));
        let (cap, spent) = (get_u128(&word, AMOUNT), get_u128(&word, LIFETIME_SPENT));
        let left = cap.saturating_sub(spent);
        let Some(total) = fitted
            .filter(|a| *a <= left)
            .and_then(|a| spent.checked_add(a))
        else {
            return Err(HookError::policy(abi::LifetimeCapExceeded {
                token,
                attempted: amount,
                remaining: uint128(left),
            }));
        };
        writes.push(at(record, LIFETIME), lifetime_word(cap, total));
    }
    // Scales are 96-bit, budget limits 128-bit: a product past 128 bits
    // exceeds any budget, and is reported as the largest word (built at run
    // time: `U256::MAX` would be 32 bytes of data every call pays for).
    let scaled = fitted.and_then(|a| a.checked_mul(header.scale));
    for index in budget_indexes(header.budgets) {
        let budget = key.budget_slot(index);
        let count = budget_window_count(env, budget);
        charge_windows(env, budget, count, scaled, now, &mut writes).map_err(|remaining| {
            HookError::policy(abi::BudgetExceeded {
                budget: env.load(at(budget, BUDGET_ID)),
                attempted: scaled.map_or_else(max_uint, uint128),
                remaining,
            })
        })?;
    }
    Ok(writes)
}

fn lifetime_word(cap: u128, spent: u128) -> B256 {
    let mut word = u128_word(cap);
    put_u128(&mut word, LIFETIME_SPENT, spent);
    word
}

/// The record of a token the account limits, or `TokenNotLimited`.
fn limited(env: &mut dyn Env, key: &AccountKey, token: Address) -> Result<U256, HookError> {
    let record = key.token_slot(token);
    if env.load(record).is_zero() {
        return Err(HookError::policy(abi::TokenNotLimited { token }));
    }
    Ok(record)
}

/// Checks a list of windows for a policy.
fn validate(specs: &[Spec]) -> Result<(), HookError> {
    if specs.len() > MAX_WINDOWS {
        return Err(invalid_window(MAX_WINDOWS));
    }
    match specs.iter().position(|s| !s.is_valid()) {
        Some(index) => Err(invalid_window(index)),
        None => Ok(()),
    }
}

fn invalid_window(index: usize) -> HookError {
    HookError::policy(abi::InvalidWindow {
        index: calldata::uint(index as u64),
    })
}

/// Stores `specs` as the windows at `record`, replacing the `before` there. A
/// window with the same clock at the same index keeps its tally; the others
/// start fresh at `now`.
fn store_windows(env: &mut dyn Env, record: U256, before: usize, specs: &[Spec], now: u64) {
    for (index, spec) in (0..specs.len()).zip(specs) {
        let slot = window_slot(record, index);
        let kept = (index < before)
            .then(|| load_window(env, record, index, now))
            .filter(|live| live.spec.same_clock(spec))
            .map(|live| live.tally);
        env.store(slot, spec_word(spec));
        let tally = kept.unwrap_or_else(|| window::fresh(spec, now));
        env.store(at(slot, 1), tally_word(&tally));
    }
    for index in specs.len()..before {
        clear_window(env, record, index);
    }
}

/// Forgets a window's spec and tally. Its ring is left as it is: with the
/// tally's occupied bits cleared, nothing there is ever read again.
fn clear_window(env: &mut dyn Env, record: U256, index: usize) {
    let slot = window_slot(record, index);
    clear(env, slot);
    clear(env, at(slot, 1));
}

/// `TokenWindowSet` or `BudgetWindowSet`, as `subject` says. Out of line,
/// with each topic written where it is emitted: a topic handed through a
/// loop would be kept as a constant in the data section.
#[inline(never)]
fn emit_window(env: &mut dyn Env, account: Address, subject: Subject, index: usize, spec: &Spec) {
    let words = [
        calldata::uint(index as u64),
        calldata::uint(u64::from(spec.kind.code())),
        uint128(spec.limit),
        calldata::uint(spec.duration),
        calldata::uint(spec.anchor),
    ];
    match subject {
        Subject::Budget(_) => {
            let topic = events::topic!(abi::BudgetWindowSet);
            events::emit(env, topic, account, subject, &words);
        }
        _ => {
            let topic = events::topic!(abi::TokenWindowSet);
            events::emit(env, topic, account, subject, &words);
        }
    }
}

/// `BudgetTokenSet`, out of line for the same reason as [`emit_window`].
#[inline(never)]
fn emit_budget_token(
    env: &mut dyn Env,
    account: Address,
    subject: Subject,
    token: Address,
    scale: u128,
) {
    let words = [address_uint(token), uint128(scale)];
    events::emit(
        env,
        events::topic!(abi::BudgetTokenSet),
        account,
        subject,
        &words,
    );
}

/// `setWindows(token, windows)` for `key`'s account at `now`.
pub fn set_windows(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    specs: &[Spec],
    now: u64,
) -> Result<(), HookError> {
    let record = limited(env, key, token)?;
    validate(specs)?;
    let mut header = Header::load(env, record);
    store_windows(env, record, header.windows, specs, now);
    header.windows = specs.len();
    header.store(env, record);
    let subject = Subject::Token(token);
    let count = [calldata::uint(specs.len() as u64)];
    events::emit(
        env,
        events::topic!(abi::TokenWindowsSet),
        key.account,
        subject,
        &count,
    );
    for (index, spec) in (0..specs.len()).zip(specs) {
        emit_window(env, key.account, subject, index, spec);
    }
    Ok(())
}

/// `setLifetimeCap(token, cap)`: 0 removes the cap and what it counted.
pub fn set_lifetime_cap(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    cap: u128,
) -> Result<(), HookError> {
    let record = limited(env, key, token)?;
    let mut header = Header::load(env, record);
    if cap == 0 {
        clear(env, at(record, LIFETIME));
    } else {
        let spent = if header.lifetime {
            get_u128(&env.load(at(record, LIFETIME)), LIFETIME_SPENT)
        } else {
            0
        };
        env.store(at(record, LIFETIME), lifetime_word(cap, spent));
    }
    header.lifetime = cap != 0;
    header.store(env, record);
    let event = events::topic!(abi::LifetimeCapSet);
    events::emit(
        env,
        event,
        key.account,
        Subject::Token(token),
        &[uint128(cap)],
    );
    Ok(())
}

/// `setValidity(token, validAfter, validUntil)`.
pub fn set_validity(
    env: &mut dyn Env,
    key: &AccountKey,
    token: Address,
    valid_after: u64,
    valid_until: u64,
) -> Result<(), HookError> {
    if valid_until != 0 && valid_until <= valid_after {
        return Err(HookError::policy(abi::InvalidValidity {
            validAfter: calldata::uint48_of(valid_after),
            validUntil: calldata::uint48_of(valid_until),
        }));
    }
    let record = limited(env, key, token)?;
    let mut header = Header::load(env, record);
    header.valid_after = valid_after;
    header.valid_until = valid_until;
    header.store(env, record);
    let event = events::topic!(abi::ValiditySet);
    let words = [calldata::uint(valid_after), calldata::uint(valid_until)];
    events::emit(env, event, key.account, Subject::Token(token), &words);
    Ok(())
}

fn budget_window_count(env: &mut dyn Env, budget: U256) -> usize {
    let [count] = bytes_at::<1>(&env.load(window_slot(budget, 0)), SPEC_SET_COUNT);
    usize::from(count).min(MAX_WINDOWS)
}

/// The index of budget `id` among the account's eight, if it exists.
fn find_budget(env: &mut dyn Env, key: &AccountKey, id: B256) -> Option<usize> {
    (0..MAX_BUDGETS).find(|i| env.load(at(key.budget_slot(*i), BUDGET_ID)) == id)
}

/// The index of the account's first free budget slot, if any. (Not
/// `find_budget` of a zero id: a zero word passed by reference would be 32
/// bytes of the data section, which every call pays for.)
fn free_budget(env: &mut dyn Env, key: &AccountKey) -> Option<usize> {
    (0..MAX_BUDGETS).find(|i| env.load(at(key.budget_slot(*i), BUDGET_ID)).is_zero())
}

/// The budget ids of the account, in slot order.
pub fn budget_ids(env: &mut dyn Env, key: &AccountKey) -> Vec<B256> {
    let mut ids = Vec::new();
    for i in 0..MAX_BUDGETS {
        let id = env.load(at(key.budget_slot(i), BUDGET_ID));
        if !id.is_zero() {
            list::push(&mut ids, id);
        }
    }
    ids
}

/// Takes every tracked token that is not in `keep` out of budget `index`.
fn release_tokens(env: &mut dyn Env, key: &AccountKey, index: usize, keep: &[(Address, u128)]) {
    for token in ledger::tracked_tokens(env, key) {
        if keep.iter().any(|(t, _)| *t == token) {
            continue;
        }
        let record = key.token_slot(token);
        let mut header = Header::load(env, record);
        if header.budgets & budget_bit(index) != 0 {
            header.budgets &= !budget_bit(index);
            if header.budgets == 0 {
                header.scale = 0;
            }
            header.store(env, record);
        }
    }
}

/// `setBudget(id, tokens, scales, windows)` for `key`'s account at `now`.
/// A token's scale is its unit: a token in two budgets has one scale.
pub fn set_budget(
    env: &mut dyn Env,
    key: &AccountKey,
    id: B256,
    tokens: &[(Address, u128)],
    specs: &[Spec],
    now: u64,
) -> Result<(), HookError> {
    let invalid = || HookError::policy(abi::InvalidBudget { budget: id });
    if id.is_zero() || tokens.is_empty() {
        return Err(invalid());
    }
    for (index, (token, scale)) in (0..tokens.len()).zip(tokens) {
        let repeated = tokens
            .get(..index)
            .unwrap_or_default()
            .iter()
            .any(|(t, _)| t == token);
        if *scale == 0 || *scale > MAX_SCALE || repeated {
            return Err(invalid());
        }
    }
    validate(specs)?;
    let existing = find_budget(env, key, id);
    let index = existing
        .or_else(|| free_budget(env, key))
        .ok_or_else(invalid)?;
    // Every check before the first write.
    for (token, scale) in tokens {
        let record = limited(env, key, *token)?;
        let header = Header::load(env, record);
        let elsewhere = header.budgets & !budget_bit(index) != 0;
        if elsewhere && header.scale != *scale {
            return Err(invalid());
        }
    }
    let budget = key.budget_slot(index);
    let windows_before = if existing.is_some() {
        release_tokens(env, key, index, tokens);
        budget_window_count(env, budget)
    } else {
        env.store(at(budget, BUDGET_ID), id);
        0
    };
    for (token, scale) in tokens {
        let record = key.token_slot(*token);
        let mut header = Header::load(env, record);
        header.budgets |= budget_bit(index);
        header.scale = *scale;
        header.store(env, record);
    }
    store_windows(env, budget, windows_before, specs, now);
    if let Some(first) = specs.first() {
        let mut word = spec_word(first);
        let count = u8::try_from(specs.len()).unwrap_or(u8::MAX);
        put_bytes(&mut word, SPEC_SET_COUNT, [count]);
        env.store(window_slot(budget, 0), word);
    }
    let subject = Subject::Budget(id);
    let counts = [
        calldata::uint(tokens.len() as u64),
        calldata::uint(specs.len() as u64),
    ];
    events::emit(
        env,
        events::topic!(abi::BudgetSet),
        key.account,
        subject,
        &counts,
    );
    for (token, scale) in tokens {
        emit_budget_token(env, key.account, subject, *token, *scale);
    }
    for (index, spec) in (0..specs.len()).zip(specs) {
        emit_window(env, key.account, subject, index, spec);
    }
    Ok(())
}

/// `removeBudget(id)`: every token leaves it and it is forgotten; a no-op for
/// an unknown id.
pub fn remove_budget(env: &mut dyn Env, key: &AccountKey, id: B256) {
    if id.is_zero() {
        return;
    }
    let Some(index) = find_budget(env, key, id) else {
        return;
    };
    release_tokens(env, key, index, &[]);
    clear_budget(env, key.budget_slot(index));
    events::emit(
        env,
        events::topic!(abi::BudgetRemoved),
        key.account,
        Subject::Budget(id),
        &[],
    );
}

/// Forgets a budget's id and windows.
fn clear_budget(env: &mut dyn Env, budget: U256) {
    for index in 0..budget_window_count(env, budget) {
        clear_window(env, budget, index);
    }
    clear(env, at(budget, BUDGET_ID));
}

/// Forgets `token`'s policy when it stops being limited. Its budgets stay;
/// they simply no longer see it.
pub fn forget_token(env: &mut dyn Env, key: &AccountKey, token: Address) {
    let record = key.token_slot(token);
    let header = Header::load(env, record);
    for index in 0..header.windows {
        clear_window(env, record, index);
    }
    clear(env, at(record, LIFETIME));
    clear(env, at(record, POLICY));
}

/// Forgets every policy and budget of the account (on uninstall). Bounded:
/// at most 50 tokens and 8 budgets, each a few words.
pub fn clear_account(env: &mut dyn Env, key: &AccountKey) {
    for token in ledger::tracked_tokens(env, key) {
        forget_token(env, key, token);
    }
    for index in 0..MAX_BUDGETS {
        let budget = key.budget_slot(index);
        if !env.load(at(budget, BUDGET_ID)).is_zero() {
            clear_budget(env, budget);
        }
    }
}

/// A window as the views show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowView {
    /// What the window is.
    pub spec: Spec,
    /// What it holds now.
    pub shown: window::Shown,
    /// The budget it belongs to (zero: the token's own window).
    pub budget: B256,
}

/// `tokenPolicy`: everything beyond the reference window for one token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Spends are refused before this time.
    pub valid_after: u64,
    /// Spends are refused from this time on (0: never).
    pub valid_until: u64,
    /// The lifetime cap (0: none).
    pub lifetime_cap: u128,
    /// Counted against the lifetime cap.
    pub lifetime_spent: u128,
    /// The token's unit in its budgets (0: in none).
    pub scale: u128,
    /// Every window that applies, as of now: the token's own, then each of
    /// its budgets' (in budget units).
    pub windows: Vec<WindowView>,
    /// The budgets the token counts towards.
    pub budgets: Vec<B256>,
}

/// Appends the `count` windows at `record`, which belong to `budget`.
fn push_window_views(
    views: &mut Vec<WindowView>,
    env: &mut dyn Env,
    (record, count, budget): (U256, usize, B256),
    now: u64,
) {
    for index in 0..count {
        let live = load_window(env, record, index, now);
        let view = WindowView {
            spec: live.spec,
            shown: window::show(&live.spec, live.tally),
            budget,
        };
        list::push(views, view);
    }
}

/// `token`'s policy for `key`'s account as of `now` (empty when it has none).
pub fn token_policy(env: &mut dyn Env, key: &AccountKey, token: Address, now: u64) -> TokenPolicy {
    let record = key.token_slot(token);
    if env.load(record).is_zero() {
        return TokenPolicy::default();
    }
    let header = Header::load(env, record);
    let lifetime = env.load(at(record, LIFETIME));
    let mut windows = Vec::new();
    let own = (record, header.windows, B256::ZERO);
    push_window_views(&mut windows, env, own, now);
    let mut budgets = Vec::new();
    for index in budget_indexes(header.budgets) {
        let budget = key.budget_slot(index);
        let id = env.load(at(budget, BUDGET_ID));
        let count = budget_window_count(env, budget);
        push_window_views(&mut windows, env, (budget, count, id), now);
        list::push(&mut budgets, id);
    }
    TokenPolicy {
        valid_after: header.valid_after,
        valid_until: header.valid_until,
        lifetime_cap: get_u128(&lifetime, AMOUNT),
        lifetime_spent: get_u128(&lifetime, LIFETIME_SPENT),
        scale: header.scale,
        windows,
        budgets,
    }
}

/// `budgetState`: a budget's tokens with their scales, and its windows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetView {
    /// Tokens and scales, in storage order.
    pub tokens: Vec<(Address, u128)>,
    /// The windows, as of now.
    pub windows: Vec<WindowView>,
}

/// Budget `id` of `key`'s account as of `now` (empty when unknown).
pub fn budget_state(env: &mut dyn Env, key: &AccountKey, id: B256, now: u64) -> BudgetView {
    let Some(index) = find_budget(env, key, id).filter(|_| !id.is_zero()) else {
        return BudgetView::default();
    };
    let budget = key.budget_slot(index);
    let count = budget_window_count(env, budget);
    let mut tokens = Vec::new();
    for token in ledger::tracked_tokens(env, key) {
        let header = Header::load(env, key.token_slot(token));
        if header.budgets & budget_bit(index) != 0 {
            list::push(&mut tokens, (token, header.scale));
        }
    }
    let mut windows = Vec::new();
    push_window_views(&mut windows, env, (budget, count, id), now);
    BudgetView { tokens, windows }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;
    use crate::env::MemoryEnv;
    use crate::install::TokenLimit;
    use crate::ledger::{AccountState, OnExisting};
    use alloy_sol_types::SolEvent;

    const ACCOUNT: Address = Address::repeat_byte(0xac);
    const USDC: Address = Address::repeat_byte(0x70);
    const DAI: Address = Address::repeat_byte(0x71);
    const T0: u64 = 1_000_000;
    const BUDGET: B256 = B256::repeat_byte(0xb1);

    /// An installed account limiting USDC and DAI to `u128::MAX` a day (so
    /// that only the policy under test refuses).
    fn setup() -> (MemoryEnv, AccountKey) {
        let mut env = MemoryEnv::default();
        let key = AccountKey::new(ACCOUNT);
        let mut state = AccountState {
            initialized: true,
            ..Default::default()
        };
        for token in [USDC, DAI] {
            let limit = TokenLimit {
                token,
                limit: U256::MAX,
                window_duration: 86_400,
            };
            ledger::set_limit(&mut env, &key, &mut state, &limit, T0, OnExisting::Refuse).unwrap();
        }
        ledger::set_account(&mut env, &key, &state);
        (env, key)
    }

    fn spend(
        env: &mut MemoryEnv,
        key: &AccountKey,
        token: Address,
        amount: u64,
        now: u64,
    ) -> Result<(), HookError> {
        let charged = ledger::charge(env, key, token, U256::from(amount), now)?;
        assert_eq!(charged, ledger::Charged::Recorded { guards: false });
        Ok(())
    }

    fn window(kind: Kind, limit: u128, duration: u64) -> Spec {
        Spec {
            kind,
            limit,
            duration,
            anchor: 0,
        }
    }

    fn exceeded(token: Address, attempted: u64, remaining: u64) -> HookError {
        HookError::exceeded(token, U256::from(attempted), U256::from(remaining))
    }

    #[test]
    fn policies_need_a_limited_token_and_valid_windows() {
        let (mut env, key) = setup();
        let stranger = Address::repeat_byte(0x01);
        let not_limited = HookError::policy(abi::TokenNotLimited { token: stranger });
        let hourly = window(Kind::Fixed, 10, 3_600);
        assert_eq!(
            set_windows(&mut env, &key, stranger, &[hourly], T0),
            Err(not_limited.clone())
        );
        assert_eq!(
            set_lifetime_cap(&mut env, &key, stranger, 5),
            Err(not_limited.clone())
        );
        assert_eq!(
            set_validity(&mut env, &key, stranger, 0, 10),
            Err(not_limited)
        );
        let before = env.slots.clone();
        for (windows, index) in [
            (vec![hourly, window(Kind::Fixed, 0, 3_600)], 1),
            (vec![window(Kind::Sliding, 1, 59)], 0),
            (vec![hourly; 4], 3),
        ] {
            assert_eq!(
                set_windows(&mut env, &key, USDC, &windows, T0),
                Err(invalid_window(index))
            );
        }
        assert_eq!(
            set_validity(&mut env, &key, USDC, 10, 10),
            Err(HookError::policy(abi::InvalidValidity {
                validAfter: calldata::uint48_of(10),
                validUntil: calldata::uint48_of(10)
            }))
        );
        assert_eq!(env.slots, before, "a refused setting changes nothing");
    }

    #[test]
    fn every_window_must_fit_and_a_refusal_changes_nothing() {
        let (mut env, key) = setup();
        let windows = [
            window(Kind::Fixed, 100, 3_600),
            window(Kind::Sliding, 250, 86_400),
        ];
        set_windows(&mut env, &key, USDC, &windows, T0).unwrap();
        spend(&mut env, &key, USDC, 100, T0).unwrap();
        assert_eq!(
            spend(&mut env, &key, USDC, 1, T0 + 10),
            Err(exceeded(USDC, 1, 0))
        );
        spend(&mut env, &key, USDC, 100, T0 + 3_600).unwrap();
        // The hourly window has room; the sliding day has 50 left.
        let before = env.slots.clone();
        assert_eq!(
            spend(&mut env, &key, USDC, 60, T0 + 7_200),
            Err(exceeded(USDC, 60, 50))
        );
        assert_eq!(env.slots, before);
        spend(&mut env, &key, USDC, 50, T0 + 7_200).unwrap();
        let policy = token_policy(&mut env, &key, USDC, T0 + 7_200);
        assert_eq!(policy.windows.len(), 2);
        assert_eq!(policy.windows[1].shown.spent, 250);
        assert_eq!(policy.windows[1].shown.remaining, 0);
        // The first 100 (bucket of T0, 3,600 s long) is forgotten 25 buckets on.
        let bucket = window::bucket_len(86_400);
        let forgotten = (T0 / bucket + 25) * bucket;
        assert_eq!(policy.windows[1].shown.resets_at, forgotten);
        assert_eq!(
            spend(&mut env, &key, USDC, 1, forgotten - 1),
            Err(exceeded(USDC, 1, 0))
        );
        spend(&mut env, &key, USDC, 100, forgotten).unwrap();
        // Tokens without extra windows are not touched by USDC's.
        spend(&mut env, &key, DAI, 1_000_000, T0).unwrap();
    }

    #[test]
    fn replacing_windows_keeps_what_unchanged_clocks_counted() {
        let (mut env, key) = setup();
        let daily = window(Kind::Sliding, 100, 86_400);
        set_windows(&mut env, &key, USDC, &[daily], T0).unwrap();
        spend(&mut env, &key, USDC, 80, T0).unwrap();
        // Raising the limit does not forgive the 80.
        set_windows(
            &mut env,
            &key,
            USDC,
            &[Spec {
                limit: 120,
                ..daily
            }],
            T0 + 1,
        )
        .unwrap();
        assert_eq!(
            spend(&mut env, &key, USDC, 41, T0 + 2),
            Err(exceeded(USDC, 41, 40))
        );
        // A different clock starts fresh.
        set_windows(
            &mut env,
            &key,
            USDC,
            &[window(Kind::Fixed, 120, 3_600)],
            T0 + 3,
        )
        .unwrap();
        spend(&mut env, &key, USDC, 120, T0 + 4).unwrap();
        // No windows at all: the token is back on the reference path.
        set_windows(&mut env, &key, USDC, &[], T0 + 5).unwrap();
        assert!(!has_policy_flags(&mut env, key.token_slot(USDC)));
        spend(&mut env, &key, USDC, 1_000, T0 + 6).unwrap();
    }

    fn has_policy_flags(env: &mut MemoryEnv, record: U256) -> bool {
        ledger::policy_bits(env, record) != 0
    }

    #[test]
    fn aligned_windows_reset_on_their_grid() {
        let (mut env, key) = setup();
        // Days starting at 06:00 UTC.
        let day = Spec {
            anchor: 6 * 3_600,
            ..window(Kind::Aligned, 100, 86_400)
        };
        set_windows(&mut env, &key, USDC, &[day], T0).unwrap();
        let next = window::aligned_start(day.anchor, 86_400, T0) + 86_400;
        spend(&mut env, &key, USDC, 100, next - 1).unwrap();
        assert_eq!(
            spend(&mut env, &key, USDC, 1, next - 1),
            Err(exceeded(USDC, 1, 0))
        );
        spend(&mut env, &key, USDC, 100, next).unwrap();
        let shown = token_policy(&mut env, &key, USDC, next).windows[0].shown;
        assert_eq!((shown.start, shown.resets_at), (next, next + 86_400));
    }

    #[test]
    fn lifetime_caps_count_every_spend_ever() {
        let (mut env, key) = setup();
        set_lifetime_cap(&mut env, &key, USDC, 150).unwrap();
        spend(&mut env, &key, USDC, 100, T0).unwrap();
        spend(&mut env, &key, USDC, 50, T0 + 10 * 86_400).unwrap();
        assert_eq!(
            spend(&mut env, &key, USDC, 1, T0 + 1_000 * 86_400),
            Err(HookError::policy(abi::LifetimeCapExceeded {
                token: USDC,
                attempted: U256::from(1),
                remaining: U256::ZERO
            }))
        );
        // Raising the cap keeps what was counted; removing it forgets it.
        set_lifetime_cap(&mut env, &key, USDC, 160).unwrap();
        assert_eq!(token_policy(&mut env, &key, USDC, T0).lifetime_spent, 150);
        spend(&mut env, &key, USDC, 10, T0).unwrap();
        set_lifetime_cap(&mut env, &key, USDC, 0).unwrap();
        assert_eq!(
            token_policy(&mut env, &key, USDC, T0),
            TokenPolicy::default()
        );
        // Amounts past 128 bits exceed any cap.
        set_lifetime_cap(&mut env, &key, USDC, u128::MAX).unwrap();
        let huge = U256::from(u128::MAX) + U256::from(1);
        assert!(matches!(
            ledger::charge(&mut env, &key, USDC, huge, T0),
            Err(HookError::LifetimeCapExceeded(_))
        ));
    }

    #[test]
    fn validity_bounds_when_a_token_may_move() {
        let (mut env, key) = setup();
        set_validity(&mut env, &key, USDC, T0 + 100, T0 + 200).unwrap();
        let outside = HookError::policy(abi::OutsideValidity {
            token: USDC,
            validAfter: calldata::uint48_of(T0 + 100),
            validUntil: calldata::uint48_of(T0 + 200),
        });
        assert_eq!(
            spend(&mut env, &key, USDC, 1, T0 + 99),
            Err(outside.clone())
        );
        spend(&mut env, &key, USDC, 1, T0 + 100).unwrap();
        spend(&mut env, &key, USDC, 1, T0 + 199).unwrap();
        assert_eq!(spend(&mut env, &key, USDC, 1, T0 + 200), Err(outside));
        // No end.
        set_validity(&mut env, &key, USDC, T0 + 100, 0).unwrap();
        spend(&mut env, &key, USDC, 1, u64::from(u32::MAX) * 1_000).unwrap();
        set_validity(&mut env, &key, USDC, 0, 0).unwrap();
        spend(&mut env, &key, USDC, 1, 0).unwrap();
    }

    #[test]
    fn budgets_add_up_tokens_in_one_unit() {
        let (mut env, key) = setup();
        // USDC has 6 decimals, DAI 18: a budget of 100 dollars in DAI's unit.
        let usd = 10u128.pow(18);
        let scale = 10u128.pow(12);
        let daily = window(Kind::Sliding, 100 * usd, 86_400);
        set_budget(
            &mut env,
            &key,
            BUDGET,
            &[(USDC, scale), (DAI, 1)],
            &[daily],
            T0,
        )
        .unwrap();
        spend(&mut env, &key, USDC, 60 * 10u64.pow(6), T0).unwrap();
        let dai = |dollars: u64| U256::from(dollars) * U256::from(usd);
        assert_eq!(
            ledger::charge(&mut env, &key, DAI, dai(41), T0 + 1),
            Err(HookError::policy(abi::BudgetExceeded {
                budget: BUDGET,
                attempted: dai(41),
                remaining: dai(40)
            }))
        );
        ledger::charge(&mut env, &key, DAI, dai(40), T0 + 1).unwrap();
        let view = budget_state(&mut env, &key, BUDGET, T0 + 2);
        assert_eq!(view.tokens, vec![(USDC, scale), (DAI, 1)]);
        assert_eq!(view.windows[0].shown.spent, 100 * usd);
        // USDC's own view shows the budget's window, in budget units.
        let policy = token_policy(&mut env, &key, USDC, T0 + 2);
        assert_eq!(
            (policy.scale, policy.budgets.clone()),
            (scale, vec![BUDGET])
        );
        assert_eq!(policy.windows.len(), 1);
        assert_eq!(policy.windows[0].budget, BUDGET);
        assert_eq!(policy.windows[0].shown.spent, 100 * usd);
        assert_eq!(budget_ids(&mut env, &key), vec![BUDGET]);
    }

    #[test]
    fn a_scaled_amount_past_128_bits_is_refused_as_the_largest_word() {
        let (mut env, key) = setup();
        let daily = window(Kind::Fixed, u128::MAX, 86_400);
        set_budget(&mut env, &key, BUDGET, &[(USDC, MAX_SCALE)], &[daily], T0).unwrap();
        // 2^40 x (2^96 - 1) needs 136 bits: no budget can hold it.
        let amount = U256::from(1u64 << 40);
        assert_eq!(
            ledger::charge(&mut env, &key, USDC, amount, T0),
            Err(HookError::policy(abi::BudgetExceeded {
                budget: BUDGET,
                attempted: U256::MAX,
                remaining: U256::from(u128::MAX)
            }))
        );
        assert_eq!(
            budget_state(&mut env, &key, BUDGET, T0).windows[0]
                .shown
                .spent,
            0
        );
    }

    #[test]
    fn budget_definitions_are_checked_before_anything_is_written() {
        let (mut env, key) = setup();
        let daily = window(Kind::Fixed, 100, 86_400);
        let invalid = |id| Err(HookError::policy(abi::InvalidBudget { budget: id }));
        let before = env.slots.clone();
        assert_eq!(
            set_budget(&mut env, &key, B256::ZERO, &[(USDC, 1)], &[daily], T0),
            invalid(B256::ZERO)
        );
        assert_eq!(
            set_budget(&mut env, &key, BUDGET, &[], &[daily], T0),
            invalid(BUDGET)
        );
        assert_eq!(
            set_budget(&mut env, &key, BUDGET, &[(USDC, 0)], &[daily], T0),
            invalid(BUDGET)
        );
        assert_eq!(
            set_budget(
                &mut env,
                &key,
                BUDGET,
                &[(USDC, MAX_SCALE + 1)],
                &[daily],
                T0
            ),
            invalid(BUDGET)
        );
        assert_eq!(
            set_budget(
                &mut env,
                &key,
                BUDGET,
                &[(USDC, 1), (USDC, 1)],
                &[daily],
                T0
            ),
            invalid(BUDGET)
        );
        let stranger = Address::repeat_byte(0x01);
        assert_eq!(
            set_budget(
                &mut env,
                &key,
                BUDGET,
                &[(USDC, 1), (stranger, 1)],
                &[daily],
                T0
            ),
            Err(HookError::policy(abi::TokenNotLimited { token: stranger }))
        );
        assert_eq!(env.slots, before);
        // A token has one scale: its unit, whatever the budget.
        set_budget(&mut env, &key, BUDGET, &[(USDC, 7)], &[daily], T0).unwrap();
        let other = B256::repeat_byte(0xb2);
        assert_eq!(
            set_budget(&mut env, &key, other, &[(USDC, 8)], &[daily], T0),
            invalid(other)
        );
        set_budget(&mut env, &key, other, &[(USDC, 7)], &[daily], T0).unwrap();
        // Eight budgets at most.
        for i in 3..=8 {
            set_budget(
                &mut env,
                &key,
                B256::repeat_byte(i),
                &[(DAI, 1)],
                &[daily],
                T0,
            )
            .unwrap();
        }
        let ninth = B256::repeat_byte(9);
        assert_eq!(
            set_budget(&mut env, &key, ninth, &[(DAI, 1)], &[daily], T0),
            invalid(ninth)
        );
    }

    #[test]
    fn a_token_counts_towards_every_budget_holding_it() {
        let (mut env, key) = setup();
        let small = B256::repeat_byte(0xb2);
        set_budget(
            &mut env,
            &key,
            BUDGET,
            &[(USDC, 1), (DAI, 1)],
            &[window(Kind::Fixed, 100, 3_600)],
            T0,
        )
        .unwrap();
        set_budget(
            &mut env,
            &key,
            small,
            &[(USDC, 1)],
            &[window(Kind::Fixed, 30, 3_600)],
            T0,
        )
        .unwrap();
        spend(&mut env, &key, DAI, 80, T0).unwrap();
        let err = spend(&mut env, &key, USDC, 21, T0).unwrap_err();
        assert!(
            matches!(err, HookError::BudgetExceeded(ref e) if e.budget == BUDGET),
            "{err:?}"
        );
        spend(&mut env, &key, USDC, 20, T0).unwrap();
        // Dropping DAI from the big budget frees nothing already counted.
        set_budget(
            &mut env,
            &key,
            BUDGET,
            &[(USDC, 1)],
            &[window(Kind::Fixed, 100, 3_600)],
            T0,
        )
        .unwrap();
        spend(&mut env, &key, DAI, 1_000, T0).unwrap();
        assert!(spend(&mut env, &key, USDC, 1, T0).is_err());
        // Removing the budgets lets USDC go up to its own limit again.
        remove_budget(&mut env, &key, BUDGET);
        remove_budget(&mut env, &key, small);
        assert_eq!(budget_ids(&mut env, &key), Vec::<B256>::new());
        assert_eq!(
            token_policy(&mut env, &key, USDC, T0),
            TokenPolicy::default()
        );
        spend(&mut env, &key, USDC, 1_000, T0).unwrap();
    }

    #[test]
    fn forgetting_a_token_and_clearing_the_account_leave_no_policy_behind() {
        let (mut env, key) = setup();
        let daily = window(Kind::Fixed, 100, 86_400);
        set_windows(
            &mut env,
            &key,
            USDC,
            &[daily, window(Kind::Aligned, 5, 60)],
            T0,
        )
        .unwrap();
        set_lifetime_cap(&mut env, &key, USDC, 9).unwrap();
        set_validity(&mut env, &key, USDC, 1, 0).unwrap();
        set_budget(&mut env, &key, BUDGET, &[(USDC, 1), (DAI, 1)], &[daily], T0).unwrap();
        forget_token(&mut env, &key, USDC);
        for offset in [
            POLICY,
            LIFETIME,
            WINDOWS,
            WINDOWS + 1,
            WINDOWS + WINDOW_WORDS,
        ] {
            assert!(
                env.load(at(key.token_slot(USDC), offset)).is_zero(),
                "+{offset}"
            );
        }
        // The budget stays, with DAI.
        clear_account(&mut env, &key);
        ledger::clear_account(&mut env, &key);
        assert_eq!(
            env.slots,
            Default::default(),
            "no sliding window: nothing at all is left"
        );
    }

    #[test]
    fn events_are_encoded_as_alloy_encodes_them() {
        let (mut env, key) = setup();
        env.logs.clear();
        let spec = Spec {
            anchor: 7,
            ..window(Kind::Aligned, 100, 3_600)
        };
        set_windows(&mut env, &key, USDC, &[spec], T0).unwrap();
        set_lifetime_cap(&mut env, &key, USDC, 9).unwrap();
        set_validity(&mut env, &key, USDC, 1, 2).unwrap();
        set_budget(&mut env, &key, BUDGET, &[(USDC, 3)], &[spec], T0).unwrap();
        remove_budget(&mut env, &key, BUDGET);
        let u48 = calldata::uint48_of;
        let expected: Vec<alloy_primitives::LogData> = vec![
            abi::TokenWindowsSet {
                account: ACCOUNT,
                token: USDC,
                count: U256::from(1),
            }
            .encode_log_data(),
            abi::TokenWindowSet {
                account: ACCOUNT,
                token: USDC,
                index: U256::ZERO,
                kind: 1,
                limit: 100,
                duration: u48(3_600),
                anchor: u48(7),
            }
            .encode_log_data(),
            abi::LifetimeCapSet {
                account: ACCOUNT,
                token: USDC,
                cap: 9,
            }
            .encode_log_data(),
            abi::ValiditySet {
                account: ACCOUNT,
                token: USDC,
                validAfter: u48(1),
                validUntil: u48(2),
            }
            .encode_log_data(),
            abi::BudgetSet {
                account: ACCOUNT,
                budget: BUDGET,
                tokenCount: U256::from(1),
                windowCount: U256::from(1),
            }
            .encode_log_data(),
            abi::BudgetTokenSet {
                account: ACCOUNT,
                budget: BUDGET,
                token: USDC,
                scale: alloy_primitives::aliases::U96::from(3),
            }
            .encode_log_data(),
            abi::BudgetWindowSet {
                account: ACCOUNT,
                budget: BUDGET,
                index: U256::ZERO,
                kind: 1,
                limit: 100,
                duration: u48(3_600),
                anchor: u48(7),
            }
            .encode_log_data(),
            abi::BudgetRemoved {
                account: ACCOUNT,
                budget: BUDGET,
            }
            .encode_log_data(),
        ];
        let logs: Vec<alloy_primitives::LogData> = env
            .logs
            .iter()
            .map(|l| {
                alloy_primitives::LogData::new_unchecked(l.topics.clone(), l.data.clone().into())
            })
            .collect();
        assert_eq!(logs, expected);
    }
}
