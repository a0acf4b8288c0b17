//! Account policies beyond the reference: an emergency pause, denying tokens
//! without a limit, per-call caps, extra windows, lifetime caps and budgets
//! on top of the window limit.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

mod common;

use alloy_primitives::{
    aliases::{U48, U96},
    Address, B256, U256,
};
use alloy_sol_types::SolCall;
use common::*;
use motsu::prelude::*;
use spending_limit_hook::abi::{self, IERC777};
use spending_limit_hook::error::HookError;
use spending_limit_hook::window::{Kind, Spec};
use spending_limit_testkit::harness::Hook;

fn paused() -> HookError {
    HookError::policy(abi::AccountPaused {})
}

#[motsu::test]
fn pause_blocks_every_outflow_until_lifted(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account).set_paused(true).motsu_unwrap();
    hook.assert_emitted(&abi::PausedSet {
        account,
        paused: true,
    });
    assert_eq!(hook.sender(account).account_policy(account), (true, false));
    // A token limited during the pause is paused with the others.
    let late = Address::repeat_byte(0x72);
    hook.sender(account)
        .set_spending_limit(late, u(1_000), U48::from(3_600))
        .motsu_unwrap();
    let grant = IERC777::authorizeOperatorCall {
        operator: RECIPIENT,
    }
    .abi_encode();
    for msg in [
        exec_single(TOKEN, 0, &transfer(1)),
        exec_single(OTHER_TOKEN, 0, &transfer(1)),
        exec_single(RECIPIENT, 1, &[]),
        exec_batch(&[(RECIPIENT, 0, vec![]), (TOKEN, 0, approve(5))]),
        exec_single(OTHER_TOKEN, 0, &grant),
        exec_single(late, 0, &transfer(1)),
    ] {
        assert_eq!(pre_check(&hook, account, &msg).unwrap_err(), paused());
    }
    // Calls that move nothing still pass.
    pre_check(&hook, account, &exec_single(RECIPIENT, 0, &[1, 2, 3, 4])).motsu_unwrap();
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(0))).motsu_unwrap();
    hook.sender(account).set_paused(false).motsu_unwrap();
    for token in [TOKEN, late] {
        pre_check(&hook, account, &exec_single(token, 0, &transfer(1))).motsu_unwrap();
        assert_eq!(spent(&hook, account, token), u(1));
    }
}

#[motsu::test]
fn tokens_without_a_limit_can_be_denied(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(OTHER_TOKEN, 0, &transfer(5))).motsu_unwrap();
    hook.sender(account)
        .set_deny_unknown_tokens(true)
        .motsu_unwrap();
    hook.assert_emitted(&abi::UnknownTokensDeniedSet {
        account,
        denied: true,
    });
    let err = pre_check(&hook, account, &exec_single(OTHER_TOKEN, 0, &transfer(5))).unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::TokenNotAllowed { token: OTHER_TOKEN })
    );
    let grant = IERC777::authorizeOperatorCall {
        operator: RECIPIENT,
    }
    .abi_encode();
    assert!(pre_check(&hook, account, &exec_single(OTHER_TOKEN, 0, &grant)).is_err());
    // Limited tokens and native value (limited by the default install) still pass.
    pre_check(&hook, account, &exec_single(TOKEN, 3, &transfer(5))).motsu_unwrap();
    hook.sender(account)
        .remove_spending_limit(NATIVE)
        .motsu_unwrap();
    let err = pre_check(&hook, account, &exec_single(RECIPIENT, 3, &[])).unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::TokenNotAllowed { token: NATIVE })
    );
}

#[motsu::test]
fn per_call_caps_bound_each_execution(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account)
        .set_max_per_call(TOKEN, u(100))
        .motsu_unwrap();
    hook.assert_emitted(&abi::MaxPerCallSet {
        account,
        token: TOKEN,
        maxPerCall: u(100),
    });
    assert_eq!(hook.sender(account).max_per_call(account, TOKEN), u(100));
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(100))).motsu_unwrap();
    let err = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(101))).unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::PerCallCapExceeded {
            token: TOKEN,
            attempted: u(101),
            cap: u(100)
        })
    );
    // Each item of a batch is one call: many small ones pass, up to the window limit.
    pre_check(
        &hook,
        account,
        &exec_batch(&[(TOKEN, 0, transfer(100)), (TOKEN, 0, transfer(100))]),
    )
    .motsu_unwrap();
    assert_eq!(spent(&hook, account, TOKEN), u(300));
    // Updating the limit keeps the cap; 0 removes it.
    hook.sender(account)
        .set_spending_limit(TOKEN, u(5_000), alloy_primitives::aliases::U48::from(60))
        .motsu_unwrap();
    assert!(pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(101))).is_err());
    hook.sender(account)
        .set_max_per_call(TOKEN, U256::ZERO)
        .motsu_unwrap();
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(101))).motsu_unwrap();
}

#[motsu::test]
fn a_cap_needs_a_limited_token_and_an_installed_account(hook: Contract<Hook>, account: Address) {
    let err = hook
        .sender(account)
        .set_max_per_call(TOKEN, u(1))
        .motsu_unwrap_err();
    assert_eq!(err, HookError::not_initialized(account));
    assert_eq!(
        hook.sender(account).set_paused(true).motsu_unwrap_err(),
        HookError::not_initialized(account)
    );
    install_default(&hook, account, Address::ZERO);
    let err = hook
        .sender(account)
        .set_max_per_call(OTHER_TOKEN, u(1))
        .motsu_unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::TokenNotLimited { token: OTHER_TOKEN })
    );
}

#[motsu::test]
fn uninstall_and_removal_forget_policies(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account)
        .set_max_per_call(TOKEN, u(10))
        .motsu_unwrap();
    hook.sender(account).set_paused(true).motsu_unwrap();
    hook.sender(account)
        .set_deny_unknown_tokens(true)
        .motsu_unwrap();
    hook.sender(account)
        .remove_spending_limit(TOKEN)
        .motsu_unwrap();
    assert_eq!(
        hook.sender(account).max_per_call(account, TOKEN),
        U256::ZERO
    );
    hook.sender(account)
        .on_uninstall(alloy_primitives::Bytes::from(vec![]))
        .motsu_unwrap();
    assert_eq!(hook.sender(account).account_policy(account), (false, false));
    install_default(&hook, account, Address::ZERO);
    assert_eq!(
        hook.sender(account).max_per_call(account, TOKEN),
        U256::ZERO
    );
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(500))).motsu_unwrap();
}

fn window(kind: Kind, limit: u128, duration: u64) -> Spec {
    Spec {
        kind,
        limit,
        duration,
        anchor: 0,
    }
}

#[motsu::test]
fn a_second_window_and_a_lifetime_cap_on_top_of_the_reference_window(
    hook: Contract<Hook>,
    account: Address,
) {
    install_default(&hook, account, Address::ZERO);
    // 1,000 an hour (the reference window), but only 1,500 a day, sliding.
    let daily = window(Kind::Sliding, 1_500, DAY);
    hook.sender(account)
        .set_windows(TOKEN, &[daily])
        .motsu_unwrap();
    hook.assert_emitted(&abi::TokenWindowSet {
        account,
        token: TOKEN,
        index: U256::ZERO,
        kind: 2,
        limit: 1_500,
        duration: U48::from(DAY),
        anchor: U48::ZERO,
    });
    hook.sender(account)
        .set_lifetime_cap(TOKEN, 950)
        .motsu_unwrap();
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(900))).motsu_unwrap();
    let err = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(51))).unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::LifetimeCapExceeded {
            token: TOKEN,
            attempted: u(51),
            remaining: u(50)
        })
    );
    let policy = hook.sender(account).token_policy(account, TOKEN);
    assert_eq!((policy.lifetimeCap, policy.lifetimeSpent), (950, 900));
    assert_eq!(policy.windows[0].spent, 900);
    assert_eq!(policy.windows[0].remaining, 600);
    // The reference views keep the reference's meaning.
    assert_eq!(
        hook.sender(account).get_remaining_allowance(account, TOKEN),
        u(100)
    );
    // The dry run reports the policy's error too.
    let (pass, revert) = hook
        .sender(account)
        .preview_pre_check(account, &exec_single(TOKEN, 0, &transfer(51)));
    assert!(!pass);
    assert_eq!(revert, err.encode());
}

#[motsu::test]
fn a_budget_shared_by_two_tokens(hook: Contract<Hook>, account: Address) {
    install_default(&hook, account, Address::ZERO);
    hook.sender(account)
        .set_spending_limit(OTHER_TOKEN, u(1_000_000), U48::from(DAY))
        .motsu_unwrap();
    let id = B256::repeat_byte(0xb1);
    let members = [(TOKEN, 10), (OTHER_TOKEN, 1)];
    hook.sender(account)
        .set_budget(id, &members, &[window(Kind::Fixed, 5_000, DAY)])
        .motsu_unwrap();
    hook.assert_emitted(&abi::BudgetSet {
        account,
        budget: id,
        tokenCount: u(2),
        windowCount: u(1),
    });
    let batch = exec_batch(&[(TOKEN, 0, transfer(300)), (OTHER_TOKEN, 0, transfer(2_000))]);
    pre_check(&hook, account, &batch).motsu_unwrap();
    let err = pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(1))).unwrap_err();
    assert_eq!(
        err,
        HookError::policy(abi::BudgetExceeded {
            budget: id,
            attempted: u(10),
            remaining: u(0)
        })
    );
    assert_eq!(hook.sender(account).budgets(account), vec![id]);
    let view = hook.sender(account).budget_state(account, id);
    assert_eq!(view.tokens, [TOKEN, OTHER_TOKEN]);
    assert_eq!(view.scales, [U96::from(10), U96::from(1)]);
    assert_eq!(view.windows[0].spent, 5_000);
    // Removing TOKEN's limit takes it out of the budget.
    hook.sender(account)
        .remove_spending_limit(TOKEN)
        .motsu_unwrap();
    let view = hook.sender(account).budget_state(account, id);
    assert_eq!(view.tokens, [OTHER_TOKEN]);
    assert_eq!(view.scales, [U96::from(1)]);
    hook.sender(account).remove_budget(id).motsu_unwrap();
    hook.assert_emitted(&abi::BudgetRemoved {
        account,
        budget: id,
    });
    pre_check(
        &hook,
        account,
        &exec_single(OTHER_TOKEN, 0, &transfer(10_000)),
    )
    .motsu_unwrap();
}
