#!/usr/bin/env bash
# The whole test suite: builds the deployable program (the end-to-end tests
# run that exact artifact on the local Stylus VM), lints, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The chain scripts cannot run here (there is no chain), but they must parse,
# and refuse to start without an endpoint before they install or send anything.
for script in scripts/*.sh scripts/lib/*.sh .ci/run; do
  bash -n "$script"
done
for script in scripts/deploy.sh scripts/cache.sh; do
  if out=$(env -u ENDPOINT bash "$script" 2>&1); then
    echo "$script ran without ENDPOINT" >&2
    exit 1
  fi
  grep -q "set ENDPOINT" <<<"$out" || { echo "$script: $out" >&2; exit 1; }
done

scripts/build.sh
scripts/check-deploy.sh
cargo clippy --locked --workspace --all-targets -- -D warnings
# The contract as it is deployed: code under `cfg(target_arch = "wasm32")`
# is only seen by a wasm32 build, which also may not grow a `Vec` but through
# `src/list.rs` (clippy/wasm32/clippy.toml).
# Both programs (scripts/lib/programs.sh).
source scripts/lib/programs.sh
for program in "${programs[@]}"; do
  # shellcheck disable=SC2086 # the feature flags are two words on purpose
  CLIPPY_CONF_DIR=clippy/wasm32 \
    cargo clippy --locked --release --lib --target wasm32-unknown-unknown ${program#*:} -- -D warnings
done
# The ABI exporter (`cargo run --features export-abi`) must keep compiling.
cargo check --locked -p spending-limit-hook --features export-abi --bins
# Every property runs at least 1,000 cases (scripts/assurance.sh --long: 10,000);
# the figures are printed from this run's own output.
mkdir -p target
PROPTEST_CASES="${PROPTEST_CASES:-1000}" cargo test --locked --workspace -- --nocapture 2>&1 | tee target/test-output.log
echo
scripts/assurance.sh --log target/test-output.log
# One closing line over every test binary of the run.
awk '/^test result:/ {p += $4; f += $6} END {printf "tests: %d passed, %d failed\n", p, f}' target/test-output.log
