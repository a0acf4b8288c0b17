#!/usr/bin/env bash
# Checks, without a chain, what a deploy would send and what cargo-stylus
# would find, running cargo-stylus itself (the tool scripts/deploy.sh uses)
# from the workspace root, as deploy and verification run it:
#   - each program it would deploy (`cargo stylus get-initcode`) passes
#     Nitro's activation rules as deployed, and is byte for byte the one
#     scripts/build.sh checked and the local VM measures, but for the
#     project-hash section cargo-stylus adds;
#   - the constructor it detects: the config program's address for the hook
#     program (so `deploy --constructor-args` takes one), none for the config
#     program (a plain CREATE), and, at the root with no package named, the
#     hook program's (what `cargo stylus verify` asks for there);
#   - `cargo stylus export-abi` runs each program's interface printer.
# Installs cargo-stylus on first use (about 11 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/cargo-stylus.sh
source scripts/lib/programs.sh
source scripts/lib/wasm-opt.sh

scripts/build.sh >/dev/null
mkdir -p target/check-deploy
fail() {
  echo "check-deploy: $*" >&2
  exit 1
}

for program in "${programs[@]}"; do
  name=${program%%:*}
  package=${program#*:}
  cargo stylus get-initcode --contract "$package" --output "target/check-deploy/initcode-$name.hex" \
    >/dev/null
  cargo run --locked --release --quiet -p stylus-local-vm --bin stylus-artifact -- \
    --same-as-initcode "target/check-deploy/initcode-$name.hex" "artifacts/spending_limit_$name.wasm"

  # The constructor, as `cargo stylus deploy` detects it (the same command
  # it runs: cargo run --package P --features=export-abi, -- constructor).
  constructor=$(cargo stylus constructor --contract "$package" 2>/dev/null | tr -d '\r')
  expected=""
  [ "$name" = hook ] && expected="constructor(address configProgram)"
  [ "$constructor" = "$expected" ] ||
    fail "cargo-stylus finds constructor '$constructor' for $package, expected '$expected'"

  # What `cargo stylus export-abi` prints is the program's own printer.
  cargo stylus export-abi --contract "$package" --output "target/check-deploy/$name.sol" >/dev/null
  cargo run --locked --quiet -p "$package" --features export-abi -- abi \
    >"target/check-deploy/$name.expected.sol"
  cmp -s "target/check-deploy/$name.sol" "target/check-deploy/$name.expected.sol" ||
    fail "cargo stylus export-abi prints another interface for $package than its printer"
  grep -q "^interface " "target/check-deploy/$name.sol" ||
    fail "no interface in cargo stylus export-abi's output for $package"
  echo "$package: initcode activates and matches the artifact; constructor '${constructor:-none}'; export-abi prints its interface"
done

# `cargo stylus verify` asks for the constructor at the root, with no package
# (stylus-tools core/reflection): the hook program's, through its default-run.
at_root=$(cargo run --quiet --target "$(rustc -vV | sed -n 's/^host: //p')" --features export-abi \
  -- constructor 2>/dev/null || true)
[ "$at_root" = "constructor(address configProgram)" ] ||
  fail "cargo run at the root reports constructor '$at_root' (verification needs the hook program's)"
echo "workspace root: cargo run reports the hook program's constructor, as verification needs"
