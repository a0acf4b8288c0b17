//! Call builders shared by the contract tests (motsu) and the VM tests: the
//! account calldata a test sends, with amounts as plain integers.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use spending_limit_hook::abi::IERC20;
use spending_limit_hook::encode::{self, CallType};

/// The native token (ETH), as the hook names it.
pub const NATIVE: Address = Address::ZERO;
/// An ERC-20 the tests limit.
pub const TOKEN: Address = Address::repeat_byte(0x70);
/// A second ERC-20.
pub const OTHER_TOKEN: Address = Address::repeat_byte(0x71);
/// Whoever the account pays.
pub const RECIPIENT: Address = Address::repeat_byte(0x99);

/// A `u64` as a `uint256`.
pub fn u(v: u64) -> U256 {
    U256::from(v)
}

/// `transfer(RECIPIENT, amount)` calldata.
pub fn transfer(amount: u64) -> Vec<u8> {
    transfer_u256(u(amount))
}

/// `transfer` of an amount past `u64` (18-decimal tokens).
pub fn transfer_u256(amount: U256) -> Vec<u8> {
    IERC20::transferCall {
        to: RECIPIENT,
        amount,
    }
    .abi_encode()
}

/// `approve(RECIPIENT, amount)` calldata.
pub fn approve(amount: u64) -> Vec<u8> {
    IERC20::approveCall {
        spender: RECIPIENT,
        amount: u(amount),
    }
    .abi_encode()
}

/// `transferFrom(RECIPIENT, RECIPIENT, amount)` calldata.
pub fn transfer_from(amount: u64) -> Vec<u8> {
    IERC20::transferFromCall {
        from: RECIPIENT,
        to: RECIPIENT,
        amount: u(amount),
    }
    .abi_encode()
}

/// `execute(single)` msgData.
pub fn exec_single(target: Address, value: u64, call_data: &[u8]) -> Vec<u8> {
    encode::execute(
        encode::mode(CallType::Single, 0),
        encode::single(target, u(value), call_data),
    )
}

/// `execute(batch)` msgData.
pub fn exec_batch(items: &[(Address, u64, Vec<u8>)]) -> Vec<u8> {
    let items: Vec<_> = items
        .iter()
        .map(|(t, v, d)| (*t, u(*v), d.clone()))
        .collect();
    encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&items))
}
