//! What the deployed programs make every call pay before any of their code
//! runs. Nitro charges a cached call 0.75 gas per byte of the data section,
//! so the programs keep `alloc`'s failure handler out (their lists are made
//! by `spending_limit_hook::list`) and pass no constants by reference; an
//! uncached call pays for every byte and function of the program, so the
//! hook program holds only its hot calls (`src/config_program.rs`). These
//! figures are exact for a given build, so they are held here, not in a report.

// A test or a report: a panic is a failure, its arithmetic is on small figures.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use stylus_local_vm::{activation, artifact, pricing::EntryCost};

/// The bound on the hook program, compressed as deployed.
const COMPRESSED_BOUND: usize = 12 * 1024;
/// The bound on the cached entry cost.
const CACHED_ENTRY_BOUND: u64 = 600;
/// The larger data section as it is now (the config program's: two `dyn Env`
/// vtables and the name and version strings; the hook program has one
/// vtable), with a little room for another vtable.
const DATA_BOUND: u64 = 96;

#[test]
fn neither_program_links_the_allocation_failure_handler() {
    for wasm in [common::artifact(), common::config_artifact()] {
        // What `alloc` formats when an allocation fails or a capacity
        // overflows, and the source paths its panics carry.
        for text in [
            "memory allocation of",
            "capacity overflow",
            "library/alloc",
            "/rustc/",
        ] {
            assert!(
                !wasm.windows(text.len()).any(|w| w == text.as_bytes()),
                "a program carries {text:?}: something made or grew a Vec without \
                 `list` (clippy on the wasm32 build says where)"
            );
        }
    }
}

#[test]
fn the_hook_program_stays_within_12_kib_compressed() {
    let compressed = artifact::compressed_len(&common::artifact());
    assert!(
        compressed <= COMPRESSED_BOUND,
        "the hook program is {compressed} bytes compressed (bound {COMPRESSED_BOUND}): \
         move what an execution does not run to the config program"
    );
}

#[test]
fn the_cached_entry_stays_under_600_gas() {
    for wasm in [common::artifact(), common::config_artifact()] {
        cached_entry_within_bounds(&wasm);
    }
}

fn cached_entry_within_bounds(wasm: &[u8]) {
    let info = activation::check(wasm).expect("the artifact passes activation");
    let cost = EntryCost::of(&info);
    assert!(
        info.data_len <= DATA_BOUND,
        "data section is {} bytes (bound {DATA_BOUND}): every byte is 0.75 gas on every call",
        info.data_len
    );
    assert!(
        cost.cached_gas() < CACHED_ENTRY_BOUND,
        "cached entry costs {} gas (bound {CACHED_ENTRY_BOUND})",
        cost.cached_gas()
    );
}
