//! Gas on the local VM is deterministic, so it can be held to figures: every
//! scenario of the gas report must stay within 2 % of the figure checked into
//! `tests/fixtures/gas.json`, cached and uncached. After a deliberate change,
//! `BLESS=1 cargo test -p stylus-local-vm --test gas_regression` rewrites them.

mod common;

use std::collections::BTreeMap;

use common::scenarios;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gas.json");
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
}
