//! Nitro's prices, in one place, each with where it comes from.
//!
//! Sources: OffchainLabs/nitro `arbitrator/prover/src/programs/config.rs`
//! (`pricing_v1`, the opcode table), `meter.rs` (per-basic-block charging),
//! `arbitrator/arbutil/src/evm/mod.rs` and `arbitrator/stylus/src/host.rs`
//! (host-call ink), `arbos/programs/` (entry costs, memory model), with the
//! ArbOS defaults recorded in this project's Stylus notes. ArbOS can change
//! these parameters on chain; the figures are the defaults.

use wasmparser::Operator;

use crate::activation::ModuleInfo;

/// Ink per gas. Source: ArbOS `programs` parameters, `InkPrice` default.
pub const INK_PER_GAS: u64 = 10_000;
/// Ink charged in every basic block's header (the meter's own instructions).
/// Source: nitro `prover/src/programs/meter.rs`, as the project notes price it.
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Base ink of every host call. Source: nitro `arbutil` `HOSTIO_INK`.
pub const HOSTIO_INK: u64 = 8_400;
/// Extra ink per byte moved by `memory.copy` / `memory.fill`. Source: the
/// project notes (pricing v1 bulk-memory operators).
pub const MEMORY_OP_INK_PER_BYTE: u64 = 100;

/// `storage_load_bytes32` / `storage_cache_bytes32` host ink. A load that
/// misses the per-call cache also pays the EVM's SLOAD (cold or warm); the
/// project notes mention a further "+5" on loads whose unit is unclear, which
/// is left out (at most 5 gas a load).
pub const STORAGE_ACCESS_INK: u64 = 18_480;
/// `storage_flush_cache` base ink. Source: nitro `stylus/src/host.rs` (and the
/// notes), like every host ink figure below.
pub const STORAGE_FLUSH_INK: u64 = 68_073;
/// `native_keccak256` base ink.
pub const KECCAK_BASE_INK: u64 = 121_800;
/// `native_keccak256` ink per 32-byte word past the first two.
pub const KECCAK_WORD_INK: u64 = 21_000;
/// `msg_sender`, `msg_value`, `contract_address`, `tx_origin` ink.
pub const ADDRESS_READ_INK: u64 = 13_440;
/// `emit_log` base ink.
pub const EMIT_LOG_INK: u64 = 68_073;

/// EIP-2929 cold SLOAD surcharge, gas. Source: EIP-2929 (`COLD_SLOAD_COST`).
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// Warm storage read, gas. Source: EIP-2929 (`WARM_STORAGE_READ_COST`).
pub const WARM_SLOAD_GAS: u64 = 100;
/// SSTORE of a fresh (zero → non-zero) slot, gas. Source: EIP-2200 (`SSTORE_SET_GAS`).
pub const SSTORE_SET_GAS: u64 = 20_000;
/// SSTORE of a clean non-zero slot, gas. Source: EIP-2929 (5,000 − cold SLOAD).
pub const SSTORE_RESET_GAS: u64 = 2_900;
/// EIP-2929 first access of an account in a transaction, gas
/// (`COLD_ACCOUNT_ACCESS_COST`).
pub const COLD_ACCOUNT_GAS: u64 = 2_600;
/// EIP-2929 later access of an account, gas (`WARM_STORAGE_READ_COST`).
pub const WARM_ACCOUNT_GAS: u64 = 100;
/// Frames the EVM allows beneath a transaction's own (`CallCreateDepth`): a
/// call from a frame this deep fails.
pub const MAX_CALL_DEPTH: usize = 1_024;
/// Ink per pointer argument a host call reads. Source: nitro `arbutil`
/// (`PTR_INK` = 13,440 − `HOSTIO_INK`).
pub const PTR_INK: u64 = 13_440 - HOSTIO_INK;
/// Ink of a host call that goes through the EVM (calls, return data). Source:
/// nitro `arbutil` `EVM_API_INK`.
pub const EVM_API_INK: u64 = 59_673;

/// Log gas per topic, and once per log. Source: the yellow paper (`G_logtopic`, `G_log`).
pub const LOG_TOPIC_GAS: u64 = 375;
/// Log gas per data byte. Source: the yellow paper (`G_logdata`).
pub const LOG_DATA_GAS: u64 = 8;

/// Pages of memory a transaction may open for free. Source: ArbOS `programs`
/// parameters (`FreePages`).
pub const FREE_PAGES: u64 = 2;
/// Gas per page opened beyond the free ones (the linear term). Source: ArbOS
/// `programs` parameters (`PageGas`).
pub const PAGE_GAS: u64 = 1_000;

/// Fixed part of the entry cost of a cached program, gas. Source: ArbOS
/// `programs` (`MinCachedInitGas` and call overhead), via the project notes.
pub const CACHED_ENTRY_GAS: u64 = 352;
/// Additional fixed entry cost of an uncached program, gas. Source: ArbOS
/// `programs` (`MinInitGas`), via the project notes.
pub const UNCACHED_ENTRY_GAS: u64 = 8_832;

/// `write_price(n)`: ink to copy `n` bytes from the host into the program.
pub fn write_price(bytes: u64) -> u64 {
    5_040 + 30 * bytes.saturating_sub(32)
}

/// `read_price(n)`: ink to copy `n` bytes from the program to the host.
pub fn read_price(bytes: u64) -> u64 {
    16_381 + 55 * bytes.saturating_sub(32)
}

/// Ink of one operator (pricing v1), or `None` for operators Stylus cannot
/// price (floats, SIMD, reference types, ...): activation refuses those.
/// `type_params` gives the parameter count of a type index (`call_indirect`).
pub fn operator_ink(op: &Operator<'_>, type_params: impl Fn(u32) -> usize) -> Option<u64> {
    use Operator::*;
    Some(match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Drop => 9,
        Block { .. } | Loop { .. } | Else | End => 1,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1_250,
        Call { .. } => 3_800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3_000,
        MemoryGrow { .. } => 8_050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1_120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Clz | I64Ctz => 210,
        I64Add | I64Sub => 100,
        I64Mul => 160,
        I64DivS | I64DivU | I64RemS | I64RemU => 1_270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2_650,
        I64Popcnt => 6_000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        CallIndirect { type_index, .. } => 13_610 + 650 * type_params(*type_index) as u64,
        _ => return None,
    })
}

/// Whether `op` ends a basic block: the meter charges a block, header included,
/// before its first instruction runs.
pub fn ends_basic_block(op: &Operator<'_>) -> bool {
    use Operator::*;
    matches!(
        op,
        End | Else
            | Return
            | Loop { .. }
            | Br { .. }
            | BrTable { .. }
            | BrIf { .. }
            | If { .. }
            | Call { .. }
            | CallIndirect { .. }
    )
}

/// What entering a program costs before any of its code runs: the costs
/// activation stored for it ([`ModuleInfo::cached_init_cost`],
/// [`ModuleInfo::init_cost`]), scaled as `arbos/programs/programs.go`
/// `Program.cachedGas` / `initGas` do with ArbOS's default scalars (50, in
/// 2 % steps: the stored cost itself) on top of the fixed minimums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryCost {
    /// `cached_init_cost`: paid on every call.
    pub cached_init: u16,
    /// `init_cost`: paid additionally when the program is not cached.
    pub init: u16,
}

impl EntryCost {
    /// The entry cost of the program described by `info`.
    pub fn of(info: &ModuleInfo) -> Self {
        Self {
            cached_init: info.cached_init_cost,
            init: info.init_cost,
        }
    }

    /// Gas to enter when the program is cached.
    pub fn cached_gas(&self) -> u64 {
        CACHED_ENTRY_GAS + u64::from(self.cached_init)
    }

    /// Gas to enter when the program is not cached (Stylus version 2: the
    /// cached cost is paid too).
    pub fn uncached_gas(&self) -> u64 {
        self.cached_gas() + UNCACHED_ENTRY_GAS + u64::from(self.init)
    }
}

/// Gas for a transaction's memory to grow from `open` to `open + new` pages:
/// the linear term past the free pages. (Nitro adds an exponential term that
/// only matters for memories far larger than a hook uses; it is not modelled.)
pub fn memory_gas(new: u64, open: u64) -> u64 {
    let before = open.saturating_sub(FREE_PAGES);
    let after = open.saturating_add(new).saturating_sub(FREE_PAGES);
    after.saturating_sub(before).saturating_mul(PAGE_GAS)
}
