#!/usr/bin/env bash
# Gas report: every fixed scenario on the local Stylus VM, cached and
# uncached, beside the Solidity reference. Prints a table and writes
# target/gas-report.json. A benchmark, not a test: nothing here fails on a
# figure (tests/gas_regression.rs does that, deterministically).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
cargo run --locked --quiet -p spending-limit-e2e --example gas_report -- "${1:-target/gas-report.json}"
