// SPDX-License-Identifier: MIT
//! The typed error every fallible call returns.
use std::ffi::CStr;
use std::fmt;

use crate::sys;

/// What kind of failure: the library's error codes (include/membw/errors.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// EPERM: not permitted (a guest above its cap).
    PermissionDenied,
    /// ENOENT: no such object.
    NotFound,
    /// EIO: the counter backend failed.
    Io,
    /// EAGAIN: try again later.
    Again,
    /// EBUSY: in use.
    Busy,
    /// ENODEV: hardware or CPU not there.
    NoDevice,
    /// EINVAL: a malformed argument.
    InvalidArgument,
    /// ENOSPC: storage too small.
    NoSpace,
    /// ERANGE: a number out of range.
    OutOfRange,
    /// EOPNOTSUPP: a feature the backend or runtime lacks.
    NotSupported,
    /// A code this version does not know.
    Other(i32),
}

impl ErrorKind {
    /// The kind of the library's error code `code` (either sign).
    pub fn from_code(code: i32) -> ErrorKind {
        match code.abs() {
            sys::MEMBW_EPERM => ErrorKind::PermissionDenied,
            sys::MEMBW_ENOENT => ErrorKind::NotFound,
            sys::MEMBW_EIO => ErrorKind::Io,
            sys::MEMBW_EAGAIN => ErrorKind::Again,
            sys::MEMBW_EBUSY => ErrorKind::Busy,
            sys::MEMBW_ENODEV => ErrorKind::NoDevice,
            sys::MEMBW_EINVAL => ErrorKind::InvalidArgument,
            sys::MEMBW_ENOSPC => ErrorKind::NoSpace,
            sys::MEMBW_ERANGE => ErrorKind::OutOfRange,
            sys::MEMBW_EOPNOTSUPP => ErrorKind::NotSupported,
            c => ErrorKind::Other(c),
        }
    }
}

/// A failed libmembw call: the library's code, the function, and its reason when it gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    function: &'static str,
    reason: Option<String>,
}

impl Error {
    /// The error for the library's code `code` (either sign) returned by `function`.
    pub fn new(code: i32, function: &'static str) -> Error {
        Error { code: code.abs(), function, reason: None }
    }

    /// The same with a reason (the parsers' "negative rate", a memtalk status name).
    pub fn with_reason(code: i32, function: &'static str, reason: impl Into<String>) -> Error {
        Error { code: code.abs(), function, reason: Some(reason.into()) }
    }

    /// The positive error code (`MEMBW_EINVAL` ...), the number Linux uses for the errno name.
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_code(self.code)
    }

    /// The C function that failed.
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// The library's explanation beyond the code, if any.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The library's short text for the code (membw_strerror()).
    pub fn message(&self) -> &'static str {
        strerror(self.code)
    }
}

/// The library's short English text for an error code of either sign.
pub fn strerror(code: i32) -> &'static str {
    // SAFETY: membw_strerror() returns a static NUL-terminated string, never NULL.
    unsafe { CStr::from_ptr(sys::membw_strerror(code)) }.to_str().unwrap_or("unknown error")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.function, self.message())?;
        if let Some(r) = &self.reason {
            write!(f, ": {}", r)?;
        }
        write!(f, " (error {})", self.code)
    }
}

impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// `Ok(ret)` for a non-negative return value, else the error.
pub(crate) fn check(ret: i32, function: &'static str) -> Result<i32> {
    if ret < 0 {
        Err(Error::new(ret, function))
    } else {
        Ok(ret)
    }
}
