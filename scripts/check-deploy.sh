#!/usr/bin/env bash
# Checks, without a chain, what a deploy would send: cargo-stylus (the tool
# scripts/deploy.sh uses) must accept the project (Stylus.toml, the crate) and
# build from it exactly the program that scripts/build.sh checked and the
# local VM measures, so that the sizes and gas in the reports are those of
# the deployed program. Installs cargo-stylus on first use (about 8 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/cargo-stylus.sh

scripts/build.sh >/dev/null
mkdir -p target
cargo stylus get-initcode --output target/initcode.hex >/dev/null
cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
  --same-as-initcode target/initcode.hex artifacts/spending_limit_hook.wasm
