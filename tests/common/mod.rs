//! Shared helpers for the contract-level (motsu) tests.
#![allow(dead_code)]

pub use spending_limit_testkit::calls::*;

use alloy_primitives::Bytes;
use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::SolValue;
use motsu::prelude::*;
use spending_limit_hook::abi::TokenLimitInit;
use spending_limit_hook::encode;
use spending_limit_hook::error::HookError;
use spending_limit_testkit::harness::Hook;

/// motsu's fixed block timestamp.
pub const NOW: u64 = 1_735_689_600;
pub const DAY: u64 = 86_400;

pub fn limit(token: Address, amount: u64, window: u64) -> TokenLimitInit {
    TokenLimitInit {
        token,
        limit: u(amount),
        windowDuration: U48::from(window),
    }
}

/// Install data in the deployed layout.
pub fn install_data(forwarder: Address, limits: Vec<TokenLimitInit>) -> Bytes {
    Bytes::from((forwarder, limits).abi_encode_params())
}

/// Installs 1 ether/day native and 1000 TOKEN/hour for `account`.
pub fn install_default(hook: &Contract<Hook>, account: Address, forwarder: Address) {
    hook.sender(account)
        .on_install(install_data(
            forwarder,
            vec![limit(NATIVE, 1_000_000, DAY), limit(TOKEN, 1_000, 3_600)],
        ))
        .motsu_unwrap();
}

/// Calls `preCheck` directly, as the account.
pub fn pre_check(
    hook: &Contract<Hook>,
    account: Address,
    msg_data: &[u8],
) -> Result<Vec<u8>, HookError> {
    let calldata = encode::pre_check(account, U256::ZERO, msg_data);
    hook.sender(account).pre_check_raw(&calldata).motsu_res()
}

/// Calls `preCheck` as `mux`, with the multiplexer's suffix naming `account`.
pub fn pre_check_via(
    hook: &Contract<Hook>,
    mux: Address,
    account: Address,
    msg_data: &[u8],
) -> Result<Vec<u8>, HookError> {
    let calldata = encode::with_suffix(
        encode::pre_check(account, U256::ZERO, msg_data),
        mux,
        account,
    );
    hook.sender(mux).pre_check_raw(&calldata).motsu_res()
}

/// (limit, spent, windowDuration, windowStart) as plain integers.
pub fn config(hook: &Contract<Hook>, account: Address, token: Address) -> (U256, U256, u64, u64) {
    let (l, s, d, w) = hook.sender(account).configs(account, token);
    (l, s, d.to(), w.to())
}

pub fn spent(hook: &Contract<Hook>, account: Address, token: Address) -> U256 {
    config(hook, account, token).1
}
