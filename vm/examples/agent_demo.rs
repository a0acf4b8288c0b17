//! A short story on the local Stylus VM: an AI agent's smart account with a
//! daily USDC budget. The agent spends within it, is stopped when a payment
//! would go over, and can spend again once the window rolls over. Each step
//! prints what happened and what it cost. Run it with `scripts/demo.sh`.

#[path = "../tests/common/mod.rs"]
mod common;

use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolInterface, SolValue};
use common::*;
use spending_limit_hook::abi::{self, ISpendingLimitHook as I, TokenLimitInit};
use spending_limit_hook::encode;
use stylus_local_vm::{Outcome, Status};

const USDC: Address = TOKEN;
const AGENT_ACCOUNT: Address = ALICE;
const DAY: u64 = 86_400;

fn usdc(amount: u64) -> u64 {
    amount * 1_000_000
}

fn show(step: &str, out: &Outcome) {
    let verdict = match &out.status {
        Status::Success => "ok".to_string(),
        Status::Revert => match abi::SpendingLimitExceeded::abi_decode(&out.output, true) {
            Ok(e) => format!(
                "REFUSED: SpendingLimitExceeded(attempted {} USDC, remaining {} USDC)",
                e.attempted / U256::from(1_000_000),
                e.remaining / U256::from(1_000_000)
            ),
            Err(_) => match I::ISpendingLimitHookErrors::abi_decode(&out.output, true) {
                Ok(error) => format!("REFUSED: {error:?}"),
                Err(_) => format!("REFUSED: 0x{}", alloy_primitives::hex::encode(&out.output)),
            },
        },
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

    let (limit, spent, duration, start) = chain.configs(AGENT_ACCOUNT, USDC);
    println!(
        "\nconfigs(agent, USDC): limit {} USDC, spent {} USDC, window {} s from {}",
        limit / U256::from(1_000_000),
        spent / U256::from(1_000_000),
        duration,
        start
    );
}
