// SPDX-License-Identifier: MIT
//! Raw declarations of libmembw's C API, one for one with include/membw/*.h.
//!
//! Every struct is `#[repr(C)]` with the C field order; every constant has the header's value.
//! `tests/layout.rs` compiles bindings/abi/layout.c with the system C compiler and checks each
//! size, alignment, field offset and constant against these declarations, so the two never drift.
//! The safe API is the `membw` crate.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_void};

// ---- types.h -----------------------------------------------------------------------------------
/// Number of counter channels: reads (line refills) and write-backs.
pub const MEMBW_NCHANNELS: usize = 2;
/// Channel index of reads.
pub const MEMBW_CH_READ: u32 = 0;
/// Channel index of write-backs.
pub const MEMBW_CH_WRITE: u32 = 1;
/// "No domain": a CPU here is counted but never throttled.
pub const MEMBW_NO_DOMAIN: u32 = 0xFFFF_FFFF;
/// A rate meaning "no limit".
pub const MEMBW_UNLIMITED: u64 = u64::MAX;
/// Largest number of CPUs of one policy.
pub const MEMBW_MAX_CPUS: u32 = 4096;
/// Largest number of domains of one policy.
pub const MEMBW_MAX_DOMAINS: u32 = 4096;
/// Largest budget in events per period.
pub const MEMBW_MAX_EVENTS_PER_PERIOD: u64 = 0xFFFF_FFFE;

// ---- errors.h ----------------------------------------------------------------------------------
/// Operation not permitted.
pub const MEMBW_EPERM: c_int = 1;
/// No such object.
pub const MEMBW_ENOENT: c_int = 2;
/// Backend hardware or I/O failure.
pub const MEMBW_EIO: c_int = 5;
/// Try again later.
pub const MEMBW_EAGAIN: c_int = 11;
/// Object in use.
pub const MEMBW_EBUSY: c_int = 16;
/// Hardware or CPU not there.
pub const MEMBW_ENODEV: c_int = 19;
/// Malformed argument.
pub const MEMBW_EINVAL: c_int = 22;
/// Storage too small.
pub const MEMBW_ENOSPC: c_int = 28;
/// Number out of range.
pub const MEMBW_ERANGE: c_int = 34;
/// Feature not supported.
pub const MEMBW_EOPNOTSUPP: c_int = 95;

// ---- config.h ----------------------------------------------------------------------------------
/// Default period, ns.
pub const MEMBW_PERIOD_DEFAULT_NS: u64 = 1_000_000;
/// Shortest period, ns.
pub const MEMBW_PERIOD_MIN_NS: u64 = 100_000;
/// Longest period, ns.
pub const MEMBW_PERIOD_MAX_NS: u64 = 1_000_000_000;
/// Sharing: none.
pub const MEMBW_SHARE_NONE: u32 = 0;
/// Sharing: spare.
pub const MEMBW_SHARE_SPARE: u32 = 1;
/// Sharing: proportional.
pub const MEMBW_SHARE_PROPORTIONAL: u32 = 2;

/// struct membw_config.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_config {
    pub size: u32,
    pub ncpus: u32,
    pub ndomains: u32,
    pub sharing: u32,
    pub period_ns: u64,
    pub reclaim: u32,
    pub levels: u32,
    pub event: [u64; MEMBW_NCHANNELS],
    pub chunk_divisor: u32,
    pub min_chunk_events: u32,
}

// ---- backend.h ---------------------------------------------------------------------------------
/// ABI version of struct membw_backend.
pub const MEMBW_BACKEND_ABI_VERSION: u32 = 3;
/// Count user mode.
pub const MEMBW_COUNT_USER: u32 = 1 << 0;
/// Count kernel mode.
pub const MEMBW_COUNT_KERNEL: u32 = 1 << 1;
/// Count hypervisor mode.
pub const MEMBW_COUNT_HYP: u32 = 1 << 2;
/// Count every level.
pub const MEMBW_COUNT_ALL: u32 = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL | MEMBW_COUNT_HYP;
/// Line size read from the hardware.
pub const MEMBW_CAP_LINE_SIZE_PROBED: u32 = 1 << 0;
/// Overflow interrupts may come late.
pub const MEMBW_CAP_LATE_OVERFLOW: u32 = 1 << 1;
/// Generic fallback events.
pub const MEMBW_CAP_GENERIC_EVENTS: u32 = 1 << 2;

/// struct membw_backend_info.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_backend_info {
    pub size: u32,
    pub channels: u32,
    pub counter_bits: u32,
    pub line_size: u32,
    pub levels: u32,
    pub caps: u32,
}

/// struct membw_counter_setup.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_counter_setup {
    pub size: u32,
    pub levels: u32,
    pub event: [u64; MEMBW_NCHANNELS],
}

/// membw_direct_read_fn: the raw counter value of one channel.
pub type membw_direct_read_fn = unsafe extern "C" fn(ctx: *mut c_void) -> u64;

/// struct membw_direct_reader (ABI version 3).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct membw_direct_reader {
    pub read: Option<membw_direct_read_fn>,
    pub ctx: *mut c_void,
}

/// struct membw_backend.
#[repr(C)]
pub struct membw_backend {
    pub abi_version: u32,
    pub size: u32,
    pub name: *const c_char,
    pub priv_size: u32,
    pub reserved: u32,
    pub probe: Option<unsafe extern "C" fn(ctx: *mut c_void, info: *mut membw_backend_info) -> c_int>,
    pub cpu_init: Option<
        unsafe extern "C" fn(
            ctx: *mut c_void,
            cpu: u32,
            priv_: *mut c_void,
            setup: *const membw_counter_setup,
        ) -> c_int,
    >,
    pub arm: Option<unsafe extern "C" fn(priv_: *mut c_void, channel: u32, events: u64) -> c_int>,
    pub read: Option<unsafe extern "C" fn(priv_: *mut c_void, channel: u32, value: *mut u64) -> c_int>,
    pub stop: Option<unsafe extern "C" fn(priv_: *mut c_void, channel: u32)>,
    pub cpu_exit: Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: u32, priv_: *mut c_void)>,
    pub rearm: Option<unsafe extern "C" fn(priv_: *mut c_void, channel: u32, events: u64) -> c_int>,
    pub direct_reader: Option<
        unsafe extern "C" fn(priv_: *mut c_void, channel: u32, reader: *mut membw_direct_reader) -> c_int,
    >,
}

// ---- env.h -------------------------------------------------------------------------------------
/// Trace: a CPU finished periods.
pub const MEMBW_TRACE_PERIOD_END: u32 = 1;
/// Trace: a CPU was throttled.
pub const MEMBW_TRACE_THROTTLE: u32 = 2;
/// Trace: a CPU was released.
pub const MEMBW_TRACE_UNTHROTTLE: u32 = 3;
/// Trace: budget granted.
pub const MEMBW_TRACE_GRANT: u32 = 4;
/// Trace: budget donated.
pub const MEMBW_TRACE_DONATE: u32 = 5;
/// Trace: spare sharing released every CPU.
pub const MEMBW_TRACE_RELEASE_ALL: u32 = 6;
/// Trace: proportional sharing restarted the period.
pub const MEMBW_TRACE_RESTART: u32 = 7;
/// Trace: an anomaly was corrected.
pub const MEMBW_TRACE_ANOMALY: u32 = 8;

/// struct membw_trace_record.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_trace_record {
    pub type_: u32,
    pub cpu: u32,
    pub domain: u32,
    pub channel: u32,
    pub now_ns: u64,
    pub epoch: u64,
    pub used: u64,
    pub allowance: u64,
    pub overshoot: u64,
    pub amount: u64,
    pub shortfall: u64,
    pub source: u32,
    pub periods: u32,
}

/// struct membw_env.
#[repr(C)]
pub struct membw_env {
    pub size: u32,
    pub reserved: u32,
    pub ctx: *mut c_void,
    pub throttle: Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: u32)>,
    pub unthrottle: Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: u32)>,
    pub kick_all: Option<unsafe extern "C" fn(ctx: *mut c_void, from_cpu: u32)>,
    pub trace: Option<unsafe extern "C" fn(ctx: *mut c_void, rec: *const membw_trace_record)>,
}

// ---- stats.h -----------------------------------------------------------------------------------
/// CPU state: online.
pub const MEMBW_CPU_ONLINE: u32 = 1 << 0;
/// CPU state: regulated.
pub const MEMBW_CPU_REGULATED: u32 = 1 << 1;
/// CPU state: throttled.
pub const MEMBW_CPU_THROTTLED: u32 = 1 << 2;
/// CPU state: released by spare sharing.
pub const MEMBW_CPU_RELEASED: u32 = 1 << 3;

/// struct membw_channel_stats.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_channel_stats {
    pub used: u64,
    pub budget: u64,
    pub allowance: u64,
    pub donated: u64,
    pub reclaimed: u64,
    pub borrowed: u64,
    pub overshoot: u64,
    pub shortfall: u64,
}

/// struct membw_totals.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_totals {
    pub periods: u64,
    pub missed_periods: u64,
    pub throttle_count: u64,
    pub throttled_ns: u64,
    pub spurious_overflows: u64,
    pub early_ticks: u64,
    pub anomalies: u64,
    pub ch: [membw_channel_stats; MEMBW_NCHANNELS],
}

/// struct membw_cpu_stats.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_cpu_stats {
    pub size: u32,
    pub domain: u32,
    pub reserved: u32,
    pub state: u32,
    pub epoch: u64,
    pub totals: membw_totals,
}

/// struct membw_domain_stats.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_domain_stats {
    pub size: u32,
    pub ncpus: u32,
    pub nonline: u32,
    pub reserved: u32,
    pub budget_bps: [u64; MEMBW_NCHANNELS],
    pub budget_events: [u64; MEMBW_NCHANNELS],
    pub totals: membw_totals,
}

// ---- policy.h ----------------------------------------------------------------------------------
/// Required alignment of the policy's storage.
pub const MEMBW_STORAGE_ALIGN: usize = 64;
/// Channel bit of reads for membw_overflow_channels().
pub const MEMBW_CH_READ_BIT: u32 = 1 << MEMBW_CH_READ;
/// Channel bit of write-backs.
pub const MEMBW_CH_WRITE_BIT: u32 = 1 << MEMBW_CH_WRITE;

/// struct membw (opaque).
#[repr(C)]
pub struct membw {
    _opaque: [u8; 0],
}

// ---- units.h -----------------------------------------------------------------------------------
/// Buffer size for membw_format_rate() / membw_format_duration().
pub const MEMBW_FORMAT_MAX: usize = 24;

// ---- memtalk_abi.h -----------------------------------------------------------------------------
/// Registers of a memtalk call.
pub const MEMBW_MEMTALK_NREGS: usize = 5;
/// Function-ID prefix: fast call, SMC64, OEN 6.
pub const MEMBW_MEMTALK_FID_PREFIX: u32 = 0xC600_0000;
/// VERSION.
pub const MEMBW_MEMTALK_FN_VERSION: u32 = 0;
/// SET_BUDGET.
pub const MEMBW_MEMTALK_FN_SET_BUDGET: u32 = 1;
/// GET_BUDGET.
pub const MEMBW_MEMTALK_FN_GET_BUDGET: u32 = 2;
/// GET_STATS.
pub const MEMBW_MEMTALK_FN_GET_STATS: u32 = 3;
/// VERSION's magic, "MEMTALK\0".
pub const MEMBW_MEMTALK_MAGIC: u64 = 0x4D45_4D54_414C_4B00;
/// The control word of a v1 guest.
pub const MEMBW_MEMTALK_CTL_V1: u64 = 1;
/// Status OK.
pub const MEMBW_MEMTALK_OK: i64 = 0;
/// Status NOT_SUPPORTED.
pub const MEMBW_MEMTALK_NOT_SUPPORTED: i64 = -1;
/// Status INVALID_PARAMETER.
pub const MEMBW_MEMTALK_INVALID_PARAMETER: i64 = -3;
/// Status BAD_VERSION.
pub const MEMBW_MEMTALK_BAD_VERSION: i64 = -4;
/// Status DENIED.
pub const MEMBW_MEMTALK_DENIED: i64 = -5;
/// Status RANGE.
pub const MEMBW_MEMTALK_RANGE: i64 = -6;
/// Status RATE_LIMITED.
pub const MEMBW_MEMTALK_RATE_LIMITED: i64 = -7;
/// Status BUSY.
pub const MEMBW_MEMTALK_BUSY: i64 = -8;
/// Status HOST_ERROR.
pub const MEMBW_MEMTALK_HOST_ERROR: i64 = -9;
/// GET_STATS pages in v1.
pub const MEMBW_MEMTALK_STATS_PAGES: u32 = 4;

/// struct membw_memtalk_regs.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_memtalk_regs {
    pub r: [u64; MEMBW_MEMTALK_NREGS],
}

/// membw_memtalk_call_fn.
pub type membw_memtalk_call_fn = Option<unsafe extern "C" fn(regs: *mut membw_memtalk_regs)>;

// ---- memtalk_guest.h ---------------------------------------------------------------------------
/// Discover the base with the Call UID query.
pub const MEMBW_MEMTALK_BASE_AUTO: u32 = 0xFFFF_FFFF;

/// struct membw_memtalk_guest.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_memtalk_guest {
    pub call: membw_memtalk_call_fn,
    pub base: u32,
    pub version: u32,
    pub functions: u32,
    pub reserved: u32,
}

/// struct membw_memtalk_budget.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_memtalk_budget {
    pub size: u32,
    pub reserved: u32,
    pub current_bps: u64,
    pub cap_bps: u64,
    pub floor_bps: u64,
}

/// struct membw_memtalk_stats.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_memtalk_stats {
    pub size: u32,
    pub reserved: u32,
    pub sequence: u64,
    pub periods: u64,
    pub period_ns: u64,
    pub throttled_ns: u64,
    pub throttle_count: u64,
    pub missed_periods: u64,
    pub used_bytes: [u64; MEMBW_NCHANNELS],
    pub allowance_bytes: [u64; MEMBW_NCHANNELS],
    pub overshoot_bytes: [u64; MEMBW_NCHANNELS],
}

// ---- memtalk_host.h ----------------------------------------------------------------------------
/// Host flag: memtalk owns the vendor hypervisor range.
pub const MEMBW_MEMTALK_HOST_OWNS_RANGE: u32 = 1 << 0;
/// Most VMs of one host instance.
pub const MEMBW_MEMTALK_MAX_VMS: u32 = 4096;
/// Required alignment of the host storage.
pub const MEMBW_MEMTALK_ALIGN: usize = 64;

/// struct membw_memtalk_vm_limits.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct membw_memtalk_vm_limits {
    pub domain: u32,
    pub reserved: u32,
    pub cap_bps: [u64; MEMBW_NCHANNELS],
    pub floor_bps: [u64; MEMBW_NCHANNELS],
}

/// struct membw_memtalk_host_config.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct membw_memtalk_host_config {
    pub size: u32,
    pub nvms: u32,
    pub base: u32,
    pub flags: u32,
    pub min_interval_ns: u64,
    pub burst: u32,
    pub reserved: u32,
}

/// struct membw_memtalk_host (opaque).
#[repr(C)]
pub struct membw_memtalk_host {
    _opaque: [u8; 0],
}

extern "C" {
    pub fn membw_strerror(err: c_int) -> *const c_char;
    pub fn membw_version() -> *const c_char;
    pub fn membw_version_number() -> u32;
    pub fn membw_parse_rate(text: *const c_char, bps: *mut u64, why: *mut *const c_char) -> c_int;
    pub fn membw_parse_duration(text: *const c_char, ns: *mut u64, why: *mut *const c_char) -> c_int;
    pub fn membw_format_rate(buf: *mut c_char, len: usize, bps: u64) -> c_int;
    pub fn membw_format_duration(buf: *mut c_char, len: usize, ns: u64) -> c_int;
    pub fn membw_config_init(cfg: *mut membw_config);
    pub fn membw_storage_size(ncpus: u32, ndomains: u32, priv_size: u32) -> usize;
    pub fn membw_init(
        out: *mut *mut membw,
        storage: *mut c_void,
        storage_size: usize,
        cfg: *const membw_config,
        backend: *const membw_backend,
        backend_ctx: *mut c_void,
        env: *const membw_env,
    ) -> c_int;
    pub fn membw_bps_to_events(bps: u64, period_ns: u64, line_size: u32, events: *mut u64) -> c_int;
    pub fn membw_domain_set_budget(m: *mut membw, domain: u32, read_bps: u64, write_bps: u64) -> c_int;
    pub fn membw_domain_get_budget(
        m: *const membw,
        domain: u32,
        read_bps: *mut u64,
        write_bps: *mut u64,
    ) -> c_int;
    pub fn membw_cpu_set_domain(m: *mut membw, cpu: u32, domain: u32) -> c_int;
    pub fn membw_set_sharing(m: *mut membw, sharing: c_int) -> c_int;
    pub fn membw_set_reclaim(m: *mut membw, on: bool) -> c_int;
    pub fn membw_get_config(m: *const membw, cfg: *mut membw_config) -> c_int;
    pub fn membw_get_backend_info(m: *const membw, info: *mut membw_backend_info) -> c_int;
    pub fn membw_cpu_get_priv(m: *mut membw, cpu: u32) -> *mut c_void;
    pub fn membw_cpu_online(m: *mut membw, cpu: u32, now_ns: u64, next_tick_ns: *mut u64) -> c_int;
    pub fn membw_cpu_offline(m: *mut membw, cpu: u32, now_ns: u64) -> c_int;
    pub fn membw_tick(m: *mut membw, cpu: u32, now_ns: u64, next_tick_ns: *mut u64) -> c_int;
    pub fn membw_overflow(m: *mut membw, cpu: u32, now_ns: u64) -> c_int;
    pub fn membw_overflow_channels(m: *mut membw, cpu: u32, now_ns: u64, channels: u32) -> c_int;
    pub fn membw_kick(m: *mut membw, cpu: u32, now_ns: u64, next_tick_ns: *mut u64) -> c_int;
    pub fn membw_cpu_get_stats(m: *const membw, cpu: u32, out: *mut membw_cpu_stats) -> c_int;
    pub fn membw_domain_get_stats(m: *const membw, domain: u32, out: *mut membw_domain_stats) -> c_int;
    pub fn membw_memtalk_encode_version(regs: *mut membw_memtalk_regs, base: u32);
    pub fn membw_memtalk_encode_set_budget(
        regs: *mut membw_memtalk_regs,
        base: u32,
        read_bps: u64,
        write_bps: u64,
    );
    pub fn membw_memtalk_encode_get_budget(regs: *mut membw_memtalk_regs, base: u32, channel: u32);
    pub fn membw_memtalk_encode_get_stats(regs: *mut membw_memtalk_regs, base: u32, page: u32);
    pub fn membw_memtalk_status_to_errno(status: u64) -> c_int;
    pub fn membw_memtalk_guest_probe(
        g: *mut membw_memtalk_guest,
        call: membw_memtalk_call_fn,
        base: u32,
    ) -> c_int;
    pub fn membw_memtalk_guest_set_budget(
        g: *const membw_memtalk_guest,
        read_bps: u64,
        write_bps: u64,
    ) -> c_int;
    pub fn membw_memtalk_guest_get_budget(
        g: *const membw_memtalk_guest,
        channel: u32,
        out: *mut membw_memtalk_budget,
    ) -> c_int;
    pub fn membw_memtalk_guest_get_stats(
        g: *const membw_memtalk_guest,
        out: *mut membw_memtalk_stats,
    ) -> c_int;
    pub fn membw_memtalk_host_size(nvms: u32) -> usize;
    pub fn membw_memtalk_host_init(
        out: *mut *mut membw_memtalk_host,
        storage: *mut c_void,
        storage_size: usize,
        m: *mut membw,
        cfg: *const membw_memtalk_host_config,
        vms: *const membw_memtalk_vm_limits,
    ) -> c_int;
    pub fn membw_memtalk_host_set_limits(
        h: *mut membw_memtalk_host,
        vm_id: u32,
        lim: *const membw_memtalk_vm_limits,
    ) -> c_int;
    pub fn membw_memtalk_host_reset_vm(h: *mut membw_memtalk_host, vm_id: u32) -> c_int;
    pub fn membw_memtalk_host_get_limits(
        h: *mut membw_memtalk_host,
        vm_id: u32,
        out: *mut membw_memtalk_vm_limits,
    ) -> c_int;
    pub fn membw_memtalk_host_dispatch(
        h: *mut membw_memtalk_host,
        vm_id: u32,
        regs: *mut membw_memtalk_regs,
        now_ns: u64,
    ) -> c_int;
}

/// The guest-agent API (include/membw/agent.h, `libmembw-agent.so.0`), with the `agent` feature:
/// a library of its own, linked only when the feature is on.
#[cfg(feature = "agent")]
pub mod agent {
    use std::os::raw::{c_char, c_int};

    /// A rate meaning "no limit".
    pub const MEMBW_AGENT_UNLIMITED: u64 = u64::MAX;
    /// Keep a channel's budget in force.
    pub const MEMBW_AGENT_KEEP: u64 = u64::MAX - 1;
    /// A wrong argument.
    pub const MEMBW_AGENT_EINVAL: c_int = 1;
    /// No device.
    pub const MEMBW_AGENT_ENODEV: c_int = 2;
    /// Not allowed to open the device.
    pub const MEMBW_AGENT_EACCES: c_int = 3;
    /// No hypervisor answers memtalk.
    pub const MEMBW_AGENT_EABSENT: c_int = 4;
    /// Not the device, or another interface version.
    pub const MEMBW_AGENT_EDRIVER: c_int = 5;
    /// Another system error.
    pub const MEMBW_AGENT_ESYSTEM: c_int = 6;
    /// memtalk NOT_SUPPORTED.
    pub const MEMBW_AGENT_ENOTSUPPORTED: c_int = 101;
    /// memtalk INVALID_PARAMETER.
    pub const MEMBW_AGENT_EPARAMETER: c_int = 103;
    /// memtalk BAD_VERSION.
    pub const MEMBW_AGENT_EVERSION: c_int = 104;
    /// memtalk DENIED.
    pub const MEMBW_AGENT_EDENIED: c_int = 105;
    /// memtalk RANGE.
    pub const MEMBW_AGENT_ERANGE: c_int = 106;
    /// memtalk RATE_LIMITED.
    pub const MEMBW_AGENT_ERATELIMITED: c_int = 107;
    /// memtalk BUSY.
    pub const MEMBW_AGENT_EBUSY: c_int = 108;
    /// memtalk HOST_ERROR.
    pub const MEMBW_AGENT_EHOST: c_int = 109;
    /// A status memtalk v1 does not define.
    pub const MEMBW_AGENT_EBADSTATUS: c_int = 110;

    /// struct membw_agent_info.
    #[repr(C)]
    #[derive(Debug, Clone, Copy)]
    pub struct membw_agent_info {
        pub size: u32,
        pub present: u32,
        pub version: u32,
        pub base: u32,
        pub functions: u32,
        pub interface: u32,
        pub budget_bps: [u64; 2],
        pub cap_bps: [u64; 2],
        pub floor_bps: [u64; 2],
        pub conduit: [c_char; 16],
        pub reason: [c_char; 160],
    }

    /// struct membw_agent_stats: the same fields, in the same order, as struct
    /// membw_memtalk_stats (the layout test checks both against the C compiler).
    pub type membw_agent_stats = super::membw_memtalk_stats;

    extern "C" {
        pub fn membw_set_budget(read_bps: u64, write_bps: u64) -> c_int;
        pub fn membw_get_budget(read_bps: *mut u64, write_bps: *mut u64) -> c_int;
        pub fn membw_get_stats(out: *mut membw_agent_stats) -> c_int;
        pub fn membw_agent_status(out: *mut membw_agent_info) -> c_int;
        pub fn membw_agent_strerror(err: c_int) -> *const c_char;
        pub fn membw_agent_detail() -> u64;
    }
}
