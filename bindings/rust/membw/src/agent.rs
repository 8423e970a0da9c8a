// SPDX-License-Identifier: MIT
//! The guest-agent API (`agent` feature): a program in a VM asks its hypervisor for memory
//! bandwidth through the memtalk guest driver's device (`/dev/membw_memtalk`, or the file named by
//! `MEMBW_MEMTALK_DEV`). Binds `libmembw-agent.so.0` (include/membw/agent.h).
use std::ffi::CStr;
use std::fmt;

use crate::sys::agent as ffi;
use crate::units::Rate;

/// A rate meaning "no limit".
pub const UNLIMITED: u64 = ffi::MEMBW_AGENT_UNLIMITED;
/// Keep a channel's budget in force (for [`set_budget`]).
pub const KEEP: u64 = ffi::MEMBW_AGENT_KEEP;

/// A failed guest-agent call: the agent library's code (its own numbering, agent.h), its
/// sentence, and membw_agent_detail() (a rate limit's wait, a system error's errno, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentError {
    /// The agent library's positive code (`MEMBW_AGENT_EDENIED` ...).
    pub code: i32,
    /// membw_agent_detail() right after the failure.
    pub detail: u64,
    /// The C function that failed.
    pub function: &'static str,
}

impl AgentError {
    /// The agent library's sentence for the code.
    pub fn message(&self) -> &'static str {
        strerror(self.code)
    }
}

impl fmt::Display for AgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (agent error {}, detail {})", self.function, self.message(), self.code, self.detail)
    }
}

impl std::error::Error for AgentError {}

/// The agent library's sentence for one of its codes (either sign).
pub fn strerror(code: i32) -> &'static str {
    // SAFETY: membw_agent_strerror() returns a static NUL-terminated string, never NULL.
    unsafe { CStr::from_ptr(ffi::membw_agent_strerror(code)) }.to_str().unwrap_or("unknown error")
}

fn check(ret: i32, function: &'static str) -> Result<(), AgentError> {
    if ret < 0 {
        // SAFETY: reads this thread's last detail.
        let detail = unsafe { ffi::membw_agent_detail() };
        Err(AgentError { code: -ret, detail, function })
    } else {
        Ok(())
    }
}

/// Why a budget could not be asked for: a rate that does not parse, or the agent's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetBudgetError {
    /// The rate text did not parse.
    Rate(crate::Error),
    /// The agent library or the host refused.
    Agent(AgentError),
}

impl fmt::Display for SetBudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetBudgetError::Rate(e) => e.fmt(f),
            SetBudgetError::Agent(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SetBudgetError {}

/// Ask the hypervisor for this VM's read and write-back budgets, bytes/s or rate text; [`KEEP`]
/// keeps a channel's budget. Both change or neither.
pub fn set_budget(read: impl Rate, write: impl Rate) -> Result<(), SetBudgetError> {
    let r = read.bps().map_err(SetBudgetError::Rate)?;
    let w = write.bps().map_err(SetBudgetError::Rate)?;
    // SAFETY: plain values.
    check(unsafe { ffi::membw_set_budget(r, w) }, "membw_set_budget").map_err(SetBudgetError::Agent)
}

/// The (read, write) budgets in force, bytes/s ([`UNLIMITED`]: none).
pub fn get_budget() -> Result<(u64, u64), AgentError> {
    let (mut r, mut w) = (0, 0);
    // SAFETY: r and w are valid for writes.
    check(unsafe { ffi::membw_get_budget(&mut r, &mut w) }, "membw_get_budget").map(|_| (r, w))
}

/// This VM's statistics from one host snapshot (struct membw_agent_stats).
pub type AgentStats = ffi::membw_agent_stats;

/// Take a statistics snapshot on the host and read it.
pub fn get_stats() -> Result<AgentStats, AgentError> {
    let mut s = AgentStats { size: std::mem::size_of::<AgentStats>() as u32, ..Default::default() };
    // SAFETY: s is valid with its size set.
    check(unsafe { ffi::membw_get_stats(&mut s) }, "membw_get_stats").map(|_| s)
}

/// What [`status`] reports (struct membw_agent_info).
pub type AgentInfo = ffi::membw_agent_info;

/// Whether a hypervisor answers memtalk, and this VM's budgets, caps and floors.
pub fn status() -> Result<AgentInfo, AgentError> {
    // SAFETY: an all-zero membw_agent_info is valid (integers and char arrays).
    let mut i: AgentInfo = unsafe { std::mem::zeroed() };
    i.size = std::mem::size_of::<AgentInfo>() as u32;
    // SAFETY: i is valid with its size set.
    check(unsafe { ffi::membw_agent_status(&mut i) }, "membw_agent_status").map(|_| i)
}
