//! The hook program: the address accounts install, and the one that runs
//! before every execution of every account. It serves what an execution or
//! a frequent call runs, and hands every other call, by `DELEGATECALL`, to
//! the config program its constructor named, so that code runs in this
//! program's storage, at its address, for the same caller: accounts and
//! frontends see one contract (`spending_limit_hook::config_program` says
//! why there are two programs).

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use spending_limit_stylus::functions;
use spending_limit_stylus::selectors::*;
use stylus_sdk::ArbResult;

spending_limit_stylus::routes! {
    /// The functions the hook program serves itself: `preCheck` and
    /// `postCheck` (every execution), the two calls whose gas the goals
    /// measure (`setSpendingLimit`, `getRemainingAllowance`), and the
    /// deployment's own (the constructor, and `configProgram`, which must
    /// not be answered by the program it names). Everything else, even what
    /// an account asks once while installing (`isModuleType`,
    /// `isInitialized`), would cost every call of these a little at entry,
    /// and is handed on.
    pub fn route;
    /// The selectors [`route`] serves.
    pub const SERVED;
    PRE_CHECK => functions::pre_check,
    POST_CHECK => functions::post_check,
    SET_SPENDING_LIMIT => functions::set_spending_limit,
    GET_REMAINING_ALLOWANCE => functions::get_remaining_allowance,
    CONSTRUCTOR => functions::constructor,
    CONFIG_PROGRAM => functions::config_program,
}

/// One call: its answer, or `None` for a selector this program hands on.
pub fn call(input: &[u8]) -> Option<ArbResult> {
    spending_limit_stylus::entry::serve(input, route)
}

/// The program's entry point on chain.
// `no_mangle`: the host calls the program by this name.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    spending_limit_stylus::entry::run(len, |input| call(input).unwrap_or_else(|| hand_on(input)))
}

/// Hands the call, unchanged, to the config program. The hook program has
/// written nothing before (its functions return whole), so the config
/// program sees storage as it is. A hook whose constructor never ran has no
/// config program, and refuses with `InvalidConfigProgram(0)`.
#[cfg(target_arch = "wasm32")]
fn hand_on(input: &[u8]) -> ArbResult {
    use spending_limit_stylus::{env::HostEnv, host};
    let program =
        spending_limit_hook::config_program::target(&mut HostEnv).map_err(|e| e.encode())?;
    match host::delegate_call(program, input) {
        (true, output) => Ok(output),
        (false, output) => Err(output),
    }
}
