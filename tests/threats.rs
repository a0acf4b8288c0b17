//! One test per threat of the threat model (`docs/threats.md` maps them):
//! `tNN_` is threat NN. They run the hook's own pipeline (install, preCheck,
//! ledger) over an in-memory store with a settable clock; the Stylus-specific
//! threats (11, 21's gas bound, 23) also run on the local VM in
//! `e2e/tests/hook_e2e.rs` and `e2e/tests/threats_vm.rs`.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

use alloy_primitives::{
    aliases::{U160, U48},
    Address, Bytes, FixedBytes, U256,
};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use spending_limit_hook::abi::{
    self, IDai, IERC7579Account, IPermit2, TokenLimitInit, IERC1363, IERC20, IERC777,
};
use spending_limit_hook::encode::{self, CallType};
use spending_limit_hook::env::{Env, MemoryEnv};
use spending_limit_hook::error::HookError;
use spending_limit_hook::install::TokenLimit;
use spending_limit_hook::ledger::{self, AccountKey};
use spending_limit_hook::window::MAX_TIME;
use spending_limit_hook::{check, lifecycle, targets};

use motsu as _;

use spending_limit_testkit::calls::*;
use spending_limit_testkit::memory;

const HOOK: Address = Address::repeat_byte(0x40);
const MUX: Address = Address::repeat_byte(0xaa);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const T0: u64 = 1_700_000_000;
const LIMIT: u64 = 1_000;

struct Chain {
    env: MemoryEnv,
    now: u64,
}

impl Chain {
    fn new() -> Self {
        Self {
            env: MemoryEnv::default(),
            now: T0,
        }
    }

    fn with(account: Address, forwarder: Address, limits: &[(Address, u64, u64)]) -> Self {
        let mut chain = Self::new();
        chain.install(account, forwarder, limits).unwrap();
        chain
    }

    fn install(
        &mut self,
        account: Address,
        forwarder: Address,
        limits: &[(Address, u64, u64)],
    ) -> Result<(), HookError> {
        let limits: Vec<TokenLimitInit> = limits
            .iter()
            .map(|(t, l, w)| TokenLimitInit {
                token: *t,
                limit: u(*l),
                windowDuration: U48::from(*w),
            })
            .collect();
        let data = (forwarder, limits).abi_encode_params();
        self.tx(|env, now| lifecycle::install(env, account, &data, now))
    }

    /// One transaction: a failure leaves storage as it was (the revert).
    fn tx(
        &mut self,
        f: impl FnOnce(&mut MemoryEnv, u64) -> Result<(), HookError>,
    ) -> Result<(), HookError> {
        let now = self.now;
        memory::transact(&mut self.env, |env| f(env, now))
    }

    fn call(&mut self, caller: Address, calldata: Vec<u8>) -> Result<(), HookError> {
        self.tx(|env, now| check::pre_check_call(env, HOOK, caller, &calldata, now))
    }

    fn pre_check(&mut self, account: Address, msg: &[u8]) -> Result<(), HookError> {
        self.call(account, encode::pre_check(account, U256::ZERO, msg))
    }

    fn via(&mut self, caller: Address, account: Address, msg: &[u8]) -> Result<(), HookError> {
        self.call(
            caller,
            encode::with_suffix(encode::pre_check(account, U256::ZERO, msg), MUX, account),
        )
    }

    fn spent(&mut self, account: Address, token: Address) -> U256 {
        ledger::config(&mut self.env, &AccountKey::new(account), token)
            .map(|c| c.spent)
            .unwrap_or_default()
    }

    fn limit(&mut self, account: Address, token: Address) -> U256 {
        ledger::config(&mut self.env, &AccountKey::new(account), token)
            .map(|c| c.limit)
            .unwrap_or_default()
    }
}

fn unknown() -> HookError {
    HookError::UnknownFunctionBlocked(abi::UnknownFunctionBlocked {})
}

#[test]
fn t01_every_token_moving_selector_is_charged_in_full_or_refused() {
    let a = u(123);
    let charged: Vec<(Address, Vec<u8>)> = vec![
        (
            TOKEN,
            IERC20::transferCall {
                to: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC20::approveCall {
                spender: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC20::transferFromCall {
                from: ALICE,
                to: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC20::increaseAllowanceCall {
                spender: RECIPIENT,
                addedValue: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::transferAndCall_0Call {
                to: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::transferAndCall_1Call {
                to: RECIPIENT,
                amount: a,
                data: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::transferFromAndCall_0Call {
                from: ALICE,
                to: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::transferFromAndCall_1Call {
                from: ALICE,
                to: RECIPIENT,
                amount: a,
                data: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::approveAndCall_0Call {
                spender: RECIPIENT,
                amount: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC1363::approveAndCall_1Call {
                spender: RECIPIENT,
                amount: a,
                data: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC777::sendCall {
                to: RECIPIENT,
                amount: a,
                data: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IERC777::operatorSendCall {
                from: ALICE,
                to: RECIPIENT,
                amount: a,
                data: Bytes::new(),
                operatorData: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IDai::pushCall {
                usr: RECIPIENT,
                wad: a,
            }
            .abi_encode(),
        ),
        (
            TOKEN,
            IDai::moveCall {
                src: ALICE,
                dst: RECIPIENT,
                wad: a,
            }
            .abi_encode(),
        ),
        (
            Address::repeat_byte(0x22),
            IPermit2::approveCall {
                token: TOKEN,
                spender: RECIPIENT,
                amount: U160::from(123),
                expiration: U48::from(1),
            }
            .abi_encode(),
        ),
        (
            Address::repeat_byte(0x22),
            IPermit2::transferFromCall {
                from: ALICE,
                to: RECIPIENT,
                amount: U160::from(123),
                token: TOKEN,
            }
            .abi_encode(),
        ),
    ];
    for (target, data) in charged {
        let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
        chain
            .pre_check(ALICE, &exec_single(target, 0, &data))
            .unwrap();
        assert_eq!(
            chain.spent(ALICE, TOKEN),
            a,
            "{:02x?} is charged in full",
            &data[..4]
        );
    }
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let grant = IERC777::authorizeOperatorCall {
        operator: RECIPIENT,
    }
    .abi_encode();
    assert_eq!(
        chain.pre_check(ALICE, &exec_single(TOKEN, 0, &grant)),
        Err(unknown()),
        "unbounded grants are refused"
    );
}

#[test]
fn t02_approve_drain_loops_are_bounded_by_the_limit() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let drainer = Address::repeat_byte(0xdd);
    let approve = |amount| {
        IERC20::approveCall {
            spender: drainer,
            amount: u(amount),
        }
        .abi_encode()
    };
    let drain = IERC20::transferFromCall {
        from: ALICE,
        to: drainer,
        amount: u(300),
    }
    .abi_encode();
    let mut charged = 0u64;
    for _ in 0..10 {
        // [drainer pulls, approve again], as a batch; approvals are full spends.
        let round = exec_batch(&[
            (drainer, 0, vec![1, 2, 3, 4]),
            (TOKEN, 0, approve(300)),
            (TOKEN, 0, approve(0)),
        ]);
        if chain.pre_check(ALICE, &round).is_ok() {
            charged += 300;
        }
        let _ = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &drain));
    }
    assert!(chain.spent(ALICE, TOKEN) <= u(LIMIT));
    assert!(
        charged <= LIMIT,
        "at most the limit was approved in the window"
    );
}

#[test]
fn t03_third_party_pull_through_a_router_is_not_seen() {
    // Chosen behaviour, documented in the README: a call to a non-token target
    // (a router pulling with an allowance given earlier) is not a token call.
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let router = Address::repeat_byte(0x55);
    let swap = [0x38u8, 0xed, 0x17, 0x39, 0, 0, 0, 0].to_vec();
    chain
        .pre_check(ALICE, &exec_batch(&[(router, 0, swap)]))
        .unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), U256::ZERO);
}

#[test]
fn t04_signature_spending_happens_outside_executions() {
    // Exclusion: a permit (ERC-2612 via ERC-1271, Permit2 signatures, ERC-3009)
    // is submitted by someone else and never passes through the account's
    // execute, so no hook sees it. The hook charges only what the account
    // executes; submitting a permit from the account is not a token call here.
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let permit = [0xd5u8, 0x05, 0xac, 0xcf].to_vec();
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &permit))
        .unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), U256::ZERO);
}

#[test]
fn t05_batches_charge_every_item_and_an_empty_batch_charges_nothing() {
    let mut chain = Chain::with(
        ALICE,
        Address::ZERO,
        &[(TOKEN, LIMIT, 3_600), (NATIVE, LIMIT, 3_600)],
    );
    chain.pre_check(ALICE, &exec_batch(&[])).unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), U256::ZERO);
    let items: Vec<_> = (1..=5).map(|i| (TOKEN, i, transfer(i * 10))).collect();
    chain.pre_check(ALICE, &exec_batch(&items)).unwrap();
    assert_eq!(
        chain.spent(ALICE, TOKEN),
        u(150),
        "every item, not only the first"
    );
    assert_eq!(chain.spent(ALICE, NATIVE), u(15));
}

#[test]
fn t06_delegatecall_and_unknown_call_types_revert() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let data = [TOKEN.as_slice(), &transfer(1)].concat();
    for exec_type in [0u8, 1, 2, 0xff] {
        let mut mode = encode::mode(CallType::DelegateCall, exec_type);
        for selector in [0u8, 0xaa] {
            mode[6] = selector;
            for msg in [
                encode::execute(mode, data.clone()),
                encode::execute_from_executor(mode, data.clone()),
            ] {
                assert_eq!(
                    chain.pre_check(ALICE, &msg),
                    Err(HookError::DelegateCallNotAllowed(
                        abi::DelegateCallNotAllowed {}
                    ))
                );
            }
        }
    }
    for call_type in (0x02u8..=0xfe).step_by(7) {
        let mut mode = FixedBytes::<32>::ZERO;
        mode[0] = call_type;
        let msg = encode::execute(mode, encode::single(TOKEN, U256::ZERO, &transfer(1)));
        assert_eq!(
            chain.pre_check(ALICE, &msg),
            Err(HookError::InvalidCallType(abi::InvalidCallType {}))
        );
    }
}

/// Once per user operation on every path. `executeUserOp` is checked but
/// charged by the preCheck of the call it unwraps, which the account makes
/// next through its hooked `execute` (Nexus, the one family that hooks
/// `executeUserOp`, runs both; charging both charged every user operation
/// twice).
#[test]
fn t07_execute_executor_and_user_op_charge_identically() {
    let inner = exec_single(TOKEN, 3, &transfer(7));
    let paths: [Vec<Vec<u8>>; 3] = [
        vec![inner.clone()],
        vec![encode::execute_from_executor(
            encode::mode(CallType::Single, 0),
            encode::single(TOKEN, u(3), &transfer(7)),
        )],
        vec![encode::execute_user_op(ALICE, &inner), inner.clone()],
    ];
    for prechecks in paths {
        let mut chain = Chain::with(
            ALICE,
            Address::ZERO,
            &[(TOKEN, LIMIT, 3_600), (NATIVE, LIMIT, 3_600)],
        );
        for msg in prechecks {
            chain.pre_check(ALICE, &msg).unwrap();
        }
        assert_eq!(
            (chain.spent(ALICE, TOKEN), chain.spent(ALICE, NATIVE)),
            (u(7), u(3))
        );
    }
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    assert_eq!(
        chain.pre_check(ALICE, &[0x12, 0x34, 0x56, 0x78]),
        Err(unknown()),
        "unknown selectors fail closed"
    );
}

#[test]
fn t08_try_mode_is_charged_conservatively() {
    // The hook cannot see which calls fail under EXECTYPE_TRY; it charges
    // them as if they succeed (never less), as the README says.
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let msg = encode::execute(
        encode::mode(CallType::Single, 1),
        encode::single(TOKEN, U256::ZERO, &transfer(400)),
    );
    chain.pre_check(ALICE, &msg).unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), u(400));
}

#[test]
fn t09_a_decoy_layout_is_refused() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let honest = encode::single(TOKEN, U256::ZERO, &transfer(1));
    let real = encode::single(TOKEN, U256::ZERO, &transfer(1_000_000));
    let mut msg = encode::execute(encode::mode(CallType::Single, 0), honest);
    let real_offset = msg.len() - 4;
    msg.extend_from_slice(&u(real.len() as u64).to_be_bytes::<32>());
    msg.extend_from_slice(&real);
    msg[36..68].copy_from_slice(&u(real_offset as u64).to_be_bytes::<32>());
    assert_eq!(chain.pre_check(ALICE, &msg), Err(HookError::decoding()));
    assert_eq!(chain.spent(ALICE, TOKEN), U256::ZERO);
}

#[test]
fn t10_a_spoofed_suffix_leaves_the_victim_untouched() {
    let mut chain = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    let attacker = Address::repeat_byte(0xee);
    let before = chain.env.slots.clone();
    let msg = exec_single(TOKEN, 0, &transfer(LIMIT));
    // Any caller may append any 20 bytes; only the registered forwarder counts.
    assert_eq!(
        chain.via(attacker, ALICE, &msg),
        Err(HookError::not_initialized(attacker))
    );
    assert_eq!(chain.env.slots, before);
    // Config setters never read a suffix: they act for the caller itself.
    let config = TokenLimit {
        token: TOKEN,
        limit: U256::MAX,
        window_duration: 60,
    };
    assert_eq!(
        lifecycle::set_spending_limit(&mut chain.env, attacker, &config, T0),
        Err(HookError::not_initialized(attacker))
    );
    assert_eq!(chain.limit(ALICE, TOKEN), u(LIMIT));
    // Uninstall clears the forwarder (Ackee W3).
    lifecycle::uninstall(&mut chain.env, ALICE);
    assert_eq!(
        ledger::account(&mut chain.env, &AccountKey::new(ALICE)).forwarder,
        Address::ZERO
    );
}

#[test]
fn t11_accounts_behind_one_multiplexer_keep_their_own_counters() {
    let mut chain = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    chain.install(BOB, MUX, &[(TOKEN, LIMIT, 3_600)]).unwrap();
    chain
        .via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(600)))
        .unwrap();
    chain
        .via(MUX, BOB, &exec_single(TOKEN, 0, &transfer(900)))
        .unwrap();
    assert_eq!(
        (chain.spent(ALICE, TOKEN), chain.spent(BOB, TOKEN)),
        (u(600), u(900))
    );
}

#[test]
fn t12_native_value_is_counted_once_on_every_path() {
    let mut chain = Chain::with(
        ALICE,
        Address::ZERO,
        &[(TOKEN, LIMIT, 3_600), (NATIVE, LIMIT, 3_600)],
    );
    chain
        .pre_check(
            ALICE,
            &exec_batch(&[
                (RECIPIENT, 5, vec![]),
                (TOKEN, 7, transfer(1)),
                (RECIPIENT, 11, vec![9, 9, 9, 9]),
            ]),
        )
        .unwrap();
    assert_eq!(
        chain.spent(ALICE, NATIVE),
        u(23),
        "value with and without calldata"
    );
    // A nested self-execution is refused, with or without value: Kernel v3.1
    // runs no hook for an `execute` the account makes to itself, so its inner
    // items would be charged by no one (t26).
    let inner = exec_single(TOKEN, 0, &transfer(5));
    for value in [0, 4] {
        assert_eq!(
            chain.pre_check(ALICE, &exec_single(ALICE, value, &inner)),
            Err(HookError::protected(ALICE))
        );
    }
    assert_eq!(chain.spent(ALICE, TOKEN), u(1), "nothing charged");
    assert_eq!(chain.spent(ALICE, NATIVE), u(23), "nothing charged");
}

#[test]
fn t13_executions_cannot_reconfigure_the_hook() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    let raise = abi::ISpendingLimitHook::setSpendingLimitCall {
        token: TOKEN,
        limit: U256::MAX,
        windowDuration: U48::from(60),
    }
    .abi_encode();
    let forge = abi::ISpendingLimitHook::setTrustedForwarderCall {
        forwarder: Address::repeat_byte(0xee),
    }
    .abi_encode();
    for data in [raise, forge, vec![]] {
        for msg in [
            exec_single(HOOK, 0, &data),
            exec_batch(&[(TOKEN, 0, transfer(1)), (HOOK, 0, data.clone())]),
        ] {
            assert_eq!(
                chain.pre_check(ALICE, &msg),
                Err(HookError::SelfCallBlocked(abi::SelfCallBlocked {}))
            );
        }
    }
    let uninstall = IERC7579Account::uninstallModuleCall {
        moduleTypeId: u(4),
        module: HOOK,
        deInitData: Bytes::new(),
    }
    .abi_encode();
    assert_eq!(
        chain.pre_check(ALICE, &uninstall),
        Err(HookError::ModuleManagementBlocked(
            abi::ModuleManagementBlocked {}
        ))
    );
    assert_eq!(
        (chain.limit(ALICE, TOKEN), chain.spent(ALICE, TOKEN)),
        (u(LIMIT), U256::ZERO)
    );
}

#[test]
fn t14_reinstalling_yields_exactly_the_new_config() {
    let mut chain = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600), (NATIVE, 5, 60)]);
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(LIMIT)))
        .unwrap();
    lifecycle::uninstall(&mut chain.env, ALICE);
    assert!(
        chain.env.slots.is_empty(),
        "nothing of the account survives"
    );
    chain
        .install(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)])
        .unwrap();
    // Documented choice (the reference's): usage is zeroed with the config.
    assert_eq!(chain.spent(ALICE, TOKEN), U256::ZERO);
    assert_eq!(chain.limit(ALICE, NATIVE), U256::ZERO, "no stale token");
}

#[test]
fn t15_reconfiguring_mid_window_keeps_what_was_spent() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(800)))
        .unwrap();
    for (limit, window) in [(2_000u64, 7_200u64), (100, 60), (800, 3_600)] {
        let config = TokenLimit {
            token: TOKEN,
            limit: u(limit),
            window_duration: window,
        };
        lifecycle::set_spending_limit(&mut chain.env, ALICE, &config, chain.now).unwrap();
        assert_eq!(chain.spent(ALICE, TOKEN), u(800));
        let remaining =
            ledger::remaining_allowance(&mut chain.env, &AccountKey::new(ALICE), TOKEN, chain.now);
        assert_eq!(remaining, u(limit).saturating_sub(u(800)));
    }
}

#[test]
fn t16_a_fixed_window_lets_at_most_twice_the_limit_across_its_edge() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 3_600)]);
    chain.now = T0 + 3_599;
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(LIMIT)))
        .unwrap();
    chain.now = T0 + 3_600;
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(LIMIT)))
        .unwrap();
    // The documented bound of the reference's window: 2L within one window length.
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
        .is_err());
}

#[test]
fn t17_time_edges_neither_overflow_nor_reopen_budgets() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, LIMIT, 60)]);
    for _ in 0..3 {
        // Many transactions with one timestamp share one window.
        let _ = chain.pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(400)));
    }
    assert_eq!(chain.spent(ALICE, TOKEN), u(800));
    for jump in [1u64 << 40, u64::MAX / 2] {
        chain.now = chain.now.saturating_add(jump);
        chain
            .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(LIMIT)))
            .unwrap();
        assert!(chain
            .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
            .is_err());
    }
    // Past uint48 the clock stops: a window opened there never closes, so a
    // clock at the end of time cannot be used to reopen budgets.
    chain.now = u64::MAX;
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
        .is_err());
    let start = ledger::config(&mut chain.env, &AccountKey::new(ALICE), TOKEN)
        .unwrap()
        .window_start;
    assert!(start <= MAX_TIME);
    let mut chain = Chain::new();
    assert_eq!(
        chain.install(ALICE, Address::ZERO, &[(TOKEN, 1, 0)]),
        Err(HookError::window_too_short(0))
    );
}

#[test]
fn t18_amounts_and_times_at_their_limits_never_wrap() {
    let mut chain = Chain::new();
    chain
        .install(ALICE, Address::ZERO, &[(TOKEN, 1, MAX_TIME)])
        .unwrap();
    let config = TokenLimit {
        token: TOKEN,
        limit: U256::MAX,
        window_duration: MAX_TIME,
    };
    lifecycle::set_spending_limit(&mut chain.env, ALICE, &config, chain.now).unwrap();
    let max_transfer = IERC20::transferCall {
        to: RECIPIENT,
        amount: U256::MAX - u(1),
    }
    .abi_encode();
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &max_transfer))
        .unwrap();
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
        .unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), U256::MAX);
    assert!(chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
        .is_err());
    chain.now = u64::MAX;
    assert!(
        chain
            .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(1)))
            .is_err(),
        "a saturated window never closes"
    );
}

#[test]
fn t19_zero_semantics() {
    let mut chain = Chain::new();
    assert_eq!(
        chain.install(ALICE, Address::ZERO, &[(TOKEN, 0, 60)]),
        Err(HookError::LimitCannotBeZero(abi::LimitCannotBeZero {}))
    );
    assert_eq!(
        chain.install(ALICE, Address::ZERO, &[(TOKEN, 1, 0)]),
        Err(HookError::window_too_short(0))
    );
    let mut chain = Chain::with(
        ALICE,
        Address::ZERO,
        &[(TOKEN, LIMIT, 60), (NATIVE, LIMIT, 60)],
    );
    // A zero amount is not recorded...
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &transfer(0)))
        .unwrap();
    assert!(chain
        .env
        .logs
        .iter()
        .all(|l| l.topics[0] != abi::SpendingRecorded::SIGNATURE_HASH));
    // ...but never skips the other checks.
    assert_eq!(
        chain.pre_check(ALICE, &exec_single(HOOK, 0, &transfer(0))),
        Err(HookError::SelfCallBlocked(abi::SelfCallBlocked {}))
    );
    let delegate = encode::execute(encode::mode(CallType::DelegateCall, 0), TOKEN.to_vec());
    assert!(chain.pre_check(ALICE, &delegate).is_err());
    // Token address(0) is the native currency.
    chain
        .pre_check(ALICE, &exec_single(RECIPIENT, 9, &[]))
        .unwrap();
    assert_eq!(chain.spent(ALICE, NATIVE), u(9));
}

#[test]
fn t20_an_nft_configured_as_a_token_is_charged_its_token_id() {
    // Documented: ERC-721 transferFrom shares ERC-20's selector, so a tracked
    // NFT contract is charged the token id as an amount (conservative); the
    // hook cannot tell the two apart without calling the target.
    let nft = Address::repeat_byte(0x72);
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(nft, LIMIT, 3_600)]);
    let move_nft = IERC20::transferFromCall {
        from: ALICE,
        to: RECIPIENT,
        amount: u(42),
    }
    .abi_encode();
    chain
        .pre_check(ALICE, &exec_single(nft, 0, &move_nft))
        .unwrap();
    assert_eq!(chain.spent(ALICE, nft), u(42));
}

#[test]
fn t21_uninstall_never_bricks_and_work_is_bounded() {
    let mut chain = Chain::new();
    lifecycle::uninstall(&mut chain.env, ALICE); // never installed
    chain.install(ALICE, MUX, &[(TOKEN, LIMIT, 60)]).unwrap();
    lifecycle::uninstall(&mut chain.env, ALICE);
    lifecycle::uninstall(&mut chain.env, ALICE); // twice
    assert!(chain.env.slots.is_empty());
    // postCheck keeps no state: nothing to find missing (see the VM tests for
    // the call itself). A batch of N items does O(N) slot work.
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, u64::MAX, 60)]);
    let items: Vec<_> = (0..200).map(|_| (TOKEN, 0, transfer(1))).collect();
    chain.pre_check(ALICE, &exec_batch(&items)).unwrap();
    assert_eq!(chain.env.logs.len(), 1 + 200, "one log per charged item");
}

#[test]
fn t22_storage_layout_is_pinned() {
    // Slots of one (account, token): a change of layout must be deliberate
    // (it would strand every deployed account's state). Values recorded at 1.0.0.
    let key = AccountKey::new(ALICE);
    let slot = key.token_slot(TOKEN);
    let expected = alloy_primitives::keccak256(
        [
            TOKEN.into_word().0,
            (U256::from_be_bytes(
                alloy_primitives::keccak256([ALICE.into_word().0, [0u8; 32]].concat()).0,
            ) + u(51))
            .to_be_bytes::<32>(),
        ]
        .concat(),
    );
    assert_eq!(slot, U256::from_be_bytes(expected.0));
    assert_ne!(AccountKey::new(BOB).token_slot(TOKEN), slot);
}

#[test]
fn t23_t24_the_hook_reads_no_live_state_and_calls_nothing() {
    // preCheck never calls out (no reentrancy window, no stale storage cache
    // around a call) and never reads balances, so a sibling sub-hook that
    // moves tokens in its own preCheck cannot change its accounting. The
    // artifact's imports prove it on the real program (e2e/tests/threats_vm.rs);
    // here: the charge depends only on the calldata and the hook's storage.
    let mut a = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    let mut b = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    b.env
        .store(U256::from(12345), alloy_primitives::B256::repeat_byte(1)); // unrelated state
    let msg = exec_single(TOKEN, 0, &transfer(300));
    a.via(MUX, ALICE, &msg).unwrap();
    b.via(MUX, ALICE, &msg).unwrap();
    assert_eq!(a.spent(ALICE, TOKEN), b.spent(ALICE, TOKEN));
}

/// An execution aimed at the multiplexer the hook is called through would
/// make it drop the hook for the account (`removeHook`, `removeSigHook`,
/// its own `onUninstall`): refused, as is value sent to it, alone or in a
/// batch. Called directly, the hook has no multiplexer to guard.
#[test]
fn t25_the_multiplexer_cannot_be_told_to_drop_the_hook() {
    let mut chain = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    // HookMultiPlexer: removeHook(address,uint8), removeSigHook(address,bytes4,uint8),
    // onUninstall(bytes); modulekit's mock: removeHook(address).
    let mut remove_hook = vec![0x60, 0x6c, 0xd4, 0x72];
    remove_hook.extend_from_slice(&HOOK.into_word().0);
    remove_hook.extend_from_slice(&[0; 32]);
    let mut remove_sig_hook = vec![0xc9, 0xa3, 0xe5, 0xa8];
    remove_sig_hook.extend_from_slice(&HOOK.into_word().0);
    remove_sig_hook.extend_from_slice(&[0; 64]);
    let on_uninstall = abi::ISpendingLimitHook::onUninstallCall { data: Bytes::new() }.abi_encode();
    for call in [remove_hook, remove_sig_hook, on_uninstall] {
        for msg in [
            exec_single(MUX, 0, &call),
            exec_batch(&[(TOKEN, 0, transfer(1)), (MUX, 0, call.clone())]),
            encode::execute_user_op(ALICE, &exec_single(MUX, 0, &call)),
        ] {
            assert_eq!(chain.via(MUX, ALICE, &msg), Err(HookError::protected(MUX)));
        }
    }
    assert_eq!(
        chain.via(MUX, ALICE, &exec_single(MUX, 1, &[])),
        Err(HookError::protected(MUX))
    );
    assert_eq!(chain.spent(ALICE, TOKEN), u(0), "nothing charged");
}

/// An account's own functions are its administration, and a nested
/// `execute` is not run through the hook again by every family (Kernel
/// v3.1): every execution aimed at the account itself is refused, on every
/// entry point, alone or in a batch, directly and through the multiplexer.
#[test]
fn t26_the_accounts_own_functions_are_out_of_reach() {
    // Safe: enableModule, addOwnerWithThreshold, swapOwner, changeThreshold,
    // setFallbackHandler, setGuard; Nexus: upgradeToAndCall, withdrawDepositTo;
    // Kernel: changeRootValidator, upgradeTo; ERC-7579: installModule,
    // execute (nested), executeFromExecutor.
    let admin: [[u8; 4]; 10] = [
        [0x61, 0x0b, 0x59, 0x25],
        [0x0d, 0x58, 0x2f, 0x13],
        [0xe3, 0x18, 0xb5, 0x2b],
        [0x69, 0x4e, 0x80, 0xc3],
        [0xf0, 0x8a, 0x03, 0x23],
        [0xe1, 0x9a, 0x9d, 0xd9],
        [0x4f, 0x1e, 0xf2, 0x86],
        [0x4d, 0x44, 0x56, 0x0d],
        [0x52, 0x14, 0x1c, 0xd9],
        [0x36, 0x59, 0xcf, 0xe6],
    ];
    let nested = exec_single(TOKEN, 0, &transfer(5));
    let mut calls: Vec<Vec<u8>> = admin
        .iter()
        .map(|selector| [&selector[..], &[0u8; 64]].concat())
        .collect();
    calls.push(nested.clone());
    calls.push(encode::execute_from_executor(
        encode::mode(CallType::Single, 0),
        encode::single(TOKEN, u(0), &transfer(5)),
    ));
    for forwarder in [Address::ZERO, MUX] {
        let mut chain = Chain::with(ALICE, forwarder, &[(TOKEN, LIMIT, 3_600)]);
        for call in &calls {
            let wrappers = [
                exec_single(ALICE, 0, call),
                exec_batch(&[(TOKEN, 0, transfer(1)), (ALICE, 0, call.clone())]),
                encode::execute_from_executor(
                    encode::mode(CallType::Single, 0),
                    encode::single(ALICE, u(0), call),
                ),
                encode::execute_user_op(ALICE, &exec_single(ALICE, 0, call)),
            ];
            for msg in wrappers {
                let result = if forwarder == MUX {
                    chain.via(MUX, ALICE, &msg)
                } else {
                    chain.pre_check(ALICE, &msg)
                };
                assert_eq!(result, Err(HookError::protected(ALICE)));
            }
        }
        assert_eq!(chain.spent(ALICE, TOKEN), u(0), "nothing charged");
    }
}

/// Token calldata too short for its arguments moves what the token reads:
/// the missing bytes zero. A transfer whose amount lacks its last byte is
/// charged that amount shifted by 8 bits (one case per selector:
/// `outflow::tests::short_calldata_is_charged_as_its_missing_bytes_read_zero`).
#[test]
fn t27_short_token_calldata_is_charged_as_the_token_reads_it() {
    let mut chain = Chain::with(ALICE, Address::ZERO, &[(TOKEN, 1 << 20, 3_600)]);
    let full = transfer(0x0105);
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &full[..full.len() - 1]))
        .unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), u(0x0100));
    let legacy = abi::IERC20Legacy::increaseApprovalCall {
        spender: RECIPIENT,
        addedValue: u(40),
    }
    .abi_encode();
    chain
        .pre_check(ALICE, &exec_single(TOKEN, 0, &legacy))
        .unwrap();
    assert_eq!(chain.spent(ALICE, TOKEN), u(0x0100 + 40));
}

/// The account's own list of protected targets: no execution may call one
/// or send it value, wherever it sits in a batch, on any path; the list is
/// replaced whole, bounded, and cleared by uninstall. Accounts without a
/// list never look executions up.
#[test]
fn t28_an_accounts_protected_targets_are_out_of_reach() {
    let validator = Address::repeat_byte(0x7a);
    let entry_point = Address::repeat_byte(0x71);
    let mut chain = Chain::with(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]);
    chain
        .tx(|env, _| lifecycle::set_protected_targets(env, ALICE, &[validator, entry_point]))
        .unwrap();
    let paths = |target: Address| {
        [
            exec_single(target, 0, &[1, 2, 3, 4]),
            exec_single(target, 5, &[]),
            exec_batch(&[(RECIPIENT, 0, vec![]), (target, 0, vec![])]),
            exec_batch(&[(TOKEN, 0, transfer(2)), (target, 0, vec![])]),
        ]
    };
    for target in [validator, entry_point] {
        for msg in paths(target) {
            assert_eq!(
                chain.via(MUX, ALICE, &msg),
                Err(HookError::protected(target))
            );
        }
    }
    assert_eq!(
        chain.spent(ALICE, TOKEN),
        u(0),
        "refused calls charge nothing"
    );
    chain
        .via(MUX, ALICE, &exec_single(TOKEN, 0, &transfer(2)))
        .unwrap();
    // Replaced whole: the validator is free again, the EntryPoint is not.
    chain
        .tx(|env, _| lifecycle::set_protected_targets(env, ALICE, &[entry_point]))
        .unwrap();
    chain.via(MUX, ALICE, &paths(validator)[2]).unwrap();
    assert!(chain.via(MUX, ALICE, &paths(entry_point)[0]).is_err());
    // Cleared by uninstall: a reinstall starts with none.
    lifecycle::uninstall(&mut chain.env, ALICE);
    chain.install(ALICE, MUX, &[(TOKEN, LIMIT, 3_600)]).unwrap();
    chain.via(MUX, ALICE, &paths(entry_point)[0]).unwrap();
    assert!(targets::list(&mut chain.env, &AccountKey::new(ALICE)).is_empty());
    // Only an installed account sets a list.
    assert_eq!(
        chain.tx(|env, _| lifecycle::set_protected_targets(env, BOB, &[validator])),
        Err(HookError::not_initialized(BOB))
    );
}
