// SPDX-License-Identifier: MIT
//! The declarations of this crate against the C compiler's view of the headers: compiles
//! bindings/abi/layout.c with the system C compiler ($CC, default gcc), runs it, and checks every
//! size, alignment, field offset and constant it prints that this crate declares.
use membw_sys::*;
use std::collections::HashMap;
use std::mem::{align_of, size_of, MaybeUninit};
use std::path::PathBuf;
use std::process::Command;

/// `name` keeps the executables of tests that run at once apart.
fn c_view(name: &str) -> HashMap<String, u64> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let top = match std::env::var("MEMBW_SRCDIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => manifest.join("../../.."),
    };
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let exe = out_dir.join(name);
    let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".to_string());
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Werror", "-I"])
        .arg(top.join("include"))
        .arg("-I")
        .arg(top.join("bindings/simlib"))
        .arg(top.join("bindings/abi/layout.c"))
        .arg("-o")
        .arg(&exe)
        .status()
        .expect("run the C compiler");
    assert!(status.success(), "{} failed on bindings/abi/layout.c", cc);
    let out = Command::new(&exe).output().expect("run layout");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (format!("{} {}", f[0], f[1]), f[2].parse().unwrap())
        })
        .collect()
}

macro_rules! offset {
    ($t:ty, $f:ident) => {{
        let u = MaybeUninit::<$t>::uninit();
        let base = u.as_ptr();
        // SAFETY: only the field's address is computed, nothing is read.
        let field = unsafe { std::ptr::addr_of!((*base).$f) };
        field as usize - base as usize
    }};
}

macro_rules! check_struct {
    ($view:expr, $n:expr, $t:ident { $($f:ident $(= $cf:literal)?),* }) => {{
        let v = &$view;
        assert_eq!(size_of::<$t>() as u64, v[&format!("size {}", stringify!($t))], "size of {}", stringify!($t));
        assert_eq!(align_of::<$t>() as u64, v[&format!("align {}", stringify!($t))], "align of {}", stringify!($t));
        $(
            let cname = { let _c = stringify!($f); $( let _c = $cf; )? _c };
            let key = format!("offset {}.{}", stringify!($t), cname);
            if let Some(off) = v.get(&key) {
                assert_eq!(offset!($t, $f) as u64, *off, "{}", key);
                $n += 1;
            }
        )*
    }};
}

#[test]
fn struct_layout_matches_c() {
    let v = c_view("layout-structs");
    let mut n = 0;
    check_struct!(v, n, membw_config { size, ncpus, ndomains, sharing, period_ns, reclaim, levels, event, chunk_divisor, min_chunk_events });
    check_struct!(v, n, membw_backend_info { size, channels, counter_bits, line_size, levels, caps });
    check_struct!(v, n, membw_counter_setup { size, levels, event });
    check_struct!(v, n, membw_backend { abi_version, size, name, priv_size, reserved, probe, cpu_init, arm, read, stop, cpu_exit, rearm, direct_reader });
    check_struct!(v, n, membw_direct_reader { read, ctx });
    check_struct!(v, n, membw_trace_record { type_ = "type", cpu, domain, channel, now_ns, epoch, used, allowance, overshoot, amount, shortfall, source, periods });
    check_struct!(v, n, membw_env { size, reserved, ctx, throttle, unthrottle, kick_all, trace });
    check_struct!(v, n, membw_channel_stats { used, budget, allowance, donated, reclaimed, borrowed, overshoot, shortfall });
    check_struct!(v, n, membw_totals { periods, missed_periods, throttle_count, throttled_ns, spurious_overflows, early_ticks, anomalies, ch });
    check_struct!(v, n, membw_cpu_stats { size, domain, reserved, state, epoch, totals });
    check_struct!(v, n, membw_domain_stats { size, ncpus, nonline, reserved, budget_bps, budget_events, totals });
    check_struct!(v, n, membw_memtalk_regs { r });
    check_struct!(v, n, membw_memtalk_vm_limits { domain, reserved, cap_bps, floor_bps });
    check_struct!(v, n, membw_memtalk_host_config { size, nvms, base, flags, min_interval_ns, burst, reserved });
    check_struct!(v, n, membw_memtalk_guest { call, base, version, functions, reserved });
    check_struct!(v, n, membw_memtalk_budget { size, reserved, current_bps, cap_bps, floor_bps });
    check_struct!(v, n, membw_memtalk_stats { size, reserved, sequence, periods, period_ns, throttled_ns, throttle_count, missed_periods, used_bytes, allowance_bytes, overshoot_bytes });
    #[cfg(feature = "agent")]
    {
        use membw_sys::agent::*;
        check_struct!(v, n, membw_agent_info { size, present, version, base, functions, interface, budget_bps, cap_bps, floor_bps, conduit, reason });
        check_struct!(v, n, membw_agent_stats { size, reserved, sequence, periods, period_ns, throttled_ns, throttle_count, missed_periods, used_bytes, allowance_bytes, overshoot_bytes });
    }
    assert!(n >= 80, "only {} offsets compared", n);
}

#[test]
fn constants_match_c() {
    let v = c_view("layout-consts");
    let mut checked = 0;
    macro_rules! c {
        ($($name:ident),*) => {$(
            assert_eq!($name as u64, v[concat!("const ", stringify!($name))], stringify!($name));
            checked += 1;
        )*};
    }
    c!(MEMBW_NCHANNELS, MEMBW_CH_READ, MEMBW_CH_WRITE, MEMBW_NO_DOMAIN, MEMBW_UNLIMITED,
       MEMBW_MAX_CPUS, MEMBW_MAX_DOMAINS, MEMBW_MAX_EVENTS_PER_PERIOD, MEMBW_EPERM, MEMBW_ENOENT,
       MEMBW_EIO, MEMBW_EAGAIN, MEMBW_EBUSY, MEMBW_ENODEV, MEMBW_EINVAL, MEMBW_ENOSPC,
       MEMBW_ERANGE, MEMBW_EOPNOTSUPP, MEMBW_FORMAT_MAX, MEMBW_PERIOD_DEFAULT_NS,
       MEMBW_PERIOD_MIN_NS, MEMBW_PERIOD_MAX_NS, MEMBW_SHARE_NONE, MEMBW_SHARE_SPARE,
       MEMBW_SHARE_PROPORTIONAL, MEMBW_BACKEND_ABI_VERSION, MEMBW_COUNT_USER, MEMBW_COUNT_KERNEL,
       MEMBW_COUNT_HYP, MEMBW_COUNT_ALL, MEMBW_CAP_LINE_SIZE_PROBED, MEMBW_CAP_LATE_OVERFLOW,
       MEMBW_CAP_GENERIC_EVENTS, MEMBW_CPU_ONLINE, MEMBW_CPU_REGULATED, MEMBW_CPU_THROTTLED,
       MEMBW_CPU_RELEASED, MEMBW_CH_READ_BIT, MEMBW_CH_WRITE_BIT, MEMBW_STORAGE_ALIGN,
       MEMBW_MEMTALK_NREGS, MEMBW_MEMTALK_FID_PREFIX, MEMBW_MEMTALK_FN_VERSION,
       MEMBW_MEMTALK_FN_SET_BUDGET, MEMBW_MEMTALK_FN_GET_BUDGET, MEMBW_MEMTALK_FN_GET_STATS,
       MEMBW_MEMTALK_MAGIC, MEMBW_MEMTALK_CTL_V1, MEMBW_MEMTALK_OK, MEMBW_MEMTALK_NOT_SUPPORTED,
       MEMBW_MEMTALK_INVALID_PARAMETER, MEMBW_MEMTALK_BAD_VERSION, MEMBW_MEMTALK_DENIED,
       MEMBW_MEMTALK_RANGE, MEMBW_MEMTALK_RATE_LIMITED, MEMBW_MEMTALK_BUSY,
       MEMBW_MEMTALK_HOST_ERROR, MEMBW_MEMTALK_STATS_PAGES, MEMBW_MEMTALK_HOST_OWNS_RANGE,
       MEMBW_MEMTALK_MAX_VMS, MEMBW_MEMTALK_ALIGN, MEMBW_MEMTALK_BASE_AUTO,
       MEMBW_TRACE_PERIOD_END, MEMBW_TRACE_THROTTLE, MEMBW_TRACE_UNTHROTTLE, MEMBW_TRACE_GRANT,
       MEMBW_TRACE_DONATE, MEMBW_TRACE_RELEASE_ALL, MEMBW_TRACE_RESTART, MEMBW_TRACE_ANOMALY);
    #[cfg(feature = "agent")]
    {
        use membw_sys::agent::*;
        c!(MEMBW_AGENT_UNLIMITED, MEMBW_AGENT_KEEP, MEMBW_AGENT_EINVAL, MEMBW_AGENT_ENODEV,
           MEMBW_AGENT_EACCES, MEMBW_AGENT_EABSENT, MEMBW_AGENT_EDRIVER, MEMBW_AGENT_ESYSTEM,
           MEMBW_AGENT_ENOTSUPPORTED, MEMBW_AGENT_EPARAMETER, MEMBW_AGENT_EVERSION,
           MEMBW_AGENT_EDENIED, MEMBW_AGENT_ERANGE, MEMBW_AGENT_ERATELIMITED, MEMBW_AGENT_EBUSY,
           MEMBW_AGENT_EHOST, MEMBW_AGENT_EBADSTATUS);
    }
    // Every constant the C side prints that belongs to the API this crate covers is declared
    // (the agent's only with the `agent` feature).
    let sim_only = ["const MEMBW_SIM_NVARIANTS", "const MEMBW_SIM_NAME_MAX"];
    let agent = cfg!(feature = "agent");
    let printed = v.keys().filter(|k| {
        k.starts_with("const ") && !sim_only.contains(&k.as_str()) && (agent || !k.starts_with("const MEMBW_AGENT_"))
    });
    assert_eq!(printed.count(), checked, "a constant of layout.c is not declared here");
}

#[test]
fn links_and_calls() {
    // SAFETY: membw_version_number() takes nothing and returns a number.
    let v = unsafe { membw_version_number() };
    assert_eq!(v / 1_000_000, 0, "major version 0");
}
