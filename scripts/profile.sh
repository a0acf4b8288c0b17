#!/usr/bin/env bash
# Where a gas scenario's computation goes, function by function:
#
#   scripts/profile.sh "later spend, new transaction (direct)" [ROWS]
#
# Runs the scenario's measured call on the local VM, on a build of the hook
# program that keeps its function names (through the same wasm-opt recipe as
# the deployed one, with -g so names survive), instrumented to count the ink
# each function runs (what the program is charged is unchanged). A report,
# not a test; `scripts/bench.sh` lists the scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/profile.sh SCENARIO [ROWS]}
source scripts/lib/wasm-opt.sh

CARGO_PROFILE_RELEASE_STRIP=false cargo build --locked --quiet --release --lib \
  --target wasm32-unknown-unknown -p spending-limit-hook-program --target-dir target/named
cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
  --without-target-features target/named/wasm32-unknown-unknown/release/deps/spending_limit_hook_program.wasm \
  target/named/hook-raw.wasm
wasm-opt "${wasm_opt_flags[@]}" -g target/named/hook-raw.wasm -o target/named/hook.wasm
cargo run --locked --release --quiet -p spending-limit-e2e --example gas_profile -- \
  "$scenario" target/named/hook.wasm "${2:-25}"
