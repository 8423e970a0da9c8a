// SPDX-License-Identifier: MIT
//! memtalk, the guest-to-hypervisor bandwidth call (memtalk_abi.h, memtalk_host.h): encoders,
//! the status decoder and the host dispatcher a VMM calls from its hypercall exit handler.
use std::marker::PhantomData;
use std::os::raw::c_void;
use std::ptr;

use crate::error::{check, Error, Result};
use crate::policy::{storage, Backend, Block, Policy, Runtime};
use crate::sys;
use crate::units::Rate;

/// The five registers of a call: `r[0]` function ID in, status out; `r[1..4]` arguments;
/// results in `r[1..3]`. Arm: X0..X4; x86: RAX, RBX, RCX, RDX, RSI.
pub type Regs = sys::membw_memtalk_regs;

/// A memtalk status (`r[0]` after a call, signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Ok,
    /// Unknown function.
    NotSupported,
    /// A reserved bit or register is not 0, or a selector is out of range.
    InvalidParameter,
    /// Another ABI major version.
    BadVersion,
    /// Outside the VM's floor..cap, or the VM is not regulated.
    Denied,
    /// The host cannot enforce the value.
    Range,
    /// Too fast; `r[1]` is the wait in nanoseconds.
    RateLimited,
    /// Another call or change in progress.
    Busy,
    /// The host policy failed; `r[1]` is its errno value.
    HostError,
    /// No memtalk status.
    Unknown(i64),
}

impl Status {
    /// The status in `r0`.
    pub fn from_reg(r0: u64) -> Status {
        match r0 as i64 {
            sys::MEMBW_MEMTALK_OK => Status::Ok,
            sys::MEMBW_MEMTALK_NOT_SUPPORTED => Status::NotSupported,
            sys::MEMBW_MEMTALK_INVALID_PARAMETER => Status::InvalidParameter,
            sys::MEMBW_MEMTALK_BAD_VERSION => Status::BadVersion,
            sys::MEMBW_MEMTALK_DENIED => Status::Denied,
            sys::MEMBW_MEMTALK_RANGE => Status::Range,
            sys::MEMBW_MEMTALK_RATE_LIMITED => Status::RateLimited,
            sys::MEMBW_MEMTALK_BUSY => Status::Busy,
            sys::MEMBW_MEMTALK_HOST_ERROR => Status::HostError,
            s => Status::Unknown(s),
        }
    }

    /// `Ok(())` for OK, else the library's error for the status (membw_memtalk_status_to_errno()).
    pub fn check(r0: u64) -> Result<()> {
        // SAFETY: a pure function.
        let e = unsafe { sys::membw_memtalk_status_to_errno(r0) };
        if e == 0 {
            Ok(())
        } else {
            Err(Error::with_reason(e, "memtalk", format!("{:?}", Status::from_reg(r0))))
        }
    }
}

fn regs(f: impl FnOnce(*mut Regs)) -> Regs {
    let mut r = Regs::default();
    f(&mut r);
    r
}

/// Registers of a VERSION call at function-number `base`.
pub fn encode_version(base: u32) -> Regs {
    // SAFETY: the encoders only write the registers.
    regs(|r| unsafe { sys::membw_memtalk_encode_version(r, base) })
}

/// Registers of SET_BUDGET.
pub fn encode_set_budget(base: u32, read: impl Rate, write: impl Rate) -> Result<Regs> {
    let (rd, wr) = (read.bps()?, write.bps()?);
    // SAFETY: as above.
    Ok(regs(|r| unsafe { sys::membw_memtalk_encode_set_budget(r, base, rd, wr) }))
}

/// Registers of GET_BUDGET of `channel` (0 read, 1 write).
pub fn encode_get_budget(base: u32, channel: u32) -> Regs {
    // SAFETY: as above.
    regs(|r| unsafe { sys::membw_memtalk_encode_get_budget(r, base, channel) })
}

/// Registers of GET_STATS of `page`.
pub fn encode_get_stats(base: u32, page: u32) -> Regs {
    // SAFETY: as above.
    regs(|r| unsafe { sys::membw_memtalk_encode_get_stats(r, base, page) })
}

/// What the host allows one VM (struct membw_memtalk_vm_limits).
pub type VmLimits = sys::membw_memtalk_vm_limits;

/// Limits of a VM in `domain`: budgets between `floor` and `cap` (read, write), bytes/s.
pub fn vm_limits(domain: u32, cap: (u64, u64), floor: (u64, u64)) -> VmLimits {
    VmLimits { domain, reserved: 0, cap_bps: [cap.0, cap.1], floor_bps: [floor.0, floor.1] }
}

/// Host settings (struct membw_memtalk_host_config without its size and VM count).
#[derive(Debug, Clone, Copy, Default)]
pub struct HostConfig {
    /// Function-number base.
    pub base: u32,
    /// 0 or `MEMBW_MEMTALK_HOST_OWNS_RANGE`.
    pub flags: u32,
    /// Rate limit: one costly call per this many ns on average (0: none) ...
    pub min_interval_ns: u64,
    /// ... with up to this many back to back (0 is taken as 1).
    pub burst: u32,
}

/// What [`Host::dispatch`] did with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dispatch {
    /// A memtalk call (whatever its status): copy `r[0..3]` back to the guest.
    Answered,
    /// Not a memtalk function ID: registers unchanged; the VMM answers it.
    NotMemtalk,
}

/// The memtalk dispatcher of a hypervisor over a [`Policy`] it borrows; owns its storage.
pub struct Host<'p> {
    h: *mut sys::membw_memtalk_host,
    _storage: Box<[Block]>,
    _policy: PhantomData<&'p ()>,
}

impl<'p> Host<'p> {
    /// Create the host serving VMs `0 .. vms.len()` (membw_memtalk_host_init()).
    pub fn new<B: Backend, R: Runtime>(policy: &'p Policy<B, R>, config: HostConfig, vms: &[VmLimits]) -> Result<Host<'p>> {
        let n = vms.len() as u32;
        // SAFETY: a pure function.
        let size = unsafe { sys::membw_memtalk_host_size(n) };
        if size == 0 || vms.len() > sys::MEMBW_MEMTALK_MAX_VMS as usize {
            return Err(Error::with_reason(sys::MEMBW_EINVAL, "membw_memtalk_host_size", "1 .. 4096 VMs"));
        }
        let mut st = storage(size);
        let cfg = sys::membw_memtalk_host_config {
            size: std::mem::size_of::<sys::membw_memtalk_host_config>() as u32,
            nvms: n,
            base: config.base,
            flags: config.flags,
            min_interval_ns: config.min_interval_ns,
            burst: config.burst.max(1),
            reserved: 0,
        };
        let mut h = ptr::null_mut();
        // SAFETY: storage is `size` bytes aligned to 64, owned by the Host; the policy outlives
        // the Host ('p); cfg and vms are valid and copied.
        let ret = unsafe {
            sys::membw_memtalk_host_init(&mut h, st.as_mut_ptr() as *mut c_void, st.len() * 64, policy.as_ptr(), &cfg, vms.as_ptr())
        };
        check(ret, "membw_memtalk_host_init")?;
        Ok(Host { h, _storage: st, _policy: PhantomData })
    }

    /// Answer one hypercall of `vm` (never taken from the guest): `regs` holds the guest's
    /// registers in, the answer out. `now_ns` is the VMM's clock (for the rate limit).
    pub fn dispatch(&self, vm: u32, regs: &mut Regs, now_ns: u64) -> Result<Dispatch> {
        // SAFETY: self.h is a live host; regs is valid. The library serialises calls of one VM.
        let ret = unsafe { sys::membw_memtalk_host_dispatch(self.h, vm, regs, now_ns) };
        if ret == -sys::MEMBW_ENOENT {
            return Ok(Dispatch::NotMemtalk);
        }
        check(ret, "membw_memtalk_host_dispatch").map(|_| Dispatch::Answered)
    }

    /// Change `vm`'s limits (the administrator's path).
    pub fn set_limits(&self, vm: u32, limits: &VmLimits) -> Result<()> {
        // SAFETY: self.h is live; limits is valid and copied.
        check(unsafe { sys::membw_memtalk_host_set_limits(self.h, vm, limits) }, "membw_memtalk_host_set_limits").map(|_| ())
    }

    /// `vm`'s limits.
    pub fn limits(&self, vm: u32) -> Result<VmLimits> {
        let mut l = VmLimits::default();
        // SAFETY: self.h is live; l is valid for writes.
        check(unsafe { sys::membw_memtalk_host_get_limits(self.h, vm, &mut l) }, "membw_memtalk_host_get_limits").map(|_| l)
    }

    /// Give `vm`'s slot to a new tenant.
    pub fn reset_vm(&self, vm: u32) -> Result<()> {
        // SAFETY: self.h is live.
        check(unsafe { sys::membw_memtalk_host_reset_vm(self.h, vm) }, "membw_memtalk_host_reset_vm").map(|_| ())
    }
}
