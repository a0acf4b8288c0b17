//! Properties of the policies beyond the reference window, on the in-memory
//! pipeline with any clock: every spend is accepted or refused exactly as a
//! plain model of the windows, the lifetime cap and a shared budget says, and
//! the sliding windows' promise holds on the accepted spends themselves:
//! never more than the limit in any interval of the window's length.
//!
//! The model keeps every accepted spend and sums them the obvious way; the
//! hook keeps a tally and a ring of 25 buckets. A sliding window of length W
//! counts a spend for between W and 25 * ceil(W / 24) seconds (it may refuse
//! up to one bucket early, never late); the model counts exactly that span.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolValue;
use proptest::prelude::*;
use spending_limit_hook::abi::{self, TokenLimitInit};
use spending_limit_hook::env::MemoryEnv;
use spending_limit_hook::error::HookError;
use spending_limit_hook::ledger::{self, AccountKey};
use spending_limit_hook::lifecycle;
use spending_limit_hook::window::{Kind, Spec};
use spending_limit_testkit::property;

// The contract crate's native keccak comes from motsu's shims.
use motsu as _;

const ACCOUNT: Address = Address::repeat_byte(0xac);
const TOKENS: [Address; 2] = [Address::repeat_byte(0x70), Address::repeat_byte(0x71)];
const BUDGET: B256 = B256::repeat_byte(0xb1);
const T0: u64 = 1_700_000_000;

/// One case: the policies, then a run of spends and clock moves.
#[derive(Debug, Clone)]
struct Case {
    /// Extra windows of each token.
    windows: [Vec<Spec>; 2],
    /// Token 0's lifetime cap (0: none).
    lifetime: u128,
    /// Each token's scale in the shared budget.
    scales: [u128; 2],
    /// The budget's windows (empty: no budget).
    budget: Vec<Spec>,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Spend { token: usize, amount: u128 },
    Advance(u64),
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0u8..3,
        50u128..400,
        prop::sample::select(vec![60u64, 100, 240, 3_600, 86_400]),
        0u64..100_000,
    )
        .prop_map(|(kind, limit, duration, anchor)| Spec {
            kind: Kind::from_code(kind).unwrap(),
            limit,
            duration,
            anchor,
        })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..2usize, prop_oneof![0u128..60, Just(1u128), Just(400u128)])
            .prop_map(|(token, amount)| Step::Spend { token, amount }),
        2 => prop_oneof![
            Just(0u64),
            Just(1),
            1u64..20,
            Just(59),
            Just(150),
            1u64..5_000,
            Just(86_400),
        ]
        .prop_map(Step::Advance),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(spec(), 0..=3),
        prop::collection::vec(spec(), 0..=3),
        prop_oneof![Just(0u128), 100u128..2_000],
        (1u128..4, 1u128..4),
        prop::collection::vec(spec(), 0..=3),
        prop::collection::vec(step(), 1..60),
    )
        .prop_map(|(w0, w1, lifetime, (s0, s1), budget, steps)| Case {
            windows: [w0, w1],
            lifetime,
            scales: [s0, s1],
            budget,
            steps,
        })
}

/// A window in the model: the spends it accepted, and for a fixed window
/// the start it drifted to.
#[derive(Debug, Clone)]
struct ModelWindow {
    spec: Spec,
    /// (time, amount) of every spend charged to it.
    spends: Vec<(u64, u128)>,
    /// Fixed windows: the current window's start and what it holds.
    fixed: (u64, u128),
}

impl ModelWindow {
    fn new(spec: Spec, now: u64) -> Self {
        Self {
            spec,
            spends: Vec::new(),
            fixed: (now, 0),
        }
    }

    /// What counts against the limit at `now`.
    fn counted(&self, now: u64) -> u128 {
        let d = self.spec.duration;
        match self.spec.kind {
            Kind::Fixed => {
                let (start, spent) = self.fixed;
                if now >= start + d {
                    0
                } else {
                    spent
                }
            }
            Kind::Aligned => {
                let grid = |t: u64| (t as i128 - self.spec.anchor as i128).div_euclid(d as i128);
                self.spends
                    .iter()
                    .filter(|(t, _)| grid(*t) == grid(now))
                    .map(|(_, a)| a)
                    .sum()
            }
            Kind::Sliding => {
                let bucket = d.div_ceil(24);
                self.spends
                    .iter()
                    .filter(|(t, _)| t / bucket + 24 >= now / bucket)
                    .map(|(_, a)| a)
                    .sum()
            }
        }
    }

    fn left(&self, now: u64) -> u128 {
        self.spec.limit.saturating_sub(self.counted(now))
    }

    fn record(&mut self, now: u64, amount: u128) {
        self.spends.push((now, amount));
        let (start, spent) = self.fixed;
        self.fixed = if now >= start + self.spec.duration {
            (now, amount)
        } else {
            (start, spent + amount)
        };
    }
}

struct Model {
    tokens: [Vec<ModelWindow>; 2],
    lifetime: Option<(u128, u128)>,
    scales: [u128; 2],
    budget: Vec<ModelWindow>,
}

impl Model {
    /// The error the hook must raise, if any, in the hook's order: the
    /// token's windows, its lifetime cap, then the budget.
    fn refusal(&self, token: usize, amount: u128, now: u64) -> Option<HookError> {
        let attempted = U256::from(amount);
        if let Some(w) = self.tokens[token].iter().find(|w| amount > w.left(now)) {
            return Some(HookError::exceeded(
                TOKENS[token],
                attempted,
                U256::from(w.left(now)),
            ));
        }
        if let Some((cap, spent)) = self.lifetime.filter(|_| token == 0) {
            if amount > cap - spent {
                return Some(HookError::policy(abi::LifetimeCapExceeded {
                    token: TOKENS[0],
                    attempted,
                    remaining: U256::from(cap - spent),
                }));
            }
        }
        let scaled = amount * self.scales[token];
        if let Some(w) = self.budget.iter().find(|w| scaled > w.left(now)) {
            return Some(HookError::policy(abi::BudgetExceeded {
                budget: BUDGET,
                attempted: U256::from(scaled),
                remaining: U256::from(w.left(now)),
            }));
        }
        None
    }

    fn record(&mut self, token: usize, amount: u128, now: u64) {
        for w in &mut self.tokens[token] {
            w.record(now, amount);
        }
        if token == 0 {
            if let Some((_, spent)) = &mut self.lifetime {
                *spent += amount;
            }
        }
        for w in &mut self.budget {
            w.record(now, amount * self.scales[token]);
        }
    }
}

/// The sliding-window promise on what was accepted: in any interval of
/// `duration` seconds, at most `limit`. The heaviest interval can be taken to
/// end at a spend, so checking those is enough.
fn never_more_than_the_limit(w: &ModelWindow) -> Result<(), TestCaseError> {
    if w.spec.kind != Kind::Sliding {
        return Ok(());
    }
    for (end, _) in &w.spends {
        let total: u128 = w
            .spends
            .iter()
            .filter(|(t, _)| t <= end && t + w.spec.duration > *end)
            .map(|(_, a)| a)
            .sum();
        prop_assert!(
            total <= w.spec.limit,
            "{total} in the {} s before {end}, limit {}",
            w.spec.duration,
            w.spec.limit
        );
    }
    Ok(())
}

fn run(case: Case) -> Result<(), TestCaseError> {
    let mut env = MemoryEnv::default();
    let limits: Vec<TokenLimitInit> = TOKENS
        .iter()
        .map(|token| TokenLimitInit {
            token: *token,
            limit: U256::MAX,
            windowDuration: alloy_primitives::aliases::U48::from(86_400),
        })
        .collect();
    let data = (Address::ZERO, limits).abi_encode_params();
    lifecycle::install(&mut env, ACCOUNT, &data, T0).unwrap();
    let mut model = Model {
        tokens: [Vec::new(), Vec::new()],
        lifetime: None,
        scales: case.scales,
        budget: Vec::new(),
    };
    for (token, windows) in case.windows.iter().enumerate() {
        lifecycle::set_windows(&mut env, ACCOUNT, TOKENS[token], windows, T0).unwrap();
        model.tokens[token] = windows.iter().map(|s| ModelWindow::new(*s, T0)).collect();
    }
    if case.lifetime != 0 {
        lifecycle::set_lifetime_cap(&mut env, ACCOUNT, TOKENS[0], case.lifetime).unwrap();
        model.lifetime = Some((case.lifetime, 0));
    }
    if !case.budget.is_empty() {
        let members = [(TOKENS[0], case.scales[0]), (TOKENS[1], case.scales[1])];
        lifecycle::set_budget(&mut env, ACCOUNT, BUDGET, &members, &case.budget, T0).unwrap();
        model.budget = case
            .budget
            .iter()
            .map(|s| ModelWindow::new(*s, T0))
            .collect();
    }
    let key = AccountKey::new(ACCOUNT);
    let mut now = T0;
    for step in &case.steps {
        match *step {
            Step::Advance(dt) => now += dt,
            Step::Spend { token, amount } => {
                let before = env.slots.clone();
                let got = ledger::charge(&mut env, &key, TOKENS[token], U256::from(amount), now);
                let want = if amount == 0 {
                    None
                } else {
                    model.refusal(token, amount, now)
                };
                match (got, want) {
                    (Ok(ledger::Charged::Recorded { .. }), None) => {
                        model.record(token, amount, now)
                    }
                    (Err(got), Some(want)) => {
                        prop_assert_eq!(got, want, "at {}", now - T0);
                        prop_assert!(env.slots == before, "a refused spend changes nothing");
                    }
                    (got, want) => {
                        prop_assert!(false, "hook {got:?}, model {want:?} at {}", now - T0)
                    }
                }
            }
        }
    }
    for w in model.tokens.iter().flatten().chain(&model.budget) {
        never_more_than_the_limit(w)?;
    }
    Ok(())
}

#[test]
fn windows_lifetime_caps_and_budgets_match_the_model() {
    property::check(
        "windows_lifetime_caps_and_budgets_match_the_model",
        case(),
        run,
    );
}
