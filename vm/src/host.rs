//! The `vm_hooks` imports, with Nitro's semantics and prices.
//!
//! Each host function charges its ink (and any EVM gas, as ink) from the
//! program's ink global before acting, exactly where Nitro's host does. The
//! storage functions keep Nitro's per-call slot cache: a load is charged EVM
//! gas only on a cache miss, a cache write costs only ink, and the flush pays
//! the SSTORE for each slot whose value differs from what was loaded.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use alloy_primitives::{Address, B256, U256};
use tiny_keccak::{Hasher, Keccak};
use wasmi::{Caller, Error, Extern, Linker};

use crate::meter::{INK_LEFT, INK_STATUS};
use crate::pricing::{self, *};
use crate::state::{Key, TxState, World};
use crate::vm::{run_frame, Frame, Runtime, Status};

/// A log the program emitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The emitting contract.
    pub address: Address,
    /// Topic 0 first.
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Vec<u8>,
}

/// One slot of the per-call storage cache.
#[derive(Debug, Clone, Copy)]
struct CachedSlot {
    value: B256,
    /// The value the EVM holds, when it was loaded; `None` for blind writes.
    known: Option<B256>,
}

/// Gas and ink spent by kind, for the report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Spent {
    /// EVM gas for SLOAD/SSTORE.
    pub storage_gas: u64,
    /// EVM gas for logs.
    pub log_gas: u64,
    /// Gas for memory pages opened.
    pub memory_gas: u64,
    /// Ink of the host calls themselves.
    pub host_ink: u64,
}

/// Everything one call's host functions see: the call, the world it runs in
/// (moved in for the call and back out after), and what the call produced.
pub struct Context {
    pub(crate) contract: Address,
    pub(crate) sender: Address,
    pub(crate) value: U256,
    pub(crate) timestamp: u64,
    pub(crate) block_number: u64,
    pub(crate) args: Vec<u8>,
    pub(crate) result: Vec<u8>,
    pub(crate) world: World,
    pub(crate) tx: TxState,
    /// Writes flushed by this call, committed only if it succeeds.
    pub(crate) pending: HashMap<Key, B256>,
    cache: BTreeMap<U256, CachedSlot>,
    pub(crate) logs: Vec<Log>,
    pub(crate) spent: Spent,
    /// A host error that ended the call (not an out-of-ink trap).
    pub(crate) fault: Option<String>,
    /// The programs a call may reach (`None` only before the call starts).
    pub(crate) runtime: Option<Arc<Runtime>>,
    /// Whether programs entered from this call pay the cached entry.
    pub(crate) cached: bool,
    /// Frames beneath this one.
    pub(crate) depth: usize,
    /// What the last call this frame made returned (`RETURNDATA`).
    return_data: Vec<u8>,
}

impl Context {
    pub(crate) fn new(world: World, tx: TxState) -> Self {
        Self {
            contract: Address::ZERO,
            sender: Address::ZERO,
            value: U256::ZERO,
            timestamp: 0,
            block_number: 0,
            args: Vec::new(),
            result: Vec::new(),
            world,
            tx,
            pending: HashMap::new(),
            cache: BTreeMap::new(),
            logs: Vec::new(),
            spent: Spent::default(),
            fault: None,
            runtime: None,
            cached: true,
            depth: 0,
            return_data: Vec::new(),
        }
    }

    /// The EVM's current value of `slot` in this contract.
    fn evm_value(&self, slot: U256) -> B256 {
        let key = (self.contract, slot);
        self.pending
            .get(&key)
            .copied()
            .unwrap_or_else(|| self.world.get(&key))
    }
}

/// The host functions a program may import, by name.
pub const HOST_FUNCTIONS: &[&str] = &[
    "read_args",
    "write_result",
    "storage_load_bytes32",
    "storage_cache_bytes32",
    "storage_flush_cache",
    "native_keccak256",
    "emit_log",
    "msg_sender",
    "msg_value",
    "msg_reentrant",
    "contract_address",
    "block_timestamp",
    "block_number",
    "block_basefee",
    "block_coinbase",
    "block_gas_limit",
    "chainid",
    "pay_for_memory_grow",
    "evm_gas_left",
    "evm_ink_left",
    "tx_origin",
    "tx_gas_price",
    "tx_ink_price",
    "account_balance",
    "account_code",
    "account_code_size",
    "account_codehash",
    "return_data_size",
    "read_return_data",
    "call_contract",
    "static_call_contract",
    "delegate_call_contract",
    "create1",
    "create2",
];

/// Chain id reported to programs (Arbitrum One).
pub const CHAIN_ID: u64 = 42_161;

type Ctx<'a> = Caller<'a, Context>;

/// Reads one of the call's addresses out of the context.
type AddressOf = fn(&Context) -> Address;

/// Keccak-256, computed here rather than through alloy: alloy's `keccak256`
/// turns into a host import when the contract's `native-keccak` feature is
/// unified into the same build.
pub fn keccak(input: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::v256();
    hasher.update(input);
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}

fn fault(caller: &mut Ctx<'_>, message: String) -> Error {
    caller.data_mut().fault = Some(message.clone());
    Error::new(message)
}

fn ink_left(caller: &Ctx<'_>) -> u64 {
    match caller.get_export(INK_LEFT).and_then(Extern::into_global) {
        Some(global) => global.get(caller).i64().unwrap_or(0) as u64,
        None => 0,
    }
}

/// Charges `ink`, trapping as Nitro does (status 1) when there is not enough.
fn buy_ink(caller: &mut Ctx<'_>, ink: u64) -> Result<(), Error> {
    let left = ink_left(caller);
    let (ink_global, status) = (
        caller.get_export(INK_LEFT).and_then(Extern::into_global),
        caller.get_export(INK_STATUS).and_then(Extern::into_global),
    );
    let (Some(ink_global), Some(status)) = (ink_global, status) else {
        return Err(fault(caller, "program is not metered".into()));
    };
    if left < ink {
        status
            .set(&mut *caller, wasmi::Val::I32(1))
            .map_err(|e| Error::new(e.to_string()))?;
        ink_global
            .set(&mut *caller, wasmi::Val::I64(0))
            .map_err(|e| Error::new(e.to_string()))?;
        return Err(Error::new("out of ink"));
    }
    ink_global
        .set(&mut *caller, wasmi::Val::I64((left - ink) as i64))
        .map_err(|e| Error::new(e.to_string()))
}

/// Host-call ink: counted apart from EVM gas in the report.
fn host_ink(caller: &mut Ctx<'_>, ink: u64) -> Result<(), Error> {
    caller.data_mut().spent.host_ink += ink;
    buy_ink(caller, ink)
}

fn buy_gas(caller: &mut Ctx<'_>, gas: u64) -> Result<(), Error> {
    buy_ink(caller, gas.saturating_mul(INK_PER_GAS))
}

fn read(caller: &mut Ctx<'_>, ptr: u32, len: u32) -> Result<Vec<u8>, Error> {
    let memory = caller.get_export("memory").and_then(Extern::into_memory);
    let Some(memory) = memory else {
        return Err(fault(caller, "no memory export".into()));
    };
    let mut buf = vec![0u8; len as usize];
    memory
        .read(&*caller, ptr as usize, &mut buf)
        .map_err(|e| fault(caller, format!("read out of bounds: {e}")))?;
    Ok(buf)
}

fn write(caller: &mut Ctx<'_>, ptr: u32, bytes: &[u8]) -> Result<(), Error> {
    let memory = caller.get_export("memory").and_then(Extern::into_memory);
    let Some(memory) = memory else {
        return Err(fault(caller, "no memory export".into()));
    };
    memory
        .write(&mut *caller, ptr as usize, bytes)
        .map_err(|e| fault(caller, format!("write out of bounds: {e}")))
}

/// `DELEGATECALL` from the running frame: `target`'s program runs in this
/// frame's storage, address, sender and value, as Nitro's `doCall` prices it
/// (EIP-2929 account access, then at most 63/64 of the gas left, and the gas
/// the callee used). The callee's storage, log and memory gas is reported as
/// such; the rest of what the call cost counts as host overhead. Returns the
/// status byte: 0 success, 1 failure. An address without a program
/// succeeds with no return data, as in the EVM.
fn delegate_call(
    c: &mut Ctx<'_>,
    target: Address,
    input: Vec<u8>,
    gas_req: u64,
) -> Result<u32, Error> {
    let access = c.data_mut().tx.account_gas(target);
    let gas_left = ink_left(c) / INK_PER_GAS;
    if gas_left < access {
        return buy_gas(c, access).map(|()| 1);
    }
    let available = gas_left - access;
    let gas = gas_req.min(available - available / 64);
    let data = c.data_mut();
    let Some(runtime) = data.runtime.clone() else {
        return Err(fault(c, "no runtime".into()));
    };
    let (used, spent, ok) = if runtime.code_len(target) == 0 {
        data.return_data = Vec::new();
        (0, Spent::default(), true)
    } else if data.depth >= MAX_CALL_DEPTH {
        data.return_data = Vec::new();
        (0, Spent::default(), false)
    } else {
        let frame = Frame {
            code: target,
            contract: data.contract,
            sender: data.sender,
            value: data.value,
            data: input,
            gas_limit: gas,
            cached: data.cached,
            timestamp: data.timestamp,
            block_number: data.block_number,
            depth: data.depth + 1,
        };
        // At least 256 KiB of stack for the frame, on a new 4 MiB segment if
        // the thread's is running out.
        let end = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            run_frame(
                &runtime,
                frame,
                &mut data.world,
                &mut data.tx,
                data.pending.clone(),
            )
        });
        let ok = end.outcome.status == Status::Success;
        if ok {
            data.pending = end.pending;
            data.logs.extend(end.outcome.logs);
        }
        data.return_data = end.outcome.output;
        (end.outcome.gas.total, end.spent, ok)
    };
    let evm_gas = spent.storage_gas + spent.log_gas + spent.memory_gas;
    let data = c.data_mut();
    data.spent.storage_gas += spent.storage_gas;
    data.spent.log_gas += spent.log_gas;
    data.spent.memory_gas += spent.memory_gas;
    data.spent.host_ink += (access + used - evm_gas) * INK_PER_GAS;
    buy_gas(c, access + used)?;
    Ok(u32::from(!ok))
}

fn unsupported(caller: &mut Ctx<'_>, name: &str) -> Error {
    fault(
        caller,
        format!("{name} is not supported by the local VM (its only calls between programs are DELEGATECALLs)"),
    )
}

/// Adds every host function to `linker`.
pub fn link(linker: &mut Linker<Context>) -> Result<(), Error> {
    const M: &str = crate::activation::HOST_MODULE;
    linker.func_wrap(
        M,
        "read_args",
        |mut c: Ctx<'_>, ptr: u32| -> Result<(), Error> {
            let args = c.data().args.clone();
            host_ink(&mut c, HOSTIO_INK + pricing::write_price(args.len() as u64))?;
            write(&mut c, ptr, &args)
        },
    )?;
    linker.func_wrap(
        M,
        "write_result",
        |mut c: Ctx<'_>, ptr: u32, len: u32| -> Result<(), Error> {
            host_ink(&mut c, HOSTIO_INK + 2 * pricing::read_price(u64::from(len)))?;
            let data = read(&mut c, ptr, len)?;
            c.data_mut().result = data;
            Ok(())
        },
    )?;
    linker.func_wrap(
        M,
        "storage_load_bytes32",
        |mut c: Ctx<'_>, key: u32, dest: u32| -> Result<(), Error> {
            host_ink(&mut c, STORAGE_ACCESS_INK)?;
            let slot = U256::from_be_slice(&read(&mut c, key, 32)?);
            let cached = c.data().cache.get(&slot).copied();
            let value = match cached {
                Some(entry) => entry.value,
                None => {
                    let value = c.data().evm_value(slot);
                    let contract = c.data().contract;
                    let gas = c.data_mut().tx.sload_gas((contract, slot), value);
                    c.data_mut().spent.storage_gas += gas;
                    buy_gas(&mut c, gas)?;
                    c.data_mut().cache.insert(
                        slot,
                        CachedSlot {
                            value,
                            known: Some(value),
                        },
                    );
                    value
                }
            };
            write(&mut c, dest, value.as_slice())
        },
    )?;
    linker.func_wrap(
        M,
        "storage_cache_bytes32",
        |mut c: Ctx<'_>, key: u32, value: u32| -> Result<(), Error> {
            host_ink(&mut c, STORAGE_ACCESS_INK)?;
            let slot = U256::from_be_slice(&read(&mut c, key, 32)?);
            let value = B256::from_slice(&read(&mut c, value, 32)?);
            let known = c.data().cache.get(&slot).and_then(|e| e.known);
            c.data_mut().cache.insert(slot, CachedSlot { value, known });
            Ok(())
        },
    )?;
    linker.func_wrap(
        M,
        "storage_flush_cache",
        |mut c: Ctx<'_>, clear: u32| -> Result<(), Error> {
            host_ink(&mut c, STORAGE_FLUSH_INK)?;
            let dirty: Vec<(U256, B256)> = c
                .data()
                .cache
                .iter()
                .filter(|(_, e)| e.known != Some(e.value))
                .map(|(slot, e)| (*slot, e.value))
                .collect();
            for (slot, value) in dirty {
                let current = c.data().evm_value(slot);
                let contract = c.data().contract;
                let gas = c.data_mut().tx.sstore_gas((contract, slot), current, value);
                c.data_mut().spent.storage_gas += gas;
                buy_gas(&mut c, gas)?;
                let data = c.data_mut();
                data.pending.insert((contract, slot), value);
                data.cache.insert(
                    slot,
                    CachedSlot {
                        value,
                        known: Some(value),
                    },
                );
            }
            if clear != 0 {
                c.data_mut().cache.clear();
            }
            Ok(())
        },
    )?;
    linker.func_wrap(
        M,
        "native_keccak256",
        |mut c: Ctx<'_>, ptr: u32, len: u32, out: u32| -> Result<(), Error> {
            let words = u64::from(len).div_ceil(32);
            host_ink(
                &mut c,
                KECCAK_BASE_INK + KECCAK_WORD_INK * words.saturating_sub(2),
            )?;
            let input = read(&mut c, ptr, len)?;
            write(&mut c, out, &keccak(&input))
        },
    )?;
    linker.func_wrap(
        M,
        "emit_log",
        |mut c: Ctx<'_>, ptr: u32, len: u32, topics: u32| -> Result<(), Error> {
            host_ink(&mut c, EMIT_LOG_INK + pricing::read_price(u64::from(len)))?;
            if topics > 4 || len < topics * 32 {
                return Err(fault(
                    &mut c,
                    format!("bad log: {topics} topics in {len} bytes"),
                ));
            }
            let data_len = u64::from(len - topics * 32);
            let gas = LOG_TOPIC_GAS * (1 + u64::from(topics)) + LOG_DATA_GAS * data_len;
            c.data_mut().spent.log_gas += gas;
            buy_gas(&mut c, gas)?;
            let bytes = read(&mut c, ptr, len)?;
            let (topic_bytes, data) = bytes.split_at(topics as usize * 32);
            let log = Log {
                address: c.data().contract,
                topics: topic_bytes.chunks(32).map(B256::from_slice).collect(),
                data: data.to_vec(),
            };
            c.data_mut().logs.push(log);
            Ok(())
        },
    )?;
    // Addresses of the call: msg.sender, address(this), tx.origin (the
    // sender: the local chain has no relayers).
    let addresses: [(&str, AddressOf); 3] = [
        ("msg_sender", |ctx| ctx.sender),
        ("contract_address", |ctx| ctx.contract),
        ("tx_origin", |ctx| ctx.sender),
    ];
    for (name, get) in addresses {
        linker.func_wrap(
            M,
            name,
            move |mut c: Ctx<'_>, out: u32| -> Result<(), Error> {
                host_ink(&mut c, ADDRESS_READ_INK)?;
                let address = get(c.data());
                write(&mut c, out, address.as_slice())
            },
        )?;
    }
    linker.func_wrap(
        M,
        "msg_value",
        |mut c: Ctx<'_>, out: u32| -> Result<(), Error> {
            host_ink(&mut c, ADDRESS_READ_INK)?;
            let value = c.data().value.to_be_bytes::<32>();
            write(&mut c, out, &value)
        },
    )?;
    // Nitro counts a program's open frames by acting address, leaving out
    // DELEGATECALL frames (TxProcessor.PushContract), and a call is reentrant
    // when its address has another frame open. The VM's only calls between
    // programs are DELEGATECALLs, so no frame is ever counted twice.
    linker.func_wrap(M, "msg_reentrant", |mut c: Ctx<'_>| -> Result<u32, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(0)
    })?;
    linker.func_wrap(
        M,
        "block_timestamp",
        |mut c: Ctx<'_>| -> Result<u64, Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().timestamp)
        },
    )?;
    linker.func_wrap(M, "block_number", |mut c: Ctx<'_>| -> Result<u64, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().block_number)
    })?;
    linker.func_wrap(
        M,
        "block_gas_limit",
        |mut c: Ctx<'_>| -> Result<u64, Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            Ok(32_000_000)
        },
    )?;
    linker.func_wrap(M, "chainid", |mut c: Ctx<'_>| -> Result<u64, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(CHAIN_ID)
    })?;
    for name in ["block_basefee", "block_coinbase", "tx_gas_price"] {
        linker.func_wrap(M, name, |mut c: Ctx<'_>, out: u32| -> Result<(), Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            write(&mut c, out, &[0u8; 32][..32])
        })?;
    }
    linker.func_wrap(M, "tx_ink_price", |mut c: Ctx<'_>| -> Result<u32, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(INK_PER_GAS as u32)
    })?;
    linker.func_wrap(M, "evm_ink_left", |mut c: Ctx<'_>| -> Result<u64, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(ink_left(&c))
    })?;
    linker.func_wrap(M, "evm_gas_left", |mut c: Ctx<'_>| -> Result<u64, Error> {
        host_ink(&mut c, HOSTIO_INK)?;
        Ok(ink_left(&c) / INK_PER_GAS)
    })?;
    linker.func_wrap(
        M,
        "pay_for_memory_grow",
        |mut c: Ctx<'_>, pages: u32| -> Result<(), Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            let open = c.data().tx.open_pages;
            let gas = pricing::memory_gas(u64::from(pages), open);
            c.data_mut().tx.open_pages = open + u64::from(pages);
            c.data_mut().spent.memory_gas += gas;
            buy_gas(&mut c, gas)
        },
    )?;
    linker.func_wrap(
        M,
        "account_balance",
        |mut c: Ctx<'_>, _addr: u32, out: u32| -> Result<(), Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            write(&mut c, out, &[0u8; 32])
        },
    )?;
    linker.func_wrap(
        M,
        "account_codehash",
        |mut c: Ctx<'_>, _addr: u32, out: u32| -> Result<(), Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            write(&mut c, out, &[0u8; 32])
        },
    )?;
    linker.func_wrap(
        M,
        "account_code_size",
        |mut c: Ctx<'_>, address: u32| -> Result<u32, Error> {
            host_ink(&mut c, HOSTIO_INK + EVM_API_INK)?;
            let address = Address::from_slice(&read(&mut c, address, 20)?);
            let gas = c.data_mut().tx.account_gas(address);
            buy_gas(&mut c, gas)?;
            let len = c.data().runtime.as_ref().map_or(0, |r| r.code_len(address));
            Ok(len as u32)
        },
    )?;
    linker.func_wrap(
        M,
        "account_code",
        |mut c: Ctx<'_>, _a: u32, _o: u32, _s: u32, _d: u32| -> Result<u32, Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            Ok(0)
        },
    )?;
    linker.func_wrap(
        M,
        "return_data_size",
        |mut c: Ctx<'_>| -> Result<u32, Error> {
            host_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().return_data.len() as u32)
        },
    )?;
    linker.func_wrap(
        M,
        "read_return_data",
        |mut c: Ctx<'_>, dest: u32, offset: u32, size: u32| -> Result<u32, Error> {
            host_ink(
                &mut c,
                HOSTIO_INK + EVM_API_INK + pricing::write_price(u64::from(size)),
            )?;
            let data = &c.data().return_data;
            let start = (offset as usize).min(data.len());
            let end = start.saturating_add(size as usize).min(data.len());
            let chunk = data[start..end].to_vec();
            write(&mut c, dest, &chunk)?;
            Ok(chunk.len() as u32)
        },
    )?;
    linker.func_wrap(
        M,
        "call_contract",
        |mut c: Ctx<'_>, _: u32, _: u32, _: u32, _: u32, _: u64, _: u32| -> Result<u32, Error> {
            Err(unsupported(&mut c, "call_contract"))
        },
    )?;
    linker.func_wrap(
        M,
        "static_call_contract",
        |mut c: Ctx<'_>, _: u32, _: u32, _: u32, _: u64, _: u32| -> Result<u32, Error> {
            Err(unsupported(&mut c, "static_call_contract"))
        },
    )?;
    linker.func_wrap(
        M,
        "delegate_call_contract",
        |mut c: Ctx<'_>,
         contract: u32,
         calldata: u32,
         len: u32,
         gas: u64,
         return_data_len: u32|
         -> Result<u32, Error> {
            host_ink(
                &mut c,
                HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + pricing::read_price(u64::from(len)),
            )?;
            let target = Address::from_slice(&read(&mut c, contract, 20)?);
            let input = read(&mut c, calldata, len)?;
            let status = delegate_call(&mut c, target, input, gas)?;
            let returned = c.data().return_data.len() as u32;
            write(&mut c, return_data_len, &returned.to_le_bytes())?;
            Ok(status)
        },
    )?;
    linker.func_wrap(
        M,
        "create1",
        |mut c: Ctx<'_>, _: u32, _: u32, _: u32, _: u32, _: u32| -> Result<(), Error> {
            Err(unsupported(&mut c, "create1"))
        },
    )?;
    linker.func_wrap(
        M,
        "create2",
        |mut c: Ctx<'_>, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32| -> Result<(), Error> {
            Err(unsupported(&mut c, "create2"))
        },
    )?;
    Ok(())
}
