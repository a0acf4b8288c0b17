//! What cargo-stylus runs (`cargo run --features export-abi -- ARG`) to learn
//! about the config program:
//!
//! - `abi` (the default): the Solidity interface of the functions it serves
//!   (the hook program hands it every other function of the hook);
//! - `constructor`: nothing, it has none, so `cargo stylus deploy` deploys
//!   it with a plain CREATE.

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        return ExitCode::SUCCESS;
    }
    match spending_limit_stylus::interface::solidity(
        "ISpendingLimitConfigProgram",
        spending_limit_config_program::SERVED,
    ) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
