//! One `preCheck`, start to finish, on any [`Env`]: decode what the account is
//! about to do, refuse what the hook cannot see through, and charge every
//! outflow. The entry point runs it on the host; tests run it in memory with
//! any clock.

use alloy_primitives::{Address, U256};

use crate::abi;
use crate::calldata::{self, Read, WORD};
use crate::env::{Env, Overlay};
use crate::error::HookError;
use crate::execution;
use crate::ledger::{self, AccountKey, AccountState, Charged};
use crate::outflow::{self, Classified, Outflow};

/// The arguments of `preCheck(address msgSender, uint256 msgValue, bytes msgData)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreCheckArgs<'a> {
    /// Who called the account.
    pub msg_sender: Address,
    /// Value sent to the account (an inflow: not charged).
    pub msg_value: U256,
    /// The account's own calldata.
    pub msg_data: &'a [u8],
}

/// Decodes `preCheck`'s arguments (the bytes after the selector). Bytes after
/// `msgData`'s padded tail are allowed: that is where the multiplexer's suffix
/// sits.
pub fn decode_args(args: &[u8]) -> Read<PreCheckArgs<'_>> {
    let msg_sender = calldata::address(args, 0)?;
    let msg_value = calldata::uint_at(args, WORD)?;
    let (msg_data, _) = calldata::bytes_at(args, 2 * WORD, 3 * WORD)?;
    Ok(PreCheckArgs {
        msg_sender,
        msg_value,
        msg_data,
    })
}

/// The addresses no execution may call or send value to, whatever the
/// account set: the hook, the account itself, and whoever calls the hook.
///
/// - The hook: an execution could reconfigure or uninstall it for the
///   account (`SelfCallBlocked`, as in the reference).
/// - The account: its own functions are its administration (Safe's owners,
///   modules, guard and fallback handler; Kernel's validators and
///   upgrades; `installModule`, `uninstallModule` on every family), and a
///   nested `execute` is run through the hook again by some families (the
///   reference account, Safe7579) but not by others (Kernel v3.1), whose
///   transfers would then be charged by no one. A batch does what a nested
///   `execute` does (`ProtectedTarget`).
/// - The caller: through the multiplexer, the multiplexer itself, which
///   acts for its caller, the account: `removeHook` would drop the hook
///   (`ProtectedTarget`). Called directly, the caller is the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard {
    /// The hook's own address.
    pub hook: Address,
    /// Whoever called the hook (the account, or its multiplexer).
    pub caller: Address,
}

impl Guard {
    /// Refuses an execution aimed at one of the guarded addresses.
    #[inline(always)]
    fn check(
        &self,
        key: &AccountKey,
        execution: &execution::Execution<'_>,
    ) -> Result<(), HookError> {
        let target = execution.target;
        if target == self.hook {
            return Err(HookError::SelfCallBlocked(abi::SelfCallBlocked {}));
        }
        if target == key.account || target == self.caller {
            return Err(HookError::protected(target));
        }
        Ok(())
    }
}

/// A whole `preCheck` call: its raw calldata (selector, arguments, and the
/// multiplexer's suffix if any) from `caller`, to the hook at `hook`, at `now`.
pub fn pre_check_call(
    env: &mut dyn Env,
    hook: Address,
    caller: Address,
    calldata: &[u8],
    now: u64,
) -> Result<(), HookError> {
    let args = decode_args(crate::calldata::tail(calldata, 4)?)?;
    let (key, state) = crate::account::resolve(env, calldata, caller);
    let guard = Guard { hook, caller };
    pre_check(
        env,
        &guard,
        &key,
        state,
        args.msg_data,
        now,
        UserOps::Validate,
    )
}

/// What a dry run asks of `executeUserOp` calldata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserOps {
    /// Decode and refuse what may not run, charge nothing: what `preCheck`
    /// does, since the account runs the unwrapped call through its own
    /// hooked entry point, and that call charges it.
    Validate,
    /// Charge the unwrapped call too: what a dry run does, to answer for the
    /// whole user operation.
    Charge,
}

/// What `preCheck` would answer if `account` executed `msg_data` at `now`:
/// the same decoding and the same ledger steps, run on an overlay that keeps
/// every write to itself, so nothing changes. The account's registered
/// forwarder is guarded as the caller would be, and `executeUserOp` calldata
/// is answered for the call it wraps, as the user operation runs it.
pub fn preview(
    env: &mut dyn Env,
    hook: Address,
    account: Address,
    msg_data: &[u8],
    now: u64,
) -> Result<(), HookError> {
    let mut overlay = Overlay::new(env);
    let key = AccountKey::new(account);
    let state = ledger::account(&mut overlay, &key);
    let caller = if state.forwarder == Address::ZERO {
        account
    } else {
        state.forwarder
    };
    let guard = Guard { hook, caller };
    pre_check(
        &mut overlay,
        &guard,
        &key,
        Some(state),
        msg_data,
        now,
        UserOps::Charge,
    )
}

/// Checks and charges what `msg_data` makes `key`'s account do at `now`.
/// `state` is the account word if the caller has read it already.
///
/// Order: refusals that need no state first (delegatecall, module
/// management, unknown functions, bad encodings); then the account must be
/// initialized (`NotInitialized` before any other answer, as in the
/// reference); then no execution may be aimed at a guarded address
/// ([`Guard`]; the reference checks the hook's address item by item with
/// the charges, so a batch that breaks both rules reverts with the other
/// error there); then each execution's native value and token amount, in
/// order, a batch item by item, so that a batch can never take more than
/// its items would one by one; then, beyond the reference, no execution may
/// target one of the account's protected targets ([`crate::targets`]).
///
/// `executeUserOp` calldata is decoded and checked but charged only for a
/// dry run ([`UserOps`]): ERC-4337 has the account run the unwrapped call
/// (`userOp.callData[4:]`) itself, and the only family that hooks
/// `executeUserOp` (Nexus) runs it through its hooked `execute`, which calls
/// the hook again with it; charging both would charge every user operation
/// twice. An account whose `execute` is not hooked when the EntryPoint calls
/// it cannot be protected by any hook: a user operation could call `execute`
/// directly.
///
/// The initialized check is made after the executions, so that a spend of a
/// limited token, which proves the account initialized, need not read the
/// account word. It still decides the answer: an account that is not
/// initialized gets `NotInitialized` whatever its executions did, and they
/// changed nothing, since only a limited token's spend writes and such an
/// account has none. The protected targets are looked up last, and only
/// when the account has some: a limited token's hot word carries that, so a
/// spend need not read the account word for it either.
pub fn pre_check(
    env: &mut dyn Env,
    guard: &Guard,
    key: &AccountKey,
    state: Option<AccountState>,
    msg_data: &[u8],
    now: u64,
    user_ops: UserOps,
) -> Result<(), HookError> {
    let decoded = execution::decode(msg_data)?;
    let guarded = decoded
        .executions
        .iter()
        .try_for_each(|execution| guard.check(key, execution));
    if decoded.unwrapped && user_ops == UserOps::Validate {
        return guarded;
    }
    let mut account = AccountWord {
        read: state,
        initialized: false,
        guards: false,
    };
    // Nothing is charged for a call that is refused anyway.
    let charged = match guarded {
        Ok(()) => charge_all(env, key, &mut account, &decoded.executions, now),
        Err(_) => Ok(()),
    };
    if !account.initialized && !account.state(env, key).initialized {
        return Err(HookError::not_initialized(key.account));
    }
    guarded?;
    charged?;
    let guards = match &account.read {
        Some(state) => state.guards(),
        None => account.guards,
    };
    if guards {
        for execution in &decoded.executions {
            if crate::targets::is_protected(env, key, execution.target) {
                return Err(HookError::protected(execution.target));
            }
        }
    }
    Ok(())
}

/// Checks and charges every execution in order, stopping at the first
/// refusal.
fn charge_all(
    env: &mut dyn Env,
    key: &AccountKey,
    account: &mut AccountWord,
    executions: &[execution::Execution<'_>],
    now: u64,
) -> Result<(), HookError> {
    for execution in executions {
        if let Some(native) = outflow::native(execution) {
            spend(env, key, account, native, now)?;
        }
        match outflow::classify(execution.target, execution.call_data) {
            Classified::Moves(outflow) if !outflow.amount.is_zero() => {
                spend(env, key, account, outflow, now)?;
            }
            Classified::Unbounded(token) => {
                let state = account.state(env, key);
                if state.paused {
                    return Err(HookError::policy(abi::AccountPaused {}));
                }
                if state.deny_unknown || ledger::is_tracked(env, key, token) {
                    return Err(HookError::UnknownFunctionBlocked(
                        abi::UnknownFunctionBlocked {},
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The account word, as far as one `preCheck` has needed it. A spend of a
/// limited token needs only that token's hot word, which carries a copy of
/// the paused switch and proves the account initialized; so a call that
/// spends only limited tokens, made by the account itself, never reads the
/// account word (2,100 gas cold).
struct AccountWord {
    /// The word, once read.
    read: Option<AccountState>,
    /// Whether a limited token (recorded or refused) has shown the account
    /// initialized.
    initialized: bool,
    /// Whether a recorded token's hot word says the account has protected
    /// targets (its copy of the account word's count).
    guards: bool,
}

impl AccountWord {
    /// The account's state, read on first use.
    fn state(&mut self, env: &mut dyn Env, key: &AccountKey) -> &AccountState {
        self.read.get_or_insert_with(|| ledger::account(env, key))
    }
}

/// Charges one outflow. A token without a limit may go unless the account
/// has paused all outflows or denies such tokens, which only its word says.
fn spend(
    env: &mut dyn Env,
    key: &AccountKey,
    account: &mut AccountWord,
    outflow: Outflow,
    now: u64,
) -> Result<(), HookError> {
    let charged = ledger::charge(env, key, outflow.token, outflow.amount, now);
    if !matches!(charged, Ok(Charged::NotLimited)) {
        // Recorded or refused: the token is limited, so the account is
        // initialized.
        account.initialized = true;
        if let Ok(Charged::Recorded { guards: true }) = charged {
            account.guards = true;
        }
        return charged.map(drop);
    }
    let state = account.state(env, key);
    if state.paused {
        return Err(HookError::policy(abi::AccountPaused {}));
    }
    if state.deny_unknown {
        return Err(HookError::policy(abi::TokenNotAllowed {
            token: outflow.token,
        }));
    }
    Ok(())
}
