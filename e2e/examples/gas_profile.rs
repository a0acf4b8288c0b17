//! Where one scenario's computation goes: the ink each function of the hook
//! runs in the measured call, biggest first. It runs a build that keeps its
//! names (the deployable artifact has none), through the same wasm-opt
//! recipe with `-g`, re-encoded as the artifact is; kept names change a few
//! of the optimizer's choices, so its total can differ from the gas report's
//! by some tens of gas. Run it with `scripts/profile.sh`.

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

use std::collections::HashMap;

use common::scenarios;
use stylus_local_vm::{artifact, pricing::INK_PER_GAS};
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [label, names_path, rest @ ..] = args.as_slice() else {
        eprintln!("usage: gas_profile SCENARIO NAMED.wasm [ROWS]");
        std::process::exit(2);
    };
    let rows: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(25);
    let all = scenarios::all();
    let Some(scenario) = all.iter().find(|s| s.label() == *label) else {
        eprintln!("no scenario {label:?}; the scenarios are:");
        for s in &all {
            eprintln!("  {}", s.label());
        }
        std::process::exit(2);
    };
    let wasm = std::fs::read(names_path).unwrap_or_else(|e| panic!("{names_path}: {e}"));
    let names = function_names(&wasm);
    let program =
        artifact::strip_custom_sections(&wasm).unwrap_or_else(|e| panic!("{names_path}: {e}"));
    let outcome = scenario.run_profiled(&program);
    let own: u64 = outcome.profile.iter().sum();
    println!(
        "{label}: {} gas in all, {:.1} of it in the program's own code (the rest: entry, host calls, storage, logs)",
        outcome.gas.total,
        own as f64 / INK_PER_GAS as f64
    );
    let mut by_ink: Vec<(u64, usize)> = outcome
        .profile
        .iter()
        .enumerate()
        .filter(|(_, ink)| **ink > 0)
        .map(|(body, ink)| (*ink, body))
        .collect();
    by_ink.sort_unstable_by(|a, b| b.cmp(a));
    for (ink, body) in by_ink.into_iter().take(rows) {
        let name = names.get(&body).map_or("?", String::as_str);
        println!(
            "{:>8.1} gas {:>5.1} %  {name}",
            ink as f64 / INK_PER_GAS as f64,
            100.0 * ink as f64 / own.max(1) as f64
        );
    }
}

/// Each defined function's name, by code-section index, from the name section.
fn function_names(wasm: &[u8]) -> HashMap<usize, String> {
    let mut imported = 0;
    let mut names = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm).flatten() {
        match payload {
            Payload::ImportSection(imports) => {
                imported += imports
                    .into_imports()
                    .flatten()
                    .filter(|i| matches!(i.ty, TypeRef::Func(_)))
                    .count();
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for subsection in reader.into_iter().flatten() {
                        let Name::Function(map) = subsection else {
                            continue;
                        };
                        for naming in map.into_iter().flatten() {
                            if let Some(body) = (naming.index as usize).checked_sub(imported) {
                                names.insert(body, demangle(naming.name));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// Rust's legacy symbol mangling (`_ZN` length-prefixed parts, a hash last)
/// as a path; other names as they are.
fn demangle(symbol: &str) -> String {
    let Some(mut rest) = symbol.strip_prefix("_ZN") else {
        return symbol.to_string();
    };
    let mut parts = Vec::new();
    while let Some(digits) = rest.find(|c: char| !c.is_ascii_digit()).filter(|d| *d > 0) {
        let Ok(len) = rest[..digits].parse::<usize>() else {
            break;
        };
        let Some(part) = rest.get(digits..digits + len) else {
            break;
        };
        parts.push(part);
        rest = &rest[digits + len..];
    }
    if parts
        .last()
        .is_some_and(|p| p.len() == 17 && p.starts_with('h'))
    {
        parts.pop();
    }
    parts
        .join("::")
        .replace("$LT$", "<")
        .replace("$GT$", ">")
        .replace("$u20$", " ")
        .replace("$RF$", "&")
        .replace("$C$", ",")
        .replace("..", "::")
}
