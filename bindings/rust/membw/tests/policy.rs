// SPDX-License-Identifier: MIT
//! The safe API over the real library. Budget arithmetic from the definitions: 64 MB/s for 1 ms
//! at 64-byte lines is 64e6 * 1e-3 / 64 = 1000 lines per period.
use std::cell::RefCell;

use membw::sys;
use membw::{Backend, BackendInfo, Config, Counters, Error, ErrorKind, Policy, Runtime, Sharing, CH_READ, UNLIMITED};

const MS: u64 = 1_000_000;

#[derive(Default)]
struct Log(RefCell<Vec<String>>);

impl Runtime for Log {
    const KICK_ALL: bool = true;
    const TRACE: bool = true;
    fn throttle(&self, cpu: u32) {
        self.0.borrow_mut().push(format!("throttle {}", cpu));
    }
    fn unthrottle(&self, cpu: u32) {
        self.0.borrow_mut().push(format!("unthrottle {}", cpu));
    }
    fn kick_all(&self, from: u32) {
        self.0.borrow_mut().push(format!("kick_all {}", from));
    }
    fn trace(&self, rec: &membw::TraceRecord) {
        if rec.type_ == sys::MEMBW_TRACE_THROTTLE {
            self.0.borrow_mut().push(format!("trace throttle used {} allowance {}", rec.used, rec.allowance));
        }
    }
}

fn one_cpu(sharing: Sharing) -> Policy<Counters, Log> {
    let cfg = Config { ndomains: 1, sharing, ..Config::new(1) };
    let p = Policy::new(cfg, Counters::new(32, 2), Log::default()).unwrap();
    p.set_budget(0, "64MB/s", UNLIMITED).unwrap();
    p.cpu_set_domain(0, 0).unwrap();
    assert_eq!(p.cpu_online(0, 0).unwrap(), MS);
    p
}

#[test]
fn throttles_at_budget_releases_at_period() {
    let p = one_cpu(Sharing::None);
    assert_eq!(p.bps_to_events("64MB/s").unwrap(), 1000);
    let c = p.backend();
    assert_eq!(c.read(0, CH_READ).unwrap(), (1u64 << 32) - 1000, "arm(1000) presets 2^32 - 1000");
    assert!(!c.add(0, CH_READ, 999));
    assert!(c.add(0, CH_READ, 1), "the 1000th line wraps the counter");
    assert!(c.take_overflow(0));
    p.overflow(0, MS / 2).unwrap();
    assert_eq!(
        p.runtime().0.borrow().as_slice(),
        ["trace throttle used 1000 allowance 1000", "throttle 0"]
    );
    let s = p.cpu_stats(0).unwrap();
    assert_eq!(s.state & sys::MEMBW_CPU_THROTTLED, sys::MEMBW_CPU_THROTTLED);
    assert_eq!(p.tick(0, MS).unwrap(), 2 * MS);
    assert_eq!(p.runtime().0.borrow().last().unwrap(), "unthrottle 0");
    let s = p.cpu_stats(0).unwrap();
    assert_eq!((s.totals.ch[0].used, s.totals.periods, s.totals.throttled_ns), (1000, 1, MS / 2));
    let d = p.domain_stats(0).unwrap();
    assert_eq!((d.ncpus, d.budget_events[0], d.budget_bps[0]), (1, 1000, 64_000_000));
}

#[test]
fn spare_sharing_kicks() {
    let p = one_cpu(Sharing::Spare);
    p.backend().add(0, CH_READ, 1000);
    p.overflow(0, 10).unwrap();
    assert!(p.runtime().0.borrow().contains(&"kick_all 0".to_string()));
    p.kick(0, 20).unwrap();
    assert_eq!(p.runtime().0.borrow().last().unwrap(), "unthrottle 0", "spare sharing releases");
}

#[test]
fn errors_are_typed_and_change_nothing() {
    let p = one_cpu(Sharing::None);
    let e = p.set_budget(5, "1GB/s", UNLIMITED).unwrap_err();
    assert_eq!((e.kind(), e.code(), e.function()), (ErrorKind::InvalidArgument, 22, "membw_domain_set_budget"));
    assert_eq!(p.set_budget(0, "1B/s", UNLIMITED).unwrap_err().kind(), ErrorKind::OutOfRange);
    assert_eq!(p.budget(0).unwrap(), (64_000_000, UNLIMITED));
    let e = p.set_budget(0, "fast", UNLIMITED).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.reason().is_some() && e.to_string().contains("membw_parse_rate"), "{}", e);
    let bad = Config { period_ns: 10_000, ..Config::new(1) };
    let e = Policy::new(bad, Counters::new(32, 2), Log::default()).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(Policy::new(Config::new(0), Counters::new(32, 2), Log::default()).is_err());
    // sharing needs kick_all: a runtime without it is refused
    struct NoKick;
    impl Runtime for NoKick {
        fn throttle(&self, _: u32) {}
        fn unthrottle(&self, _: u32) {}
    }
    let cfg = Config { sharing: Sharing::Spare, ..Config::new(1) };
    assert_eq!(Policy::new(cfg, Counters::new(32, 2), NoKick).err().unwrap().kind(), ErrorKind::InvalidArgument);
}

struct Absent;
impl Backend for Absent {
    fn probe(&self) -> membw::Result<BackendInfo> {
        Err(Error::new(sys::MEMBW_ENODEV, "probe"))
    }
    fn arm(&self, _: u32, _: u32, _: u64) -> membw::Result<()> {
        Ok(())
    }
    fn read(&self, _: u32, _: u32) -> membw::Result<u64> {
        Ok(0)
    }
    fn stop(&self, _: u32, _: u32) {}
}

struct Panics(Counters);
impl Backend for Panics {
    fn arm(&self, c: u32, ch: u32, e: u64) -> membw::Result<()> {
        self.0.arm(c, ch, e)
    }
    fn read(&self, _: u32, _: u32) -> membw::Result<u64> {
        panic!("bug in the backend")
    }
    fn stop(&self, c: u32, ch: u32) {
        self.0.stop(c, ch)
    }
}

#[test]
fn backend_failures() {
    let e = Policy::new(Config::new(1), Absent, Log::default()).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::NoDevice, "the probe's code reaches the caller");
    let p = Policy::new(Config { ndomains: 1, ..Config::new(1) }, Panics(Counters::new(32, 2)), Log::default()).unwrap();
    p.set_budget(0, "64MB/s", UNLIMITED).unwrap();
    p.cpu_set_domain(0, 0).unwrap();
    p.cpu_online(0, 0).unwrap();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| p.overflow(0, 10)));
    assert!(r.is_err(), "the backend's panic is resumed from the entry point");
    assert!(p.runtime().0.borrow().is_empty(), "a failing backend leaves the CPU running");
    assert!(p.cpu_stats(0).unwrap().totals.anomalies >= 1);
}

#[test]
fn units_round_trip() {
    assert_eq!(membw::parse_rate("1.5GiB/s").unwrap(), 3 << 29);
    assert_eq!(membw::parse_duration("250us").unwrap(), 250_000);
    assert_eq!(membw::format_rate(3 << 29), "1.61 GB/s");
    assert_eq!(membw::format_rate(UNLIMITED), "unlimited");
    let mut x: u64 = 7;
    while x < u64::MAX / 13 {
        for (fmt, parse) in [
            (membw::format_rate as fn(u64) -> String, membw::parse_rate as fn(&str) -> membw::Result<u64>),
            (membw::format_duration, membw::parse_duration),
        ] {
            let t = fmt(x);
            let back = parse(&t).unwrap();
            assert!(back <= x && fmt(back) == t, "{} -> {} -> {}", x, t, back);
        }
        x = x * 13 + 1;
    }
    assert_eq!(membw::parse_rate("-1").unwrap_err().kind(), ErrorKind::InvalidArgument);
    // the crate's version (Cargo.toml) is the library's (include/membw/version.h)
    assert_eq!(membw::library_version(), env!("CARGO_PKG_VERSION"));
}
