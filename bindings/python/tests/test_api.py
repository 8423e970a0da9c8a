# SPDX-License-Identifier: MIT
"""The package itself: its ctypes declarations match the C compiler's view of the headers
(bindings/abi/layout.c), every public name has a docstring, the versions agree."""
import ctypes
import inspect
from dataclasses import is_dataclass
import os
import pathlib
import subprocess
from typing import Dict

import pytest

import membw
from membw import _lib, agent, errors, memtalk, policy, sim, units

STRUCTS = {"membw_config": _lib.Config, "membw_backend_info": _lib.BackendInfo,
           "membw_counter_setup": _lib.CounterSetup, "membw_backend": _lib.Backend,
           "membw_direct_reader": _lib.DirectReader,
           "membw_trace_record": _lib.TraceRecord, "membw_env": _lib.Env,
           "membw_channel_stats": _lib.ChannelStats, "membw_totals": _lib.Totals,
           "membw_cpu_stats": _lib.CpuStats, "membw_domain_stats": _lib.DomainStats,
           "membw_memtalk_regs": _lib.MemtalkRegs, "membw_memtalk_vm_limits": _lib.VmLimits,
           "membw_memtalk_host_config": _lib.HostConfig,
           "membw_sim_core_result": _lib.SimCoreResult}
CONSTS = {"MEMBW_CH_READ": policy.CH_READ, "MEMBW_CH_WRITE": policy.CH_WRITE,
          "MEMBW_NO_DOMAIN": policy.NO_DOMAIN, "MEMBW_UNLIMITED": units.UNLIMITED,
          "MEMBW_FORMAT_MAX": units.FORMAT_MAX, "MEMBW_PERIOD_MIN_NS": policy.PERIOD_MIN_NS,
          "MEMBW_PERIOD_MAX_NS": policy.PERIOD_MAX_NS, "MEMBW_SHARE_NONE": policy.SHARE_NONE,
          "MEMBW_SHARE_SPARE": policy.SHARE_SPARE,
          "MEMBW_SHARE_PROPORTIONAL": policy.SHARE_PROPORTIONAL,
          "MEMBW_COUNT_USER": policy.COUNT_USER, "MEMBW_COUNT_KERNEL": policy.COUNT_KERNEL,
          "MEMBW_COUNT_HYP": policy.COUNT_HYP, "MEMBW_COUNT_ALL": policy.COUNT_ALL,
          "MEMBW_CPU_ONLINE": policy.CPU_ONLINE, "MEMBW_CPU_REGULATED": policy.CPU_REGULATED,
          "MEMBW_CPU_THROTTLED": policy.CPU_THROTTLED, "MEMBW_CPU_RELEASED": policy.CPU_RELEASED,
          "MEMBW_CH_READ_BIT": policy.CH_READ_BIT, "MEMBW_CH_WRITE_BIT": policy.CH_WRITE_BIT,
          "MEMBW_MEMTALK_FID_PREFIX": memtalk.FID_PREFIX,
          "MEMBW_MEMTALK_FN_VERSION": memtalk.FN_VERSION,
          "MEMBW_MEMTALK_FN_SET_BUDGET": memtalk.FN_SET_BUDGET,
          "MEMBW_MEMTALK_FN_GET_BUDGET": memtalk.FN_GET_BUDGET,
          "MEMBW_MEMTALK_FN_GET_STATS": memtalk.FN_GET_STATS, "MEMBW_MEMTALK_MAGIC": memtalk.MAGIC,
          "MEMBW_MEMTALK_CTL_V1": memtalk.CTL_V1, "MEMBW_MEMTALK_OK": memtalk.OK,
          "MEMBW_MEMTALK_NOT_SUPPORTED": memtalk.NOT_SUPPORTED,
          "MEMBW_MEMTALK_INVALID_PARAMETER": memtalk.INVALID_PARAMETER,
          "MEMBW_MEMTALK_BAD_VERSION": memtalk.BAD_VERSION, "MEMBW_MEMTALK_DENIED": memtalk.DENIED,
          "MEMBW_MEMTALK_RANGE": memtalk.RANGE, "MEMBW_MEMTALK_RATE_LIMITED": memtalk.RATE_LIMITED,
          "MEMBW_MEMTALK_BUSY": memtalk.BUSY, "MEMBW_MEMTALK_HOST_ERROR": memtalk.HOST_ERROR,
          "MEMBW_MEMTALK_STATS_PAGES": memtalk.STATS_PAGES,
          "MEMBW_MEMTALK_HOST_OWNS_RANGE": memtalk.HOST_OWNS_RANGE,
          "MEMBW_MEMTALK_MAX_VMS": memtalk.MAX_VMS, "MEMBW_SIM_NVARIANTS": len(sim.VARIANTS),
          "MEMBW_SIM_NAME_MAX": _lib.SIM_NAME_MAX, "MEMBW_NCHANNELS": _lib.NCHANNELS,
          "MEMBW_MEMTALK_NREGS": _lib.MEMTALK_NREGS, "MEMBW_EPERM": errors.EPERM,
          "MEMBW_ENOENT": errors.ENOENT, "MEMBW_EIO": errors.EIO, "MEMBW_EAGAIN": errors.EAGAIN,
          "MEMBW_EBUSY": errors.EBUSY, "MEMBW_ENODEV": errors.ENODEV,
          "MEMBW_EINVAL": errors.EINVAL, "MEMBW_ENOSPC": errors.ENOSPC,
          "MEMBW_ERANGE": errors.ERANGE, "MEMBW_EOPNOTSUPP": errors.EOPNOTSUPP}


def test_struct_layout(c_view: Dict[str, int]) -> None:
    checked = 0
    for cname, py in STRUCTS.items():
        assert ctypes.sizeof(py) == c_view["size " + cname], cname
        assert ctypes.alignment(py) == c_view["align " + cname], cname
        for f, _ in py._fields_:
            key = "offset %s.%s" % (cname, f)
            if key in c_view:
                assert getattr(py, f).offset == c_view[key], key
                checked += 1
    assert checked >= 60


def test_constants(c_view: Dict[str, int]) -> None:
    for name, value in CONSTS.items():
        assert value % 2**64 == c_view["const " + name], name
    for value, kind in policy.TRACE_TYPES.items():
        assert c_view["const MEMBW_TRACE_" + kind.upper()] == value, kind
    missing = [k for k in c_view if k.startswith("const ") and k[6:] not in CONSTS
               and k[6:] not in ("MEMBW_MAX_CPUS", "MEMBW_MAX_DOMAINS", "MEMBW_BACKEND_ABI_VERSION",
                                 "MEMBW_MAX_EVENTS_PER_PERIOD", "MEMBW_PERIOD_DEFAULT_NS",
                                 "MEMBW_CAP_LINE_SIZE_PROBED", "MEMBW_CAP_LATE_OVERFLOW",
                                 "MEMBW_CAP_GENERIC_EVENTS", "MEMBW_STORAGE_ALIGN",
                                 "MEMBW_MEMTALK_ALIGN", "MEMBW_MEMTALK_BASE_AUTO")
               and not k.startswith(("const MEMBW_TRACE_", "const MEMBW_AGENT_"))]
    assert not missing


def _public(module: object) -> list:
    return [(module.__name__ + "." + n, getattr(module, n)) for n in module.__all__]  # type: ignore


def test_docstrings() -> None:
    """Every public name, and every public method and property of a public class, is documented
    by its own docstring (not one inherited from object or int)."""
    undocumented = []
    for mod in (membw, units, errors, policy, memtalk, sim, agent):
        assert mod.__doc__, mod.__name__
        for name, obj in _public(mod):
            if inspect.ismodule(obj):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                if not inspect.getdoc(obj) or obj.__doc__ is None:
                    undocumented.append(name)
                if inspect.isclass(obj):
                    for m, attr in vars(obj).items():
                        if m.startswith("_") and (m != "__init__" or is_dataclass(obj)):
                            continue  # a dataclass's fields are in its class docstring
                        if callable(attr) or isinstance(attr, property):
                            if not getattr(attr, "__doc__", None):
                                undocumented.append(name + "." + m)
    # constants: documented by the string literal after them in the source
    for mod in (units, errors, policy, memtalk, sim, agent):
        text = inspect.getsource(mod)
        for name, obj in _public(mod):
            short = name.rsplit(".", 1)[1]
            if isinstance(obj, (int, str, tuple, dict)) and not short.startswith("__"):
                line = [ln for ln in text.splitlines() if ln.startswith(short + " =")]
                if line:
                    after = text.split(line[0], 1)[1]
                    if '\n"""' not in after[:400]:
                        undocumented.append(name)
    assert not undocumented


def test_versions_agree(srcdir: pathlib.Path) -> None:
    header = (srcdir / "include" / "membw" / "version.h").read_text()
    version = header.split('#define MEMBW_VERSION "', 1)[1].split('"', 1)[0]
    assert membw.library_version() == version == membw.__version__
    assert 'version = "%s"' % version in (pathlib.Path(__file__).parents[1] /
                                         "pyproject.toml").read_text()


def test_library_from_environment() -> None:
    """make check sets MEMBW_LIBRARY to the build tree's library; that is the one loaded."""
    if "MEMBW_LIBRARY" not in os.environ:
        pytest.skip("MEMBW_LIBRARY not set")
    assert _lib.library_path() == os.environ["MEMBW_LIBRARY"]


def test_missing_library_says_what_to_do(scratch: pathlib.Path) -> None:
    code = ("import sys; sys.path.insert(0, %r)\nimport membw\ntry:\n membw.parse_rate('1')\n"
            "except OSError as e:\n print(e)\n" % str(pathlib.Path(membw.__file__).parents[1]))
    env = dict(os.environ, MEMBW_LIBRARY=str(scratch / "nope.so.0"))
    out = subprocess.run(["/usr/bin/python3", "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert "MEMBW_LIBRARY" in out and "nope.so.0" in out
