# SPDX-License-Identifier: MIT
"""Rates and durations through the library: values from the unit definitions (10^6, 2^20), the
library's refusals as MembwError with code and reason, and the exact round trip."""
import pytest

import membw
from membw import errors, units


@pytest.mark.parametrize("text,bps", [
    ("500MB/s", 500 * 10**6), ("1.5GiB/s", 3 * 2**29), ("800M", 800 * 10**6), ("64", 64),
    ("1kB/s", 1000), ("1KiB", 1024), ("2EB/s", 2 * 10**18), ("0", 0), ("0.0MB/s", 0),
    ("unlimited", 2**64 - 1), (" 7 MB/s ", 7 * 10**6), ("1.000000001GB/s", 10**9 + 1)])
def test_parse_rate(text: str, bps: int) -> None:
    assert membw.parse_rate(text) == bps


@pytest.mark.parametrize("text,ns", [("1ms", 10**6), ("2s", 2 * 10**9), ("0.5ms", 500_000),
                                     ("250us", 250_000), ("17ns", 17), ("0s", 0)])
def test_parse_duration(text: str, ns: int) -> None:
    assert membw.parse_duration(text) == ns


@pytest.mark.parametrize("fn,text,code", [
    (membw.parse_rate, "-5MB/s", errors.EINVAL), (membw.parse_rate, "5 Mb/s", errors.EINVAL),
    (membw.parse_rate, "", errors.EINVAL), (membw.parse_rate, "0.5", errors.ERANGE),
    (membw.parse_rate, "20EB/s", errors.ERANGE), (membw.parse_duration, "5", errors.EINVAL),
    (membw.parse_duration, "0.5ns", errors.ERANGE)])
def test_refusals_carry_code_and_reason(fn, text: str, code: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(membw.MembwError) as e:
        fn(text)
    assert e.value.code == code
    assert e.value.message == membw.strerror(code) and e.value.message != "unknown error"
    assert e.value.reason, "the parser says why"
    assert e.value.reason in str(e.value) and e.value.name in str(e.value)


@pytest.mark.parametrize("bps,text", [(500 * 10**6, "500 MB/s"), (3 * 2**29, "1.61 GB/s"),
                                      (64, "64 B/s"), (2**64 - 1, "unlimited"),
                                      (999_999, "999 kB/s")])
def test_format_rate(bps: int, text: str) -> None:
    assert membw.format_rate(bps) == text


def test_format_duration() -> None:
    assert [membw.format_duration(n) for n in (10**6, 250_000, 25 * 10**8, 17, 3600 * 10**9)] \
        == ["1 ms", "250 us", "2.5 s", "17 ns", "3600 s"]


def _values():  # type: ignore[no-untyped-def]
    x = 1
    while x < 2**64 - 1:
        for m in (1, 3, 7, 9, 11, 99, 101, 999, 1001, 12345, 999999):
            if x * m < 2**64 - 1:
                yield x * m
        x *= 10
    yield 2**64 - 1
    yield 2**64 - 2
    yield 0


def test_round_trip_exact() -> None:
    """format writes three significant digits, truncated: parsing it back gives a value at most
    the input that formats to the same text, for rates and durations alike."""
    for v in _values():
        for fmt, parse in ((membw.format_rate, membw.parse_rate),
                           (membw.format_duration, membw.parse_duration)):
            text = fmt(v)
            back = parse(text)
            assert back <= v, (v, text, back)
            assert fmt(back) == text, (v, text, back)
            assert parse(fmt(back)) == back


def test_int_and_text_rates() -> None:
    assert units.rate("1GB/s") == units.rate(10**9) == 10**9
    with pytest.raises(ValueError):
        units.rate(-1)
    with pytest.raises(TypeError):
        units.rate(1.5)  # type: ignore[arg-type]
