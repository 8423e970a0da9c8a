# SPDX-License-Identifier: MIT
"""membw: Python binding of libmembw, the memory-bandwidth regulator (ctypes, standard library).

- :mod:`membw.units`: rates and durations, parsed and printed by the library;
- :mod:`membw.policy`: the policy core, driven from Python with a counter backend in Python;
- :mod:`membw.sim`: the simulator (scenario files or scenarios built in Python);
- :mod:`membw.memtalk`: memtalk's encoders and the host dispatcher;
- :mod:`membw.agent`: the guest-agent API (``membw.set_budget("500MB/s")`` in a VM);
- :mod:`membw.errors`: :class:`MembwError`, raised by every failing call.

The library is the installed ``libmembw.so.0``, or the file named by ``MEMBW_LIBRARY``
(a build tree's build/libmembw.so.0); docs/python.md has the details.
"""
from . import agent, errors, memtalk, policy, sim, units
from .agent import AgentError, get_budget, get_stats, set_budget
from .errors import MembwError, strerror
from .memtalk import Host, MemtalkError, VmLimits
from .policy import (CH_READ, CH_WRITE, NO_DOMAIN, SHARE_NONE, SHARE_PROPORTIONAL, SHARE_SPARE,
                     Backend, Counters, CpuStats, DomainStats, Policy, TraceRecord)
from .sim import Core, Domain, Phase, Scenario, Simulation
from .units import (UNLIMITED, format_duration, format_rate, parse_duration, parse_rate)

__version__ = "0.1.0"
"""This package's version; :func:`library_version` is the loaded library's."""


def library_version() -> str:
    """The version of the libmembw.so actually loaded ("MAJOR.MINOR.PATCH")."""
    from . import _lib
    return _lib.lib().membw_version().decode()


__all__ = [
    "agent", "AgentError", "set_budget", "get_budget", "get_stats", "errors", "memtalk",
    "policy", "sim", "units", "MembwError", "strerror", "Host",
    "MemtalkError", "VmLimits", "CH_READ", "CH_WRITE", "NO_DOMAIN", "SHARE_NONE",
    "SHARE_PROPORTIONAL", "SHARE_SPARE", "Backend", "Counters", "CpuStats", "DomainStats",
    "Policy", "TraceRecord", "Core", "Domain", "Phase", "Scenario", "Simulation", "UNLIMITED",
    "format_duration", "format_rate", "parse_duration", "parse_rate", "library_version",
    "__version__"]
