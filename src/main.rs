//! Prints the contract's Solidity interface: `cargo run --features export-abi`.
//!
//! cargo-stylus also runs it as `... -- constructor` before a deploy, to learn
//! the constructor's arguments: the hook program's is the config program's
//! address (see `src/config_program.rs`); the config program has none.

#[cfg(feature = "export-abi")]
fn main() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        #[cfg(not(feature = "config-program"))]
        println!("{}", spending_limit_hook::config_program::CONSTRUCTOR);
        return;
    }
    spending_limit_hook::print_from_args();
}
