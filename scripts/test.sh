#!/usr/bin/env bash
# The whole test suite: builds the deployable program (the end-to-end tests
# run that exact artifact on the local Stylus VM), lints, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
cargo clippy --locked --workspace --all-targets -- -D warnings
# Every property runs at least 1,000 cases in CI (scripts/assurance.sh --long: 10,000).
PROPTEST_CASES="${PROPTEST_CASES:-1000}" cargo test --locked --workspace
