//! A short story on the local Stylus VM: an AI agent's smart account with a
//! daily USDC budget. The agent spends within it, is stopped when a payment
//! would go over (after asking the hook's dry run why), can spend again once
//! the window rolls over, is stopped cold by the owner's pause, and cannot
//! spend the limit twice across the day boundary once the owner adds a
//! sliding window. Each step prints what happened and what it cost. Run it
//! with `scripts/demo.sh`.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

#[path = "../tests/common/mod.rs"]
mod common;

use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolInterface, SolValue};
use common::*;
use spending_limit_hook::abi::{
    self, ISpendingLimitHook as I, ISpendingLimitPolicy as P, TokenLimitInit,
};
use spending_limit_hook::encode;
use stylus_local_vm::{Outcome, Status};

const USDC: Address = TOKEN;
const AGENT_ACCOUNT: Address = ALICE;
const DAY: u64 = 86_400;

fn usdc(amount: u64) -> u64 {
    amount * 1_000_000
}

/// A revert reason in words.
fn describe(revert: &[u8]) -> String {
    if revert.is_empty() {
        return "none".into();
    }
    match abi::SpendingLimitExceeded::abi_decode(revert, true) {
        Ok(e) => format!(
            "SpendingLimitExceeded(attempted {} USDC, remaining {} USDC)",
            e.attempted / U256::from(1_000_000),
            e.remaining / U256::from(1_000_000)
        ),
        Err(_) => match I::ISpendingLimitHookErrors::abi_decode(revert, true) {
            Ok(error) => format!("{error:?}"),
            Err(_) => match P::ISpendingLimitPolicyErrors::abi_decode(revert, true) {
                Ok(error) => format!("{error:?}"),
                Err(_) => format!("0x{}", alloy_primitives::hex::encode(revert)),
            },
        },
    }
}

fn show(step: &str, out: &Outcome) {
    let verdict = match &out.status {
        Status::Success => "ok".to_string(),
        Status::Revert => format!("REFUSED: {}", describe(&out.output)),
        other => format!("{other:?}"),
    };
    println!("{step:<58} {verdict:<70} {:>7} gas", out.gas.total);
}

fn pay(chain: &mut Chain, to_label: &str, amount: u64) -> Outcome {
    // The agent's wallet asks the multiplexer, which asks our hook, before
    // running `execute(USDC.transfer(recipient, amount))`.
    let msg = exec_single(USDC, 0, &transfer(usdc(amount)));
    let out = chain.pre_check_via(MUX, AGENT_ACCOUNT, &msg);
    show(&format!("agent pays {amount} USDC to {to_label}"), &out);
    out
}

fn remaining(chain: &mut Chain) -> u64 {
    (chain.remaining(AGENT_ACCOUNT, USDC) / U256::from(1_000_000)).to()
}

fn main() {
    let mut chain = Chain::new();
    println!("Local Stylus VM: spending-limit hook at {HOOK}, agent account {AGENT_ACCOUNT}\n");

    let limits = vec![
        TokenLimitInit {
            token: USDC,
            limit: U256::from(usdc(100)),
            windowDuration: U48::from(DAY),
        },
        TokenLimitInit {
            token: Address::ZERO,
            limit: U256::from(10u64.pow(17)),
            windowDuration: U48::from(DAY),
        },
    ];
    let install = I::onInstallCall {
        data: (MUX, limits).abi_encode_params().into(),
    }
    .abi_encode();
    let out = chain.tx(AGENT_ACCOUNT, install);
    show(
        "owner installs: 100 USDC/day, 0.1 ETH/day, via multiplexer",
        &out,
    );

    pay(&mut chain, "an API provider", 30);
    pay(&mut chain, "a data vendor", 50);
    println!("{:<58} {} USDC", "  left today", remaining(&mut chain));
    // The multiplexer hides a sub-hook's reason, so a careful agent asks first.
    let preview = chain.view(P::previewPreCheckCall {
        account: AGENT_ACCOUNT,
        msgSender: Address::ZERO,
        msgValue: U256::ZERO,
        msgData: exec_single(USDC, 0, &transfer(usdc(40))).into(),
    });
    println!(
        "{:<58} would pass: {}, reason: {}",
        "agent asks previewPreCheck about 40 USDC",
        preview.wouldPass,
        describe(&preview.revertData)
    );
    let refused = pay(&mut chain, "a suspicious address", 40);
    assert_eq!(
        refused.status,
        Status::Revert,
        "the over-budget payment must be refused"
    );
    pay(&mut chain, "the data vendor again", 20);
    println!("{:<58} {} USDC", "  left today", remaining(&mut chain));

    chain.vm.set_timestamp(chain.vm.timestamp() + DAY);
    println!("\n... one day later: the window rolls over ...\n");
    println!("{:<58} {} USDC", "  left today", remaining(&mut chain));
    let out = pay(&mut chain, "the API provider", 40);
    assert!(out.is_success());

    let batch = exec_batch(&[(USDC, 0, transfer(usdc(30))), (USDC, 0, transfer(usdc(40)))]);
    let out = chain.pre_check_via(MUX, AGENT_ACCOUNT, &batch);
    show("agent batches 30 + 40 USDC (70 > 60 left)", &out);

    let sneaky = encode::execute(
        encode::mode(encode::CallType::DelegateCall, 0),
        [USDC.as_slice(), &transfer(1)].concat(),
    );
    let out = chain.pre_check_via(MUX, AGENT_ACCOUNT, &sneaky);
    show("agent tries a delegatecall", &out);
    assert_eq!(out.output, abi::DelegateCallNotAllowed {}.abi_encode());

    // The owner pauses every outflow (say, the agent's key leaked).
    let out = chain.tx(
        AGENT_ACCOUNT,
        P::setPausedCall { paused: true }.abi_encode(),
    );
    show("owner pauses the account", &out);
    pay(&mut chain, "anyone", 1);
    chain.tx(
        AGENT_ACCOUNT,
        P::setPausedCall { paused: false }.abi_encode(),
    );

    // The daily window opens at the first spend after the last one closed,
    // so the whole limit can go at the end of one window and again at the
    // start of the next. The owner adds a sliding window: never more than
    // 100 USDC in any 24 hours.
    let sliding = policy_window(2, u128::from(usdc(100)), DAY, 0);
    let out = chain.tx(
        AGENT_ACCOUNT,
        P::setWindowsCall {
            token: USDC,
            windows: vec![sliding],
        }
        .abi_encode(),
    );
    show("owner adds a sliding window: 100 USDC in any 24 h", &out);
    chain.vm.set_timestamp(chain.vm.timestamp() + 2 * DAY);
    println!("\n... two days later ...\n");
    let opened = chain.vm.timestamp();
    pay(&mut chain, "a vendor (opens a daily window)", 1);
    chain.vm.set_timestamp(opened + DAY - 60);
    pay(&mut chain, "the API, 1 min before it closes", 99);
    chain.vm.set_timestamp(opened + DAY + 60);
    println!("\n... two minutes later: a new daily window ...\n");
    println!(
        "{:<58} {} USDC",
        "  left today (daily window)",
        remaining(&mut chain)
    );
    let out = pay(&mut chain, "the API again", 100);
    assert_eq!(out.status, Status::Revert, "the sliding window holds");
    let policy = chain.view(P::tokenPolicyCall {
        account: AGENT_ACCOUNT,
        token: USDC,
    });
    let window = &policy.windows[0];
    let frees_in = window.resetsAt.to::<u64>() - chain.vm.timestamp();
    println!(
        "{:<58} spent {} USDC, the first part frees up in {} min",
        "  sliding window (tokenPolicy)",
        window.spent / 1_000_000,
        frees_in / 60
    );

    let (limit, spent, duration, start) = chain.configs(AGENT_ACCOUNT, USDC);
    println!(
        "\nconfigs(agent, USDC): limit {} USDC, spent {} USDC, window {} s from {}",
        limit / U256::from(1_000_000),
        spent / U256::from(1_000_000),
        duration,
        start
    );
}
