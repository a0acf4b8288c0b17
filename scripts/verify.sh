#!/usr/bin/env bash
# Verifies a deployment of both programs against this source with
# `cargo stylus verify`, run from the workspace root, where cargo-stylus's
# reproducible build ran the deploy:
#
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/verify.sh HOOK_DEPLOY_TX CONFIG_DEPLOY_TX [--no-verify]
#
# The transaction hashes are the `deployment tx hash` lines scripts/deploy.sh
# printed. Without --no-verify the rebuild runs in cargo-stylus's Docker image
# (as a deploy without --no-verify did); with it, with the local toolchain,
# which matches only a deployment made with --no-verify from this same
# directory (cargo-stylus hashes the absolute paths of the sources). In
# Docker, cargo-stylus exits 0 even when verification fails, so this script
# reads its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ENDPOINT:?set ENDPOINT to the RPC URL of the chain}"
usage="usage: ENDPOINT=... scripts/verify.sh HOOK_DEPLOY_TX CONFIG_DEPLOY_TX [--no-verify]"
hook_tx=${1:?$usage}
config_tx=${2:?$usage}
shift 2
for tx in "$hook_tx" "$config_tx"; do
  [[ $tx =~ ^0x[0-9a-fA-F]{64}$ ]] || { echo "not a transaction hash: $tx ($usage)" >&2; exit 2; }
done

source scripts/lib/cargo-stylus.sh
source scripts/lib/wasm-opt.sh

status=0
for pair in "spending-limit-hook-program:$hook_tx" "spending-limit-config-program:$config_tx"; do
  package=${pair%%:*}
  out=$(cargo stylus verify --contract "$package" --endpoint "$ENDPOINT" \
    --deployment-tx "${pair#*:}" "$@" 2>&1 | tee /dev/stderr) || true
  if grep -q "Verification successful" <<<"$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out")"; then
    echo "$package: verified"
  else
    echo "$package: NOT verified" >&2
    status=1
  fi
done
exit "$status"
