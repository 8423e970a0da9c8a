# SPDX-License-Identifier: MIT
"""The policy core driven from Python through a counter backend written in Python.

Budget arithmetic from the definitions: 64 MB/s for 1 ms at 64-byte lines is
64e6 * 1e-3 / 64 = 1000 lines per period."""
from typing import List, Tuple

import pytest

import membw
from membw import errors
from membw.policy import (CH_READ, CH_WRITE, CPU_ONLINE, CPU_REGULATED, CPU_THROTTLED, NO_DOMAIN,
                          SHARE_SPARE, Backend, Counters, Policy, TraceRecord)

MS = 1_000_000


def one_cpu(budget: str = "64MB/s", **kw) -> Tuple[Policy, Counters]:  # type: ignore[no-untyped-def]
    c = Counters()
    p = Policy(ncpus=1, ndomains=1, backend=c, **kw)
    p.set_budget(0, budget)
    p.cpu_set_domain(0, 0)
    assert p.cpu_online(0, now_ns=0) == MS
    return p, c


def test_budget_in_events() -> None:
    p, _ = one_cpu()
    assert p.bps_to_events("64MB/s") == 1000
    assert p.get_budget(0) == (64 * 10**6, membw.UNLIMITED)
    d = p.domain_stats(0)
    assert d.budget_events[CH_READ] == 1000 and d.ncpus == 1 and d.nonline == 1


def test_throttle_at_budget_and_release_at_period() -> None:
    """The counter is armed for 1000 lines; the 1000th overflows it; the overflow throttles; the
    next period's tick releases."""
    events: List[str] = []
    c = Counters()
    p = Policy(1, c, ndomains=1, on_throttle=lambda cpu: events.append("throttle %d" % cpu),
               on_unthrottle=lambda cpu: events.append("unthrottle %d" % cpu))
    p.set_budget(0, "64MB/s")
    p.cpu_set_domain(0, 0)
    p.cpu_online(0, 0)
    assert c.read(0, CH_READ) == 2**32 - 1000, "arm(1000) presets 2^32 - 1000"
    assert not c.add(0, CH_READ, 999)
    assert c.add(0, CH_READ, 1), "the 1000th line wraps the counter"
    assert c.take_overflow(0)
    p.overflow(0, now_ns=MS // 2)
    assert p.is_throttled(0) and events == ["throttle 0"]
    s = p.cpu_stats(0)
    assert s.state & (CPU_ONLINE | CPU_REGULATED | CPU_THROTTLED) == 7
    assert s.totals.throttle_count == 1
    assert p.tick(0, now_ns=MS) == 2 * MS
    assert not p.is_throttled(0) and events[-1] == "unthrottle 0"
    s = p.cpu_stats(0)
    assert s.totals.read.used == 1000 and s.totals.periods == 1
    assert s.totals.throttled_ns == MS // 2


def test_under_budget_is_never_throttled() -> None:
    p, c = one_cpu()
    for period in range(1, 6):
        assert not c.add(0, CH_READ, 999)
        p.tick(0, period * MS)
    assert not p.is_throttled(0)
    assert p.cpu_stats(0).totals.read.used == 5 * 999


def test_spurious_overflow_counted() -> None:
    p, c = one_cpu()
    c.add(0, CH_READ, 10)
    p.overflow(0, 100)
    assert not p.is_throttled(0)
    assert p.cpu_stats(0).totals.spurious_overflows == 1


def test_trace_records() -> None:
    recs: List[TraceRecord] = []
    p, c = one_cpu(on_trace=recs.append)
    c.add(0, CH_READ, 1000)
    p.overflow(0, 10)
    kinds = [r.kind for r in recs]
    assert "throttle" in kinds
    t = recs[kinds.index("throttle")]
    assert t.cpu == 0 and t.channel == CH_READ and t.used == 1000 and t.allowance == 1000


def test_realtime_cpu_counted_not_throttled() -> None:
    c = Counters()
    p = Policy(2, c, ndomains=1)
    p.set_budget(0, "64MB/s")
    p.cpu_set_domain(1, 0)
    p.cpu_online(0, 0)
    p.cpu_online(1, 0)
    c.add(0, CH_READ, 10**6)
    p.overflow(0, 10)
    assert not p.is_throttled(0)
    assert p.cpu_stats(0).domain == NO_DOMAIN


def test_spare_sharing_asks_for_kicks() -> None:
    c = Counters()
    p = Policy(1, c, ndomains=1, sharing=SHARE_SPARE)
    p.set_budget(0, "64MB/s")
    p.cpu_set_domain(0, 0)
    p.cpu_online(0, 0)
    c.add(0, CH_READ, 1000)
    p.overflow(0, 10)
    assert p.kicks == 1, "every regulated CPU throttled: the policy asks for a kick"
    p.kick(0, 20)
    assert not p.is_throttled(0), "spare sharing releases"


def test_errors_are_exceptions_with_code() -> None:
    p, _ = one_cpu()
    with pytest.raises(membw.MembwError) as e:
        p.set_budget(5, "1GB/s")
    assert e.value.code == errors.EINVAL and e.value.function == "membw_domain_set_budget"
    with pytest.raises(membw.MembwError) as e:
        p.set_budget(0, "1B/s")  # under one line per period
    assert e.value.code == errors.ERANGE
    assert p.get_budget(0) == (64 * 10**6, membw.UNLIMITED), "a refused change changes nothing"
    with pytest.raises(membw.MembwError) as e:
        Policy(1, Counters(), period="10us")
    assert e.value.code == errors.EINVAL
    with pytest.raises(membw.MembwError) as e:
        Policy(0, Counters())
    assert e.value.code == errors.EINVAL


class Absent(Backend):
    """A backend whose counters are not there."""

    def probe(self) -> None:
        raise membw.MembwError(errors.ENODEV, "probe")


class Broken(Counters):
    """A backend whose read raises a Python error."""

    def read(self, cpu: int, channel: int) -> int:
        raise ZeroDivisionError("bug in the backend")


def test_backend_errors() -> None:
    with pytest.raises(membw.MembwError) as e:
        Policy(1, Absent())
    assert e.value.code == errors.ENODEV, "the probe's code reaches the caller"
    b = Broken()
    p = Policy(1, b, ndomains=1)
    p.set_budget(0, "64MB/s")
    p.cpu_set_domain(0, 0)
    p.cpu_online(0, 0)
    with pytest.raises(ZeroDivisionError):
        p.overflow(0, 10)
    assert not p.is_throttled(0), "a failing backend leaves the CPU running"
    assert p.cpu_stats(0).totals.anomalies >= 1


def test_one_channel_backend_refuses_write_budget() -> None:
    p = Policy(1, Counters(channels=1), ndomains=1)
    with pytest.raises(membw.MembwError) as e:
        p.set_budget(0, "64MB/s", "64MB/s")
    assert e.value.code == errors.EOPNOTSUPP
    p.set_budget(0, "64MB/s")
    assert CH_WRITE == 1
