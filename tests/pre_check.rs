//! `preCheck` and `postCheck` on the Rust contract through motsu: what is
//! charged, what is refused and with which error, and whose budget it is.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use common::*;
use motsu::prelude::*;
use spending_limit_hook::abi::{self, IERC7579Account};
use spending_limit_hook::encode::{self, CallType};
use spending_limit_hook::error::HookError;
use spending_limit_testkit::harness::Hook;

const EMPTY_BYTES_RETURN: [u8; 64] = {
    let mut out = [0u8; 64];
    out[31] = 0x20;
    out
};

#[motsu::test]
fn pre_check_returns_abi_encoded_empty_bytes(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let out = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(1))).motsu_unwrap();
    assert_eq!(out, EMPTY_BYTES_RETURN.to_vec());
}

#[motsu::test]
fn transfer_approve_and_transfer_from_are_charged(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(100))).motsu_unwrap();
    hook.assert_emitted(&abi::SpendingRecorded {
        account,
        token: TOKEN,
        amount: u(100),
        totalSpent: u(100),
    });
    pre_check(&hook, account, &exec_single(TOKEN, 0, &approve(200))).motsu_unwrap();
    hook.assert_emitted(&abi::SpendingRecorded {
        account,
        token: TOKEN,
        amount: u(200),
        totalSpent: u(300),
    });
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer_from(300))).motsu_unwrap();
    hook.assert_emitted(&abi::SpendingRecorded {
        account,
        token: TOKEN,
        amount: u(300),
        totalSpent: u(600),
    });
    assert_eq!(spent(&hook, account, TOKEN), u(600));
}

#[motsu::test]
fn native_value_is_charged_on_every_execution(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(RECIPIENT, 10, &[])).motsu_unwrap();
    // Value sent along with token calldata counts too, native first.
    pre_check(&hook, account, &exec_single(TOKEN, 20, &transfer(5))).motsu_unwrap();
    assert_eq!(spent(&hook, account, NATIVE), u(30));
    assert_eq!(spent(&hook, account, TOKEN), u(5));
}

#[motsu::test]
fn zero_amounts_are_not_recorded(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let before = hook.all_events().len();
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(0))).motsu_unwrap();
    pre_check(&hook, account, &exec_single(RECIPIENT, 0, &[])).motsu_unwrap();
    assert_eq!(hook.all_events().len(), before);
}

#[motsu::test]
fn untracked_tokens_are_not_limited(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(
        &hook,
        account,
        &exec_single(OTHER_TOKEN, 0, &transfer(u64::MAX)),
    )
    .motsu_unwrap();
    assert_eq!(spent(&hook, account, OTHER_TOKEN), U256::ZERO);
}

#[motsu::test]
fn over_limit_reverts_with_what_remains(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(600))).motsu_unwrap();
    let err = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(401))).unwrap_err();
    assert_eq!(err, HookError::exceeded(TOKEN, u(401), u(400)));
    assert_eq!(
        err.encode(),
        alloy_sol_types::SolError::abi_encode(&abi::SpendingLimitExceeded {
            token: TOKEN,
            attempted: u(401),
            remaining: u(400)
        })
    );
    assert_eq!(
        spent(&hook, account, TOKEN),
        u(600),
        "a refused spend changes nothing"
    );
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(400))).motsu_unwrap();
}

#[motsu::test]
fn batches_are_charged_cumulatively_and_refused_whole(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let ok = exec_batch(&[
        (TOKEN, 0, transfer(300)),
        (TOKEN, 1, approve(300)),
        (RECIPIENT, 2, vec![]),
    ]);
    pre_check(&hook, account, &ok).motsu_unwrap();
    assert_eq!(spent(&hook, account, TOKEN), u(600));
    assert_eq!(spent(&hook, account, NATIVE), u(3));
    // Each item fits alone, the sum does not: the whole batch is refused.
    let too_much = exec_batch(&[(TOKEN, 0, transfer(300)), (TOKEN, 0, transfer(300))]);
    let err = pre_check(&hook, account, &too_much).unwrap_err();
    assert_eq!(err, HookError::exceeded(TOKEN, u(300), u(100)));
    assert_eq!(spent(&hook, account, TOKEN), u(600));
}

#[motsu::test]
fn an_empty_batch_charges_nothing(hook: Contract<Hook>, account: Address, stranger: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_batch(&[])).motsu_unwrap();
    let err = pre_check(&hook, stranger, &exec_batch(&[])).unwrap_err();
    assert_eq!(err, HookError::not_initialized(stranger));
}

/// One user operation's preChecks, as the account makes them: one, but
/// through `executeUserOp` on Nexus, the only family that hooks it, whose
/// preCheck is followed by the one of the `execute` it unwraps (the
/// account runs it through its hooked entry point).
fn prechecks_of(msg: &[u8], account: Address) -> Vec<Vec<u8>> {
    let user_op = <abi::IERC7579Account::executeUserOpCall as SolCall>::SELECTOR;
    if msg[..4] == user_op {
        let unwrapped = exec_single(TOKEN, 0, &transfer(10));
        assert_eq!(msg, &encode::execute_user_op(account, &unwrapped)[..]);
        vec![msg.to_vec(), unwrapped]
    } else {
        vec![msg.to_vec()]
    }
}

#[motsu::test]
fn the_same_spend_costs_the_same_through_every_path(
    hook: Contract<Hook>,
    account: Address,
    mux: Address,
) {
    install_default(&hook, account, mux);
    let single = exec_single(TOKEN, 0, &transfer(10));
    let from_executor = encode::execute_from_executor(
        encode::mode(CallType::Single, 0),
        encode::single(TOKEN, u(0), &transfer(10)),
    );
    let batch_of_one = exec_batch(&[(TOKEN, 0, transfer(10))]);
    let user_op = encode::execute_user_op(account, &single);
    let try_mode = encode::execute(
        encode::mode(CallType::Single, 1),
        encode::single(TOKEN, u(0), &transfer(10)),
    );
    let paths = [single, from_executor, batch_of_one, user_op, try_mode];
    for (i, msg) in paths.iter().enumerate() {
        for check in prechecks_of(msg, account) {
            pre_check(&hook, account, &check).motsu_unwrap();
        }
        assert_eq!(
            spent(&hook, account, TOKEN),
            u(10 * (2 * i as u64 + 1)),
            "direct path {i}"
        );
        for check in prechecks_of(msg, account) {
            pre_check_via(&hook, mux, account, &check).motsu_unwrap();
        }
        assert_eq!(
            spent(&hook, account, TOKEN),
            u(10 * (2 * i as u64 + 2)),
            "multiplexer path {i}"
        );
    }
}

#[motsu::test]
fn delegatecall_is_refused_on_both_execute_paths(
    hook: Contract<Hook>,
    account: Address,
    stranger: Address,
) {
    install_default(&hook, account, Address::ZERO);
    let mut data = TOKEN.to_vec();
    data.extend_from_slice(&transfer(1));
    for msg in [
        encode::execute(encode::mode(CallType::DelegateCall, 0), data.clone()),
        encode::execute_from_executor(encode::mode(CallType::DelegateCall, 0), data.clone()),
    ] {
        let expected = HookError::DelegateCallNotAllowed(abi::DelegateCallNotAllowed {});
        assert_eq!(pre_check(&hook, account, &msg).unwrap_err(), expected);
        assert_eq!(
            pre_check(&hook, stranger, &msg).unwrap_err(),
            expected,
            "before the initialization check"
        );
    }
}

#[motsu::test]
fn other_call_types_revert_invalid_call_type(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let msg = encode::execute(
        encode::mode(CallType::Static, 0),
        encode::single(TOKEN, u(0), &transfer(1)),
    );
    assert_eq!(
        pre_check(&hook, account, &msg).unwrap_err(),
        HookError::InvalidCallType(abi::InvalidCallType {})
    );
}

#[motsu::test]
fn module_management_is_blocked(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let install = IERC7579Account::installModuleCall {
        moduleTypeId: u(4),
        module: TOKEN,
        initData: vec![].into(),
    };
    let uninstall = IERC7579Account::uninstallModuleCall {
        moduleTypeId: u(4),
        module: hook.address(),
        deInitData: vec![].into(),
    };
    for msg in [install.abi_encode(), uninstall.abi_encode()] {
        assert_eq!(
            pre_check(&hook, account, &msg).unwrap_err(),
            HookError::ModuleManagementBlocked(abi::ModuleManagementBlocked {})
        );
    }
}

#[motsu::test]
fn unknown_account_functions_are_blocked(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    for msg in [transfer(1), vec![], vec![0xe9, 0xae, 0x5c], vec![0xff; 100]] {
        assert_eq!(
            pre_check(&hook, account, &msg).unwrap_err(),
            HookError::UnknownFunctionBlocked(abi::UnknownFunctionBlocked {})
        );
    }
}

#[motsu::test]
fn executions_targeting_the_hook_are_blocked(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let set_limit = vec![0x0f, 0x5b, 0xe5, 0x19];
    for msg in [
        exec_single(hook.address(), 0, &set_limit),
        exec_batch(&[(TOKEN, 0, transfer(1)), (hook.address(), 0, vec![])]),
    ] {
        assert_eq!(
            pre_check(&hook, account, &msg).unwrap_err(),
            HookError::SelfCallBlocked(abi::SelfCallBlocked {})
        );
    }
    assert_eq!(spent(&hook, account, TOKEN), U256::ZERO);
}

#[motsu::test]
fn checks_for_an_uninstalled_account_revert_not_initialized(
    hook: Contract<Hook>,
    account: Address,
) {
    // Whatever the executions: the account word is read only when a step
    // needs it, and every such step refuses an uninstalled account first.
    let unbounded = abi::IERC777::authorizeOperatorCall {
        operator: RECIPIENT,
    }
    .abi_encode();
    for msg in [
        exec_single(TOKEN, 0, &transfer(1)),
        exec_single(RECIPIENT, 1, &[]),
        exec_single(RECIPIENT, 0, &[]),
        exec_single(hook.address(), 0, &[]),
        exec_single(TOKEN, 0, &unbounded),
        exec_batch(&[]),
        exec_batch(&[(RECIPIENT, 0, vec![]), (hook.address(), 0, vec![])]),
    ] {
        let err = pre_check(&hook, account, &msg).unwrap_err();
        assert_eq!(err, HookError::not_initialized(account));
    }
}

#[motsu::test]
fn non_canonical_execution_data_reverts_decoding_error(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let mut msg = exec_single(TOKEN, 0, &transfer(1));
    msg[4 + 63] = 0x60; // the bytes offset no longer points where Solidity puts it
    assert_eq!(
        pre_check(&hook, account, &msg).unwrap_err(),
        HookError::decoding()
    );
    // preCheck's own arguments, truncated.
    let calldata = encode::pre_check(account, U256::ZERO, &exec_single(TOKEN, 0, &transfer(1)));
    let err = hook
        .sender(account)
        .pre_check_raw(&calldata[..100])
        .motsu_unwrap_err();
    assert_eq!(err, HookError::decoding());
}

/// `executeUserOp` is unwrapped as ERC-4337 and ERC-7579 say
/// (`userOp.callData[4:]` is the call the account runs) and checked, but
/// charged by the preCheck of the call it unwraps, which the account makes
/// next: so a user operation is charged once.
#[motsu::test]
fn user_op_is_decoded_as_erc_7579_says_and_charged_once(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let inner = exec_batch(&[(TOKEN, 0, transfer(7)), (RECIPIENT, 9, vec![])]);
    pre_check(&hook, account, &encode::execute_user_op(account, &inner)).motsu_unwrap();
    assert_eq!(spent(&hook, account, TOKEN), u(0));
    pre_check(&hook, account, &inner).motsu_unwrap();
    assert_eq!(spent(&hook, account, TOKEN), u(7));
    assert_eq!(spent(&hook, account, NATIVE), u(9));
    // What the unwrapped call may not do is refused on the wrapper already.
    let delegate = encode::execute(
        encode::mode(CallType::DelegateCall, 0),
        [TOKEN.as_slice(), &transfer(1)].concat(),
    );
    assert_eq!(
        pre_check(&hook, account, &encode::execute_user_op(account, &delegate)).unwrap_err(),
        HookError::DelegateCallNotAllowed(abi::DelegateCallNotAllowed {})
    );
    let to_self = exec_single(account, 0, &exec_single(TOKEN, 0, &transfer(1)));
    assert_eq!(
        pre_check(&hook, account, &encode::execute_user_op(account, &to_self)).unwrap_err(),
        HookError::protected(account)
    );
    // A dry run answers for the whole user operation: it charges the
    // unwrapped call, and refuses what it would.
    let over = exec_single(TOKEN, 0, &transfer(994));
    let (pass, revert) = hook
        .sender(account)
        .preview_pre_check(account, &encode::execute_user_op(account, &over));
    assert!(!pass);
    assert_eq!(revert, HookError::exceeded(TOKEN, u(994), u(993)).encode());
}

#[motsu::test]
fn multiplexer_suffix_charges_the_named_account(
    hook: Contract<Hook>,
    mux: Address,
    alice: Address,
    bob: Address,
) {
    install_default(&hook, alice, mux);
    install_default(&hook, bob, mux);
    pre_check_via(&hook, mux, alice, &exec_single(TOKEN, 0, &transfer(100))).motsu_unwrap();
    pre_check_via(&hook, mux, bob, &exec_single(TOKEN, 0, &transfer(30))).motsu_unwrap();
    assert_eq!(spent(&hook, alice, TOKEN), u(100));
    assert_eq!(spent(&hook, bob, TOKEN), u(30));
    hook.assert_emitted(&abi::SpendingRecorded {
        account: bob,
        token: TOKEN,
        amount: u(30),
        totalSpent: u(30),
    });
}

#[motsu::test]
fn a_spoofed_suffix_is_ignored(
    hook: Contract<Hook>,
    mux: Address,
    victim: Address,
    attacker: Address,
) {
    install_default(&hook, victim, mux);
    install_default(&hook, attacker, Address::ZERO);
    let msg = exec_single(TOKEN, 0, &transfer(100));
    // The attacker appends the victim behind the real multiplexer's address:
    // the suffix's forwarder is not the caller, so the attacker is charged.
    let calldata = encode::with_suffix(encode::pre_check(attacker, U256::ZERO, &msg), mux, victim);
    hook.sender(attacker)
        .pre_check_raw(&calldata)
        .motsu_unwrap();
    assert_eq!(spent(&hook, attacker, TOKEN), u(100));
    // The attacker names itself as forwarder: the victim never registered it.
    let calldata = encode::with_suffix(
        encode::pre_check(attacker, U256::ZERO, &msg),
        attacker,
        victim,
    );
    hook.sender(attacker)
        .pre_check_raw(&calldata)
        .motsu_unwrap();
    assert_eq!(spent(&hook, attacker, TOKEN), u(200));
    assert_eq!(spent(&hook, victim, TOKEN), U256::ZERO);
}

#[motsu::test]
fn an_unresolved_suffix_falls_back_to_the_caller(
    hook: Contract<Hook>,
    mux: Address,
    account: Address,
) {
    // The account installed without registering the multiplexer: the suffix is
    // not believed, the multiplexer itself is the account, and it is not installed.
    install_default(&hook, account, Address::ZERO);
    let err = pre_check_via(&hook, mux, account, &exec_single(TOKEN, 0, &transfer(1))).unwrap_err();
    assert_eq!(err, HookError::not_initialized(mux));
    assert_eq!(spent(&hook, account, TOKEN), U256::ZERO);
}

#[motsu::test]
fn post_check_accepts_what_pre_check_returned(
    hook: Contract<Hook>,
    mux: Address,
    account: Address,
) {
    install_default(&hook, account, mux);
    let hook_data =
        pre_check_via(&hook, mux, account, &exec_single(TOKEN, 0, &transfer(1))).motsu_unwrap();
    // preCheck returned ABI-encoded `bytes`; the account passes its content on.
    let content = &hook_data[64..];
    let direct = encode::post_check(content);
    hook.sender(account).post_check_raw(&direct).motsu_unwrap();
    let via = encode::with_suffix(encode::post_check(content), mux, account);
    hook.sender(mux).post_check_raw(&via).motsu_unwrap();
    // Whatever follows the selector, even nothing.
    let bare = <spending_limit_hook::abi::ISpendingLimitHook::postCheckCall as alloy_sol_types::SolCall>::SELECTOR;
    hook.sender(account).post_check_raw(&bare).motsu_unwrap();
}
