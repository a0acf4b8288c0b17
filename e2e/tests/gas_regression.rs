//! Gas on the local VM is deterministic, so it can be held to figures: every
//! scenario of the gas report must stay within 2 % of the figure checked into
//! `tests/fixtures/gas.json`, cached and uncached, and the README's gas table
//! must show exactly those figures. After a deliberate change,
//! `BLESS=1 cargo test -p spending-limit-e2e --test gas_regression` rewrites both.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use std::collections::BTreeMap;

use common::scenarios;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gas.json");
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
/// The README's gas table, row by row: its words for the scenario, and the
/// scenario whose figures it shows.
const README_ROWS: [(&str, &str); 12] = [
    (
        "first spend after install, one ERC-20 transfer, via multiplexer",
        "first spend after install (multiplexer)",
    ),
    (
        "later spend in the same window, new transaction, via multiplexer",
        "later spend, new transaction (multiplexer)",
    ),
    (
        "the same, called directly",
        "later spend, new transaction (direct)",
    ),
    (
        "native value, via multiplexer",
        "native value (multiplexer)",
    ),
    (
        "batch of 10 transfers of one token, via multiplexer",
        "batch of 10, one token (multiplexer)",
    ),
    (
        "batch of 10 transfers over 3 tokens, via multiplexer",
        "batch of 10, three tokens (multiplexer)",
    ),
    (
        "first spend of a new window, via multiplexer",
        "first spend of a new window (multiplexer)",
    ),
    ("over-limit revert, directly", "over-limit revert (direct)"),
    (
        "`setSpendingLimit` on an existing token",
        "setSpendingLimit, existing token (direct)",
    ),
    ("`getRemainingAllowance`", "getRemainingAllowance (direct)"),
    (
        "later spend, with a sliding window too, via multiplexer",
        "later spend, sliding window too (multiplexer)",
    ),
    (
        "later spend under every policy (2 extra windows, lifetime cap, budget)",
        "later spend, every policy (multiplexer)",
    ),
];
/// Allowed growth over the checked-in figure, in percent.
const TOLERANCE_PERCENT: u64 = 2;

fn measure() -> BTreeMap<String, (u64, u64)> {
    scenarios::all()
        .iter()
        .map(|s| (s.label(), (s.run(true).gas.total, s.run(false).gas.total)))
        .collect()
}

#[test]
fn no_scenario_regresses_past_the_checked_in_figures() {
    let measured = measure();
    if std::env::var_os("BLESS").is_some() {
        let json: BTreeMap<&String, serde_json::Value> = measured
            .iter()
            .map(|(k, (cached, uncached))| {
                (
                    k,
                    serde_json::json!({ "cached": cached, "uncached": uncached }),
                )
            })
            .collect();
        std::fs::write(FIXTURE, serde_json::to_string_pretty(&json).unwrap() + "\n").unwrap();
    }
    let text = std::fs::read_to_string(FIXTURE).expect("fixture exists (BLESS=1 writes it)");
    let fixture: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(
        fixture.keys().collect::<Vec<_>>(),
        measured.keys().collect::<Vec<_>>(),
        "the scenario set changed: rerun with BLESS=1"
    );
    let mut regressions = Vec::new();
    for (label, (cached, uncached)) in &measured {
        for (kind, now) in [("cached", cached), ("uncached", uncached)] {
            let before = fixture[label][kind].as_u64().unwrap();
            if *now * 100 > before * (100 + TOLERANCE_PERCENT) {
                regressions.push(format!("{label} ({kind}): {before} -> {now}"));
            }
        }
    }
    assert!(
        regressions.is_empty(),
        "gas regressed by more than {TOLERANCE_PERCENT} %:\n{}",
        regressions.join("\n")
    );
    readme_shows(&fixture);
}

/// The README's gas table shows the checked-in figures (with BLESS, it is
/// rewritten to).
fn readme_shows(fixture: &BTreeMap<String, serde_json::Value>) {
    let references: BTreeMap<String, Option<u64>> = scenarios::all()
        .iter()
        .map(|s| (s.label(), s.reference))
        .collect();
    let mut readme = std::fs::read_to_string(README).unwrap();
    let mut stale = Vec::new();
    for (words, label) in README_ROWS {
        let figure = |kind: &str| thousands(fixture[label][kind].as_u64().unwrap());
        let reference = references[label].map_or_else(|| "(none)".to_string(), thousands);
        let row = format!(
            "| {words} | {} | {} | {reference} |",
            figure("cached"),
            figure("uncached")
        );
        let prefix = format!("| {words} |");
        let Some(line) = readme.lines().find(|l| l.starts_with(&prefix)) else {
            panic!("the README's gas table has no row {prefix:?}");
        };
        if line != row {
            stale.push(format!("{line}\n  should be\n{row}"));
            readme = readme.replacen(line, &row, 1);
        }
    }
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(README, readme).unwrap();
    } else {
        assert!(
            stale.is_empty(),
            "the README's gas table is stale (BLESS=1 rewrites it):\n{}",
            stale.join("\n")
        );
    }
}

/// `n` with thousands separators, as the README writes figures.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A cold `SLOAD` (EIP-2929).
const COLD_READ: u64 = 2_100;
/// A rewrite of a non-zero slot with another non-zero value (EIP-2200), its
/// cold access already paid by the read.
const REWRITE: u64 = 2_900;

fn scenario(label: &str) -> scenarios::Scenario {
    scenarios::all()
        .into_iter()
        .find(|s| s.label() == label)
        .unwrap_or_else(|| panic!("no scenario {label:?}"))
}

/// A spend the account makes itself reads one slot, the token's hot word,
/// whether the spend is recorded or refused (`AccountWord` in
/// `src/check.rs`); through the multiplexer the account word is read too, to
/// check the forwarder.
#[test]
fn a_direct_spend_reads_only_the_token_word() {
    for (label, storage) in [
        ("later spend, new transaction (direct)", COLD_READ + REWRITE),
        ("native value (direct)", COLD_READ + REWRITE),
        ("over-limit revert (direct)", COLD_READ),
        (
            "later spend, new transaction (multiplexer)",
            2 * COLD_READ + REWRITE,
        ),
        ("over-limit revert (multiplexer)", 2 * COLD_READ),
    ] {
        assert_eq!(scenario(label).run(true).gas.storage, storage, "{label}");
    }
}

/// The gas issue's goals, as they stand: cached, fixed bounds for the
/// spends it names and at most 0.8x the reference for the rest; uncached, at
/// most 1.25x the reference for single spends and below it for batches.
/// Refusals are not spends: the over-limit reverts are held to the cached
/// goals only (their uncached figures are in the report).
///
/// A goal the hook program cannot meet for a reason the README gives is
/// listed with the bound it holds instead: the test fails when a scenario
/// passes that bound, and also when it meets its goal again, so that the
/// exception is dropped then and cannot linger.
#[test]
fn the_gas_goals_hold() {
    const FIXED: [(&str, u64); 4] = [
        ("later spend, new transaction (multiplexer)", 12_000),
        ("first spend after install (multiplexer)", 13_000),
        ("batch of 10, one token (multiplexer)", 35_000),
        ("batch of 10, three tokens (multiplexer)", 60_000),
    ];
    /// (scenario, uncached bound held instead of 1.25x the reference): the
    /// direct later spend, 1.25x being 20,160, and the guards against
    /// executions that switch the hook off (protected targets, the account
    /// itself, the multiplexer) costing about 100 gas on every uncached
    /// entry for their code (README, "Gas").
    const INSTEAD: [(&str, u64); 1] = [("later spend, new transaction (direct)", 20_300)];
    let measured = measure();
    let mut missed = Vec::new();
    for s in scenarios::all() {
        let Some(reference) = s.reference else {
            continue;
        };
        let label = s.label();
        let (cached, uncached) = measured[&label];
        let bound = FIXED
            .iter()
            .find(|(l, _)| *l == label)
            .map_or(reference * 8 / 10, |(_, b)| *b);
        if cached > bound {
            missed.push(format!("{label}: cached {cached} > {bound}"));
        }
        let spend = !label.starts_with("getRemainingAllowance")
            && !label.starts_with("setSpendingLimit")
            && !label.starts_with("over-limit");
        if spend {
            let meets = if label.starts_with("batch") {
                uncached < reference
            } else {
                uncached * 100 <= reference * 125
            };
            match INSTEAD.iter().find(|(l, _)| *l == label) {
                Some(_) if meets => missed.push(format!(
                    "{label}: uncached {uncached} meets its goal again: drop its exception"
                )),
                Some((_, bound)) if uncached > *bound => {
                    missed.push(format!("{label}: uncached {uncached} > {bound}"))
                }
                Some(_) => {}
                None if !meets => missed.push(format!(
                    "{label}: uncached {uncached}, reference {reference}"
                )),
                None => {}
            }
        }
    }
    assert!(
        missed.is_empty(),
        "gas goals missed:\n{}",
        missed.join("\n")
    );
}
