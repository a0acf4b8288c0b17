//! The local chain: programs deployed at addresses, storage that persists,
//! transactions with their own warm/cold state, and calls that report gas.

use std::collections::HashMap;
use std::sync::Arc;

use alloy_primitives::{Address, B256, U256};
use wasmi::{Config, Engine, Linker, Module, Store, TypedFunc};

use crate::activation::{self, ModuleInfo, Refusal};
use crate::artifact::{self, ArtifactError};
use crate::host::{self, Context, Log, Spent};
use crate::meter::{self, MeterError, INK_LEFT, INK_STATUS};
use crate::pricing::{EntryCost, INK_PER_GAS};
use crate::state::{Key, TxState, World};

/// Why a program could not be deployed.
#[derive(Debug)]
pub enum DeployError {
    /// Nitro would refuse to activate it.
    Refused(Refusal),
    /// It cannot be deployed as contract code (too large).
    Artifact(ArtifactError),
    /// It imports a host function the VM does not provide.
    UnknownImport(String),
    /// It cannot be metered.
    Meter(MeterError),
    /// The engine refused it.
    Engine(String),
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(e) => write!(f, "activation refused: {e}"),
            Self::Artifact(e) => write!(f, "{e}"),
            Self::UnknownImport(name) => write!(f, "unknown host import vm_hooks::{name}"),
            Self::Meter(e) => write!(f, "{e}"),
            Self::Engine(e) => write!(f, "engine: {e}"),
        }
    }
}

impl std::error::Error for DeployError {}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `user_entrypoint` returned 0.
    Success,
    /// `user_entrypoint` returned 1: the output is the revert data.
    Revert,
    /// The gas limit was reached.
    OutOfGas,
    /// The program trapped or a host function failed.
    Trap(String),
}

/// Gas of one call, total and by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GasReport {
    /// Everything the call frame used.
    pub total: u64,
    /// Entering the program (fixed, per module, and for its initial memory).
    pub entry: u64,
    /// SLOAD and SSTORE.
    pub storage: u64,
    /// Logs.
    pub logs: u64,
    /// Memory pages opened while running.
    pub memory: u64,
    /// Host-call overhead, in gas.
    pub host: u64,
    /// WASM execution, in gas.
    pub compute: u64,
    /// Ink the program used (execution, host calls, EVM costs as ink).
    pub ink: u64,
}

/// The result of one call.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Return data, or revert data.
    pub output: Vec<u8>,
    /// Logs emitted (kept only on success).
    pub logs: Vec<Log>,
    /// What it cost.
    pub gas: GasReport,
    /// Ink of the basic blocks each function ran, by code-section index, for
    /// a program deployed while profiling ([`LocalVm::set_profiling`]);
    /// empty otherwise. Host calls and per-byte memory charges are not in it.
    pub profile: Vec<u64>,
}

impl Outcome {
    /// Whether the call succeeded.
    pub fn is_success(&self) -> bool {
        self.status == Status::Success
    }
}

/// One call into a program.
#[derive(Debug, Clone)]
pub struct Call {
    /// `msg.sender`.
    pub from: Address,
    /// `msg.value`.
    pub value: U256,
    /// Calldata.
    pub data: Vec<u8>,
    /// Gas the call frame may use.
    pub gas_limit: u64,
    /// Whether the program is in Nitro's LRU cache (the cheaper entry).
    pub cached: bool,
}

impl Call {
    /// A call from `from` with `data`, no value, a generous limit, cached.
    pub fn new(from: Address, data: Vec<u8>) -> Self {
        Self {
            from,
            value: U256::ZERO,
            data,
            gas_limit: 30_000_000,
            cached: true,
        }
    }
}

#[derive(Clone)]
struct Program {
    module: Module,
    info: ModuleInfo,
    entry: EntryCost,
    /// Bytes of EVM code the program occupies (`EXTCODESIZE`): Nitro's
    /// 4-byte prefix and the brotli-compressed WASM.
    code_len: usize,
}

/// What every running frame needs to start another one: the engine, the host
/// functions and the deployed programs. Shared (not copied) by the chain and
/// its forks until one of them deploys.
#[derive(Clone)]
pub(crate) struct Runtime {
    engine: Engine,
    linker: Linker<Context>,
    programs: HashMap<Address, Program>,
}

impl Runtime {
    /// `EXTCODESIZE` of `address`: 0 where nothing is deployed.
    pub(crate) fn code_len(&self, address: Address) -> usize {
        self.programs.get(&address).map_or(0, |p| p.code_len)
    }
}

/// One call frame to run: whose code, in whose storage, on whose behalf.
pub(crate) struct Frame {
    /// The program that runs.
    pub code: Address,
    /// The account whose storage and address the program acts with: `code`
    /// for a call, the caller's for a `DELEGATECALL`.
    pub contract: Address,
    pub sender: Address,
    pub value: U256,
    pub data: Vec<u8>,
    pub gas_limit: u64,
    pub cached: bool,
    pub timestamp: u64,
    pub block_number: u64,
    /// Frames below this one (0 for the transaction's own call).
    pub depth: usize,
}

/// How a frame ended, with what it leaves to its caller.
pub(crate) struct FrameEnd {
    pub outcome: Outcome,
    /// EVM gas the frame spent on storage, logs and memory, with the pages
    /// its entry opened counted as memory.
    pub spent: Spent,
    /// The storage writes of the frame and those beneath it, including the
    /// ones it was started with; meaningful only on success.
    pub pending: HashMap<Key, B256>,
}

/// Runs `frame` against `world` and `tx`, starting from the uncommitted
/// writes `pending` of the frames beneath it. On failure the transaction's
/// warm sets are as they were; `world` is never written (the caller commits).
pub(crate) fn run_frame(
    runtime: &Arc<Runtime>,
    frame: Frame,
    world: &mut World,
    tx: &mut TxState,
    pending: HashMap<Key, B256>,
) -> FrameEnd {
    let failure = |status, gas| FrameEnd {
        outcome: failed(status, gas),
        spent: Spent::default(),
        pending: HashMap::new(),
    };
    let Some(program) = runtime.programs.get(&frame.code) else {
        return failure(
            Status::Trap(format!("no program at {}", frame.code)),
            GasReport::default(),
        );
    };
    let entry_gas = if frame.cached {
        program.entry.cached_gas()
    } else {
        program.entry.uncached_gas()
    };
    let initial_memory =
        crate::pricing::memory_gas(u64::from(program.info.footprint), tx.open_pages);
    let entry = entry_gas + initial_memory;
    let Some(budget) = frame.gas_limit.checked_sub(entry) else {
        return failure(
            Status::OutOfGas,
            GasReport {
                total: frame.gas_limit,
                entry,
                ..Default::default()
            },
        );
    };
    let ink = budget.saturating_mul(INK_PER_GAS);

    let warm_before = (tx.warm.clone(), tx.warm_accounts.clone());
    let mut context = Context::new(std::mem::take(world), std::mem::take(tx));
    context.tx.open_pages += u64::from(program.info.footprint);
    context.runtime = Some(Arc::clone(runtime));
    context.contract = frame.contract;
    context.sender = frame.sender;
    context.value = frame.value;
    context.timestamp = frame.timestamp;
    context.block_number = frame.block_number;
    context.cached = frame.cached;
    context.depth = frame.depth;
    context.pending = pending;
    context.args = frame.data;
    let args_len = context.args.len();
    let mut store = Store::new(&runtime.engine, context);

    let mut profile = Vec::new();
    let mut run = || -> Result<(i32, u64), (wasmi::Error, bool)> {
        let instance = runtime
            .linker
            .instantiate_and_start(&mut store, &program.module)
            .map_err(|e| (e, false))?;
        let ink_global = instance
            .get_global(&store, INK_LEFT)
            .ok_or((wasmi::Error::new("unmetered"), false))?;
        ink_global
            .set(&mut store, wasmi::Val::I64(ink as i64))
            .map_err(|e| (wasmi::Error::new(e.to_string()), false))?;
        let entrypoint: TypedFunc<i32, i32> = instance
            .get_typed_func(&store, "user_entrypoint")
            .map_err(|e| (e, false))?;
        let result = entrypoint.call(&mut store, args_len as i32);
        let status = instance
            .get_global(&store, INK_STATUS)
            .and_then(|g| g.get(&store).i32())
            .unwrap_or(0);
        let left = ink_global.get(&store).i64().unwrap_or(0) as u64;
        profile = (0..program.info.functions)
            .map_while(|body| {
                let name = format!("{}{body}", meter::PROFILE_PREFIX);
                let ink = instance.get_global(&store, &name)?.get(&store).i64()?;
                Some(ink as u64)
            })
            .collect();
        match result {
            Ok(code) => Ok((code, left)),
            Err(e) => Err((e, status != 0)),
        }
    };
    let result = run();
    let mut context = store.into_data();
    let (status, ink_left) = match result {
        Ok((0, left)) => (Status::Success, left),
        Ok((_, left)) => (Status::Revert, left),
        Err((_, true)) => (Status::OutOfGas, 0),
        Err((e, false)) => (
            Status::Trap(context.fault.clone().unwrap_or_else(|| e.to_string())),
            0,
        ),
    };
    let used_ink = ink.saturating_sub(ink_left);
    let gas = report(entry, used_ink, &context.spent);
    let gas = GasReport {
        total: if status == Status::OutOfGas {
            frame.gas_limit
        } else {
            gas.total
        },
        ..gas
    };
    if status != Status::Success {
        (context.tx.warm, context.tx.warm_accounts) = warm_before;
    }
    *world = std::mem::take(&mut context.world);
    *tx = std::mem::take(&mut context.tx);
    let logs = if status == Status::Success {
        std::mem::take(&mut context.logs)
    } else {
        Vec::new()
    };
    FrameEnd {
        outcome: Outcome {
            status,
            output: std::mem::take(&mut context.result),
            logs,
            gas,
            profile,
        },
        spent: Spent {
            memory_gas: context.spent.memory_gas + initial_memory,
            ..context.spent
        },
        pending: std::mem::take(&mut context.pending),
    }
}

/// A single-node Stylus chain in memory. Cloning it forks the chain: the
/// clone shares compiled programs and starts from the same state.
#[derive(Clone)]
pub struct LocalVm {
    runtime: Arc<Runtime>,
    world: World,
    tx: TxState,
    timestamp: u64,
    block_number: u64,
    profiling: bool,
}

impl Default for LocalVm {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalVm {
    /// An empty chain at time 1,700,000,000.
    pub fn new() -> Self {
        let mut config = Config::default();
        config
            .wasm_multi_value(true)
            .wasm_bulk_memory(true)
            .wasm_sign_extension(true)
            .wasm_saturating_float_to_int(true)
            .wasm_mutable_global(true)
            .wasm_reference_types(false)
            .wasm_tail_call(false);
        let engine = Engine::new(&config);
        let mut linker = Linker::new(&engine);
        // Linking fixed closures into a fresh linker cannot fail.
        host::link(&mut linker).unwrap_or_else(|e| unreachable!("host functions link: {e}"));
        Self {
            runtime: Arc::new(Runtime {
                engine,
                linker,
                programs: HashMap::new(),
            }),
            world: World::default(),
            tx: TxState::default(),
            timestamp: 1_700_000_000,
            block_number: 1,
            profiling: false,
        }
    }

    /// Programs deployed from now on count the ink each function runs (see
    /// [`Outcome::profile`]). They are charged the same ink either way.
    pub fn set_profiling(&mut self, on: bool) {
        self.profiling = on;
    }

    /// Checks `wasm` as activation would, meters it and deploys it at `address`.
    pub fn deploy_at(&mut self, address: Address, wasm: &[u8]) -> Result<&ModuleInfo, DeployError> {
        let code_len = artifact::contract_code(wasm)
            .map_err(DeployError::Artifact)?
            .len();
        let info = activation::check(wasm).map_err(DeployError::Refused)?;
        if let Some(name) = info
            .imports
            .iter()
            .find(|i| !host::HOST_FUNCTIONS.contains(&i.as_str()))
        {
            return Err(DeployError::UnknownImport(name.clone()));
        }
        let metered = if self.profiling {
            meter::instrument_profiled(wasm)
        } else {
            meter::instrument(wasm)
        }
        .map_err(DeployError::Meter)?;
        let runtime = Arc::make_mut(&mut self.runtime);
        let module = Module::new(&runtime.engine, &metered)
            .map_err(|e| DeployError::Engine(e.to_string()))?;
        let entry = EntryCost::of(&info);
        runtime.programs.insert(
            address,
            Program {
                module,
                info,
                entry,
                code_len,
            },
        );
        Ok(&runtime.programs[&address].info)
    }

    /// Sets the block time seen by later calls.
    pub fn set_timestamp(&mut self, timestamp: u64) {
        self.timestamp = timestamp;
    }

    /// The current block time.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// Starts a new transaction (and block): every slot and account is cold
    /// again and the transaction's memory is closed.
    pub fn begin_transaction(&mut self) {
        self.tx = TxState::default();
        self.block_number += 1;
    }

    /// A committed storage slot.
    pub fn storage(&self, contract: Address, slot: U256) -> B256 {
        self.world.get(&(contract, slot))
    }

    /// Every non-zero slot of `contract`.
    pub fn storage_of(&self, contract: Address) -> Vec<(U256, B256)> {
        self.world.slots_of(contract)
    }

    /// Runs `call` against the program at `to` in the current transaction,
    /// committing its storage writes if it succeeds. The programs it
    /// delegate-calls run inside it, and their gas is part of its report.
    pub fn call(&mut self, to: Address, call: &Call) -> Outcome {
        // The transaction's sender and the called account are warm from the start (EIP-2929).
        self.tx.warm_accounts.insert(call.from);
        self.tx.warm_accounts.insert(to);
        let frame = Frame {
            code: to,
            contract: to,
            sender: call.from,
            value: call.value,
            data: call.data.clone(),
            gas_limit: call.gas_limit,
            cached: call.cached,
            timestamp: self.timestamp,
            block_number: self.block_number,
            depth: 0,
        };
        let end = run_frame(
            &self.runtime,
            frame,
            &mut self.world,
            &mut self.tx,
            HashMap::new(),
        );
        if end.outcome.is_success() {
            for (key, value) in end.pending {
                self.world.set(key, value);
            }
        }
        end.outcome
    }
}

fn failed(status: Status, gas: GasReport) -> Outcome {
    Outcome {
        status,
        output: Vec::new(),
        logs: Vec::new(),
        gas,
        profile: Vec::new(),
    }
}

/// Splits the ink a call used into the report's kinds. Gas is ink rounded up,
/// as Nitro rounds what a frame used.
fn report(entry: u64, used_ink: u64, spent: &Spent) -> GasReport {
    let evm_gas = spent.storage_gas + spent.log_gas + spent.memory_gas;
    let compute_ink = used_ink
        .saturating_sub(spent.host_ink)
        .saturating_sub(evm_gas * INK_PER_GAS);
    GasReport {
        total: entry + used_ink.div_ceil(INK_PER_GAS),
        entry,
        storage: spent.storage_gas,
        logs: spent.log_gas,
        memory: spent.memory_gas,
        host: spent.host_ink / INK_PER_GAS,
        compute: compute_ink / INK_PER_GAS,
        ink: used_ink,
    }
}
