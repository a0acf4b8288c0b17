//! A hook deployed on the local VM from the artifact the build script made.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../tests/support/calls.rs"]
mod calls;
pub use calls::*;

use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use spending_limit_hook::abi::{
    ISpendingLimitHook as I, ISpendingLimitPolicy as P, TokenLimitInit,
};
use spending_limit_hook::encode;
use stylus_local_vm::{Call, LocalVm, Outcome};

// The contract crate's native symbols (keccak) come from motsu's shims.
use motsu as _;

pub const HOOK: Address = Address::repeat_byte(0x40);
pub const MUX: Address = Address::repeat_byte(0xaa);
pub const ALICE: Address = Address::repeat_byte(0xa1);
pub const BOB: Address = Address::repeat_byte(0xb0);
pub const T0: u64 = 1_750_000_000;

/// The deployable program, as `scripts/build.sh` leaves it.
pub fn artifact() -> Vec<u8> {
    let path = std::env::var("HOOK_WASM").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../artifacts/spending_limit_hook.wasm"
        )
        .into()
    });
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}; run scripts/build.sh first"))
}

pub struct Chain {
    pub vm: LocalVm,
}

impl Chain {
    /// A chain with the hook deployed at [`HOOK`], at time [`T0`]. Deploying
    /// (checks, compression, metering, compilation) happens once per process;
    /// every chain is a fork of that one.
    pub fn new() -> Self {
        static DEPLOYED: std::sync::OnceLock<LocalVm> = std::sync::OnceLock::new();
        let vm = DEPLOYED.get_or_init(|| {
            let mut vm = LocalVm::new();
            vm.deploy_at(HOOK, &artifact())
                .expect("the artifact deploys");
            vm.set_timestamp(T0);
            vm
        });
        Self { vm: vm.clone() }
    }

    /// A call in a new transaction (cold storage).
    pub fn tx(&mut self, from: Address, data: Vec<u8>) -> Outcome {
        self.vm.begin_transaction();
        self.vm.call(HOOK, &Call::new(from, data))
    }

    pub fn install(
        &mut self,
        account: Address,
        forwarder: Address,
        limits: &[(Address, u64, u64)],
    ) -> Outcome {
        let limits: Vec<TokenLimitInit> = limits
            .iter()
            .map(|(token, limit, window)| TokenLimitInit {
                token: *token,
                limit: u(*limit),
                windowDuration: U48::from(*window),
            })
            .collect();
        let data = (forwarder, limits).abi_encode_params();
        self.tx(account, I::onInstallCall { data: data.into() }.abi_encode())
    }

    /// A configuration call by ALICE (the account under test), in a new
    /// transaction; it must succeed.
    pub fn configure(&mut self, call: impl SolCall) {
        let out = self.tx(ALICE, call.abi_encode());
        assert!(out.is_success(), "{out:?}");
    }

    pub fn pre_check(&mut self, account: Address, msg_data: &[u8]) -> Outcome {
        self.tx(account, encode::pre_check(account, U256::ZERO, msg_data))
    }

    pub fn pre_check_via(&mut self, mux: Address, account: Address, msg_data: &[u8]) -> Outcome {
        self.tx(
            mux,
            encode::with_suffix(
                encode::pre_check(account, U256::ZERO, msg_data),
                mux,
                account,
            ),
        )
    }

    pub fn view<C: SolCall>(&mut self, call: C) -> C::Return {
        let out = self.vm.call(HOOK, &Call::new(ALICE, call.abi_encode()));
        assert!(out.is_success(), "view reverted: {:?}", out);
        C::abi_decode_returns(&out.output, true).expect("view output decodes")
    }

    pub fn configs(&mut self, account: Address, token: Address) -> (U256, U256, u64, u64) {
        let r = self.view(I::configsCall { account, token });
        (r.limit, r.spent, r.windowDuration.to(), r.windowStart.to())
    }

    pub fn remaining(&mut self, account: Address, token: Address) -> U256 {
        self.view(I::getRemainingAllowanceCall { account, token })
            ._0
    }
}

pub mod scenarios;

/// A policy window: kind 0 fixed, 1 aligned (to `anchor`), 2 sliding.
pub fn policy_window(kind: u8, limit: u128, duration: u64, anchor: u64) -> P::Window {
    P::Window {
        kind,
        limit,
        duration: U48::from(duration),
        anchor: U48::from(anchor),
    }
}
