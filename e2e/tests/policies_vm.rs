//! The policies beyond the reference window, through the deployed program's
//! ABI on the local Stylus VM: the Solidity shapes of `ISpendingLimitPolicy`
//! in and out, a moving clock, raw revert data, and what a spend with every
//! policy costs.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use alloy_primitives::{aliases::U96, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use common::*;
use spending_limit_hook::abi::{self, ISpendingLimitHook as I, ISpendingLimitPolicy as P};
use stylus_local_vm::Status;

const BUDGET: B256 = B256::repeat_byte(0xb1);

fn exceeded(token: Address, attempted: u64, remaining: u64) -> Vec<u8> {
    abi::SpendingLimitExceeded {
        token,
        attempted: u(attempted),
        remaining: u(remaining),
    }
    .abi_encode()
}

#[test]
fn a_sliding_window_holds_across_what_would_be_a_fixed_window_boundary() {
    let mut chain = Chain::new();
    // The reference window alone lets 2 x 100 through around its boundary.
    chain.install(ALICE, MUX, &[(TOKEN, 100, 3_600)]);
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows: vec![policy_window(2, 100, 3_600, 0)],
    });
    chain.vm.set_timestamp(T0 + 3_599);
    assert!(chain
        .pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(100)))
        .is_success());
    // The reference window reopens at T0 + 3,600; the sliding one does not.
    chain.vm.set_timestamp(T0 + 3_600);
    let out = chain.pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(1)));
    assert_eq!(out.status, Status::Revert);
    assert_eq!(out.output, exceeded(TOKEN, 1, 0));
    let policy = chain.view(P::tokenPolicyCall {
        account: ALICE,
        token: TOKEN,
    });
    assert_eq!(policy.windows.len(), 1);
    let w = &policy.windows[0];
    assert_eq!((w.kind, w.limit, w.spent, w.remaining), (2, 100, 100, 0));
    // Buckets of 150 s: the spend at T0 + 3,599 counts until its bucket is 25 old.
    let bucket = 150;
    let frees_at = ((T0 + 3_599) / bucket + 25) * bucket;
    assert_eq!(w.resetsAt.to::<u64>(), frees_at);
    chain.vm.set_timestamp(frees_at - 1);
    assert_eq!(
        chain
            .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
            .status,
        Status::Revert
    );
    chain.vm.set_timestamp(frees_at);
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(100)))
        .is_success());
}

#[test]
fn budgets_lifetime_caps_and_validity_through_the_abi() {
    let mut chain = Chain::new();
    chain.install(
        ALICE,
        Address::ZERO,
        &[(TOKEN, u64::MAX, 86_400), (OTHER_TOKEN, u64::MAX, 86_400)],
    );
    chain.configure(P::setBudgetCall {
        budget: BUDGET,
        tokens: vec![TOKEN, OTHER_TOKEN],
        scales: vec![U96::from(1_000_000_000_000u64), U96::from(1)],
        windows: vec![policy_window(1, 40 * 10u128.pow(18), 86_400, 0)],
    });
    chain.configure(P::setLifetimeCapCall {
        token: TOKEN,
        cap: 40_000_000,
    });
    chain.configure(P::setValidityCall {
        token: TOKEN,
        validAfter: alloy_primitives::aliases::U48::from(T0 + 10),
        validUntil: alloy_primitives::aliases::U48::ZERO,
    });
    let early = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)));
    assert_eq!(
        early.output,
        abi::OutsideValidity {
            token: TOKEN,
            validAfter: alloy_primitives::aliases::U48::from(T0 + 10),
            validUntil: alloy_primitives::aliases::U48::ZERO,
        }
        .abi_encode()
    );
    chain.vm.set_timestamp(T0 + 10);
    // 30 dollars of the 6-decimal token, then 10 of the 18-decimal one in a batch.
    let batch = exec_batch(&[
        (TOKEN, 0, transfer(30_000_000)),
        (
            OTHER_TOKEN,
            0,
            transfer_u256(U256::from(10u64) * U256::from(10u64).pow(U256::from(18))),
        ),
    ]);
    assert!(chain.pre_check(ALICE, &batch).is_success());
    let over = chain.pre_check(ALICE, &exec_single(OTHER_TOKEN, 0, &transfer(1)));
    assert_eq!(
        over.output,
        abi::BudgetExceeded {
            budget: BUDGET,
            attempted: u(1),
            remaining: U256::ZERO
        }
        .abi_encode()
    );
    let state = chain.view(P::budgetStateCall {
        account: ALICE,
        budget: BUDGET,
    });
    assert_eq!(state.tokens, vec![TOKEN, OTHER_TOKEN]);
    assert_eq!(
        state.scales,
        vec![U96::from(1_000_000_000_000u64), U96::from(1)]
    );
    assert_eq!(state.windows[0].spent, 40 * 10u128.pow(18));
    assert_eq!(
        chain.view(P::budgetsCall { account: ALICE })._0,
        vec![BUDGET]
    );
    // The budget goes; the lifetime cap still holds TOKEN to 10 more.
    chain.configure(P::removeBudgetCall { budget: BUDGET });
    let out = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(10_000_001)));
    assert_eq!(
        out.output,
        abi::LifetimeCapExceeded {
            token: TOKEN,
            attempted: u(10_000_001),
            remaining: u(10_000_000)
        }
        .abi_encode()
    );
    let policy = chain.view(P::tokenPolicyCall {
        account: ALICE,
        token: TOKEN,
    });
    assert_eq!(
        (
            policy.lifetimeCap,
            policy.lifetimeSpent,
            policy.validAfter.to::<u64>()
        ),
        (40_000_000, 30_000_000, T0 + 10)
    );
    assert!(policy.budgets.is_empty());
}

#[test]
fn malformed_policies_are_typed_errors_that_change_nothing() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    let before = chain.vm.storage_of(HOOK);
    let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (
            P::setWindowsCall {
                token: TOKEN,
                windows: vec![policy_window(3, 1, 3_600, 0)],
            }
            .abi_encode(),
            abi::InvalidWindow { index: U256::ZERO }.abi_encode(),
        ),
        (
            P::setWindowsCall {
                token: TOKEN,
                windows: vec![policy_window(0, 1, 3_600, 0); 4],
            }
            .abi_encode(),
            abi::InvalidWindow { index: u(3) }.abi_encode(),
        ),
        (
            P::setWindowsCall {
                token: OTHER_TOKEN,
                windows: vec![],
            }
            .abi_encode(),
            abi::TokenNotLimited { token: OTHER_TOKEN }.abi_encode(),
        ),
        (
            P::setBudgetCall {
                budget: BUDGET,
                tokens: vec![TOKEN],
                scales: vec![],
                windows: vec![],
            }
            .abi_encode(),
            abi::InvalidBudget { budget: BUDGET }.abi_encode(),
        ),
        (
            P::setValidityCall {
                token: TOKEN,
                validAfter: alloy_primitives::aliases::U48::from(5),
                validUntil: alloy_primitives::aliases::U48::from(5),
            }
            .abi_encode(),
            abi::InvalidValidity {
                validAfter: alloy_primitives::aliases::U48::from(5),
                validUntil: alloy_primitives::aliases::U48::from(5),
            }
            .abi_encode(),
        ),
    ];
    for (call, error) in cases {
        let out = chain.tx(ALICE, call);
        assert_eq!(out.status, Status::Revert);
        assert_eq!(out.output, error);
    }
    // A uint8 kind above 255 is malformed, as Solidity's decoder says.
    let mut wide_kind = P::setWindowsCall {
        token: TOKEN,
        windows: vec![policy_window(0, 1, 3_600, 0)],
    }
    .abi_encode();
    let kind_at = 4 + 32 * 3 + 30;
    wide_kind[kind_at] = 1;
    assert_eq!(
        chain.tx(ALICE, wide_kind).output,
        abi::DecodingError {}.abi_encode()
    );
    // An account that never installed the hook cannot set policies.
    assert_eq!(
        chain
            .tx(
                BOB,
                P::setLifetimeCapCall {
                    token: TOKEN,
                    cap: 1
                }
                .abi_encode()
            )
            .output,
        abi::NotInitialized { smartAccount: BOB }.abi_encode()
    );
    assert_eq!(chain.vm.storage_of(HOOK), before);
}

#[test]
fn uninstall_forgets_every_policy_and_a_reinstall_starts_clean() {
    let mut chain = Chain::new();
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows: vec![
            policy_window(2, 100, 86_400, 0),
            policy_window(1, 100, 3_600, 0),
        ],
    });
    chain.configure(P::setBudgetCall {
        budget: BUDGET,
        tokens: vec![TOKEN],
        scales: vec![U96::from(1)],
        windows: vec![policy_window(0, 100, 3_600, 0)],
    });
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(100)))
        .is_success());
    let out = chain.tx(
        ALICE,
        I::onUninstallCall {
            data: vec![].into(),
        }
        .abi_encode(),
    );
    assert!(out.is_success());
    assert_eq!(
        out.logs.last().map(|l| l.topics.clone()),
        Some(vec![
            <abi::AccountCleared as alloy_sol_types::SolEvent>::SIGNATURE_HASH,
            ALICE.into_word()
        ])
    );
    // What remains is the sliding window's one bucket word, which nothing
    // reads again: its tally, which says which buckets count, is gone.
    assert_eq!(chain.account_slots().len(), 1);
    chain.install(ALICE, Address::ZERO, &[(TOKEN, 1_000, 3_600)]);
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows: vec![policy_window(2, 100, 86_400, 0)],
    });
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(100)))
        .is_success());
}

/// A spend through the multiplexer on a token with two extra windows (one
/// sliding), a lifetime cap and a budget: what every policy costs. The
/// number is deterministic on the local VM; the bound leaves room for
/// small changes and fails on a layout that reads or writes much more.
/// Nearly all of it is storage: each policy is a cold word or two to read
/// and one to write, next to the reference path's two reads and one write.
#[test]
fn a_spend_under_every_policy_stays_cheap() {
    let mut chain = Chain::new();
    chain.install(ALICE, MUX, &[(TOKEN, 1_000_000, 86_400)]);
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows: vec![
            policy_window(2, 1_000, 86_400, 0),
            policy_window(1, 500, 3_600, 0),
        ],
    });
    chain.configure(P::setLifetimeCapCall {
        token: TOKEN,
        cap: 10_000,
    });
    chain.configure(P::setBudgetCall {
        budget: BUDGET,
        tokens: vec![TOKEN],
        scales: vec![U96::from(1)],
        windows: vec![policy_window(0, 800, 86_400, 0)],
    });
    assert!(chain
        .pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(10)))
        .is_success());
    let later = chain.pre_check_via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(10)));
    assert!(later.is_success());
    let gas = later.gas.total;
    println!("spend under every policy (cached, cold storage): {gas} gas");
    assert!(gas < 50_000, "a spend under every policy costs {gas} gas");
}
