// SPDX-License-Identifier: MIT
//! The policy core (policy.h) with its storage owned by a Rust value, a counter [`Backend`] and a
//! [`Runtime`] written in Rust.
use std::any::Any;
use std::cell::RefCell;
use std::ffi::CString;
use std::os::raw::{c_int, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

use crate::error::{check, Error, Result};
use crate::sys;
use crate::units::Rate;

/// Per-CPU facts of the counters, as a backend's probe reports them (struct membw_backend_info).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackendInfo {
    /// 1 (reads only) or 2 (reads and write-backs).
    pub channels: u32,
    /// Width of each counter, 8 .. 64 bits.
    pub counter_bits: u32,
    /// Bytes per counted event: a power of two, 8 .. 4096.
    pub line_size: u32,
    /// `MEMBW_COUNT_*` levels the counters can select.
    pub levels: u32,
    /// `MEMBW_CAP_*` flags.
    pub caps: u32,
}

impl Default for BackendInfo {
    fn default() -> Self {
        BackendInfo { channels: 2, counter_bits: 32, line_size: 64, levels: sys::MEMBW_COUNT_ALL, caps: 0 }
    }
}

/// A counter backend: how line transfers are counted and "interrupt me after N more events" armed
/// (backend.h). A VMM implements it over its PMU (or perf) and delivers the overflow interrupt
/// with [`Policy::overflow`]. Hooks run inside the policy's entry points, on the CPU named.
/// Return an [`Error`] to fail a hook; a panic is caught, reported to the library as EIO, and
/// resumed when the entry point returns.
pub trait Backend {
    /// Are the counters there? Their facts, or an error (`MEMBW_ENODEV`).
    fn probe(&self) -> Result<BackendInfo> {
        Ok(BackendInfo::default())
    }
    /// Prepare `cpu`'s counters, stopped, for `levels` and event codes `events` (0: default).
    fn cpu_init(&self, cpu: u32, levels: u32, events: [u64; 2]) -> Result<()> {
        let _ = (cpu, levels, events);
        Ok(())
    }
    /// Start `channel` of `cpu` and raise the overflow interrupt after `events` more events.
    fn arm(&self, cpu: u32, channel: u32, events: u64) -> Result<()>;
    /// The raw counter value.
    fn read(&self, cpu: u32, channel: u32) -> Result<u64>;
    /// Stop `channel` of `cpu` and clear its pending overflow.
    fn stop(&self, cpu: u32, channel: u32);
    /// Release what `cpu_init` took.
    fn cpu_exit(&self, cpu: u32) {
        let _ = cpu;
    }
}

/// The runtime's services (env.h): throttling, kicks, trace records.
pub trait Runtime {
    /// Whether the runtime implements [`Runtime::kick_all`]: required for a sharing mode.
    const KICK_ALL: bool = false;
    /// Whether [`Runtime::trace`] wants the policy's trace records.
    const TRACE: bool = false;
    /// Stop `cpu` running throttled work until [`Runtime::unthrottle`]. Must not block.
    fn throttle(&self, cpu: u32);
    /// Let `cpu` run again.
    fn unthrottle(&self, cpu: u32);
    /// Make every online CPU call [`Policy::kick`] soon (not synchronously).
    fn kick_all(&self, from_cpu: u32) {
        let _ = from_cpu;
    }
    /// One decision of the policy.
    fn trace(&self, rec: &TraceRecord) {
        let _ = rec;
    }
}

/// One trace record (struct membw_trace_record; `type_` is a `MEMBW_TRACE_*` value).
pub type TraceRecord = sys::membw_trace_record;
/// Statistics of one CPU (struct membw_cpu_stats).
pub type CpuStats = sys::membw_cpu_stats;
/// Statistics of one domain (struct membw_domain_stats).
pub type DomainStats = sys::membw_domain_stats;

/// What happens once every regulated CPU is throttled (enum membw_sharing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Throttled CPUs wait for their next period.
    None = 0,
    /// Every CPU may run free until the period ends.
    Spare = 1,
    /// A new period starts at once.
    Proportional = 2,
}

/// What is fixed at creation (struct membw_config); `Config::new(ncpus)` gives the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// CPUs, 1 .. 4096.
    pub ncpus: u32,
    /// Domains, 0 .. 4096.
    pub ndomains: u32,
    /// Period, nanoseconds (100 us .. 1 s).
    pub period_ns: u64,
    /// Initial sharing mode.
    pub sharing: Sharing,
    /// Initial reclaim setting.
    pub reclaim: bool,
    /// `MEMBW_COUNT_*` levels counted; None: user and kernel.
    pub levels: Option<u32>,
    /// Chunk divisor, None: the default.
    pub chunk_divisor: Option<u32>,
    /// Smallest chunk in events, None: the default.
    pub min_chunk_events: Option<u32>,
}

impl Config {
    /// `ncpus` CPUs, no domains, 1 ms period, no sharing, reclaim off.
    pub fn new(ncpus: u32) -> Config {
        Config {
            ncpus,
            ndomains: 0,
            period_ns: sys::MEMBW_PERIOD_DEFAULT_NS,
            sharing: Sharing::None,
            reclaim: false,
            levels: None,
            chunk_divisor: None,
            min_chunk_events: None,
        }
    }
}

/// 64 bytes aligned to 64: the unit of storage handed to the library.
#[repr(C, align(64))]
#[derive(Clone, Copy)]
pub(crate) struct Block([u8; 64]);

/// Zeroed storage of at least `size` bytes aligned to 64.
pub(crate) fn storage(size: usize) -> Box<[Block]> {
    vec![Block([0; 64]); (size + 63) / 64].into_boxed_slice()
}

/// What the trampolines reach through `backend_ctx`, `env.ctx` and each CPU's private state.
struct State<B, R> {
    backend: B,
    runtime: R,
    panic: RefCell<Option<Box<dyn Any + Send>>>,
}

/// A CPU's private state in the policy's storage: who it is and where the backend lives.
#[repr(C)]
struct Priv {
    state: *const c_void,
    cpu: u32,
}

impl<B: Backend, R: Runtime> State<B, R> {
    fn guard<T>(&self, fallback: T, f: impl FnOnce() -> T) -> T {
        match panic::catch_unwind(AssertUnwindSafe(f)) {
            Ok(v) => v,
            Err(p) => {
                self.panic.borrow_mut().get_or_insert(p);
                fallback
            }
        }
    }

    fn ret(&self, f: impl FnOnce() -> Result<()>) -> c_int {
        self.guard(-sys::MEMBW_EIO, || match f() {
            Ok(()) => 0,
            Err(e) => -e.code(),
        })
    }
}

/// SAFETY for every trampoline: `ctx` is the `State` a live `Policy` owns and gave to
/// membw_init(); `priv_` is a CPU's private state, written by `cpu_init` before any other hook.
unsafe fn state_of<'a, B, R>(ctx: *mut c_void) -> &'a State<B, R> {
    &*(ctx as *const State<B, R>)
}

unsafe fn priv_of<'a, B, R>(priv_: *mut c_void) -> (&'a State<B, R>, u32) {
    let p = &*(priv_ as *const Priv);
    (&*(p.state as *const State<B, R>), p.cpu)
}

unsafe extern "C" fn probe_t<B: Backend, R: Runtime>(ctx: *mut c_void, info: *mut sys::membw_backend_info) -> c_int {
    let s = state_of::<B, R>(ctx);
    s.ret(|| {
        let i = s.backend.probe()?;
        let out = &mut *info;
        out.channels = i.channels;
        out.counter_bits = i.counter_bits;
        out.line_size = i.line_size;
        out.levels = i.levels;
        out.caps = i.caps;
        Ok(())
    })
}

unsafe extern "C" fn cpu_init_t<B: Backend, R: Runtime>(
    ctx: *mut c_void,
    cpu: u32,
    priv_: *mut c_void,
    setup: *const sys::membw_counter_setup,
) -> c_int {
    let s = state_of::<B, R>(ctx);
    (priv_ as *mut Priv).write(Priv { state: ctx, cpu });
    let setup = &*setup;
    s.ret(|| s.backend.cpu_init(cpu, setup.levels, setup.event))
}

unsafe extern "C" fn arm_t<B: Backend, R: Runtime>(priv_: *mut c_void, ch: u32, events: u64) -> c_int {
    let (s, cpu) = priv_of::<B, R>(priv_);
    s.ret(|| s.backend.arm(cpu, ch, events))
}

unsafe extern "C" fn read_t<B: Backend, R: Runtime>(priv_: *mut c_void, ch: u32, value: *mut u64) -> c_int {
    let (s, cpu) = priv_of::<B, R>(priv_);
    s.ret(|| {
        *value = s.backend.read(cpu, ch)?;
        Ok(())
    })
}

unsafe extern "C" fn stop_t<B: Backend, R: Runtime>(priv_: *mut c_void, ch: u32) {
    let (s, cpu) = priv_of::<B, R>(priv_);
    s.guard((), || s.backend.stop(cpu, ch))
}

unsafe extern "C" fn cpu_exit_t<B: Backend, R: Runtime>(ctx: *mut c_void, cpu: u32, _priv: *mut c_void) {
    let s = state_of::<B, R>(ctx);
    s.guard((), || s.backend.cpu_exit(cpu))
}

unsafe extern "C" fn throttle_t<B: Backend, R: Runtime>(ctx: *mut c_void, cpu: u32) {
    let s = state_of::<B, R>(ctx);
    s.guard((), || s.runtime.throttle(cpu))
}

unsafe extern "C" fn unthrottle_t<B: Backend, R: Runtime>(ctx: *mut c_void, cpu: u32) {
    let s = state_of::<B, R>(ctx);
    s.guard((), || s.runtime.unthrottle(cpu))
}

unsafe extern "C" fn kick_all_t<B: Backend, R: Runtime>(ctx: *mut c_void, cpu: u32) {
    let s = state_of::<B, R>(ctx);
    s.guard((), || s.runtime.kick_all(cpu))
}

unsafe extern "C" fn trace_t<B: Backend, R: Runtime>(ctx: *mut c_void, rec: *const sys::membw_trace_record) {
    let s = state_of::<B, R>(ctx);
    s.guard((), || s.runtime.trace(&*rec))
}

/// A policy instance over libmembw. Owns its storage, its backend and its runtime.
///
/// Not `Sync`: the library wants each CPU's entry points called by one thread at a time, which
/// a shared `&Policy` could not promise. A VMM with one thread per vCPU puts it behind a lock.
pub struct Policy<B: Backend, R: Runtime> {
    m: *mut sys::membw,
    // Field order is drop order: the instance lives in `storage` and points at `state`, `vtable`
    // and `_name`, none of which moves (boxed).
    _storage: Box<[Block]>,
    state: Box<State<B, R>>,
    _vtable: Box<(sys::membw_backend, sys::membw_env)>,
    _name: CString,
    period_ns: u64,
    line_size: u32,
}

impl<B: Backend, R: Runtime> Policy<B, R> {
    /// Create a policy (membw_init()): every CPU offline and in no domain, every domain unlimited.
    pub fn new(config: Config, backend: B, runtime: R) -> Result<Self> {
        let mut cfg = sys::membw_config::default();
        // SAFETY: cfg is a valid membw_config.
        unsafe { sys::membw_config_init(&mut cfg) };
        cfg.ncpus = config.ncpus;
        cfg.ndomains = config.ndomains;
        cfg.period_ns = config.period_ns;
        cfg.sharing = config.sharing as u32;
        cfg.reclaim = config.reclaim as u32;
        if let Some(l) = config.levels {
            cfg.levels = l;
        }
        if let Some(d) = config.chunk_divisor {
            cfg.chunk_divisor = d;
        }
        if let Some(c) = config.min_chunk_events {
            cfg.min_chunk_events = c;
        }
        let priv_size = std::mem::size_of::<Priv>() as u32;
        // SAFETY: a pure function.
        let size = unsafe { sys::membw_storage_size(config.ncpus, config.ndomains, priv_size) };
        if size == 0 {
            return Err(Error::with_reason(sys::MEMBW_EINVAL, "membw_storage_size", "ncpus 1 .. 4096, ndomains 0 .. 4096"));
        }
        let mut storage = storage(size);
        let state = Box::new(State { backend, runtime, panic: RefCell::new(None) });
        let ctx = &*state as *const State<B, R> as *mut c_void;
        let name = CString::new("rust").unwrap();
        let vtable = Box::new((
            sys::membw_backend {
                abi_version: sys::MEMBW_BACKEND_ABI_VERSION,
                size: std::mem::size_of::<sys::membw_backend>() as u32,
                name: name.as_ptr(),
                priv_size,
                reserved: 0,
                probe: Some(probe_t::<B, R>),
                cpu_init: Some(cpu_init_t::<B, R>),
                arm: Some(arm_t::<B, R>),
                read: Some(read_t::<B, R>),
                stop: Some(stop_t::<B, R>),
                cpu_exit: Some(cpu_exit_t::<B, R>),
                rearm: None,
                direct_reader: None,
            },
            sys::membw_env {
                size: std::mem::size_of::<sys::membw_env>() as u32,
                reserved: 0,
                ctx,
                throttle: Some(throttle_t::<B, R>),
                unthrottle: Some(unthrottle_t::<B, R>),
                kick_all: if R::KICK_ALL { Some(kick_all_t::<B, R>) } else { None },
                trace: if R::TRACE { Some(trace_t::<B, R>) } else { None },
            },
        ));
        let mut m = ptr::null_mut();
        // SAFETY: storage is `size` bytes aligned to 64 and owned by the Policy; cfg, backend and
        // env are valid; the backend table and state are boxed and live as long as the Policy.
        let ret = unsafe {
            sys::membw_init(&mut m, storage.as_mut_ptr() as *mut c_void, storage.len() * 64, &cfg, &vtable.0, ctx, &vtable.1)
        };
        let line_size = 0;
        let mut p = Policy { m, _storage: storage, state, _vtable: vtable, _name: name, period_ns: cfg.period_ns, line_size };
        p.after("membw_init", ret)?;
        p.line_size = p.backend_info()?.line_size;
        Ok(p)
    }

    /// A panic caught in a hook is resumed here; otherwise `ret` becomes the result.
    fn after(&self, function: &'static str, ret: c_int) -> Result<i32> {
        if let Some(p) = self.state.panic.borrow_mut().take() {
            panic::resume_unwind(p);
        }
        check(ret, function)
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.state.backend
    }

    /// The runtime.
    pub fn runtime(&self) -> &R {
        &self.state.runtime
    }

    /// The `struct membw *` for other C code (the memtalk host).
    pub fn as_ptr(&self) -> *mut sys::membw {
        self.m
    }

    /// Set `domain`'s budgets in bytes/s (or rate text); from each member's next period.
    pub fn set_budget(&self, domain: u32, read: impl Rate, write: impl Rate) -> Result<()> {
        let (r, w) = (read.bps()?, write.bps()?);
        // SAFETY: self.m is a live instance.
        let ret = unsafe { sys::membw_domain_set_budget(self.m, domain, r, w) };
        self.after("membw_domain_set_budget", ret).map(|_| ())
    }

    /// `domain`'s (read, write) budgets as last set, bytes/s.
    pub fn budget(&self, domain: u32) -> Result<(u64, u64)> {
        let (mut r, mut w) = (0, 0);
        // SAFETY: self.m is a live instance; r and w are valid for writes.
        let ret = unsafe { sys::membw_domain_get_budget(self.m, domain, &mut r, &mut w) };
        self.after("membw_domain_get_budget", ret).map(|_| (r, w))
    }

    /// Put `cpu` in `domain` or in [`sys::MEMBW_NO_DOMAIN`], from its next period.
    pub fn cpu_set_domain(&self, cpu: u32, domain: u32) -> Result<()> {
        // SAFETY: self.m is a live instance.
        let ret = unsafe { sys::membw_cpu_set_domain(self.m, cpu, domain) };
        self.after("membw_cpu_set_domain", ret).map(|_| ())
    }

    /// Change the sharing mode.
    pub fn set_sharing(&self, sharing: Sharing) -> Result<()> {
        // SAFETY: self.m is a live instance.
        let ret = unsafe { sys::membw_set_sharing(self.m, sharing as c_int) };
        self.after("membw_set_sharing", ret).map(|_| ())
    }

    /// Turn reclaim on or off.
    pub fn set_reclaim(&self, on: bool) -> Result<()> {
        // SAFETY: self.m is a live instance.
        let ret = unsafe { sys::membw_set_reclaim(self.m, on) };
        self.after("membw_set_reclaim", ret).map(|_| ())
    }

    /// The backend facts found at creation.
    pub fn backend_info(&self) -> Result<BackendInfo> {
        let mut i = sys::membw_backend_info { size: std::mem::size_of::<sys::membw_backend_info>() as u32, ..Default::default() };
        // SAFETY: self.m is a live instance; i is valid with its size set.
        let ret = unsafe { sys::membw_get_backend_info(self.m, &mut i) };
        self.after("membw_get_backend_info", ret)?;
        Ok(BackendInfo { channels: i.channels, counter_bits: i.counter_bits, line_size: i.line_size, levels: i.levels, caps: i.caps })
    }

    /// Events per period of this policy for a rate (membw_bps_to_events()).
    pub fn bps_to_events(&self, bps: impl Rate) -> Result<u64> {
        let mut ev = 0;
        // SAFETY: ev is valid for writes.
        let ret = unsafe { sys::membw_bps_to_events(bps.bps()?, self.period_ns, self.line_size, &mut ev) };
        check(ret, "membw_bps_to_events").map(|_| ev)
    }

    fn next(&self, function: &'static str, f: unsafe extern "C" fn(*mut sys::membw, u32, u64, *mut u64) -> c_int, cpu: u32, now_ns: u64) -> Result<u64> {
        let mut next = 0;
        // SAFETY: self.m is a live instance; next is valid for writes. Not Sync: no other thread
        // runs an entry point of this instance at the same time.
        let ret = unsafe { f(self.m, cpu, now_ns, &mut next) };
        self.after(function, ret).map(|_| next)
    }

    /// Bring `cpu` under the policy; returns the next period start (arm the timer there).
    pub fn cpu_online(&self, cpu: u32, now_ns: u64) -> Result<u64> {
        self.next("membw_cpu_online", sys::membw_cpu_online, cpu, now_ns)
    }

    /// Take `cpu` out of the policy.
    pub fn cpu_offline(&self, cpu: u32, now_ns: u64) -> Result<()> {
        // SAFETY: as in `next`.
        let ret = unsafe { sys::membw_cpu_offline(self.m, cpu, now_ns) };
        self.after("membw_cpu_offline", ret).map(|_| ())
    }

    /// The period timer fired on `cpu` (membw_tick()); returns the next period start.
    pub fn tick(&self, cpu: u32, now_ns: u64) -> Result<u64> {
        self.next("membw_tick", sys::membw_tick, cpu, now_ns)
    }

    /// The counter overflow interrupt on `cpu` (membw_overflow()).
    pub fn overflow(&self, cpu: u32, now_ns: u64) -> Result<()> {
        // SAFETY: as in `next`.
        let ret = unsafe { sys::membw_overflow(self.m, cpu, now_ns) };
        self.after("membw_overflow", ret).map(|_| ())
    }

    /// Overflow of the channels in `channels` (`MEMBW_CH_*_BIT`) on `cpu`.
    pub fn overflow_channels(&self, cpu: u32, now_ns: u64, channels: u32) -> Result<()> {
        // SAFETY: as in `next`.
        let ret = unsafe { sys::membw_overflow_channels(self.m, cpu, now_ns, channels) };
        self.after("membw_overflow_channels", ret).map(|_| ())
    }

    /// Answer a kick on `cpu` (membw_kick()); returns the next period start.
    pub fn kick(&self, cpu: u32, now_ns: u64) -> Result<u64> {
        self.next("membw_kick", sys::membw_kick, cpu, now_ns)
    }

    /// Statistics of `cpu`.
    pub fn cpu_stats(&self, cpu: u32) -> Result<CpuStats> {
        let mut s = CpuStats { size: std::mem::size_of::<CpuStats>() as u32, ..Default::default() };
        // SAFETY: self.m is a live instance; s is valid with its size set.
        let ret = unsafe { sys::membw_cpu_get_stats(self.m, cpu, &mut s) };
        self.after("membw_cpu_get_stats", ret).map(|_| s)
    }

    /// Statistics of `domain`.
    pub fn domain_stats(&self, domain: u32) -> Result<DomainStats> {
        let mut s = DomainStats { size: std::mem::size_of::<DomainStats>() as u32, ..Default::default() };
        // SAFETY: as for cpu_stats.
        let ret = unsafe { sys::membw_domain_get_stats(self.m, domain, &mut s) };
        self.after("membw_domain_get_stats", ret).map(|_| s)
    }
}

// SAFETY: the instance and everything it points to are owned by the Policy; moving it to another
// thread moves all of it. Sending is sound when the backend and runtime may be sent.
unsafe impl<B: Backend + Send, R: Runtime + Send> Send for Policy<B, R> {}

/// A software PMU: counters kept in memory that the caller advances with [`Counters::add`].
/// Counts up modulo 2^bits; `arm(n)` presets `2^bits - n`, so the n-th event after it wraps the
/// counter and marks an overflow pending on the CPU, as PMU hardware does. For tests, teaching
/// and VMMs that count in software.
pub struct Counters {
    bits: u32,
    channels: u32,
    // (value, armed) per CPU and channel; pending overflow per CPU
    state: RefCell<std::collections::HashMap<(u32, u32), (u64, bool)>>,
    pending: RefCell<std::collections::HashSet<u32>>,
}

impl Counters {
    /// Counters of `counter_bits` bits, `channels` (1 or 2) per CPU.
    pub fn new(counter_bits: u32, channels: u32) -> Counters {
        Counters { bits: counter_bits, channels, state: RefCell::default(), pending: RefCell::default() }
    }

    fn mask(&self) -> u64 {
        if self.bits == 64 { u64::MAX } else { (1u64 << self.bits) - 1 }
    }

    /// Count `events` on `cpu`'s `channel`; true if an overflow is now pending on `cpu`.
    pub fn add(&self, cpu: u32, channel: u32, events: u64) -> bool {
        let mut st = self.state.borrow_mut();
        let e = st.entry((cpu, channel)).or_insert((0, false));
        let total = e.0 as u128 + events as u128;
        e.0 = (total & self.mask() as u128) as u64;
        if e.1 && total > self.mask() as u128 {
            self.pending.borrow_mut().insert(cpu);
        }
        self.pending.borrow().contains(&cpu)
    }

    /// True, and cleared, if an overflow is pending on `cpu`.
    pub fn take_overflow(&self, cpu: u32) -> bool {
        self.pending.borrow_mut().remove(&cpu)
    }
}

impl Backend for Counters {
    fn probe(&self) -> Result<BackendInfo> {
        Ok(BackendInfo { channels: self.channels, counter_bits: self.bits, ..BackendInfo::default() })
    }
    fn arm(&self, cpu: u32, channel: u32, events: u64) -> Result<()> {
        let v = (self.mask() - events).wrapping_add(1) & self.mask();
        self.state.borrow_mut().insert((cpu, channel), (v, true));
        Ok(())
    }
    fn read(&self, cpu: u32, channel: u32) -> Result<u64> {
        Ok(self.state.borrow().get(&(cpu, channel)).map_or(0, |e| e.0))
    }
    fn stop(&self, cpu: u32, channel: u32) {
        if let Some(e) = self.state.borrow_mut().get_mut(&(cpu, channel)) {
            e.1 = false;
        }
        self.pending.borrow_mut().remove(&cpu);
    }
}
