// SPDX-License-Identifier: MIT
//! Rates ("500MB/s") and durations ("1ms"), parsed and printed by the library (units.h).
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

use crate::error::{Error, Result};
use crate::sys;

fn parse(
    text: &str,
    f: unsafe extern "C" fn(*const c_char, *mut u64, *mut *const c_char) -> i32,
    name: &'static str,
) -> Result<u64> {
    let c = CString::new(text).map_err(|_| Error::with_reason(sys::MEMBW_EINVAL, name, "NUL in text"))?;
    let mut out = 0u64;
    let mut why: *const c_char = ptr::null();
    // SAFETY: c is NUL-terminated; out and why are valid for writes.
    let ret = unsafe { f(c.as_ptr(), &mut out, &mut why) };
    if ret < 0 {
        let reason = if why.is_null() {
            String::new()
        } else {
            // SAFETY: the library's reasons are static NUL-terminated strings.
            unsafe { CStr::from_ptr(why) }.to_string_lossy().into_owned()
        };
        return Err(Error::with_reason(ret, name, reason));
    }
    Ok(out)
}

/// Bytes per second of `text`: "500MB/s" is 500000000, "1.5GiB/s" 1610612736, "unlimited"
/// [`crate::UNLIMITED`].
pub fn parse_rate(text: &str) -> Result<u64> {
    parse(text, sys::membw_parse_rate, "membw_parse_rate")
}

/// Nanoseconds of `text` ("1ms", "250us"); a unit is required.
pub fn parse_duration(text: &str) -> Result<u64> {
    parse(text, sys::membw_parse_duration, "membw_parse_duration")
}

fn format(v: u64, f: unsafe extern "C" fn(*mut c_char, usize, u64) -> i32) -> String {
    let mut buf = [0 as c_char; sys::MEMBW_FORMAT_MAX];
    // SAFETY: buf holds MEMBW_FORMAT_MAX bytes, always enough (units.h).
    let n = unsafe { f(buf.as_mut_ptr(), buf.len(), v) };
    assert!(n >= 0, "MEMBW_FORMAT_MAX is always enough");
    // SAFETY: the library NUL-terminated buf.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

/// `bps` with three significant digits and a decimal unit: "500 MB/s", "1.61 GB/s", "unlimited".
pub fn format_rate(bps: u64) -> String {
    format(bps, sys::membw_format_rate)
}

/// `ns` with three significant digits and a unit: "1 ms", "250 us".
pub fn format_duration(ns: u64) -> String {
    format(ns, sys::membw_format_duration)
}

/// A rate given as bytes per second or as text.
pub trait Rate {
    /// Bytes per second.
    fn bps(&self) -> Result<u64>;
}

impl Rate for u64 {
    fn bps(&self) -> Result<u64> {
        Ok(*self)
    }
}

impl Rate for &str {
    fn bps(&self) -> Result<u64> {
        parse_rate(self)
    }
}
