# SPDX-License-Identifier: MIT
"""The simulator behind ``membw sim``: run a scenario file or one built in Python.

Binds build/libmembw-sim.so.0 (bindings/simlib/membw_sim.h): the real simulator and the real
policy, not a model of them. A run is the one ``membw sim`` reports: every policy variant
(:data:`VARIANTS`) and every workload once alone, so each core's slowdown is known::

    sc = Scenario(cores=[Core("rt", [Phase("read", "1s", read="500MB/s")], realtime=True),
                         Core("hog", [Phase("read", "1s", read="4GB/s")], budget="100MB/s")],
                  duration="200ms")
    result = Simulation(sc).run()
    print(result["budgets"][0].slowdown)

Every key of a scenario file, its unit and its default: scenarios/README.md.
"""
import ctypes
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

from . import _lib
from .errors import MembwError, check
from .units import UNLIMITED, DurationLike, RateLike, rate

VARIANTS = ("none", "budgets", "reclaim", "spare")
"""Policy variants, cumulative: no regulation; budgets; budgets + reclaim; + spare sharing."""

_ERR = 512


def _text(v: Union[int, str], unit: str) -> str:
    return v if isinstance(v, str) else "%d%s" % (v, unit)


@dataclass
class Phase:
    """One phase of a workload: ``kind`` "compute", "read", "write" or "mixed", ``length`` of
    work (solo time), and the demand while it runs, bytes/s per channel."""
    kind: str
    length: DurationLike
    read: RateLike = 0
    write: RateLike = 0

    def ini(self) -> str:
        """The phase as a scenario file's ``phase =`` value."""
        n = _text(self.length, "ns")
        r, w = _text(self.read, ""), _text(self.write, "")
        return {"compute": "compute %s" % n, "read": "read %s %s" % (r, n),
                "write": "write %s %s" % (w, n), "mixed": "mixed %s %s %s" % (r, w, n)
                }.get(self.kind, "%s %s" % (self.kind, n))


@dataclass
class Core:
    """One core: its name, its phases (none: idle), its own budget (a domain of one CPU) or None,
    whether it is real-time (counted, never throttled), whether its phases repeat."""
    name: str
    phases: Sequence[Phase] = ()
    budget: Optional[RateLike] = None
    write_budget: Optional[RateLike] = None
    realtime: bool = False
    repeat: bool = True


@dataclass
class Domain:
    """CPUs sharing one budget (a VM): member CPU numbers, read and write budgets."""
    name: str
    cpus: Sequence[int]
    budget: Optional[RateLike] = None
    write_budget: Optional[RateLike] = None


@dataclass
class Scenario:
    """A scenario built in Python; :meth:`ini` writes it as a scenario file would say it."""
    cores: Sequence[Core]
    domains: Sequence[Domain] = ()
    period: DurationLike = "1ms"
    duration: DurationLike = "2s"
    seed: int = 1
    interrupt_latency: DurationLike = 0
    tick_jitter: DurationLike = 0
    ipi_latency: DurationLike = "1us"
    rt_core: int = 0
    peak: RateLike = "6GB/s"
    guaranteed: RateLike = "1.2GB/s"
    line_size: int = 64
    counter_bits: int = 32
    channels: int = 2
    faults: Sequence[Dict[str, str]] = field(default_factory=list)

    def ini(self) -> str:
        """The scenario as INI text (scenarios/README.md)."""
        d = lambda v: _text(v, "ns")  # noqa: E731
        out = ["[sim]", "cores = %d" % len(self.cores), "period = " + d(self.period),
               "duration = " + d(self.duration), "seed = %d" % self.seed,
               "interrupt_latency = " + d(self.interrupt_latency),
               "tick_jitter = " + d(self.tick_jitter), "ipi_latency = " + d(self.ipi_latency),
               "rt_core = %d" % self.rt_core, "[dram]", "peak = " + _text(self.peak, ""),
               "guaranteed = " + _text(self.guaranteed, ""), "[pmu]",
               "line_size = %d" % self.line_size, "counter_bits = %d" % self.counter_bits,
               "channels = %d" % self.channels]
        for i, c in enumerate(self.cores):
            out += ["[core %d]" % i, "name = " + c.name, "repeat = " + ("yes" if c.repeat else "no"),
                    "realtime = " + ("yes" if c.realtime else "no")]
            out += ["phase = " + p.ini() for p in c.phases]
            if c.budget is not None:
                out.append("budget = " + _text(c.budget, ""))
            if c.write_budget is not None:
                out.append("write_budget = " + _text(c.write_budget, ""))
        for dom in self.domains:
            out += ["[domain %s]" % dom.name, "cpus = " + ",".join(str(c) for c in dom.cpus)]
            if dom.budget is not None:
                out.append("budget = " + _text(dom.budget, ""))
            if dom.write_budget is not None:
                out.append("write_budget = " + _text(dom.write_budget, ""))
        for i, f in enumerate(self.faults):
            out.append("[fault f%d]" % i)
            out += ["%s = %s" % kv for kv in f.items()]
        return "\n".join(out) + "\n"


@dataclass(frozen=True)
class CoreResult:
    """What one core did in one variant. Bytes and nanoseconds; ``work_ns`` is work done in
    nanoseconds of running alone, ``solo_work_ns`` what it does alone in the same time."""
    core: int
    name: str
    regulated: bool
    budget_bps: tuple
    read_bytes: int
    write_bytes: int
    duration_ns: int
    work_ns: int
    solo_work_ns: int
    throttled_ns: int
    max_overshoot_bytes: int
    periods: int
    throttle_count: int

    @property
    def slowdown(self) -> float:
        """Solo work / work: 1.0 unhindered, 2.0 half speed; 0.0 for an idle core, inf if it
        made no progress."""
        if not self.solo_work_ns:
            return 0.0
        return self.solo_work_ns / self.work_ns if self.work_ns else float("inf")

    @property
    def read_bps(self) -> float:
        """Average read bandwidth over the run, bytes/s."""
        return self.read_bytes * 1e9 / self.duration_ns

    @property
    def write_bps(self) -> float:
        """Average write-back bandwidth over the run, bytes/s."""
        return self.write_bytes * 1e9 / self.duration_ns


Result = Dict[str, List[CoreResult]]
"""Per variant name (:data:`VARIANTS`), one :class:`CoreResult` per core."""


class Simulation:
    """A loaded scenario (a file, INI text or a :class:`Scenario`), ready to run."""

    def __init__(self, scenario: Union[Scenario, str, "os.PathLike[str]"],
                 directory: str = ".") -> None:
        """Load ``scenario``: a :class:`Scenario`, or the path of a scenario file. Trace files
        of a Scenario are relative to ``directory``. Raises MembwError with the loader's
        "FILE:LINE: what is wrong" as ``reason``."""
        S = _lib.simlib()
        err = ctypes.create_string_buffer(_ERR)
        h = ctypes.c_void_p()
        if isinstance(scenario, Scenario):
            ret = S.membw_sim_load_string(ctypes.byref(h), b"<python>", directory.encode(),
                                          scenario.ini().encode(), err, _ERR)
            fn = "membw_sim_load_string"
        else:
            ret = S.membw_sim_load_file(ctypes.byref(h), os.fsencode(scenario), err, _ERR)
            fn = "membw_sim_load_file"
        check(ret, fn, err.value.decode())
        self._h = h

    @classmethod
    def from_ini(cls, text: str, name: str = "<text>", directory: str = ".") -> "Simulation":
        """Load a scenario from INI text."""
        self = cls.__new__(cls)
        err = ctypes.create_string_buffer(_ERR)
        h = ctypes.c_void_p()
        check(_lib.simlib().membw_sim_load_string(ctypes.byref(h), name.encode(),
                                                  directory.encode(), text.encode(), err, _ERR),
              "membw_sim_load_string", err.value.decode())
        self._h = h
        return self

    def __del__(self) -> None:
        h = getattr(self, "_h", None)
        if h:
            self._h = None
            try:
                _lib.simlib().membw_sim_free(h)
            except Exception:  # interpreter shutdown: modules may be gone; the OS frees it
                pass

    @property
    def ncores(self) -> int:
        """Cores of the scenario."""
        return int(_lib.simlib().membw_sim_ncores(self._h))

    def set_core_budget(self, core: int, read: RateLike, write: RateLike = UNLIMITED) -> None:
        """Give ``core`` a budget of its own (it must be in no domain and not real-time)."""
        check(_lib.simlib().membw_sim_set_core_budget(self._h, core, rate(read), rate(write)),
              "membw_sim_set_core_budget",
              "core %d: out of range, in a domain or real-time" % core)

    def run(self) -> Result:
        """Run every variant and each workload alone; per variant, per core results."""
        S = _lib.simlib()
        err = ctypes.create_string_buffer(_ERR)
        check(S.membw_sim_run(self._h, err, _ERR), "membw_sim_run", err.value.decode())
        out: Result = {}
        for v, name in enumerate(VARIANTS):
            cores = []
            for c in range(self.ncores):
                r = _lib.SimCoreResult(size=ctypes.sizeof(_lib.SimCoreResult))
                check(S.membw_sim_core_result(self._h, v, c, ctypes.byref(r)),
                      "membw_sim_core_result")
                cores.append(CoreResult(c, r.name.decode(), bool(r.regulated),
                                        tuple(r.budget_bps), r.bytes[0], r.bytes[1],
                                        r.duration_ns, r.work_ns, r.solo_work_ns,
                                        r.throttled_ns, r.max_overshoot_bytes, r.periods,
                                        r.throttle_count))
            out[name] = cores
        return out


def run(scenario: Union[Scenario, str, "os.PathLike[str]"]) -> Result:
    """Load and run ``scenario`` (a :class:`Scenario` or a file path) in one call."""
    return Simulation(scenario).run()


__all__ = ["Scenario", "Core", "Phase", "Domain", "Simulation", "CoreResult", "Result", "run",
           "VARIANTS", "MembwError"]
