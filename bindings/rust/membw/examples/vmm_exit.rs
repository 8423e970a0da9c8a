// SPDX-License-Identifier: MIT
//! A minimal VMM-style hypercall exit handler: a guest's HVC traps to the VMM, which takes the
//! memtalk registers (X0..X4) from the vCPU, calls the memtalk dispatcher and writes the answer
//! back (X0..X3), then resumes the guest after the HVC. Calls that are not memtalk's get SMCCC's
//! NOT_SUPPORTED (-1) in X0, as the SMC Calling Convention requires for an unknown function.
//!
//! `cargo run --example vmm_exit` plays one guest that discovers memtalk, sets its budget, asks
//! for more than its cap and reads its budget back; `cargo test --example vmm_exit` checks it.
use std::cell::Cell;

use membw::memtalk::{self, Dispatch, Host, HostConfig, Regs, Status};
use membw::{Config, Counters, Policy, Runtime, UNLIMITED};

/// SMCCC's answer to an unknown function ID.
const SMCCC_NOT_SUPPORTED: u64 = u64::MAX; // -1

/// A vCPU's general-purpose registers as a VMM keeps them across an exit (Arm: X0..X30).
#[derive(Debug, Default, Clone)]
pub struct Vcpu {
    pub x: [u64; 31],
    pub pc: u64,
}

/// The VMM's exit handler for an HVC of VM `vm`: answer it and step over the instruction.
pub fn handle_hvc(host: &Host, vm: u32, vcpu: &mut Vcpu, now_ns: u64) {
    let mut regs = Regs { r: [vcpu.x[0], vcpu.x[1], vcpu.x[2], vcpu.x[3], vcpu.x[4]] };
    match host.dispatch(vm, &mut regs, now_ns) {
        Ok(Dispatch::Answered) => vcpu.x[..4].copy_from_slice(&regs.r[..4]),
        // Not memtalk (another service of this VMM would be asked here), or a VM id the
        // dispatcher does not serve: SMCCC NOT_SUPPORTED.
        Ok(Dispatch::NotMemtalk) | Err(_) => vcpu.x[0] = SMCCC_NOT_SUPPORTED,
    }
    vcpu.pc += 4; // HVC is one A64 instruction; the exception returns to the one after it
}

/// The VMM's runtime: a throttled vCPU thread would be parked; here it is only remembered.
#[derive(Default)]
pub struct Vmm {
    pub throttled: Cell<u32>,
}

impl Runtime for Vmm {
    fn throttle(&self, _cpu: u32) {
        self.throttled.set(self.throttled.get() + 1);
    }
    fn unthrottle(&self, _cpu: u32) {}
}

/// One VM of two vCPUs (CPUs 0 and 1 of the policy, domain 0), budget 100 MB/s, cap 1 GB/s.
pub fn vm_policy() -> Policy<Counters, Vmm> {
    let p = Policy::new(Config { ndomains: 1, ..Config::new(2) }, Counters::new(32, 2), Vmm::default())
        .expect("policy");
    p.set_budget(0, "100MB/s", "100MB/s").expect("budget");
    p.cpu_set_domain(0, 0).expect("cpu 0");
    p.cpu_set_domain(1, 0).expect("cpu 1");
    p
}

/// The guest's side, as its driver would load the registers before its HVC.
pub fn guest_call(host: &Host, vcpu: &mut Vcpu, call: Regs) -> Status {
    vcpu.x[..5].copy_from_slice(&call.r);
    handle_hvc(host, 0, vcpu, 0);
    Status::from_reg(vcpu.x[0])
}

fn main() {
    let policy = vm_policy();
    let cap = (membw::parse_rate("1GB/s").unwrap(), UNLIMITED);
    let host = Host::new(&policy, HostConfig::default(), &[memtalk::vm_limits(0, cap, (0, 0))]).unwrap();
    let mut vcpu = Vcpu::default();
    let st = guest_call(&host, &mut vcpu, memtalk::encode_version(0));
    println!("VERSION: {:?}, version word {:#x}, magic {:#x}", st, vcpu.x[1], vcpu.x[2]);
    let st = guest_call(&host, &mut vcpu, memtalk::encode_set_budget(0, "500MB/s", "200MB/s").unwrap());
    println!("SET_BUDGET 500 MB/s, 200 MB/s: {:?}; policy now {:?} bytes/s", st, policy.budget(0).unwrap());
    let st = guest_call(&host, &mut vcpu, memtalk::encode_set_budget(0, "2GB/s", "200MB/s").unwrap());
    println!("SET_BUDGET 2 GB/s (cap 1 GB/s): {:?}", st);
    let st = guest_call(&host, &mut vcpu, memtalk::encode_get_budget(0, 0));
    println!(
        "GET_BUDGET read: {:?}: {} (cap {}, floor {})",
        st,
        membw::format_rate(vcpu.x[1]),
        membw::format_rate(vcpu.x[2]),
        membw::format_rate(vcpu.x[3])
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(p: &Policy<Counters, Vmm>) -> Host<'_> {
        Host::new(p, HostConfig::default(), &[memtalk::vm_limits(0, (1_000_000_000, UNLIMITED), (10_000_000, 0))]).unwrap()
    }

    #[test]
    fn version_and_budget_through_the_exit_handler() {
        let p = vm_policy();
        let h = host(&p);
        let mut v = Vcpu { pc: 0x1000, ..Vcpu::default() };
        v.x[5] = 0xbeef;
        assert_eq!(guest_call(&h, &mut v, memtalk::encode_version(0)), Status::Ok);
        // docs/memtalk.md: version word 1 << 16, magic "MEMTALK\0", functions 0..3
        assert_eq!(&v.x[..3], &[0, 1 << 16, u64::from_be_bytes(*b"MEMTALK\0")]);
        assert_eq!(v.x[3], 0xF);
        assert_eq!((v.x[5], v.pc), (0xbeef, 0x1004), "X5 kept; PC stepped over the HVC");
        // an argument register that must be 0 is not: refused, and X4 is never written
        v.x[..4].copy_from_slice(&memtalk::encode_version(0).r[..4]);
        v.x[4] = 0xdead;
        handle_hvc(&h, 0, &mut v, 0);
        assert_eq!((Status::from_reg(v.x[0]), v.x[4]), (Status::InvalidParameter, 0xdead));
        assert_eq!(guest_call(&h, &mut v, memtalk::encode_set_budget(0, "500MB/s", "200MB/s").unwrap()), Status::Ok);
        assert_eq!((v.x[1], v.x[2]), (500_000_000, 200_000_000), "stored budgets in X1, X2");
        assert_eq!(p.budget(0).unwrap(), (500_000_000, 200_000_000), "the policy enforces them");
    }

    #[test]
    fn refusals_reach_the_guest_and_change_nothing() {
        let p = vm_policy();
        let h = host(&p);
        let mut v = Vcpu::default();
        assert_eq!(guest_call(&h, &mut v, memtalk::encode_set_budget(0, "2GB/s", UNLIMITED).unwrap()), Status::Denied);
        assert_eq!(memtalk::Status::check(v.x[0]).unwrap_err().kind(), membw::ErrorKind::PermissionDenied);
        assert_eq!(guest_call(&h, &mut v, memtalk::encode_set_budget(0, "1MB/s", UNLIMITED).unwrap()), Status::Denied, "under the floor");
        assert_eq!(p.budget(0).unwrap(), (100_000_000, 100_000_000));
        assert_eq!(guest_call(&h, &mut v, memtalk::encode_get_budget(0, 7)), Status::InvalidParameter);
        let mut bad = memtalk::encode_get_budget(0, 0);
        bad.r[1] = 2; // a guest speaking ABI major version 2
        assert_eq!(guest_call(&h, &mut v, bad), Status::BadVersion);
    }

    #[test]
    fn other_calls_get_smccc_not_supported() {
        let p = vm_policy();
        let h = host(&p);
        let mut v = Vcpu::default();
        // PSCI_VERSION (SMCCC standard secure service range): not memtalk's
        v.x[0] = 0x8400_0000;
        handle_hvc(&h, 0, &mut v, 0);
        assert_eq!(v.x[0], SMCCC_NOT_SUPPORTED);
        // a VM id the host does not serve
        let mut v = Vcpu::default();
        v.x[..5].copy_from_slice(&memtalk::encode_version(0).r);
        handle_hvc(&h, 9, &mut v, 0);
        assert_eq!(v.x[0], SMCCC_NOT_SUPPORTED);
    }

    #[test]
    fn rate_limit_reports_the_wait() {
        let p = vm_policy();
        let cfg = HostConfig { min_interval_ns: 1_000_000, burst: 1, ..HostConfig::default() };
        let h = Host::new(&p, cfg, &[memtalk::vm_limits(0, (UNLIMITED, UNLIMITED), (0, 0))]).unwrap();
        let mut v = Vcpu::default();
        v.x[..5].copy_from_slice(&memtalk::encode_set_budget(0, "200MB/s", UNLIMITED).unwrap().r);
        handle_hvc(&h, 0, &mut v, 0);
        assert_eq!(Status::from_reg(v.x[0]), Status::Ok);
        v.x[..5].copy_from_slice(&memtalk::encode_set_budget(0, "300MB/s", UNLIMITED).unwrap().r);
        handle_hvc(&h, 0, &mut v, 1000);
        assert_eq!((Status::from_reg(v.x[0]), v.x[1]), (Status::RateLimited, 999_000));
    }
}
