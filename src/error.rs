//! The errors the hook reverts with, as one enum so entry points can use `?`.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;

use crate::abi;
use crate::calldata;
use crate::execution::Refusal;
use crate::window::MIN_WINDOW_DURATION;

/// Every way a call into the hook can fail; each encodes as its Solidity
/// error ([`HookError::encode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// See [`abi::InvalidWindow`].
    InvalidWindow(abi::InvalidWindow),
    /// See [`abi::InvalidValidity`].
    InvalidValidity(abi::InvalidValidity),
    /// See [`abi::OutsideValidity`].
    OutsideValidity(abi::OutsideValidity),
    /// See [`abi::LifetimeCapExceeded`].
    LifetimeCapExceeded(abi::LifetimeCapExceeded),
    /// See [`abi::BudgetExceeded`].
    BudgetExceeded(abi::BudgetExceeded),
    /// See [`abi::InvalidBudget`].
    InvalidBudget(abi::InvalidBudget),
    /// See [`abi::InvalidConfigProgram`].
    InvalidConfigProgram(abi::InvalidConfigProgram),
    /// See [`abi::ProtectedTarget`].
    ProtectedTarget(abi::ProtectedTarget),
    /// See [`abi::InvalidProtectedTargets`].
    InvalidProtectedTargets(abi::InvalidProtectedTargets),
}

macro_rules! from_policy_errors {
    ($($name:ident),*) => {$(
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
    TokenNotLimited,
    InvalidWindow,
    InvalidValidity,
    OutsideValidity,
    LifetimeCapExceeded,
    BudgetExceeded,
    InvalidBudget,
    InvalidConfigProgram,
    ProtectedTarget,
    InvalidProtectedTargets
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

    /// `ProtectedTarget(target)`.
    pub fn protected(target: Address) -> Self {
        Self::ProtectedTarget(abi::ProtectedTarget { target })
    }

    /// `DecodingError()`.
    pub fn decoding() -> Self {
        Self::DecodingError(abi::DecodingError {})
    }

    /// The revert data: selector and ABI-encoded fields. Written out by hand
    /// (every field is one static word) because alloy's generic encoder costs
    /// kilobytes of program per error type; a test checks it against alloy.
    pub fn encode(&self) -> Vec<u8> {
        let (selector, fields) = self.parts();
        let mut out = crate::list::with_capacity(4 + 3 * 32);
        crate::list::extend(&mut out, &selector);
        for field in fields.into_iter().flatten() {
            push(&mut out, field.word());
        }
        out
    }

    /// The selector and the (at most three) fields of the error.
    fn parts(&self) -> ([u8; 4], [Option<Field<'_>>; 3]) {
        match self {
            Self::SpendingLimitExceeded(e) => (
                abi::SpendingLimitExceeded::SELECTOR,
                [
                    Some(Field::Address(&e.token)),
                    Some(Field::Uint(&e.attempted)),
                    Some(Field::Uint(&e.remaining)),
                ],
            ),
            Self::WindowDurationTooShort(e) => (
                abi::WindowDurationTooShort::SELECTOR,
                [
                    Some(Field::Uint48(&e.provided)),
                    Some(Field::Uint48(&e.minimum)),
                    None,
                ],
            ),
            Self::LimitCannotBeZero(_) => (abi::LimitCannotBeZero::SELECTOR, [None, None, None]),
            Self::NoLimitsProvided(_) => (abi::NoLimitsProvided::SELECTOR, [None, None, None]),
            Self::TooManyTokens(e) => (
                abi::TooManyTokens::SELECTOR,
                [Some(Field::Uint(&e.max)), None, None],
            ),
            Self::DelegateCallNotAllowed(_) => {
                (abi::DelegateCallNotAllowed::SELECTOR, [None, None, None])
            }
            Self::ModuleManagementBlocked(_) => {
                (abi::ModuleManagementBlocked::SELECTOR, [None, None, None])
            }
            Self::UnknownFunctionBlocked(_) => {
                (abi::UnknownFunctionBlocked::SELECTOR, [None, None, None])
            }
            Self::SelfCallBlocked(_) => (abi::SelfCallBlocked::SELECTOR, [None, None, None]),
            Self::ModuleAlreadyInitialized(e) => (
                abi::ModuleAlreadyInitialized::SELECTOR,
                [Some(Field::Address(&e.smartAccount)), None, None],
            ),
            Self::NotInitialized(e) => (
                abi::NotInitialized::SELECTOR,
                [Some(Field::Address(&e.smartAccount)), None, None],
            ),
            Self::InvalidCallType(_) => (abi::InvalidCallType::SELECTOR, [None, None, None]),
            Self::DecodingError(_) => (abi::DecodingError::SELECTOR, [None, None, None]),
            Self::DuplicateToken(e) => (
                abi::DuplicateToken::SELECTOR,
                [Some(Field::Address(&e.token)), None, None],
            ),
            Self::AccountPaused(_) => (abi::AccountPaused::SELECTOR, [None, None, None]),
            Self::TokenNotAllowed(e) => (
                abi::TokenNotAllowed::SELECTOR,
                [Some(Field::Address(&e.token)), None, None],
            ),
            Self::PerCallCapExceeded(e) => (
                abi::PerCallCapExceeded::SELECTOR,
                [
                    Some(Field::Address(&e.token)),
                    Some(Field::Uint(&e.attempted)),
                    Some(Field::Uint(&e.cap)),
                ],
            ),
            Self::TokenNotLimited(e) => (
                abi::TokenNotLimited::SELECTOR,
                [Some(Field::Address(&e.token)), None, None],
            ),
            Self::InvalidWindow(e) => (
                abi::InvalidWindow::SELECTOR,
                [Some(Field::Uint(&e.index)), None, None],
            ),
            Self::InvalidValidity(e) => (
                abi::InvalidValidity::SELECTOR,
                [
                    Some(Field::Uint48(&e.validAfter)),
                    Some(Field::Uint48(&e.validUntil)),
                    None,
                ],
            ),
            Self::OutsideValidity(e) => (
                abi::OutsideValidity::SELECTOR,
                [
                    Some(Field::Address(&e.token)),
                    Some(Field::Uint48(&e.validAfter)),
                    Some(Field::Uint48(&e.validUntil)),
                ],
            ),
            Self::LifetimeCapExceeded(e) => (
                abi::LifetimeCapExceeded::SELECTOR,
                [
                    Some(Field::Address(&e.token)),
                    Some(Field::Uint(&e.attempted)),
                    Some(Field::Uint(&e.remaining)),
                ],
            ),
            Self::BudgetExceeded(e) => (
                abi::BudgetExceeded::SELECTOR,
                [
                    Some(Field::Word(&e.budget)),
                    Some(Field::Uint(&e.attempted)),
                    Some(Field::Uint(&e.remaining)),
                ],
            ),
            Self::InvalidBudget(e) => (
                abi::InvalidBudget::SELECTOR,
                [Some(Field::Word(&e.budget)), None, None],
            ),
            Self::InvalidConfigProgram(e) => (
                abi::InvalidConfigProgram::SELECTOR,
                [Some(Field::Address(&e.program)), None, None],
            ),
            Self::ProtectedTarget(e) => (
                abi::ProtectedTarget::SELECTOR,
                [Some(Field::Address(&e.target)), None, None],
            ),
            Self::InvalidProtectedTargets(e) => (
                abi::InvalidProtectedTargets::SELECTOR,
                [
                    Some(Field::Address(&e.target)),
                    Some(Field::Uint(&e.max)),
                    None,
                ],
            ),
        }
    }
}

/// An error field, turned into its ABI word in one place so that each
/// error's arm is a few references, not copies of 256-bit values.
#[derive(Clone, Copy)]
enum Field<'a> {
    Uint(&'a U256),
    Address(&'a Address),
    Word(&'a alloy_primitives::B256),
    Uint48(&'a alloy_primitives::aliases::U48),
}

impl Field<'_> {
    fn word(self) -> [u8; 32] {
        match self {
            Self::Uint(v) => calldata::uint_to_be(v),
            Self::Address(a) => crate::slots::address_word(*a).0,
            Self::Word(w) => w.0,
            Self::Uint48(v) => calldata::uint_to_be(&calldata::uint(v.as_limbs()[0])),
        }
    }
}

#[inline(never)]
fn push(out: &mut Vec<u8>, word: [u8; 32]) {
    crate::list::extend(out, &word);
}

type Word = [u8; 32];

/// An address as an ABI word.
#[inline]
pub fn address_word(address: Address) -> Word {
    crate::slots::address_word(address).0
}

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
