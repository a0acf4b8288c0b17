//! What the deployed program makes every call pay before any of its code
//! runs. Nitro charges a cached call 0.75 gas per byte of the data section,
//! so the program keeps `alloc`'s failure handler out (its lists are made by
//! `spending_limit_hook::list`) and passes no constants by reference. These
//! figures are exact for a given build, so they are held here, not in a report.

mod common;

use stylus_local_vm::{artifact, pricing::EntryCost};

/// The bound on the cached entry cost.
const CACHED_ENTRY_BOUND: u64 = 600;
/// The data section as it is now: two `dyn Env` vtables and the name and
/// version strings, with a little room for another vtable.
const DATA_BOUND: usize = 96;

#[test]
fn the_program_links_no_allocation_failure_handler() {
    let wasm = common::artifact();
    // What `alloc` formats when an allocation fails or a capacity overflows,
    // and the source paths its panics carry.
    for text in [
        "memory allocation of",
        "capacity overflow",
        "library/alloc",
        "/rustc/",
    ] {
        assert!(
            !wasm.windows(text.len()).any(|w| w == text.as_bytes()),
            "the program carries {text:?}: something made or grew a Vec without \
             `list` (clippy on the wasm32 build says where)"
        );
    }
}

#[test]
fn the_cached_entry_stays_under_600_gas() {
    let info = artifact::check(&common::artifact()).expect("the artifact passes activation");
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
