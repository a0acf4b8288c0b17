//! `stylus-artifact IN.wasm OUT.wasm`: turns a raw `cargo build` WASM into the
//! deployable program (re-encoded, custom sections dropped), runs Nitro's
//! activation checks on it and prints its sizes. Exits non-zero when a check
//! fails, so the build script fails with it.

use std::process::ExitCode;

use stylus_local_vm::{artifact, pricing};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: stylus-artifact IN.wasm OUT.wasm");
        return ExitCode::from(2);
    };
    match run(input, output) {
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
