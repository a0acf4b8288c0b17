//! A hook deployed on the local VM from the artifact the build script made.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic
)]

pub use spending_limit_testkit::calls::*;

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

/// Where the config program is deployed (see `src/config_program.rs`).
pub const CONFIG: Address = Address::repeat_byte(0xc0);

/// The hook program, as `scripts/build.sh` leaves it (or `$HOOK_WASM`).
pub fn artifact() -> Vec<u8> {
    read_artifact("HOOK_WASM", "spending_limit_hook.wasm")
}

/// The config program, as `scripts/build.sh` leaves it (or `$CONFIG_WASM`).
pub fn config_artifact() -> Vec<u8> {
    read_artifact("CONFIG_WASM", "spending_limit_config.wasm")
}

fn read_artifact(variable: &str, file: &str) -> Vec<u8> {
    let path = std::env::var(variable)
        .unwrap_or_else(|_| format!("{}/../artifacts/{file}", env!("CARGO_MANIFEST_DIR")));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}; run scripts/build.sh first"))
}

/// The constructor's calldata, as the Stylus deployer sends it.
pub fn constructor(program: Address) -> Vec<u8> {
    let mut data =
        spending_limit_hook::abi::IStylusConstructor::stylus_constructorCall {}.abi_encode();
    data.extend_from_slice(&program.abi_encode());
    data
}

/// Deploys both programs and runs the hook's constructor, as
/// `scripts/deploy.sh` does on a chain.
pub fn deploy(vm: &mut LocalVm, hook: &[u8]) {
    vm.deploy_at(CONFIG, &config_artifact())
        .expect("the config program deploys");
    vm.deploy_at(HOOK, hook).expect("the hook program deploys");
    let out = vm.call(HOOK, &Call::new(ALICE, constructor(CONFIG)));
    assert!(out.is_success(), "the constructor runs: {out:?}");
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
            deploy(&mut vm, &artifact());
            vm.set_timestamp(T0);
            vm
        });
        Self { vm: vm.clone() }
    }

    /// The hook's non-zero slots but the deployment's own (the config
    /// program's address): what accounts left in storage.
    pub fn account_slots(&self) -> Vec<(U256, alloy_primitives::B256)> {
        let mut slots = self.vm.storage_of(HOOK);
        slots.retain(|(slot, _)| *slot != spending_limit_hook::slots::CONFIG_PROGRAM_SLOT);
        slots
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
