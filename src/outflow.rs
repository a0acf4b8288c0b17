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

use crate::abi::{IDai, IERC20Legacy, IPermit2, IERC1363, IERC20, IERC777};
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

/// The token calls the hook knows, once: `NAME = call type => (token, effect)`.
/// Writes [`rule`], the `match` the program runs (no table in memory: every
/// byte of the data section costs gas on every call), and, natively,
/// [`TOKEN_CALLS`], the same rows with their signatures for documentation
/// and tests.
macro_rules! token_calls {
    ($($name:ident = $call:ty => ($token:expr, $effect:expr);)*) => {
        /// How `selector` moves tokens, if it does.
        pub fn rule(selector: [u8; 4]) -> Option<(TokenArg, Effect)> {
            calldata::selector_ids! { $($name = $call;)* }
            Some(match u32::from_be_bytes(selector) {
                $($name => ($token, $effect),)*
                _ => return None,
            })
        }

        /// Every token-moving call the hook knows, for documentation and
        /// tests (the program runs [`rule`], written from the same rows).
        #[cfg(not(target_arch = "wasm32"))]
        pub const TOKEN_CALLS: &[TokenCall] = &[$(TokenCall {
            selector: <$call as SolCall>::SELECTOR,
            signature: <$call as SolCall>::SIGNATURE,
            token: $token,
            effect: $effect,
        },)*];
    };
}

/// Charges the amount in argument word `n`.
const fn charge(amount_word: usize) -> Effect {
    Effect::Charge { amount_word }
}

use TokenArg::{Target, Word};

token_calls! {
    TRANSFER = IERC20::transferCall => (Target, charge(1));
    APPROVE = IERC20::approveCall => (Target, charge(1));
    TRANSFER_FROM = IERC20::transferFromCall => (Target, charge(2));
    INCREASE_ALLOWANCE = IERC20::increaseAllowanceCall => (Target, charge(1));
    INCREASE_APPROVAL = IERC20Legacy::increaseApprovalCall => (Target, charge(1));
    TRANSFER_AND_CALL = IERC1363::transferAndCall_0Call => (Target, charge(1));
    TRANSFER_AND_CALL_DATA = IERC1363::transferAndCall_1Call => (Target, charge(1));
    TRANSFER_FROM_AND_CALL = IERC1363::transferFromAndCall_0Call => (Target, charge(2));
    TRANSFER_FROM_AND_CALL_DATA = IERC1363::transferFromAndCall_1Call => (Target, charge(2));
    APPROVE_AND_CALL = IERC1363::approveAndCall_0Call => (Target, charge(1));
    APPROVE_AND_CALL_DATA = IERC1363::approveAndCall_1Call => (Target, charge(1));
    SEND = IERC777::sendCall => (Target, charge(1));
    OPERATOR_SEND = IERC777::operatorSendCall => (Target, charge(2));
    PUSH = IDai::pushCall => (Target, charge(1));
    MOVE = IDai::moveCall => (Target, charge(2));
    PERMIT2_APPROVE = IPermit2::approveCall => (Word(0), charge(2));
    PERMIT2_TRANSFER_FROM = IPermit2::transferFromCall => (Word(3), charge(2));
    AUTHORIZE_OPERATOR = IERC777::authorizeOperatorCall => (Target, Effect::Refuse);
}

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

/// Classifies `call_data` sent to `target`. Arguments the calldata is too
/// short for are read as zeros, as the EVM's `CALLDATALOAD` reads them: a
/// token compiled with Solidity before 0.5, which does not check the
/// calldata's length, moves exactly that amount (a transfer whose amount
/// word lacks its last byte moves the amount shifted by 8 bits), and a token
/// that checks reverts, and its charge with it.
pub fn classify(target: Address, call_data: &[u8]) -> Classified {
    let Some(selector) = calldata::selector(call_data) else {
        return Classified::Other;
    };
    let Some((token_arg, effect)) = rule(selector) else {
        return Classified::Other;
    };
    let args = calldata::tail(call_data, 4).unwrap_or_default();
    let token = match token_arg {
        TokenArg::Target => target,
        // The low 20 bytes, as the token contract would read them.
        TokenArg::Word(n) => low_address(&padded_word(args, n.saturating_mul(WORD))),
    };
    match effect {
        Effect::Refuse => Classified::Unbounded(token),
        Effect::Charge { amount_word } => {
            let word = padded_word(args, amount_word.saturating_mul(WORD));
            Classified::Moves(Outflow {
                token,
                amount: calldata::uint_from_be(&word),
            })
        }
    }
}

/// The word at `at`, its bytes past the end of `args` read as zeros.
fn padded_word(args: &[u8], at: usize) -> [u8; 32] {
    let mut word = [0u8; 32];
    let present = args.get(at..).unwrap_or_default();
    let len = present.len().min(32);
    if let (Some(dst), Some(src)) = (word.get_mut(..len), present.get(..len)) {
        dst.copy_from_slice(src);
    }
    word
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
    fn every_documented_row_is_the_rule_the_program_applies() {
        for row in TOKEN_CALLS {
            assert_eq!(
                rule(row.selector),
                Some((row.token, row.effect)),
                "{}",
                row.signature
            );
        }
    }

    /// The README's table of what each token call counts names exactly the
    /// calls of [`TOKEN_CALLS`].
    #[test]
    fn the_readme_table_lists_every_token_call() {
        let readme = include_str!("../README.md");
        let table = readme
            .split("## What each token call counts")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("the README has the table");
        let mut listed: Vec<String> = Vec::new();
        for line in table
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains('`'))
        {
            let first = line.split('|').nth(1).unwrap_or_default();
            for name in first.split('`').skip(1).step_by(2) {
                listed.push(name.split('(').next().unwrap_or_default().to_string());
            }
        }
        let mut known: Vec<String> = TOKEN_CALLS
            .iter()
            .map(|r| {
                r.signature
                    .split('(')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort();
        listed_sorted.dedup();
        known.sort();
        known.dedup();
        assert_eq!(listed_sorted, known, "README table: {listed:?}");
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

    /// Each call's static words, the amount `0x0105` and the token's
    /// address where the row reads them, other words `TO`.
    fn static_words(row: &TokenCall, amount_word: usize) -> Vec<u8> {
        let token_word = match row.token {
            TokenArg::Word(n) => n,
            TokenArg::Target => 0,
        };
        let mut call = row.selector.to_vec();
        for index in 0..=amount_word.max(token_word) {
            let mut word = [0u8; 32];
            if index == amount_word {
                word[30..].copy_from_slice(&[0x01, 0x05]);
            } else if matches!(row.token, TokenArg::Word(n) if n == index) {
                word[12..].copy_from_slice(TOKEN.as_slice());
            } else {
                word[12..].copy_from_slice(TO.as_slice());
            }
            call.extend_from_slice(&word);
        }
        call
    }

    /// Calldata shorter than a call's arguments is read as the token reads
    /// it, its missing bytes zero: a transfer whose amount lacks its last
    /// byte charges the amount shifted by 8 bits. One case per call.
    #[test]
    fn short_calldata_is_charged_as_its_missing_bytes_read_zero() {
        for row in TOKEN_CALLS {
            let Effect::Charge { amount_word } = row.effect else {
                continue;
            };
            let call = static_words(row, amount_word);
            let whole = classify(TOKEN, &call);
            assert_eq!(whole, moves(TOKEN, 0x0105), "{}", row.signature);
            let cut = classify(TOKEN, &call[..call.len() - 1]);
            let expected = match row.token {
                // The token's address came last: its low byte reads zero.
                TokenArg::Word(n) if n > amount_word => {
                    let mut token = TOKEN;
                    token.0[19] = 0;
                    moves(token, 0x0105)
                }
                _ => moves(TOKEN, 0x0100),
            };
            assert_eq!(cut, expected, "{} one byte short", row.signature);
            // With the amount's word missing entirely, the amount is zero.
            let without = &call[..4 + 32 * amount_word];
            if !matches!(row.token, TokenArg::Word(n) if n >= amount_word) {
                assert_eq!(
                    classify(TOKEN, without),
                    moves(TOKEN, 0),
                    "{}",
                    row.signature
                );
            }
        }
    }

    #[test]
    fn unknown_or_selectorless_calldata_is_not_a_token_call() {
        assert_eq!(classify(TOKEN, &[]), Classified::Other);
        assert_eq!(classify(TOKEN, &[0xa9, 0x05, 0x9c]), Classified::Other);
        assert_eq!(
            classify(TOKEN, &[0xde, 0xad, 0xbe, 0xef, 0, 0]),
            Classified::Other
        );
    }

    #[test]
    fn legacy_increase_approval_charges_its_amount() {
        let call = IERC20Legacy::increaseApprovalCall {
            spender: TO,
            addedValue: U256::from(9),
        }
        .abi_encode();
        assert_eq!(classify(TOKEN, &call), moves(TOKEN, 9));
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
