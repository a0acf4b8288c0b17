//! The published interface, three ways, must agree: the reference table in
//! `tests/fixtures/reference-interface.tsv` (hashes recomputed here, never
//! trusted), the files in `abi/`, and the contract itself (its error and event
//! types, and its router). `BLESS=1 cargo test --test abi_surface` rewrites
//! `abi/ISpendingLimitHook.json` from the Solidity interface.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests: a panic is a failure

use std::collections::BTreeSet;

use alloy_json_abi::JsonAbi;
use alloy_primitives::{hex, keccak256, Address};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use alloy_sol_types::{SolInterface, SolValue};
use motsu::prelude::*;
use spending_limit_hook::abi;
use spending_limit_testkit::harness::Hook;
use spending_limit_testkit::property;

sol!(
    #[sol(abi)]
    "abi/ISpendingLimitHook.sol"
);

sol!(
    #[sol(abi)]
    "abi/ISpendingLimitPolicy.sol"
);

const TABLE: &str = include_str!("fixtures/reference-interface.tsv");

/// (kind, signature, hash) rows of the reference table.
fn table() -> Vec<(String, String, Vec<u8>)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad row {l:?}");
            (
                cols[0].to_string(),
                cols[1].to_string(),
                hex::decode(cols[2]).expect("hex"),
            )
        })
        .collect()
}

fn rows(kind: &str) -> BTreeSet<(String, Vec<u8>)> {
    table()
        .into_iter()
        .filter(|r| r.0 == kind)
        .map(|r| (r.1, r.2))
        .collect()
}

#[test]
fn every_table_hash_is_the_keccak_of_its_signature() {
    let table = table();
    assert!(table.len() >= 40);
    for (kind, signature, hash) in table {
        let full = keccak256(signature.as_bytes());
        let expected = if kind == "event" {
            &full[..]
        } else {
            &full[..4]
        };
        assert_eq!(hash, expected, "{kind} {signature}");
    }
}

fn generated_abi() -> JsonAbi {
    with_struct_names(ISpendingLimitHook::abi::contract())
}

/// `abi` with each struct parameter's `internalType` set to the struct's
/// name, as solc writes it (`struct ISpendingLimitPolicy.Window[]`): tools
/// that print Solidity from the JSON (`cargo stylus export-abi`, through
/// each program's interface printer) then declare the structs by name
/// instead of writing tuples Solidity does not accept.
fn with_struct_names(mut abi: JsonAbi) -> JsonAbi {
    use alloy_json_abi::{InternalType, Param};
    use alloy_sol_types::SolStruct;
    // Each struct's field types as a tuple, from its EIP-712 type string
    // (`Name(type field,...)`).
    fn shape<S: SolStruct>() -> String {
        let root = S::eip712_root_type();
        let fields = root
            .split_once('(')
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or_default();
        let types: Vec<&str> = fields
            .split(',')
            .filter_map(|f| f.split(' ').next())
            .collect();
        format!("({})", types.join(","))
    }
    let structs = [
        (
            shape::<ISpendingLimitHook::TokenLimitInit>(),
            "ISpendingLimitHook",
            "TokenLimitInit",
        ),
        (
            shape::<ISpendingLimitPolicy::Window>(),
            "ISpendingLimitPolicy",
            "Window",
        ),
        (
            shape::<ISpendingLimitPolicy::WindowState>(),
            "ISpendingLimitPolicy",
            "WindowState",
        ),
    ];
    let name = |param: &mut Param| {
        let Some(tuple) = param.ty.strip_prefix("tuple") else {
            return;
        };
        let components: Vec<String> = param.components.iter().map(|c| c.ty.clone()).collect();
        let shape = format!("({})", components.join(","));
        let (_, contract, name) = structs
            .iter()
            .find(|(sol, _, _)| *sol == shape)
            .unwrap_or_else(|| panic!("no struct of shape {shape}"));
        param.internal_type = Some(InternalType::Struct {
            contract: Some((*contract).to_string()),
            ty: format!("{name}{tuple}"),
        });
    };
    for function in abi.functions.values_mut().flatten() {
        function
            .inputs
            .iter_mut()
            .chain(function.outputs.iter_mut())
            .for_each(name);
    }
    abi
}

#[test]
fn solidity_interface_matches_the_table() {
    let abi = generated_abi();
    let functions: BTreeSet<_> = abi
        .functions()
        .map(|f| (f.signature(), f.selector().to_vec()))
        .collect();
    let errors: BTreeSet<_> = abi
        .errors()
        .map(|e| (e.signature(), e.selector().to_vec()))
        .collect();
    let events: BTreeSet<_> = abi
        .events()
        .map(|e| (e.signature(), e.selector().to_vec()))
        .collect();
    assert_eq!(functions, rows("function"));
    assert_eq!(errors, rows("error"));
    assert_eq!(events, rows("event"));
}

#[test]
fn json_abis_are_generated_from_the_solidity_interfaces() {
    for (file, generated) in [
        ("ISpendingLimitHook.json", generated_abi()),
        (
            "ISpendingLimitPolicy.json",
            with_struct_names(ISpendingLimitPolicy::abi::contract()),
        ),
    ] {
        let path = format!("{}/abi/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("BLESS").is_some() {
            let text = serde_json::to_string_pretty(&generated).expect("serialize");
            std::fs::write(&path, text + "\n").expect("write abi json");
        }
        let text = std::fs::read_to_string(&path).expect("the JSON ABI exists (BLESS=1 writes it)");
        let on_disk: JsonAbi = serde_json::from_str(&text).expect("valid JSON ABI");
        assert_eq!(on_disk, generated, "{path} is stale: rerun with BLESS=1");
    }
}

/// The extension interface adds functions only, and none collides with the
/// reference's selectors.
#[test]
fn the_policy_interface_extends_without_collisions() {
    let reference: BTreeSet<Vec<u8>> = rows("function").into_iter().map(|(_, s)| s).collect();
    for function in ISpendingLimitPolicy::abi::contract().functions() {
        assert!(
            !reference.contains(&function.selector().to_vec()),
            "{}",
            function.signature()
        );
    }
}

#[test]
fn contract_errors_and_events_match_the_table() {
    let errors = rows("error");
    let ours: BTreeSet<(String, Vec<u8>)> = [
        (
            abi::SpendingLimitExceeded::SIGNATURE,
            abi::SpendingLimitExceeded::SELECTOR,
        ),
        (
            abi::WindowDurationTooShort::SIGNATURE,
            abi::WindowDurationTooShort::SELECTOR,
        ),
        (
            abi::LimitCannotBeZero::SIGNATURE,
            abi::LimitCannotBeZero::SELECTOR,
        ),
        (
            abi::NoLimitsProvided::SIGNATURE,
            abi::NoLimitsProvided::SELECTOR,
        ),
        (abi::TooManyTokens::SIGNATURE, abi::TooManyTokens::SELECTOR),
        (
            abi::DelegateCallNotAllowed::SIGNATURE,
            abi::DelegateCallNotAllowed::SELECTOR,
        ),
        (
            abi::ModuleManagementBlocked::SIGNATURE,
            abi::ModuleManagementBlocked::SELECTOR,
        ),
        (
            abi::UnknownFunctionBlocked::SIGNATURE,
            abi::UnknownFunctionBlocked::SELECTOR,
        ),
        (
            abi::SelfCallBlocked::SIGNATURE,
            abi::SelfCallBlocked::SELECTOR,
        ),
        (
            abi::ModuleAlreadyInitialized::SIGNATURE,
            abi::ModuleAlreadyInitialized::SELECTOR,
        ),
        (
            abi::NotInitialized::SIGNATURE,
            abi::NotInitialized::SELECTOR,
        ),
        (
            abi::InvalidCallType::SIGNATURE,
            abi::InvalidCallType::SELECTOR,
        ),
        (abi::DecodingError::SIGNATURE, abi::DecodingError::SELECTOR),
        (
            abi::DuplicateToken::SIGNATURE,
            abi::DuplicateToken::SELECTOR,
        ),
    ]
    .into_iter()
    .map(|(s, sel)| (s.to_string(), sel.to_vec()))
    .collect();
    assert_eq!(ours, errors);

    let ours: BTreeSet<(String, Vec<u8>)> = [
        (
            abi::SpendingLimitSet::SIGNATURE,
            abi::SpendingLimitSet::SIGNATURE_HASH,
        ),
        (
            abi::SpendingLimitRemoved::SIGNATURE,
            abi::SpendingLimitRemoved::SIGNATURE_HASH,
        ),
        (
            abi::SpendingRecorded::SIGNATURE,
            abi::SpendingRecorded::SIGNATURE_HASH,
        ),
        (
            abi::SpendingWindowReset::SIGNATURE,
            abi::SpendingWindowReset::SIGNATURE_HASH,
        ),
    ]
    .into_iter()
    .map(|(s, h)| (s.to_string(), h.to_vec()))
    .collect();
    assert_eq!(ours, rows("event"));
}

#[test]
fn account_and_token_selectors_match_the_table() {
    use abi::IERC7579Account as A;
    let ours: BTreeSet<(String, Vec<u8>)> = [
        (A::executeCall::SIGNATURE, A::executeCall::SELECTOR),
        (
            A::executeFromExecutorCall::SIGNATURE,
            A::executeFromExecutorCall::SELECTOR,
        ),
        (
            A::installModuleCall::SIGNATURE,
            A::installModuleCall::SELECTOR,
        ),
        (
            A::uninstallModuleCall::SIGNATURE,
            A::uninstallModuleCall::SELECTOR,
        ),
        (
            A::executeUserOpCall::SIGNATURE,
            A::executeUserOpCall::SELECTOR,
        ),
    ]
    .into_iter()
    .map(|(s, sel)| (s.to_string(), sel.to_vec()))
    .collect();
    assert_eq!(ours, rows("account"));
    // Every token selector of the reference table is in the hook's table of
    // token-moving calls, with the same selector.
    let ours: BTreeSet<(String, Vec<u8>)> = spending_limit_hook::outflow::TOKEN_CALLS
        .iter()
        .map(|row| (row.signature.to_string(), row.selector.to_vec()))
        .collect();
    let table = rows("token");
    assert!(
        table.is_subset(&ours),
        "missing: {:?}",
        table.difference(&ours).collect::<Vec<_>>()
    );
}

/// Every function of the table reaches the program's router and an unknown
/// selector does not: known selectors answer with data or a typed error, an
/// unknown one reverts with no data, as Solidity does.
#[motsu::test]
fn the_router_serves_exactly_the_table(hook: Contract<Hook>, alice: Address) {
    let zero_args = [0u8; 4 * 32];
    let extensions: Vec<(String, Vec<u8>)> = ISpendingLimitPolicy::abi::contract()
        .functions()
        .map(|f| (f.signature(), f.selector().to_vec()))
        .collect();
    for (signature, selector) in rows("function").into_iter().chain(extensions) {
        let mut input = selector.clone();
        input.extend_from_slice(&zero_args);
        let result = hook.sender(alice).call(&input);
        assert_ne!(result, Err(Vec::new()), "{signature} is routed");
    }
    assert_eq!(
        hook.sender(alice).call(&[0xde, 0xad, 0xbe, 0xef]),
        Err(Vec::new())
    );
    assert_eq!(hook.sender(alice).call(&[0x06, 0xfd]), Err(Vec::new()));
}

/// The two programs split the interface: every function is served by
/// exactly one of them, and the hook program's share is the hot calls.
#[motsu::test]
fn the_hook_and_config_programs_split_the_interface(hook: Contract<Hook>, alice: Address) {
    use spending_limit_testkit::{config_program, hook_program};
    let zero_args = [0u8; 4 * 32];
    let functions: Vec<(String, Vec<u8>)> = rows("function")
        .into_iter()
        .chain(
            ISpendingLimitPolicy::abi::contract()
                .functions()
                .map(|f| (f.signature(), f.selector().to_vec())),
        )
        .collect();
    let mut hot = BTreeSet::new();
    for (signature, selector) in functions {
        let mut input = selector.clone();
        input.extend_from_slice(&zero_args);
        // Each program's own router, in the motsu context of alice's call.
        let _context = &*hook.sender(alice);
        let in_hook = hook_program::call(&input).is_some();
        let in_config = config_program::call(&input) != Err(Vec::new());
        assert!(
            in_hook != in_config,
            "{signature}: hook {in_hook}, config {in_config}"
        );
        if in_hook {
            hot.insert(signature.split('(').next().unwrap_or_default().to_string());
        }
    }
    let expected: BTreeSet<String> = [
        "preCheck",
        "postCheck",
        "setSpendingLimit",
        "getRemainingAllowance",
        "configProgram",
    ]
    .map(String::from)
    .into();
    assert_eq!(hot, expected);
}

#[motsu::test]
fn views_answer_through_the_router(hook: Contract<Hook>, alice: Address) {
    use alloy_sol_types::SolCall;
    use spending_limit_hook::abi::ISpendingLimitHook as I;
    let storage = hook.sender(alice);
    let name = storage.call(&I::nameCall {}.abi_encode()).expect("name");
    assert_eq!(
        I::nameCall::abi_decode_returns(&name, true)
            .expect("decodes")
            ._0,
        "SpendingLimitHook"
    );
    let version = storage
        .call(&I::versionCall {}.abi_encode())
        .expect("version");
    assert_eq!(
        I::versionCall::abi_decode_returns(&version, true)
            .expect("decodes")
            ._0,
        env!("CARGO_PKG_VERSION")
    );
    let module = storage.call(
        &I::isModuleTypeCall {
            typeId: alloy_primitives::U256::from(4),
        }
        .abi_encode(),
    );
    assert!(
        I::isModuleTypeCall::abi_decode_returns(&module.expect("isModuleType"), true)
            .expect("decodes")
            ._0
    );
}

#[test]
fn errors_encode_as_alloy_encodes_them() {
    use alloy_primitives::{aliases::U48, U256};
    use spending_limit_hook::error::HookError as E;
    let a = Address::repeat_byte(7);
    let cases: Vec<(E, Vec<u8>)> = vec![
        (
            E::exceeded(a, U256::from(5), U256::MAX),
            abi::SpendingLimitExceeded {
                token: a,
                attempted: U256::from(5),
                remaining: U256::MAX,
            }
            .abi_encode(),
        ),
        (
            E::window_too_short(59),
            abi::WindowDurationTooShort {
                provided: U48::from(59),
                minimum: U48::from(60),
            }
            .abi_encode(),
        ),
        (
            E::LimitCannotBeZero(abi::LimitCannotBeZero {}),
            abi::LimitCannotBeZero {}.abi_encode(),
        ),
        (
            E::NoLimitsProvided(abi::NoLimitsProvided {}),
            abi::NoLimitsProvided {}.abi_encode(),
        ),
        (
            E::TooManyTokens(abi::TooManyTokens {
                max: U256::from(50),
            }),
            abi::TooManyTokens {
                max: U256::from(50),
            }
            .abi_encode(),
        ),
        (
            E::DelegateCallNotAllowed(abi::DelegateCallNotAllowed {}),
            abi::DelegateCallNotAllowed {}.abi_encode(),
        ),
        (
            E::ModuleManagementBlocked(abi::ModuleManagementBlocked {}),
            abi::ModuleManagementBlocked {}.abi_encode(),
        ),
        (
            E::UnknownFunctionBlocked(abi::UnknownFunctionBlocked {}),
            abi::UnknownFunctionBlocked {}.abi_encode(),
        ),
        (
            E::SelfCallBlocked(abi::SelfCallBlocked {}),
            abi::SelfCallBlocked {}.abi_encode(),
        ),
        (
            E::ModuleAlreadyInitialized(abi::ModuleAlreadyInitialized { smartAccount: a }),
            abi::ModuleAlreadyInitialized { smartAccount: a }.abi_encode(),
        ),
        (
            E::not_initialized(a),
            abi::NotInitialized { smartAccount: a }.abi_encode(),
        ),
        (
            E::InvalidCallType(abi::InvalidCallType {}),
            abi::InvalidCallType {}.abi_encode(),
        ),
        (E::decoding(), abi::DecodingError {}.abi_encode()),
        (
            E::DuplicateToken(abi::DuplicateToken { token: a }),
            abi::DuplicateToken { token: a }.abi_encode(),
        ),
    ];
    let cases = cases.into_iter().chain([
        (
            E::policy(abi::AccountPaused {}),
            abi::AccountPaused {}.abi_encode(),
        ),
        (
            E::policy(abi::TokenNotAllowed { token: a }),
            abi::TokenNotAllowed { token: a }.abi_encode(),
        ),
        (
            E::policy(abi::PerCallCapExceeded {
                token: a,
                attempted: U256::from(9),
                cap: U256::from(8),
            }),
            abi::PerCallCapExceeded {
                token: a,
                attempted: U256::from(9),
                cap: U256::from(8),
            }
            .abi_encode(),
        ),
        (
            E::policy(abi::TokenNotLimited { token: a }),
            abi::TokenNotLimited { token: a }.abi_encode(),
        ),
    ]);
    fn policy<T: SolError + Clone + Into<E>>(error: T) -> (E, Vec<u8>) {
        (E::policy(error.clone()), error.abi_encode())
    }
    let id = alloy_primitives::B256::repeat_byte(0xb1);
    let cases = cases.chain([
        policy(abi::InvalidWindow {
            index: U256::from(3),
        }),
        policy(abi::InvalidValidity {
            validAfter: U48::from(9),
            validUntil: U48::MAX,
        }),
        policy(abi::OutsideValidity {
            token: a,
            validAfter: U48::from(1),
            validUntil: U48::from(2),
        }),
        policy(abi::LifetimeCapExceeded {
            token: a,
            attempted: U256::MAX,
            remaining: U256::from(1),
        }),
        policy(abi::BudgetExceeded {
            budget: id,
            attempted: U256::from(7),
            remaining: U256::ZERO,
        }),
        policy(abi::InvalidBudget { budget: id }),
        policy(abi::InvalidConfigProgram { program: a }),
    ]);
    for (error, expected) in cases {
        assert_eq!(error.encode(), expected, "{error:?}");
    }
}

/// Any bytes after any function's selector, installed account or not: the
/// router answers with output or with one of the interfaces' errors, and
/// never panics. Half the cases start from a well-formed policy call and
/// flip bytes in it, so the decoders of arrays and structs are reached.
#[test]
fn every_function_answers_any_arguments_with_output_or_a_typed_error() {
    use proptest::prelude::*;
    use spending_limit_hook::abi::{ISpendingLimitHook as IH, ISpendingLimitPolicy as IP};
    let selectors: Vec<Vec<u8>> = rows("function")
        .into_iter()
        .map(|(_, s)| s)
        .chain(
            ISpendingLimitPolicy::abi::contract()
                .functions()
                .map(|f| f.selector().to_vec()),
        )
        .collect();
    let window = IP::Window {
        kind: 2,
        limit: 100,
        duration: alloy_primitives::aliases::U48::from(3_600),
        anchor: alloy_primitives::aliases::U48::ZERO,
    };
    let well_formed = [
        IP::setWindowsCall {
            token: Address::repeat_byte(0x70),
            windows: vec![window.clone(); 2],
        }
        .abi_encode(),
        IP::setBudgetCall {
            budget: alloy_primitives::B256::repeat_byte(1),
            tokens: vec![Address::repeat_byte(0x70)],
            scales: vec![alloy_primitives::aliases::U96::from(1)],
            windows: vec![window],
        }
        .abi_encode(),
    ];
    let arbitrary = (
        0..selectors.len(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(move |(i, args)| [selectors[i].clone(), args].concat());
    let mutated = (
        0..well_formed.len(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    )
        .prop_map(move |(i, edits)| {
            let mut call = well_formed[i].clone();
            for (at, byte) in edits {
                let at = 4 + at % (call.len() - 4);
                call[at] = byte;
            }
            call
        });
    let input = prop_oneof![arbitrary, mutated];
    property::check(
        "every_function_answers_any_arguments_with_output_or_a_typed_error",
        (input, any::<bool>()),
        |(calldata, installed)| {
            let hook = Contract::<Hook>::new();
            let account = Address::repeat_byte(0xac);
            if installed {
                let install = IH::onInstallCall {
                    data: (
                        Address::ZERO,
                        vec![abi::TokenLimitInit {
                            token: Address::repeat_byte(0x70),
                            limit: alloy_primitives::U256::from(1_000),
                            windowDuration: alloy_primitives::aliases::U48::from(3_600),
                        }],
                    )
                        .abi_encode_params()
                        .into(),
                }
                .abi_encode();
                hook.sender(account).call(&install).unwrap();
            }
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                hook.sender(account).call(&calldata)
            }));
            let Ok(result) = result else {
                return Err(TestCaseError::fail(format!(
                    "panicked on 0x{}",
                    hex::encode(&calldata)
                )));
            };
            if let Err(revert) = result {
                let known = IH::ISpendingLimitHookErrors::abi_decode(&revert, true).is_ok()
                    || IP::ISpendingLimitPolicyErrors::abi_decode(&revert, true).is_ok();
                prop_assert!(
                    known,
                    "unknown revert 0x{} for 0x{}",
                    hex::encode(&revert),
                    hex::encode(&calldata)
                );
            }
            Ok(())
        },
    );
}

/// What `interface` text declares, by selector: every `function`, `error`
/// and `event` line of Solidity as `spending_limit_stylus::interface` prints
/// it, its struct parameters replaced by the tuples the text's own
/// `struct` blocks declare. Parsed here, not by alloy, so that the printer
/// and the check do not share their mistakes.
fn declared(text: &str) -> BTreeSet<(String, Vec<u8>)> {
    let mut structs: Vec<(String, String)> = Vec::new();
    let mut lines = text.lines().map(str::trim);
    let mut library = String::new();
    let mut out = BTreeSet::new();
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("library ") {
            library = name.trim_end_matches(" {").to_string();
        } else if let Some(name) = line.strip_prefix("struct ") {
            let name = name.trim_end_matches(" {");
            let mut fields = Vec::new();
            for field in lines.by_ref() {
                if field == "}" {
                    break;
                }
                fields.push(field.split(' ').next().unwrap_or_default().to_string());
            }
            structs.push((
                format!("{library}.{name}"),
                format!("({})", fields.join(",")),
            ));
        } else if let Some((kind, rest)) = line.split_once(' ') {
            if !["function", "error", "event"].contains(&kind) {
                continue;
            }
            let (name, rest) = rest.split_once('(').expect("a parameter list");
            let params = &rest[..rest.find(')').expect("closed")];
            let types: Vec<String> = params
                .split(", ")
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let ty = p.split(' ').next().unwrap_or_default();
                    let (base, array) = ty.split_at(ty.find('[').unwrap_or(ty.len()));
                    let base = structs
                        .iter()
                        .find(|(s, _)| s == base)
                        .map_or(base.to_string(), |(_, tuple)| tuple.clone());
                    format!("{base}{array}")
                })
                .collect();
            let signature = format!("{name}({})", types.join(","));
            let hash = keccak256(signature.as_bytes());
            let id = if kind == "event" {
                hash.to_vec()
            } else {
                hash[..4].to_vec()
            };
            out.insert((format!("{kind} {signature}"), id));
        }
    }
    out
}

/// Every function, error and event of `abi/`, as `kind signature` with its id.
fn published() -> BTreeSet<(String, Vec<u8>)> {
    let mut out = BTreeSet::new();
    for abi in [
        generated_abi(),
        with_struct_names(ISpendingLimitPolicy::abi::contract()),
    ] {
        out.extend(
            abi.functions()
                .map(|f| (format!("function {}", f.signature()), f.selector().to_vec())),
        );
        out.extend(
            abi.errors()
                .map(|e| (format!("error {}", e.signature()), e.selector().to_vec())),
        );
        out.extend(
            abi.events()
                .map(|e| (format!("event {}", e.signature()), e.selector().to_vec())),
        );
    }
    out
}

/// `cargo stylus export-abi` for each program prints what it answers: the
/// hook program, at the address accounts call, every function of `abi/`
/// (what it does not serve it hands on); the config program its own share.
/// Both with every error and event.
#[test]
fn each_program_prints_the_interface_it_answers() {
    use spending_limit_testkit::{config_program, hook_program, interface};
    let published = published();
    let functions = |ids: &[u32]| -> BTreeSet<(String, Vec<u8>)> {
        published
            .iter()
            .filter(|(s, id)| {
                !s.starts_with("function ")
                    || ids.contains(&u32::from_be_bytes(id[..4].try_into().unwrap()))
            })
            .cloned()
            .collect()
    };
    let everything: Vec<u32> = hook_program::SERVED
        .iter()
        .chain(config_program::SERVED)
        .copied()
        .collect();
    let hook = interface::solidity("ISpendingLimitHook", &everything).unwrap();
    assert_eq!(declared(&hook), published);
    let config =
        interface::solidity("ISpendingLimitConfigProgram", config_program::SERVED).unwrap();
    assert_eq!(declared(&config), functions(config_program::SERVED));
    assert!(declared(&config).len() < published.len());
}

/// The two programs' routing tables split the interface: no selector in
/// both, every function of `abi/` in one, and nothing else but the
/// constructor's.
#[test]
fn the_routing_tables_cover_the_interface_once() {
    use spending_limit_testkit::{config_program, hook_program};
    let hook: BTreeSet<u32> = hook_program::SERVED.iter().copied().collect();
    let config: BTreeSet<u32> = config_program::SERVED.iter().copied().collect();
    assert_eq!(hook.len(), hook_program::SERVED.len(), "no duplicates");
    assert_eq!(config.len(), config_program::SERVED.len(), "no duplicates");
    assert!(hook.is_disjoint(&config));
    let constructor = u32::from_be_bytes(abi::IStylusConstructor::stylus_constructorCall::SELECTOR);
    let mut functions: BTreeSet<u32> = published()
        .into_iter()
        .filter(|(s, _)| s.starts_with("function "))
        .map(|(_, id)| u32::from_be_bytes(id[..4].try_into().unwrap()))
        .collect();
    functions.insert(constructor);
    assert_eq!(
        hook.union(&config).copied().collect::<BTreeSet<_>>(),
        functions
    );
}
