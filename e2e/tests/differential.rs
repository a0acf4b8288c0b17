//! The same call sequences through motsu (the programs' routers run natively,
//! the hook program's handing on as a call to the config program's router:
//! `spending_limit_testkit::harness`) and through the local VM (the
//! deployable WASM, handing on by DELEGATECALL):
//! every call must end the same way with the same bytes, and the state they
//! leave must read the same.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use alloy_primitives::{
    aliases::{U48, U96},
    Address, B256, U256,
};
use alloy_sol_types::{SolCall, SolValue};
use common::*;
use motsu::prelude::*;
use proptest::prelude::*;
use spending_limit_hook::abi::{
    ISpendingLimitHook as I, ISpendingLimitPolicy as P, TokenLimitInit,
};
use spending_limit_hook::encode::{self, CallType};
use spending_limit_testkit::harness::Hook;
use spending_limit_testkit::property;
use stylus_local_vm::{Call, Status};

/// motsu's fixed block time: the VM runs at the same instant.
const MOTSU_NOW: u64 = 1_735_689_600;
const ACCOUNTS: [Address; 2] = [ALICE, BOB];
const TOKENS: [Address; 3] = [NATIVE, TOKEN, OTHER_TOKEN];

#[derive(Debug, Clone)]
enum Op {
    Install {
        account: usize,
        via_mux: bool,
        limits: Vec<(usize, u64, u64)>,
    },
    Spend {
        account: usize,
        via_mux: bool,
        items: Vec<(usize, u64, u64)>,
        batch: bool,
    },
    SetLimit {
        account: usize,
        token: usize,
        limit: u64,
        window: u64,
    },
    Remove {
        account: usize,
        token: usize,
    },
    Uninstall {
        account: usize,
    },
    Junk {
        account: usize,
        bytes: Vec<u8>,
    },
    /// `setWindows` with (kind, limit, duration) windows; kind 3 is invalid.
    SetWindows {
        account: usize,
        token: usize,
        windows: Vec<(u8, u64, u64)>,
    },
    SetLifetimeCap {
        account: usize,
        token: usize,
        cap: u64,
    },
    /// `setBudget` over a subset of the tokens (bit i: token i), scale 1 or 2.
    SetBudget {
        account: usize,
        tokens: u8,
        scale: u8,
        windows: Vec<(u8, u64, u64)>,
    },
    RemoveBudget {
        account: usize,
    },
}

const BUDGET: B256 = B256::repeat_byte(0xb1);

fn policy_windows(windows: &[(u8, u64, u64)]) -> Vec<P::Window> {
    windows
        .iter()
        .map(|(kind, limit, duration)| policy_window(*kind, u128::from(*limit), *duration, 7))
        .collect()
}

fn op() -> impl Strategy<Value = Op> {
    let limits = prop::collection::vec(
        (
            0..3usize,
            0..2_000u64,
            prop_oneof![Just(59u64), Just(60), Just(3_600)],
        ),
        0..4,
    );
    let items = prop::collection::vec((0..3usize, 0..3u64, 0..1_500u64), 0..4);
    let windows = prop::collection::vec(
        (
            0..4u8,
            0..1_500u64,
            prop_oneof![Just(59u64), Just(60), Just(86_400)],
        ),
        0..5,
    );
    prop_oneof![
        (0..2usize, 0..3usize, windows.clone()).prop_map(|(account, token, windows)| {
            Op::SetWindows {
                account,
                token,
                windows,
            }
        }),
        (0..2usize, 0..3usize, 0..1_500u64).prop_map(|(account, token, cap)| {
            Op::SetLifetimeCap {
                account,
                token,
                cap,
            }
        }),
        (0..2usize, 0..8u8, 0..3u8, windows).prop_map(|(account, tokens, scale, windows)| {
            Op::SetBudget {
                account,
                tokens,
                scale,
                windows,
            }
        }),
        (0..2usize).prop_map(|account| Op::RemoveBudget { account }),
        (0..2usize, any::<bool>(), limits).prop_map(|(account, via_mux, limits)| Op::Install {
            account,
            via_mux,
            limits
        }),
        (0..2usize, any::<bool>(), items, any::<bool>()).prop_map(
            |(account, via_mux, items, batch)| Op::Spend {
                account,
                via_mux,
                items,
                batch
            }
        ),
        (
            0..2usize,
            0..3usize,
            0..2_000u64,
            prop_oneof![Just(30u64), Just(60), Just(7_200)]
        )
            .prop_map(|(account, token, limit, window)| Op::SetLimit {
                account,
                token,
                limit,
                window
            }),
        (0..2usize, 0..3usize).prop_map(|(account, token)| Op::Remove { account, token }),
        (0..2usize).prop_map(|account| Op::Uninstall { account }),
        (0..2usize, prop::collection::vec(any::<u8>(), 0..200))
            .prop_map(|(account, bytes)| Op::Junk { account, bytes }),
    ]
}

/// The (caller, calldata) of one operation.
fn calldata(op: &Op) -> (Address, Vec<u8>) {
    match op {
        Op::Install {
            account,
            via_mux,
            limits,
        } => {
            let limits: Vec<TokenLimitInit> = limits
                .iter()
                .map(|(t, l, w)| TokenLimitInit {
                    token: TOKENS[*t],
                    limit: u(*l),
                    windowDuration: U48::from(*w),
                })
                .collect();
            let forwarder = if *via_mux { MUX } else { Address::ZERO };
            let data = (forwarder, limits).abi_encode_params();
            (
                ACCOUNTS[*account],
                I::onInstallCall { data: data.into() }.abi_encode(),
            )
        }
        Op::Spend {
            account,
            via_mux,
            items,
            batch,
        } => {
            let items: Vec<(Address, U256, Vec<u8>)> = items
                .iter()
                .map(|(t, value, amount)| {
                    let token = TOKENS[*t];
                    let data = if token == NATIVE {
                        vec![]
                    } else {
                        transfer(*amount)
                    };
                    (
                        if token == NATIVE { RECIPIENT } else { token },
                        u(*value),
                        data,
                    )
                })
                .collect();
            let msg = match (batch, items.first()) {
                (false, Some((target, value, data))) => encode::execute(
                    encode::mode(CallType::Single, 0),
                    encode::single(*target, *value, data),
                ),
                _ => encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&items)),
            };
            let account = ACCOUNTS[*account];
            let data = encode::pre_check(account, U256::ZERO, &msg);
            if *via_mux {
                (MUX, encode::with_suffix(data, MUX, account))
            } else {
                (account, data)
            }
        }
        Op::SetLimit {
            account,
            token,
            limit,
            window,
        } => (
            ACCOUNTS[*account],
            I::setSpendingLimitCall {
                token: TOKENS[*token],
                limit: u(*limit),
                windowDuration: U48::from(*window),
            }
            .abi_encode(),
        ),
        Op::Remove { account, token } => (
            ACCOUNTS[*account],
            I::removeSpendingLimitCall {
                token: TOKENS[*token],
            }
            .abi_encode(),
        ),
        Op::Uninstall { account } => (
            ACCOUNTS[*account],
            I::onUninstallCall {
                data: vec![].into(),
            }
            .abi_encode(),
        ),
        Op::SetWindows {
            account,
            token,
            windows,
        } => (
            ACCOUNTS[*account],
            P::setWindowsCall {
                token: TOKENS[*token],
                windows: policy_windows(windows),
            }
            .abi_encode(),
        ),
        Op::SetLifetimeCap {
            account,
            token,
            cap,
        } => (
            ACCOUNTS[*account],
            P::setLifetimeCapCall {
                token: TOKENS[*token],
                cap: u128::from(*cap),
            }
            .abi_encode(),
        ),
        Op::SetBudget {
            account,
            tokens,
            scale,
            windows,
        } => {
            let members: Vec<Address> = (0..3)
                .filter(|i| tokens & (1 << i) != 0)
                .map(|i| TOKENS[i])
                .collect();
            let scales = vec![U96::from(*scale); members.len()];
            (
                ACCOUNTS[*account],
                P::setBudgetCall {
                    budget: BUDGET,
                    tokens: members,
                    scales,
                    windows: policy_windows(windows),
                }
                .abi_encode(),
            )
        }
        Op::RemoveBudget { account } => (
            ACCOUNTS[*account],
            P::removeBudgetCall { budget: BUDGET }.abi_encode(),
        ),
        Op::Junk { account, bytes } => {
            let mut data = I::preCheckCall::SELECTOR.to_vec();
            data.extend_from_slice(bytes);
            (ACCOUNTS[*account], data)
        }
    }
}

fn views() -> Vec<Vec<u8>> {
    let mut calls = Vec::new();
    for account in ACCOUNTS {
        calls.push(I::isInitializedCall { account }.abi_encode());
        calls.push(I::trustedForwarderCall { account }.abi_encode());
        for token in TOKENS {
            calls.push(I::configsCall { account, token }.abi_encode());
            calls.push(I::getRemainingAllowanceCall { account, token }.abi_encode());
            calls.push(P::tokenPolicyCall { account, token }.abi_encode());
            calls.push(P::tokenStateCall { account, token }.abi_encode());
        }
        calls.push(
            P::budgetStateCall {
                account,
                budget: BUDGET,
            }
            .abi_encode(),
        );
        calls.push(P::budgetsCall { account }.abi_encode());
    }
    calls
}

fn run_both(ops: &[Op]) -> Result<(), TestCaseError> {
    let hook = Contract::<Hook>::new();
    let mut chain = Chain::new();
    chain.vm.set_timestamp(MOTSU_NOW);
    for op in ops {
        let (from, data) = calldata(op);
        let native = hook.sender(from).call(&data).motsu_res();
        let wasm = chain.tx(from, data);
        let wasm = match wasm.status {
            Status::Success => Ok(wasm.output),
            Status::Revert => Err(wasm.output),
            other => {
                return Err(TestCaseError::fail(format!(
                    "{op:?}: the VM ended {other:?}"
                )))
            }
        };
        prop_assert_eq!(&native, &wasm, "{:?}", op);
    }
    for view in views() {
        let native = hook.sender(ALICE).call(&view);
        let wasm = chain.vm.call(HOOK, &Call::new(ALICE, view.clone()));
        prop_assert_eq!(native, Ok(wasm.output), "view {:?}", view);
    }
    Ok(())
}

#[test]
fn motsu_and_the_local_vm_agree() {
    property::check(
        "motsu_and_the_local_vm_agree",
        prop::collection::vec(op(), 1..12),
        |ops| {
            run_both(&ops)?;

            Ok(())
        },
    );
}
