//! `stylus-artifact IN.wasm OUT.wasm`: turns the optimised build of a
//! program into the deployable artifact (custom sections stripped, every
//! other section as it is, as cargo-stylus deploys it), applies Nitro's
//! activation rules and the deploy size limit to it, and prints its sizes and
//! entry costs. Exits non-zero, with Nitro's reason, when a rule refuses it,
//! so the build script fails with it.
//!
//! `stylus-artifact --same-as-initcode INITCODE.hex PROGRAM.wasm`: applies
//! the same rules to the exact program `cargo stylus get-initcode` would
//! deploy (its `project_hash` section included), and checks that it is
//! `PROGRAM.wasm` but for that section: the figures the local VM reports are
//! then those of the deployed program.
//!
//! `stylus-artifact --without-target-features IN.wasm OUT.wasm`: drops the
//! `target_features` section a build with names keeps, before wasm-opt
//! (`scripts/profile.sh`; see `artifact::without_target_features`).

use std::process::ExitCode;

use stylus_local_vm::{activation, artifact, pricing};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, initcode, program] if flag == "--same-as-initcode" => {
            same_as_initcode(initcode, program)
        }
        [flag, input, output] if flag == "--without-target-features" => {
            without_target_features(input, output)
        }
        [input, output] if !input.starts_with('-') => run(input, output),
        _ => {
            eprintln!("usage: stylus-artifact IN.wasm OUT.wasm");
            eprintln!("       stylus-artifact --same-as-initcode INITCODE.hex PROGRAM.wasm");
            eprintln!("       stylus-artifact --without-target-features IN.wasm OUT.wasm");
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
    let optimised = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let wasm = artifact::strip_custom_sections(&optimised)?;
    let info = activation::check(&wasm).map_err(|e| format!("Nitro would refuse {input}: {e}"))?;
    let code = artifact::contract_code(&wasm)?;
    std::fs::write(output, &wasm).map_err(|e| format!("{output}: {e}"))?;
    let entry = pricing::EntryCost::of(&info);
    println!("program            {output}");
    println!(
        "raw size           {:>7} bytes (Nitro's limit {})",
        wasm.len(),
        activation::MAX_WASM_SIZE
    );
    println!(
        "contract code      {:>7} bytes compressed (the EVM's limit {})",
        code.len(),
        artifact::MAX_CODE_SIZE
    );
    println!(
        "functions          {:>7} (limit {})",
        info.functions,
        activation::limits::FUNCTIONS
    );
    println!(
        "data section       {:>7} bytes in {} segments",
        info.data_len, info.data_segments
    );
    println!("initial memory     {:>7} pages", info.footprint);
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
    println!("activation         passes every rule of Nitro v3.9.5 (vm/src/activation.rs)");
    Ok(())
}

fn without_target_features(input: &str, output: &str) -> Result<(), Box<dyn std::error::Error>> {
    let wasm = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    std::fs::write(output, artifact::without_target_features(&wasm)?)
        .map_err(|e| format!("{output}: {e}"))?;
    Ok(())
}

fn same_as_initcode(initcode: &str, program: &str) -> Result<(), Box<dyn std::error::Error>> {
    let hex = std::fs::read_to_string(initcode).map_err(|e| format!("{initcode}: {e}"))?;
    let hex = hex.trim();
    let bytes = alloy_primitives::hex::decode(hex.strip_prefix("0x").unwrap_or(hex))?;
    let deployed = artifact::program_from_initcode(&bytes)?;
    activation::check(&deployed)
        .map_err(|e| format!("Nitro would refuse the program {initcode} deploys: {e}"))?;
    let deployed = artifact::strip_custom_sections(&deployed)?;
    let measured = std::fs::read(program).map_err(|e| format!("{program}: {e}"))?;
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
        "{initcode} deploys {program} ({} bytes, {} compressed), which Nitro activates",
        measured.len(),
        artifact::compressed_len(&measured)
    );
    Ok(())
}
