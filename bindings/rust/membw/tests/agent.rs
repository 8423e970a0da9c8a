// SPDX-License-Identifier: MIT
//! The guest-agent API over libmembw-agent.so.0 (`agent` feature). Without a guest driver here,
//! the paths that need no device are tested against the real library: no device (ENODEV), a file
//! that is not the device (EDRIVER, detail ENOTTY), both channels kept (EINVAL), every sentence.
//! The tests share MEMBW_MEMTALK_DEV, so they run in one function.
#![cfg(feature = "agent")]
use membw::agent::{self, SetBudgetError, KEEP};
use membw::sys::agent as ffi;

#[test]
fn agent_without_a_device() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::env::set_var("MEMBW_MEMTALK_DEV", dir.join("no-such-device"));
    let e = agent::get_budget().unwrap_err();
    assert_eq!((e.code, e.detail, e.function), (ffi::MEMBW_AGENT_ENODEV, 0, "membw_get_budget"));
    assert_eq!(agent::status().unwrap_err().code, ffi::MEMBW_AGENT_ENODEV);
    assert_eq!(agent::get_stats().unwrap_err().code, ffi::MEMBW_AGENT_ENODEV);
    match agent::set_budget("500MB/s", KEEP) {
        Err(SetBudgetError::Agent(e)) => assert_eq!(e.code, ffi::MEMBW_AGENT_ENODEV),
        other => panic!("{:?}", other),
    }
    match agent::set_budget(KEEP, KEEP) {
        Err(SetBudgetError::Agent(e)) => assert_eq!(e.code, ffi::MEMBW_AGENT_EINVAL, "nothing to ask"),
        other => panic!("{:?}", other),
    }
    assert!(matches!(agent::set_budget("fast", KEEP), Err(SetBudgetError::Rate(_))));

    let plain = dir.join("plain-file");
    std::fs::write(&plain, b"").unwrap();
    std::env::set_var("MEMBW_MEMTALK_DEV", &plain);
    let e = agent::get_budget().unwrap_err();
    assert_eq!((e.code, e.detail), (ffi::MEMBW_AGENT_EDRIVER, 25), "ENOTTY from a plain file");
    assert!(e.to_string().contains(e.message()));

    let codes = [1, 2, 3, 4, 5, 6, 101, 103, 104, 105, 106, 107, 108, 109, 110];
    let texts: std::collections::HashSet<_> = codes.iter().map(|&c| agent::strerror(c)).collect();
    assert_eq!(texts.len(), codes.len());
    assert!(!texts.contains("unknown error"));
    assert_eq!(agent::strerror(999), "unknown error");
}
