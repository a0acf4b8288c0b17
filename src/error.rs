//! The errors the hook reverts with, as one enum so entry points can use `?`.

use alloc::vec::Vec;

use alloy_primitives::{aliases::U48, Address, U256};
use stylus_sdk::prelude::SolidityError;

use crate::abi;
use crate::execution::Refusal;
use crate::window::MIN_WINDOW_DURATION;

/// Every way a call into the hook can fail; each encodes as its Solidity error
/// (the SDK's derive writes the `Vec<u8>` conversion and the ABI export).
#[derive(SolidityError, Debug, Clone, PartialEq, Eq)]
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
}

impl HookError {
    /// `SpendingLimitExceeded(token, attempted, remaining)`.
    pub fn exceeded(token: Address, attempted: U256, remaining: U256) -> Self {
        Self::SpendingLimitExceeded(abi::SpendingLimitExceeded { token, attempted, remaining })
    }

    /// `WindowDurationTooShort(provided, 60)`.
    pub fn window_too_short(provided: u64) -> Self {
        Self::WindowDurationTooShort(abi::WindowDurationTooShort {
            provided: U48::saturating_from(provided),
            minimum: U48::from(MIN_WINDOW_DURATION),
        })
    }

    /// `NotInitialized(account)`.
    pub fn not_initialized(account: Address) -> Self {
        Self::NotInitialized(abi::NotInitialized { smartAccount: account })
    }

    /// `DecodingError()`.
    pub fn decoding() -> Self {
        Self::DecodingError(abi::DecodingError {})
    }

    /// The revert data: selector and ABI-encoded fields.
    pub fn encode(&self) -> Vec<u8> {
        self.clone().into()
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
            Refusal::UnknownFunction => Self::UnknownFunctionBlocked(abi::UnknownFunctionBlocked {}),
        }
    }
}

impl From<crate::calldata::Malformed> for HookError {
    fn from(_: crate::calldata::Malformed) -> Self {
        Self::decoding()
    }
}
