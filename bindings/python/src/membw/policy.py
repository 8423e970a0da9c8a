# SPDX-License-Identifier: MIT
"""The policy core (include/membw/policy.h) driven from Python, with a counter backend in Python.

A :class:`Policy` owns its storage (a ctypes buffer aligned as the library requires) and calls the
real library: :meth:`Policy.tick` is ``membw_tick()``, :meth:`Policy.overflow` is
``membw_overflow()``. The counters are a :class:`Backend` written in Python; :class:`Counters` is a
ready-made one whose counters you advance by hand, so that a notebook can play the hardware::

    counters = Counters()
    p = Policy(ncpus=1, ndomains=1, backend=counters)
    p.set_budget(0, "64MB/s")                # 1000 lines of 64 bytes per 1 ms period
    p.cpu_set_domain(0, 0)
    p.cpu_online(0, now_ns=0)
    if counters.add(0, CH_READ, 1000):       # the 1000th line overflows the counter
        p.overflow(0, now_ns=500_000)
    assert p.is_throttled(0)
"""
import ctypes
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Set, Tuple

from . import _lib
from .errors import EINVAL, EIO, MembwError, check
from .units import DurationLike, RateLike, UNLIMITED, duration, rate

CH_READ = 0
"""Channel of line refills from DRAM (reads)."""
CH_WRITE = 1
"""Channel of line write-backs to DRAM (writes)."""
CH_READ_BIT = 1 << CH_READ
"""The read channel's bit for :meth:`Policy.overflow_channels`."""
CH_WRITE_BIT = 1 << CH_WRITE
"""The write channel's bit for :meth:`Policy.overflow_channels`."""
NO_DOMAIN = 0xFFFFFFFF
"""A CPU in no domain: counted, never throttled (a real-time CPU)."""
SHARE_NONE = 0
"""Sharing mode: throttled CPUs wait for their next period."""
SHARE_SPARE = 1
"""Sharing mode: once every regulated CPU is throttled, all run free until the period ends."""
SHARE_PROPORTIONAL = 2
"""Sharing mode: once every regulated CPU is throttled, a new period starts at once."""
COUNT_USER = 1
"""Count user-mode (EL0, ring 3) traffic."""
COUNT_KERNEL = 2
"""Count kernel-mode (EL1, ring 0) traffic."""
COUNT_HYP = 4
"""Count hypervisor (EL2, VMX root) traffic."""
COUNT_ALL = 7
"""Count every level."""
CPU_ONLINE = 1
"""CPU state bit: online."""
CPU_REGULATED = 2
"""CPU state bit: in a domain with a finite budget, not real-time."""
CPU_THROTTLED = 4
"""CPU state bit: throttled."""
CPU_RELEASED = 8
"""CPU state bit: running free until the period ends (spare sharing)."""
PERIOD_MIN_NS = 100_000
"""Shortest period, nanoseconds."""
PERIOD_MAX_NS = 1_000_000_000
"""Longest period, nanoseconds."""
TRACE_TYPES = {1: "period_end", 2: "throttle", 3: "unthrottle", 4: "grant", 5: "donate",
               6: "release_all", 7: "restart", 8: "anomaly"}
"""Names of the trace record types (enum membw_trace_type) by value."""

_PRIV_SIZE = 16  # per-CPU backend state kept in the policy's storage: the CPU number


class Backend:
    """Base class of a counter backend written in Python (include/membw/backend.h).

    Set the class attributes to the counters' facts and override the hooks. A hook signals a
    failure by raising :class:`membw.MembwError` (its code goes back to the library); any other
    exception is reported to the library as EIO and raised again from the :class:`Policy` call
    that ran the hook.
    """

    name = "python"
    """Short backend name."""
    channels = 2
    """1 (reads only) or 2 (reads and write-backs)."""
    counter_bits = 32
    """Width of each counter, 8 .. 64 bits."""
    line_size = 64
    """Bytes per counted event: a power of two, 8 .. 4096."""
    levels = COUNT_ALL
    """COUNT_* levels the counters can select."""
    caps = 0
    """MEMBW_CAP_* flags."""

    def probe(self) -> None:
        """Are the counters there? Raise MembwError(ENODEV) if not. Default: they are."""

    def cpu_init(self, cpu: int, levels: int, events: Tuple[int, int]) -> None:
        """Prepare ``cpu``'s counters, stopped, counting ``levels`` and event codes ``events``."""

    def arm(self, cpu: int, channel: int, events: int) -> None:
        """Start ``channel`` and raise the overflow after ``events`` more events."""
        raise NotImplementedError

    def read(self, cpu: int, channel: int) -> int:
        """The raw counter value, 0 .. 2^counter_bits - 1."""
        raise NotImplementedError

    def stop(self, cpu: int, channel: int) -> None:
        """Stop ``channel`` and clear its pending overflow."""
        raise NotImplementedError

    def cpu_exit(self, cpu: int) -> None:
        """Release what :meth:`cpu_init` took. Default: nothing."""


class Counters(Backend):
    """A backend of counters kept in Python that you advance with :meth:`add`.

    Each counter counts up modulo 2^counter_bits; ``arm(n)`` presets it to ``2^bits - n``, so the
    n-th event after it wraps the counter and marks an overflow pending for the CPU, as PMU
    hardware does. Deliver it with :meth:`Policy.overflow`.
    """

    def __init__(self, channels: int = 2, counter_bits: int = 32, line_size: int = 64) -> None:
        """Counters of ``counter_bits`` bits, ``channels`` per CPU, ``line_size`` bytes per event."""
        self.channels = channels
        self.counter_bits = counter_bits
        self.line_size = line_size
        self.value: Dict[Tuple[int, int], int] = {}
        """Raw counter value by (cpu, channel)."""
        self.armed: Set[Tuple[int, int]] = set()
        """(cpu, channel) pairs counting with the overflow interrupt enabled."""
        self.pending: Set[int] = set()
        """CPUs with an overflow not yet delivered."""

    def cpu_init(self, cpu: int, levels: int, events: Tuple[int, int]) -> None:
        """Counters of ``cpu`` start at 0, stopped."""
        for ch in range(self.channels):
            self.value[(cpu, ch)] = 0

    def arm(self, cpu: int, channel: int, events: int) -> None:
        """Preset the counter to 2^bits - ``events`` and enable its overflow."""
        self.value[(cpu, channel)] = (1 << self.counter_bits) - events
        self.armed.add((cpu, channel))

    def read(self, cpu: int, channel: int) -> int:
        """The raw counter value."""
        return self.value.get((cpu, channel), 0)

    def stop(self, cpu: int, channel: int) -> None:
        """Disable the counter's overflow; a pending overflow of the CPU is cleared."""
        self.armed.discard((cpu, channel))
        self.pending.discard(cpu)

    def add(self, cpu: int, channel: int, events: int) -> bool:
        """Count ``events`` on ``cpu``'s ``channel``; True if an overflow is now pending there."""
        key = (cpu, channel)
        total = self.value.get(key, 0) + events
        self.value[key] = total % (1 << self.counter_bits)
        if key in self.armed and total >> self.counter_bits:
            self.pending.add(cpu)
        return cpu in self.pending

    def take_overflow(self, cpu: int) -> bool:
        """True (and cleared) if an overflow is pending on ``cpu``."""
        if cpu in self.pending:
            self.pending.discard(cpu)
            return True
        return False


@dataclass(frozen=True)
class ChannelStats:
    """Counters of one channel, in events (cache lines) (struct membw_channel_stats)."""
    used: int
    budget: int
    allowance: int
    donated: int
    reclaimed: int
    borrowed: int
    overshoot: int
    shortfall: int


@dataclass(frozen=True)
class Totals:
    """Cumulative counters of a CPU or domain (struct membw_totals); ``read``/``write`` channels."""
    periods: int
    missed_periods: int
    throttle_count: int
    throttled_ns: int
    spurious_overflows: int
    early_ticks: int
    anomalies: int
    read: ChannelStats
    write: ChannelStats


@dataclass(frozen=True)
class CpuStats:
    """Statistics of one CPU (struct membw_cpu_stats); ``state`` holds CPU_* bits."""
    domain: int
    state: int
    epoch: int
    totals: Totals


@dataclass(frozen=True)
class DomainStats:
    """Statistics of one domain (struct membw_domain_stats): budget and sums over its CPUs."""
    ncpus: int
    nonline: int
    budget_bps: Tuple[int, int]
    budget_events: Tuple[int, int]
    totals: Totals


@dataclass(frozen=True)
class TraceRecord:
    """One decision of the policy (struct membw_trace_record); ``kind`` names ``type``."""
    type: int
    kind: str
    cpu: int
    domain: int
    channel: int
    now_ns: int
    epoch: int
    used: int
    allowance: int
    overshoot: int
    amount: int
    shortfall: int
    source: int
    periods: int


def _totals(t: _lib.Totals) -> Totals:
    chs = [ChannelStats(*(getattr(c, f) for f, _ in _lib.ChannelStats._fields_)) for c in t.ch]
    return Totals(*(getattr(t, f) for f, _ in _lib.Totals._fields_[:-1]), read=chs[0],
                  write=chs[1])


class Policy:
    """A policy instance over the real libmembw, its storage owned by this object.

    Every CPU starts offline and in no domain; every domain starts unlimited. Throttling is
    reported through ``on_throttle(cpu)`` / ``on_unthrottle(cpu)`` and kept in :attr:`throttled`.
    With a sharing mode, the policy asks for every CPU to be kicked: :attr:`kicks` counts those
    requests (and ``on_kick_all(from_cpu)`` is called); answer them with :meth:`kick`.
    """

    def __init__(self, ncpus: int, backend: Backend, ndomains: int = 0,
                 period: DurationLike = "1ms", sharing: int = SHARE_NONE, reclaim: bool = False,
                 levels: Optional[int] = None, chunk_divisor: Optional[int] = None,
                 min_chunk_events: Optional[int] = None,
                 on_throttle: Optional[Callable[[int], None]] = None,
                 on_unthrottle: Optional[Callable[[int], None]] = None,
                 on_kick_all: Optional[Callable[[int], None]] = None,
                 on_trace: Optional[Callable[[TraceRecord], None]] = None) -> None:
        """Create the policy (membw_init()); raises MembwError for a configuration it refuses."""
        L = _lib.lib()
        self.backend = backend
        """The counter backend."""
        self.throttled: Set[int] = set()
        """CPUs currently throttled."""
        self.kicks = 0
        """How many times the policy asked for every CPU to be kicked (kick_all)."""
        self._error: Optional[BaseException] = None
        cfg = _lib.Config()
        L.membw_config_init(ctypes.byref(cfg))
        cfg.ncpus, cfg.ndomains = ncpus, ndomains
        cfg.period_ns = duration(period)
        cfg.sharing, cfg.reclaim = sharing, int(bool(reclaim))
        if levels is not None:
            cfg.levels = levels
        if chunk_divisor is not None:
            cfg.chunk_divisor = chunk_divisor
        if min_chunk_events is not None:
            cfg.min_chunk_events = min_chunk_events
        size = L.membw_storage_size(ncpus, ndomains, _PRIV_SIZE)
        if size == 0:
            raise MembwError(EINVAL, "membw_storage_size", "ncpus must be 1 .. 4096 and ndomains "
                             "0 .. 4096, not %d and %d" % (ncpus, ndomains))
        self._storage = ctypes.create_string_buffer(size + 64)
        addr = ctypes.addressof(self._storage)
        self._base = (addr + 63) & ~63
        self._size = size
        self._backend_struct = self._make_backend()
        self._on = (on_throttle, on_unthrottle, on_kick_all, on_trace)
        self._env = self._make_env()
        handle = ctypes.c_void_p()
        self._call("membw_init", ctypes.byref(handle), self._base, size, ctypes.byref(cfg),
                   ctypes.byref(self._backend_struct), None, ctypes.byref(self._env))
        self._m = handle

    # --- hooks -------------------------------------------------------------------------------
    def _guard(self, fn: Callable[..., object], *args: object) -> int:
        try:
            fn(*args)
            return 0
        except MembwError as e:
            return -e.code
        except BaseException as e:  # raised again by _call()
            if self._error is None:
                self._error = e
            return -EIO

    def _make_backend(self) -> _lib.Backend:
        b = self.backend
        cpu_of = lambda priv: ctypes.c_uint32.from_address(priv).value  # noqa: E731

        def probe(ctx: object, info: "ctypes._Pointer[_lib.BackendInfo]") -> int:
            def fill() -> None:
                b.probe()
                i = info.contents
                i.channels, i.counter_bits, i.line_size = b.channels, b.counter_bits, b.line_size
                i.levels, i.caps = b.levels, b.caps
            return self._guard(fill)

        def cpu_init(ctx: object, cpu: int, priv: int,
                     setup: "ctypes._Pointer[_lib.CounterSetup]") -> int:
            ctypes.c_uint32.from_address(priv).value = cpu
            s = setup.contents
            return self._guard(b.cpu_init, cpu, s.levels, (s.event[0], s.event[1]))

        def arm(priv: int, ch: int, events: int) -> int:
            return self._guard(b.arm, cpu_of(priv), ch, events)

        def read(priv: int, ch: int, value: "ctypes._Pointer[ctypes.c_uint64]") -> int:
            def get() -> None:
                value[0] = int(b.read(cpu_of(priv), ch)) & ((1 << b.counter_bits) - 1)
            return self._guard(get)

        def stop(priv: int, ch: int) -> None:
            self._guard(b.stop, cpu_of(priv), ch)

        def cpu_exit(ctx: object, cpu: int, priv: int) -> None:
            self._guard(b.cpu_exit, cpu)

        self._name = b.name.encode()
        return _lib.Backend(abi_version=2, size=ctypes.sizeof(_lib.Backend), name=self._name,
                            priv_size=_PRIV_SIZE, probe=_lib.PROBE_FN(probe),
                            cpu_init=_lib.CPU_INIT_FN(cpu_init), arm=_lib.ARM_FN(arm),
                            read=_lib.READ_FN(read), stop=_lib.STOP_FN(stop),
                            cpu_exit=_lib.CPU_EXIT_FN(cpu_exit))

    def _make_env(self) -> _lib.Env:
        on_throttle, on_unthrottle, on_kick_all, on_trace = self._on

        def throttle(ctx: object, cpu: int) -> None:
            self.throttled.add(cpu)
            if on_throttle:
                self._guard(on_throttle, cpu)

        def unthrottle(ctx: object, cpu: int) -> None:
            self.throttled.discard(cpu)
            if on_unthrottle:
                self._guard(on_unthrottle, cpu)

        def kick_all(ctx: object, cpu: int) -> None:
            self.kicks += 1
            if on_kick_all:
                self._guard(on_kick_all, cpu)

        def trace(ctx: object, rec: "ctypes._Pointer[_lib.TraceRecord]") -> None:
            r = rec.contents
            vals = {f: getattr(r, f) for f, _ in _lib.TraceRecord._fields_}
            assert on_trace is not None
            self._guard(on_trace, TraceRecord(kind=TRACE_TYPES.get(r.type, "?"), **vals))

        return _lib.Env(size=ctypes.sizeof(_lib.Env), throttle=_lib.CPU_FN(throttle),
                        unthrottle=_lib.CPU_FN(unthrottle), kick_all=_lib.CPU_FN(kick_all),
                        trace=_lib.TRACE_FN(trace) if on_trace else _lib.TRACE_FN())

    def _call(self, name: str, *args: object) -> int:
        self._error = None
        ret = getattr(_lib.lib(), name)(*args)
        err, self._error = self._error, None
        if err is not None:
            raise err
        return check(ret, name)

    @property
    def handle(self) -> int:
        """The ``struct membw *`` as an address, for other C code (the memtalk host)."""
        return int(self._m.value or 0)

    # --- changes -----------------------------------------------------------------------------
    def set_budget(self, domain: int, read: RateLike, write: RateLike = UNLIMITED) -> None:
        """Set ``domain``'s budgets, bytes/s or rate strings (membw_domain_set_budget())."""
        self._call("membw_domain_set_budget", self._m, domain, rate(read), rate(write))

    def get_budget(self, domain: int) -> Tuple[int, int]:
        """``domain``'s (read, write) budgets in bytes/s as last set."""
        r, w = ctypes.c_uint64(), ctypes.c_uint64()
        self._call("membw_domain_get_budget", self._m, domain, ctypes.byref(r), ctypes.byref(w))
        return r.value, w.value

    def cpu_set_domain(self, cpu: int, domain: int) -> None:
        """Put ``cpu`` in ``domain`` or in :data:`NO_DOMAIN`, from its next period."""
        self._call("membw_cpu_set_domain", self._m, cpu, domain)

    def set_sharing(self, sharing: int) -> None:
        """Change the sharing mode (SHARE_*), from each CPU's next period."""
        self._call("membw_set_sharing", self._m, sharing)

    def set_reclaim(self, on: bool) -> None:
        """Turn reclaim on or off, from each CPU's next period."""
        self._call("membw_set_reclaim", self._m, bool(on))

    def bps_to_events(self, bps: RateLike) -> int:
        """Events per period of this policy's period and line size for a rate."""
        out = ctypes.c_uint64()
        cfg = self.config()
        check(_lib.lib().membw_bps_to_events(rate(bps), cfg["period_ns"],
                                             self.backend.line_size, ctypes.byref(out)),
              "membw_bps_to_events")
        return out.value

    def config(self) -> Dict[str, int]:
        """The configuration in force, as a dict of struct membw_config's fields."""
        cfg = _lib.Config(size=ctypes.sizeof(_lib.Config))
        self._call("membw_get_config", self._m, ctypes.byref(cfg))
        return {f: (tuple(getattr(cfg, f)) if f == "event" else getattr(cfg, f))
                for f, _ in _lib.Config._fields_ if f != "size"}

    # --- entry points ------------------------------------------------------------------------
    def _next(self, name: str, cpu: int, now_ns: int) -> int:
        nxt = ctypes.c_uint64()
        self._call(name, self._m, cpu, now_ns, ctypes.byref(nxt))
        return nxt.value

    def cpu_online(self, cpu: int, now_ns: int) -> int:
        """Bring ``cpu`` under the policy; returns the next period start (arm the timer there)."""
        return self._next("membw_cpu_online", cpu, now_ns)

    def cpu_offline(self, cpu: int, now_ns: int) -> None:
        """Take ``cpu`` out of the policy (counters stopped, released if throttled)."""
        self._call("membw_cpu_offline", self._m, cpu, now_ns)

    def tick(self, cpu: int, now_ns: int) -> int:
        """The period timer fired on ``cpu`` (membw_tick()); returns the next period start."""
        return self._next("membw_tick", cpu, now_ns)

    def overflow(self, cpu: int, now_ns: int) -> None:
        """The counter overflow interrupt on ``cpu`` (membw_overflow())."""
        self._call("membw_overflow", self._m, cpu, now_ns)

    def overflow_channels(self, cpu: int, now_ns: int, channels: int) -> None:
        """Overflow of the channels in ``channels`` (CH_*_BIT) on ``cpu``."""
        self._call("membw_overflow_channels", self._m, cpu, now_ns, channels)

    def kick(self, cpu: int, now_ns: int) -> int:
        """Answer a kick on ``cpu`` (membw_kick()); returns the next period start."""
        return self._next("membw_kick", cpu, now_ns)

    def is_throttled(self, cpu: int) -> bool:
        """True while the policy has ``cpu`` throttled."""
        return cpu in self.throttled

    # --- statistics --------------------------------------------------------------------------
    def cpu_stats(self, cpu: int) -> CpuStats:
        """Statistics of ``cpu``."""
        s = _lib.CpuStats(size=ctypes.sizeof(_lib.CpuStats))
        self._call("membw_cpu_get_stats", self._m, cpu, ctypes.byref(s))
        return CpuStats(s.domain, s.state, s.epoch, _totals(s.totals))

    def domain_stats(self, domain: int) -> DomainStats:
        """Statistics of ``domain``: its budget and sums over its CPUs."""
        s = _lib.DomainStats(size=ctypes.sizeof(_lib.DomainStats))
        self._call("membw_domain_get_stats", self._m, domain, ctypes.byref(s))
        return DomainStats(s.ncpus, s.nonline, tuple(s.budget_bps), tuple(s.budget_events),
                           _totals(s.totals))


__all__: List[str] = [
    "Backend", "Counters", "Policy", "CpuStats", "DomainStats", "Totals", "ChannelStats",
    "TraceRecord", "CH_READ", "CH_WRITE", "CH_READ_BIT", "CH_WRITE_BIT", "NO_DOMAIN",
    "SHARE_NONE", "SHARE_SPARE", "SHARE_PROPORTIONAL", "COUNT_USER", "COUNT_KERNEL", "COUNT_HYP",
    "COUNT_ALL", "CPU_ONLINE", "CPU_REGULATED", "CPU_THROTTLED", "CPU_RELEASED",
    "PERIOD_MIN_NS", "PERIOD_MAX_NS", "TRACE_TYPES"]
