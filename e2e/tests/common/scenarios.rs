//! The fixed gas scenarios: what the gas report prints and what the gas
//! regression test holds to the checked-in figures.

use alloy_primitives::{
    aliases::{U48, U96},
    Address, B256,
};
use alloy_sol_types::SolCall;
use spending_limit_hook::abi::{ISpendingLimitHook as I, ISpendingLimitPolicy as P};
use stylus_local_vm::{Call, Outcome};

use super::*;

/// How the measured call reaches the hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The account calls the hook itself.
    Direct,
    /// `HookMultiPlexer` calls with the 40-byte suffix.
    Multiplexer,
}

/// One measured call after an unmeasured setup.
pub struct Scenario {
    pub name: &'static str,
    pub route: Route,
    /// The Solidity reference's gas for the same call, where it was measured.
    pub reference: Option<u64>,
    setup: fn(&mut Chain),
    /// The msgData of a preCheck, or the raw calldata of another call.
    call: Measured,
    /// Measured as the second of two identical calls in one transaction
    /// (warm), the first made the same way, after the setup.
    same_tx: bool,
}

enum Measured {
    PreCheck(fn() -> Vec<u8>),
    Raw(fn() -> Vec<u8>),
}

const LIMIT: u64 = 1_000_000_000;

fn installed(chain: &mut Chain) {
    chain.install(
        ALICE,
        MUX,
        &[
            (NATIVE, LIMIT, 86_400),
            (TOKEN, LIMIT, 3_600),
            (OTHER_TOKEN, LIMIT, 3_600),
            (THIRD_TOKEN, LIMIT, 3_600),
        ],
    );
}

fn spent_once(chain: &mut Chain) {
    installed(chain);
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)));
}

fn window_over(chain: &mut Chain) {
    spent_once(chain);
    let t = chain.vm.timestamp();
    chain.vm.set_timestamp(t + 3_600);
}

fn spent_to_the_limit(chain: &mut Chain) {
    installed(chain);
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(LIMIT)));
}

fn window(kind: u8, limit: u64, duration: u64) -> P::Window {
    policy_window(kind, u128::from(limit), duration, 0)
}

/// TOKEN also limited by a sliding day, and spent once.
fn sliding_spent_once(chain: &mut Chain) {
    installed(chain);
    let windows = vec![window(2, LIMIT, 86_400)];
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows,
    });
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)));
}

/// TOKEN under every policy: a sliding day, an aligned hour, a lifetime cap,
/// a budget with a fixed day; spent once.
fn every_policy_spent_once(chain: &mut Chain) {
    installed(chain);
    let windows = vec![window(2, LIMIT, 86_400), window(1, LIMIT, 3_600)];
    chain.configure(P::setWindowsCall {
        token: TOKEN,
        windows,
    });
    let cap = u128::from(LIMIT);
    chain.configure(P::setLifetimeCapCall { token: TOKEN, cap });
    chain.configure(P::setBudgetCall {
        budget: B256::repeat_byte(0xb1),
        tokens: vec![TOKEN],
        scales: vec![U96::from(1)],
        windows: vec![window(0, LIMIT, 86_400)],
    });
    chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)));
}

/// The third token of the three-token batch.
pub const THIRD_TOKEN: Address = Address::repeat_byte(0x72);

fn one_transfer() -> Vec<u8> {
    exec_single(TOKEN, 0, &transfer(10))
}

fn native_value() -> Vec<u8> {
    exec_single(RECIPIENT, 10, &[])
}

fn batch_one_token() -> Vec<u8> {
    exec_batch(&vec![(TOKEN, 0, transfer(10)); 10])
}

fn batch_three_tokens() -> Vec<u8> {
    let tokens = [TOKEN, OTHER_TOKEN, THIRD_TOKEN];
    let items: Vec<_> = (0..10).map(|i| (tokens[i % 3], 0, transfer(10))).collect();
    exec_batch(&items)
}

fn over_limit() -> Vec<u8> {
    exec_single(TOKEN, 0, &transfer(1))
}

fn install_one_data() -> Vec<u8> {
    install_call(&[(TOKEN, LIMIT, 3_600)])
}

fn install_three_data() -> Vec<u8> {
    install_call(&[
        (NATIVE, LIMIT, 86_400),
        (TOKEN, LIMIT, 3_600),
        (OTHER_TOKEN, LIMIT, 3_600),
    ])
}

fn set_limit_data() -> Vec<u8> {
    I::setSpendingLimitCall {
        token: TOKEN,
        limit: u(2 * LIMIT),
        windowDuration: U48::from(7_200),
    }
    .abi_encode()
}

fn remaining_data() -> Vec<u8> {
    I::getRemainingAllowanceCall {
        account: ALICE,
        token: TOKEN,
    }
    .abi_encode()
}

fn nothing(_: &mut Chain) {}

fn both(
    name: &'static str,
    reference: [Option<u64>; 2],
    setup: fn(&mut Chain),
    msg: fn() -> Vec<u8>,
    same_tx: bool,
) -> [Scenario; 2] {
    [
        Scenario {
            name,
            route: Route::Multiplexer,
            reference: reference[0],
            setup,
            call: Measured::PreCheck(msg),
            same_tx,
        },
        Scenario {
            name,
            route: Route::Direct,
            reference: reference[1],
            setup,
            call: Measured::PreCheck(msg),
            same_tx,
        },
    ]
}

/// Every scenario, in report order. Reference figures are the Solidity
/// reference's, measured as the gas issue states them.
pub fn all() -> Vec<Scenario> {
    let mut all = vec![
        Scenario {
            name: "install, 1 token",
            route: Route::Direct,
            reference: None,
            setup: nothing,
            call: Measured::Raw(install_one_data),
            same_tx: false,
        },
        Scenario {
            name: "install, 3 tokens",
            route: Route::Direct,
            reference: None,
            setup: nothing,
            call: Measured::Raw(install_three_data),
            same_tx: false,
        },
    ];
    all.extend(both(
        "first spend after install",
        [Some(35_447), None],
        installed,
        one_transfer,
        false,
    ));
    all.extend(both(
        "later spend, new transaction",
        [Some(18_347), Some(16_128)],
        spent_once,
        one_transfer,
        false,
    ));
    all.extend(both(
        "second spend, same transaction",
        [None, None],
        installed,
        one_transfer,
        true,
    ));
    all.extend(both(
        "native value",
        [Some(35_232), None],
        installed,
        native_value,
        false,
    ));
    all.extend(both(
        "batch of 10, one token",
        [Some(76_633), None],
        installed,
        batch_one_token,
        false,
    ));
    all.extend(both(
        "batch of 10, three tokens",
        [Some(128_433), None],
        installed,
        batch_three_tokens,
        false,
    ));
    all.extend(both(
        "first spend of a new window",
        [Some(23_535), None],
        window_over,
        one_transfer,
        false,
    ));
    all.extend(both(
        "over-limit revert",
        [None, Some(10_756)],
        spent_to_the_limit,
        over_limit,
        false,
    ));
    all.extend(both(
        "later spend, sliding window too",
        [None, None],
        sliding_spent_once,
        one_transfer,
        false,
    ));
    all.extend(both(
        "later spend, every policy",
        [None, None],
        every_policy_spent_once,
        one_transfer,
        false,
    ));
    all.push(Scenario {
        name: "setSpendingLimit, existing token",
        route: Route::Direct,
        reference: Some(17_102),
        setup: installed,
        call: Measured::Raw(set_limit_data),
        same_tx: false,
    });
    all.push(Scenario {
        name: "getRemainingAllowance",
        route: Route::Direct,
        reference: Some(7_228),
        setup: spent_once,
        call: Measured::Raw(remaining_data),
        same_tx: false,
    });
    all
}

fn install_call(limits: &[(Address, u64, u64)]) -> Vec<u8> {
    use alloy_sol_types::SolValue;
    let limits: Vec<_> = limits
        .iter()
        .map(
            |(token, limit, window)| spending_limit_hook::abi::TokenLimitInit {
                token: *token,
                limit: u(*limit),
                windowDuration: U48::from(*window),
            },
        )
        .collect();
    I::onInstallCall {
        data: (MUX, limits).abi_encode_params().into(),
    }
    .abi_encode()
}

impl Scenario {
    /// A readable label: the name and the route.
    pub fn label(&self) -> String {
        match self.route {
            Route::Direct => format!("{} (direct)", self.name),
            Route::Multiplexer => format!("{} (multiplexer)", self.name),
        }
    }

    /// Runs the setup on a fresh chain, then the measured call.
    pub fn run(&self, cached: bool) -> Outcome {
        self.run_on(Chain::new(), cached)
    }

    /// [`Scenario::run`] with `program` as the hook, deployed for profiling:
    /// the outcome's `profile` says which functions the measured call's
    /// computation ran in.
    pub fn run_profiled(&self, program: &[u8]) -> Outcome {
        let mut chain = Chain::new();
        chain.vm.set_profiling(true);
        chain
            .vm
            .deploy_at(HOOK, program)
            .expect("the profiled program deploys");
        self.run_on(chain, true)
    }

    fn run_on(&self, mut chain: Chain, cached: bool) -> Outcome {
        (self.setup)(&mut chain);
        chain.vm.begin_transaction();
        let (from, data) = match (&self.call, self.route) {
            (Measured::PreCheck(msg), Route::Direct) => (
                ALICE,
                spending_limit_hook::encode::pre_check(ALICE, alloy_primitives::U256::ZERO, &msg()),
            ),
            (Measured::PreCheck(msg), Route::Multiplexer) => (
                MUX,
                spending_limit_hook::encode::with_suffix(
                    spending_limit_hook::encode::pre_check(
                        ALICE,
                        alloy_primitives::U256::ZERO,
                        &msg(),
                    ),
                    MUX,
                    ALICE,
                ),
            ),
            (Measured::Raw(data), _) => (ALICE, data()),
        };
        let mut call = Call::new(from, data);
        call.cached = cached;
        if self.same_tx {
            let first = chain.vm.call(HOOK, &call);
            assert!(
                first.is_success(),
                "{}: the first call: {first:?}",
                self.label()
            );
        }
        chain.vm.call(HOOK, &call)
    }
}
