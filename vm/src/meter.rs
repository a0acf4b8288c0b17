//! Ink metering as Nitro instruments programs at activation.
//!
//! Every basic block gets a header that charges the block's whole cost (the
//! pricing-v1 ink of its operators plus [`BLOCK_HEADER_INK`]) before it runs,
//! and traps with the status global set when the ink left is short (Nitro's
//! `meter.rs`). `memory.copy` and `memory.fill` also pay per byte at run time,
//! and every `memory.grow` first calls the program's `pay_for_memory_grow`
//! import with the pages asked for, so that growing memory costs what
//! opening pages costs (Nitro's `heap.rs`).
//! The ink left lives in an exported global the host reads and writes, so host
//! calls and EVM costs come out of the same counter.

use wasm_encoder::reencode::{utils, Error as ReencodeError, Reencode};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, ExportKind, Function, GlobalType, Instruction, ValType,
};
use wasmparser::{FunctionBody, Operator, Parser, Payload};

use crate::pricing::{self, BLOCK_HEADER_INK, MEMORY_OP_INK_PER_BYTE};

/// Export name of the ink-left global (Nitro's name).
pub const INK_LEFT: &str = "stylus_ink_left";
/// Export name of the out-of-ink status global (Nitro's name).
pub const INK_STATUS: &str = "stylus_ink_status";
/// Export name prefix of the profile counters ([`instrument_profiled`]): one
/// per defined function, followed by its index in the code section.
pub const PROFILE_PREFIX: &str = "profile_ink_";

/// Why a module cannot be metered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeterError {
    /// The module has no global section to extend.
    NoGlobals,
    /// The module could not be parsed or re-encoded.
    Malformed(String),
}

impl std::fmt::Display for MeterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoGlobals => write!(f, "module has no global section"),
            Self::Malformed(e) => write!(f, "cannot instrument: {e}"),
        }
    }
}

impl std::error::Error for MeterError {}

/// Returns `wasm` with ink metering inserted and the meter's globals exported.
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, MeterError> {
    instrument_as(wasm, false)
}

/// [`instrument`], and every basic block also adds its ink to a counter of its
/// function ([`PROFILE_PREFIX`]), so a call can say where its computation
/// went. The program is charged exactly the same ink: the counters are the
/// profiler's, not the program's.
pub fn instrument_profiled(wasm: &[u8]) -> Result<Vec<u8>, MeterError> {
    instrument_as(wasm, true)
}

fn instrument_as(wasm: &[u8], profile: bool) -> Result<Vec<u8>, MeterError> {
    let mut meter = Meter::scan(wasm)?;
    meter.profile = profile;
    let mut module = wasm_encoder::Module::new();
    meter
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| match e {
            ReencodeError::UserError(e) => e,
            other => MeterError::Malformed(other.to_string()),
        })?;
    if !meter.saw_globals {
        return Err(MeterError::NoGlobals);
    }
    Ok(module.finish())
}

struct Meter {
    /// Parameter count of each type index.
    type_params: Vec<usize>,
    /// Parameter count of each defined function, in code-section order.
    defined_params: Vec<u32>,
    /// Index of the next defined function's body.
    next_body: usize,
    /// Index of the ink global (the status global follows it, then the
    /// profile counters, if any).
    ink_global: u32,
    saw_globals: bool,
    /// Whether to keep a counter of ink per function.
    profile: bool,
    /// Function index of the `pay_for_memory_grow` import, if imported.
    pay_for_memory_grow: Option<u32>,
}

impl Meter {
    fn scan(wasm: &[u8]) -> Result<Self, MeterError> {
        let bad = |e: wasmparser::BinaryReaderError| MeterError::Malformed(e.to_string());
        let mut type_params = Vec::new();
        let mut defined_params = Vec::new();
        let mut globals = 0;
        let mut imported_functions = 0;
        let mut pay_for_memory_grow = None;
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(bad)? {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import.map_err(bad)?;
                        if let wasmparser::TypeRef::Func(_) = import.ty {
                            if import.name == "pay_for_memory_grow" {
                                pay_for_memory_grow = Some(imported_functions);
                            }
                            imported_functions += 1;
                        }
                    }
                }
                Payload::TypeSection(reader) => {
                    for ty in reader.into_iter_err_on_gc_types() {
                        type_params.push(ty.map_err(bad)?.params().len());
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        let params = type_params
                            .get(ty.map_err(bad)? as usize)
                            .copied()
                            .unwrap_or(0);
                        defined_params.push(params as u32);
                    }
                }
                Payload::GlobalSection(reader) => globals = reader.count(),
                _ => {}
            }
        }
        Ok(Self {
            type_params,
            defined_params,
            next_body: 0,
            ink_global: globals,
            saw_globals: false,
            profile: false,
            pay_for_memory_grow,
        })
    }

    fn status_global(&self) -> u32 {
        self.ink_global + 1
    }

    fn profile_global(&self, body: usize) -> u32 {
        self.ink_global + 2 + body as u32
    }

    /// `if ink < cost { status = 1; unreachable } ink -= cost`, with the cost
    /// taken from `cost` (a constant, or a local for dynamic charges).
    fn charge(&self, out: &mut Vec<Instruction<'static>>, cost: Instruction<'static>) {
        out.extend([
            Instruction::GlobalGet(self.ink_global),
            cost.clone(),
            Instruction::I64LtU,
            Instruction::If(BlockType::Empty),
            Instruction::I32Const(1),
            Instruction::GlobalSet(self.status_global()),
            Instruction::Unreachable,
            Instruction::End,
            Instruction::GlobalGet(self.ink_global),
            cost,
            Instruction::I64Sub,
            Instruction::GlobalSet(self.ink_global),
        ]);
    }
}

impl Reencode for Meter {
    type Error = MeterError;

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReencodeError<Self::Error>> {
        utils::parse_global_section(self, globals, section)?;
        let mutable = |ty| GlobalType {
            val_type: ty,
            mutable: true,
            shared: false,
        };
        globals.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
        if self.profile {
            for _ in &self.defined_params {
                globals.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
            }
        }
        self.saw_globals = true;
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReencodeError<Self::Error>> {
        utils::parse_export_section(self, exports, section)?;
        exports.export(INK_LEFT, ExportKind::Global, self.ink_global);
        exports.export(INK_STATUS, ExportKind::Global, self.status_global());
        if self.profile {
            for body in 0..self.defined_params.len() {
                let name = format!("{PROFILE_PREFIX}{body}");
                exports.export(&name, ExportKind::Global, self.profile_global(body));
            }
        }
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), ReencodeError<Self::Error>> {
        let body = self.next_body;
        let params = self.defined_params.get(body).copied().unwrap_or(0);
        self.next_body += 1;
        let mut locals = Vec::new();
        let mut declared = 0u32;
        for pair in func.get_locals_reader()? {
            let (count, ty) = pair?;
            declared += count;
            locals.push((count, self.val_type(ty)?));
        }
        // Two scratch locals: the byte count of a bulk memory operator and its
        // charge, or the pages a `memory.grow` asks for.
        let bytes_local = params + declared;
        let cost_local = bytes_local + 1;
        locals.push((1, ValType::I32));
        locals.push((1, ValType::I64));
        let mut function = Function::new(locals);

        let mut block: Vec<Instruction<'_>> = Vec::new();
        let mut block_ink = 0u64;
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let type_params = &self.type_params;
            // An operator pricing v1 has no price for (a float's `const`,
            // `load`, `store`, which activation lets through) costs all the
            // ink there is, as Nitro's table prices it (`u64::MAX`): the
            // block it is in can never run.
            let ink =
                pricing::operator_ink(&op, |t| type_params.get(t as usize).copied().unwrap_or(0))
                    .unwrap_or(u64::MAX);
            block_ink = block_ink.saturating_add(ink);
            let ends = pricing::ends_basic_block(&op);
            if matches!(
                op,
                Operator::MemoryCopy { .. } | Operator::MemoryFill { .. }
            ) {
                // [.., len] -> [.., len], charging len * 100 ink first.
                block.extend([
                    Instruction::LocalTee(bytes_local),
                    Instruction::LocalGet(bytes_local),
                    Instruction::I64ExtendI32U,
                    Instruction::I64Const(MEMORY_OP_INK_PER_BYTE as i64),
                    Instruction::I64Mul,
                    Instruction::LocalSet(cost_local),
                ]);
                let mut dynamic = Vec::new();
                self.charge(&mut dynamic, Instruction::LocalGet(cost_local));
                block.extend(dynamic);
            }
            // [.., pages] -> [.., pages], the host paying for them first.
            // Without the import (activation allows that only for a memory
            // whose maximum is its initial size, which cannot grow) the
            // operator is left alone, as Nitro's heap bound leaves it.
            if let (Operator::MemoryGrow { .. }, Some(pay)) = (&op, self.pay_for_memory_grow) {
                block.extend([
                    Instruction::LocalTee(bytes_local),
                    Instruction::Call(pay),
                    Instruction::LocalGet(bytes_local),
                ]);
            }
            block.push(self.instruction(op)?);
            if ends {
                let mut header = Vec::new();
                let cost = block_ink.saturating_add(BLOCK_HEADER_INK);
                self.charge(&mut header, Instruction::I64Const(cost as i64));
                if self.profile {
                    let counter = self.profile_global(body);
                    header.extend([
                        Instruction::GlobalGet(counter),
                        Instruction::I64Const(cost as i64),
                        Instruction::I64Add,
                        Instruction::GlobalSet(counter),
                    ]);
                }
                for instruction in header.iter().chain(block.iter()) {
                    function.instruction(instruction);
                }
                block.clear();
                block_ink = 0;
            }
        }
        for instruction in &block {
            function.instruction(instruction);
        }
        code.function(&function);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metered(wat: &str) -> Vec<u8> {
        instrument(&wat::parse_str(wat).unwrap()).unwrap()
    }

    #[test]
    fn instrumented_module_validates_and_exports_the_meter() {
        let wasm = metered(
            r#"(module
                (global $sp (mut i32) (i32.const 0))
                (memory (export "memory") 1)
                (func (export "f") (param i32) (result i32)
                    local.get 0
                    if (result i32) i32.const 1 else i32.const 2 end
                    i32.const 0 i32.const 0 i32.const 8 memory.copy))"#,
        );
        wasmparser::validate(&wasm).unwrap();
        let text = wasmprinter::print_bytes(&wasm).unwrap();
        assert!(text.contains("stylus_ink_left"));
        assert!(text.contains("stylus_ink_status"));
    }

    #[test]
    fn an_operator_without_a_price_makes_its_block_cost_all_the_ink() {
        let wasm = metered(
            r#"(module (global (mut i32) (i32.const 0))
                (func (result f32) f32.const 1))"#,
        );
        let text = wasmprinter::print_bytes(&wasm).unwrap();
        // u64::MAX, as the i64 the charge compares with.
        assert!(text.contains("i64.const -1"), "{text}");
    }
}
