#!/usr/bin/env bash
# Deploys and activates the hook on an Arbitrum chain with cargo-stylus: its
# config program first (a plain CREATE, then activation), then the hook
# program, whose constructor (run by the Stylus deployer in the same
# transaction as the deploy and activation) fixes the config program's
# address for good (spending_limit_hook::config_program).
#
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/deploy.sh --private-key-path key.txt [more deploy options]
#   CONFIG_PROGRAM=0x... ENDPOINT=... scripts/deploy.sh ...   reuse a deployed config program
#
# Runs the local checks first (scripts/build.sh), then `cargo stylus check`
# against the chain for both programs, then `cargo stylus deploy --contract`
# for each, from the workspace root (where cargo-stylus's reproducible build
# runs too). Without --no-verify cargo-stylus builds in its Docker image, so
# that the deployment can be verified (scripts/verify.sh); with it, it builds
# with the local toolchain and the pinned wasm-opt. Add --estimate-gas to
# only estimate (the hook's estimate then needs CONFIG_PROGRAM). Remember to
# re-activate both programs yearly, and keep the hook program cached
# (scripts/cache.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ENDPOINT:?set ENDPOINT to the RPC URL of the chain}"

source scripts/lib/cargo-stylus.sh
source scripts/lib/wasm-opt.sh

scripts/build.sh
cargo stylus check --contract spending-limit-config-program --endpoint "$ENDPOINT"
cargo stylus check --contract spending-limit-hook-program --endpoint "$ENDPOINT"

# The address line, without any colour codes around the address.
deployed_address() {
  sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*deployed code at address: *\(0x[0-9a-fA-F]\{40\}\).*/\1/p' | tail -n 1
}

config=${CONFIG_PROGRAM:-}
if [ -z "$config" ]; then
  out=$(cargo stylus deploy --contract spending-limit-config-program --endpoint "$ENDPOINT" "$@" 2>&1 |
    tee /dev/stderr)
  config=$(deployed_address <<<"$out")
  if [ -z "$config" ]; then
    echo "no config program address in cargo-stylus's output; deploy the hook with CONFIG_PROGRAM=0x..." >&2
    exit 1
  fi
  echo "config program: $config"
fi
out=$(cargo stylus deploy --contract spending-limit-hook-program --endpoint "$ENDPOINT" "$@" \
  --constructor-args "$config" 2>&1 | tee /dev/stderr)
hook=$(deployed_address <<<"$out")
if [ -z "$hook" ]; then
  echo "no hook address in cargo-stylus's output (the deploy may have failed: see above)" >&2
  exit 1
fi
echo "hook program (install this address): $hook"
echo "config program:                       $config"
