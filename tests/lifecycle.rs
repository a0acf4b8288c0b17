//! Install, uninstall, setters and views of the reference interface, on the
//! Rust contract through motsu. One test (at least) per row of the reference
//! table; the name says which row.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

mod common;

use alloy_primitives::Bytes;
use alloy_primitives::{aliases::U48, Address, U256};
use alloy_sol_types::SolValue;
use common::*;
use motsu::prelude::*;
use spending_limit_hook::abi::{self, TokenLimitInit};
use spending_limit_hook::error::HookError;
use spending_limit_testkit::harness::Hook;

#[motsu::test]
fn on_install_configures_every_token_and_emits_for_each(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    assert!(hook.sender(account).is_initialized(account));
    assert_eq!(
        config(&hook, account, NATIVE),
        (u(1_000_000), U256::ZERO, DAY, NOW)
    );
    assert_eq!(
        config(&hook, account, TOKEN),
        (u(1_000), U256::ZERO, 3_600, NOW)
    );
    hook.assert_emitted(&abi::SpendingLimitSet {
        account,
        token: NATIVE,
        limit: u(1_000_000),
        windowDuration: U48::from(DAY),
    });
    hook.assert_emitted(&abi::SpendingLimitSet {
        account,
        token: TOKEN,
        limit: u(1_000),
        windowDuration: U48::from(3_600),
    });
    assert_eq!(hook.all_events().len(), 2);
}

#[motsu::test]
fn on_install_sets_the_forwarder_in_the_deployed_layout(
    hook: Contract<Hook>,
    account: Address,
    mux: Address,
) {
    install_default(&hook, account, mux);
    assert_eq!(hook.sender(account).trusted_forwarder(account), mux);
    assert!(hook.sender(account).is_trusted_forwarder(mux, account));
}

#[motsu::test]
fn on_install_accepts_the_documented_layout(hook: Contract<Hook>, account: Address, mux: Address) {
    let mut data = vec![limit(TOKEN, 5, 60)].abi_encode();
    data.extend_from_slice(&mux.abi_encode());
    hook.sender(account)
        .on_install(Bytes::from(data))
        .motsu_unwrap();
    assert_eq!(config(&hook, account, TOKEN), (u(5), U256::ZERO, 60, NOW));
    assert_eq!(hook.sender(account).trusted_forwarder(account), mux);
}

#[motsu::test]
fn on_install_with_zero_forwarder_keeps_one_set_before(
    hook: Contract<Hook>,
    account: Address,
    mux: Address,
) {
    hook.sender(account).set_trusted_forwarder(mux);
    install_default(&hook, account, Address::ZERO);
    assert_eq!(hook.sender(account).trusted_forwarder(account), mux);
}

#[motsu::test]
fn on_install_twice_reverts_module_already_initialized(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let err = hook
        .sender(account)
        .on_install(install_data(Address::ZERO, vec![limit(OTHER_TOKEN, 1, 60)]))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::ModuleAlreadyInitialized(abi::ModuleAlreadyInitialized {
            smartAccount: account
        })
    );
    assert_eq!(
        config(&hook, account, OTHER_TOKEN),
        (U256::ZERO, U256::ZERO, 0, 0)
    );
}

#[motsu::test]
fn on_install_without_tokens_reverts_no_limits_provided(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .on_install(install_data(Address::ZERO, vec![]))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::NoLimitsProvided(abi::NoLimitsProvided {}));
    assert!(!hook.sender(account).is_initialized(account));
}

#[motsu::test]
fn on_install_with_51_tokens_reverts_too_many_tokens(hook: Contract<Hook>, account: Address) {
    let limits: Vec<TokenLimitInit> = (0..51u8)
        .map(|i| limit(Address::with_last_byte(i), 1, 60))
        .collect();
    let err = hook
        .sender(account)
        .on_install(install_data(Address::ZERO, limits))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::TooManyTokens(abi::TooManyTokens { max: u(50) })
    );
    let limits: Vec<TokenLimitInit> = (0..50u8)
        .map(|i| limit(Address::with_last_byte(i), 1, 60))
        .collect();
    hook.sender(account)
        .on_install(install_data(Address::ZERO, limits))
        .motsu_unwrap();
}

#[motsu::test]
fn on_install_with_a_duplicate_token_reverts_duplicate_token(
    hook: Contract<Hook>,
    account: Address,
) {
    let err = hook
        .sender(account)
        .on_install(install_data(
            Address::ZERO,
            vec![limit(TOKEN, 1, 60), limit(TOKEN, 2, 60)],
        ))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::DuplicateToken(abi::DuplicateToken { token: TOKEN })
    );
    assert!(!hook.sender(account).is_initialized(account));
    assert_eq!(
        config(&hook, account, TOKEN).0,
        U256::ZERO,
        "nothing of the failed install remains"
    );
}

#[motsu::test]
fn zero_limit_reverts_limit_cannot_be_zero(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .on_install(install_data(Address::ZERO, vec![limit(TOKEN, 0, 60)]))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::LimitCannotBeZero(abi::LimitCannotBeZero {}));
    install_default(&hook, account, Address::ZERO);
    let err = hook
        .sender(account)
        .set_spending_limit(TOKEN, U256::ZERO, U48::from(60))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::LimitCannotBeZero(abi::LimitCannotBeZero {}));
}

#[motsu::test]
fn short_window_reverts_window_duration_too_short(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .on_install(install_data(Address::ZERO, vec![limit(TOKEN, 1, 59)]))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::WindowDurationTooShort(abi::WindowDurationTooShort {
            provided: U48::from(59),
            minimum: U48::from(60)
        })
    );
    install_default(&hook, account, Address::ZERO);
    let err = hook
        .sender(account)
        .set_spending_limit(TOKEN, u(1), U48::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, HookError::WindowDurationTooShort(_)));
    hook.sender(account)
        .set_spending_limit(TOKEN, u(1), U48::from(60))
        .motsu_unwrap();
}

#[motsu::test]
fn malformed_install_data_reverts_decoding_error(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .on_install(Bytes::from(vec![1, 2, 3]))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::decoding());
}

#[motsu::test]
fn on_uninstall_forgets_everything(hook: Contract<Hook>, account: Address, mux: Address) {
    install_default(&hook, account, mux);
    pre_check(&hook, account, &exec_single(TOKEN, 5, &transfer(100))).motsu_unwrap();
    hook.sender(account)
        .on_uninstall(Bytes::from(vec![0xde, 0xad]))
        .motsu_unwrap();
    assert!(!hook.sender(account).is_initialized(account));
    assert_eq!(
        hook.sender(account).trusted_forwarder(account),
        Address::ZERO
    );
    for token in [NATIVE, TOKEN] {
        assert_eq!(
            config(&hook, account, token),
            (U256::ZERO, U256::ZERO, 0, 0)
        );
    }
    // Reinstalling yields exactly the new configuration, with fresh counters.
    hook.sender(account)
        .on_install(install_data(Address::ZERO, vec![limit(OTHER_TOKEN, 7, 60)]))
        .motsu_unwrap();
    assert_eq!(config(&hook, account, TOKEN).0, U256::ZERO);
    assert_eq!(
        config(&hook, account, OTHER_TOKEN),
        (u(7), U256::ZERO, 60, NOW)
    );
}

#[motsu::test]
fn on_uninstall_never_reverts(hook: Contract<Hook>, account: Address) {
    hook.sender(account)
        .on_uninstall(Bytes::from(Vec::new()))
        .motsu_unwrap();
    hook.sender(account)
        .on_uninstall(Bytes::from(Vec::new()))
        .motsu_unwrap();
    assert!(!hook.sender(account).is_initialized(account));
}

#[motsu::test]
fn is_module_type_is_true_only_for_hooks(hook: Contract<Hook>, anyone: Address) {
    for type_id in [0u64, 1, 2, 3, 5, 6, 7, 8] {
        assert!(
            !hook.sender(anyone).is_module_type(u(type_id)),
            "type {type_id}"
        );
    }
    assert!(hook.sender(anyone).is_module_type(u(4)));
    assert!(!hook.sender(anyone).is_module_type(U256::MAX));
}

#[motsu::test]
fn configs_returns_limit_spent_duration_start_in_that_order(
    hook: Contract<Hook>,
    account: Address,
) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(250))).motsu_unwrap();
    let (limit, spent, duration, start) = hook.sender(account).configs(account, TOKEN);
    assert_eq!(
        (limit, spent, duration, start),
        (u(1_000), u(250), U48::from(3_600), U48::from(NOW))
    );
}

#[motsu::test]
fn set_spending_limit_requires_installation(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .set_spending_limit(TOKEN, u(1), U48::from(60))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::not_initialized(account));
    let err = hook
        .sender(account)
        .remove_spending_limit(TOKEN)
        .motsu_unwrap_err();
    assert_eq!(err, HookError::not_initialized(account));
}

#[motsu::test]
fn set_spending_limit_keeps_spent_and_start_of_a_tracked_token(
    hook: Contract<Hook>,
    account: Address,
) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(800))).motsu_unwrap();
    hook.sender(account)
        .set_spending_limit(TOKEN, u(500), U48::from(7_200))
        .motsu_unwrap();
    assert_eq!(config(&hook, account, TOKEN), (u(500), u(800), 7_200, NOW));
    hook.assert_emitted(&abi::SpendingLimitSet {
        account,
        token: TOKEN,
        limit: u(500),
        windowDuration: U48::from(7_200),
    });
    // Lowered below spent: nothing remains, and nothing underflows.
    assert_eq!(
        hook.sender(account).get_remaining_allowance(account, TOKEN),
        U256::ZERO
    );
    let err = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(1))).unwrap_err();
    assert_eq!(err, HookError::exceeded(TOKEN, u(1), U256::ZERO));
}

#[motsu::test]
fn set_spending_limit_starts_a_new_token_fresh(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account)
        .set_spending_limit(OTHER_TOKEN, u(42), U48::from(60))
        .motsu_unwrap();
    assert_eq!(
        config(&hook, account, OTHER_TOKEN),
        (u(42), U256::ZERO, 60, NOW)
    );
}

#[motsu::test]
fn set_spending_limit_refuses_a_51st_token(hook: Contract<Hook>, account: Address) {
    let limits: Vec<TokenLimitInit> = (0..50u8)
        .map(|i| limit(Address::with_last_byte(i), 1, 60))
        .collect();
    hook.sender(account)
        .on_install(install_data(Address::ZERO, limits))
        .motsu_unwrap();
    let err = hook
        .sender(account)
        .set_spending_limit(OTHER_TOKEN, u(1), U48::from(60))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::TooManyTokens(abi::TooManyTokens { max: u(50) })
    );
    // Removing one makes room again.
    hook.sender(account)
        .remove_spending_limit(Address::with_last_byte(3))
        .motsu_unwrap();
    hook.sender(account)
        .set_spending_limit(OTHER_TOKEN, u(1), U48::from(60))
        .motsu_unwrap();
}

#[motsu::test]
fn remove_spending_limit_deletes_and_emits(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account)
        .remove_spending_limit(TOKEN)
        .motsu_unwrap();
    hook.assert_emitted(&abi::SpendingLimitRemoved {
        account,
        token: TOKEN,
    });
    assert_eq!(
        config(&hook, account, TOKEN),
        (U256::ZERO, U256::ZERO, 0, 0)
    );
    // The token is unlimited from now on.
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(1_000_000))).motsu_unwrap();
}

#[motsu::test]
fn remove_spending_limit_of_an_untracked_token_is_a_no_op(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    let events_before = hook.all_events().len();
    hook.sender(account)
        .remove_spending_limit(OTHER_TOKEN)
        .motsu_unwrap();
    assert_eq!(hook.all_events().len(), events_before);
}

#[motsu::test]
fn get_remaining_allowance_rules(hook: Contract<Hook>, account: Address) {
    assert_eq!(
        hook.sender(account).get_remaining_allowance(account, TOKEN),
        U256::ZERO,
        "unconfigured"
    );
    install_default(&hook, account, Address::ZERO);
    assert_eq!(
        hook.sender(account).get_remaining_allowance(account, TOKEN),
        u(1_000)
    );
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(300))).motsu_unwrap();
    assert_eq!(
        hook.sender(account).get_remaining_allowance(account, TOKEN),
        u(700)
    );
    assert_eq!(
        hook.sender(account)
            .get_remaining_allowance(account, OTHER_TOKEN),
        U256::ZERO
    );
}

#[motsu::test]
fn trusted_forwarder_setters_are_keyed_by_the_caller(
    hook: Contract<Hook>,
    account: Address,
    mux: Address,
    other: Address,
) {
    assert!(
        hook.sender(account)
            .is_trusted_forwarder(Address::ZERO, account),
        "modulekit: unset trusts zero"
    );
    hook.sender(account).set_trusted_forwarder(mux);
    assert_eq!(hook.sender(other).trusted_forwarder(account), mux);
    assert!(hook.sender(other).is_trusted_forwarder(mux, account));
    assert!(!hook.sender(other).is_trusted_forwarder(mux, other));
    assert_eq!(hook.sender(other).trusted_forwarder(other), Address::ZERO);
    hook.sender(account).clear_trusted_forwarder();
    assert_eq!(
        hook.sender(account).trusted_forwarder(account),
        Address::ZERO
    );
    assert!(!hook.sender(account).is_trusted_forwarder(mux, account));
}

#[motsu::test]
fn setting_a_forwarder_does_not_initialize(hook: Contract<Hook>, account: Address, mux: Address) {
    hook.sender(account).set_trusted_forwarder(mux);
    assert!(!hook.sender(account).is_initialized(account));
    install_default(&hook, account, Address::ZERO);
    hook.sender(account).clear_trusted_forwarder();
    assert!(
        hook.sender(account).is_initialized(account),
        "clearing the forwarder keeps the installation"
    );
    assert_eq!(config(&hook, account, TOKEN).0, u(1_000));
}

#[motsu::test]
fn name_and_version(hook: Contract<Hook>, anyone: Address) {
    assert_eq!(hook.sender(anyone).name(), "SpendingLimitHook");
    let version = hook.sender(anyone).version();
    let parts: Vec<&str> = version.split('.').collect();
    assert_eq!(parts.len(), 3, "semver: {version}");
    assert!(
        parts.iter().all(|p| p.parse::<u64>().is_ok()),
        "semver: {version}"
    );
}

#[motsu::test]
fn accounts_are_isolated(hook: Contract<Hook>, alice: Address, bob: Address) {
    install_default(&hook, alice, Address::ZERO);
    install_default(&hook, bob, Address::ZERO);
    pre_check(&hook, alice, &exec_single(TOKEN, 0, &transfer(1_000))).motsu_unwrap();
    assert_eq!(spent(&hook, bob, TOKEN), U256::ZERO);
    hook.sender(bob)
        .on_uninstall(Bytes::from(Vec::new()))
        .motsu_unwrap();
    assert_eq!(spent(&hook, alice, TOKEN), u(1_000));
    assert!(hook.sender(alice).is_initialized(alice));
}
