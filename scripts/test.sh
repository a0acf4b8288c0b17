#!/usr/bin/env bash
# The whole test suite: builds the deployable program (the end-to-end tests
# run that exact artifact on the local Stylus VM), lints, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo test --locked --workspace
