#!/usr/bin/env bash
# Builds the deployable program and runs an agent's day on the local Stylus
# VM: spending within its budget, being stopped, the window rolling over.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
echo
cargo run --locked --quiet -p spending-limit-e2e --example agent_demo
