//! The threats that only the real program can show (see `docs/threats.md`).

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use alloy_primitives::Address;
use alloy_sol_types::SolCall;
use common::*;
use spending_limit_hook::abi::ISpendingLimitHook as I;
use spending_limit_hook::encode;
use stylus_local_vm::activation;

#[test]
fn t23_neither_program_can_call_out_and_the_hook_only_delegates_to_its_own() {
    // The config program makes no call of any kind; the hook program's only
    // call is the DELEGATECALL that hands on what it does not serve, to the
    // config program its constructor fixed (src/config_program.rs). Neither
    // can call a token or another account, so nothing can re-enter them.
    let calls = [
        "call_contract",
        "static_call_contract",
        "delegate_call_contract",
        "create1",
        "create2",
    ];
    let (hook, config) = (
        activation::check(&artifact()).unwrap(),
        activation::check(&config_artifact()).unwrap(),
    );
    for forbidden in calls {
        assert!(
            !config.imports.iter().any(|i| i == forbidden),
            "the config program imports {forbidden}"
        );
        assert_eq!(
            hook.imports.iter().any(|i| i == forbidden),
            forbidden == "delegate_call_contract",
            "the hook program and {forbidden}"
        );
    }
    // Every write goes through the host's cache and is flushed by the entry
    // point, and the hook writes nothing before it hands a call on.
    assert!(hook.imports.iter().any(|i| i == "storage_flush_cache"));
    assert!(config.imports.iter().any(|i| i == "storage_flush_cache"));
    // preCheck and postCheck never hand on: on a hook whose constructor never
    // ran (no config program), they still answer for themselves.
    let mut vm = stylus_local_vm::LocalVm::new();
    vm.deploy_at(HOOK, &artifact()).unwrap();
    let msg = exec_single(TOKEN, 0, &transfer(1));
    let pre = encode::pre_check(ALICE, alloy_primitives::U256::ZERO, &msg);
    let out = vm.call(HOOK, &stylus_local_vm::Call::new(ALICE, pre));
    assert_eq!(
        out.output,
        spending_limit_hook::error::HookError::not_initialized(ALICE).encode()
    );
    let post = encode::with_suffix(encode::post_check(&[]), MUX, ALICE);
    assert!(vm
        .call(HOOK, &stylus_local_vm::Call::new(MUX, post))
        .is_success());
}

#[test]
fn t21_post_check_with_state_missing_is_a_no_op_and_uninstall_always_succeeds() {
    let mut chain = Chain::new();
    let uninstall = I::onUninstallCall {
        data: vec![].into(),
    }
    .abi_encode();
    assert!(
        chain.tx(ALICE, uninstall.clone()).is_success(),
        "never installed"
    );
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    assert!(chain.tx(ALICE, uninstall.clone()).is_success());
    let post = encode::with_suffix(encode::post_check(&[]), MUX, ALICE);
    assert!(
        chain.tx(MUX, post).is_success(),
        "postCheck after the state is gone"
    );
    assert!(chain.tx(ALICE, uninstall).is_success(), "twice");
}

#[test]
fn t21_gas_of_a_batch_grows_linearly_with_its_items() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, u64::MAX, 3_600)]);
    let gas = |chain: &mut Chain, n: usize| {
        let items: Vec<_> = (0..n).map(|_| (TOKEN, 0, transfer(1))).collect();
        let out = chain.pre_check(ALICE, &exec_batch(&items));
        assert!(out.is_success(), "{out:?}");
        out.gas.total
    };
    let (g10, g20, g40) = (
        gas(&mut chain, 10),
        gas(&mut chain, 20),
        gas(&mut chain, 40),
    );
    let per_item = (g20 - g10) / 10;
    assert!(
        per_item < 2_700,
        "each further item costs {per_item} gas (its log is 2,012)"
    );
    assert!(
        g40 - g20 <= 2 * (g20 - g10) + 200,
        "linear: {g10} {g20} {g40}"
    );
}

/// The deployed programs close the routes that switch the hook off (threats
/// 25 to 28), on the paths an account takes: directly and through the
/// multiplexer, alone and in a batch, wrapped in a user operation; each
/// refusal is `ProtectedTarget(target)` and charges nothing; a user
/// operation is charged once, by the preCheck of the call it unwraps.
#[test]
fn t25_t28_nothing_an_agent_executes_switches_the_hook_off() {
    use spending_limit_hook::abi::ISpendingLimitPolicy as P;
    use spending_limit_hook::error::HookError;
    let mut chain = Chain::new();
    assert!(chain
        .install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)])
        .is_success());
    let validator = Address::repeat_byte(0x7a);
    chain.configure(P::setProtectedTargetsCall {
        targets: vec![validator],
    });
    assert_eq!(
        chain
            .view(P::protectedTargetsCall { account: ALICE })
            .targets,
        vec![validator]
    );
    let remove_hook = [
        &[0x60u8, 0x6c, 0xd4, 0x72][..],
        &HOOK.into_word().0,
        &[0; 32],
    ]
    .concat();
    let nested = exec_single(TOKEN, 0, &transfer(5));
    for (target, msg) in [
        (MUX, exec_single(MUX, 0, &remove_hook)),
        (
            MUX,
            exec_batch(&[(TOKEN, 0, transfer(1)), (MUX, 0, remove_hook.clone())]),
        ),
        (ALICE, exec_single(ALICE, 0, &nested)),
        (
            ALICE,
            encode::execute_user_op(ALICE, &exec_single(ALICE, 0, &nested)),
        ),
        (validator, exec_single(validator, 1, &[])),
        (
            validator,
            exec_batch(&[(TOKEN, 0, transfer(1)), (validator, 0, vec![])]),
        ),
    ] {
        let out = chain.pre_check_via(MUX, ALICE, &msg);
        assert_eq!(out.output, HookError::protected(target).encode(), "{out:?}");
    }
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(0), "nothing charged");
    // One user operation, one charge.
    let inner = exec_single(TOKEN, 0, &transfer(7));
    assert!(chain
        .pre_check_via(MUX, ALICE, &encode::execute_user_op(ALICE, &inner))
        .is_success());
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(0));
    assert!(chain.pre_check_via(MUX, ALICE, &inner).is_success());
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(7));
    // Short calldata: what the token reads, its missing bytes zero.
    let full = transfer(0x0105);
    assert!(chain
        .pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &full[..full.len() - 1]))
        .is_success());
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(7 + 0x0100));
}
