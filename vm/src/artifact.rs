//! The deployable program as cargo-stylus makes it and Nitro reads it back:
//! custom sections stripped, brotli-compressed behind the Stylus prefix,
//! wrapped in cargo-stylus's deploy prelude; and the way back, from deploy
//! bytes to the WASM that [`crate::activation`] checks.
//!
//! cargo-stylus 0.10.10 (`stylus-tools` `core/code/wasm.rs` `process_wasm`)
//! runs the pinned wasm-opt, strips every custom section (copying the other
//! sections as they are), appends its `project_hash` custom section and
//! compresses at brotli quality 11; `core/deployment/prelude.rs` puts the
//! 43-byte prelude in front. Nitro (`arbos/programs/programs.go`
//! `getWasmFromContractCode`) strips the prefix and decompresses, bounded
//! by `MaxWasmSize`.

use std::fmt;
use std::io::{Read, Write};

use wasm_encoder::RawSection;
use wasmparser::{Parser, Payload};

use crate::activation::MAX_WASM_SIZE;

/// Largest contract code the EVM deploys (`MaxCodeSize`, 24,576 bytes, EIP-170;
/// Arbitrum's default). cargo-stylus splits a larger program into fragments,
/// which Nitro accepts only from ArbOS 60; this project deploys programs whole.
pub const MAX_CODE_SIZE: usize = 24 * 1024;

/// What a Stylus contract's code starts with, before the compressed program:
/// the EOF-style magic `EF F0 00`, then the dictionary (0: none).
pub const STYLUS_CODE_PREFIX: [u8; 4] = [0xef, 0xf0, 0x00, 0x00];

/// Why bytes are not a deployable program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactError {
    /// The bytes do not parse as a WASM module.
    Malformed(String),
    /// The contract code would be larger than [`MAX_CODE_SIZE`].
    CodeTooLarge {
        /// Bytes of code (prefix and compressed program).
        size: usize,
    },
    /// Deploy bytes that are not a Stylus program's initcode.
    Initcode(&'static str),
    /// Contract code Nitro would not take as a program.
    Code(String),
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "not a WASM module: {e}"),
            Self::CodeTooLarge { size } => write!(
                f,
                "the contract code is {size} bytes (prefix and compressed program), \
                 at most {MAX_CODE_SIZE}"
            ),
            Self::Initcode(why) => write!(f, "not a Stylus program's initcode: {why}"),
            Self::Code(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for ArtifactError {}

/// `wasm` without its custom sections, every other section copied byte for
/// byte: what cargo-stylus deploys, but for the `project_hash` section it
/// adds (`stylus-tools` `utils/wasm.rs` `strip_user_metadata`).
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ArtifactError::Malformed(e.to_string()))?;
        if matches!(
            payload,
            Payload::CustomSection(_) | Payload::UnknownSection { .. }
        ) {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            let data = wasm
                .get(range)
                .ok_or_else(|| ArtifactError::Malformed("section out of range".into()))?;
            module.section(&RawSection { id, data });
        }
    }
    Ok(module.finish())
}

/// `wasm` without its `target_features` custom section, every other
/// section as it is. rustc's output keeps it when symbols are not stripped
/// (a build with names, for the profiler), and Binaryen turns on every
/// feature it lists, whatever its flags say: with `bulk-memory` on, it
/// writes the DataCount section Nitro refuses.
pub fn without_target_features(wasm: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ArtifactError::Malformed(e.to_string()))?;
        if let Payload::CustomSection(reader) = &payload {
            if reader.name() == "target_features" {
                continue;
            }
        }
        if let Some((id, range)) = payload.as_section() {
            let data = wasm
                .get(range)
                .ok_or_else(|| ArtifactError::Malformed("section out of range".into()))?;
            module.section(&RawSection { id, data });
        }
    }
    Ok(module.finish())
}

/// The contract code of `wasm`: the prefix and the compressed program.
pub fn contract_code(wasm: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let mut code = STYLUS_CODE_PREFIX.to_vec();
    code.extend_from_slice(&compress(wasm));
    if code.len() > MAX_CODE_SIZE {
        return Err(ArtifactError::CodeTooLarge { size: code.len() });
    }
    Ok(code)
}

/// The EVM code cargo-stylus's initcode starts with after `PUSH32 len`:
/// `DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN`, then a version
/// byte (0). It returns the 43 bytes after itself onwards as the code.
const INITCODE_PRELUDE_TAIL: [u8; 10] =
    [0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00];

/// The initcode cargo-stylus deploys `code` with (`stylus-tools`
/// `core/deployment/prelude.rs`).
pub fn initcode(code: &[u8]) -> Vec<u8> {
    let mut out = vec![0x7f];
    out.extend_from_slice(&alloy_primitives::U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&INITCODE_PRELUDE_TAIL);
    out.extend_from_slice(code);
    out
}

/// The contract code `initcode`, as `cargo stylus get-initcode` writes it,
/// deploys.
pub fn code_from_initcode(initcode: &[u8]) -> Result<&[u8], ArtifactError> {
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
    if code.len() != initcode.len().saturating_sub(43) {
        return Err(ArtifactError::Initcode("bytes after the code"));
    }
    Ok(code)
}

/// The program Nitro reads out of contract code (`programs.go`
/// `getWasmFromContractCode`): the Stylus prefix, a dictionary byte of 0
/// (1, Nitro's own dictionary, is not used by cargo-stylus and not
/// supported here), and a brotli stream that decompresses to at most
/// [`MAX_WASM_SIZE`] bytes.
pub fn program_from_code(code: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    let compressed = code
        .strip_prefix(&STYLUS_CODE_PREFIX[..3])
        .ok_or_else(|| ArtifactError::Code("specified bytecode is not a Stylus program".into()))?;
    let (&dictionary, compressed) = compressed
        .split_first()
        .ok_or_else(|| ArtifactError::Code("specified bytecode is not a Stylus program".into()))?;
    if dictionary != 0 {
        return Err(ArtifactError::Code(format!(
            "unsupported dictionary {dictionary}"
        )));
    }
    let mut wasm = Vec::new();
    let limit = MAX_WASM_SIZE as u64 + 1;
    brotli::Decompressor::new(compressed, 4096)
        .take(limit)
        .read_to_end(&mut wasm)
        .map_err(|_| ArtifactError::Code("failed decompression".into()))?;
    if wasm.len() > MAX_WASM_SIZE {
        return Err(ArtifactError::Code(format!(
            "failed decompression: result too large, wanted: < {MAX_WASM_SIZE}"
        )));
    }
    Ok(wasm)
}

/// The program `initcode` deploys.
pub fn program_from_initcode(initcode: &[u8]) -> Result<Vec<u8>, ArtifactError> {
    program_from_code(code_from_initcode(initcode)?)
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

    const EMPTY_MODULE: &[u8] = b"\0asm\x01\0\0\0";

    /// `EMPTY_MODULE` with a custom section of `payload`: any size, and no
    /// change to what the module does.
    fn with_custom_section(payload: &[u8]) -> Vec<u8> {
        let mut module = wasm_encoder::Module::new();
        module.section(&wasm_encoder::CustomSection {
            name: "x".into(),
            data: payload.into(),
        });
        module.finish()
    }

    fn initcode_of(wasm: &[u8]) -> Vec<u8> {
        initcode(&contract_code(wasm).unwrap())
    }

    #[test]
    fn the_program_comes_back_out_of_its_initcode() {
        assert_eq!(
            program_from_initcode(&initcode_of(EMPTY_MODULE)).unwrap(),
            EMPTY_MODULE
        );
    }

    #[test]
    fn other_deploy_bytes_are_refused_with_the_reason() {
        let good = initcode_of(EMPTY_MODULE);
        let reason = |bytes: &[u8]| match program_from_initcode(bytes) {
            Err(ArtifactError::Initcode(why)) => why.to_string(),
            Err(ArtifactError::Code(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
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
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(reason(&longer), "bytes after the code");
        let mut dictionary = good.clone();
        dictionary[43 + 3] = 1;
        assert_eq!(reason(&dictionary), "unsupported dictionary 1");
        let mut not_stylus = good.clone();
        not_stylus[43 + 1] = 0xf1;
        assert_eq!(
            reason(&not_stylus),
            "specified bytecode is not a Stylus program"
        );
        let mut garbled = good;
        let last = garbled.len() - 1;
        garbled[43 + 4..last].fill(0xff);
        assert_eq!(reason(&garbled), "failed decompression");
    }

    #[test]
    fn a_program_past_nitros_decompression_bound_is_refused() {
        let wasm = with_custom_section(&vec![0u8; MAX_WASM_SIZE]);
        let code = [&STYLUS_CODE_PREFIX[..], &compress(&wasm)].concat();
        assert!(matches!(
            program_from_code(&code),
            Err(ArtifactError::Code(why)) if why.contains("result too large")
        ));
        let mut at_bound = wasm;
        at_bound.truncate(MAX_WASM_SIZE);
        let code = [&STYLUS_CODE_PREFIX[..], &compress(&at_bound)].concat();
        assert_eq!(program_from_code(&code).unwrap().len(), MAX_WASM_SIZE);
    }

    #[test]
    fn stripping_keeps_every_other_section_byte_for_byte() {
        let wasm = wat::parse_str(
            r#"(module (@custom "note" "x") (memory (export "memory") 1)
               (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        )
        .unwrap();
        let stripped = strip_custom_sections(&wasm).unwrap();
        assert!(stripped.len() < wasm.len());
        assert!(!stripped.windows(4).any(|w| w == b"note"));
        // Nothing else changed: stripping again is the identity.
        assert_eq!(strip_custom_sections(&stripped).unwrap(), stripped);
    }

    #[test]
    fn code_past_the_evm_limit_is_refused() {
        // Incompressible bytes in a custom section.
        let mut state = 0x1234_5678u32;
        let noise: Vec<u8> = (0..MAX_CODE_SIZE)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let wasm = with_custom_section(&noise);
        assert!(matches!(
            contract_code(&wasm),
            Err(ArtifactError::CodeTooLarge { size }) if size > MAX_CODE_SIZE
        ));
    }
}
