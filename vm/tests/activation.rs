//! One test per rule Nitro applies when it activates a program
//! (`vm/src/activation.rs` says where each comes from): a module that breaks
//! just that rule is refused with Nitro's reason, and the same module
//! without the break is accepted, so each test fails if its rule is dropped
//! or widened.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use stylus_local_vm::activation::{self, Chain, Refusal};
use wasm_encoder::{RawSection, SectionId};
use wasmparser::{Parser, Payload};

/// A program every rule accepts: a growable memory (so it imports
/// `pay_for_memory_grow`), the entry point, and `extra` inside the module.
fn program_with(imports: &str, extra: &str, body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
            (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
            {imports}
            (memory (export "memory") 1)
            {extra}
            (func (export "user_entrypoint") (param i32) (result i32) {body} i32.const 0))"#
    ))
    .unwrap()
}

fn program() -> Vec<u8> {
    program_with("", "", "")
}

fn refusal(wasm: &[u8]) -> Refusal {
    refusal_on(wasm, &Chain::default())
}

fn refusal_on(wasm: &[u8], chain: &Chain) -> Refusal {
    match activation::activate(wasm, chain) {
        Err(refusal) => refusal,
        Ok(_) => panic!("Nitro refuses this module, the checks accepted it"),
    }
}

fn accepted(wasm: &[u8]) {
    if let Err(refusal) = activation::check(wasm) {
        panic!("Nitro accepts this module, the checks refused it: {refusal}");
    }
}

/// `wasm` with a raw section inserted before the first section of id `before`.
fn with_section(wasm: &[u8], before: SectionId, id: u8, data: &[u8]) -> Vec<u8> {
    let mut module = wasm_encoder::Module::new();
    let mut inserted = false;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.unwrap();
        if let Some((section, range)) = payload.as_section() {
            if !inserted && section == before as u8 {
                module.section(&RawSection { id, data });
                inserted = true;
            }
            if !matches!(payload, Payload::CodeSectionEntry(_)) {
                module.section(&RawSection {
                    id: section,
                    data: &wasm[range],
                });
            }
        }
    }
    assert!(inserted, "no section {before:?} to insert before");
    module.finish()
}

#[test]
fn a_program_that_breaks_no_rule_is_activated_with_its_costs() {
    let info = activation::check(&program()).unwrap();
    assert_eq!(info.functions, 1);
    assert_eq!(info.footprint, 1);
    assert_eq!(info.imports, ["pay_for_memory_grow"]);
    // One function of type (i32) -> i32: type_len 2.
    assert_eq!(info.type_len, 2);
    assert!(info.init_cost > 0 && info.cached_init_cost > 0);
}

#[test]
fn features_nitro_leaves_off_are_refused_by_its_validator() {
    for (what, extra, body) in [
        ("SIMD", "", "v128.const i64x2 0 0 drop"),
        ("reference types", "(table 1 externref)", ""),
        ("threads", "", "i32.const 0 i32.atomic.load drop"),
        ("tail calls", "(func $t (result i32) return_call $t)", ""),
        (
            "extended constants",
            "(global i32 (i32.add (i32.const 1) (i32.const 2)))",
            "",
        ),
        ("exceptions", "(tag $e)", ""),
    ] {
        let wasm = program_with("", extra, body);
        assert!(
            matches!(refusal(&wasm), Refusal::Invalid(_)),
            "{what} must be refused"
        );
    }
    // What Nitro enables: sign extension, bulk memory's copy and fill,
    // mutable globals, multi-value.
    accepted(&program_with(
        "",
        "(global (mut i32) (i32.const 0)) (func (result i32 i32) i32.const 1 i32.const 2)",
        "i32.const 1 i32.extend8_s drop i32.const 0 i32.const 0 i32.const 1 memory.copy \
         i32.const 0 i32.const 0 i32.const 1 memory.fill",
    ));
}

#[test]
fn a_datacount_section_is_refused_as_nitros_parser_has_no_case_for_it() {
    // What Binaryen writes for `--enable-bulk-memory` (Stylus.toml says why
    // the build never asks for it). Count 0 matches the module's data.
    let wasm = with_section(
        &program(),
        SectionId::Code,
        SectionId::DataCount as u8,
        &[0],
    );
    activation::nitro_features(); // the validator alone accepts it:
    wasmparser::Validator::new_with_features(activation::nitro_features())
        .validate_all(&wasm)
        .unwrap();
    let refused = refusal(&wasm);
    assert_eq!(
        refused,
        Refusal::UnsupportedSection("DataCountSection".into())
    );
    assert_eq!(
        refused.to_string(),
        "unsupported section type DataCountSection"
    );
}

#[test]
fn only_functions_may_be_imported() {
    let wasm = program_with(r#"(import "vm_hooks" "g" (global i32))"#, "", "");
    assert!(matches!(refusal(&wasm), Refusal::ImportKind(_)));
}

#[test]
fn a_name_section_that_does_not_parse_is_refused() {
    let garbage = [4, b'n', b'a', b'm', b'e', 0xff, 0xff, 0xff];
    let wasm = with_section(&program(), SectionId::Type, 0, &garbage);
    assert!(matches!(refusal(&wasm), Refusal::MalformedNameSection(_)));
    // Other custom sections are ignored.
    let note = [4, b'n', b'o', b't', b'e', 0xff, 0xff, 0xff];
    accepted(&with_section(&program(), SectionId::Type, 0, &note));
}

#[test]
fn one_import_may_not_have_two_signatures() {
    let wasm = program_with(
        r#"(import "vm_hooks" "msg_sender" (func (param i32)))
           (import "vm_hooks" "msg_sender" (func (param i64)))"#,
        "",
        "",
    );
    assert_eq!(
        refusal(&wasm),
        Refusal::InconsistentImports {
            module: "vm_hooks".into(),
            name: "msg_sender".into()
        }
    );
    // Twice with the same signature is consistent.
    accepted(&program_with(
        r#"(import "vm_hooks" "msg_sender" (func (param i32)))
           (import "vm_hooks" "msg_sender" (func (param i32)))"#,
        "",
        "",
    ));
}

#[test]
fn an_export_may_not_carry_an_imports_name() {
    for name in ["msg_sender", "prefix__msg_sender"] {
        let wasm = program_with(
            r#"(import "vm_hooks" "msg_sender" (func (param i32)))"#,
            &format!(r#"(func (export "{name}"))"#),
            "",
        );
        assert_eq!(refusal(&wasm), Refusal::ExportsImport("msg_sender".into()));
    }
    accepted(&program_with(
        r#"(import "vm_hooks" "msg_sender" (func (param i32)))"#,
        r#"(func (export "msg_sender__x"))"#,
        "",
    ));
}

#[test]
fn names_starting_with_stylus_are_reserved() {
    for name in ["stylus_start", "a__stylusx"] {
        let wasm = program_with("", &format!(r#"(func (export "{name}"))"#), "");
        assert!(
            matches!(refusal(&wasm), Refusal::ReservedExport(n) if n == name.rsplit("__").next().unwrap())
        );
    }
    // Only the last `__` part is looked at.
    accepted(&program_with("", r#"(func (export "stylus__x"))"#, ""));
    let wasm = program_with(r#"(import "vm_hooks" "stylus_x" (func))"#, "", "");
    assert_eq!(refusal(&wasm), Refusal::ReservedImport("stylus_x".into()));
}

#[test]
fn a_start_function_is_refused_but_on_debug_chains() {
    let wasm = program_with("", "(func $s) (start $s)", "");
    assert_eq!(refusal(&wasm), Refusal::StartFunction);
    let debug = Chain {
        debug: true,
        ..Chain::default()
    };
    activation::activate(&wasm, &debug).unwrap();
}

#[test]
fn the_memory_must_exist_once_exported_as_memory() {
    let none = wat::parse_str(
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert_eq!(refusal(&none), Refusal::MissingMemory);
    let hidden = wat::parse_str(
        r#"(module (memory 1 1) (memory 1 1)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    // Two memories need multi-memory, which the validator refuses first.
    assert!(matches!(refusal(&hidden), Refusal::Invalid(_)));
    let renamed = wat::parse_str(
        r#"(module (memory (export "mem") 1 1)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert_eq!(refusal(&renamed), Refusal::MemoryNotExported);
}

#[test]
fn the_initial_memory_is_at_most_128_pages() {
    let at = |pages: u32| {
        wat::parse_str(format!(
            r#"(module (memory (export "memory") {pages} {pages})
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
        ))
        .unwrap()
    };
    accepted(&at(128));
    assert_eq!(refusal(&at(129)), Refusal::MemoryBound { pages: 129 });
}

#[test]
fn a_memory_that_can_grow_imports_pay_for_memory_grow_with_its_type() {
    let growable = |import: &str| {
        wat::parse_str(format!(
            r#"(module {import} (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
        ))
        .unwrap()
    };
    assert_eq!(refusal(&growable("")), Refusal::MissingMemoryGrowImport);
    assert!(matches!(
        refusal(&growable(
            r#"(import "vm_hooks" "pay_for_memory_grow" (func (param i64)))"#
        )),
        Refusal::MemoryGrowImportType(_)
    ));
    // A memory whose maximum is its size cannot grow, and needs no import.
    accepted(
        &wat::parse_str(
            r#"(module (memory (export "memory") 1 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        )
        .unwrap(),
    );
}

#[test]
fn table_operators_the_dynamic_meter_cannot_price_are_refused() {
    let table = "(table 2 funcref) (elem $e func $f) (func $f)";
    for (operator, body) in [
        (
            "table.copy",
            "i32.const 0 i32.const 0 i32.const 0 table.copy",
        ),
        (
            "table.init",
            "i32.const 0 i32.const 0 i32.const 0 table.init $e",
        ),
        ("elem.drop", "elem.drop $e"),
    ] {
        let wasm = program_with("", table, body);
        assert!(
            matches!(refusal(&wasm), Refusal::UnsupportedOperator { operator: o, .. } if o == operator),
            "{operator}"
        );
    }
    accepted(&program_with("", table, "i32.const 0 call_indirect"));
}

#[test]
fn a_frame_larger_than_10240_words_is_refused() {
    // Declared locals, the operand stack (1 here) and 4 words: 10,236
    // locals fit exactly.
    let frame = |locals: usize| {
        program_with(
            "",
            &format!("(func (local {}) i32.const 0 drop)", "i32 ".repeat(locals)),
            "",
        )
    };
    // Past the 348-locals limit, which is checked later (parse_user).
    assert!(matches!(
        refusal(&frame(10_235)),
        Refusal::TooMany { what: "locals", .. }
    ));
    assert!(matches!(
        refusal(&frame(10_236)),
        Refusal::FrameTooLarge { words: 10_241, .. }
    ));
}

#[test]
fn more_than_4096_values_on_the_stack_at_once_are_refused() {
    let stack = |values: usize| {
        program_with(
            "",
            &format!(
                "(func {} {})",
                "i32.const 0 ".repeat(values),
                "drop ".repeat(values)
            ),
            "",
        )
    };
    accepted(&stack(4096));
    assert!(matches!(
        refusal(&stack(4097)),
        Refusal::StackContention { values: 4097, .. }
    ));
}

#[test]
fn the_entry_point_is_a_function_of_type_i32_to_i32() {
    let without = wat::parse_str(r#"(module (memory (export "memory") 1 1) (func))"#).unwrap();
    assert_eq!(refusal(&without), Refusal::MissingEntryPoint);
    let wrong = wat::parse_str(
        r#"(module (memory (export "memory") 1 1)
            (func (export "user_entrypoint") (param i64) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert!(matches!(refusal(&wrong), Refusal::EntryPointType(_)));
    // An entry point that is not a function is dropped with the other
    // exports first, so it is missing.
    let global = wat::parse_str(
        r#"(module (memory (export "memory") 1 1) (global (export "user_entrypoint") i32 (i32.const 0)))"#,
    )
    .unwrap();
    assert_eq!(refusal(&global), Refusal::MissingEntryPoint);
}

#[test]
fn entry_costs_must_fit_what_activation_stores() {
    // 70 functions of a type with 1,000 parameters: type_len 70,000, an
    // uncached init cost past u16.
    let params = "i32 ".repeat(1000);
    let funcs = format!("(type $big (func (param {params})))") + &"(func (type $big))".repeat(70);
    let wasm = program_with("", &funcs, "");
    assert_eq!(refusal(&wasm), Refusal::CostTooHigh("init cost too high"));
    let fewer = format!("(type $big (func (param {params})))") + &"(func (type $big))".repeat(50);
    accepted(&program_with("", &fewer, ""));
}

#[test]
fn the_memory_must_fit_what_the_transaction_has_left() {
    let chain = Chain {
        page_limit: 0,
        ..Chain::default()
    };
    assert_eq!(
        refusal_on(&program(), &chain),
        Refusal::MemoryExceedsLimit { pages: 1, limit: 0 }
    );
}

#[test]
fn each_count_has_its_limit() {
    let too_many = |wasm: &[u8], what: &str| {
        assert!(
            matches!(refusal(wasm), Refusal::TooMany { what: w, .. } if w == what),
            "{what}: {}",
            refusal(wasm)
        );
    };
    let datas = |n: usize| program_with("", &r#"(data (i32.const 0) "x")"#.repeat(n), "");
    accepted(&datas(128));
    too_many(&datas(129), "datas");

    let elements = |n: usize| {
        program_with(
            "",
            &("(table 1 funcref) (func $f)".to_string() + &"(elem (i32.const 0) $f)".repeat(n)),
            "",
        )
    };
    accepted(&elements(128));
    too_many(&elements(129), "elements");

    let functions = |n: usize| program_with("", &"(func)".repeat(n), "");
    accepted(&functions(4095));
    too_many(&functions(4096), "functions");

    // The instrumentation adds 4 globals.
    let globals = |n: usize| program_with("", &"(global i32 (i32.const 0))".repeat(n), "");
    accepted(&globals(32_764));
    too_many(&globals(32_765), "globals");

    let locals = |n: usize| program_with("", &format!("(func (local {}))", "i32 ".repeat(n)), "");
    accepted(&locals(348));
    too_many(&locals(349), "locals");

    // `end` is an operator too.
    let operators = |pairs: usize| {
        program_with(
            "",
            &format!("(func {})", "i32.const 0 drop ".repeat(pairs)),
            "",
        )
    };
    accepted(&operators(32_767));
    too_many(&operators(32_768), "opcodes in func body");

    let imports = |n: usize| {
        program_with(
            &r#"(import "vm_hooks" "msg_reentrant" (func (result i32)))"#.repeat(n),
            "",
            "",
        )
    };
    // pay_for_memory_grow is one of them.
    accepted(&imports(512));
    too_many(&imports(513), "imports");

    let table = |n: usize| program_with("", &format!("(table {n} funcref)"), "");
    accepted(&table(4096));
    too_many(&table(4097), "table entries");

    // Nitro counts an element segment's bytes, not its items: a segment of
    // n one-byte function indices and a 6-byte header (flags, offset,
    // count).
    let element_bytes = |n: usize| {
        program_with(
            "",
            &format!(
                "(table 4096 funcref) (func $f) (elem (i32.const 0) {})",
                "$f ".repeat(n)
            ),
            "",
        )
    };
    accepted(&element_bytes(4090));
    too_many(&element_bytes(4091), "element entries");
}

#[test]
fn exports_but_the_entry_point_and_memory_are_dropped_before_they_are_counted() {
    // 2,000 exports and a 600-byte name: neither limit sees them.
    let exports: String = (0..2000)
        .map(|i| format!(r#"(export "e{i}" (func $f))"#))
        .collect::<String>()
        + &format!(r#"(export "{}" (func $f))"#, "n".repeat(600));
    accepted(&program_with("", &format!("(func $f) {exports}"), ""));
}

#[test]
fn the_module_name_is_at_most_512_bytes() {
    let named = |len: usize| {
        wat::parse_str(format!(
            r#"(module ${}
                (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
            "m".repeat(len)
        ))
        .unwrap()
    };
    accepted(&named(512));
    assert_eq!(
        refusal(&named(513)),
        Refusal::NameTooLong {
            what: "module name",
            len: 513
        }
    );
}

#[test]
fn imports_resolve_to_the_host_functions_with_their_types() {
    let wasm = program_with(r#"(import "vm_hooks" "not_a_hook" (func))"#, "", "");
    assert_eq!(
        refusal(&wasm),
        Refusal::NoSuchImport {
            module: "vm_hooks".into(),
            name: "not_a_hook".into()
        }
    );
    let wasm = program_with(r#"(import "env" "msg_sender" (func (param i32)))"#, "", "");
    assert!(matches!(refusal(&wasm), Refusal::NoSuchImport { module, .. } if module == "env"));
    let wasm = program_with(
        r#"(import "vm_hooks" "msg_sender" (func (param i64)))"#,
        "",
        "",
    );
    assert!(
        matches!(refusal(&wasm), Refusal::ImportSignature { name, .. } if name == "msg_sender")
    );
    // Every host function, with its own type, is accepted at once.
    let all: String = activation::HOST_FUNCTIONS
        .iter()
        .filter(|(name, _, _)| *name != "pay_for_memory_grow")
        .map(|(name, params, results)| {
            let list = |types: &[wasmparser::ValType]| {
                types.iter().map(|t| format!("{t} ")).collect::<String>()
            };
            format!(
                r#"(import "vm_hooks" "{name}" (func (param {}) (result {})))"#,
                list(params),
                list(results)
            )
        })
        .collect();
    accepted(&program_with(&all, "", ""));
}

#[test]
fn debug_host_functions_only_on_debug_chains() {
    let wasm = program_with(r#"(import "console" "log_i32" (func (param i32)))"#, "", "");
    assert!(matches!(refusal(&wasm), Refusal::DebugImport { .. }));
    let debug = Chain {
        debug: true,
        ..Chain::default()
    };
    activation::activate(&wasm, &debug).unwrap();
}

#[test]
fn float_arithmetic_is_refused_but_moving_float_bits_is_not() {
    for body in [
        "f32.const 1 f32.const 2 f32.add drop",
        "f64.const 1 f64.sqrt drop",
        "f32.const 1 f32.const 1 f32.eq drop",
        "i32.const 1 f64.convert_i32_s drop",
        "f32.const 1 i32.trunc_sat_f32_s drop",
        "f64.const 1 f32.demote_f64 drop",
    ] {
        assert!(
            matches!(
                refusal(&program_with("", "", body)),
                Refusal::FloatOperation { .. }
            ),
            "{body}"
        );
    }
    accepted(&program_with(
        "",
        "",
        "f32.const 1 i32.reinterpret_f32 drop i32.const 0 f64.load drop \
         i32.const 0 f32.const 1 f32.store",
    ));
}

#[test]
fn active_segments_must_fit_the_initial_memory_and_their_table() {
    accepted(&program_with("", r#"(data (i32.const 65534) "xy")"#, ""));
    assert_eq!(
        refusal(&program_with("", r#"(data (i32.const 65535) "xy")"#, "")),
        Refusal::DataOutOfBounds {
            offset: 65_535,
            len: 2
        }
    );
    let element = |at: u32| {
        program_with(
            "",
            &format!("(table 1 funcref) (func $f) (elem (i32.const {at}) $f)"),
            "",
        )
    };
    accepted(&element(0));
    assert_eq!(
        refusal(&element(1)),
        Refusal::ElementOutOfBounds {
            offset: 1,
            len: 1,
            table: 1
        }
    );
}
