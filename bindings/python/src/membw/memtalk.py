# SPDX-License-Identifier: MIT
"""memtalk, the guest-to-hypervisor bandwidth call (include/membw/memtalk_*.h, docs/memtalk.md).

A call is five 64-bit registers: ``r[0]`` the function ID in, the status out; ``r[1..4]``
arguments; results in ``r[1..3]``. The encoders return such a register tuple; :class:`Host` is the
hypervisor's dispatcher over a :class:`membw.Policy`, for hypervisor authors' test scripts::

    host = Host(policy, [VmLimits(domain=0, cap=("1GB/s", "1GB/s"))])
    answer = host.dispatch(0, encode_set_budget("500MB/s", "200MB/s"), now_ns=0)
    check_status(answer[0])                  # raises MemtalkError on a refusal
"""
import ctypes
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from . import _lib
from .errors import EINVAL, ENOENT, MembwError, check
from .policy import NO_DOMAIN, Policy
from .units import UNLIMITED, RateLike, rate

Regs = Tuple[int, int, int, int, int]
"""The five registers of a call (Arm X0..X4; x86 RAX, RBX, RCX, RDX, RSI)."""

FN_VERSION = 0
"""Function number of VERSION (discovery, no side effects)."""
FN_SET_BUDGET = 1
"""Function number of SET_BUDGET."""
FN_GET_BUDGET = 2
"""Function number of GET_BUDGET."""
FN_GET_STATS = 3
"""Function number of GET_STATS."""
OK = 0
"""Status: done."""
NOT_SUPPORTED = -1
"""Status: unknown function."""
INVALID_PARAMETER = -3
"""Status: a reserved bit or register is not 0, or a selector is out of range."""
BAD_VERSION = -4
"""Status: the control word names another ABI major version."""
DENIED = -5
"""Status: outside the VM's floor..cap, or the VM is not regulated."""
RANGE = -6
"""Status: the host cannot enforce the value."""
RATE_LIMITED = -7
"""Status: faster than the host allows; ``r[1]`` is the wait in nanoseconds."""
BUSY = -8
"""Status: another call of this VM or a host-side change is in progress."""
HOST_ERROR = -9
"""Status: the host policy failed; ``r[1]`` is its errno value."""
STATUS_NAMES = {OK: "OK", NOT_SUPPORTED: "NOT_SUPPORTED", INVALID_PARAMETER: "INVALID_PARAMETER",
                BAD_VERSION: "BAD_VERSION", DENIED: "DENIED", RANGE: "RANGE",
                RATE_LIMITED: "RATE_LIMITED", BUSY: "BUSY", HOST_ERROR: "HOST_ERROR"}
"""Status names by value."""
MAGIC = 0x4D454D54414C4B00
"""VERSION's ``r[2]``: "MEMTALK" in ASCII."""
CTL_V1 = 1
"""The control word (``r[1]``) a v1 guest sends."""
FID_PREFIX = 0xC6000000
"""Function IDs are this prefix ORed with ``base + n``."""
STATS_PAGES = 4
"""GET_STATS pages in v1: snapshot, time, read, write."""
HOST_OWNS_RANGE = 1
"""Host flag: memtalk owns the whole vendor-specific hypervisor range."""
MAX_VMS = 4096
"""Most VMs one host serves."""

_MASK = (1 << 64) - 1


def fid(n: int, base: int = 0) -> int:
    """Function ID of function number ``n`` at ``base``."""
    return FID_PREFIX | ((base + n) & 0xFFFF)


def signed(status: int) -> int:
    """``r[0]`` as the signed 64-bit status it is."""
    status &= _MASK
    return status - (1 << 64) if status >> 63 else status


def _regs(fill_name: str, *args: int) -> Regs:
    regs = _lib.MemtalkRegs()
    getattr(_lib.lib(), fill_name)(ctypes.byref(regs), *args)
    return tuple(regs.r)  # type: ignore[return-value]


def encode_version(base: int = 0) -> Regs:
    """Registers of a VERSION call."""
    return _regs("membw_memtalk_encode_version", base)


def encode_set_budget(read: RateLike, write: RateLike = UNLIMITED, base: int = 0) -> Regs:
    """Registers of SET_BUDGET: this VM's read and write budgets (bytes/s or rate strings)."""
    return _regs("membw_memtalk_encode_set_budget", base, rate(read), rate(write))


def encode_get_budget(channel: int, base: int = 0) -> Regs:
    """Registers of GET_BUDGET of one channel (0 read, 1 write)."""
    return _regs("membw_memtalk_encode_get_budget", base, channel)


def encode_get_stats(page: int, base: int = 0) -> Regs:
    """Registers of GET_STATS of one page (0 .. :data:`STATS_PAGES` - 1)."""
    return _regs("membw_memtalk_encode_get_stats", base, page)


def status_to_errno(status: int) -> int:
    """The library's error code (0 or negative) for a call's ``r[0]``."""
    return int(_lib.lib().membw_memtalk_status_to_errno(status & _MASK))


class MemtalkError(MembwError):
    """A memtalk call was refused: ``status`` is the memtalk status (DENIED ...), ``code`` the
    library's error code it maps to."""

    def __init__(self, status: int) -> None:
        """The error for status ``status`` (``r[0]``, either signedness)."""
        self.status = signed(status)
        super().__init__(-status_to_errno(status), "memtalk",
                         STATUS_NAMES.get(self.status, "status %d" % self.status))


def check_status(status: int) -> None:
    """Raise :class:`MemtalkError` unless ``status`` (``r[0]``) is OK."""
    if signed(status) != OK:
        raise MemtalkError(status)


@dataclass
class VmLimits:
    """What the host allows one VM (struct membw_memtalk_vm_limits): its policy domain, and per
    channel (read, write) the highest and lowest budget it may ask for."""
    domain: int = NO_DOMAIN
    cap: Tuple[RateLike, RateLike] = (UNLIMITED, UNLIMITED)
    floor: Tuple[RateLike, RateLike] = (0, 0)

    def _c(self) -> _lib.VmLimits:
        c = _lib.VmLimits(domain=self.domain)
        for ch in range(2):
            c.cap_bps[ch], c.floor_bps[ch] = rate(self.cap[ch]), rate(self.floor[ch])
        return c


class Host:
    """The memtalk dispatcher of a hypervisor (membw_memtalk_host_*) over a :class:`Policy`,
    serving VMs 0 .. len(vms) - 1; its storage is owned by this object."""

    def __init__(self, policy: Policy, vms: Sequence[VmLimits], base: int = 0, flags: int = 0,
                 min_interval_ns: int = 0, burst: int = 1) -> None:
        """Create the host (membw_memtalk_host_init()); raises MembwError if it refuses."""
        L = _lib.lib()
        self.policy = policy
        """The policy the VMs' requests are applied to."""
        n = len(vms)
        size = L.membw_memtalk_host_size(n)
        if size == 0:
            raise MembwError(EINVAL, "membw_memtalk_host_size", "1 .. %d VMs, not %d" % (MAX_VMS, n))
        self._storage = ctypes.create_string_buffer(size + 64)
        base_addr = (ctypes.addressof(self._storage) + 63) & ~63
        cfg = _lib.HostConfig(size=ctypes.sizeof(_lib.HostConfig), nvms=n, base=base,
                              flags=flags, min_interval_ns=min_interval_ns, burst=burst)
        arr = (_lib.VmLimits * max(n, 1))(*[v._c() for v in vms])
        h = ctypes.c_void_p()
        check(L.membw_memtalk_host_init(ctypes.byref(h), base_addr, size, policy.handle,
                                        ctypes.byref(cfg), arr), "membw_memtalk_host_init")
        self._h = h

    def dispatch(self, vm: int, regs: Sequence[int], now_ns: int = 0) -> Optional[Regs]:
        """Answer one hypercall of ``vm``: the registers to give back to the guest (``r[4]``
        unchanged), or None if ``regs[0]`` is no memtalk function ID (the hypervisor answers
        it). Raises MembwError(EINVAL) for a ``vm`` out of range."""
        if len(regs) != 5:
            raise ValueError("a memtalk call has 5 registers, not %d" % len(regs))
        c = _lib.MemtalkRegs()
        for i, v in enumerate(regs):
            c.r[i] = v & _MASK
        ret = _lib.lib().membw_memtalk_host_dispatch(self._h, vm, ctypes.byref(c), now_ns)
        if ret == -ENOENT:
            return None
        check(ret, "membw_memtalk_host_dispatch")
        return tuple(c.r)  # type: ignore[return-value]

    def set_limits(self, vm: int, limits: VmLimits) -> None:
        """Change ``vm``'s limits (the administrator's path)."""
        c = limits._c()
        check(_lib.lib().membw_memtalk_host_set_limits(self._h, vm, ctypes.byref(c)),
              "membw_memtalk_host_set_limits")

    def get_limits(self, vm: int) -> VmLimits:
        """``vm``'s limits, rates in bytes/s."""
        c = _lib.VmLimits()
        check(_lib.lib().membw_memtalk_host_get_limits(self._h, vm, ctypes.byref(c)),
              "membw_memtalk_host_get_limits")
        return VmLimits(c.domain, (c.cap_bps[0], c.cap_bps[1]),
                        (c.floor_bps[0], c.floor_bps[1]))

    def reset_vm(self, vm: int) -> None:
        """Give ``vm``'s slot to a new tenant: statistics and rate-limit state start afresh."""
        check(_lib.lib().membw_memtalk_host_reset_vm(self._h, vm),
              "membw_memtalk_host_reset_vm")


__all__: List[str] = [
    "Regs", "Host", "VmLimits", "MemtalkError", "check_status", "status_to_errno", "signed",
    "fid", "encode_version", "encode_set_budget", "encode_get_budget", "encode_get_stats",
    "FN_VERSION", "FN_SET_BUDGET", "FN_GET_BUDGET", "FN_GET_STATS", "OK", "NOT_SUPPORTED",
    "INVALID_PARAMETER", "BAD_VERSION", "DENIED", "RANGE", "RATE_LIMITED", "BUSY", "HOST_ERROR",
    "STATUS_NAMES", "MAGIC", "CTL_V1", "FID_PREFIX", "STATS_PAGES", "HOST_OWNS_RANGE", "MAX_VMS"]
