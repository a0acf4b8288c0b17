//! What one execution takes out of the account: native value and token amounts.
//!
//! This is the table of token-moving selectors. Each recognised selector names
//! the token (the call's target) and the calldata word holding the amount; an
//! amount of 0 is no outflow. Everything else is not a token outflow here;
//! whether unknown calls may pass at all is the caller's policy.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;

use crate::abi::IERC20::{approveCall, transferCall, transferFromCall};
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

/// The outflows of `execution`, in the order the reference charges them:
/// native value first, then the token amount.
pub fn outflows(execution: &Execution<'_>) -> [Option<Outflow>; 2] {
    let native = (!execution.value.is_zero()).then_some(Outflow {
        token: NATIVE,
        amount: execution.value,
    });
    let token = token_amount(execution.call_data)
        .filter(|amount| !amount.is_zero())
        .map(|amount| Outflow {
            token: execution.target,
            amount,
        });
    [native, token]
}

/// The amount a token call moves, for the selectors the reference counts.
///
/// `transfer` and `approve` carry it in their second word, `transferFrom` in its
/// third; shorter calldata is not a token call (the token would revert on it).
pub fn token_amount(call_data: &[u8]) -> Option<U256> {
    let amount_at = match calldata::selector(call_data)? {
        transferCall::SELECTOR | approveCall::SELECTOR => 4 + WORD,
        transferFromCall::SELECTOR => 4 + 2 * WORD,
        _ => return None,
    };
    calldata::uint_at(call_data, amount_at).ok()
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;
    use alloy_sol_types::SolCall;

    fn exec(target: Address, value: u64, call_data: &[u8]) -> Execution<'_> {
        Execution {
            target,
            value: U256::from(value),
            call_data,
        }
    }

    #[test]
    fn counts_the_reference_selectors() {
        let token = Address::with_last_byte(9);
        let to = Address::with_last_byte(1);
        let amount = U256::from(123);
        let transfer = transferCall { to, amount }.abi_encode();
        let approve = approveCall {
            spender: to,
            amount,
        }
        .abi_encode();
        let transfer_from = transferFromCall {
            from: to,
            to,
            amount,
        }
        .abi_encode();
        for data in [&transfer, &approve, &transfer_from] {
            assert_eq!(
                outflows(&exec(token, 0, data)),
                [None, Some(Outflow { token, amount })]
            );
        }
    }

    #[test]
    fn native_value_comes_first_and_zero_is_nothing() {
        let token = Address::with_last_byte(9);
        let call = transferCall {
            to: token,
            amount: U256::from(5),
        }
        .abi_encode();
        let [native, erc20] = outflows(&exec(token, 7, &call));
        assert_eq!(
            native,
            Some(Outflow {
                token: NATIVE,
                amount: U256::from(7)
            })
        );
        assert_eq!(erc20.map(|o| o.amount), Some(U256::from(5)));
        let zero = transferCall {
            to: token,
            amount: U256::ZERO,
        }
        .abi_encode();
        assert_eq!(outflows(&exec(token, 0, &zero)), [None, None]);
    }

    #[test]
    fn short_calldata_is_not_a_token_call() {
        let call = transferCall {
            to: Address::ZERO,
            amount: U256::from(5),
        }
        .abi_encode();
        assert_eq!(token_amount(&call[..67]), None);
        let call = transferFromCall {
            from: Address::ZERO,
            to: Address::ZERO,
            amount: U256::from(5),
        }
        .abi_encode();
        assert_eq!(token_amount(&call[..99]), None);
        assert_eq!(token_amount(&call[..100]), Some(U256::from(5)));
        assert_eq!(token_amount(&[]), None);
    }
}
