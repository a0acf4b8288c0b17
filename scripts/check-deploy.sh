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
source scripts/lib/programs.sh
source scripts/lib/wasm-opt.sh

scripts/build.sh >/dev/null
mkdir -p target
# The same two programs as scripts/build.sh, each as cargo-stylus builds it.
for program in "${programs[@]}"; do
  name=${program%%:*}
  # shellcheck disable=SC2086 # the feature flags are two words on purpose
  cargo stylus get-initcode ${program#*:} --output "target/initcode-$name.hex" >/dev/null
  cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
    --same-as-initcode "target/initcode-$name.hex" "artifacts/spending_limit_$name.wasm"
done
