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
}
