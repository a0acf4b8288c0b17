//! What one execution takes out of the account: native value and token amounts.
//!
//! [`rule`] says, for each token-moving selector, which token moves (the
//! call's target, or an argument) and which calldata word holds the amount;
//! `TOKEN_CALLS` documents the same rows with their signatures. Approvals count as spends of their full amount: an
//! allowance is spending power, and one never credited back cannot be abused
//! by approve-and-drain loops. An amount of 0 is no outflow. A call that grants
//! unbounded control (an ERC-777 operator) cannot be charged at all and is
//! refused on tracked tokens. Every other call is not a token outflow here.

use alloy_primitives::{Address, U256};
#[cfg(not(target_arch = "wasm32"))]
use alloy_sol_types::SolCall;

use crate::abi::{IDai, IPermit2, IERC1363, IERC20, IERC777};
use crate::calldata::{self, WORD};
use crate::execution::Execution;

/// The token address that stands for the chain's native currency.
pub const NATIVE: Address = Address::ZERO;

/// An amount of one token leaving the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outflow {
    /// The token, or [`NATIVE`].
    pub token: Address,
    /// The amount, never zero.
    pub amount: U256,
}

/// Which token a call moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenArg {
    /// The contract called.
    Target,
    /// The address argument at this word (Permit2).
    Word(usize),
}

/// What a token call does to the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Charges the amount in this argument word.
    Charge {
        /// Index of the amount's argument word.
        amount_word: usize,
    },
    /// Cannot be charged (unbounded); refused when the token is tracked.
    Refuse,
}

/// One row of the documented selector table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCall {
    /// The function's selector.
    pub selector: [u8; 4],
    /// Its signature, for documentation and tests.
    pub signature: &'static str,
    /// The token it moves.
    pub token: TokenArg,
    /// What it does to the budget.
    pub effect: Effect,
}

/// How `selector` moves tokens, if it does. A `match` rather than a table
/// in memory: the program carries no data for it (every byte of data costs
/// gas on every call), and [`TOKEN_CALLS`] documents the same rows.
pub fn rule(selector: [u8; 4]) -> Option<(TokenArg, Effect)> {
    const fn charge(amount_word: usize) -> Effect {
        Effect::Charge { amount_word }
    }
    calldata::selector_ids! {
        TRANSFER = IERC20::transferCall;
        APPROVE = IERC20::approveCall;
        INCREASE_ALLOWANCE = IERC20::increaseAllowanceCall;
        TRANSFER_AND_CALL = IERC1363::transferAndCall_0Call;
        TRANSFER_AND_CALL_DATA = IERC1363::transferAndCall_1Call;
        APPROVE_AND_CALL = IERC1363::approveAndCall_0Call;
        APPROVE_AND_CALL_DATA = IERC1363::approveAndCall_1Call;
        SEND = IERC777::sendCall;
        PUSH = IDai::pushCall;
        TRANSFER_FROM = IERC20::transferFromCall;
        TRANSFER_FROM_AND_CALL = IERC1363::transferFromAndCall_0Call;
        TRANSFER_FROM_AND_CALL_DATA = IERC1363::transferFromAndCall_1Call;
        OPERATOR_SEND = IERC777::operatorSendCall;
        MOVE = IDai::moveCall;
        PERMIT2_APPROVE = IPermit2::approveCall;
        PERMIT2_TRANSFER_FROM = IPermit2::transferFromCall;
        AUTHORIZE_OPERATOR = IERC777::authorizeOperatorCall;
    }
    Some(match u32::from_be_bytes(selector) {
        TRANSFER
        | APPROVE
        | INCREASE_ALLOWANCE
        | TRANSFER_AND_CALL
        | TRANSFER_AND_CALL_DATA
        | APPROVE_AND_CALL
        | APPROVE_AND_CALL_DATA
        | SEND
        | PUSH => (TokenArg::Target, charge(1)),
        TRANSFER_FROM
        | TRANSFER_FROM_AND_CALL
        | TRANSFER_FROM_AND_CALL_DATA
        | OPERATOR_SEND
        | MOVE => (TokenArg::Target, charge(2)),
        PERMIT2_APPROVE => (TokenArg::Word(0), charge(2)),
        PERMIT2_TRANSFER_FROM => (TokenArg::Word(3), charge(2)),
        AUTHORIZE_OPERATOR => (TokenArg::Target, Effect::Refuse),
        _ => return None,
    })
}

#[cfg(not(target_arch = "wasm32"))]
const fn row(
    selector: [u8; 4],
    signature: &'static str,
    token: TokenArg,
    effect: Effect,
) -> TokenCall {
    TokenCall {
        selector,
        signature,
        token,
        effect,
    }
}

#[cfg(not(target_arch = "wasm32"))]
const fn charges(amount_word: usize) -> Effect {
    Effect::Charge { amount_word }
}

/// Every token-moving call the hook knows, for documentation and tests (the
/// program itself uses [`rule`]; a test holds the two to each other).
#[cfg(not(target_arch = "wasm32"))]
pub const TOKEN_CALLS: &[TokenCall] = &[
    row(
        IERC20::transferCall::SELECTOR,
        IERC20::transferCall::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC20::approveCall::SELECTOR,
        IERC20::approveCall::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC20::transferFromCall::SELECTOR,
        IERC20::transferFromCall::SIGNATURE,
        TokenArg::Target,
        charges(2),
    ),
    row(
        IERC20::increaseAllowanceCall::SELECTOR,
        IERC20::increaseAllowanceCall::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC1363::transferAndCall_0Call::SELECTOR,
        IERC1363::transferAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC1363::transferAndCall_1Call::SELECTOR,
        IERC1363::transferAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC1363::transferFromAndCall_0Call::SELECTOR,
        IERC1363::transferFromAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        charges(2),
    ),
    row(
        IERC1363::transferFromAndCall_1Call::SELECTOR,
        IERC1363::transferFromAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        charges(2),
    ),
    row(
        IERC1363::approveAndCall_0Call::SELECTOR,
        IERC1363::approveAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC1363::approveAndCall_1Call::SELECTOR,
        IERC1363::approveAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC777::sendCall::SELECTOR,
        IERC777::sendCall::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IERC777::operatorSendCall::SELECTOR,
        IERC777::operatorSendCall::SIGNATURE,
        TokenArg::Target,
        charges(2),
    ),
    row(
        IDai::pushCall::SELECTOR,
        IDai::pushCall::SIGNATURE,
        TokenArg::Target,
        charges(1),
    ),
    row(
        IDai::moveCall::SELECTOR,
        IDai::moveCall::SIGNATURE,
        TokenArg::Target,
        charges(2),
    ),
    row(
        IPermit2::approveCall::SELECTOR,
        IPermit2::approveCall::SIGNATURE,
        TokenArg::Word(0),
        charges(2),
    ),
    row(
        IPermit2::transferFromCall::SELECTOR,
        IPermit2::transferFromCall::SIGNATURE,
        TokenArg::Word(3),
        charges(2),
    ),
    row(
        IERC777::authorizeOperatorCall::SELECTOR,
        IERC777::authorizeOperatorCall::SIGNATURE,
        TokenArg::Target,
        Effect::Refuse,
    ),
];

/// What a token call means for the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classified {
    /// Not a known token call.
    Other,
    /// Moves `amount` (possibly 0) of `token`.
    Moves(Outflow),
    /// Grants unbounded control over `token`.
    Unbounded(Address),
}

/// Classifies `call_data` sent to `target`. Calldata too short to hold the
/// arguments is not a token call (the token would revert on it).
pub fn classify(target: Address, call_data: &[u8]) -> Classified {
    let Some(selector) = calldata::selector(call_data) else {
        return Classified::Other;
    };
    let Some((token_arg, effect)) = rule(selector) else {
        return Classified::Other;
    };
    let args = calldata::tail(call_data, 4).unwrap_or_default();
    let token = match token_arg {
        TokenArg::Target => Some(target),
        // The low 20 bytes, as the token contract would read them.
        TokenArg::Word(n) => calldata::word(args, n.saturating_mul(WORD))
            .ok()
            .map(low_address),
    };
    let Some(token) = token else {
        return Classified::Other;
    };
    match effect {
        Effect::Refuse => Classified::Unbounded(token),
        Effect::Charge { amount_word } => {
            match calldata::uint_at(args, amount_word.saturating_mul(WORD)) {
                Ok(amount) => Classified::Moves(Outflow { token, amount }),
                Err(_) => Classified::Other,
            }
        }
    }
}

fn low_address(word: &[u8; 32]) -> Address {
    let (_, low) = word.split_last_chunk::<20>().unwrap_or((&[], &[0u8; 20]));
    Address::from(*low)
}

/// The native outflow of `execution`, if it sends value.
pub fn native(execution: &Execution<'_>) -> Option<Outflow> {
    (!execution.value.is_zero()).then_some(Outflow {
        token: NATIVE,
        amount: execution.value,
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;
    use alloy_primitives::aliases::{U160, U48};
    use alloy_primitives::keccak256;

    const TOKEN: Address = Address::repeat_byte(9);
    const TO: Address = Address::repeat_byte(1);

    fn moves(token: Address, amount: u64) -> Classified {
        Classified::Moves(Outflow {
            token,
            amount: U256::from(amount),
        })
    }

    #[test]
    fn the_documented_table_is_the_rule_the_program_applies() {
        for row in TOKEN_CALLS {
            assert_eq!(
                rule(row.selector),
                Some((row.token, row.effect)),
                "{}",
                row.signature
            );
        }
        // Nothing else moves tokens: no other selector of a large sample has a rule.
        for seed in 0u32..5_000 {
            let selector = seed.wrapping_mul(2_654_435_761).to_be_bytes();
            if TOKEN_CALLS.iter().all(|r| r.selector != selector) {
                assert_eq!(rule(selector), None);
            }
        }
    }

    #[test]
    fn every_row_selector_is_the_hash_of_its_signature() {
        for row in TOKEN_CALLS {
            assert_eq!(
                row.selector,
                keccak256(row.signature.as_bytes())[..4],
                "{}",
                row.signature
            );
        }
        let mut selectors: Vec<_> = TOKEN_CALLS.iter().map(|r| r.selector).collect();
        selectors.sort();
        selectors.dedup();
        assert_eq!(selectors.len(), TOKEN_CALLS.len(), "no selector twice");
    }

    #[test]
    fn erc20_and_aliases_charge_their_amount_on_the_target() {
        let a = U256::from(123);
        let data = vec![
            IERC20::transferCall { to: TO, amount: a }.abi_encode(),
            IERC20::approveCall {
                spender: TO,
                amount: a,
            }
            .abi_encode(),
            IERC20::transferFromCall {
                from: TO,
                to: TO,
                amount: a,
            }
            .abi_encode(),
            IERC20::increaseAllowanceCall {
                spender: TO,
                addedValue: a,
            }
            .abi_encode(),
            IERC1363::transferAndCall_0Call { to: TO, amount: a }.abi_encode(),
            IERC1363::transferAndCall_1Call {
                to: TO,
                amount: a,
                data: vec![1, 2].into(),
            }
            .abi_encode(),
            IERC1363::transferFromAndCall_0Call {
                from: TO,
                to: TO,
                amount: a,
            }
            .abi_encode(),
            IERC1363::transferFromAndCall_1Call {
                from: TO,
                to: TO,
                amount: a,
                data: vec![].into(),
            }
            .abi_encode(),
            IERC1363::approveAndCall_0Call {
                spender: TO,
                amount: a,
            }
            .abi_encode(),
            IERC1363::approveAndCall_1Call {
                spender: TO,
                amount: a,
                data: vec![3].into(),
            }
            .abi_encode(),
            IERC777::sendCall {
                to: TO,
                amount: a,
                data: vec![].into(),
            }
            .abi_encode(),
            IERC777::operatorSendCall {
                from: TO,
                to: TO,
                amount: a,
                data: vec![].into(),
                operatorData: vec![].into(),
            }
            .abi_encode(),
            IDai::pushCall { usr: TO, wad: a }.abi_encode(),
            IDai::moveCall {
                src: TO,
                dst: TO,
                wad: a,
            }
            .abi_encode(),
        ];
        for call in data {
            assert_eq!(
                classify(TOKEN, &call),
                moves(TOKEN, 123),
                "{:02x?}",
                &call[..4]
            );
        }
    }

    #[test]
    fn permit2_charges_the_token_argument() {
        let permit2 = Address::repeat_byte(0x22);
        let approve = IPermit2::approveCall {
            token: TOKEN,
            spender: TO,
            amount: U160::from(77),
            expiration: U48::from(1),
        }
        .abi_encode();
        assert_eq!(classify(permit2, &approve), moves(TOKEN, 77));
        let pull = IPermit2::transferFromCall {
            from: TO,
            to: TO,
            amount: U160::from(5),
            token: TOKEN,
        }
        .abi_encode();
        assert_eq!(classify(permit2, &pull), moves(TOKEN, 5));
    }

    #[test]
    fn operator_grants_are_unbounded() {
        let call = IERC777::authorizeOperatorCall { operator: TO }.abi_encode();
        assert_eq!(classify(TOKEN, &call), Classified::Unbounded(TOKEN));
    }

    #[test]
    fn short_or_unknown_calldata_is_not_a_token_call() {
        let call = IERC20::transferCall {
            to: TO,
            amount: U256::from(5),
        }
        .abi_encode();
        assert_eq!(classify(TOKEN, &call[..67]), Classified::Other);
        let call = IERC20::transferFromCall {
            from: TO,
            to: TO,
            amount: U256::from(5),
        }
        .abi_encode();
        assert_eq!(classify(TOKEN, &call[..99]), Classified::Other);
        assert_eq!(classify(TOKEN, &call[..100]), moves(TOKEN, 5));
        assert_eq!(classify(TOKEN, &[]), Classified::Other);
        assert_eq!(
            classify(TOKEN, &[0xde, 0xad, 0xbe, 0xef, 0, 0]),
            Classified::Other
        );
    }

    #[test]
    fn native_value() {
        let e = Execution {
            target: TO,
            value: U256::from(7),
            call_data: &[],
        };
        assert_eq!(
            native(&e),
            Some(Outflow {
                token: NATIVE,
                amount: U256::from(7)
            })
        );
        let e = Execution {
            target: TO,
            value: U256::ZERO,
            call_data: &[],
        };
        assert_eq!(native(&e), None);
    }
}
