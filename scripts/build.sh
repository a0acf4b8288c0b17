#!/usr/bin/env bash
# Builds the deployable program and checks it as Nitro's activation would:
#   artifacts/spending_limit_hook.wasm
# Prints raw and compressed sizes and the entry cost; fails if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt >/dev/null 2>&1 || true
rustup target add --toolchain "$toolchain" wasm32-unknown-unknown >/dev/null 2>&1

cargo build --locked --release --target wasm32-unknown-unknown --lib -p spending-limit-hook
mkdir -p artifacts
cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
  target/wasm32-unknown-unknown/release/spending_limit_hook.wasm artifacts/spending_limit_hook.wasm
