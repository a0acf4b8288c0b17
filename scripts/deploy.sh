#!/usr/bin/env bash
# Deploys and activates the hook on an Arbitrum chain with cargo-stylus.
#
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/deploy.sh --private-key-path key.txt [more deploy options]
#
# Runs the local checks first (scripts/build.sh), then `cargo stylus check`
# against the chain, then `cargo stylus deploy` (which also activates).
# Add --estimate-gas to only estimate. Remember to re-activate yearly, and
# keep the program cached (scripts/cache.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ENDPOINT:?set ENDPOINT to the RPC URL of the chain}"

source scripts/lib/cargo-stylus.sh

scripts/build.sh
cargo stylus check --endpoint "$ENDPOINT"
cargo stylus deploy --endpoint "$ENDPOINT" "$@"
