//! ERC-7579 account calldata → the executions the account will perform.
//!
//! The reference (modulekit's `ERC7579HookDestruct`) reads `execute` at fixed
//! offsets and ignores the ABI offset words, so a non-canonical encoding can make
//! the account run one execution while the hook inspects another. Here every
//! offset word must sit where Solidity's encoder puts it and every length must
//! fit; anything else is [`Refusal::Decoding`]. For canonical input that is
//! exactly what the account's `abi.decode` reads, so the two cannot disagree.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;

use crate::abi::IERC7579Account::{
    executeCall, executeFromExecutorCall, executeUserOpCall, installModuleCall,
    uninstallModuleCall,
};
use crate::calldata::{self, Malformed, Read, WORD};

/// One call the account makes: `target.call{value}(call_data)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Execution<'a> {
    /// The contract or account called.
    pub target: Address,
    /// Native value sent with the call.
    pub value: U256,
    /// The call's calldata.
    pub call_data: &'a [u8],
}

/// Why the hook will not let an account call through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Malformed or non-canonical encoding.
    Decoding,
    /// A call type other than single, batch or delegatecall.
    InvalidCallType,
    /// Delegatecall: the target's code would run as the account.
    DelegateCall,
    /// `installModule` / `uninstallModule`.
    ModuleManagement,
    /// Any other account function (fail-closed).
    UnknownFunction,
}

impl From<Malformed> for Refusal {
    fn from(_: Malformed) -> Self {
        Refusal::Decoding
    }
}

/// ERC-7579 call types (byte 0 of the mode).
const CALLTYPE_SINGLE: u8 = 0x00;
const CALLTYPE_BATCH: u8 = 0x01;
const CALLTYPE_DELEGATECALL: u8 = 0xff;

/// Size of the static head of one batch element: target, value, offset, length.
const EXECUTION_HEAD: usize = 4 * WORD;
/// Static head of `PackedUserOperation`: nine words.
const USER_OP_HEAD: usize = 9 * WORD;

/// The executions the account performs for `msg_data`, or why it may not.
///
/// `executeUserOp` is unwrapped as ERC-4337 specifies (`userOp.callData[4:]` is
/// what the account runs), once: a nested `executeUserOp` is unknown.
pub fn decode(msg_data: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
    if calldata::selector(msg_data) == Some(executeUserOpCall::SELECTOR) {
        let inner = user_op_call_data(msg_data)?;
        let inner = calldata::tail(inner, 4)?;
        if calldata::selector(inner) == Some(executeUserOpCall::SELECTOR) {
            return Err(Refusal::UnknownFunction);
        }
        return decode_account_call(inner);
    }
    decode_account_call(msg_data)
}

fn decode_account_call(data: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
    match calldata::selector(data) {
        Some(executeCall::SELECTOR) | Some(executeFromExecutorCall::SELECTOR) => {
            decode_execute(calldata::tail(data, 4)?)
        }
        Some(installModuleCall::SELECTOR) | Some(uninstallModuleCall::SELECTOR) => {
            Err(Refusal::ModuleManagement)
        }
        _ => Err(Refusal::UnknownFunction),
    }
}

/// `(bytes32 mode, bytes executionCalldata)`, canonically encoded.
fn decode_execute(args: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
    let mode = calldata::word(args, 0)?;
    let (execution_data, _) = calldata::bytes_at(args, WORD, 2 * WORD)?;
    match mode[0] {
        CALLTYPE_SINGLE => Ok(alloc::vec![decode_single(execution_data)?]),
        CALLTYPE_BATCH => Ok(decode_batch(execution_data)?),
        CALLTYPE_DELEGATECALL => Err(Refusal::DelegateCall),
        _ => Err(Refusal::InvalidCallType),
    }
}

/// `abi.encodePacked(address target, uint256 value, bytes callData)`.
fn decode_single(data: &[u8]) -> Read<Execution<'_>> {
    let target = Address::from_slice(calldata::slice(data, 0, 20)?);
    let value = U256::from_be_slice(calldata::slice(data, 20, WORD)?);
    let call_data = calldata::tail(data, 20 + WORD)?;
    Ok(Execution { target, value, call_data })
}

/// `abi.encode(Execution[])`, with every offset where the encoder puts it and
/// nothing after the last element.
fn decode_batch(data: &[u8]) -> Read<Vec<Execution<'_>>> {
    calldata::expect_offset(data, 0, WORD)?;
    let count = calldata::offset(data, WORD)?;
    let elements = calldata::tail(data, 2 * WORD)?;
    // Each element takes at least an offset word and its head: refusing larger
    // counts up front keeps the allocation and the loop linear in the input.
    let min_size = count.checked_mul(WORD + EXECUTION_HEAD).ok_or(Malformed)?;
    if min_size > elements.len() {
        return Err(Malformed);
    }
    let mut executions = Vec::with_capacity(count);
    let mut next = count.checked_mul(WORD).ok_or(Malformed)?;
    for i in 0..count {
        calldata::expect_offset(elements, i.checked_mul(WORD).ok_or(Malformed)?, next)?;
        let element = calldata::tail(elements, next)?;
        let target = calldata::address(element, 0)?;
        let value = calldata::uint(element, WORD)?;
        let (call_data, end) = calldata::bytes_at(element, 2 * WORD, 3 * WORD)?;
        executions.push(Execution { target, value, call_data });
        next = next.checked_add(end).ok_or(Malformed)?;
    }
    if next != elements.len() {
        return Err(Malformed);
    }
    Ok(executions)
}

/// `userOp.callData` out of `executeUserOp(PackedUserOperation,bytes32)`,
/// requiring the canonical layout up to and including that field.
fn user_op_call_data(msg_data: &[u8]) -> Read<&[u8]> {
    let args = calldata::tail(msg_data, 4)?;
    calldata::expect_offset(args, 0, 2 * WORD)?;
    let user_op = calldata::tail(args, 2 * WORD)?;
    let (_, init_code_end) = calldata::bytes_at(user_op, 2 * WORD, USER_OP_HEAD)?;
    let (call_data, _) = calldata::bytes_at(user_op, 3 * WORD, init_code_end)?;
    Ok(call_data)
}
