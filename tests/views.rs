//! The views beyond the reference (`ISpendingLimitPolicy`): a dry run of
//! preCheck for agents, and the list of limited tokens for frontends.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
use common::*;
use motsu::prelude::*;
use spending_limit_hook::abi;
use spending_limit_testkit::harness::Hook;

#[motsu::test]
fn preview_answers_what_pre_check_would_and_changes_nothing(
    hook: Contract<Hook>,
    account: Address,
    agent: Address,
) {
    install_default(&hook, account, Address::ZERO);
    pre_check(&hook, account, &exec_single(TOKEN, 0, &transfer(900))).motsu_unwrap();
    let events = hook.all_events().len();

    let fits = exec_single(TOKEN, 0, &transfer(100));
    assert_eq!(
        hook.sender(agent).preview_pre_check(account, &fits),
        (true, vec![])
    );
    let too_much = exec_single(TOKEN, 0, &transfer(101));
    let expected = abi::SpendingLimitExceeded {
        token: TOKEN,
        attempted: u(101),
        remaining: u(100),
    }
    .abi_encode();
    assert_eq!(
        hook.sender(agent).preview_pre_check(account, &too_much),
        (false, expected)
    );
    // Nothing was charged or logged by either preview.
    assert_eq!(spent(&hook, account, TOKEN), u(900));
    assert_eq!(hook.all_events().len(), events);
    // Refusals that need no state, and unknown accounts, come out the same way.
    let delegate = spending_limit_hook::encode::execute(
        spending_limit_hook::encode::mode(spending_limit_hook::encode::CallType::DelegateCall, 0),
        TOKEN.to_vec(),
    );
    assert_eq!(
        hook.sender(agent).preview_pre_check(account, &delegate),
        (false, abi::DelegateCallNotAllowed {}.abi_encode())
    );
    assert_eq!(
        hook.sender(agent).preview_pre_check(agent, &fits),
        (
            false,
            abi::NotInitialized {
                smartAccount: agent
            }
            .abi_encode()
        )
    );
    // And the real call then does what the preview said.
    pre_check(&hook, account, &fits).motsu_unwrap();
    assert_eq!(spent(&hook, account, TOKEN), U256::from(1_000));
}

#[motsu::test]
fn tracked_tokens_lists_the_limited_tokens(hook: Contract<Hook>, account: Address) {
    assert_eq!(
        hook.sender(account).tracked_tokens(account),
        Vec::<Address>::new()
    );
    install_default(&hook, account, Address::ZERO);
    assert_eq!(
        hook.sender(account).tracked_tokens(account),
        vec![NATIVE, TOKEN]
    );
    hook.sender(account)
        .remove_spending_limit(NATIVE)
        .motsu_unwrap();
    assert_eq!(hook.sender(account).tracked_tokens(account), vec![TOKEN]);
    hook.sender(account)
        .on_uninstall(alloy_primitives::Bytes::from(vec![]))
        .motsu_unwrap();
    assert_eq!(
        hook.sender(account).tracked_tokens(account),
        Vec::<Address>::new()
    );
}
