//! The Solidity interface a program answers, for `cargo stylus export-abi`
//! (each program's `export-abi` binary prints it) and for the tests that
//! hold it to `abi/`. Built from the published JSON ABIs in `abi/`, kept to
//! the functions a program serves, with every error and event of the hook:
//! what it prints is what the routers serve, by construction.

use alloy_json_abi::JsonAbi;

/// `abi/ISpendingLimitHook.json` and `abi/ISpendingLimitPolicy.json`: every
/// function, error and event of the hook.
pub fn json_abi() -> Result<JsonAbi, String> {
    let mut items = Vec::new();
    for (file, text) in [
        (
            "abi/ISpendingLimitHook.json",
            include_str!("../../abi/ISpendingLimitHook.json"),
        ),
        (
            "abi/ISpendingLimitPolicy.json",
            include_str!("../../abi/ISpendingLimitPolicy.json"),
        ),
    ] {
        let part: JsonAbi = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        items.extend(part.into_items());
    }
    Ok(items.into_iter().collect())
}

/// The JSON ABI of the functions whose selectors are in `served`, with
/// every error and event.
pub fn served_abi(served: &[u32]) -> Result<JsonAbi, String> {
    let mut abi = json_abi()?;
    abi.functions.retain(|_, overloads| {
        overloads.retain(|f| served.contains(&u32::from_be_bytes(f.selector().0)));
        !overloads.is_empty()
    });
    Ok(abi)
}

/// The Solidity interface `name` of the functions in `served`, as
/// `cargo stylus export-abi` prints an interface (a license line and a
/// pragma first, so that `solc` takes it as it is).
pub fn solidity(name: &str, served: &[u32]) -> Result<String, String> {
    Ok(format!(
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.23;\n\n{}\n",
        served_abi(served)?.to_sol(name, None)
    ))
}
