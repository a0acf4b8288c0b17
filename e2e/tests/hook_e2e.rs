//! The deployable program, run through its ABI on the local Stylus VM: what
//! motsu cannot reach (routing, raw calldata, the suffix, time, raw logs).

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use common::*;
use spending_limit_hook::abi::{self, ISpendingLimitHook as I};
use spending_limit_hook::encode;
use stylus_local_vm::{Call, Status};

#[test]
fn install_then_spend_within_the_limit() {
    let mut chain = Chain::new();
    assert!(chain
        .install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)])
        .is_success());
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(400)));
    assert!(out.is_success(), "{out:?}");
    // preCheck returns ABI-encoded empty bytes.
    assert_eq!(out.output, encode_empty_bytes());
    assert_eq!(chain.configs(ALICE, TOKEN), (u(1_000), u(400), 3_600, T0));
    assert_eq!(chain.remaining(ALICE, TOKEN), u(600));
}

fn encode_empty_bytes() -> Vec<u8> {
    let mut out = vec![0u8; 64];
    out[31] = 0x20;
    out
}

#[test]
fn over_limit_reverts_with_the_exact_error_bytes() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(900)));
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(101)));
    assert_eq!(out.status, Status::Revert);
    let expected = abi::SpendingLimitExceeded {
        token: TOKEN,
        attempted: u(101),
        remaining: u(100),
    }
    .abi_encode();
    assert_eq!(out.output, expected);
    assert!(out.logs.is_empty(), "a reverted call leaves no logs");
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(900), "and no state change");
}

#[test]
fn dispatch_by_selector_and_unknown_selectors() {
    let mut chain = Chain::new();
    assert_eq!(chain.view(I::nameCall {})._0, "SpendingLimitHook");
    assert_eq!(chain.view(I::versionCall {})._0, env!("CARGO_PKG_VERSION"));
    assert!(chain.view(I::isModuleTypeCall { typeId: u(4) })._0);
    assert!(!chain.view(I::isModuleTypeCall { typeId: u(2) })._0);
    for data in [vec![0xde, 0xad, 0xbe, 0xef], vec![], vec![0x06]] {
        let out = chain.tx(ALICE, data);
        assert_eq!((out.status, out.output), (Status::Revert, vec![]));
    }
}

#[test]
fn entry_points_are_not_payable() {
    let mut chain = Chain::new();
    for data in [
        I::nameCall {}.abi_encode(),
        encode::pre_check(ALICE, U256::ZERO, &exec_single(TOKEN, 0, &transfer(1))),
    ] {
        chain.vm.begin_transaction();
        let mut call = Call::new(ALICE, data);
        call.value = u(1);
        let out = chain.vm.call(HOOK, &call);
        assert_eq!((out.status, out.output), (Status::Revert, vec![]));
    }
}

#[test]
fn trailing_bytes_after_arguments_are_ignored_as_in_solidity() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    let mut data = I::setSpendingLimitCall {
        token: TOKEN,
        limit: u(5),
        windowDuration: alloy_primitives::aliases::U48::from(60),
    }
    .abi_encode();
    data.extend_from_slice(&[0xaa; 40]);
    assert!(chain.tx(ALICE, data).is_success());
    assert_eq!(chain.configs(ALICE, TOKEN).0, u(5));
}

#[test]
fn two_accounts_behind_one_multiplexer_stay_independent() {
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    chain.install(BOB, MUX, &[(TOKEN, 500, 3_600)]);
    assert!(chain
        .pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(700)))
        .is_success());
    assert!(chain
        .pre_check_via(MUX, BOB, &exec_single(TOKEN, 0, &transfer(500)))
        .is_success());
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(700));
    assert_eq!(chain.configs(BOB, TOKEN).1, u(500));
    let out = chain.pre_check_via(MUX, BOB, &exec_single(TOKEN, 0, &transfer(1)));
    assert_eq!(
        out.output,
        abi::SpendingLimitExceeded {
            token: TOKEN,
            attempted: u(1),
            remaining: u(0)
        }
        .abi_encode()
    );
    assert!(chain
        .pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(300)))
        .is_success());
}

#[test]
fn a_spoofed_suffix_is_ignored() {
    let mut chain = Chain::new();
    let attacker = Address::repeat_byte(0xee);
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    // The attacker calls directly with Alice behind the real multiplexer's address.
    let data = encode::with_suffix(
        encode::pre_check(
            attacker,
            U256::ZERO,
            &exec_single(TOKEN, 0, &transfer(1_000)),
        ),
        MUX,
        ALICE,
    );
    let out = chain.tx(attacker, data);
    assert_eq!(
        out.output,
        abi::NotInitialized {
            smartAccount: attacker
        }
        .abi_encode()
    );
    assert_eq!(chain.configs(ALICE, TOKEN).1, U256::ZERO);
}

#[test]
fn post_check_receives_what_pre_check_returned() {
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600)]);
    let pre = chain.pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(1)));
    let hook_data = <alloy_sol_types::sol_data::Bytes as alloy_sol_types::SolType>::abi_decode(
        &pre.output,
        true,
    )
    .unwrap();
    let post = chain.tx(
        MUX,
        encode::with_suffix(encode::post_check(&hook_data), MUX, ALICE),
    );
    assert!(post.is_success(), "{post:?}");
    let post = chain.tx(ALICE, encode::post_check(&hook_data));
    assert!(post.is_success());
}

#[test]
fn window_expiry_by_moving_the_block_time() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1_000)))
        .is_success());
    chain.vm.set_timestamp(T0 + 3_599);
    assert_eq!(
        chain
            .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
            .status,
        Status::Revert
    );
    assert_eq!(chain.remaining(ALICE, TOKEN), U256::ZERO);
    chain.vm.set_timestamp(T0 + 3_600);
    assert_eq!(chain.remaining(ALICE, TOKEN), u(1_000));
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(250)));
    assert!(out.is_success());
    assert_eq!(
        chain.configs(ALICE, TOKEN),
        (u(1_000), u(250), 3_600, T0 + 3_600)
    );
    // The reset and the spend, as raw logs.
    assert_eq!(out.logs.len(), 2);
    let reset = &out.logs[0];
    assert_eq!(reset.address, HOOK);
    assert_eq!(
        reset.topics,
        vec![
            abi::SpendingWindowReset::SIGNATURE_HASH,
            ALICE.into_word(),
            TOKEN.into_word()
        ]
    );
    assert_eq!(
        reset.data,
        U256::from(T0 + 3_600).to_be_bytes::<32>().to_vec()
    );
    let spend = &out.logs[1];
    assert_eq!(
        spend.topics,
        vec![
            abi::SpendingRecorded::SIGNATURE_HASH,
            ALICE.into_word(),
            TOKEN.into_word()
        ]
    );
    let mut data = u(250).to_be_bytes::<32>().to_vec();
    data.extend_from_slice(&u(250).to_be_bytes::<32>());
    assert_eq!(spend.data, data);
}

#[test]
fn install_events_as_raw_logs() {
    let mut chain = Chain::new();
    let out = chain.install(ALICE, MUX, &[(NATIVE, 10, 60), (TOKEN, 20, 120)]);
    let topics: Vec<Vec<B256>> = out.logs.iter().map(|l| l.topics.clone()).collect();
    assert_eq!(
        topics,
        vec![
            vec![
                abi::SpendingLimitSet::SIGNATURE_HASH,
                ALICE.into_word(),
                NATIVE.into_word()
            ],
            vec![
                abi::SpendingLimitSet::SIGNATURE_HASH,
                ALICE.into_word(),
                TOKEN.into_word()
            ],
        ]
    );
    assert_eq!(
        chain.view(I::trustedForwarderCall { account: ALICE })._0,
        MUX
    );
    assert!(chain.view(I::isInitializedCall { account: ALICE })._0);
}

#[test]
fn refusals_through_the_abi() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    let self_call = exec_single(HOOK, 0, &[1, 2, 3, 4]);
    assert_eq!(
        chain.pre_check(ALICE, &self_call).output,
        abi::SelfCallBlocked {}.abi_encode()
    );
    let unknown = transfer(1);
    assert_eq!(
        chain.pre_check(ALICE, &unknown).output,
        abi::UnknownFunctionBlocked {}.abi_encode()
    );
    let mut bad = exec_single(TOKEN, 0, &transfer(1));
    bad[4 + 63] = 0x60;
    assert_eq!(
        chain.pre_check(ALICE, &bad).output,
        abi::DecodingError {}.abi_encode()
    );
    let out = chain.install(ALICE, Address::ZERO, &[(TOKEN, 1, 60)]);
    assert_eq!(
        out.output,
        abi::ModuleAlreadyInitialized {
            smartAccount: ALICE
        }
        .abi_encode()
    );
}

#[test]
fn uninstall_clears_every_slot() {
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(NATIVE, 10, 60), (TOKEN, u64::MAX, 120)]);
    chain.pre_check(ALICE, &exec_batch(&[(TOKEN, 5, transfer(7))]));
    assert!(!chain.account_slots().is_empty());
    assert!(chain
        .tx(
            ALICE,
            I::onUninstallCall {
                data: vec![].into()
            }
            .abi_encode()
        )
        .is_success());
    assert_eq!(
        chain.account_slots(),
        vec![],
        "uninstall leaves nothing behind"
    );
}

#[test]
fn out_of_gas_is_reported_and_changes_nothing() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    chain.vm.begin_transaction();
    let mut call = Call::new(
        ALICE,
        encode::pre_check(ALICE, U256::ZERO, &exec_single(TOKEN, 0, &transfer(1))),
    );
    call.gas_limit = 5_000;
    let out = chain.vm.call(HOOK, &call);
    assert_eq!(out.status, Status::OutOfGas);
    assert_eq!(out.gas.total, 5_000);
    assert_eq!(chain.configs(ALICE, TOKEN).1, U256::ZERO);
}

#[test]
fn preview_pre_check_through_the_abi() {
    use spending_limit_hook::abi::ISpendingLimitPolicy as P;
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(TOKEN, 1_000, 3_600), (NATIVE, 5, 60)]);
    chain.pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(950)));
    let ask = |chain: &mut Chain, amount| {
        chain.view(P::previewPreCheckCall {
            account: ALICE,
            msgSender: BOB,
            msgValue: U256::ZERO,
            msgData: exec_single(TOKEN, 0, &transfer(amount)).into(),
        })
    };
    let yes = ask(&mut chain, 50);
    assert!(yes.wouldPass);
    assert!(yes.revertData.is_empty());
    let no = ask(&mut chain, 51);
    assert!(!no.wouldPass);
    assert_eq!(
        no.revertData.to_vec(),
        abi::SpendingLimitExceeded {
            token: TOKEN,
            attempted: u(51),
            remaining: u(50)
        }
        .abi_encode()
    );
    assert_eq!(
        chain.configs(ALICE, TOKEN).1,
        u(950),
        "a view changes nothing"
    );
    let tokens = chain.view(P::trackedTokensCall { account: ALICE }).tokens;
    assert_eq!(tokens, vec![TOKEN, NATIVE]);
}

#[test]
fn policies_through_the_abi() {
    use spending_limit_hook::abi::ISpendingLimitPolicy as P;
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    assert!(chain
        .tx(
            ALICE,
            P::setMaxPerCallCall {
                token: TOKEN,
                maxPerCall: u(100)
            }
            .abi_encode()
        )
        .is_success());
    assert_eq!(
        chain
            .view(P::maxPerCallCall {
                account: ALICE,
                token: TOKEN
            })
            ._0,
        u(100)
    );
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(101)));
    assert_eq!(
        out.output,
        abi::PerCallCapExceeded {
            token: TOKEN,
            attempted: u(101),
            cap: u(100)
        }
        .abi_encode()
    );
    assert!(chain
        .tx(ALICE, P::setPausedCall { paused: true }.abi_encode())
        .is_success());
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)));
    assert_eq!(out.output, abi::AccountPaused {}.abi_encode());
    let policy = chain.view(P::accountPolicyCall { account: ALICE });
    assert!(policy.paused && !policy.denyUnknownTokens);
    // A bool argument other than 0 or 1 is malformed, as in Solidity.
    let mut bad = P::setPausedCall { paused: false }.abi_encode();
    bad[35] = 2;
    assert_eq!(
        chain.tx(ALICE, bad).output,
        abi::DecodingError {}.abi_encode()
    );
    assert!(chain
        .tx(ALICE, P::setPausedCall { paused: false }.abi_encode())
        .is_success());
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(100)))
        .is_success());
}

#[test]
fn token_state_as_of_now_through_the_abi() {
    use spending_limit_hook::abi::ISpendingLimitPolicy as P;
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(400)));
    let state = chain.view(P::tokenStateCall {
        account: ALICE,
        token: TOKEN,
    });
    assert!(state.limited);
    assert_eq!(
        (state.limit, state.spent, state.remaining),
        (u(1_000), u(400), u(600))
    );
    assert_eq!(
        (
            state.windowStart.to::<u64>(),
            state.windowDuration.to::<u64>(),
            state.windowEnd.to::<u64>()
        ),
        (T0, 3_600, T0 + 3_600)
    );
    chain.vm.set_timestamp(T0 + 3_600);
    let state = chain.view(P::tokenStateCall {
        account: ALICE,
        token: TOKEN,
    });
    assert_eq!(
        (state.spent, state.remaining),
        (U256::ZERO, u(1_000)),
        "a closed window reads as empty"
    );
    let none = chain.view(P::tokenStateCall {
        account: ALICE,
        token: OTHER_TOKEN,
    });
    assert!(!none.limited);
    assert_eq!(none.remaining, U256::ZERO);
}

#[test]
fn a_batch_larger_than_the_first_memory_page_is_read_and_charged_whole() {
    // The entry point reads the calldata into a buffer of its own making
    // (`spending_limit_hook::list`): past the first 64 KiB page, memory grows.
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000_000, 3_600)]);
    let items: Vec<_> = (1..=300).map(|i| (TOKEN, 0, transfer(i))).collect();
    let msg_data = exec_batch(&items);
    let calldata = encode::pre_check(ALICE, U256::ZERO, &msg_data);
    assert!(calldata.len() > 65_536, "{} bytes", calldata.len());
    let out = chain.pre_check(ALICE, &msg_data);
    assert!(out.is_success(), "{out:?}");
    assert_eq!(out.logs.len(), 300, "one SpendingRecorded per transfer");
    assert_eq!(chain.configs(ALICE, TOKEN).1, u(300 * 301 / 2));
    assert!(
        out.gas.memory >= 1_000,
        "the pages it opened are paid for: {:?}",
        out.gas
    );
}
