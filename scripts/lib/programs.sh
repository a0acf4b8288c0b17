# Sourced by the scripts that build, check or deploy the programs: each as
# NAME:PACKAGE. NAME gives artifacts/spending_limit_NAME.wasm; PACKAGE is the
# crate (programs/NAME), which cargo-stylus selects with --contract PACKAGE.
# spending_limit_hook::config_program says why there are two.
programs=(hook:spending-limit-hook-program config:spending-limit-config-program)
