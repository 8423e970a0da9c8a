# SPDX-License-Identifier: MIT
"""memtalk from Python: encoders against the SMC Calling Convention's ID layout (bit 31 fast,
bit 30 SMC64, bits 29:24 the owning entity number, 6 for vendor hypervisor services) and the
registers docs/memtalk.md section 3 specifies, and the host dispatcher over a real policy."""
import pytest

import membw
from membw import errors, memtalk
from membw.memtalk import Host, MemtalkError, VmLimits
from membw.policy import Counters, Policy

SMCCC_FAST_SMC64_OEN6 = (1 << 31) | (1 << 30) | (6 << 24)
MAGIC = int.from_bytes(b"MEMTALK\0", "big")


def test_function_ids_and_encoders() -> None:
    assert memtalk.encode_version() == (SMCCC_FAST_SMC64_OEN6 | 0, 0, 0, 0, 0)
    assert memtalk.encode_set_budget("500MB/s", "200MB/s") == \
        (SMCCC_FAST_SMC64_OEN6 | 1, 1, 500 * 10**6, 200 * 10**6, 0)
    assert memtalk.encode_get_budget(1, base=128) == (SMCCC_FAST_SMC64_OEN6 | 130, 1, 1, 0, 0)
    assert memtalk.encode_get_stats(2) == (SMCCC_FAST_SMC64_OEN6 | 3, 1, 2, 0, 0)
    assert memtalk.fid(3, base=16) == SMCCC_FAST_SMC64_OEN6 | 19
    assert memtalk.MAGIC == MAGIC


@pytest.mark.parametrize("status,code", [
    (0, 0), (-1, -errors.EOPNOTSUPP), (-3, -errors.EINVAL), (-4, -errors.ENODEV),
    (-5, -errors.EPERM), (-6, -errors.ERANGE), (-7, -errors.EAGAIN), (-8, -errors.EAGAIN),
    (-9, -errors.EIO), (42, -errors.EIO)])
def test_status_decoder(status: int, code: int) -> None:
    assert memtalk.status_to_errno(status) == code
    assert memtalk.status_to_errno(status & (2**64 - 1)) == code, "as the register holds it"


@pytest.fixture
def host() -> Host:
    p = Policy(2, Counters(), ndomains=1)
    p.set_budget(0, "100MB/s", "100MB/s")
    p.cpu_set_domain(0, 0)
    p.cpu_set_domain(1, 0)
    return Host(p, [VmLimits(domain=0, cap=("1GB/s", "1GB/s"), floor=("10MB/s", 0)),
                    VmLimits()])


def test_version(host: Host) -> None:
    r = host.dispatch(0, memtalk.encode_version())
    assert r == (0, 1 << 16, MAGIC, 0xF, 0)
    assert host.dispatch(1, memtalk.encode_version())[0] == 0, "answered for an unregulated VM"


def test_set_and_get_budget(host: Host) -> None:
    r = host.dispatch(0, memtalk.encode_set_budget("500MB/s", "200MB/s"))
    assert r is not None and memtalk.signed(r[0]) == memtalk.OK
    assert r[1:3] == (500 * 10**6, 200 * 10**6)
    assert host.policy.get_budget(0) == (500 * 10**6, 200 * 10**6), "the policy changed"
    r = host.dispatch(0, memtalk.encode_get_budget(0))
    assert r == (0, 500 * 10**6, 10**9, 10**7, 0), "budget, cap, floor"


def test_refusals_change_nothing(host: Host) -> None:
    r = host.dispatch(0, memtalk.encode_set_budget("2GB/s", "100MB/s"))
    assert memtalk.signed(r[0]) == memtalk.DENIED
    with pytest.raises(MemtalkError) as e:
        memtalk.check_status(r[0])
    assert e.value.status == memtalk.DENIED and e.value.code == errors.EPERM
    assert "DENIED" in str(e.value)
    r = host.dispatch(0, memtalk.encode_set_budget("1MB/s", "100MB/s"))
    assert memtalk.signed(r[0]) == memtalk.DENIED, "under the floor"
    r = host.dispatch(1, memtalk.encode_set_budget("1MB/s"))
    assert memtalk.signed(r[0]) == memtalk.DENIED, "VM 1 is not regulated"
    bad_ctl = list(memtalk.encode_set_budget("500MB/s"))
    bad_ctl[1] = 2
    r = host.dispatch(0, bad_ctl)
    assert memtalk.signed(r[0]) == memtalk.BAD_VERSION
    assert host.policy.get_budget(0) == (100 * 10**6, 100 * 10**6)


def test_not_memtalk_and_bad_vm(host: Host) -> None:
    assert host.dispatch(0, (0x84000000, 0, 0, 0, 0)) is None, "PSCI's range is not ours"
    with pytest.raises(membw.MembwError) as e:
        host.dispatch(2, memtalk.encode_version())
    assert e.value.code == errors.EINVAL
    with pytest.raises(ValueError):
        host.dispatch(0, (1, 2))


def test_limits_and_rate_limit() -> None:
    p = Policy(1, Counters(), ndomains=1)
    p.set_budget(0, "100MB/s")
    p.cpu_set_domain(0, 0)
    h = Host(p, [VmLimits(domain=0)], min_interval_ns=10**6, burst=1)
    assert h.dispatch(0, memtalk.encode_set_budget("200MB/s"), now_ns=0)[0] == 0
    r = h.dispatch(0, memtalk.encode_set_budget("300MB/s"), now_ns=1000)
    assert memtalk.signed(r[0]) == memtalk.RATE_LIMITED and r[1] == 10**6 - 1000, "wait in ns"
    h.set_limits(0, VmLimits(domain=0, cap=("150MB/s", "unlimited")))
    assert p.get_budget(0)[0] == 150 * 10**6, "lowered to the new cap"
    assert h.get_limits(0).cap == (150 * 10**6, membw.UNLIMITED)
    h.reset_vm(0)
    with pytest.raises(membw.MembwError) as e:
        Host(p, [VmLimits(domain=0), VmLimits(domain=0)])
    assert e.value.code == errors.EINVAL, "two VMs never share a domain"
