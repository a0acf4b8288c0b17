//! The gas report: every fixed scenario, cached and uncached, with storage and
//! log gas beside the total so the overhead (entry, host calls, computation)
//! shows. Prints a table and writes the same figures as JSON
//! (`target/gas-report.json`, or the path given as the first argument).
//! Run it with `scripts/bench.sh`.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::scenarios;

fn main() {
    let out_path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/gas-report.json".into());
    println!(
        "{:<48} {:>8} {:>9} {:>8} {:>6} {:>7} {:>7} {:>9} {:>6}",
        "scenario", "cached", "uncached", "storage", "logs", "entry", "other", "reference", "ratio"
    );
    let mut rows = Vec::new();
    for scenario in scenarios::all() {
        let cached = scenario.run(true);
        let uncached = scenario.run(false);
        let gas = cached.gas;
        let other = gas.total - gas.storage - gas.logs - gas.entry;
        let reference = scenario
            .reference
            .map(|r| r.to_string())
            .unwrap_or_else(|| "-".into());
        let ratio = scenario
            .reference
            .map(|r| format!("{:.2}", gas.total as f64 / r as f64))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<48} {:>8} {:>9} {:>8} {:>6} {:>7} {:>7} {:>9} {:>6}{}",
            scenario.label(),
            gas.total,
            uncached.gas.total,
            gas.storage,
            gas.logs,
            gas.entry,
            other,
            reference,
            ratio,
            if cached.is_success() {
                String::new()
            } else {
                format!("  ({:?})", cached.status)
            },
        );
        rows.push(format!(
            "  {{\"scenario\": \"{}\", \"cached\": {}, \"uncached\": {}, \"storage\": {}, \"logs\": {}, \"entry\": {}, \"host\": {}, \"compute\": {}, \"reference\": {}, \"status\": \"{:?}\"}}",
            scenario.label(),
            gas.total,
            uncached.gas.total,
            gas.storage,
            gas.logs,
            gas.entry,
            gas.host,
            gas.compute,
            scenario.reference.map(|r| r.to_string()).unwrap_or_else(|| "null".into()),
            cached.status,
        ));
    }
    let json = format!("[\n{}\n]\n", rows.join(",\n"));
    std::fs::write(&out_path, json).unwrap_or_else(|e| panic!("{out_path}: {e}"));
    println!("\nwrote {out_path}");
}
