# SPDX-License-Identifier: MIT
"""Errors: every failing libmembw call becomes a :class:`MembwError` carrying the library's code.

The codes are the library's (include/membw/errors.h): positive values, the same numbers Linux uses
for the errno names, so ``err.code == errno.EINVAL`` works too.
"""
from typing import Optional

from . import _lib

EPERM = 1
"""Operation not permitted (e.g. a guest asking above its cap)."""
ENOENT = 2
"""No such object (unknown domain, a file that cannot be read)."""
EIO = 5
"""The counter backend reported a failure."""
EAGAIN = 11
"""Try again later (rate limit, transient contention)."""
EBUSY = 16
"""The object is in use and cannot be changed now."""
ENODEV = 19
"""The hardware or the CPU is not there."""
EINVAL = 22
"""An argument is malformed or out of its documented range."""
ENOSPC = 28
"""The storage is too small."""
ERANGE = 34
"""A number is outside what can be represented or enforced."""
EOPNOTSUPP = 95
"""The backend or runtime lacks a feature this request needs."""

_NAMES = {EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EAGAIN: "EAGAIN", EBUSY: "EBUSY",
          ENODEV: "ENODEV", EINVAL: "EINVAL", ENOSPC: "ENOSPC", ERANGE: "ERANGE",
          EOPNOTSUPP: "EOPNOTSUPP"}


def strerror(code: int) -> str:
    """The library's short English text for an error code of either sign (membw_strerror())."""
    return _lib.lib().membw_strerror(int(code)).decode()


class MembwError(Exception):
    """A libmembw call failed.

    Attributes: ``code`` the positive error code (``EINVAL`` ...), ``name`` its symbol
    ("EINVAL"), ``message`` the library's text for it (membw_strerror()), ``function`` the C
    function that failed and ``reason`` a more precise explanation when the library gave one
    (the parsers' and the simulator's reasons), else None.
    """

    def __init__(self, code: int, function: str = "", reason: Optional[str] = None) -> None:
        """The error ``code`` (either sign) of C function ``function``, with ``reason``."""
        self.code = abs(int(code))
        self.name = _NAMES.get(self.code, "E%d" % self.code)
        self.message = strerror(self.code)
        self.function = function
        self.reason = reason
        text = self.message if reason is None else "%s: %s" % (self.message, reason)
        if function:
            text = "%s: %s" % (function, text)
        super().__init__("%s (%s)" % (text, self.name))


def check(ret: int, function: str, reason: Optional[str] = None) -> int:
    """Return ``ret`` if it is not negative; otherwise raise :class:`MembwError` for it."""
    if ret < 0:
        raise MembwError(-ret, function, reason)
    return ret


__all__ = ["MembwError", "strerror", "check", "EPERM", "ENOENT", "EIO", "EAGAIN", "EBUSY",
           "ENODEV", "EINVAL", "ENOSPC", "ERANGE", "EOPNOTSUPP"]
