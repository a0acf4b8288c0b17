#!/usr/bin/env bash
# Builds the two deployable programs and applies Nitro's activation rules to
# each (vm/src/activation.rs):
#   artifacts/spending_limit_hook.wasm     the hook program (what accounts install)
#   artifacts/spending_limit_config.wasm   its config program
# Each is rustc's output through the pinned wasm-opt recipe of Stylus.toml,
# with custom sections stripped: the bytes cargo-stylus deploys, but for the
# project-hash section it adds (scripts/check-deploy.sh checks that). Prints
# sizes and entry costs; fails, with Nitro's reason, if a rule refuses one.
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt >/dev/null 2>&1 || true
rustup target add --toolchain "$toolchain" wasm32-unknown-unknown >/dev/null 2>&1
source scripts/lib/wasm-opt.sh
source scripts/lib/programs.sh

# Both programs in one build at the root, as cargo-stylus builds them (the
# workspace's default members; no -p), each to its own file.
cargo build --locked --release --target wasm32-unknown-unknown --lib
mkdir -p artifacts target/wasm-opt
for program in "${programs[@]}"; do
  name=${program%%:*}
  package=${program#*:}
  wasm-opt "${wasm_opt_flags[@]}" "target/wasm32-unknown-unknown/release/deps/${package//-/_}.wasm" \
    -o "target/wasm-opt/$name.wasm"
  cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
    "target/wasm-opt/$name.wasm" "artifacts/spending_limit_$name.wasm"
done
