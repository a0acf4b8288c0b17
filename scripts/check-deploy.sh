#!/usr/bin/env bash
# Checks, without a chain, what a deploy would send: cargo-stylus (the tool
# scripts/deploy.sh uses) must accept the project (Stylus.toml, the crate) and
# build from it exactly the programs that scripts/build.sh checked and the
# local VM measures (the hook, and with `--features config-program` its
# config program), so that the sizes and gas in the reports are those of the
# deployed programs. Installs cargo-stylus on first use (about 8 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/cargo-stylus.sh

scripts/build.sh >/dev/null
mkdir -p target
cargo stylus get-initcode --output target/initcode.hex >/dev/null
cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
  --same-as-initcode target/initcode.hex artifacts/spending_limit_hook.wasm
cargo stylus get-initcode --features config-program --output target/initcode-config.hex >/dev/null
cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
  --same-as-initcode target/initcode-config.hex artifacts/spending_limit_config.wasm
