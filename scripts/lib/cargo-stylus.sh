# Sourced by the scripts that talk to a chain: installs the cargo-stylus
# version they were written against, from crates.io, if it is missing.
cargo_stylus_version=0.10.10
if ! cargo stylus --version 2>/dev/null | grep -q "$cargo_stylus_version"; then
  cargo install cargo-stylus --version "$cargo_stylus_version" --locked
fi
