//! Runs a property like `proptest!` does, and prints how many cases it ran
//! (`property NAME: N cases`), so `scripts/assurance.sh` reports measured
//! figures. Cases come from `PROPTEST_CASES` (proptest's own variable).

use std::sync::atomic::{AtomicU64, Ordering};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Runs `test` over `strategy`; panics with the minimal failing input.
pub fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config::default());
    let cases = AtomicU64::new(0);
    let result = runner.run(&strategy, |value| {
        cases.fetch_add(1, Ordering::Relaxed);
        test(value)
    });
    println!("property {name}: {} cases", cases.load(Ordering::Relaxed));
    if let Err(failure) = result {
        panic!("property {name} failed: {failure}");
    }
}
