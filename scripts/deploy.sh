#!/usr/bin/env bash
# Deploys and activates the hook on an Arbitrum chain with cargo-stylus: its
# config program first, then the hook program, whose constructor (run by the
# Stylus deployer in the same transaction as the deploy and activation) fixes
# the config program's address for good (src/config_program.rs).
#
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/deploy.sh --private-key-path key.txt [more deploy options]
#   CONFIG_PROGRAM=0x... ENDPOINT=... scripts/deploy.sh ...   reuse a deployed config program
#
# Runs the local checks first (scripts/build.sh), then `cargo stylus check`
# against the chain for both programs, then `cargo stylus deploy`. Add
# --estimate-gas to only estimate (the hook's estimate then needs
# CONFIG_PROGRAM). Remember to re-activate both programs yearly, and keep the
# hook program cached (scripts/cache.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ENDPOINT:?set ENDPOINT to the RPC URL of the chain}"

source scripts/lib/cargo-stylus.sh

scripts/build.sh
cargo stylus check --endpoint "$ENDPOINT"
cargo stylus check --endpoint "$ENDPOINT" --features config-program

config=${CONFIG_PROGRAM:-}
if [ -z "$config" ]; then
  out=$(cargo stylus deploy --endpoint "$ENDPOINT" --features config-program "$@" 2>&1 | tee /dev/stderr)
  # The address line, without any colour codes around the address.
  config=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out" |
    sed -n 's/.*deployed code at address: *\(0x[0-9a-fA-F]\{40\}\).*/\1/p' | tail -n 1)
  if [ -z "$config" ]; then
    echo "no config program address in cargo-stylus's output; deploy the hook with CONFIG_PROGRAM=0x..." >&2
    exit 1
  fi
  echo "config program: $config"
fi
cargo stylus deploy --endpoint "$ENDPOINT" "$@" --constructor-args "$config"
