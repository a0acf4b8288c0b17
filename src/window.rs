//! Window arithmetic: when a window closes, what is left in it, what a spend
//! leaves behind. Plain values in, plain values out: no storage, no host, so
//! every edge (equal timestamps, huge jumps, the end of time) is tested directly.
//!
//! Time is kept in `uint48` seconds, the width the reference's views return.
//! A clock past `uint48` is clamped to its maximum, and a window whose end would
//! fall past it never closes. Both are conservative: they can only refuse, never
//! reopen a budget.

use alloy_primitives::U256;

/// Shortest window the reference accepts, in seconds.
pub const MIN_WINDOW_DURATION: u64 = 60;

/// The largest representable time; also "never" as a window end.
pub const MAX_TIME: u64 = (1 << 48) - 1;

/// The block time as the ledger sees it: clamped into `uint48`.
pub fn clamp_time(block_timestamp: u64) -> u64 {
    block_timestamp.min(MAX_TIME)
}

/// When a window starting at `start` and lasting `duration` closes. Saturates
/// at [`MAX_TIME`], which means the window never closes (the reference reverts
/// with an overflow panic there instead).
pub fn window_end(start: u64, duration: u64) -> u64 {
    start.saturating_add(duration).min(MAX_TIME)
}

/// Whether the window ending at `end` has closed by `now`. The reference's
/// rule: a window is `[start, start + duration)`.
pub fn is_closed(end: u64, now: u64) -> bool {
    end != MAX_TIME && now >= end
}

/// What is left of `limit` after `spent`; 0 when the limit was lowered below
/// what was already spent.
pub fn remaining(limit: U256, spent: U256) -> U256 {
    limit.saturating_sub(spent)
}

/// A spend the window cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// What is left in the window.
    pub remaining: U256,
}

/// The window's new `spent` after charging `amount`, or what is left if the
/// amount does not fit.
pub fn charge(limit: U256, spent: U256, amount: U256) -> Result<U256, Exceeded> {
    let remaining = remaining(limit, spent);
    if amount > remaining {
        return Err(Exceeded { remaining });
    }
    // amount <= limit - spent, so this cannot overflow; checked all the same.
    spent.checked_add(amount).ok_or(Exceeded { remaining })
}

/// How a policy window decides what still counts. The reference's window is
/// [`Kind::Fixed`]; the others exist only in policies ([`crate::policy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `[start, start + duration)`, opened by the first spend after the last
    /// window closed: the reference's rule. Its start drifts with usage.
    Fixed,
    /// `[anchor + k * duration, anchor + (k + 1) * duration)`: calendar-like
    /// windows that never drift, whoever spends when.
    Aligned,
    /// The last `duration` seconds, whenever now is: never more than the limit
    /// in any interval of that length. Kept in [`BUCKETS`] buckets.
    Sliding,
}

impl Kind {
    /// The kind with ABI code `code` (0, 1, 2).
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Fixed),
            1 => Some(Self::Aligned),
            2 => Some(Self::Sliding),
            _ => None,
        }
    }

    /// The ABI code.
    pub fn code(self) -> u8 {
        match self {
            Self::Fixed => 0,
            Self::Aligned => 1,
            Self::Sliding => 2,
        }
    }
}

/// One window of a policy. Amounts are `u128`: a policy limit above that is
/// no limit at all, and halving the width packs two amounts per word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// How the window moves.
    pub kind: Kind,
    /// Most that may be counted in the window.
    pub limit: u128,
    /// Length in seconds.
    pub duration: u64,
    /// Where aligned windows start (any time; ignored by other kinds).
    pub anchor: u64,
}

impl Spec {
    /// The checks the reference applies to its own window (a limit, at least
    /// a minute) plus a duration that fits `uint48`.
    pub fn is_valid(&self) -> bool {
        self.limit != 0 && (MIN_WINDOW_DURATION..=MAX_TIME).contains(&self.duration)
    }

    /// Whether `other` counts time the same way, so what this window counted
    /// still means the same under `other` (only the limit differs).
    pub fn same_clock(&self, other: &Spec) -> bool {
        self.kind == other.kind
            && self.duration == other.duration
            && (self.kind != Kind::Aligned || self.anchor == other.anchor)
    }
}

/// Buckets a sliding window is cut into. A spend counts from the moment it is
/// made until its bucket is [`BUCKETS`] + 1 buckets old.
pub const BUCKETS: u64 = 24;
/// Ring slots a sliding window keeps: the current bucket and the [`BUCKETS`]
/// before it.
pub const RING: u64 = BUCKETS + 1;

/// What a window has counted. Fixed and aligned windows: `counted` is what
/// was spent in the window that starts at `mark`. Sliding windows: `counted`
/// is the sum of the ring, `mark` the latest bucket index, and bit `i` of
/// `occupied` says ring slot `i` holds an amount that still counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// What counts against the limit.
    pub counted: u128,
    /// Window start (fixed, aligned) or latest bucket index (sliding).
    pub mark: u64,
    /// Ring slots holding amounts (sliding only).
    pub occupied: u32,
}

/// Seconds per bucket of a sliding window: `ceil(duration / 24)`, so that 24
/// buckets cover at least the whole duration.
pub fn bucket_len(duration: u64) -> u64 {
    duration.div_ceil(BUCKETS).max(1)
}

/// The index of the sliding-window bucket holding `now`.
pub fn bucket_of(now: u64, duration: u64) -> u64 {
    now.checked_div(bucket_len(duration)).unwrap_or(now)
}

/// The start of the aligned window holding `now`.
pub fn aligned_start(anchor: u64, duration: u64, now: u64) -> u64 {
    let rem = |n: u64| n.checked_rem(duration).unwrap_or(0);
    if now >= anchor {
        now.saturating_sub(rem(now.saturating_sub(anchor)))
    } else {
        // Before the anchor the grid extends backwards.
        now.saturating_sub(rem(duration.saturating_sub(rem(anchor.saturating_sub(now)))))
    }
}

/// A window that starts counting at `now`.
pub fn fresh(spec: &Spec, now: u64) -> Tally {
    let mark = match spec.kind {
        Kind::Fixed => now,
        Kind::Aligned => aligned_start(spec.anchor, spec.duration, now),
        Kind::Sliding => bucket_of(now, spec.duration),
    };
    Tally {
        counted: 0,
        mark,
        occupied: 0,
    }
}

/// The ring slot of bucket `index`.
fn ring_slot(index: u64) -> u32 {
    // < RING = 25, so the cast is exact.
    (index % RING) as u32
}

/// `tally` as of `now`: a closed fixed or aligned window is emptied, and the
/// buckets that fell out of a sliding window are subtracted. `bucket(slot)`
/// reads the amount in ring slot `slot`; it is called only for occupied
/// slots, and at most [`BUCKETS`] times.
pub fn roll(spec: &Spec, tally: Tally, now: u64, mut bucket: impl FnMut(u32) -> u128) -> Tally {
    match spec.kind {
        Kind::Fixed if is_closed(window_end(tally.mark, spec.duration), now) => fresh(spec, now),
        Kind::Aligned if aligned_start(spec.anchor, spec.duration, now) != tally.mark => {
            fresh(spec, now)
        }
        Kind::Sliding => {
            let index = bucket_of(now, spec.duration);
            if index <= tally.mark {
                return tally;
            }
            if index.saturating_sub(tally.mark) >= RING {
                return fresh(spec, now);
            }
            let mut rolled = Tally {
                mark: index,
                ..tally
            };
            // Bucket k - RING shares ring slot k with bucket k: each step
            // forward pushes one bucket out.
            for k in tally.mark.saturating_add(1)..=index {
                let slot = ring_slot(k);
                let bit = 1u32.wrapping_shl(slot);
                if rolled.occupied & bit != 0 {
                    rolled.counted = rolled.counted.saturating_sub(bucket(slot));
                    rolled.occupied &= !bit;
                }
            }
            rolled
        }
        _ => tally,
    }
}

/// What charging `amount` to a rolled window changes: its tally, and for a
/// sliding window the ring slot and its new amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charged {
    /// The window's tally after the spend.
    pub tally: Tally,
    /// `(slot, amount)` to write into the ring (sliding windows).
    pub bucket: Option<(u32, u128)>,
}

/// Charges `amount` to a window already [`roll`]ed to now, or says what is
/// left. `bucket` reads a ring slot, as for [`roll`].
pub fn charge_window(
    spec: &Spec,
    tally: Tally,
    amount: u128,
    mut bucket: impl FnMut(u32) -> u128,
) -> Result<Charged, u128> {
    let left = spec.limit.saturating_sub(tally.counted);
    if amount > left {
        return Err(left);
    }
    let counted = tally.counted.checked_add(amount).ok_or(left)?;
    if spec.kind != Kind::Sliding {
        return Ok(Charged {
            tally: Tally { counted, ..tally },
            bucket: None,
        });
    }
    let slot = ring_slot(tally.mark);
    let bit = 1u32.wrapping_shl(slot);
    let before = if tally.occupied & bit != 0 {
        bucket(slot)
    } else {
        0
    };
    Ok(Charged {
        tally: Tally {
            counted,
            occupied: tally.occupied | bit,
            ..tally
        },
        bucket: Some((slot, before.checked_add(amount).ok_or(left)?)),
    })
}

/// A rolled window as a view shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shown {
    /// What counts now.
    pub spent: u128,
    /// What is left.
    pub remaining: u128,
    /// The earliest time whose spends still count.
    pub start: u64,
    /// When the next part of `spent` stops counting (0: nothing spent).
    pub resets_at: u64,
}

/// How a rolled window looks at `now`.
pub fn show(spec: &Spec, tally: Tally) -> Shown {
    let (start, resets_at) = match spec.kind {
        Kind::Fixed | Kind::Aligned => (tally.mark, window_end(tally.mark, spec.duration)),
        Kind::Sliding => {
            let len = bucket_len(spec.duration);
            let oldest = tally.mark.saturating_sub(BUCKETS);
            let first = (oldest..=tally.mark)
                .find(|k| tally.occupied & 1u32.wrapping_shl(ring_slot(*k)) != 0)
                .unwrap_or(oldest);
            (
                oldest.saturating_mul(len),
                first.saturating_add(RING).saturating_mul(len).min(MAX_TIME),
            )
        }
    };
    Shown {
        spent: tally.counted,
        remaining: spec.limit.saturating_sub(tally.counted),
        start,
        resets_at: if tally.counted == 0 { 0 } else { resets_at },
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;

    #[test]
    fn window_is_half_open() {
        let end = window_end(1_000, 60);
        assert_eq!(end, 1_060);
        assert!(!is_closed(end, 1_000));
        assert!(!is_closed(end, 1_059));
        assert!(is_closed(end, 1_060));
        assert!(is_closed(end, u64::MAX));
    }

    #[test]
    fn huge_windows_saturate_and_never_close() {
        assert_eq!(window_end(MAX_TIME - 10, MAX_TIME), MAX_TIME);
        assert_eq!(window_end(u64::MAX, u64::MAX), MAX_TIME);
        assert!(!is_closed(MAX_TIME, MAX_TIME));
        assert!(!is_closed(window_end(5, MAX_TIME), clamp_time(u64::MAX)));
    }

    #[test]
    fn clock_is_clamped_to_uint48() {
        assert_eq!(clamp_time(0), 0);
        assert_eq!(clamp_time(MAX_TIME), MAX_TIME);
        assert_eq!(clamp_time(u64::MAX), MAX_TIME);
    }

    #[test]
    fn remaining_saturates_when_limit_is_below_spent() {
        assert_eq!(remaining(U256::from(10), U256::from(4)), U256::from(6));
        assert_eq!(remaining(U256::from(10), U256::from(40)), U256::ZERO);
        assert_eq!(remaining(U256::ZERO, U256::MAX), U256::ZERO);
    }

    #[test]
    fn charge_takes_exactly_what_is_left() {
        let limit = U256::from(100);
        assert_eq!(charge(limit, U256::from(40), U256::from(60)), Ok(limit));
        assert_eq!(
            charge(limit, U256::from(40), U256::from(61)),
            Err(Exceeded {
                remaining: U256::from(60)
            })
        );
        assert_eq!(
            charge(U256::MAX, U256::MAX - U256::from(1), U256::from(1)),
            Ok(U256::MAX)
        );
        assert_eq!(
            charge(U256::MAX, U256::MAX, U256::from(1)),
            Err(Exceeded {
                remaining: U256::ZERO
            })
        );
    }

    fn spec(kind: Kind, limit: u128, duration: u64) -> Spec {
        Spec {
            kind,
            limit,
            duration,
            anchor: 0,
        }
    }

    #[test]
    fn aligned_windows_follow_the_anchor_grid() {
        assert_eq!(aligned_start(100, 60, 100), 100);
        assert_eq!(aligned_start(100, 60, 159), 100);
        assert_eq!(aligned_start(100, 60, 160), 160);
        // Before the anchor the grid runs backwards.
        assert_eq!(aligned_start(100, 60, 99), 40);
        assert_eq!(aligned_start(100, 60, 40), 40);
        assert_eq!(aligned_start(100, 60, 39), 0);
        // Midnight UTC days.
        assert_eq!(aligned_start(0, 86_400, 1_700_000_000), 1_699_920_000);
    }

    #[test]
    fn fixed_windows_reopen_at_the_first_spend_after_closing() {
        let s = spec(Kind::Fixed, 100, 60);
        let t = fresh(&s, 1_000);
        let spent = charge_window(&s, t, 70, |_| 0).unwrap().tally;
        assert_eq!(roll(&s, spent, 1_059, |_| 0), spent);
        assert_eq!(charge_window(&s, spent, 31, |_| 0), Err(30));
        let reopened = roll(&s, spent, 1_060, |_| 0);
        assert_eq!(reopened, fresh(&s, 1_060));
        assert_eq!(reopened.mark, 1_060);
    }

    #[test]
    fn aligned_windows_reset_on_the_grid_not_at_spends() {
        let s = Spec {
            anchor: 30,
            ..spec(Kind::Aligned, 100, 60)
        };
        let t = charge_window(&s, fresh(&s, 80), 100, |_| 0).unwrap().tally;
        assert_eq!(t.mark, 30);
        assert_eq!(roll(&s, t, 89, |_| 0).counted, 100);
        // 90 starts the next grid window, 10 s after the spend.
        assert_eq!(roll(&s, t, 90, |_| 0), fresh(&s, 90));
        assert_eq!(fresh(&s, 90).mark, 90);
    }

    /// The ring of one sliding window, in memory.
    fn ring_charge(s: &Spec, t: &mut Tally, ring: &mut [u128; 25], now: u64, amount: u128) -> bool {
        *t = roll(s, *t, now, |slot| ring[slot as usize]);
        match charge_window(s, *t, amount, |slot| ring[slot as usize]) {
            Ok(c) => {
                *t = c.tally;
                if let Some((slot, v)) = c.bucket {
                    ring[slot as usize] = v;
                }
                true
            }
            Err(_) => false,
        }
    }

    #[test]
    fn sliding_windows_forget_a_spend_one_bucket_after_the_duration() {
        // 240 s in 24 buckets of 10 s.
        let s = spec(Kind::Sliding, 100, 240);
        assert_eq!(bucket_len(240), 10);
        let mut ring = [0u128; 25];
        let mut t = fresh(&s, 1_005);
        assert!(ring_charge(&s, &mut t, &mut ring, 1_005, 60));
        assert!(ring_charge(&s, &mut t, &mut ring, 1_100, 40));
        assert!(!ring_charge(&s, &mut t, &mut ring, 1_200, 1));
        // The 60 (bucket 100, [1000, 1010)) counts until bucket 125 begins.
        assert!(!ring_charge(&s, &mut t, &mut ring, 1_249, 1));
        assert_eq!(show(&s, t).resets_at, 1_250);
        assert!(ring_charge(&s, &mut t, &mut ring, 1_250, 60));
        assert!(!ring_charge(&s, &mut t, &mut ring, 1_250, 1));
        // Long idle: everything is forgotten without reading the ring.
        let idle = roll(&s, t, 10_000, |_| panic!("not read"));
        assert_eq!(idle, fresh(&s, 10_000));
    }

    #[test]
    fn sliding_windows_never_let_more_than_the_limit_through_in_any_duration() {
        // A fixed window lets 2x through across its boundary; this may not.
        let s = spec(Kind::Sliding, 100, 600);
        let mut ring = [0u128; 25];
        let mut t = fresh(&s, 0);
        let mut accepted: Vec<(u64, u128)> = Vec::new();
        let mut now = 0;
        for step in 0..2_000u64 {
            now += (step * 7919) % 97;
            let amount = u128::from((step * 31) % 23 + 1);
            if ring_charge(&s, &mut t, &mut ring, now, amount) {
                accepted.push((now, amount));
            }
            let in_window: u128 = accepted
                .iter()
                .filter(|(at, _)| *at + 600 > now)
                .map(|(_, a)| a)
                .sum();
            assert!(in_window <= 100, "{in_window} in the last 600 s at {now}");
            let counted: u128 = accepted
                .iter()
                .filter(|(at, _)| at / 25 + 25 > now / 25)
                .map(|(_, a)| a)
                .sum();
            assert_eq!(
                t.counted, counted,
                "the tally is the sum of the live buckets"
            );
        }
        assert!(accepted.len() > 100);
    }

    #[test]
    fn windows_with_the_same_clock_keep_their_tally() {
        let a = spec(Kind::Sliding, 100, 600);
        assert!(a.same_clock(&Spec { limit: 5, ..a }));
        assert!(!a.same_clock(&Spec { duration: 660, ..a }));
        let b = spec(Kind::Fixed, 100, 600);
        assert!(b.same_clock(&Spec { anchor: 9, ..b }));
        let c = spec(Kind::Aligned, 100, 600);
        assert!(!c.same_clock(&Spec { anchor: 9, ..c }));
        assert!(!spec(Kind::Fixed, 0, 600).is_valid());
        assert!(!spec(Kind::Fixed, 1, 59).is_valid());
        assert!(spec(Kind::Fixed, 1, 60).is_valid());
        assert_eq!(Kind::from_code(3), None);
        for kind in [Kind::Fixed, Kind::Aligned, Kind::Sliding] {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
    }
}
