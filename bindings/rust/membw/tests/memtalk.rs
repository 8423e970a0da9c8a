// SPDX-License-Identifier: MIT
//! memtalk encoders against the SMC Calling Convention's function-ID layout (bit 31 fast call,
//! bit 30 SMC64, bits 29:24 the owning entity, 6 = vendor-specific hypervisor service), and the
//! host's limits API.
use membw::memtalk::{self, Dispatch, Host, HostConfig, Regs, Status};
use membw::{Config, Counters, ErrorKind, Policy, Runtime, UNLIMITED};

const FAST_SMC64_OEN6: u64 = (1 << 31) | (1 << 30) | (6 << 24);

struct Quiet;
impl Runtime for Quiet {
    fn throttle(&self, _: u32) {}
    fn unthrottle(&self, _: u32) {}
}

#[test]
fn encoders() {
    assert_eq!(memtalk::encode_version(0).r, [FAST_SMC64_OEN6, 0, 0, 0, 0]);
    assert_eq!(memtalk::encode_set_budget(0, "500MB/s", 7u64).unwrap().r, [FAST_SMC64_OEN6 | 1, 1, 500_000_000, 7, 0]);
    assert_eq!(memtalk::encode_get_budget(128, 1).r, [FAST_SMC64_OEN6 | 130, 1, 1, 0, 0]);
    assert_eq!(memtalk::encode_get_stats(0, 3).r, [FAST_SMC64_OEN6 | 3, 1, 3, 0, 0]);
    assert_eq!(Status::from_reg(-5i64 as u64), Status::Denied);
    assert_eq!(Status::check(-7i64 as u64).unwrap_err().kind(), ErrorKind::Again);
    assert!(Status::check(0).is_ok());
}

#[test]
fn host_limits_and_stats() {
    let p = Policy::new(Config { ndomains: 2, ..Config::new(2) }, Counters::new(32, 2), Quiet).unwrap();
    p.set_budget(0, "100MB/s", UNLIMITED).unwrap();
    p.cpu_set_domain(0, 0).unwrap();
    p.cpu_online(0, 0).unwrap();
    let vms = [memtalk::vm_limits(0, (UNLIMITED, UNLIMITED), (0, 0)), memtalk::vm_limits(membw::NO_DOMAIN, (0, 0), (0, 0))];
    let h = Host::new(&p, HostConfig::default(), &vms).unwrap();
    h.set_limits(0, &memtalk::vm_limits(0, (50_000_000, UNLIMITED), (0, 0))).unwrap();
    assert_eq!(p.budget(0).unwrap().0, 50_000_000, "lowered to the new cap");
    assert_eq!(h.limits(0).unwrap().cap_bps, [50_000_000, UNLIMITED]);
    let e = h.set_limits(1, &memtalk::vm_limits(0, (UNLIMITED, UNLIMITED), (0, 0))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "two VMs never share a domain");
    p.backend().add(0, 0, 100);
    p.tick(0, 1_000_000).unwrap();
    let mut r = memtalk::encode_get_stats(0, 0);
    assert_eq!(h.dispatch(0, &mut r, 0).unwrap(), Dispatch::Answered);
    assert_eq!((r.r[0], r.r[1], r.r[2], r.r[3]), (0, 1, 1, 1_000_000), "sequence 1, 1 period of 1 ms");
    let mut r = memtalk::encode_get_stats(0, 2);
    h.dispatch(0, &mut r, 0).unwrap();
    assert_eq!(r.r[1], 100 * 64, "100 lines of 64 bytes read");
    h.reset_vm(0).unwrap();
    let mut r = Regs { r: [0x8400_0000, 0, 0, 0, 0] };
    assert_eq!(h.dispatch(0, &mut r, 0).unwrap(), Dispatch::NotMemtalk);
    assert_eq!(r.r[0], 0x8400_0000, "unchanged");
    assert_eq!(h.dispatch(2, &mut r, 0).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert!(Host::new(&p, HostConfig::default(), &[]).is_err());
}
