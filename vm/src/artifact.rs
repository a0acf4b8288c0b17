//! The deployable program: re-encoding, Nitro's activation checks, sizes.
//!
//! rustc writes `call_indirect` with a padded table index that Nitro's parser
//! refuses, so the raw `target/*.wasm` is re-encoded (parse, print canonically)
//! as cargo-stylus does before deploying. The checks are the static ones Nitro
//! makes when a program is activated; the build script and the local VM's
//! loader both call [`check`], so the VM never runs what a chain would refuse.

use std::fmt;
use std::io::Write;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

/// Largest brotli-compressed program Nitro accepts (24 KiB).
pub const MAX_COMPRESSED: usize = 24 * 1024;
/// Largest uncompressed program Nitro accepts (128 KiB).
pub const MAX_UNCOMPRESSED: usize = 128 * 1024;
/// Most data segments Nitro accepts.
pub const MAX_DATA_SEGMENTS: usize = 128;
/// Most functions Nitro accepts.
pub const MAX_FUNCTIONS: usize = 4096;
/// The only module programs may import from.
pub const HOST_MODULE: &str = "vm_hooks";

/// Why a module is not a deployable Stylus program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactError {
    /// The bytes are not valid WASM under Nitro's feature set.
    Invalid(String),
    /// An import other than a function from `vm_hooks`.
    ForbiddenImport(String),
    /// `user_entrypoint: (i32) -> i32` or `memory` is not exported.
    MissingExport(&'static str),
    /// A start function would run before the host is ready.
    StartFunction,
    /// Too many data segments or functions.
    TooMany {
        what: &'static str,
        count: usize,
        max: usize,
    },
    /// Larger than Nitro's size limits.
    TooLarge {
        what: &'static str,
        size: usize,
        max: usize,
    },
    /// Deploy bytes that are not a Stylus program's initcode.
    Initcode(&'static str),
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(e) => write!(f, "invalid wasm for Nitro's feature set: {e}"),
            Self::ForbiddenImport(i) => write!(
                f,
                "forbidden import {i} (only functions from {HOST_MODULE})"
            ),
            Self::MissingExport(e) => write!(f, "missing export {e}"),
            Self::StartFunction => write!(f, "a start function is not allowed"),
            Self::TooMany { what, count, max } => write!(f, "{count} {what}, at most {max}"),
            Self::TooLarge { what, size, max } => {
                write!(f, "{what} is {size} bytes, at most {max}")
            }
            Self::Initcode(why) => write!(f, "not a Stylus program's initcode: {why}"),
        }
    }
}

impl std::error::Error for ArtifactError {}

/// The WASM features Nitro's validator enables (and nothing else).
pub fn nitro_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// Facts about a program that activation and the entry cost depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Host functions imported, by name.
    pub imports: Vec<String>,
    /// Functions defined (not imported).
    pub functions: usize,
    /// Globals defined.
    pub globals: usize,
    /// Bytes of the type section.
    pub type_section_len: usize,
    /// Bytes of all data segments.
    pub data_len: usize,
    /// Data segments.
    pub data_segments: usize,
    /// Initial memory pages.
    pub initial_pages: u64,
    /// Whole module size.
    pub wasm_len: usize,
}

/// Re-encodes `wasm` canonically (fixing rustc's padded `call_indirect`
/// immediates) and drops custom sections, which deploys do not need.
pub fn reencode(wasm: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let mut module = wasm_encoder::Module::new();
    let mut stripper = StripCustom;
    stripper
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| ArtifactError::Invalid(e.to_string()))?;
    Ok(module.finish())
}

struct StripCustom;

impl Reencode for StripCustom {
    type Error = std::convert::Infallible;

    fn parse_custom_section(
        &mut self,
        _module: &mut wasm_encoder::Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
        Ok(())
    }
}

/// Re-encodes with no changes at all (for tests of the re-encoder).
pub fn roundtrip(wasm: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let mut module = wasm_encoder::Module::new();
    RoundtripReencoder
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| ArtifactError::Invalid(e.to_string()))?;
    Ok(module.finish())
}

/// Runs every static check Nitro makes at activation and returns what the
/// entry cost is computed from.
pub fn check(wasm: &[u8]) -> Result<ModuleInfo, ArtifactError> {
    Validator::new_with_features(nitro_features())
        .validate_all(wasm)
        .map_err(|e| ArtifactError::Invalid(e.to_string()))?;
    let mut info = ModuleInfo {
        imports: Vec::new(),
        functions: 0,
        globals: 0,
        type_section_len: 0,
        data_len: 0,
        data_segments: 0,
        initial_pages: 0,
        wasm_len: wasm.len(),
    };
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut entrypoint = None;
    let mut memory_exported = false;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| ArtifactError::Invalid(e.to_string()))? {
            Payload::TypeSection(reader) => {
                info.type_section_len = reader.range().len();
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(|e| ArtifactError::Invalid(e.to_string()))?;
                    types.push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| ArtifactError::Invalid(e.to_string()))?;
                    let name = format!("{}::{}", import.module, import.name);
                    match import.ty {
                        TypeRef::Func(ty) if import.module == HOST_MODULE => {
                            func_types.push(ty);
                            info.imports.push(import.name.to_string());
                        }
                        _ => return Err(ArtifactError::ForbiddenImport(name)),
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(|e| ArtifactError::Invalid(e.to_string()))?);
                    info.functions += 1;
                }
            }
            Payload::GlobalSection(reader) => info.globals = reader.count() as usize,
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| ArtifactError::Invalid(e.to_string()))?;
                    info.initial_pages = memory.initial;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| ArtifactError::Invalid(e.to_string()))?;
                    match (export.name, export.kind) {
                        ("user_entrypoint", ExternalKind::Func) => entrypoint = Some(export.index),
                        ("memory", ExternalKind::Memory) => memory_exported = true,
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => return Err(ArtifactError::StartFunction),
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(|e| ArtifactError::Invalid(e.to_string()))?;
                    info.data_len += data.data.len();
                    info.data_segments += 1;
                }
            }
            _ => {}
        }
    }
    let entry_ok = entrypoint
        .and_then(|f| func_types.get(f as usize))
        .and_then(|t| types.get(*t as usize))
        .is_some_and(|(params, results)| params == &[ValType::I32] && results == &[ValType::I32]);
    if !entry_ok {
        return Err(ArtifactError::MissingExport(
            "user_entrypoint: (i32) -> i32",
        ));
    }
    if !memory_exported {
        return Err(ArtifactError::MissingExport("memory"));
    }
    if info.data_segments > MAX_DATA_SEGMENTS {
        return Err(ArtifactError::TooMany {
            what: "data segments",
            count: info.data_segments,
            max: MAX_DATA_SEGMENTS,
        });
    }
    if info.functions > MAX_FUNCTIONS {
        return Err(ArtifactError::TooMany {
            what: "functions",
            count: info.functions,
            max: MAX_FUNCTIONS,
        });
    }
    if wasm.len() > MAX_UNCOMPRESSED {
        return Err(ArtifactError::TooLarge {
            what: "program",
            size: wasm.len(),
            max: MAX_UNCOMPRESSED,
        });
    }
    let compressed = compressed_len(wasm);
    if compressed > MAX_COMPRESSED {
        return Err(ArtifactError::TooLarge {
            what: "compressed program",
            size: compressed,
            max: MAX_COMPRESSED,
        });
    }
    Ok(info)
}

/// The EVM code cargo-stylus's initcode ends with: `PUSH32 len, DUP1,
/// PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, STOP` returns the 43 bytes
/// after itself onwards as the contract's code.
const INITCODE_PRELUDE_TAIL: [u8; 10] =
    [0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00];
/// What a Stylus contract's code starts with, before the compressed program:
/// the EOF-style magic, version 0, and the dictionary (0: none).
pub const STYLUS_CODE_PREFIX: [u8; 4] = [0xef, 0xf0, 0x00, 0x00];

/// The program (uncompressed WASM) that `initcode`, as `cargo stylus
/// get-initcode` writes it, would deploy: so a test can check that what the
/// local VM measures is byte for byte what goes on chain.
pub fn program_from_initcode(initcode: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let (&push32, rest) = initcode
        .split_first()
        .ok_or(ArtifactError::Initcode("empty"))?;
    let (len, rest) = rest
        .split_first_chunk::<32>()
        .filter(|_| push32 == 0x7f)
        .ok_or(ArtifactError::Initcode("no PUSH32 of the code length"))?;
    let code = rest
        .split_first_chunk::<10>()
        .filter(|(tail, _)| **tail == INITCODE_PRELUDE_TAIL)
        .map(|(_, code)| code)
        .ok_or(ArtifactError::Initcode("not cargo-stylus's deploy prelude"))?;
    let len = usize::try_from(alloy_primitives::U256::from_be_bytes(*len))
        .map_err(|_| ArtifactError::Initcode("code length overflows"))?;
    let code = code
        .get(..len)
        .ok_or(ArtifactError::Initcode("shorter than its code length"))?;
    let compressed = code
        .strip_prefix(&STYLUS_CODE_PREFIX[..])
        .ok_or(ArtifactError::Initcode(
            "no Stylus prefix (or a dictionary)",
        ))?;
    let mut wasm = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(compressed, 4096), &mut wasm)
        .map_err(|_| ArtifactError::Initcode("the program does not decompress"))?;
    Ok(wasm)
}

/// `wasm` compressed with brotli at the settings cargo-stylus deploys with
/// (quality 11, window 22).
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        // Writing into a Vec cannot fail.
        let _ = writer.write_all(wasm);
    }
    out
}

/// Size of [`compress`]'s output.
pub fn compressed_len(wasm: &[u8]) -> usize {
    compress(wasm).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Initcode laid out as cargo-stylus lays it out, around `wasm`.
    fn initcode(wasm: &[u8]) -> Vec<u8> {
        let mut code = STYLUS_CODE_PREFIX.to_vec();
        code.extend_from_slice(&compress(wasm));
        let mut out = vec![0x7f];
        out.extend_from_slice(&alloy_primitives::U256::from(code.len()).to_be_bytes::<32>());
        out.extend_from_slice(&INITCODE_PRELUDE_TAIL);
        out.extend_from_slice(&code);
        out
    }

    const EMPTY_MODULE: &[u8] = b"\0asm\x01\0\0\0";

    #[test]
    fn the_program_comes_back_out_of_its_initcode() {
        assert_eq!(
            program_from_initcode(&initcode(EMPTY_MODULE)).unwrap(),
            EMPTY_MODULE
        );
    }

    #[test]
    fn other_deploy_bytes_are_refused_with_the_reason() {
        let good = initcode(EMPTY_MODULE);
        let reason = |bytes: &[u8]| match program_from_initcode(bytes) {
            Err(ArtifactError::Initcode(why)) => why,
            other => panic!("expected an initcode error, got {other:?}"),
        };
        assert_eq!(reason(&[]), "empty");
        assert_eq!(reason(&good[1..]), "no PUSH32 of the code length");
        let mut prelude = good.clone();
        prelude[35] = 0x61;
        assert_eq!(reason(&prelude), "not cargo-stylus's deploy prelude");
        assert_eq!(
            reason(&good[..good.len() - 1]),
            "shorter than its code length"
        );
        let mut dictionary = good.clone();
        dictionary[43 + 3] = 1;
        assert_eq!(reason(&dictionary), "no Stylus prefix (or a dictionary)");
        let mut garbled = good;
        let last = garbled.len() - 1;
        garbled[43 + 4..last].fill(0xff);
        assert_eq!(reason(&garbled), "the program does not decompress");
    }
}
