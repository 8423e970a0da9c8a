// SPDX-License-Identifier: MIT
//! Safe Rust API of libmembw, the memory-bandwidth regulator.
//!
//! - [`Policy`]: the policy core, its storage owned by the value, with a counter [`Backend`]
//!   and a [`Runtime`] written in Rust (a VMM supplies its PMU counters this way);
//! - [`memtalk`]: encoders and the host dispatcher a VMM calls from its hypercall exit handler;
//! - [`units`]: rates and durations parsed and printed by the library;
//! - [`Error`]: every failure, with the library's code, message and reason;
//! - `agent` (feature `agent`): the guest-agent API over libmembw-agent.so.
//!
//! The raw declarations are the `membw-sys` crate, re-exported as [`sys`].
#![deny(missing_docs)]

pub use membw_sys as sys;

#[cfg(feature = "agent")]
pub mod agent;
pub mod error;
pub mod memtalk;
pub mod policy;
pub mod units;

pub use error::{strerror, Error, ErrorKind, Result};
pub use policy::{Backend, BackendInfo, Config, Counters, CpuStats, DomainStats, Policy, Runtime, Sharing, TraceRecord};
pub use units::{format_duration, format_rate, parse_duration, parse_rate, Rate};

/// A rate meaning "no limit".
pub const UNLIMITED: u64 = sys::MEMBW_UNLIMITED;
/// Channel of reads.
pub const CH_READ: u32 = sys::MEMBW_CH_READ;
/// Channel of write-backs.
pub const CH_WRITE: u32 = sys::MEMBW_CH_WRITE;
/// A CPU in no domain: counted, never throttled.
pub const NO_DOMAIN: u32 = sys::MEMBW_NO_DOMAIN;

/// The version of the libmembw.so loaded ("MAJOR.MINOR.PATCH").
pub fn library_version() -> &'static str {
    // SAFETY: a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(sys::membw_version()) }.to_str().unwrap_or("?")
}

/// docs/rust.md, so that its examples run as doctests.
#[doc = include_str!("../../../../docs/rust.md")]
#[cfg(doctest)]
pub struct RustGuide;
