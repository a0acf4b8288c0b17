//! Transaction semantics for the in-memory store: what the chain does to a
//! reverted call (its writes disappear), for tests that drive the pipeline
//! without a VM.

use spending_limit_hook::env::MemoryEnv;
use spending_limit_hook::error::HookError;

/// Runs `f` as one transaction on `env`: an error leaves storage as it was.
pub fn transact(
    env: &mut MemoryEnv,
    f: impl FnOnce(&mut MemoryEnv) -> Result<(), HookError>,
) -> Result<(), HookError> {
    let before = env.slots.clone();
    let result = f(env);
    if result.is_err() {
        env.slots = before;
    }
    result
}
