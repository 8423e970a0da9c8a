# SPDX-License-Identifier: MIT
"""Loading libmembw.so.0 (and the simulator's libmembw-sim.so.0) and the C declarations.

Internal: the public modules wrap these. ``MEMBW_LIBRARY`` names the library file to load (a build
tree's build/libmembw.so.0); without it the dynamic loader finds an installed ``libmembw.so.0``.
``MEMBW_SIM_LIBRARY`` likewise names build/libmembw-sim.so.0, the simulator library (a build-tree
library that ``make install`` does not install).
"""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char, c_char_p, c_int, c_size_t,
                    c_uint32, c_uint64, c_void_p)
from typing import Any, Optional

NCHANNELS = 2
MEMTALK_NREGS = 5
SIM_NAME_MAX = 32


class Config(Structure):
    """struct membw_config."""
    _fields_ = [("size", c_uint32), ("ncpus", c_uint32), ("ndomains", c_uint32),
                ("sharing", c_uint32), ("period_ns", c_uint64), ("reclaim", c_uint32),
                ("levels", c_uint32), ("event", c_uint64 * NCHANNELS),
                ("chunk_divisor", c_uint32), ("min_chunk_events", c_uint32)]


class BackendInfo(Structure):
    """struct membw_backend_info."""
    _fields_ = [("size", c_uint32), ("channels", c_uint32), ("counter_bits", c_uint32),
                ("line_size", c_uint32), ("levels", c_uint32), ("caps", c_uint32)]


class CounterSetup(Structure):
    """struct membw_counter_setup."""
    _fields_ = [("size", c_uint32), ("levels", c_uint32), ("event", c_uint64 * NCHANNELS)]


PROBE_FN = CFUNCTYPE(c_int, c_void_p, POINTER(BackendInfo))
CPU_INIT_FN = CFUNCTYPE(c_int, c_void_p, c_uint32, c_void_p, POINTER(CounterSetup))
ARM_FN = CFUNCTYPE(c_int, c_void_p, c_uint32, c_uint64)
READ_FN = CFUNCTYPE(c_int, c_void_p, c_uint32, POINTER(c_uint64))
STOP_FN = CFUNCTYPE(None, c_void_p, c_uint32)
CPU_EXIT_FN = CFUNCTYPE(None, c_void_p, c_uint32, c_void_p)
DIRECT_READ_FN = CFUNCTYPE(c_uint64, c_void_p)


class DirectReader(Structure):
    """struct membw_direct_reader (ABI version 3)."""
    _fields_ = [("read", DIRECT_READ_FN), ("ctx", c_void_p)]


DIRECT_READER_FN = CFUNCTYPE(c_int, c_void_p, c_uint32, POINTER(DirectReader))


class Backend(Structure):
    """struct membw_backend (ABI version 3; the Python backend declares version 2)."""
    _fields_ = [("abi_version", c_uint32), ("size", c_uint32), ("name", c_char_p),
                ("priv_size", c_uint32), ("reserved", c_uint32), ("probe", PROBE_FN),
                ("cpu_init", CPU_INIT_FN), ("arm", ARM_FN), ("read", READ_FN), ("stop", STOP_FN),
                ("cpu_exit", CPU_EXIT_FN), ("rearm", ARM_FN),
                ("direct_reader", DIRECT_READER_FN)]


class TraceRecord(Structure):
    """struct membw_trace_record."""
    _fields_ = [("type", c_uint32), ("cpu", c_uint32), ("domain", c_uint32),
                ("channel", c_uint32), ("now_ns", c_uint64), ("epoch", c_uint64),
                ("used", c_uint64), ("allowance", c_uint64), ("overshoot", c_uint64),
                ("amount", c_uint64), ("shortfall", c_uint64), ("source", c_uint32),
                ("periods", c_uint32)]


CPU_FN = CFUNCTYPE(None, c_void_p, c_uint32)
TRACE_FN = CFUNCTYPE(None, c_void_p, POINTER(TraceRecord))


class Env(Structure):
    """struct membw_env."""
    _fields_ = [("size", c_uint32), ("reserved", c_uint32), ("ctx", c_void_p),
                ("throttle", CPU_FN), ("unthrottle", CPU_FN), ("kick_all", CPU_FN),
                ("trace", TRACE_FN)]


class ChannelStats(Structure):
    """struct membw_channel_stats."""
    _fields_ = [(n, c_uint64) for n in ("used", "budget", "allowance", "donated", "reclaimed",
                                        "borrowed", "overshoot", "shortfall")]


class Totals(Structure):
    """struct membw_totals."""
    _fields_ = [(n, c_uint64) for n in ("periods", "missed_periods", "throttle_count",
                                        "throttled_ns", "spurious_overflows", "early_ticks",
                                        "anomalies")] + [("ch", ChannelStats * NCHANNELS)]


class CpuStats(Structure):
    """struct membw_cpu_stats."""
    _fields_ = [("size", c_uint32), ("domain", c_uint32), ("reserved", c_uint32),
                ("state", c_uint32), ("epoch", c_uint64), ("totals", Totals)]


class DomainStats(Structure):
    """struct membw_domain_stats."""
    _fields_ = [("size", c_uint32), ("ncpus", c_uint32), ("nonline", c_uint32),
                ("reserved", c_uint32), ("budget_bps", c_uint64 * NCHANNELS),
                ("budget_events", c_uint64 * NCHANNELS), ("totals", Totals)]


class MemtalkRegs(Structure):
    """struct membw_memtalk_regs."""
    _fields_ = [("r", c_uint64 * MEMTALK_NREGS)]


class VmLimits(Structure):
    """struct membw_memtalk_vm_limits."""
    _fields_ = [("domain", c_uint32), ("reserved", c_uint32),
                ("cap_bps", c_uint64 * NCHANNELS), ("floor_bps", c_uint64 * NCHANNELS)]


class HostConfig(Structure):
    """struct membw_memtalk_host_config."""
    _fields_ = [("size", c_uint32), ("nvms", c_uint32), ("base", c_uint32), ("flags", c_uint32),
                ("min_interval_ns", c_uint64), ("burst", c_uint32), ("reserved", c_uint32)]


class SimCoreResult(Structure):
    """struct membw_sim_core_result (bindings/simlib/membw_sim.h)."""
    _fields_ = [("size", c_uint32), ("regulated", c_uint32), ("name", c_char * SIM_NAME_MAX),
                ("budget_bps", c_uint64 * NCHANNELS), ("bytes", c_uint64 * NCHANNELS)] + \
        [(n, c_uint64) for n in ("duration_ns", "work_ns", "solo_work_ns", "throttled_ns",
                                 "max_overshoot_bytes", "periods", "throttle_count")]


P = c_void_p
U32, U64 = c_uint32, c_uint64
PU64 = POINTER(c_uint64)
PREGS = POINTER(MemtalkRegs)
# name: (restype, argtypes)
_CORE = {
    "membw_strerror": (c_char_p, [c_int]),
    "membw_version": (c_char_p, []),
    "membw_version_number": (U32, []),
    "membw_parse_rate": (c_int, [c_char_p, PU64, POINTER(c_char_p)]),
    "membw_parse_duration": (c_int, [c_char_p, PU64, POINTER(c_char_p)]),
    "membw_format_rate": (c_int, [c_char_p, c_size_t, U64]),
    "membw_format_duration": (c_int, [c_char_p, c_size_t, U64]),
    "membw_config_init": (None, [POINTER(Config)]),
    "membw_storage_size": (c_size_t, [U32, U32, U32]),
    "membw_init": (c_int, [POINTER(P), P, c_size_t, POINTER(Config), POINTER(Backend), P,
                           POINTER(Env)]),
    "membw_bps_to_events": (c_int, [U64, U64, U32, PU64]),
    "membw_domain_set_budget": (c_int, [P, U32, U64, U64]),
    "membw_domain_get_budget": (c_int, [P, U32, PU64, PU64]),
    "membw_cpu_set_domain": (c_int, [P, U32, U32]),
    "membw_set_sharing": (c_int, [P, c_int]),
    "membw_set_reclaim": (c_int, [P, c_bool]),
    "membw_get_config": (c_int, [P, POINTER(Config)]),
    "membw_get_backend_info": (c_int, [P, POINTER(BackendInfo)]),
    "membw_cpu_online": (c_int, [P, U32, U64, PU64]),
    "membw_cpu_offline": (c_int, [P, U32, U64]),
    "membw_tick": (c_int, [P, U32, U64, PU64]),
    "membw_overflow": (c_int, [P, U32, U64]),
    "membw_overflow_channels": (c_int, [P, U32, U64, U32]),
    "membw_kick": (c_int, [P, U32, U64, PU64]),
    "membw_cpu_get_stats": (c_int, [P, U32, POINTER(CpuStats)]),
    "membw_domain_get_stats": (c_int, [P, U32, POINTER(DomainStats)]),
    "membw_memtalk_encode_version": (None, [PREGS, U32]),
    "membw_memtalk_encode_set_budget": (None, [PREGS, U32, U64, U64]),
    "membw_memtalk_encode_get_budget": (None, [PREGS, U32, U32]),
    "membw_memtalk_encode_get_stats": (None, [PREGS, U32, U32]),
    "membw_memtalk_status_to_errno": (c_int, [U64]),
    "membw_memtalk_host_size": (c_size_t, [U32]),
    "membw_memtalk_host_init": (c_int, [POINTER(P), P, c_size_t, P, POINTER(HostConfig),
                                        POINTER(VmLimits)]),
    "membw_memtalk_host_set_limits": (c_int, [P, U32, POINTER(VmLimits)]),
    "membw_memtalk_host_get_limits": (c_int, [P, U32, POINTER(VmLimits)]),
    "membw_memtalk_host_reset_vm": (c_int, [P, U32]),
    "membw_memtalk_host_dispatch": (c_int, [P, U32, PREGS, U64]),
}
_SIM = {
    "membw_sim_load_file": (c_int, [POINTER(P), c_char_p, c_char_p, c_size_t]),
    "membw_sim_load_string": (c_int, [POINTER(P), c_char_p, c_char_p, c_char_p, c_char_p,
                                      c_size_t]),
    "membw_sim_ncores": (U32, [P]),
    "membw_sim_set_core_budget": (c_int, [P, U32, U64, U64]),
    "membw_sim_run": (c_int, [P, c_char_p, c_size_t]),
    "membw_sim_core_result": (c_int, [P, U32, U32, POINTER(SimCoreResult)]),
    "membw_sim_free": (None, [P]),
}

_loaded: dict = {}


def _load(env: str, soname: str, decls: dict, hint: str) -> Any:
    if soname in _loaded:
        return _loaded[soname]
    path = os.environ.get(env) or soname
    try:
        dll = ctypes.CDLL(path)
    except OSError as e:
        raise OSError("cannot load %s (%s): %s" % (path, e, hint)) from None
    for name, (res, args) in decls.items():
        fn = getattr(dll, name)
        fn.restype = res
        fn.argtypes = args
    _loaded[soname] = dll
    return dll


def lib() -> Any:
    """The loaded libmembw.so.0."""
    return _load("MEMBW_LIBRARY", "libmembw.so.0", _CORE,
                 "install libmembw (make install) or set MEMBW_LIBRARY to a build tree's "
                 "build/libmembw.so.0")


def simlib() -> Any:
    """The loaded libmembw-sim.so.0 (loads libmembw.so.0 first, which it depends on)."""
    lib()
    return _load("MEMBW_SIM_LIBRARY", "libmembw-sim.so.0", _SIM,
                 "build it with `make python-libs` and set MEMBW_SIM_LIBRARY to "
                 "build/libmembw-sim.so.0")


def library_path(handle: Optional[Any] = None) -> str:
    """The file the loaded libmembw came from (for messages)."""
    return str((handle or lib())._name)
