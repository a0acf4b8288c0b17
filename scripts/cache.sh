#!/usr/bin/env bash
# Keeps the deployed hook in ArbOS's program cache through its CacheManager.
#
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/cache.sh 0xHOOK
#       prints the minimum bid the CacheManager asks for now
#   ENDPOINT=https://arb1.arbitrum.io/rpc scripts/cache.sh 0xHOOK BID_WEI --private-key-path key.txt
#       places that bid (0 is a valid bid while the cache has room)
#
# A hook runs before every execution of every account that installs it, and
# out of the cache every one of those calls pays for the program's size again
# (README, "Gas": a spend costs more than twice as much). The cache evicts
# the lowest bids first when it fills, so check now and then that the hook is
# still in it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ENDPOINT:?set ENDPOINT to the RPC URL of the chain}"
address=${1:?usage: scripts/cache.sh ADDRESS [BID_WEI --private-key-path FILE]}
shift

source scripts/lib/cargo-stylus.sh

if [ $# -eq 0 ]; then
  cargo stylus cache suggest-bid --endpoint "$ENDPOINT" "$address"
else
  bid=$1
  shift
  cargo stylus cache bid --endpoint "$ENDPOINT" "$address" "$bid" "$@"
fi
