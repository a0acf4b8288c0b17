#!/usr/bin/env bash
# Where a gas scenario's computation goes, function by function:
#
#   scripts/profile.sh "later spend, new transaction (direct)" [ROWS]
#
# Runs the scenario's measured call on the local VM, on a build of the hook
# that keeps its function names, instrumented to count the ink each function
# runs (what the program is charged is unchanged). A report, not a test;
# `scripts/bench.sh` lists the scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/profile.sh SCENARIO [ROWS]}

CARGO_PROFILE_RELEASE_STRIP=false cargo build --locked --quiet --release --lib \
  --target wasm32-unknown-unknown -p spending-limit-hook --target-dir target/named
cargo run --locked --release --quiet -p stylus-local-vm --example gas_profile -- \
  "$scenario" target/named/wasm32-unknown-unknown/release/spending_limit_hook.wasm "${2:-25}"
