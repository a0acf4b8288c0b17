//! Prints the contract's Solidity interface: `cargo run --features export-abi`.

#[cfg(feature = "export-abi")]
fn main() {
    spending_limit_hook::print_from_args();
}
