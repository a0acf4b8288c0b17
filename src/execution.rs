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
    executeCall, executeFromExecutorCall, executeUserOpCall, installModuleCall, uninstallModuleCall,
};
use crate::calldata::{self, Malformed, Read, WORD};
use crate::list;

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

/// What an account call will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The executions, in order.
    pub executions: Vec<Execution<'a>>,
    /// Whether they came out of an `executeUserOp` wrapper: the account runs
    /// the unwrapped call through its own entry point, which calls the hook
    /// again with it (see [`crate::check::pre_check`]).
    pub unwrapped: bool,
}

/// The executions the account performs for `msg_data`, or why it may not.
///
/// `executeUserOp` is unwrapped as ERC-4337 specifies (`userOp.callData[4:]` is
/// what the account runs), once: a nested `executeUserOp` is unknown.
pub fn decode(msg_data: &[u8]) -> Result<Decoded<'_>, Refusal> {
    if calldata::selector(msg_data) == Some(executeUserOpCall::SELECTOR) {
        let inner = user_op_call_data(msg_data)?;
        let inner = calldata::tail(inner, 4)?;
        if calldata::selector(inner) == Some(executeUserOpCall::SELECTOR) {
            return Err(Refusal::UnknownFunction);
        }
        return Ok(Decoded {
            executions: decode_account_call(inner)?,
            unwrapped: true,
        });
    }
    Ok(Decoded {
        executions: decode_account_call(msg_data)?,
        unwrapped: false,
    })
}

fn decode_account_call(data: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
    calldata::selector_ids! {
        EXECUTE = executeCall;
        EXECUTE_FROM_EXECUTOR = executeFromExecutorCall;
        INSTALL_MODULE = installModuleCall;
        UNINSTALL_MODULE = uninstallModuleCall;
    }
    match calldata::selector(data).map(u32::from_be_bytes) {
        Some(EXECUTE | EXECUTE_FROM_EXECUTOR) => decode_execute(calldata::tail(data, 4)?),
        Some(INSTALL_MODULE | UNINSTALL_MODULE) => Err(Refusal::ModuleManagement),
        _ => Err(Refusal::UnknownFunction),
    }
}

/// `(bytes32 mode, bytes executionCalldata)`, canonically encoded.
fn decode_execute(args: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
    let mode = calldata::word(args, 0)?;
    let (execution_data, _) = calldata::bytes_at(args, WORD, 2 * WORD)?;
    match mode[0] {
        CALLTYPE_SINGLE => Ok(list::copied(&[decode_single(execution_data)?])),
        CALLTYPE_BATCH => Ok(decode_batch(execution_data)?),
        CALLTYPE_DELEGATECALL => Err(Refusal::DelegateCall),
        _ => Err(Refusal::InvalidCallType),
    }
}

/// `abi.encodePacked(address target, uint256 value, bytes callData)`.
fn decode_single(data: &[u8]) -> Read<Execution<'_>> {
    let target: &[u8; 20] = calldata::slice(data, 0, 20)?
        .try_into()
        .map_err(|_| Malformed)?;
    let value: &[u8; 32] = calldata::slice(data, 20, WORD)?
        .try_into()
        .map_err(|_| Malformed)?;
    let (target, value) = (Address::from(*target), calldata::uint_from_be(value));
    let call_data = calldata::tail(data, 20 + WORD)?;
    Ok(Execution {
        target,
        value,
        call_data,
    })
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
    let mut executions = list::with_capacity(count);
    let mut next = count.checked_mul(WORD).ok_or(Malformed)?;
    for i in 0..count {
        calldata::expect_offset(elements, i.checked_mul(WORD).ok_or(Malformed)?, next)?;
        let element = calldata::tail(elements, next)?;
        let target = calldata::address(element, 0)?;
        let value = calldata::uint_at(element, WORD)?;
        let (call_data, end) = calldata::bytes_at(element, 2 * WORD, 3 * WORD)?;
        list::push(
            &mut executions,
            Execution {
                target,
                value,
                call_data,
            },
        );
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

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small literals
mod tests {
    use super::*;
    use crate::encode::{self, CallType};
    use alloc::vec::Vec;

    /// The executions alone.
    fn decode(msg_data: &[u8]) -> Result<Vec<Execution<'_>>, Refusal> {
        super::decode(msg_data).map(|decoded| decoded.executions)
    }

    const TOKEN: Address = Address::repeat_byte(0x70);
    const TO: Address = Address::repeat_byte(0x11);

    fn transfer(amount: u64) -> Vec<u8> {
        crate::abi::IERC20::transferCall {
            to: TO,
            amount: U256::from(amount),
        }
        .abi_encode()
    }

    fn single_msg(value: u64, data: &[u8]) -> Vec<u8> {
        encode::execute(
            encode::mode(CallType::Single, 0),
            encode::single(TOKEN, U256::from(value), data),
        )
    }

    fn batch_items(n: usize) -> Vec<(Address, U256, Vec<u8>)> {
        (0..n)
            .map(|i| (TOKEN, U256::from(i), transfer(i as u64 + 1)))
            .collect()
    }

    fn batch_msg(n: usize) -> Vec<u8> {
        encode::execute(
            encode::mode(CallType::Batch, 0),
            encode::batch(&batch_items(n)),
        )
    }

    fn as_executions(items: &[(Address, U256, Vec<u8>)]) -> Vec<Execution<'_>> {
        items
            .iter()
            .map(|(target, value, data)| Execution {
                target: *target,
                value: *value,
                call_data: data,
            })
            .collect()
    }

    #[test]
    fn single_execution() {
        let data = transfer(5);
        let msg = single_msg(7, &data);
        assert_eq!(
            decode(&msg),
            Ok(alloc::vec![Execution {
                target: TOKEN,
                value: U256::from(7),
                call_data: &data
            }])
        );
        let from_executor = encode::execute_from_executor(
            encode::mode(CallType::Single, 1),
            encode::single(TOKEN, U256::from(7), &data),
        );
        assert_eq!(decode(&from_executor), decode(&msg));
    }

    #[test]
    fn single_execution_without_calldata_is_plain_value() {
        let msg = single_msg(9, &[]);
        assert_eq!(
            decode(&msg),
            Ok(alloc::vec![Execution {
                target: TOKEN,
                value: U256::from(9),
                call_data: &[]
            }])
        );
    }

    #[test]
    fn batches_of_zero_one_and_many() {
        for n in [0, 1, 2, 10] {
            let items = batch_items(n);
            let msg = encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&items));
            assert_eq!(decode(&msg), Ok(as_executions(&items)), "batch of {n}");
        }
    }

    #[test]
    fn user_op_is_unwrapped_once() {
        let inner = batch_msg(3);
        let wrapped = encode::execute_user_op(TOKEN, &inner);
        assert_eq!(decode(&wrapped), decode(&inner));
        assert!(super::decode(&wrapped).unwrap().unwrapped);
        assert!(!super::decode(&inner).unwrap().unwrapped);
        let twice = encode::execute_user_op(TOKEN, &wrapped);
        assert_eq!(decode(&twice), Err(Refusal::UnknownFunction));
        let module = crate::abi::IERC7579Account::installModuleCall {
            moduleTypeId: U256::from(1),
            module: TOKEN,
            initData: Default::default(),
        }
        .abi_encode();
        assert_eq!(
            decode(&encode::execute_user_op(TOKEN, &module)),
            Err(Refusal::ModuleManagement)
        );
    }

    #[test]
    fn refused_call_types() {
        let exec = encode::single(TOKEN, U256::ZERO, &[]);
        let delegate = encode::execute(encode::mode(CallType::DelegateCall, 0), exec.clone());
        assert_eq!(decode(&delegate), Err(Refusal::DelegateCall));
        let delegate =
            encode::execute_from_executor(encode::mode(CallType::DelegateCall, 1), exec.clone());
        assert_eq!(decode(&delegate), Err(Refusal::DelegateCall));
        let stat = encode::execute(encode::mode(CallType::Static, 0), exec.clone());
        assert_eq!(decode(&stat), Err(Refusal::InvalidCallType));
        for call_type in [0x02u8, 0x7f, 0xfd] {
            let mut mode = encode::mode(CallType::Single, 0);
            mode[0] = call_type;
            assert_eq!(
                decode(&encode::execute(mode, exec.clone())),
                Err(Refusal::InvalidCallType)
            );
        }
    }

    #[test]
    fn module_management_and_unknown_functions() {
        let install = crate::abi::IERC7579Account::installModuleCall {
            moduleTypeId: U256::from(4),
            module: TOKEN,
            initData: Default::default(),
        }
        .abi_encode();
        assert_eq!(decode(&install), Err(Refusal::ModuleManagement));
        let uninstall = crate::abi::IERC7579Account::uninstallModuleCall {
            moduleTypeId: U256::from(4),
            module: TOKEN,
            deInitData: Default::default(),
        }
        .abi_encode();
        assert_eq!(decode(&uninstall), Err(Refusal::ModuleManagement));
        assert_eq!(decode(&transfer(1)), Err(Refusal::UnknownFunction));
        assert_eq!(decode(&[]), Err(Refusal::UnknownFunction));
        assert_eq!(decode(&[0xe9, 0xae, 0x5c]), Err(Refusal::UnknownFunction));
    }

    /// A decoy: the offset word points the account's decoder at a second
    /// execution, while a reader at fixed offsets sees the first.
    #[test]
    fn non_canonical_execute_offset_is_refused() {
        let honest = encode::single(TOKEN, U256::ZERO, &transfer(1));
        let real = encode::single(TOKEN, U256::ZERO, &transfer(1_000_000));
        let mut msg = single_msg(0, &honest);
        let real_offset = msg.len() - 4;
        msg.extend_from_slice(&U256::from(real.len()).to_be_bytes::<32>());
        msg.extend_from_slice(&real);
        msg[4 + 32..4 + 64].copy_from_slice(&U256::from(real_offset).to_be_bytes::<32>());
        assert_eq!(decode(&msg), Err(Refusal::Decoding));
    }

    #[test]
    fn lengths_past_the_end_are_refused() {
        let msg = single_msg(0, &transfer(1));
        for cut in [4, 36, 68, 99, 100, msg.len() - 40] {
            assert_eq!(decode(&msg[..cut]), Err(Refusal::Decoding), "cut at {cut}");
        }
        let mut huge = msg.clone();
        huge[4 + 64..4 + 96].copy_from_slice(&U256::MAX.to_be_bytes::<32>());
        assert_eq!(decode(&huge), Err(Refusal::Decoding));
        let short_single = encode::execute(encode::mode(CallType::Single, 0), alloc::vec![0u8; 51]);
        assert_eq!(decode(&short_single), Err(Refusal::Decoding));
    }

    fn batch_data(n: usize) -> Vec<u8> {
        encode::batch(&batch_items(n))
    }

    fn batch_with(data: Vec<u8>) -> Result<Vec<Vec<u8>>, Refusal> {
        let msg = encode::execute(encode::mode(CallType::Batch, 0), data);
        decode(&msg).map(|e| e.iter().map(|x| x.call_data.to_vec()).collect())
    }

    fn set_word(data: &mut [u8], at: usize, value: U256) {
        data[at..at + 32].copy_from_slice(&value.to_be_bytes::<32>());
    }

    #[test]
    fn non_canonical_batches_are_refused() {
        // The array offset is not 0x20.
        let mut data = batch_data(2);
        set_word(&mut data, 0, U256::from(0x40));
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // The second element's offset points back at the first (overlap).
        let mut data = batch_data(2);
        set_word(&mut data, 96, U256::from(64));
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // An element offset that wraps around.
        let mut data = batch_data(2);
        set_word(&mut data, 64, U256::MAX);
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // A count far beyond what the bytes can hold.
        let mut data = batch_data(2);
        set_word(&mut data, 32, U256::from(1u64 << 40));
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // Bytes after the last element.
        let mut data = batch_data(2);
        data.extend_from_slice(&[0u8; 32]);
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // The inner bytes offset is not 0x60.
        let mut data = batch_data(1);
        set_word(&mut data, 96 + 64, U256::from(0x80));
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // Dirty upper bytes in a target address.
        let mut data = batch_data(1);
        data[96] = 1;
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
        // A call data length past the end.
        let mut data = batch_data(1);
        set_word(&mut data, 96 + 96, U256::from(1000));
        assert_eq!(batch_with(data), Err(Refusal::Decoding));
    }

    #[test]
    fn non_canonical_user_ops_are_refused() {
        let inner = single_msg(0, &transfer(3));
        let wrapped = encode::execute_user_op(TOKEN, &inner);
        // The userOp tuple offset.
        let mut bad = wrapped.clone();
        set_word(&mut bad, 4, U256::from(0x60));
        assert_eq!(decode(&bad), Err(Refusal::Decoding));
        // The callData offset inside the tuple.
        let mut bad = wrapped.clone();
        set_word(&mut bad, 4 + 64 + 96, U256::from(0x160));
        assert_eq!(decode(&bad), Err(Refusal::Decoding));
        // Truncated.
        assert_eq!(decode(&wrapped[..200]), Err(Refusal::Decoding));
    }
}
