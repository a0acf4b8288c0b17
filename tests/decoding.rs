//! The execution decoder against Solidity's semantics, and the whole preCheck
//! input against arbitrary bytes.
//!
//! - Differential: whenever the hook accepts `execute` calldata, alloy's
//!   Solidity-semantics decoder (offsets followed, not validated) reads exactly
//!   the same executions, including after random mutations of valid encodings.
//! - No panic, linear work: arbitrary and mutated `preCheck` inputs (sender,
//!   value, msgData, suffix) end in Ok or a typed error, reading at most a
//!   bounded number of slots per byte.
//! - Fail-closed: delegatecall, unknown call types, module management and
//!   unknown functions are refused and change nothing.
//! - The checked-in corpus (`tests/corpus/*.hex`) of tricky encodings goes
//!   through the same checks on every run.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::{sol_data, SolCall, SolType};
use proptest::prelude::*;
use spending_limit_hook::abi::{self, IERC7579Account};
use spending_limit_hook::encode::{self, CallType};
use spending_limit_hook::env::{Env, MemoryEnv};
use spending_limit_hook::error::HookError;
use spending_limit_hook::execution::{self, Execution, Refusal};
use spending_limit_hook::{check, lifecycle};
use spending_limit_testkit::property;

use motsu as _;

const HOOK: Address = Address::repeat_byte(0x40);
const ACCOUNT: Address = Address::repeat_byte(0xa1);
const MUX: Address = Address::repeat_byte(0xaa);

type Exec = (Address, U256, Vec<u8>);

fn execution() -> impl Strategy<Value = Exec> {
    (
        any::<[u8; 20]>(),
        any::<u64>(),
        prop::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(t, v, d)| (Address::from(t), U256::from(v), d))
}

/// Alloy's reading of `execute(mode, data)` as Solidity would: offsets
/// followed without re-encoding checks.
fn solidity_reads(msg: &[u8]) -> Option<Vec<Exec>> {
    if msg.get(..4) == Some(&IERC7579Account::executeUserOpCall::SELECTOR[..]) {
        // ERC-4337: the account runs `userOp.callData[4:]`.
        let call = IERC7579Account::executeUserOpCall::abi_decode(msg, false).ok()?;
        return solidity_reads(call.userOp.callData.get(4..)?);
    }
    let call = IERC7579Account::executeCall::abi_decode(msg, false).ok()?;
    let data = call.executionCalldata;
    match call.mode[0] {
        0x00 => {
            if data.len() < 52 {
                return None;
            }
            Some(vec![(
                Address::from_slice(&data[..20]),
                U256::from_be_slice(&data[20..52]),
                data[52..].to_vec(),
            )])
        }
        0x01 => {
            let batch =
                <sol_data::Array<abi::Execution> as SolType>::abi_decode(&data, false).ok()?;
            Some(
                batch
                    .into_iter()
                    .map(|e| (e.target, e.value, e.callData.to_vec()))
                    .collect(),
            )
        }
        _ => None,
    }
}

fn ours(msg: &[u8]) -> Result<Vec<Exec>, Refusal> {
    execution::decode(msg).map(|decoded| {
        decoded
            .executions
            .iter()
            .map(|e: &Execution<'_>| (e.target, e.value, e.call_data.to_vec()))
            .collect()
    })
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)]) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    for (at, value) in edits {
        let i = at % bytes.len();
        bytes[i] = *value;
    }
    bytes
}

/// An in-memory store that counts reads and writes.
#[derive(Default)]
struct Counting {
    inner: MemoryEnv,
    touches: usize,
}

impl Env for Counting {
    fn load(&mut self, slot: U256) -> alloy_primitives::B256 {
        self.touches += 1;
        self.inner.load(slot)
    }
    fn store(&mut self, slot: U256, value: alloy_primitives::B256) {
        self.touches += 1;
        self.inner.store(slot, value)
    }
    fn emit(&mut self, log: &[u8], topics: usize) {
        self.inner.emit(log, topics)
    }
}

fn installed() -> Counting {
    let mut env = Counting::default();
    let limits = vec![
        abi::TokenLimitInit {
            token: Address::ZERO,
            limit: U256::from(1_000),
            windowDuration: alloy_primitives::aliases::U48::from(60),
        },
        abi::TokenLimitInit {
            token: Address::repeat_byte(0x70),
            limit: U256::MAX,
            windowDuration: alloy_primitives::aliases::U48::from(60),
        },
    ];
    let data = alloy_sol_types::SolValue::abi_encode_params(&(MUX, limits));
    lifecycle::install(&mut env, ACCOUNT, &data, 1_000).unwrap();
    env.touches = 0;
    env
}

/// Runs a raw preCheck call and checks it ends typed, bounded, and (on
/// failure) without changing storage.
fn run_pre_check(caller: Address, calldata: &[u8]) -> Result<(), TestCaseError> {
    let mut env = installed();
    let before = env.inner.slots.clone();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check::pre_check_call(&mut env, HOOK, caller, calldata, 2_000)
    }));
    let Ok(result) = result else {
        return Err(TestCaseError::fail(format!(
            "panicked on 0x{}",
            alloy_primitives::hex::encode(calldata)
        )));
    };
    // Linear work: a fixed number of slots per execution, and an execution
    // takes at least 52 bytes.
    let bound = 16 + 8 * calldata.len() / 52;
    prop_assert!(
        env.touches <= bound,
        "{} slot touches for {} bytes",
        env.touches,
        calldata.len()
    );
    if result.is_err() {
        // The ledger decides before it writes; a refused call writes nothing.
        prop_assert_eq!(&env.inner.slots, &before);
    }
    let _: Result<(), HookError> = result;
    Ok(())
}

#[test]
fn canonical_batches_round_trip_and_match_solidity() {
    property::check(
        "canonical_batches_round_trip_and_match_solidity",
        prop::collection::vec(execution(), 0..6),
        |execs| {
            let msg = encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&execs));
            prop_assert_eq!(ours(&msg), Ok(execs.clone()));
            prop_assert_eq!(solidity_reads(&msg), Some(execs));

            Ok(())
        },
    );
}

#[test]
fn accepted_mutations_read_as_solidity_reads() {
    property::check(
        "accepted_mutations_read_as_solidity_reads",
        (
            prop::collection::vec(execution(), 0..4),
            any::<bool>(),
            prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
            prop::option::of(any::<usize>()),
        ),
        |(execs, single, edits, truncate)| {
            let msg = if single && !execs.is_empty() {
                let (t, v, d) = &execs[0];
                encode::execute(encode::mode(CallType::Single, 0), encode::single(*t, *v, d))
            } else {
                encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&execs))
            };
            let mut msg = mutate(msg, &edits);
            if let Some(cut) = truncate {
                let len = msg.len();
                msg.truncate(cut % (len + 1));
            }
            if let Ok(decoded) = ours(&msg) {
                prop_assert_eq!(
                    Some(decoded),
                    solidity_reads(&msg),
                    "0x{}",
                    alloy_primitives::hex::encode(&msg)
                );
            }

            Ok(())
        },
    );
}

#[test]
fn arbitrary_msg_data_never_panics() {
    property::check(
        "arbitrary_msg_data_never_panics",
        (
            prop::collection::vec(any::<u8>(), 0..600),
            any::<[u8; 20]>(),
            any::<[u64; 4]>(),
            any::<bool>(),
        ),
        |(msg, sender, value, suffix)| {
            let calldata = encode::pre_check(Address::from(sender), U256::from_limbs(value), &msg);
            let (caller, calldata) = if suffix {
                (MUX, encode::with_suffix(calldata, MUX, ACCOUNT))
            } else {
                (ACCOUNT, calldata)
            };
            run_pre_check(caller, &calldata)?;

            Ok(())
        },
    );
}

#[test]
fn arbitrary_calldata_never_panics() {
    property::check(
        "arbitrary_calldata_never_panics",
        prop::collection::vec(any::<u8>(), 0..400),
        |calldata| {
            let mut with_selector = IERC7579Account::executeCall::SELECTOR.to_vec();
            with_selector.extend_from_slice(&calldata);
            run_pre_check(ACCOUNT, &calldata)?;
            run_pre_check(MUX, &with_selector)?;

            Ok(())
        },
    );
}

#[test]
fn mutated_valid_inputs_never_panic() {
    property::check(
        "mutated_valid_inputs_never_panic",
        (
            prop::collection::vec(execution(), 1..5),
            prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
            any::<bool>(),
        ),
        |(execs, edits, user_op)| {
            let inner = encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&execs));
            let msg = if user_op {
                encode::execute_user_op(ACCOUNT, &inner)
            } else {
                inner
            };
            let calldata =
                encode::with_suffix(encode::pre_check(ACCOUNT, U256::ZERO, &msg), MUX, ACCOUNT);
            run_pre_check(MUX, &mutate(calldata, &edits))?;

            Ok(())
        },
    );
}

#[test]
fn refused_shapes_fail_closed() {
    property::check(
        "refused_shapes_fail_closed",
        (
            any::<u8>(),
            any::<u8>(),
            prop::collection::vec(any::<u8>(), 0..120),
            any::<[u8; 4]>(),
        ),
        |(call_type, exec_type, data, selector)| {
            let mut mode = FixedBytes::<32>::ZERO;
            mode[0] = call_type;
            mode[1] = exec_type;
            let msg = IERC7579Account::executeCall {
                mode,
                executionCalldata: Bytes::from(data.clone()),
            }
            .abi_encode();
            let result = execution::decode(&msg);
            match call_type {
                0x00 | 0x01 => {}
                0xff => prop_assert!(matches!(
                    result,
                    Err(Refusal::DelegateCall | Refusal::Decoding)
                )),
                _ => prop_assert!(matches!(
                    result,
                    Err(Refusal::InvalidCallType | Refusal::Decoding)
                )),
            }
            let known = [
                IERC7579Account::executeCall::SELECTOR,
                IERC7579Account::executeFromExecutorCall::SELECTOR,
                IERC7579Account::executeUserOpCall::SELECTOR,
                IERC7579Account::installModuleCall::SELECTOR,
                IERC7579Account::uninstallModuleCall::SELECTOR,
            ];
            if !known.contains(&selector) {
                let mut unknown = selector.to_vec();
                unknown.extend_from_slice(&data);
                prop_assert_eq!(execution::decode(&unknown), Err(Refusal::UnknownFunction));
            }
            run_pre_check(ACCOUNT, &encode::pre_check(ACCOUNT, U256::ZERO, &msg))?;

            Ok(())
        },
    );
}

#[test]
fn corpus_of_tricky_encodings() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "hex") {
            let text = std::fs::read_to_string(&path).unwrap();
            let msg = alloy_primitives::hex::decode(text.trim()).unwrap();
            let decoded = ours(&msg);
            if let Ok(execs) = &decoded {
                assert_eq!(
                    Some(execs.clone()),
                    solidity_reads(&msg),
                    "{}",
                    path.display()
                );
            }
            let expect = path.file_stem().unwrap().to_string_lossy().to_string();
            if expect.starts_with("reject_") {
                assert!(decoded.is_err(), "{} must be refused", path.display());
            }
            run_pre_check(ACCOUNT, &encode::pre_check(ACCOUNT, U256::ZERO, &msg)).unwrap();
            count += 1;
        }
    }
    assert!(count >= 5, "the corpus has {count} entries");
}

/// Rewrites `tests/corpus/` (run with `WRITE_CORPUS=1`); otherwise checks
/// that the files on disk are what this generator writes.
#[test]
fn corpus_is_generated_from_here() {
    let transfer = |amount: u64| {
        abi::IERC20::transferCall {
            to: Address::repeat_byte(0x99),
            amount: U256::from(amount),
        }
        .abi_encode()
    };
    let token = Address::repeat_byte(0x70);
    let single = encode::execute(
        encode::mode(CallType::Single, 0),
        encode::single(token, U256::ZERO, &transfer(1)),
    );
    let batch_items: Vec<Exec> = (1..=3)
        .map(|i| (token, U256::from(i), transfer(i)))
        .collect();
    let batch_data = encode::batch(&batch_items);
    let batch = encode::execute(encode::mode(CallType::Batch, 0), batch_data.clone());
    let word = |v: U256| v.to_be_bytes::<32>();
    let set = |mut msg: Vec<u8>, at: usize, v: U256| {
        msg[at..at + 32].copy_from_slice(&word(v));
        msg
    };
    // execute's head: selector, mode, offset (at 36), length (at 68), data (at 100).
    // Inside a batch's data (at 100): array offset, count, element offsets...
    let decoy = {
        let real = encode::single(token, U256::ZERO, &transfer(1_000_000));
        let mut msg = single.clone();
        let real_offset = msg.len() - 4;
        msg.extend_from_slice(&word(U256::from(real.len())));
        msg.extend_from_slice(&real);
        set(msg, 36, U256::from(real_offset))
    };
    let mut trailing = batch_data.clone();
    trailing.extend_from_slice(&[0u8; 32]);
    let mut dirty = batch.clone();
    dirty[100 + 160] = 1;
    let user_op = encode::execute_user_op(ACCOUNT, &single);
    let entries: Vec<(&str, Vec<u8>)> = vec![
        ("accept_single_transfer", single.clone()),
        ("accept_batch_of_three", batch.clone()),
        (
            "accept_empty_batch",
            encode::execute(encode::mode(CallType::Batch, 0), encode::batch(&[])),
        ),
        ("accept_user_op", user_op.clone()),
        ("reject_decoy_offset", decoy),
        (
            "reject_batch_overlapping_elements",
            set(batch.clone(), 100 + 96, U256::from(96)),
        ),
        (
            "reject_wrapping_element_offset",
            set(batch.clone(), 100 + 64, U256::MAX),
        ),
        (
            "reject_huge_count",
            set(batch.clone(), 100 + 32, U256::from(1u64 << 40)),
        ),
        ("reject_length_past_end", set(single.clone(), 68, U256::MAX)),
        ("reject_truncated", single[..single.len() - 40].to_vec()),
        ("reject_dirty_target", dirty),
        (
            "reject_trailing_after_batch",
            encode::execute(encode::mode(CallType::Batch, 0), trailing),
        ),
        (
            "reject_user_op_shifted_call_data",
            set(user_op, 4 + 64 + 96, U256::from(0x160)),
        ),
        (
            "reject_delegatecall",
            encode::execute(
                encode::mode(CallType::DelegateCall, 0),
                [token.as_slice(), &transfer(1)].concat(),
            ),
        ),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    for (name, bytes) in entries {
        let path = format!("{dir}/{name}.hex");
        let text = alloy_primitives::hex::encode(&bytes) + "\n";
        if std::env::var_os("WRITE_CORPUS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            text,
            "{path} is stale: WRITE_CORPUS=1"
        );
    }
}
