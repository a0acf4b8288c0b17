//! The hook as it is deployed: a hook program that hands what it does not
//! serve to its config program by DELEGATECALL (`src/config_program.rs`).
//! To an account it must look like one contract.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use common::*;
use spending_limit_hook::abi::{self, ISpendingLimitHook as I, ISpendingLimitPolicy as P};
use spending_limit_hook::error::HookError;
use stylus_local_vm::{Call, LocalVm};

fn invalid(program: Address) -> Vec<u8> {
    HookError::policy(abi::InvalidConfigProgram { program }).encode()
}

#[test]
fn the_hook_names_its_config_program_and_the_constructor_cannot_run_again() {
    let mut chain = Chain::new();
    assert_eq!(chain.view(P::configProgramCall {})._0, CONFIG);
    let slots = chain.vm.storage_of(HOOK);
    for (from, program) in [(ALICE, CONFIG), (BOB, Address::repeat_byte(0x66))] {
        let out = chain.tx(from, constructor(program));
        assert!(!out.is_success());
        assert_eq!(out.output, invalid(CONFIG), "names the program already set");
    }
    assert_eq!(chain.vm.storage_of(HOOK), slots);
}

#[test]
fn the_constructor_refuses_an_address_without_code() {
    let mut vm = LocalVm::new();
    vm.deploy_at(HOOK, &artifact()).unwrap();
    let nothing_there = Address::repeat_byte(0x66);
    let out = vm.call(HOOK, &Call::new(ALICE, constructor(nothing_there)));
    assert!(!out.is_success());
    assert_eq!(out.output, invalid(nothing_there));
    assert!(vm.storage_of(HOOK).is_empty());
}

#[test]
fn without_a_config_program_every_handed_on_call_fails_typed_and_changes_nothing() {
    let mut vm = LocalVm::new();
    vm.deploy_at(CONFIG, &config_artifact()).unwrap();
    vm.deploy_at(HOOK, &artifact()).unwrap();
    let install = I::onInstallCall {
        data: (Address::ZERO, Vec::<abi::TokenLimitInit>::new())
            .abi_encode_params()
            .into(),
    }
    .abi_encode();
    let module = I::isModuleTypeCall {
        typeId: U256::from(4),
    }
    .abi_encode();
    for data in [install, I::nameCall {}.abi_encode(), module] {
        let out = vm.call(HOOK, &Call::new(ALICE, data));
        assert_eq!(out.output, invalid(Address::ZERO));
    }
    assert!(vm.storage_of(HOOK).is_empty());
    // What the hook serves itself still answers.
    let program = vm.call(
        HOOK,
        &Call::new(ALICE, P::configProgramCall {}.abi_encode()),
    );
    assert_eq!(program.output, [0u8; 32].to_vec());
}

#[test]
fn handed_on_calls_act_in_the_hooks_storage_and_log_from_its_address() {
    let mut chain = Chain::new();
    let out = chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    assert!(out.is_success(), "{out:?}");
    assert!(!out.logs.is_empty());
    assert!(out.logs.iter().all(|log| log.address == HOOK));
    assert_eq!(out.logs[0].topics[0], abi::SpendingLimitSet::SIGNATURE_HASH);
    assert!(
        chain.vm.storage_of(CONFIG).is_empty(),
        "the config program's own storage"
    );
    // The hook program then reads what the config program wrote.
    assert_eq!(chain.remaining(ALICE, TOKEN), U256::from(1_000));
    let spend = chain.pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(300)));
    assert!(spend.is_success(), "{spend:?}");
    assert_eq!(chain.configs(ALICE, TOKEN).1, U256::from(300));
    // A revert from the config program comes back as it was raised.
    let again = chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    assert_eq!(
        again.output,
        HookError::ModuleAlreadyInitialized(abi::ModuleAlreadyInitialized {
            smartAccount: ALICE
        })
        .encode()
    );
}

#[test]
fn calling_the_config_program_directly_never_touches_the_hook() {
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    let hook_slots = chain.vm.storage_of(HOOK);
    chain.vm.begin_transaction();
    let uninstall = I::onUninstallCall {
        data: vec![].into(),
    }
    .abi_encode();
    let out = chain.vm.call(CONFIG, &Call::new(ALICE, uninstall));
    assert!(out.is_success());
    assert_eq!(chain.vm.storage_of(HOOK), hook_slots);
    assert!(chain.view(I::isInitializedCall { account: ALICE })._0);
}

#[test]
fn value_and_unknown_selectors_revert_empty_as_from_one_contract() {
    let mut chain = Chain::new();
    for (value, data) in [
        (U256::from(1), I::nameCall {}.abi_encode()),
        (
            U256::from(1),
            I::isModuleTypeCall {
                typeId: U256::from(4),
            }
            .abi_encode(),
        ),
        (U256::ZERO, vec![0xde, 0xad, 0xbe, 0xef]),
        (U256::ZERO, vec![0x01]),
    ] {
        chain.vm.begin_transaction();
        let mut call = Call::new(ALICE, data);
        call.value = value;
        let out = chain.vm.call(HOOK, &call);
        assert!(!out.is_success());
        assert!(out.output.is_empty(), "{out:?}");
    }
}
