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
    pre_check(env, hook, &key, state, args.msg_data, now)
}

/// What `preCheck` would answer if `account` executed `msg_data` at `now`:
/// the same decoding and the same ledger steps, run on an overlay that keeps
/// every write to itself, so nothing changes.
pub fn preview(
    env: &mut dyn Env,
    hook: Address,
    account: Address,
    msg_data: &[u8],
    now: u64,
) -> Result<(), HookError> {
    let mut overlay = Overlay::new(env);
    let key = AccountKey::new(account);
    pre_check(&mut overlay, hook, &key, None, msg_data, now)
}

/// Checks and charges what `msg_data` makes `key`'s account do at `now`.
/// `state` is the account word if the caller has read it already.
///
/// Order, as in the reference: refusals that need no state (delegatecall,
/// module management, unknown functions, bad encodings) first, then the
/// account must be initialized, then per execution: no call to the hook
/// itself, native value, token amount. A batch is charged item by item, so a
/// batch can never take more than its items would one by one.
///
/// The initialized check is made after the executions, so that a spend of a
/// limited token, which proves the account initialized, need not read the
/// account word. It still decides the answer: an account that is not
/// initialized gets `NotInitialized` whatever its executions did, and they
/// changed nothing, since only a limited token's spend writes and such an
/// account has none.
pub fn pre_check(
    env: &mut dyn Env,
    hook: Address,
    key: &AccountKey,
    state: Option<AccountState>,
    msg_data: &[u8],
    now: u64,
) -> Result<(), HookError> {
    let executions = execution::decode(msg_data)?;
    let mut account = AccountWord {
        read: state,
        initialized: false,
    };
    let charged = charge_all(env, hook, key, &mut account, &executions, now);
    if !account.initialized && !account.state(env, key).initialized {
        return Err(HookError::not_initialized(key.account));
    }
    charged
}

/// Charges every execution in order, stopping at the first refusal.
fn charge_all(
    env: &mut dyn Env,
    hook: Address,
    key: &AccountKey,
    account: &mut AccountWord,
    executions: &[execution::Execution<'_>],
    now: u64,
) -> Result<(), HookError> {
    for execution in executions {
        if execution.target == hook {
            return Err(HookError::SelfCallBlocked(abi::SelfCallBlocked {}));
        }
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
