//! What cargo-stylus runs (`cargo run --features export-abi -- ARG`) to learn
//! about the hook program:
//!
//! - `abi` (the default): the Solidity interface answered at the hook's
//!   address, which is every function of the hook, since what the hook
//!   program does not serve it hands to the config program;
//! - `constructor`: its constructor, the config program's address
//!   (`spending_limit_hook::config_program`), which `cargo stylus deploy
//!   --constructor-args` must be given.

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("{}", spending_limit_hook::config_program::CONSTRUCTOR);
        return ExitCode::SUCCESS;
    }
    let everything = match spending_limit_stylus::interface::json_abi() {
        Ok(abi) => abi
            .functions()
            .map(|f| u32::from_be_bytes(f.selector().0))
            .collect::<Vec<_>>(),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match spending_limit_stylus::interface::solidity("ISpendingLimitHook", &everything) {
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
