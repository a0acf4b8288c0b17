//! The local VM on small hand-written programs: what it refuses to load, and
//! that metering charges exactly Nitro's prices.

use alloy_primitives::Address;
use stylus_local_vm::{activation::Refusal, Call, DeployError, LocalVm, Status};

const AT: Address = Address::repeat_byte(0x11);

/// A program whose memory may grow if it imports `pay_for_memory_grow`
/// (Nitro refuses a growable memory that does not), and is fixed otherwise.
fn program(body: &str, imports: &str) -> Vec<u8> {
    let memory = if imports.contains("pay_for_memory_grow") {
        "1"
    } else {
        "1 1"
    };
    wat::parse_str(format!(
        r#"(module {imports}
            (memory (export "memory") {memory})
            (global $sp (mut i32) (i32.const 0))
            (func (export "user_entrypoint") (param $len i32) (result i32) (local $i i32) {body}))"#
    ))
    .unwrap()
}

fn ink_of(wasm: &[u8]) -> (Status, u64) {
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, wasm).unwrap();
    let out = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    (out.status, out.gas.ink)
}

#[test]
fn a_host_function_nitro_has_but_the_vm_does_not_is_a_load_error_that_names_it() {
    // Nitro activates it (vm/tests/activation.rs); the VM cannot run it.
    let wasm = program(
        "i32.const 0",
        r#"(import "vm_hooks" "math_div" (func (param i32 i32)))"#,
    );
    let Err(DeployError::UnknownImport(name)) = LocalVm::new().deploy_at(AT, &wasm).map(|_| ())
    else {
        panic!("must refuse");
    };
    assert_eq!(name, "math_div");
}

#[test]
fn what_nitro_refuses_the_vm_refuses_with_nitros_reason() {
    let wasm = program("i32.const 0", r#"(import "vm_hooks" "not_a_hook" (func))"#);
    let result = LocalVm::new().deploy_at(AT, &wasm).map(|_| ());
    assert!(
        matches!(
            &result,
            Err(DeployError::Refused(Refusal::NoSuchImport { name, .. })) if name == "not_a_hook"
        ),
        "{result:?}"
    );
    let start = wat::parse_str(
        r#"(module (memory (export "memory") 1 1) (global (mut i32) (i32.const 0))
            (func $s) (start $s)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert!(matches!(
        LocalVm::new().deploy_at(AT, &start).map(|_| ()),
        Err(DeployError::Refused(Refusal::StartFunction))
    ));
}

#[test]
fn straight_line_code_costs_its_operators_plus_one_header() {
    // i32.const (1) + end (1) + header (2,450).
    assert_eq!(
        ink_of(&program("i32.const 0", "")),
        (Status::Success, 2_452)
    );
    // Returning 1 is a revert.
    assert_eq!(ink_of(&program("i32.const 1", "")).0, Status::Revert);
}

#[test]
fn a_loop_pays_its_header_on_every_iteration() {
    let body = "(loop $l
        local.get $i i32.const 1 i32.add local.tee $i
        i32.const 10 i32.lt_u br_if $l)
        i32.const 0";
    // loop (1) | 10 x [75 + 1 + 70 + 75 + 1 + 170 + 765] | end of loop (1) | i32.const + end (2),
    // each block with its 2,450-ink header.
    let expected = (1 + 2_450) + 10 * (1_157 + 2_450) + (1 + 2_450) + (2 + 2_450);
    assert_eq!(ink_of(&program(body, "")), (Status::Success, expected));
}

#[test]
fn host_calls_charge_their_ink() {
    let body = "call $ts drop i32.const 0";
    let imports = r#"(import "vm_hooks" "block_timestamp" (func $ts (result i64)))"#;
    // call (3,800) + header, then drop (9) + const (1) + end (1) + header,
    // plus the host's 8,400.
    let expected = (3_800 + 2_450) + (9 + 1 + 1 + 2_450) + 8_400;
    assert_eq!(ink_of(&program(body, imports)), (Status::Success, expected));
}

#[test]
fn growing_memory_pays_for_the_pages_it_opens() {
    // Grows by 4 pages: 1 initial + 4 = 5 open, 2 of them free in a
    // transaction, so 3 are paid for at 1,000 gas each.
    let body = "i32.const 4 memory.grow drop i32.const 0";
    let imports = r#"(import "vm_hooks" "pay_for_memory_grow" (func (param i32)))"#;
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &program(body, imports)).unwrap();
    let out = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    assert_eq!(out.status, Status::Success);
    assert_eq!(out.gas.memory, 3_000);
    // Pages stay open for the rest of the transaction: a second call pays
    // for its initial page at entry, and for all 4 pages it grows by.
    let again = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    assert_eq!(again.gas.memory, 4_000, "{again:?}");
    assert_eq!(again.gas.entry, out.gas.entry + 1_000, "{again:?}");
}

#[test]
fn a_memory_that_cannot_grow_does_not_grow() {
    // Its maximum is its size, so it needs no payment import (activation
    // allows that) and `memory.grow` answers -1.
    let body = "i32.const 1 memory.grow i32.const 1 i32.add";
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &program(body, "")).unwrap();
    let out = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    assert_eq!(out.status, Status::Success, "{out:?}");
    assert_eq!(out.gas.memory, 0);
}

#[test]
fn running_out_of_ink_is_out_of_gas() {
    let body = "(loop $l br $l) i32.const 0";
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &program(body, "")).unwrap();
    let mut call = Call::new(Address::ZERO, vec![]);
    call.gas_limit = 100_000;
    let out = vm.call(AT, &call);
    assert_eq!(out.status, Status::OutOfGas);
    assert_eq!(out.gas.total, 100_000);
}

#[test]
fn storage_persists_across_calls_and_warms_per_transaction() {
    // Reads slot 0 and writes it back plus one: a counter.
    let body = "
        i32.const 0 i32.const 64 call $load
        i32.const 95 i32.const 95 i32.load8_u i32.const 1 i32.add i32.store8
        i32.const 0 i32.const 64 call $cache
        i32.const 0 call $flush
        i32.const 0";
    let imports = r#"
        (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
        (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
        (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))"#;
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &program(body, imports)).unwrap();
    let first = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    // Cold read (2,100) and a fresh slot written (20,000 + 0: already warm).
    assert_eq!(first.gas.storage, 2_100 + 20_000);
    let second = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    // Same transaction: warm read (100), dirty slot rewritten (100).
    assert_eq!(second.gas.storage, 100 + 100);
    vm.begin_transaction();
    let third = vm.call(AT, &Call::new(Address::ZERO, vec![]));
    // New transaction: cold again, a clean non-zero slot (2,900).
    assert_eq!(third.gas.storage, 2_100 + 2_900);
    assert_eq!(
        vm.storage(AT, alloy_primitives::U256::ZERO),
        alloy_primitives::B256::with_last_byte(3)
    );
}

#[test]
fn profiling_attributes_every_block_to_its_function_and_changes_no_cost() {
    let wasm = wat::parse_str(
        r#"(module
            (memory (export "memory") 1 1)
            (global $sp (mut i32) (i32.const 0))
            (func $helper (param i32) (result i32)
                (loop $l
                    local.get 0 i32.const 1 i32.sub local.tee 0
                    br_if $l)
                i32.const 0)
            (func (export "user_entrypoint") (param $len i32) (result i32)
                i32.const 5 call $helper))"#,
    )
    .unwrap();
    let run = |profiling: bool| {
        let mut vm = LocalVm::new();
        vm.set_profiling(profiling);
        vm.deploy_at(AT, &wasm).unwrap();
        vm.call(AT, &Call::new(Address::ZERO, vec![]))
    };
    let (plain, profiled) = (run(false), run(true));
    assert_eq!(profiled.status, Status::Success);
    assert_eq!(profiled.gas, plain.gas);
    assert!(plain.profile.is_empty());
    // No host calls: every ink the program paid was a block's, and each
    // function's share is its own (the helper's loop ran five times).
    let [helper, entry] = profiled.profile[..] else {
        panic!("one counter per function: {:?}", profiled.profile);
    };
    assert_eq!(helper + entry, profiled.gas.ink);
    assert!(helper > 5 * 2_450 && entry > 0 && entry < helper);
}

/// A program whose memory starts with the address `target` repeats 20 times
/// (at 0), and which may delegate-call, read return data and set its result.
fn delegating_program(target: u8, body: &str) -> Vec<u8> {
    let address: String = (0..20).map(|_| format!("\\{target:02x}")).collect();
    wat::parse_str(format!(
        r#"(module
            (import "vm_hooks" "read_args" (func $args (param i32)))
            (import "vm_hooks" "delegate_call_contract"
                (func $delegate (param i32 i32 i32 i64 i32) (result i32)))
            (import "vm_hooks" "read_return_data" (func $returned (param i32 i32 i32) (result i32)))
            (import "vm_hooks" "write_result" (func $result (param i32 i32)))
            (memory (export "memory") 1 1)
            (global $sp (mut i32) (i32.const 0))
            (data (i32.const 0) "{address}")
            (func (export "user_entrypoint") (param $len i32) (result i32) {body}))"#
    ))
    .unwrap()
}

/// Delegate-calls the program at 0x22…22 with its own calldata and returns
/// the status byte followed by the callee's return data, succeeding either
/// way (so a callee's failure is visible in what the caller keeps).
fn delegating_caller() -> Vec<u8> {
    delegating_program(
        0x22,
        "i32.const 256 call $args
        i32.const 511
        i32.const 0 i32.const 256 local.get $len i64.const -1 i32.const 64 call $delegate
        i32.store8
        i32.const 512 i32.const 0 i32.const 64 i32.load call $returned drop
        i32.const 511 i32.const 64 i32.load i32.const 1 i32.add call $result
        i32.const 0",
    )
}

/// Stores its first calldata word in slot 0, logs it, returns `msg.sender`,
/// and reverts (after all that) when calldata byte 32 is non-zero.
fn storing_callee() -> Vec<u8> {
    let body = "
        i32.const 0 call $args
        i32.const 100 i32.const 0 call $cache
        i32.const 0 call $flush
        i32.const 0 i32.const 32 i32.const 0 call $log
        i32.const 200 call $sender
        i32.const 200 i32.const 20 call $result
        i32.const 32 i32.load8_u";
    let imports = r#"
        (import "vm_hooks" "read_args" (func $args (param i32)))
        (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
        (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
        (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
        (import "vm_hooks" "msg_sender" (func $sender (param i32)))
        (import "vm_hooks" "write_result" (func $result (param i32 i32)))"#;
    program(body, imports)
}

const CALLEE: Address = Address::repeat_byte(0x22);
const SENDER: Address = Address::repeat_byte(0xa1);

fn delegating_chain() -> LocalVm {
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &delegating_caller()).unwrap();
    vm.deploy_at(CALLEE, &storing_callee()).unwrap();
    vm
}

fn calldata(value: u8, revert: bool) -> Vec<u8> {
    let mut data = [0u8; 33];
    data[31] = value;
    data[32] = u8::from(revert);
    data.to_vec()
}

#[test]
fn a_delegate_call_runs_the_callee_in_the_callers_storage_for_the_callers_sender() {
    let mut vm = delegating_chain();
    let out = vm.call(AT, &Call::new(SENDER, calldata(7, false)));
    assert_eq!(out.status, Status::Success, "{out:?}");
    // Status 0, then the callee's msg.sender: the caller's own sender.
    assert_eq!(out.output[0], 0);
    assert_eq!(&out.output[1..], SENDER.as_slice());
    let slot = alloy_primitives::U256::ZERO;
    assert_eq!(
        vm.storage(AT, slot),
        alloy_primitives::B256::with_last_byte(7)
    );
    assert!(vm.storage_of(CALLEE).is_empty());
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].address, AT);
    // The callee's SSTORE (cold, fresh) and log are reported as such.
    assert_eq!(out.gas.storage, 2_100 + 20_000);
    assert_eq!(out.gas.logs, 375 + 8 * 32);
}

#[test]
fn a_delegate_call_pays_for_a_cold_account_once_per_transaction() {
    let mut vm = delegating_chain();
    let first = vm.call(AT, &Call::new(SENDER, calldata(7, false)));
    let second = vm.call(AT, &Call::new(SENDER, calldata(7, false)));
    assert_eq!(first.gas.host - second.gas.host, 2_600 - 100);
    vm.begin_transaction();
    let third = vm.call(AT, &Call::new(SENDER, calldata(7, false)));
    assert_eq!(third.gas.host, first.gas.host);
    // The callee's own entry cost is part of what the call charged.
    assert!(first.gas.host > 2_600 + 352, "{first:?}");
}

#[test]
fn a_reverting_delegate_call_leaves_no_writes_or_logs_and_returns_its_data() {
    let mut vm = delegating_chain();
    let out = vm.call(AT, &Call::new(SENDER, calldata(7, true)));
    assert_eq!(out.status, Status::Success, "{out:?}");
    assert_eq!(out.output[0], 1, "the callee's failure is reported");
    assert_eq!(
        &out.output[1..],
        SENDER.as_slice(),
        "its revert data is readable"
    );
    assert!(vm.storage_of(AT).is_empty());
    assert!(out.logs.is_empty());
}

#[test]
fn a_delegate_call_to_an_address_without_code_succeeds_with_nothing() {
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &delegating_caller()).unwrap();
    let out = vm.call(AT, &Call::new(SENDER, calldata(7, false)));
    assert_eq!(out.status, Status::Success, "{out:?}");
    assert_eq!(out.output, vec![0]);
    assert!(vm.storage_of(AT).is_empty());
}

#[test]
fn delegate_calls_nest_only_as_deep_as_the_call_stack_allows() {
    // Delegate-calls itself with its own calldata until a call fails, and
    // returns how deep it got: each frame adds 1 to the failed call's depth.
    let wasm = delegating_program(
        0x11,
        "(if (i32.eqz (call $delegate (i32.const 0) (i32.const 0) (i32.const 0)
                (i64.const -1) (i32.const 64)))
            (then (drop (call $returned (i32.const 128) (i32.const 0) (i32.const 4)))))
        (i32.store (i32.const 128) (i32.add (i32.load (i32.const 128)) (i32.const 1)))
        (call $result (i32.const 128) (i32.const 4))
        i32.const 0",
    );
    let mut vm = LocalVm::new();
    vm.deploy_at(AT, &wasm).unwrap();
    let mut call = Call::new(SENDER, vec![]);
    call.gas_limit = 1_000_000_000_000;
    let out = vm.call(AT, &call);
    assert_eq!(out.status, Status::Success, "{:?}", out.status);
    let depth = u32::from_le_bytes(out.output[..4].try_into().unwrap());
    // The transaction's own frame and 1,024 beneath it, as geth counts; the
    // VM's native stack grows as they nest.
    assert_eq!(depth as usize, stylus_local_vm::pricing::MAX_CALL_DEPTH + 1);
}
