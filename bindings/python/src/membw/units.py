# SPDX-License-Identifier: MIT
"""Rates ("500MB/s", "1.5GiB/s") and durations ("1ms", "250us"), parsed and printed by the library.

``MB`` is 10^6 bytes and ``MiB`` 2^20 (include/membw/units.h has the grammar). Every string
:func:`format_rate` or :func:`format_duration` writes parses back: ``parse_rate(format_rate(x))``
is ``x`` truncated to three significant digits, and ``format_rate(parse_rate(s))`` gives ``s``
again for any ``s`` that format_rate wrote.
"""
import ctypes
from typing import Union

from . import _lib
from .errors import check

UNLIMITED = (1 << 64) - 1
"""A rate meaning "no limit": counted, never throttled (MEMBW_UNLIMITED)."""

FORMAT_MAX = 24
"""Buffer size that holds any formatted rate or duration (MEMBW_FORMAT_MAX)."""

RateLike = Union[int, str]
"""A rate: bytes per second as an int, or text such as "500MB/s" or "unlimited"."""

DurationLike = Union[int, str]
"""A duration: nanoseconds as an int, or text such as "1ms"."""


def _parse(fn_name: str, text: str) -> int:
    out = ctypes.c_uint64()
    why = ctypes.c_char_p()
    ret = getattr(_lib.lib(), fn_name)(text.encode(), ctypes.byref(out), ctypes.byref(why))
    check(ret, fn_name, why.value.decode() if why.value else None)
    return out.value


def parse_rate(text: str) -> int:
    """Bytes per second of ``text`` ("500MB/s" -> 500000000; "unlimited" -> :data:`UNLIMITED`).

    Raises :class:`membw.MembwError` (EINVAL: malformed, ERANGE: too large or below 1 B/s) whose
    ``reason`` says what is wrong.
    """
    return _parse("membw_parse_rate", text)


def parse_duration(text: str) -> int:
    """Nanoseconds of ``text`` ("1ms" -> 1000000); a unit (ns, us, ms, s) is required.

    Raises :class:`membw.MembwError` as :func:`parse_rate` does.
    """
    return _parse("membw_parse_duration", text)


def _check_u64(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    if not 0 <= value <= UNLIMITED:
        raise ValueError("%s must be 0 .. 2^64 - 1, not %d" % (what, value))
    return value


def _format(fn_name: str, value: int) -> str:
    buf = ctypes.create_string_buffer(FORMAT_MAX)
    check(getattr(_lib.lib(), fn_name)(buf, FORMAT_MAX, _check_u64(value, "value")), fn_name)
    return buf.value.decode()


def format_rate(bps: int) -> str:
    """``bps`` as three significant digits and a decimal unit: "500 MB/s", "1.61 GB/s"."""
    return _format("membw_format_rate", bps)


def format_duration(ns: int) -> str:
    """``ns`` as three significant digits and a unit: "1 ms", "250 us", "2.5 s"."""
    return _format("membw_format_duration", ns)


def rate(value: RateLike) -> int:
    """Bytes per second of an int (checked to fit 64 bits) or of a rate string."""
    return parse_rate(value) if isinstance(value, str) else _check_u64(value, "rate")


def duration(value: DurationLike) -> int:
    """Nanoseconds of an int (checked to fit 64 bits) or of a duration string."""
    return parse_duration(value) if isinstance(value, str) else _check_u64(value, "duration")


__all__ = ["UNLIMITED", "FORMAT_MAX", "RateLike", "DurationLike", "parse_rate", "parse_duration",
           "format_rate", "format_duration", "rate", "duration"]
