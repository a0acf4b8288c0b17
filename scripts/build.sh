#!/usr/bin/env bash
# Builds the two deployable programs and checks each as Nitro's activation would:
#   artifacts/spending_limit_hook.wasm     the hook (what accounts install)
#   artifacts/spending_limit_config.wasm   its config program (src/config_program.rs)
# Each is rustc's output through the pinned wasm-opt recipe of Stylus.toml,
# as cargo-stylus deploys it. Prints raw and compressed sizes and the entry
# cost; fails if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt >/dev/null 2>&1 || true
rustup target add --toolchain "$toolchain" wasm32-unknown-unknown >/dev/null 2>&1
source scripts/lib/wasm-opt.sh
source scripts/lib/programs.sh

mkdir -p artifacts target/wasm-opt
# Both builds write the same file name; each is optimized out of it before the next.
for program in "${programs[@]}"; do
  name=${program%%:*}
  # shellcheck disable=SC2086 # the feature flags are two words on purpose
  cargo build --locked --release --target wasm32-unknown-unknown --lib -p spending-limit-hook ${program#*:}
  wasm-opt "${wasm_opt_flags[@]}" target/wasm32-unknown-unknown/release/spending_limit_hook.wasm \
    -o "target/wasm-opt/$name.wasm"
  cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
    "target/wasm-opt/$name.wasm" "artifacts/spending_limit_$name.wasm"
done
