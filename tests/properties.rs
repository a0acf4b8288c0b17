//! Property tests of the invariants in the threat model, on the hook's own
//! pipeline (lifecycle, preCheck, ledger) over an in-memory store, so the
//! clock can be anything: equal timestamps, window edges, jumps of up to 2^40 s
//! and values near the u48 and u64 limits.
//!
//! Each operation is checked against a small reference model written the
//! obvious way (the reference's rules, saturating where it would panic); after
//! every operation the hook's state must equal the model's. On top of that the
//! window-cap, sliding-bound, remaining, pause and isolation invariants are
//! asserted directly. Cases per property: `PROPTEST_CASES` (CI runs 1,000; the long
//! profile in `scripts/assurance.sh --long` runs 10,000).

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

use std::collections::BTreeMap;

use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use proptest::prelude::*;
use spending_limit_hook::abi::{self, TokenLimitInit, IERC20};
use spending_limit_hook::encode::{self, CallType};
use spending_limit_hook::env::MemoryEnv;
use spending_limit_hook::error::HookError;
use spending_limit_hook::install::TokenLimit;
use spending_limit_hook::ledger::{self, AccountKey};
use spending_limit_hook::window::{self, MAX_TIME};
use spending_limit_hook::{check, lifecycle};
use spending_limit_testkit::memory;
use spending_limit_testkit::property;

// The contract crate's native keccak comes from motsu's shims.
use motsu as _;

const HOOK: Address = Address::repeat_byte(0x40);
const MUX: Address = Address::repeat_byte(0xaa);
const ATTACKER: Address = Address::repeat_byte(0xee);
const ACCOUNTS: [Address; 2] = [Address::repeat_byte(0xa1), Address::repeat_byte(0xb0)];
const TOKENS: [Address; 3] = [
    Address::ZERO,
    Address::repeat_byte(0x70),
    Address::repeat_byte(0x71),
];
const RECIPIENT: Address = Address::repeat_byte(0x99);

#[derive(Debug, Clone, Copy)]
enum Route {
    Direct,
    Multiplexer,
    /// The attacker appends the victim behind the multiplexer's address.
    Spoofed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Execute,
    FromExecutor,
    UserOp,
    Batch,
    TryMode,
}

#[derive(Debug, Clone)]
enum Op {
    Install {
        account: usize,
        mux: bool,
        limits: Vec<(usize, U256, u64)>,
    },
    SetLimit {
        account: usize,
        token: usize,
        limit: U256,
        window: u64,
    },
    Remove {
        account: usize,
        token: usize,
    },
    Uninstall {
        account: usize,
    },
    Spend {
        account: usize,
        route: Route,
        path: Path,
        items: Vec<Item>,
    },
    SetPaused {
        account: usize,
        paused: bool,
    },
    SetDeny {
        account: usize,
        deny: bool,
    },
    SetCap {
        account: usize,
        token: usize,
        cap: U256,
    },
    Advance(u64),
    /// Moves the clock to a tracked window's end, minus one, or plus one.
    ToWindowEdge {
        account: usize,
        token: usize,
        delta: i8,
    },
}

/// One execution: native value to the recipient or a token call.
#[derive(Debug, Clone)]
struct Item {
    token: usize,
    value: U256,
    amount: U256,
    approve: bool,
}

fn amount() -> impl Strategy<Value = U256> {
    prop_oneof![
        4 => (0u64..2_000).prop_map(U256::from),
        // Round amounts, so that spends, limits and caps often meet exactly.
        2 => prop::sample::select(vec![100u64, 500, 1_000]).prop_map(U256::from),
        1 => Just(U256::MAX),
        1 => Just(U256::MAX - U256::from(1)),
        1 => (0u64..4).prop_map(|k| (U256::from(1) << 96) - U256::from(2) + U256::from(k)),
    ]
}

fn window_len() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(59u64),
        Just(60),
        Just(61),
        Just(3_600),
        Just(MAX_TIME),
        (60u64..100_000)
    ]
}

fn time_step() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(59),
        Just(60),
        Just(3_599),
        Just(3_600),
        (0u64..100_000),
        Just(1 << 40),
        Just(u64::MAX / 2)
    ]
}

fn item() -> impl Strategy<Value = Item> {
    (
        0..3usize,
        prop_oneof![3 => Just(U256::ZERO), 1 => amount()],
        amount(),
        any::<bool>(),
    )
        .prop_map(|(token, value, amount, approve)| Item {
            token,
            value,
            amount,
            approve,
        })
}

fn op() -> impl Strategy<Value = Op> {
    let route = prop_oneof![3 => Just(Route::Direct), 3 => Just(Route::Multiplexer), 1 => Just(Route::Spoofed)];
    let path = prop_oneof![
        Just(Path::Execute),
        Just(Path::FromExecutor),
        Just(Path::UserOp),
        Just(Path::Batch),
        Just(Path::TryMode)
    ];
    prop_oneof![
        2 => (0..2usize, any::<bool>(), prop::collection::vec((0..3usize, amount(), window_len()), 0..4))
            .prop_map(|(account, mux, limits)| Op::Install { account, mux, limits }),
        1 => (0..2usize, 0..3usize, amount(), window_len())
            .prop_map(|(account, token, limit, window)| Op::SetLimit { account, token, limit, window }),
        1 => (0..2usize, 0..3usize).prop_map(|(account, token)| Op::Remove { account, token }),
        1 => (0..2usize).prop_map(|account| Op::Uninstall { account }),
        6 => (0..2usize, route, path, prop::collection::vec(item(), 0..5))
            .prop_map(|(account, route, path, items)| Op::Spend { account, route, path, items }),
        1 => (0..2usize, any::<bool>()).prop_map(|(account, paused)| Op::SetPaused { account, paused }),
        1 => (0..2usize, any::<bool>()).prop_map(|(account, deny)| Op::SetDeny { account, deny }),
        1 => (0..2usize, 0..3usize, prop_oneof![Just(U256::ZERO), amount()])
            .prop_map(|(account, token, cap)| Op::SetCap { account, token, cap }),
        3 => time_step().prop_map(Op::Advance),
        2 => (0..2usize, 0..3usize, -1i8..=1).prop_map(|(account, token, delta)| Op::ToWindowEdge { account, token, delta }),
    ]
}

/// The reference's rules, written plainly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Cfg {
    limit: U256,
    spent: U256,
    start: u64,
    duration: u64,
    cap: U256,
}

#[derive(Debug, Clone, Default)]
struct Account {
    installed: bool,
    paused: bool,
    deny: bool,
    forwarder: Address,
    tokens: BTreeMap<Address, Cfg>,
}

#[derive(Debug, Clone, Default)]
struct Model {
    accounts: BTreeMap<Address, Account>,
    /// Successful charges per (account, token) since its limit was last set:
    /// (time, amount), for the sliding bound.
    charges: BTreeMap<(Address, Address), Vec<(u64, U256)>>,
}

impl Model {
    fn charge(
        &mut self,
        account: Address,
        token: Address,
        amount: U256,
        now: u64,
    ) -> Result<(), HookError> {
        let acct = self.accounts.entry(account).or_default();
        if acct.paused {
            return Err(HookError::policy(abi::AccountPaused {}));
        }
        let deny = acct.deny;
        let Some(cfg) = acct.tokens.get_mut(&token) else {
            if deny {
                return Err(HookError::policy(abi::TokenNotAllowed { token }));
            }
            return Ok(());
        };
        if !cfg.cap.is_zero() && amount > cfg.cap {
            return Err(HookError::policy(abi::PerCallCapExceeded {
                token,
                attempted: amount,
                cap: cfg.cap,
            }));
        }
        let end = window::window_end(cfg.start, cfg.duration);
        if end != MAX_TIME && now >= end {
            cfg.start = now;
            cfg.spent = U256::ZERO;
        }
        let remaining = cfg.limit.saturating_sub(cfg.spent);
        if amount > remaining {
            return Err(HookError::exceeded(token, amount, remaining));
        }
        cfg.spent += amount;
        self.charges
            .entry((account, token))
            .or_default()
            .push((now, amount));
        Ok(())
    }
}

struct World {
    env: MemoryEnv,
    model: Model,
    now: u64,
}

/// The account's calldata for an outflow of one unit of `token` (native
/// value for the zero address).
fn one_unit_of(token: Address) -> Vec<u8> {
    let single = if token.is_zero() {
        encode::single(RECIPIENT, U256::from(1), &[])
    } else {
        let transfer = IERC20::transferCall {
            to: RECIPIENT,
            amount: U256::from(1),
        };
        encode::single(token, U256::ZERO, &transfer.abi_encode())
    };
    encode::execute(encode::mode(CallType::Single, 0), single)
}

fn msg_data(path: Path, account: Address, items: &[Item]) -> Vec<u8> {
    let executions: Vec<(Address, U256, Vec<u8>)> = items
        .iter()
        .map(|i| {
            let token = TOKENS[i.token];
            if token.is_zero() {
                (RECIPIENT, i.value, vec![])
            } else if i.approve {
                (
                    token,
                    i.value,
                    IERC20::approveCall {
                        spender: RECIPIENT,
                        amount: i.amount,
                    }
                    .abi_encode(),
                )
            } else {
                (
                    token,
                    i.value,
                    IERC20::transferCall {
                        to: RECIPIENT,
                        amount: i.amount,
                    }
                    .abi_encode(),
                )
            }
        })
        .collect();
    let single = || match executions.first() {
        Some((t, v, d)) if executions.len() == 1 => encode::single(*t, *v, d),
        _ => encode::single(RECIPIENT, U256::ZERO, &[]),
    };
    match path {
        Path::Batch => {
            encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&executions))
        }
        Path::Execute => encode::execute(encode::mode(CallType::Single, 0), single()),
        Path::TryMode => encode::execute(encode::mode(CallType::Single, 1), single()),
        Path::FromExecutor => {
            encode::execute_from_executor(encode::mode(CallType::Single, 0), single())
        }
        Path::UserOp => encode::execute_user_op(
            account,
            &encode::execute(encode::mode(CallType::Single, 0), single()),
        ),
    }
}

/// The items a path actually executes (single paths take the first item, or a
/// no-op when there is not exactly one).
fn executed(path: Path, items: &[Item]) -> Vec<Item> {
    match path {
        Path::Batch => items.to_vec(),
        _ if items.len() == 1 => items.to_vec(),
        _ => vec![],
    }
}

impl World {
    fn new() -> Self {
        Self {
            env: MemoryEnv::default(),
            model: Model::default(),
            now: 1_700_000_000,
        }
    }

    fn clock(&self) -> u64 {
        window::clamp_time(self.now)
    }

    /// Runs `f` as one transaction: a failure leaves storage as it was.
    fn transact(
        &mut self,
        f: impl FnOnce(&mut MemoryEnv) -> Result<(), HookError>,
    ) -> Result<(), HookError> {
        memory::transact(&mut self.env, f)
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let now = self.clock();
        match op {
            Op::Advance(dt) => {
                self.now = self.now.saturating_add(*dt);
                return Ok(());
            }
            Op::ToWindowEdge {
                account,
                token,
                delta,
            } => {
                let cfg = self
                    .model
                    .accounts
                    .get(&ACCOUNTS[*account])
                    .and_then(|a| a.tokens.get(&TOKENS[*token]));
                if let Some(c) = cfg {
                    let edge = window::window_end(c.start, c.duration)
                        .saturating_add_signed(i64::from(*delta));
                    self.now = self.now.max(edge);
                }
                return Ok(());
            }
            Op::Install {
                account,
                mux,
                limits,
            } => {
                let account = ACCOUNTS[*account];
                let inits: Vec<TokenLimitInit> = limits
                    .iter()
                    .map(|(t, l, w)| TokenLimitInit {
                        token: TOKENS[*t],
                        limit: *l,
                        windowDuration: U48::from(*w),
                    })
                    .collect();
                let forwarder = if *mux { MUX } else { Address::ZERO };
                let data = (forwarder, inits).abi_encode_params();
                let got = self.transact(|env| lifecycle::install(env, account, &data, now));
                let expected = self.model_install(account, forwarder, limits, now);
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::SetLimit {
                account,
                token,
                limit,
                window,
            } => {
                let account = ACCOUNTS[*account];
                let config = TokenLimit {
                    token: TOKENS[*token],
                    limit: *limit,
                    window_duration: *window,
                };
                let got =
                    self.transact(|env| lifecycle::set_spending_limit(env, account, &config, now));
                let expected = self.model_set(account, TOKENS[*token], *limit, *window, now, false);
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::Remove { account, token } => {
                let account = ACCOUNTS[*account];
                let got = self
                    .transact(|env| lifecycle::remove_spending_limit(env, account, TOKENS[*token]));
                let model = self.model.accounts.entry(account).or_default();
                let expected = if model.installed {
                    model.tokens.remove(&TOKENS[*token]);
                    self.model.charges.remove(&(account, TOKENS[*token]));
                    Ok(())
                } else {
                    Err(HookError::not_initialized(account))
                };
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::SetPaused { account, paused } => {
                let account = ACCOUNTS[*account];
                let got = self.transact(|env| lifecycle::set_paused(env, account, *paused));
                let acct = self.model.accounts.entry(account).or_default();
                let expected = if acct.installed {
                    acct.paused = *paused;
                    Ok(())
                } else {
                    Err(HookError::not_initialized(account))
                };
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::SetDeny { account, deny } => {
                let account = ACCOUNTS[*account];
                let got =
                    self.transact(|env| lifecycle::set_deny_unknown_tokens(env, account, *deny));
                let acct = self.model.accounts.entry(account).or_default();
                let expected = if acct.installed {
                    acct.deny = *deny;
                    Ok(())
                } else {
                    Err(HookError::not_initialized(account))
                };
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::SetCap {
                account,
                token,
                cap,
            } => {
                let (account, token) = (ACCOUNTS[*account], TOKENS[*token]);
                let got =
                    self.transact(|env| lifecycle::set_max_per_call(env, account, token, *cap));
                let acct = self.model.accounts.entry(account).or_default();
                let expected = match (acct.installed, acct.tokens.get_mut(&token)) {
                    (false, _) => Err(HookError::not_initialized(account)),
                    (true, None) => Err(HookError::policy(abi::TokenNotLimited { token })),
                    (true, Some(cfg)) => {
                        cfg.cap = *cap;
                        Ok(())
                    }
                };
                prop_assert_eq!(got, expected, "{:?}", op);
            }
            Op::Uninstall { account } => {
                let account = ACCOUNTS[*account];
                lifecycle::uninstall(&mut self.env, account);
                self.model.accounts.insert(account, Account::default());
                self.model.charges.retain(|(a, _), _| *a != account);
            }
            Op::Spend {
                account,
                route,
                path,
                items,
            } => {
                let account = ACCOUNTS[*account];
                let msg = msg_data(*path, account, items);
                let preview_msg = msg.clone();
                // A user operation's wrapper is checked and charges nothing:
                // the account runs what it unwraps through its hooked
                // `execute`, whose preCheck charges it (`check::pre_check`).
                let msg = if *path == Path::UserOp {
                    let wrapper = self.spend_calldata(*route, account, &msg);
                    let before = self.env.slots.clone();
                    let got = self.transact(|env| {
                        check::pre_check_call(env, HOOK, wrapper.0, &wrapper.1, now)
                    });
                    prop_assert_eq!(got, Ok(()), "the wrapper of {:?}", op);
                    prop_assert_eq!(&self.env.slots, &before, "the wrapper charged");
                    msg_data(Path::Execute, account, items)
                } else {
                    msg
                };
                let (caller, calldata) = match route {
                    Route::Direct => (account, encode::pre_check(account, U256::ZERO, &msg)),
                    Route::Multiplexer => (
                        MUX,
                        encode::with_suffix(
                            encode::pre_check(account, U256::ZERO, &msg),
                            MUX,
                            account,
                        ),
                    ),
                    Route::Spoofed => (
                        ATTACKER,
                        encode::with_suffix(
                            encode::pre_check(account, U256::ZERO, &msg),
                            MUX,
                            account,
                        ),
                    ),
                };
                // Whose budget: the suffix is believed only from the registered forwarder.
                let charged = match route {
                    Route::Direct => account,
                    Route::Multiplexer
                        if self
                            .model
                            .accounts
                            .get(&account)
                            .is_some_and(|a| a.forwarder == MUX) =>
                    {
                        account
                    }
                    Route::Multiplexer => MUX,
                    Route::Spoofed => ATTACKER,
                };
                // The dry run answers what the call itself answers, and changes nothing.
                let mut probe = self.env.clone();
                let preview = check::preview(&mut probe, HOOK, charged, &preview_msg, now);
                prop_assert_eq!(&probe.slots, &self.env.slots);
                prop_assert!(probe.logs.len() == self.env.logs.len());
                let got =
                    self.transact(|env| check::pre_check_call(env, HOOK, caller, &calldata, now));
                prop_assert_eq!(&preview, &got, "preview of {:?}", op);
                let before = self.model.clone();
                let expected = self.model_spend(charged, &executed(*path, items), now);
                if expected.is_err() {
                    self.model = before;
                }
                prop_assert_eq!(got, expected, "{:?}", op);
            }
        }
        self.check_state()
    }

    /// The caller and calldata of a preCheck of `msg` for `account` by `route`.
    fn spend_calldata(&self, route: Route, account: Address, msg: &[u8]) -> (Address, Vec<u8>) {
        let pre_check = encode::pre_check(account, U256::ZERO, msg);
        match route {
            Route::Direct => (account, pre_check),
            Route::Multiplexer => (MUX, encode::with_suffix(pre_check, MUX, account)),
            Route::Spoofed => (ATTACKER, encode::with_suffix(pre_check, MUX, account)),
        }
    }

    fn model_install(
        &mut self,
        account: Address,
        forwarder: Address,
        limits: &[(usize, U256, u64)],
        now: u64,
    ) -> Result<(), HookError> {
        if self
            .model
            .accounts
            .get(&account)
            .is_some_and(|a| a.installed)
        {
            return Err(HookError::ModuleAlreadyInitialized(
                abi::ModuleAlreadyInitialized {
                    smartAccount: account,
                },
            ));
        }
        if limits.is_empty() {
            return Err(HookError::NoLimitsProvided(abi::NoLimitsProvided {}));
        }
        let before = self.model.clone();
        for (t, l, w) in limits {
            if let Err(e) = self.model_set(account, TOKENS[*t], *l, *w, now, true) {
                self.model = before;
                return Err(e);
            }
        }
        let acct = self.model.accounts.entry(account).or_default();
        if !forwarder.is_zero() {
            acct.forwarder = forwarder;
        }
        acct.installed = true;
        Ok(())
    }

    fn model_set(
        &mut self,
        account: Address,
        token: Address,
        limit: U256,
        window: u64,
        now: u64,
        installing: bool,
    ) -> Result<(), HookError> {
        let acct = self.model.accounts.entry(account).or_default();
        if !installing && !acct.installed {
            return Err(HookError::not_initialized(account));
        }
        if limit.is_zero() {
            return Err(HookError::LimitCannotBeZero(abi::LimitCannotBeZero {}));
        }
        if window < 60 {
            return Err(HookError::window_too_short(window));
        }
        match acct.tokens.get_mut(&token) {
            Some(_) if installing => {
                return Err(HookError::DuplicateToken(abi::DuplicateToken { token }))
            }
            Some(cfg) => {
                cfg.limit = limit;
                cfg.duration = window;
            }
            None => {
                acct.tokens.insert(
                    token,
                    Cfg {
                        limit,
                        spent: U256::ZERO,
                        start: now,
                        duration: window,
                        cap: U256::ZERO,
                    },
                );
            }
        }
        self.model.charges.remove(&(account, token));
        Ok(())
    }

    fn model_spend(&mut self, account: Address, items: &[Item], now: u64) -> Result<(), HookError> {
        if !self
            .model
            .accounts
            .get(&account)
            .is_some_and(|a| a.installed)
        {
            return Err(HookError::not_initialized(account));
        }
        for item in items {
            let token = TOKENS[item.token];
            if !item.value.is_zero() {
                self.model.charge(account, Address::ZERO, item.value, now)?;
            }
            if !token.is_zero() && !item.amount.is_zero() {
                self.model.charge(account, token, item.amount, now)?;
            }
        }
        Ok(())
    }

    /// The hook's state equals the model's, and the invariants hold.
    fn check_state(&mut self) -> Result<(), TestCaseError> {
        let now = self.clock();
        for account in ACCOUNTS {
            let key = AccountKey::new(account);
            let model = self
                .model
                .accounts
                .get(&account)
                .cloned()
                .unwrap_or_default();
            let state = ledger::account(&mut self.env, &key);
            prop_assert_eq!(state.initialized, model.installed);
            prop_assert_eq!(
                (state.paused, state.deny_unknown),
                (model.paused, model.deny)
            );
            prop_assert_eq!(state.forwarder, model.forwarder);
            prop_assert_eq!(usize::from(state.token_count), model.tokens.len());
            for token in TOKENS {
                let got = ledger::config(&mut self.env, &key, token);
                let want = model.tokens.get(&token).map(|c| ledger::TokenConfig {
                    limit: c.limit,
                    spent: c.spent,
                    window_start: c.start,
                    window_duration: c.duration.min(MAX_TIME),
                });
                prop_assert_eq!(got, want, "{} {}", account, token);
                // A paused account refuses every outflow, of a limited token
                // or not (asked as a dry run, which changes nothing).
                if model.installed && model.paused {
                    let msg = one_unit_of(token);
                    prop_assert_eq!(
                        check::preview(&mut self.env, HOOK, account, &msg, now),
                        Err(HookError::policy(abi::AccountPaused {})),
                        "paused {} {}",
                        account,
                        token
                    );
                }
                let cap = ledger::max_per_call(&mut self.env, &key, token);
                prop_assert_eq!(
                    cap,
                    model.tokens.get(&token).map(|c| c.cap).unwrap_or_default()
                );
                // Remaining: 0 <= remaining <= limit, never panics or wraps.
                let remaining = ledger::remaining_allowance(&mut self.env, &key, token, now);
                if let Some(c) = model.tokens.get(&token) {
                    prop_assert!(remaining <= c.limit);
                    // Window cap: what is spent in the window never exceeds the
                    // limit, except by a limit lowered after the spending.
                    let charges = self
                        .model
                        .charges
                        .get(&(account, token))
                        .cloned()
                        .unwrap_or_default();
                    let in_window: U256 = charges
                        .iter()
                        .filter(|(t, _)| *t >= c.start)
                        .map(|(_, a)| *a)
                        .sum();
                    prop_assert!(
                        in_window <= c.limit,
                        "window cap: {} > {}",
                        in_window,
                        c.limit
                    );
                    // Sliding bound of a fixed (drifting) window: any interval of
                    // length W holds at most 2L.
                    let w = c.duration;
                    let recent: U256 = charges
                        .iter()
                        .filter(|(t, _)| t.saturating_add(w) > now)
                        .map(|(_, a)| *a)
                        .fold(U256::ZERO, |s, a| s.saturating_add(a));
                    prop_assert!(
                        recent <= c.limit.saturating_mul(U256::from(2)),
                        "sliding bound"
                    );
                } else {
                    prop_assert_eq!(remaining, U256::ZERO);
                }
            }
        }
        Ok(())
    }
}

#[test]
fn hook_matches_the_reference_model_and_keeps_its_invariants() {
    property::check(
        "hook_matches_the_reference_model_and_keeps_its_invariants",
        prop::collection::vec(op(), 1..40),
        |ops| {
            let mut world = World::new();
            for op in &ops {
                world.apply(op)?;
            }

            Ok(())
        },
    );
}

/// Storage slots of distinct (account, token) pairs never alias.
#[test]
fn slots_never_alias() {
    property::check(
        "slots_never_alias",
        (
            any::<[u8; 20]>(),
            any::<[u8; 20]>(),
            any::<[u8; 20]>(),
            any::<[u8; 20]>(),
        ),
        |(a, t, b, u)| {
            let (a, t, b, u) = (
                Address::from(a),
                Address::from(t),
                Address::from(b),
                Address::from(u),
            );
            let same = AccountKey::new(a).token_slot(t) == AccountKey::new(b).token_slot(u);
            prop_assert_eq!(same, (a, t) == (b, u));

            Ok(())
        },
    );
}

/// Window arithmetic: a window is [start, end), end saturates, and the
/// remaining amount never exceeds the limit, at any time.
#[test]
fn window_arithmetic_never_wraps() {
    property::check(
        "window_arithmetic_never_wraps",
        (
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            any::<[u64; 4]>(),
            any::<[u64; 4]>(),
            any::<[u64; 4]>(),
        ),
        |(start, duration, now, limit, spent, amount)| {
            let (limit, spent, amount) = (
                U256::from_limbs(limit),
                U256::from_limbs(spent),
                U256::from_limbs(amount),
            );
            let end = window::window_end(window::clamp_time(start), duration);
            prop_assert!(end <= MAX_TIME);
            let now = window::clamp_time(now);
            if window::is_closed(end, now) {
                prop_assert!(now >= end);
            }
            prop_assert!(window::remaining(limit, spent) <= limit);
            match window::charge(limit, spent, amount) {
                Ok(total) => prop_assert!(total <= limit && total >= spent),
                Err(e) => prop_assert!(amount > e.remaining),
            }

            Ok(())
        },
    );
}

/// Policies in a tight loop: an installed token with a per-call cap, a pause
/// or a deny switch flipped at random, and spends whose amounts often meet
/// the cap exactly, all against the model.
#[test]
fn policies_match_the_model() {
    let round = || prop::sample::select(vec![0u64, 50, 100, 150, 200, 1_000]).prop_map(U256::from);
    let step = prop_oneof![
        4 => (round(), 0..3usize, any::<bool>()).prop_map(|(amount, token, batch)| Op::Spend {
            account: 0,
            route: Route::Direct,
            path: if batch { Path::Batch } else { Path::Execute },
            items: vec![Item { token, value: U256::ZERO, amount, approve: false }],
        }),
        1 => (0..3usize, round()).prop_map(|(token, cap)| Op::SetCap { account: 0, token, cap }),
        1 => any::<bool>().prop_map(|paused| Op::SetPaused { account: 0, paused }),
        1 => any::<bool>().prop_map(|deny| Op::SetDeny { account: 0, deny }),
        1 => time_step().prop_map(Op::Advance),
    ];
    let ops = (round(), prop::collection::vec(step, 1..30));
    property::check("policies_match_the_model", ops, |(cap, steps)| {
        let mut world = World::new();
        let install = Op::Install {
            account: 0,
            mux: false,
            limits: vec![(1, U256::from(1_000), 3_600)],
        };
        world.apply(&install)?;
        world.apply(&Op::SetCap {
            account: 0,
            token: 1,
            cap,
        })?;
        for op in &steps {
            world.apply(op)?;
        }
        Ok(())
    });
}
