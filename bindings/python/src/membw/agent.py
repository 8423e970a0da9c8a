# SPDX-License-Identifier: MIT
"""The guest-agent API: a program in a VM asks its hypervisor for memory bandwidth.

Binds ``libmembw-agent.so.0`` (include/membw/agent.h), which talks to the memtalk guest driver's
device (``/dev/membw_memtalk``, or the file named by ``MEMBW_MEMTALK_DEV``); the device's file mode
and group decide who may call, no root is needed::

    import membw
    membw.set_budget("500MB/s")              # read budget; the write-back budget is kept
    print(membw.get_budget())                # (500000000, ...) bytes/s

``MEMBW_AGENT_LIBRARY`` names the library file (a build tree's build/libmembw-agent.so.0);
otherwise the installed ``libmembw-agent.so.0`` is loaded. Rate strings are parsed by libmembw
(:func:`membw.parse_rate`); plain ints need only the agent library.
"""
import ctypes
import os
from dataclasses import dataclass
from typing import Any, List, Tuple

from .errors import MembwError
from .units import RateLike, rate

UNLIMITED = (1 << 64) - 1
"""A rate meaning "no limit"."""
KEEP = (1 << 64) - 2
"""Pass as a budget to keep that channel's budget in force (MEMBW_AGENT_KEEP)."""
DEVICE = "/dev/membw_memtalk"
"""The device the library opens unless ``MEMBW_MEMTALK_DEV`` names another."""

EINVAL = 1
"""A wrong argument; nothing was sent."""
ENODEV = 2
"""No device: the membw_memtalk driver is not loaded."""
EACCES = 3
"""The device is there but this user may not open it (not in its group)."""
EABSENT = 4
"""The driver is loaded but no hypervisor answers memtalk; :func:`status` says why."""
EDRIVER = 5
"""The file is not the membw_memtalk device, or it speaks another interface version."""
ESYSTEM = 6
"""Another system error; ``detail`` is its errno."""
ENOTSUPPORTED = 101
"""The host lacks the call (memtalk NOT_SUPPORTED)."""
EPARAMETER = 103
"""The host refused a parameter (memtalk INVALID_PARAMETER)."""
EVERSION = 104
"""The host speaks another major version (memtalk BAD_VERSION); ``detail``: its version word."""
EDENIED = 105
"""Outside this VM's floor..cap, or the VM is not regulated (memtalk DENIED)."""
ERANGE = 106
"""The host cannot enforce the rate (memtalk RANGE)."""
ERATELIMITED = 107
"""Asked too often (memtalk RATE_LIMITED); ``detail``: nanoseconds to wait."""
EBUSY = 108
"""Another call or a host-side change is in progress (memtalk BUSY)."""
EHOST = 109
"""The host's policy failed (memtalk HOST_ERROR); ``detail``: the host's errno."""
EBADSTATUS = 110
"""The host answered a status memtalk v1 does not define; ``detail``: that status."""

_NAMES = {EINVAL: "EINVAL", ENODEV: "ENODEV", EACCES: "EACCES", EABSENT: "EABSENT",
          EDRIVER: "EDRIVER", ESYSTEM: "ESYSTEM", ENOTSUPPORTED: "ENOTSUPPORTED",
          EPARAMETER: "EPARAMETER", EVERSION: "EVERSION", EDENIED: "EDENIED", ERANGE: "ERANGE",
          ERATELIMITED: "ERATELIMITED", EBUSY: "EBUSY", EHOST: "EHOST", EBADSTATUS: "EBADSTATUS"}


class _Info(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("present", ctypes.c_uint32),
                ("version", ctypes.c_uint32), ("base", ctypes.c_uint32),
                ("functions", ctypes.c_uint32), ("interface", ctypes.c_uint32),
                ("budget_bps", ctypes.c_uint64 * 2), ("cap_bps", ctypes.c_uint64 * 2),
                ("floor_bps", ctypes.c_uint64 * 2), ("conduit", ctypes.c_char * 16),
                ("reason", ctypes.c_char * 160)]


class _Stats(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("reserved", ctypes.c_uint32)] + \
        [(n, ctypes.c_uint64) for n in ("sequence", "periods", "period_ns", "throttled_ns",
                                        "throttle_count", "missed_periods")] + \
        [(n, ctypes.c_uint64 * 2) for n in ("used_bytes", "allowance_bytes", "overshoot_bytes")]


_PU64 = ctypes.POINTER(ctypes.c_uint64)
_DECLS = {
    "membw_set_budget": (ctypes.c_int, [ctypes.c_uint64, ctypes.c_uint64]),
    "membw_get_budget": (ctypes.c_int, [_PU64, _PU64]),
    "membw_get_stats": (ctypes.c_int, [ctypes.POINTER(_Stats)]),
    "membw_agent_status": (ctypes.c_int, [ctypes.POINTER(_Info)]),
    "membw_agent_strerror": (ctypes.c_char_p, [ctypes.c_int]),
    "membw_agent_detail": (ctypes.c_uint64, []),
}
_dll: List[Any] = []


def _lib() -> Any:
    if not _dll:
        path = os.environ.get("MEMBW_AGENT_LIBRARY") or "libmembw-agent.so.0"
        try:
            dll = ctypes.CDLL(path)
        except OSError as e:
            raise OSError("cannot load %s (%s): install libmembw-agent (make install) or set "
                          "MEMBW_AGENT_LIBRARY to a build tree's build/libmembw-agent.so.0"
                          % (path, e)) from None
        for name, (res, args) in _DECLS.items():
            fn = getattr(dll, name)
            fn.restype, fn.argtypes = res, args
        _dll.append(dll)
    return _dll[0]


def strerror(code: int) -> str:
    """The agent library's sentence for one of its codes, either sign."""
    return _lib().membw_agent_strerror(int(code)).decode()


class AgentError(MembwError):
    """A guest-agent call failed. ``code`` is the agent library's code (``EDENIED`` ...: its own
    numbering, include/membw/agent.h, not the core library's), ``name`` its symbol, ``message``
    membw_agent_strerror()'s sentence, ``detail`` membw_agent_detail() (the wait of a rate
    limit, the errno of a system error, ...), ``function`` the C function."""

    def __init__(self, code: int, function: str, detail: int = 0) -> None:
        """The error ``code`` (either sign) of ``function`` with membw_agent_detail() ``detail``."""
        Exception.__init__(self)
        self.code = abs(int(code))
        self.name = _NAMES.get(self.code, "E%d" % self.code)
        self.message = strerror(self.code)
        self.function = function
        self.detail = detail
        self.reason = None
        self.args = ("%s: %s (%s, detail %d)" % (function, self.message, self.name, detail),)


def _check(ret: int, function: str) -> None:
    if ret < 0:
        raise AgentError(ret, function, int(_lib().membw_agent_detail()))


def set_budget(read: RateLike, write: RateLike = KEEP) -> None:
    """Ask the hypervisor for this VM's read and write-back budgets (bytes/s or rate strings);
    :data:`KEEP` keeps a channel's budget in force. Both change or neither."""
    _check(_lib().membw_set_budget(rate(read), rate(write)), "membw_set_budget")


def get_budget() -> Tuple[int, int]:
    """The (read, write) budgets in force, bytes/s (:data:`UNLIMITED`: none)."""
    r, w = ctypes.c_uint64(), ctypes.c_uint64()
    _check(_lib().membw_get_budget(ctypes.byref(r), ctypes.byref(w)), "membw_get_budget")
    return r.value, w.value


@dataclass(frozen=True)
class AgentStats:
    """This VM's statistics from one host snapshot (sums over its CPUs); per channel tuples are
    (read, write), in bytes."""
    sequence: int
    periods: int
    period_ns: int
    throttled_ns: int
    throttle_count: int
    missed_periods: int
    used_bytes: Tuple[int, int]
    allowance_bytes: Tuple[int, int]
    overshoot_bytes: Tuple[int, int]


def get_stats() -> AgentStats:
    """Take a statistics snapshot on the host and read it (rate-limited by the host)."""
    s = _Stats(size=ctypes.sizeof(_Stats))
    _check(_lib().membw_get_stats(ctypes.byref(s)), "membw_get_stats")
    return AgentStats(s.sequence, s.periods, s.period_ns, s.throttled_ns, s.throttle_count,
                      s.missed_periods, tuple(s.used_bytes), tuple(s.allowance_bytes),
                      tuple(s.overshoot_bytes))


@dataclass(frozen=True)
class AgentInfo:
    """Is memtalk there (``present``), and if so the host's version word, function base and
    bitmap, the device's interface version, per channel (read, write) budget, cap and floor in
    bytes/s, the call instruction (``conduit``); ``reason`` says why when absent."""
    present: bool
    version: int
    base: int
    functions: int
    interface: int
    budget_bps: Tuple[int, int]
    cap_bps: Tuple[int, int]
    floor_bps: Tuple[int, int]
    conduit: str
    reason: str


def status() -> AgentInfo:
    """Whether a hypervisor answers memtalk, and this VM's budgets, caps and floors."""
    i = _Info(size=ctypes.sizeof(_Info))
    _check(_lib().membw_agent_status(ctypes.byref(i)), "membw_agent_status")
    return AgentInfo(bool(i.present), i.version, i.base, i.functions, i.interface,
                     tuple(i.budget_bps), tuple(i.cap_bps), tuple(i.floor_bps),
                     i.conduit.decode(errors="replace"), i.reason.decode(errors="replace"))


__all__ = ["set_budget", "get_budget", "get_stats", "status", "strerror", "AgentError",
           "AgentStats", "AgentInfo", "UNLIMITED", "KEEP", "DEVICE", "EINVAL", "ENODEV",
           "EACCES", "EABSENT", "EDRIVER", "ESYSTEM", "ENOTSUPPORTED", "EPARAMETER", "EVERSION",
           "EDENIED", "ERANGE", "ERATELIMITED", "EBUSY", "EHOST", "EBADSTATUS"]
