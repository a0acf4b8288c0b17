#!/usr/bin/env bash
# The whole test suite: builds the deployable programs (the end-to-end tests
# run those exact artifacts on the local Stylus VM), checks what cargo-stylus
# would deploy and detect, lints, then every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

# The chain scripts cannot run here (there is no chain), but they must parse,
# and refuse to start without an endpoint before they install or send anything.
for script in scripts/*.sh scripts/lib/*.sh .ci/run; do
  bash -n "$script"
done
for script in scripts/deploy.sh scripts/cache.sh scripts/verify.sh; do
  if out=$(env -u ENDPOINT bash "$script" 2>&1); then
    echo "$script ran without ENDPOINT" >&2
    exit 1
  fi
  grep -q "set ENDPOINT" <<<"$out" || { echo "$script: $out" >&2; exit 1; }
done

scripts/build.sh
scripts/check-deploy.sh
cargo clippy --locked --workspace --all-targets -- -D warnings
# The code as it is deployed, built for wasm32: code under
# `cfg(target_arch = "wasm32")` is only seen there, and there no `Vec` may be
# made or grown but through `spending_limit_hook::list`
# (clippy/wasm32/clippy.toml).
CLIPPY_CONF_DIR=clippy/wasm32 cargo clippy --locked --release --lib --target wasm32-unknown-unknown \
  -p spending-limit-hook -p spending-limit-stylus \
  -p spending-limit-hook-program -p spending-limit-config-program -- -D warnings
# What cargo-stylus runs natively: each program's interface printer.
cargo clippy --locked --bins --features export-abi \
  -p spending-limit-hook-program -p spending-limit-config-program -- -D warnings
# Every property runs at least 1,000 cases (scripts/assurance.sh --long: 10,000);
# the figures are printed from this run's own output.
mkdir -p target
PROPTEST_CASES="${PROPTEST_CASES:-1000}" cargo test --locked --workspace -- --nocapture 2>&1 | tee target/test-output.log
echo
scripts/assurance.sh --log target/test-output.log
# One closing line over every test binary of the run.
awk '/^test result:/ {p += $4; f += $6} END {printf "tests: %d passed, %d failed\n", p, f}' target/test-output.log
