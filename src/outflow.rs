//! What one execution takes out of the account: native value and token amounts.
//!
//! [`TOKEN_CALLS`] is the table of token-moving selectors: for each, which
//! token moves (the call's target, or an argument) and which calldata word
//! holds the amount. Approvals count as spends of their full amount: an
//! allowance is spending power, and one never credited back cannot be abused
//! by approve-and-drain loops. An amount of 0 is no outflow. A call that grants
//! unbounded control (an ERC-777 operator) cannot be charged at all and is
//! refused on tracked tokens. Every other call is not a token outflow here.

use alloy_primitives::{Address, U256};
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

/// One row of the selector table.
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

const fn charge(
    selector: [u8; 4],
    signature: &'static str,
    token: TokenArg,
    amount_word: usize,
) -> TokenCall {
    TokenCall {
        selector,
        signature,
        token,
        effect: Effect::Charge { amount_word },
    }
}

/// Every token-moving call the hook knows.
pub const TOKEN_CALLS: &[TokenCall] = &[
    charge(
        IERC20::transferCall::SELECTOR,
        IERC20::transferCall::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC20::approveCall::SELECTOR,
        IERC20::approveCall::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC20::transferFromCall::SELECTOR,
        IERC20::transferFromCall::SIGNATURE,
        TokenArg::Target,
        2,
    ),
    charge(
        IERC20::increaseAllowanceCall::SELECTOR,
        IERC20::increaseAllowanceCall::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC1363::transferAndCall_0Call::SELECTOR,
        IERC1363::transferAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC1363::transferAndCall_1Call::SELECTOR,
        IERC1363::transferAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC1363::transferFromAndCall_0Call::SELECTOR,
        IERC1363::transferFromAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        2,
    ),
    charge(
        IERC1363::transferFromAndCall_1Call::SELECTOR,
        IERC1363::transferFromAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        2,
    ),
    charge(
        IERC1363::approveAndCall_0Call::SELECTOR,
        IERC1363::approveAndCall_0Call::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC1363::approveAndCall_1Call::SELECTOR,
        IERC1363::approveAndCall_1Call::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC777::sendCall::SELECTOR,
        IERC777::sendCall::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IERC777::operatorSendCall::SELECTOR,
        IERC777::operatorSendCall::SIGNATURE,
        TokenArg::Target,
        2,
    ),
    charge(
        IDai::pushCall::SELECTOR,
        IDai::pushCall::SIGNATURE,
        TokenArg::Target,
        1,
    ),
    charge(
        IDai::moveCall::SELECTOR,
        IDai::moveCall::SIGNATURE,
        TokenArg::Target,
        2,
    ),
    charge(
        IPermit2::approveCall::SELECTOR,
        IPermit2::approveCall::SIGNATURE,
        TokenArg::Word(0),
        2,
    ),
    charge(
        IPermit2::transferFromCall::SELECTOR,
        IPermit2::transferFromCall::SIGNATURE,
        TokenArg::Word(3),
        2,
    ),
    TokenCall {
        selector: IERC777::authorizeOperatorCall::SELECTOR,
        signature: IERC777::authorizeOperatorCall::SIGNATURE,
        token: TokenArg::Target,
        effect: Effect::Refuse,
    },
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
    let Some(row) = TOKEN_CALLS.iter().find(|row| row.selector == selector) else {
        return Classified::Other;
    };
    let args = calldata::tail(call_data, 4).unwrap_or_default();
    let token = match row.token {
        TokenArg::Target => Some(target),
        // The low 20 bytes, as the token contract would read them.
        TokenArg::Word(n) => calldata::word(args, n.saturating_mul(WORD))
            .ok()
            .map(|w| low_address(w)),
    };
    let Some(token) = token else {
        return Classified::Other;
    };
    match row.effect {
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
