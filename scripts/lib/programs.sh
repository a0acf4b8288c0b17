# Sourced by the scripts that build or check the deployable programs: each
# as NAME:CARGO-FEATURE-FLAGS (src/config_program.rs says why there are two).
# NAME gives artifacts/spending_limit_NAME.wasm.
programs=(hook:"" config:"--features config-program")
