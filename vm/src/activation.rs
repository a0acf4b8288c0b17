//! What Nitro checks when a Stylus program is activated
//! (`ArbWasm.activateProgram`), rule by rule, and the costs activation
//! records for it.
//!
//! Every rule below is taken from Nitro's source and says where. The
//! release followed is **Nitro v3.9.5** (Stylus version 2, ArbOS 32 and
//! later); its activation code was read in the `OffchainLabs/nitro`
//! repository at two snapshots that agree on every rule here but the import
//! limit (`arbitrator/prover/src/...` at c8553ac1e6251a649c32c8e6d5a15531d8b3c20a,
//! and `crates/prover/src/...` at 06b1efa1cb46e7aacef94299fa7a5d828b2fc303,
//! which adds it). The path of a call, and so the order in which a module's
//! first broken rule is found:
//!
//! 1. `prover/src/binary.rs` `parse`: the validator with Nitro's features,
//!    then the accepted sections, import kinds, global initialisers, and
//!    the import/export name rules ([`parse`] below);
//! 2. `binary.rs` `WasmBinary::instrument`: the middlewares of
//!    `prover/src/programs/` (`start.rs`, `meter.rs`, `dynamic.rs`,
//!    `depth.rs`, `heap.rs`), then the entry point and the costs;
//! 3. `binary.rs` `WasmBinary::parse_user`: the anti-DoS limits;
//! 4. `prover/src/machine.rs` `Module::from_binary`: imports resolved
//!    against the host functions, float operations, segment bounds.
//!
//! Messages are Nitro's own format strings (without its colour codes).
//! `scripts/build.sh` (through the `stylus-artifact` binary) and the local
//! VM's deploy both call [`activate`], so nothing the VM runs or the build
//! ships is something Nitro would refuse; `vm/tests/activation.rs` has one
//! module per rule that breaks just that rule.

use std::collections::{HashMap, HashSet};
use std::fmt;

use wasmparser::{
    BinaryReader, DataKind, ElementKind, ExternalKind, FuncValidatorAllocations, FunctionBody,
    KnownCustom, Name, Operator, Parser, Payload, RefType, TypeRef, ValType, ValidPayload,
    Validator, WasmFeatures,
};

/// Pages a program's initial memory may have (`heap_bound`: 128 pages, 8 MiB).
/// Source: `prover/src/programs/config.rs` `CompileConfig::version`, checked in
/// `prover/src/programs/heap.rs` `HeapBound::update_module`.
pub const HEAP_BOUND_PAGES: u64 = 128;
/// ArbOS's `PageLimit` parameter (initially 128): what a transaction may open
/// in all. Activation passes what is left of it (`arbos/programs/programs.go`
/// `ActivateProgram`, `SaturatingUSub(params.PageLimit, GetStylusPagesOpen())`).
pub const PAGE_LIMIT: u16 = 128;
/// Largest decompressed program (`MaxWasmSize`, 128 KiB; `params.go`
/// `initialMaxWasmSize`), enforced while decompressing the code
/// (`programs.go` `getWasmFromContractCode`).
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// The only module user programs may import host functions from.
pub const HOST_MODULE: &str = "vm_hooks";
/// The exported function Nitro calls, and its type `(i32) -> i32`
/// (`prover/src/programs/mod.rs` `STYLUS_ENTRY_POINT`).
pub const ENTRY_POINT: &str = "user_entrypoint";

/// `parse_user`'s limits (`binary.rs`, "anti-DoS limits and extra checks").
pub mod limits {
    /// Memories.
    pub const MEMORIES: usize = 1;
    /// Data segments.
    pub const DATAS: usize = 128;
    /// Element segments.
    pub const ELEMENTS: usize = 128;
    /// Exports, counted after the start mover drops all but the entry point
    /// and the memory, and after the meters add their four globals.
    pub const EXPORTS: usize = 1024;
    /// Functions defined by the module.
    pub const FUNCTIONS: usize = 4096;
    /// Globals, the four the instrumentation adds included.
    pub const GLOBALS: usize = 32_768;
    /// Declared locals of one function (parameters not counted).
    pub const LOCALS: usize = 348;
    /// Operators of one function body.
    pub const OPCODES: usize = 65_536;
    /// Imports (from ArbOS 32, `ARBOS_VERSION_STYLUS_CHARGING_FIXES`).
    pub const IMPORTS: usize = 513;
    /// Table entries (the sum of every table's initial size).
    pub const TABLE_ENTRIES: u64 = 4096;
    /// "Element entries": Nitro sums each element segment's byte range in
    /// the binary, not its item count.
    pub const ELEMENT_ENTRIES: usize = 4096;
    /// Bytes of an export name, or of the module's name.
    pub const NAME_LEN: usize = 512;
    /// Words of one function's frame (`max_frame_size`, `config.rs`).
    pub const FRAME_WORDS: u64 = 10 * 1024;
    /// Values on the operand stack at once (`max_frame_contention`).
    pub const STACK_VALUES: u64 = 4096;
}

/// Globals the instrumentation adds (`stylus_ink_left`, `stylus_ink_status`,
/// `stylus_scratch_global`, `stylus_stack_left`), which count towards the
/// globals limit and the entry cost.
pub const ADDED_GLOBALS: usize = 4;

/// Why Nitro refuses to activate a program: one variant per rule. The
/// `Display` text is Nitro's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The validator refused the module under Nitro's feature set
    /// ([`nitro_features`]).
    Invalid(String),
    /// A section Nitro's parser has no case for (a DataCount section).
    UnsupportedSection(String),
    /// A section id Nitro does not know.
    UnknownSection(u8),
    /// An import that is not a function (a memory, table or global).
    ImportKind(String),
    /// A global whose initialiser is not a single constant.
    NonConstantGlobal,
    /// A custom `name` section that does not parse.
    MalformedNameSection(String),
    /// The same import with two signatures.
    InconsistentImports {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An export named like an import.
    ExportsImport(String),
    /// An export whose name starts with `stylus`.
    ReservedExport(String),
    /// An import whose name starts with `stylus`.
    ReservedImport(String),
    /// A start function.
    StartFunction,
    /// No memory.
    MissingMemory,
    /// More than one memory.
    MultipleMemories,
    /// A memory not exported as `memory`.
    MemoryNotExported,
    /// An initial memory larger than [`HEAP_BOUND_PAGES`].
    MemoryBound {
        /// Initial pages.
        pages: u64,
    },
    /// A memory that may grow without `vm_hooks::pay_for_memory_grow`.
    MissingMemoryGrowImport,
    /// `pay_for_memory_grow` imported with another type than `(i32) -> ()`.
    MemoryGrowImportType(String),
    /// An operator the dynamic meter cannot price (`table.copy`,
    /// `table.init`, `elem.drop`, ...).
    UnsupportedOperator {
        /// Index of the function among those defined.
        function: usize,
        /// The operator.
        operator: String,
    },
    /// A function whose frame is larger than [`limits::FRAME_WORDS`].
    FrameTooLarge {
        /// Index of the function among those defined.
        function: usize,
        /// Worst-case words.
        words: u64,
    },
    /// A function with more than [`limits::STACK_VALUES`] values on the
    /// stack at once.
    StackContention {
        /// Index of the function among those defined.
        function: usize,
        /// Worst-case values.
        values: u64,
    },
    /// No `user_entrypoint` export.
    MissingEntryPoint,
    /// `user_entrypoint` exported with another type than `(i32) -> i32`.
    EntryPointType(String),
    /// An entry cost that does not fit what activation stores.
    CostTooHigh(&'static str),
    /// An initial memory larger than what the transaction has left.
    MemoryExceedsLimit {
        /// Initial pages.
        pages: u64,
        /// Pages left.
        limit: u16,
    },
    /// More of something than `parse_user` allows.
    TooMany {
        /// What (Nitro's word).
        what: &'static str,
        /// How many.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// A name longer than [`limits::NAME_LEN`].
    NameTooLong {
        /// `name` (an export) or `module name`.
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// An import that is not one of the host functions.
    NoSuchImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A debug host function (`console::*`) on a chain that is not in debug mode.
    DebugImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A host function imported with another signature than the host's.
    ImportSignature {
        /// Import name.
        name: String,
        /// The host's type.
        expected: String,
        /// The module's type.
        found: String,
    },
    /// A float operation, which Stylus cannot run deterministically.
    FloatOperation {
        /// Index of the function among those defined.
        function: usize,
        /// The operator.
        operator: String,
    },
    /// An active data segment past the initial memory.
    DataOutOfBounds {
        /// Offset.
        offset: u64,
        /// Bytes.
        len: usize,
    },
    /// An active element segment past its table.
    ElementOutOfBounds {
        /// Offset.
        offset: u64,
        /// Entries.
        len: u64,
        /// The table's size.
        table: u64,
    },
    /// Code that is not a Stylus program (prefix, dictionary, size).
    Code(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(e) => write!(f, "failed to validate user: {e}"),
            Self::UnsupportedSection(s) => write!(f, "unsupported section type {s}"),
            Self::UnknownSection(id) => write!(f, "unsupported unknown section type {id}"),
            Self::ImportKind(i) => write!(f, "unsupported import kind {i}"),
            Self::NonConstantGlobal => write!(f, "Non-constant global initializer"),
            Self::MalformedNameSection(e) => write!(f, "malformed name section: {e}"),
            Self::InconsistentImports { module, name } => {
                write!(f, "inconsistent imports for {module} {name}")
            }
            Self::ExportsImport(n) => write!(f, "binary exports an import with the same name {n}"),
            Self::ReservedExport(n) => write!(f, "binary exports reserved symbol {n}"),
            Self::ReservedImport(n) => write!(f, "binary imports reserved symbol {n}"),
            Self::StartFunction => write!(f, "start functions not allowed"),
            Self::MissingMemory => write!(f, "missing memory export with name memory"),
            Self::MultipleMemories => write!(f, "only one memory is allowed"),
            Self::MemoryNotExported => write!(f, "missing memory with export name memory"),
            Self::MemoryBound { pages } => {
                write!(f, "memory size {pages} exceeds bound {HEAP_BOUND_PAGES}")
            }
            Self::MissingMemoryGrowImport => write!(f, "missing import pay_for_memory_grow"),
            Self::MemoryGrowImportType(t) => write!(f, "wrong type for pay_for_memory_grow: {t}"),
            Self::UnsupportedOperator { function, operator } => write!(
                f,
                "dynamic ink meter failure in func {function}: opcode not supported {operator}"
            ),
            Self::FrameTooLarge { function, words } => write!(
                f,
                "depth checker failure in func {function}: frame too large: {words} > {}-word limit",
                limits::FRAME_WORDS
            ),
            Self::StackContention { function, values } => write!(
                f,
                "too many values on the stack at once in func {function}: {values} > {}",
                limits::STACK_VALUES
            ),
            Self::MissingEntryPoint => write!(f, "missing export with name {ENTRY_POINT}"),
            Self::EntryPointType(t) => write!(f, "wrong type for {ENTRY_POINT}: {t}"),
            Self::CostTooHigh(what) => write!(f, "{what}"),
            Self::MemoryExceedsLimit { pages, limit } => {
                write!(f, "memory exceeds limit: {pages} > {limit}")
            }
            Self::TooMany { what, count, limit } => {
                write!(f, "too many wasm {what}: {count} > {limit}")
            }
            Self::NameTooLong { what, len } => {
                write!(f, "wasm {what} too long: {len} > {}", limits::NAME_LEN)
            }
            Self::NoSuchImport { module, name } => {
                write!(f, "No such import {name} in {module} for user")
            }
            Self::DebugImport { module, name } => write!(
                f,
                "Host func {name} in {module} not enabled debug_funcs=false hostapi=false debug=true"
            ),
            Self::ImportSignature {
                name,
                expected,
                found,
            } => write!(
                f,
                "Import {name} for user has different function signature than export.\n\
                 expected {expected} in {HOST_MODULE}\nbut have {found}"
            ),
            Self::FloatOperation { function, operator } => write!(
                f,
                "No implementation for floating point operation {operator} (func {function})"
            ),
            Self::DataOutOfBounds { offset, len } => write!(
                f,
                "Out-of-bounds data memory init with offset {offset} and size {len}"
            ),
            Self::ElementOutOfBounds { offset, len, table } => write!(
                f,
                "Out of bounds element segment at offset {offset} and length {len} for table of length {table}"
            ),
            Self::Code(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// The chain an activation happens on: what changes the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    /// Pages the transaction may still open ([`PAGE_LIMIT`] minus those open).
    pub page_limit: u16,
    /// Whether the chain runs in debug mode (it accepts `console` imports
    /// and start functions; no public chain does).
    pub debug: bool,
}

impl Default for Chain {
    /// A public chain, in a transaction that has opened no pages yet.
    fn default() -> Self {
        Self {
            page_limit: PAGE_LIMIT,
            debug: false,
        }
    }
}

/// What activation records about a program: its costs, as Nitro stores them
/// (`StylusData`), and the facts the local VM reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Host functions imported, by name.
    pub imports: Vec<String>,
    /// Functions defined (not imported).
    pub functions: usize,
    /// Globals defined, before the instrumentation adds its own.
    pub globals: usize,
    /// Parameters and results of every defined function's type, summed.
    pub type_len: u64,
    /// Bytes of every data and element segment, as Nitro counts them (each
    /// segment's range in the binary).
    pub data_len: u64,
    /// Data segments.
    pub data_segments: usize,
    /// Initial memory pages (the program's footprint).
    pub footprint: u16,
    /// Whole module size.
    pub wasm_len: usize,
    /// Gas to enter the program when it is not cached, beyond the fixed part
    /// (`init_cost`).
    pub init_cost: u16,
    /// Gas to enter the program on every call, beyond the fixed part
    /// (`cached_init_cost`).
    pub cached_init_cost: u16,
    /// The size estimate of the compiled program, bytes (what the data fee
    /// and the cache's bid are priced on).
    pub asm_estimate: u32,
}

/// The WASM features Nitro's validator enables, and nothing else
/// (`binary.rs` `parse`: mutable globals, saturating float-to-int, sign
/// extension, multi-value, bulk memory, floats; reference types, SIMD,
/// threads, tail calls, multi-memory, exceptions, memory64, extended
/// constants, the component model, function references, memory control
/// and GC off).
pub fn nitro_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// Activates `wasm` on the default [`Chain`]: the program's costs, or the
/// first rule it breaks.
pub fn check(wasm: &[u8]) -> Result<ModuleInfo, Refusal> {
    activate(wasm, &Chain::default())
}

/// Activates `wasm` on `chain`, applying every rule in Nitro's order.
pub fn activate(wasm: &[u8], chain: &Chain) -> Result<ModuleInfo, Refusal> {
    let module = parse(wasm)?;
    let info = instrument(wasm, &module, chain)?;
    parse_user(&module, chain)?;
    from_binary(&module, chain)?;
    Ok(info)
}

/// One defined function, as the rules need it.
struct Function<'a> {
    ty: u32,
    body: FunctionBody<'a>,
}

/// What [`parse`] learns of a module.
#[derive(Default)]
struct Module<'a> {
    types: Vec<(Vec<ValType>, Vec<ValType>)>,
    imports: Vec<(String, String, u32)>,
    /// Type of every function, imported ones first.
    func_types: Vec<u32>,
    functions: Vec<Function<'a>>,
    tables: Vec<(RefType, u64)>,
    memories: Vec<(u64, Option<u64>)>,
    globals: usize,
    exports: Vec<(String, ExternalKind, u32)>,
    start: bool,
    elements: Vec<(ElementKind<'a>, u64, usize)>,
    datas: Vec<(DataKind<'a>, usize, usize)>,
    module_name: String,
}

impl Module<'_> {
    fn type_of(&self, func: u32) -> Option<&(Vec<ValType>, Vec<ValType>)> {
        let ty = *self.func_types.get(func as usize)?;
        self.types.get(ty as usize)
    }

    /// The last `__`-separated part of every export name: what Nitro's
    /// name rules look at (`binary.rs` `parse`, `rsplit("__").take(1)`).
    fn export_leaves(&self) -> HashSet<&str> {
        self.exports
            .iter()
            .filter_map(|(name, _, _)| name.rsplit("__").next())
            .collect()
    }

    /// The exports left after the start mover drops the others
    /// (`programs/start.rs` `EXPORT_WHITELIST`, non-debug chains).
    fn kept_exports(&self) -> impl Iterator<Item = &(String, ExternalKind, u32)> {
        self.exports.iter().filter(|(name, kind, _)| {
            matches!(
                (name.as_str(), kind),
                (ENTRY_POINT, ExternalKind::Func)
                    | ("stylus_start", ExternalKind::Func)
                    | ("memory", ExternalKind::Memory)
            )
        })
    }
}

fn invalid(e: wasmparser::BinaryReaderError) -> Refusal {
    Refusal::Invalid(e.to_string())
}

fn type_text((params, results): &(Vec<ValType>, Vec<ValType>)) -> String {
    let list = |types: &[ValType]| {
        types
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(params), list(results))
}

/// `binary.rs` `parse`: validation, then each section.
fn parse(wasm: &[u8]) -> Result<Module<'_>, Refusal> {
    // Rule: the validator, with Nitro's features and nothing else.
    Validator::new_with_features(nitro_features())
        .validate_all(wasm)
        .map_err(invalid)?;
    let mut module = Module::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionStart { .. } => {}
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(invalid)?;
                    module
                        .types
                        .push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(invalid)?;
                    // Rule: only functions may be imported (`TypeRef::Func`
                    // or "unsupported import kind").
                    let TypeRef::Func(ty) = import.ty else {
                        return Err(Refusal::ImportKind(format!(
                            "{}::{} ({:?})",
                            import.module, import.name, import.ty
                        )));
                    };
                    module
                        .imports
                        .push((import.module.to_string(), import.name.to_string(), ty));
                    module.func_types.push(ty);
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    module.func_types.push(ty.map_err(invalid)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(invalid)?;
                    module
                        .tables
                        .push((table.ty.element_type, table.ty.initial));
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(invalid)?;
                    module.memories.push((memory.initial, memory.maximum));
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(invalid)?;
                    // Rule: a global starts as one constant (`op_as_const`).
                    let mut ops = global.init_expr.get_operators_reader();
                    let first = ops.read().map_err(invalid)?;
                    let second = ops.read().map_err(invalid)?;
                    let constant = matches!(
                        first,
                        Operator::I32Const { .. }
                            | Operator::I64Const { .. }
                            | Operator::F32Const { .. }
                            | Operator::F64Const { .. }
                    );
                    if !constant || !matches!(second, Operator::End) || !ops.eof() {
                        return Err(Refusal::NonConstantGlobal);
                    }
                    module.globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    module
                        .exports
                        .push((export.name.to_string(), export.kind, export.index));
                }
            }
            Payload::StartSection { .. } => module.start = true,
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(invalid)?;
                    let items = u64::from(match &element.items {
                        wasmparser::ElementItems::Functions(reader) => reader.count(),
                        wasmparser::ElementItems::Expressions(_, reader) => reader.count(),
                    });
                    module
                        .elements
                        .push((element.kind, items, element.range.len()));
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(invalid)?;
                    module
                        .datas
                        .push((data.kind, data.data.len(), data.range.len()));
                }
            }
            Payload::CodeSectionEntry(body) => {
                let defined = module.functions.len();
                let imported = module.imports.len();
                let ty = module
                    .func_types
                    .get(imported + defined)
                    .copied()
                    .unwrap_or_default();
                module.functions.push(Function { ty, body });
            }
            Payload::CustomSection(reader) => {
                // Rule: the `name` section is read, and must parse; other
                // custom sections are ignored.
                if let KnownCustom::Name(names) = reader.as_known() {
                    for name in names {
                        match name.map_err(|e| Refusal::MalformedNameSection(e.to_string()))? {
                            Name::Module { name, .. } => module.module_name = name.to_string(),
                            Name::Function(map) => {
                                for naming in map {
                                    naming.map_err(|e| {
                                        Refusal::MalformedNameSection(e.to_string())
                                    })?;
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            // Rule: any other section (DataCount above all: Nitro's parser
            // has no case for it) is refused.
            Payload::UnknownSection { id, .. } => return Err(Refusal::UnknownSection(id)),
            other => {
                let text = format!("{other:?}");
                let name = text.split([' ', '(', '{']).next().unwrap_or_default();
                return Err(Refusal::UnsupportedSection(name.to_string()));
            }
        }
    }
    // Rule: one signature per imported (module, name).
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    for (module_name, name, ty) in &module.imports {
        if let Some(prior) = seen.insert((module_name, name), *ty) {
            if prior != *ty {
                return Err(Refusal::InconsistentImports {
                    module: module_name.clone(),
                    name: name.clone(),
                });
            }
        }
    }
    // Rule: no export may carry an import's name.
    let leaves = module.export_leaves();
    if let Some((_, name, _)) = module
        .imports
        .iter()
        .find(|(_, name, _)| leaves.contains(name.as_str()))
    {
        return Err(Refusal::ExportsImport(name.clone()));
    }
    // Rule: `stylus...` names are the instrumentation's.
    let mut reserved: Vec<&&str> = leaves.iter().filter(|n| n.starts_with("stylus")).collect();
    reserved.sort();
    if let Some(name) = reserved.first() {
        return Err(Refusal::ReservedExport((**name).to_string()));
    }
    if let Some((_, name, _)) = module
        .imports
        .iter()
        .find(|(_, name, _)| name.starts_with("stylus"))
    {
        return Err(Refusal::ReservedImport(name.clone()));
    }
    if module.module_name.is_empty() {
        module.module_name = "user".to_string();
    }
    Ok(module)
}

/// `binary.rs` `WasmBinary::instrument`: the middlewares, the entry point
/// and the costs.
fn instrument(wasm: &[u8], module: &Module<'_>, chain: &Chain) -> Result<ModuleInfo, Refusal> {
    // Rule (`start.rs` `StartMover`): no start function, but on debug chains.
    if module.start && !chain.debug {
        return Err(Refusal::StartFunction);
    }
    // Rules (`heap.rs` `HeapBound`, through `memory_info`): one memory,
    // exported as `memory`, at most 128 pages to start with; one that can
    // grow must import `pay_for_memory_grow`, through which Nitro charges
    // for the pages.
    let (initial, maximum) = memory(module)?;
    if initial > HEAP_BOUND_PAGES {
        return Err(Refusal::MemoryBound { pages: initial });
    }
    if maximum != Some(initial) {
        let grow = module
            .imports
            .iter()
            .find(|(m, name, _)| m == HOST_MODULE && name == "pay_for_memory_grow");
        let Some((_, _, ty)) = grow else {
            return Err(Refusal::MissingMemoryGrowImport);
        };
        let ty = module.types.get(*ty as usize).cloned().unwrap_or_default();
        if ty != (vec![ValType::I32], vec![]) {
            return Err(Refusal::MemoryGrowImportType(type_text(&ty)));
        }
    }
    // Per function, in the middlewares' order.
    let heights = stack_heights(wasm)?;
    for (index, function) in module.functions.iter().enumerate() {
        let stack = heights.get(index).copied().unwrap_or_default();
        check_body(index, function, stack)?;
    }
    // Rule (`binary.rs` `check_func`): `user_entrypoint: (i32) -> i32`.
    let entry = module
        .kept_exports()
        .find(|(name, _, _)| name == ENTRY_POINT)
        .ok_or(Refusal::MissingEntryPoint)?;
    let entry_type = module.type_of(entry.2).cloned().unwrap_or_default();
    if entry_type != (vec![ValType::I32], vec![ValType::I32]) {
        return Err(Refusal::EntryPointType(type_text(&entry_type)));
    }
    costs(wasm, module, initial)
}

/// The memory's (initial, maximum) pages, or why there is no usable one.
fn memory(module: &Module<'_>) -> Result<(u64, Option<u64>), Refusal> {
    let (initial, maximum) = match module.memories.as_slice() {
        [] => return Err(Refusal::MissingMemory),
        [memory] => *memory,
        _ => return Err(Refusal::MultipleMemories),
    };
    let exported = module.exports.iter().any(|(name, kind, index)| {
        name == "memory" && *kind == ExternalKind::Memory && *index == 0
    });
    if !exported {
        return Err(Refusal::MemoryNotExported);
    }
    Ok((initial, maximum))
}

/// The per-function rules of the dynamic meter (`dynamic.rs`) and the depth
/// checker (`depth.rs`). `stack` is the function's worst-case operand stack
/// ([`stack_heights`]).
fn check_body(index: usize, function: &Function<'_>, stack: u64) -> Result<(), Refusal> {
    let mut reader = function.body.get_operators_reader().map_err(invalid)?;
    while !reader.eof() {
        let operator = reader.read().map_err(invalid)?;
        // Rule (`dynamic.rs`): operators the dynamic meter cannot price.
        if let Some(name) = unsupported_operator(&operator) {
            return Err(Refusal::UnsupportedOperator {
                function: index,
                operator: name.to_string(),
            });
        }
    }
    // Rules (`depth.rs`): the frame (stack, declared locals and 4 words of
    // bookkeeping) and the values on the stack at once.
    let words = stack
        .saturating_add(declared_locals(function)?)
        .saturating_add(4);
    if words > limits::FRAME_WORDS {
        return Err(Refusal::FrameTooLarge {
            function: index,
            words,
        });
    }
    if stack > limits::STACK_VALUES {
        return Err(Refusal::StackContention {
            function: index,
            values: stack,
        });
    }
    Ok(())
}

/// Locals a function declares (its parameters not counted).
fn declared_locals(function: &Function<'_>) -> Result<u64, Refusal> {
    let mut locals = 0u64;
    for local in function.body.get_locals_reader().map_err(invalid)? {
        locals = locals.saturating_add(u64::from(local.map_err(invalid)?.0));
    }
    Ok(locals)
}

/// The most values each defined function ever has on its operand stack
/// (Nitro's depth checker's worst case), read from the validator's stack
/// height after every operator. `wasm` has already been validated.
fn stack_heights(wasm: &[u8]) -> Result<Vec<u64>, Refusal> {
    let mut validator = Validator::new_with_features(nitro_features());
    let mut heights = Vec::new();
    let mut allocs = FuncValidatorAllocations::default();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(invalid)?;
        if let ValidPayload::Func(to_validate, body) =
            validator.payload(&payload).map_err(invalid)?
        {
            let mut func = to_validate.into_validator(std::mem::take(&mut allocs));
            let mut locals = body.get_binary_reader();
            func.read_locals(&mut locals).map_err(invalid)?;
            let mut reader = body.get_operators_reader().map_err(invalid)?;
            let mut highest = 0u64;
            while !reader.eof() {
                let offset = reader.original_position();
                let operator = reader.read().map_err(invalid)?;
                func.op(offset, &operator).map_err(invalid)?;
                highest = highest.max(u64::from(func.operand_stack_height()));
            }
            heights.push(highest);
            allocs = func.into_allocations();
        }
    }
    Ok(heights)
}

/// The dynamic meter's refusals (`dynamic.rs` `FuncDynamicMeter::feed`):
/// the bulk-memory and table operators it has no price for. `memory.copy`
/// and `memory.fill` are priced per byte.
fn unsupported_operator(operator: &Operator<'_>) -> Option<&'static str> {
    Some(match operator {
        Operator::MemoryInit { .. } => "memory.init",
        Operator::DataDrop { .. } => "data.drop",
        Operator::ElemDrop { .. } => "elem.drop",
        Operator::TableInit { .. } => "table.init",
        Operator::TableCopy { .. } => "table.copy",
        Operator::TableFill { .. } => "table.fill",
        Operator::TableGet { .. } => "table.get",
        Operator::TableSet { .. } => "table.set",
        Operator::TableGrow { .. } => "table.grow",
        Operator::TableSize { .. } => "table.size",
        _ => return None,
    })
}

/// The costs `instrument` computes and activation stores, in Nitro's integer
/// arithmetic (`binary.rs` `WasmBinary::instrument`, Stylus version 2, in
/// which the cached cost is not part of the uncached one).
fn costs(wasm: &[u8], module: &Module<'_>, footprint: u64) -> Result<ModuleInfo, Refusal> {
    let funcs = module.functions.len() as u64;
    let globals = (module.globals + ADDED_GLOBALS) as u64;
    let wasm_len = wasm.len() as u64;
    let data_len: u64 = module
        .datas
        .iter()
        .map(|(_, _, range)| *range as u64)
        .chain(module.elements.iter().map(|(_, _, range)| *range as u64))
        .sum();
    let type_len: u64 = module
        .functions
        .iter()
        .filter_map(|f| module.types.get(f.ty as usize))
        .map(|(params, results)| (params.len() + results.len()) as u64)
        .sum();
    let footprint16 = u16::try_from(footprint).unwrap_or(u16::MAX);

    let asm_estimate = 512_000u64
        .saturating_add(funcs.saturating_mul(996_829) / 1000)
        .saturating_add(type_len.saturating_mul(11_416) / 1000)
        .saturating_add(wasm_len.saturating_mul(62_628) / 10_000);
    let cached_init = (funcs.saturating_mul(13_420) / 100_000)
        .saturating_add(type_len.saturating_mul(89) / 100_000)
        .saturating_add(wasm_len.saturating_mul(122) / 100_000)
        .saturating_add(globals.saturating_mul(1628) / 1000)
        .saturating_add(data_len.saturating_mul(75_244) / 100_000)
        .saturating_add(u64::from(footprint16) * 5);
    let init = (funcs.saturating_mul(8252) / 1000)
        .saturating_add(type_len.saturating_mul(1059) / 1000)
        .saturating_add(wasm_len.saturating_mul(1286) / 10_000);

    // Rule: the costs must fit what activation stores (u16, u16, u32).
    let init_cost = u16::try_from(init).map_err(|_| Refusal::CostTooHigh("init cost too high"))?;
    let cached_init_cost =
        u16::try_from(cached_init).map_err(|_| Refusal::CostTooHigh("cached cost too high"))?;
    let asm_estimate =
        u32::try_from(asm_estimate).map_err(|_| Refusal::CostTooHigh("asm estimate too large"))?;
    Ok(ModuleInfo {
        imports: module
            .imports
            .iter()
            .map(|(_, name, _)| name.clone())
            .collect(),
        functions: module.functions.len(),
        globals: module.globals,
        type_len,
        data_len,
        data_segments: module.datas.len(),
        footprint: footprint16,
        wasm_len: wasm.len(),
        init_cost,
        cached_init_cost,
        asm_estimate,
    })
}

/// `binary.rs` `WasmBinary::parse_user`, after instrumentation: the page
/// limit and the anti-DoS limits.
fn parse_user(module: &Module<'_>, chain: &Chain) -> Result<(), Refusal> {
    let (initial, _) = memory(module)?;
    if initial > u64::from(chain.page_limit) {
        return Err(Refusal::MemoryExceedsLimit {
            pages: initial,
            limit: chain.page_limit,
        });
    }
    let too_many = |what, count: u64, limit: u64| -> Result<(), Refusal> {
        if count > limit {
            return Err(Refusal::TooMany { what, count, limit });
        }
        Ok(())
    };
    too_many(
        "memories",
        module.memories.len() as u64,
        limits::MEMORIES as u64,
    )?;
    too_many("datas", module.datas.len() as u64, limits::DATAS as u64)?;
    too_many(
        "elements",
        module.elements.len() as u64,
        limits::ELEMENTS as u64,
    )?;
    let exports = module.kept_exports().count() + ADDED_GLOBALS;
    too_many("exports", exports as u64, limits::EXPORTS as u64)?;
    too_many(
        "functions",
        module.functions.len() as u64,
        limits::FUNCTIONS as u64,
    )?;
    too_many(
        "globals",
        (module.globals + ADDED_GLOBALS) as u64,
        limits::GLOBALS as u64,
    )?;
    for function in &module.functions {
        too_many("locals", declared_locals(function)?, limits::LOCALS as u64)?;
        // Nitro counts the body after instrumentation, which only adds
        // operators: a body over the limit before is over it after.
        let mut operators = 0u64;
        let mut reader = function.body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            reader.read().map_err(invalid)?;
            operators += 1;
        }
        too_many("opcodes in func body", operators, limits::OPCODES as u64)?;
    }
    too_many(
        "imports",
        module.imports.len() as u64,
        limits::IMPORTS as u64,
    )?;
    let table_entries = module
        .tables
        .iter()
        .fold(0u64, |sum, (_, initial)| sum.saturating_add(*initial));
    too_many("table entries", table_entries, limits::TABLE_ENTRIES)?;
    let element_bytes: usize = module.elements.iter().map(|(_, _, range)| range).sum();
    too_many(
        "element entries",
        element_bytes as u64,
        limits::ELEMENT_ENTRIES as u64,
    )?;
    if let Some((name, _, _)) = module
        .kept_exports()
        .find(|(name, _, _)| name.len() > limits::NAME_LEN)
    {
        return Err(Refusal::NameTooLong {
            what: "name",
            len: name.len(),
        });
    }
    if module.module_name.len() > limits::NAME_LEN {
        return Err(Refusal::NameTooLong {
            what: "module name",
            len: module.module_name.len(),
        });
    }
    Ok(())
}

/// `machine.rs` `Module::from_binary`: imports against the host functions,
/// float operations, and the segments against memory and tables.
fn from_binary(module: &Module<'_>, chain: &Chain) -> Result<(), Refusal> {
    for (module_name, name, ty) in &module.imports {
        let found = module.types.get(*ty as usize).cloned().unwrap_or_default();
        let expected = if module_name == HOST_MODULE {
            HOST_FUNCTIONS
                .iter()
                .find(|(host, _, _)| host == name)
                .map(|(_, params, results)| (params.to_vec(), results.to_vec()))
        } else {
            None
        };
        match expected {
            Some(expected) if expected != found => {
                return Err(Refusal::ImportSignature {
                    name: name.clone(),
                    expected: type_text(&expected),
                    found: type_text(&found),
                })
            }
            Some(_) => {}
            None if module_name == "console" && DEBUG_FUNCTIONS.contains(&name.as_str()) => {
                if !chain.debug {
                    return Err(Refusal::DebugImport {
                        module: module_name.clone(),
                        name: name.clone(),
                    });
                }
            }
            None => {
                return Err(Refusal::NoSuchImport {
                    module: module_name.clone(),
                    name: name.clone(),
                })
            }
        }
    }
    for (index, function) in module.functions.iter().enumerate() {
        let mut reader = function.body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let operator = reader.read().map_err(invalid)?;
            if needs_soft_float(&operator) {
                return Err(Refusal::FloatOperation {
                    function: index,
                    operator: format!("{operator:?}"),
                });
            }
        }
    }
    let (initial, _) = memory(module)?;
    let memory_bytes = initial.saturating_mul(65_536);
    for (kind, len, _) in &module.datas {
        if let DataKind::Active { offset_expr, .. } = kind {
            let offset = const_offset(offset_expr.get_binary_reader())?;
            if offset.saturating_add(*len as u64) > memory_bytes {
                return Err(Refusal::DataOutOfBounds { offset, len: *len });
            }
        }
    }
    for (kind, len, _) in &module.elements {
        if let ElementKind::Active {
            table_index,
            offset_expr,
        } = kind
        {
            let offset = const_offset(offset_expr.get_binary_reader())?;
            let table = module
                .tables
                .get(table_index.unwrap_or(0) as usize)
                .map_or(0, |(_, initial)| *initial);
            if offset.saturating_add(*len) > table {
                return Err(Refusal::ElementOutOfBounds {
                    offset,
                    len: *len,
                    table,
                });
            }
        }
    }
    Ok(())
}

/// A segment's offset: `i32.const` (the validator allows only constants
/// here, imported globals being refused).
fn const_offset(reader: BinaryReader<'_>) -> Result<u64, Refusal> {
    let mut ops = wasmparser::OperatorsReader::new(reader);
    match ops.read().map_err(invalid)? {
        // An i32 offset is read unsigned, as memory addresses are.
        Operator::I32Const { value } => Ok(u64::from(value as u32)),
        other => Err(Refusal::Invalid(format!(
            "Non-constant segment offset expression {other:?}"
        ))),
    }
}

/// Float operations the prover has no deterministic implementation for:
/// every one but moving bits (`const`, `load`, `store`, `reinterpret`)
/// (`machine.rs` `from_user_binary` passes no float implementations, so
/// `wavm.rs` refuses these).
fn needs_soft_float(operator: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        operator,
        O::F32Eq
            | O::F32Ne
            | O::F32Lt
            | O::F32Gt
            | O::F32Le
            | O::F32Ge
            | O::F64Eq
            | O::F64Ne
            | O::F64Lt
            | O::F64Gt
            | O::F64Le
            | O::F64Ge
            | O::F32Abs
            | O::F32Neg
            | O::F32Ceil
            | O::F32Floor
            | O::F32Trunc
            | O::F32Nearest
            | O::F32Sqrt
            | O::F32Add
            | O::F32Sub
            | O::F32Mul
            | O::F32Div
            | O::F32Min
            | O::F32Max
            | O::F32Copysign
            | O::F64Abs
            | O::F64Neg
            | O::F64Ceil
            | O::F64Floor
            | O::F64Trunc
            | O::F64Nearest
            | O::F64Sqrt
            | O::F64Add
            | O::F64Sub
            | O::F64Mul
            | O::F64Div
            | O::F64Min
            | O::F64Max
            | O::F64Copysign
            | O::I32TruncF32S
            | O::I32TruncF32U
            | O::I32TruncF64S
            | O::I32TruncF64U
            | O::I64TruncF32S
            | O::I64TruncF32U
            | O::I64TruncF64S
            | O::I64TruncF64U
            | O::I32TruncSatF32S
            | O::I32TruncSatF32U
            | O::I32TruncSatF64S
            | O::I32TruncSatF64U
            | O::I64TruncSatF32S
            | O::I64TruncSatF32U
            | O::I64TruncSatF64S
            | O::I64TruncSatF64U
            | O::F32ConvertI32S
            | O::F32ConvertI32U
            | O::F32ConvertI64S
            | O::F32ConvertI64U
            | O::F64ConvertI32S
            | O::F64ConvertI32U
            | O::F64ConvertI64S
            | O::F64ConvertI64U
            | O::F32DemoteF64
            | O::F64PromoteF32
    )
}

/// Debug host functions (`console` module), accepted only on debug chains
/// (`prover/src/host.rs` `get_impl`).
const DEBUG_FUNCTIONS: &[&str] = &[
    "log_txt", "log_i32", "log_i64", "log_f32", "log_f64", "tee_i32", "tee_i64", "tee_f32",
    "tee_f64",
];

use ValType::{I32, I64};

/// Every host function a user program may import from [`HOST_MODULE`], with
/// its type: Nitro's forwarder table (`HOSTIOS`, which builds the
/// `vm_hooks__*` exports user imports resolve against in `machine.rs`).
pub const HOST_FUNCTIONS: &[(&str, &[ValType], &[ValType])] = &[
    ("read_args", &[I32], &[]),
    ("write_result", &[I32, I32], &[]),
    ("exit_early", &[I32], &[]),
    ("storage_load_bytes32", &[I32, I32], &[]),
    ("storage_cache_bytes32", &[I32, I32], &[]),
    ("storage_flush_cache", &[I32], &[]),
    ("transient_load_bytes32", &[I32, I32], &[]),
    ("transient_store_bytes32", &[I32, I32], &[]),
    ("call_contract", &[I32, I32, I32, I32, I64, I32], &[I32]),
    ("delegate_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("static_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("create1", &[I32, I32, I32, I32, I32], &[]),
    ("create2", &[I32, I32, I32, I32, I32, I32], &[]),
    ("read_return_data", &[I32, I32, I32], &[I32]),
    ("return_data_size", &[], &[I32]),
    ("emit_log", &[I32, I32, I32], &[]),
    ("account_balance", &[I32, I32], &[]),
    ("account_code", &[I32, I32, I32, I32], &[I32]),
    ("account_code_size", &[I32], &[I32]),
    ("account_codehash", &[I32, I32], &[]),
    ("evm_gas_left", &[], &[I64]),
    ("evm_ink_left", &[], &[I64]),
    ("block_basefee", &[I32], &[]),
    ("chainid", &[], &[I64]),
    ("block_coinbase", &[I32], &[]),
    ("block_gas_limit", &[], &[I64]),
    ("block_number", &[], &[I64]),
    ("block_timestamp", &[], &[I64]),
    ("contract_address", &[I32], &[]),
    ("math_div", &[I32, I32], &[]),
    ("math_mod", &[I32, I32], &[]),
    ("math_pow", &[I32, I32], &[]),
    ("math_add_mod", &[I32, I32, I32], &[]),
    ("math_mul_mod", &[I32, I32, I32], &[]),
    ("msg_reentrant", &[], &[I32]),
    ("msg_sender", &[I32], &[]),
    ("msg_value", &[I32], &[]),
    ("native_keccak256", &[I32, I32, I32], &[]),
    ("tx_gas_price", &[I32], &[]),
    ("tx_ink_price", &[], &[I32]),
    ("tx_origin", &[I32], &[]),
    ("pay_for_memory_grow", &[I32], &[]),
];
