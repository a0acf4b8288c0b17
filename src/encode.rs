//! How accounts, bundlers and the multiplexer encode the calls the hook sees.
//! The inverse of [`crate::execution`] and [`crate::check::decode_args`]: for
//! tests, for agents that want to dry-run a call, and for scripts.
//! Never part of the program, so it builds its bytes with `Vec` freely.
#![allow(clippy::disallowed_methods)]

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::{SolCall, SolValue};

use crate::abi::{self, IERC7579Account, ISpendingLimitHook as IHook};

/// ERC-7579 call type byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallType {
    /// 0x00: one call.
    Single,
    /// 0x01: an array of calls.
    Batch,
    /// 0xfe: a static call (refused by the hook).
    Static,
    /// 0xff: a delegatecall (refused by the hook).
    DelegateCall,
}

/// The 32-byte ERC-7579 mode for `call_type` and exec type `exec_type`
/// (0x00 revert on failure, 0x01 try).
pub fn mode(call_type: CallType, exec_type: u8) -> FixedBytes<32> {
    let call_type = match call_type {
        CallType::Single => 0x00,
        CallType::Batch => 0x01,
        CallType::Static => 0xfe,
        CallType::DelegateCall => 0xff,
    };
    let mut mode = [0u8; 32];
    mode[0] = call_type;
    mode[1] = exec_type;
    FixedBytes(mode)
}

/// `abi.encodePacked(target, value, callData)`: single execution data.
pub fn single(target: Address, value: U256, call_data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(call_data.len().saturating_add(52));
    out.extend_from_slice(target.as_slice());
    out.extend_from_slice(&value.to_be_bytes::<32>());
    out.extend_from_slice(call_data);
    out
}

/// `abi.encode(Execution[])`: batch execution data.
pub fn batch(executions: &[(Address, U256, Vec<u8>)]) -> Vec<u8> {
    executions
        .iter()
        .map(|(target, value, data)| abi::Execution {
            target: *target,
            value: *value,
            callData: Bytes::copy_from_slice(data),
        })
        .collect::<Vec<_>>()
        .abi_encode()
}

/// `execute(mode, executionCalldata)`.
pub fn execute(mode: FixedBytes<32>, execution_data: Vec<u8>) -> Vec<u8> {
    IERC7579Account::executeCall {
        mode,
        executionCalldata: execution_data.into(),
    }
    .abi_encode()
}

/// `executeFromExecutor(mode, executionCalldata)`.
pub fn execute_from_executor(mode: FixedBytes<32>, execution_data: Vec<u8>) -> Vec<u8> {
    IERC7579Account::executeFromExecutorCall {
        mode,
        executionCalldata: execution_data.into(),
    }
    .abi_encode()
}

/// `executeUserOp(userOp, hash)` whose `userOp.callData` is
/// `executeUserOp.selector ++ inner`, as EntryPoint v0.7 hands it to the account.
pub fn execute_user_op(sender: Address, inner: &[u8]) -> Vec<u8> {
    let mut call_data = IERC7579Account::executeUserOpCall::SELECTOR.to_vec();
    call_data.extend_from_slice(inner);
    IERC7579Account::executeUserOpCall {
        userOp: abi::PackedUserOperation {
            sender,
            nonce: U256::from(1),
            initCode: Bytes::new(),
            callData: call_data.into(),
            accountGasLimits: FixedBytes::ZERO,
            preVerificationGas: U256::ZERO,
            gasFees: FixedBytes::ZERO,
            paymasterAndData: Bytes::new(),
            signature: Bytes::from_static(&[0x11; 65]),
        },
        userOpHash: FixedBytes::ZERO,
    }
    .abi_encode()
}

/// The hook's `preCheck(msgSender, msgValue, msgData)` calldata.
pub fn pre_check(msg_sender: Address, msg_value: U256, msg_data: &[u8]) -> Vec<u8> {
    IHook::preCheckCall {
        msgSender: msg_sender,
        msgValue: msg_value,
        msgData: Bytes::copy_from_slice(msg_data),
    }
    .abi_encode()
}

/// The hook's `postCheck(hookData)` calldata.
pub fn post_check(hook_data: &[u8]) -> Vec<u8> {
    IHook::postCheckCall {
        hookData: Bytes::copy_from_slice(hook_data),
    }
    .abi_encode()
}

/// `calldata` as `HookMultiPlexer` forwards it: `multiplexer ++ account` appended.
pub fn with_suffix(mut calldata: Vec<u8>, multiplexer: Address, account: Address) -> Vec<u8> {
    calldata.extend_from_slice(multiplexer.as_slice());
    calldata.extend_from_slice(account.as_slice());
    calldata
}

/// Install data in the deployed reference's layout:
/// `abi.encode(forwarder, (token, limit, windowDuration)[])`.
pub fn install_data(forwarder: Address, limits: &[(Address, U256, u64)]) -> Vec<u8> {
    let limits: Vec<abi::TokenLimitInit> = limits
        .iter()
        .map(|(token, limit, window)| abi::TokenLimitInit {
            token: *token,
            limit: *limit,
            windowDuration: alloy_primitives::aliases::U48::from(*window),
        })
        .collect();
    (forwarder, limits).abi_encode_params()
}

/// `setProtectedTargets(targets)` calldata.
pub fn set_protected_targets(targets: &[Address]) -> Vec<u8> {
    abi::ISpendingLimitPolicy::setProtectedTargetsCall {
        targets: targets.to_vec(),
    }
    .abi_encode()
}
