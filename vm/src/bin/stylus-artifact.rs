//! `stylus-artifact IN.wasm OUT.wasm`: turns a raw `cargo build` WASM into the
//! deployable program (re-encoded, custom sections dropped), runs Nitro's
//! activation checks on it and prints its sizes. Exits non-zero when a check
//! fails, so the build script fails with it.
//!
//! `stylus-artifact --same-as-initcode INITCODE.hex PROGRAM.wasm`: checks that
//! the program `cargo stylus get-initcode` would deploy is `PROGRAM.wasm`, but
//! for custom sections (cargo-stylus adds a project hash): the figures the
//! local VM reports are then those of the deployed program.

use std::process::ExitCode;

use stylus_local_vm::{artifact, pricing};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, initcode, program] if flag == "--same-as-initcode" => {
            same_as_initcode(initcode, program)
        }
        [input, output] => run(input, output),
        _ => {
            eprintln!("usage: stylus-artifact IN.wasm OUT.wasm");
            eprintln!("       stylus-artifact --same-as-initcode INITCODE.hex PROGRAM.wasm");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stylus-artifact: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &str, output: &str) -> Result<(), Box<dyn std::error::Error>> {
    let raw = std::fs::read(input)?;
    let wasm = artifact::reencode(&raw)?;
    let info = artifact::check(&wasm)?;
    std::fs::write(output, &wasm)?;
    let compressed = artifact::compressed_len(&wasm);
    let entry = pricing::EntryCost::of(&info);
    println!("program            {output}");
    println!(
        "raw size           {:>7} bytes (limit {})",
        wasm.len(),
        artifact::MAX_UNCOMPRESSED
    );
    println!(
        "compressed size    {compressed:>7} bytes (limit {})",
        artifact::MAX_COMPRESSED
    );
    println!(
        "functions          {:>7} (limit {})",
        info.functions,
        artifact::MAX_FUNCTIONS
    );
    println!(
        "data section       {:>7} bytes in {} segments",
        info.data_len, info.data_segments
    );
    println!("initial memory     {:>7} pages", info.initial_pages);
    println!(
        "host imports       {:>7}: {}",
        info.imports.len(),
        info.imports.join(", ")
    );
    println!("entry cost cached  {:>7} gas", entry.cached_gas());
    println!(
        "entry cost         {:>7} gas uncached",
        entry.uncached_gas()
    );
    println!("checks             passed (feature set, imports, exports, no start, limits)");
    Ok(())
}

fn same_as_initcode(initcode: &str, program: &str) -> Result<(), Box<dyn std::error::Error>> {
    let hex = std::fs::read_to_string(initcode)?;
    let hex = hex.trim();
    let bytes = alloy_primitives::hex::decode(hex.strip_prefix("0x").unwrap_or(hex))?;
    let deployed = artifact::reencode(&artifact::program_from_initcode(&bytes)?)?;
    let measured = std::fs::read(program)?;
    if deployed != measured {
        let at = deployed
            .iter()
            .zip(&measured)
            .position(|(a, b)| a != b)
            .unwrap_or(deployed.len().min(measured.len()));
        return Err(format!(
            "{initcode} deploys a different program than {program}: {} vs {} bytes, first difference at byte {at}",
            deployed.len(),
            measured.len()
        )
        .into());
    }
    println!(
        "{initcode} deploys {program} ({} bytes, {} compressed)",
        measured.len(),
        artifact::compressed_len(&measured)
    );
    Ok(())
}
