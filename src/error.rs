//! The errors the hook reverts with, as one enum so entry points can use `?`.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;

use crate::abi;
use crate::calldata;
use crate::execution::Refusal;
use crate::window::MIN_WINDOW_DURATION;

/// Every way a call into the hook can fail; each encodes as its Solidity error.
/// The ABI exporter needs the SDK's derive; the program uses [`HookError::encode`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "export-abi", derive(stylus_sdk::prelude::SolidityError))]
pub enum HookError {
    /// See [`abi::SpendingLimitExceeded`].
    SpendingLimitExceeded(abi::SpendingLimitExceeded),
    /// See [`abi::WindowDurationTooShort`].
    WindowDurationTooShort(abi::WindowDurationTooShort),
    /// See [`abi::LimitCannotBeZero`].
    LimitCannotBeZero(abi::LimitCannotBeZero),
    /// See [`abi::NoLimitsProvided`].
    NoLimitsProvided(abi::NoLimitsProvided),
    /// See [`abi::TooManyTokens`].
    TooManyTokens(abi::TooManyTokens),
    /// See [`abi::DelegateCallNotAllowed`].
    DelegateCallNotAllowed(abi::DelegateCallNotAllowed),
    /// See [`abi::ModuleManagementBlocked`].
    ModuleManagementBlocked(abi::ModuleManagementBlocked),
    /// See [`abi::UnknownFunctionBlocked`].
    UnknownFunctionBlocked(abi::UnknownFunctionBlocked),
    /// See [`abi::SelfCallBlocked`].
    SelfCallBlocked(abi::SelfCallBlocked),
    /// See [`abi::ModuleAlreadyInitialized`].
    ModuleAlreadyInitialized(abi::ModuleAlreadyInitialized),
    /// See [`abi::NotInitialized`].
    NotInitialized(abi::NotInitialized),
    /// See [`abi::InvalidCallType`].
    InvalidCallType(abi::InvalidCallType),
    /// See [`abi::DecodingError`].
    DecodingError(abi::DecodingError),
    /// See [`abi::DuplicateToken`].
    DuplicateToken(abi::DuplicateToken),
    /// See [`abi::AccountPaused`].
    AccountPaused(abi::AccountPaused),
    /// See [`abi::TokenNotAllowed`].
    TokenNotAllowed(abi::TokenNotAllowed),
    /// See [`abi::PerCallCapExceeded`].
    PerCallCapExceeded(abi::PerCallCapExceeded),
    /// See [`abi::TokenNotLimited`].
    TokenNotLimited(abi::TokenNotLimited),
}

// The SDK's derive (under `export-abi`) writes these conversions itself.
macro_rules! from_policy_errors {
    ($($name:ident),*) => {$(
        #[cfg(not(feature = "export-abi"))]
        impl From<abi::$name> for HookError {
            fn from(error: abi::$name) -> Self {
                Self::$name(error)
            }
        }
    )*};
}

from_policy_errors!(
    AccountPaused,
    TokenNotAllowed,
    PerCallCapExceeded,
    TokenNotLimited
);

impl HookError {
    /// `SpendingLimitExceeded(token, attempted, remaining)`.
    pub fn exceeded(token: Address, attempted: U256, remaining: U256) -> Self {
        Self::SpendingLimitExceeded(abi::SpendingLimitExceeded {
            token,
            attempted,
            remaining,
        })
    }

    /// `WindowDurationTooShort(provided, 60)`.
    pub fn window_too_short(provided: u64) -> Self {
        Self::WindowDurationTooShort(abi::WindowDurationTooShort {
            provided: calldata::uint48_of(provided),
            minimum: calldata::uint48_of(MIN_WINDOW_DURATION),
        })
    }

    /// One of the policy errors of `ISpendingLimitPolicy`.
    pub fn policy(error: impl Into<HookError>) -> Self {
        error.into()
    }

    /// `NotInitialized(account)`.
    pub fn not_initialized(account: Address) -> Self {
        Self::NotInitialized(abi::NotInitialized {
            smartAccount: account,
        })
    }

    /// `DecodingError()`.
    pub fn decoding() -> Self {
        Self::DecodingError(abi::DecodingError {})
    }

    /// The revert data: selector and ABI-encoded fields. Written out by hand
    /// (every field is one static word) because alloy's generic encoder costs
    /// kilobytes of program per error type; a test checks it against alloy.
    pub fn encode(&self) -> Vec<u8> {
        let (selector, words): ([u8; 4], [Option<Word>; 3]) = match self {
            Self::SpendingLimitExceeded(e) => (
                abi::SpendingLimitExceeded::SELECTOR,
                [
                    Some(address_word(e.token)),
                    Some(e.attempted.to_be_bytes()),
                    Some(e.remaining.to_be_bytes()),
                ],
            ),
            Self::WindowDurationTooShort(e) => (
                abi::WindowDurationTooShort::SELECTOR,
                [
                    Some(calldata::uint(e.provided.as_limbs()[0]).to_be_bytes()),
                    Some(calldata::uint(e.minimum.as_limbs()[0]).to_be_bytes()),
                    None,
                ],
            ),
            Self::LimitCannotBeZero(_) => (abi::LimitCannotBeZero::SELECTOR, [None; 3]),
            Self::NoLimitsProvided(_) => (abi::NoLimitsProvided::SELECTOR, [None; 3]),
            Self::TooManyTokens(e) => (
                abi::TooManyTokens::SELECTOR,
                [Some(e.max.to_be_bytes()), None, None],
            ),
            Self::DelegateCallNotAllowed(_) => (abi::DelegateCallNotAllowed::SELECTOR, [None; 3]),
            Self::ModuleManagementBlocked(_) => (abi::ModuleManagementBlocked::SELECTOR, [None; 3]),
            Self::UnknownFunctionBlocked(_) => (abi::UnknownFunctionBlocked::SELECTOR, [None; 3]),
            Self::SelfCallBlocked(_) => (abi::SelfCallBlocked::SELECTOR, [None; 3]),
            Self::ModuleAlreadyInitialized(e) => (
                abi::ModuleAlreadyInitialized::SELECTOR,
                [Some(address_word(e.smartAccount)), None, None],
            ),
            Self::NotInitialized(e) => (
                abi::NotInitialized::SELECTOR,
                [Some(address_word(e.smartAccount)), None, None],
            ),
            Self::InvalidCallType(_) => (abi::InvalidCallType::SELECTOR, [None; 3]),
            Self::DecodingError(_) => (abi::DecodingError::SELECTOR, [None; 3]),
            Self::DuplicateToken(e) => (
                abi::DuplicateToken::SELECTOR,
                [Some(address_word(e.token)), None, None],
            ),
            Self::AccountPaused(_) => (abi::AccountPaused::SELECTOR, [None; 3]),
            Self::TokenNotAllowed(e) => (
                abi::TokenNotAllowed::SELECTOR,
                [Some(address_word(e.token)), None, None],
            ),
            Self::PerCallCapExceeded(e) => (
                abi::PerCallCapExceeded::SELECTOR,
                [
                    Some(address_word(e.token)),
                    Some(e.attempted.to_be_bytes()),
                    Some(e.cap.to_be_bytes()),
                ],
            ),
            Self::TokenNotLimited(e) => (
                abi::TokenNotLimited::SELECTOR,
                [Some(address_word(e.token)), None, None],
            ),
        };
        let mut out = Vec::with_capacity(4 + 3 * 32);
        out.extend_from_slice(&selector);
        for word in words.iter().flatten() {
            out.extend_from_slice(word);
        }
        out
    }
}

type Word = [u8; 32];

/// An address as an ABI word.
pub fn address_word(address: Address) -> Word {
    address.into_word().0
}

#[cfg(not(feature = "export-abi"))]
impl From<HookError> for Vec<u8> {
    fn from(error: HookError) -> Self {
        error.encode()
    }
}

impl From<Refusal> for HookError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Decoding => Self::decoding(),
            Refusal::InvalidCallType => Self::InvalidCallType(abi::InvalidCallType {}),
            Refusal::DelegateCall => Self::DelegateCallNotAllowed(abi::DelegateCallNotAllowed {}),
            Refusal::ModuleManagement => {
                Self::ModuleManagementBlocked(abi::ModuleManagementBlocked {})
            }
            Refusal::UnknownFunction => {
                Self::UnknownFunctionBlocked(abi::UnknownFunctionBlocked {})
            }
        }
    }
}

impl From<crate::calldata::Malformed> for HookError {
    fn from(_: crate::calldata::Malformed) -> Self {
        Self::decoding()
    }
}
