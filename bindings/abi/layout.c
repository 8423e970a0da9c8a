/* SPDX-License-Identifier: MIT */
/*
 * The C compiler's view of the public ABI the bindings declare again (ctypes in
 * bindings/python, membw-sys in bindings/rust): one line per fact, "size NAME N", "align NAME N",
 * "offset NAME.FIELD N" and "const NAME N". The bindings' layout tests compile this with the
 * system C compiler and compare every line with their own declarations, so the two never drift.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>

#include <membw/membw.h>
#include <membw/memtalk_abi.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>
#include "membw_sim.h"
/* The guest-agent API is a library of its own; its facts are printed when its header is here. */
#if __has_include(<membw/agent.h>)
#include <membw/agent.h>
#define HAVE_AGENT 1
#endif

#define SIZE(T)                                                                                    \
	printf("size %s %zu\nalign %s %zu\n", #T, sizeof(struct T), #T, alignof(struct T))
#define OFF(T, F) printf("offset %s.%s %zu\n", #T, #F, offsetof(struct T, F))
#define CONST(C) printf("const %s %llu\n", #C, (unsigned long long)(C))
/* The snapshot fields struct membw_memtalk_stats and struct membw_agent_stats both carry. */
#define STATS(T)                                                                                   \
	do {                                                                                       \
		SIZE(T);                                                                           \
		OFF(T, sequence); OFF(T, periods); OFF(T, period_ns); OFF(T, throttled_ns);        \
		OFF(T, throttle_count); OFF(T, missed_periods); OFF(T, used_bytes);                \
		OFF(T, allowance_bytes); OFF(T, overshoot_bytes);                                  \
	} while (0)

int main(void)
{
	SIZE(membw_config);
	OFF(membw_config, size); OFF(membw_config, ncpus); OFF(membw_config, ndomains);
	OFF(membw_config, sharing); OFF(membw_config, period_ns); OFF(membw_config, reclaim);
	OFF(membw_config, levels); OFF(membw_config, event); OFF(membw_config, chunk_divisor);
	OFF(membw_config, min_chunk_events);
	SIZE(membw_backend_info);
	OFF(membw_backend_info, channels); OFF(membw_backend_info, counter_bits);
	OFF(membw_backend_info, line_size); OFF(membw_backend_info, levels);
	OFF(membw_backend_info, caps);
	SIZE(membw_counter_setup);
	OFF(membw_counter_setup, levels); OFF(membw_counter_setup, event);
	SIZE(membw_backend);
	OFF(membw_backend, name); OFF(membw_backend, priv_size); OFF(membw_backend, reserved);
	OFF(membw_backend, probe); OFF(membw_backend, cpu_init); OFF(membw_backend, arm);
	OFF(membw_backend, read); OFF(membw_backend, stop); OFF(membw_backend, cpu_exit);
	OFF(membw_backend, rearm); OFF(membw_backend, direct_reader);
	SIZE(membw_direct_reader);
	OFF(membw_direct_reader, read); OFF(membw_direct_reader, ctx);
	SIZE(membw_trace_record);
	OFF(membw_trace_record, cpu); OFF(membw_trace_record, domain);
	OFF(membw_trace_record, channel); OFF(membw_trace_record, now_ns);
	OFF(membw_trace_record, epoch); OFF(membw_trace_record, used);
	OFF(membw_trace_record, allowance); OFF(membw_trace_record, overshoot);
	OFF(membw_trace_record, amount); OFF(membw_trace_record, shortfall);
	OFF(membw_trace_record, source); OFF(membw_trace_record, periods);
	SIZE(membw_env);
	OFF(membw_env, ctx); OFF(membw_env, throttle); OFF(membw_env, unthrottle);
	OFF(membw_env, kick_all); OFF(membw_env, trace);
	SIZE(membw_channel_stats);
	OFF(membw_channel_stats, used); OFF(membw_channel_stats, shortfall);
	SIZE(membw_totals);
	OFF(membw_totals, periods); OFF(membw_totals, anomalies); OFF(membw_totals, ch);
	SIZE(membw_cpu_stats);
	OFF(membw_cpu_stats, domain); OFF(membw_cpu_stats, state); OFF(membw_cpu_stats, epoch);
	OFF(membw_cpu_stats, totals);
	SIZE(membw_domain_stats);
	OFF(membw_domain_stats, ncpus); OFF(membw_domain_stats, nonline);
	OFF(membw_domain_stats, budget_bps); OFF(membw_domain_stats, budget_events);
	OFF(membw_domain_stats, totals);
	SIZE(membw_memtalk_regs);
	SIZE(membw_memtalk_vm_limits);
	OFF(membw_memtalk_vm_limits, domain); OFF(membw_memtalk_vm_limits, cap_bps);
	OFF(membw_memtalk_vm_limits, floor_bps);
	SIZE(membw_memtalk_host_config);
	OFF(membw_memtalk_host_config, nvms); OFF(membw_memtalk_host_config, base);
	OFF(membw_memtalk_host_config, flags); OFF(membw_memtalk_host_config, min_interval_ns);
	OFF(membw_memtalk_host_config, burst); OFF(membw_memtalk_host_config, reserved);
	SIZE(membw_memtalk_guest);
	OFF(membw_memtalk_guest, call); OFF(membw_memtalk_guest, base);
	OFF(membw_memtalk_guest, version); OFF(membw_memtalk_guest, functions);
	OFF(membw_memtalk_guest, reserved);
	SIZE(membw_memtalk_budget);
	OFF(membw_memtalk_budget, current_bps); OFF(membw_memtalk_budget, cap_bps);
	OFF(membw_memtalk_budget, floor_bps);
	STATS(membw_memtalk_stats);
	SIZE(membw_sim_core_result);
	OFF(membw_sim_core_result, regulated); OFF(membw_sim_core_result, name);
	OFF(membw_sim_core_result, budget_bps); OFF(membw_sim_core_result, bytes);
	OFF(membw_sim_core_result, duration_ns); OFF(membw_sim_core_result, work_ns);
	OFF(membw_sim_core_result, solo_work_ns); OFF(membw_sim_core_result, throttled_ns);
	OFF(membw_sim_core_result, max_overshoot_bytes); OFF(membw_sim_core_result, periods);
	OFF(membw_sim_core_result, throttle_count);

	CONST(MEMBW_NCHANNELS); CONST(MEMBW_CH_READ); CONST(MEMBW_CH_WRITE);
	CONST(MEMBW_NO_DOMAIN); CONST(MEMBW_UNLIMITED); CONST(MEMBW_MAX_CPUS);
	CONST(MEMBW_MAX_DOMAINS); CONST(MEMBW_MAX_EVENTS_PER_PERIOD);
	CONST(MEMBW_EPERM); CONST(MEMBW_ENOENT); CONST(MEMBW_EIO); CONST(MEMBW_EAGAIN);
	CONST(MEMBW_EBUSY); CONST(MEMBW_ENODEV); CONST(MEMBW_EINVAL); CONST(MEMBW_ENOSPC);
	CONST(MEMBW_ERANGE); CONST(MEMBW_EOPNOTSUPP);
	CONST(MEMBW_FORMAT_MAX);
	CONST(MEMBW_PERIOD_DEFAULT_NS); CONST(MEMBW_PERIOD_MIN_NS); CONST(MEMBW_PERIOD_MAX_NS);
	CONST(MEMBW_SHARE_NONE); CONST(MEMBW_SHARE_SPARE); CONST(MEMBW_SHARE_PROPORTIONAL);
	CONST(MEMBW_BACKEND_ABI_VERSION);
	CONST(MEMBW_COUNT_USER); CONST(MEMBW_COUNT_KERNEL); CONST(MEMBW_COUNT_HYP);
	CONST(MEMBW_COUNT_ALL);
	CONST(MEMBW_CAP_LINE_SIZE_PROBED); CONST(MEMBW_CAP_LATE_OVERFLOW);
	CONST(MEMBW_CAP_GENERIC_EVENTS);
	CONST(MEMBW_CPU_ONLINE); CONST(MEMBW_CPU_REGULATED); CONST(MEMBW_CPU_THROTTLED);
	CONST(MEMBW_CPU_RELEASED);
	CONST(MEMBW_CH_READ_BIT); CONST(MEMBW_CH_WRITE_BIT);
	CONST(MEMBW_STORAGE_ALIGN);
	CONST(MEMBW_MEMTALK_NREGS); CONST(MEMBW_MEMTALK_FID_PREFIX);
	CONST(MEMBW_MEMTALK_FN_VERSION); CONST(MEMBW_MEMTALK_FN_SET_BUDGET);
	CONST(MEMBW_MEMTALK_FN_GET_BUDGET); CONST(MEMBW_MEMTALK_FN_GET_STATS);
	CONST(MEMBW_MEMTALK_MAGIC); CONST(MEMBW_MEMTALK_CTL_V1);
	CONST(MEMBW_MEMTALK_OK); CONST(MEMBW_MEMTALK_NOT_SUPPORTED);
	CONST(MEMBW_MEMTALK_INVALID_PARAMETER); CONST(MEMBW_MEMTALK_BAD_VERSION);
	CONST(MEMBW_MEMTALK_DENIED); CONST(MEMBW_MEMTALK_RANGE);
	CONST(MEMBW_MEMTALK_RATE_LIMITED); CONST(MEMBW_MEMTALK_BUSY);
	CONST(MEMBW_MEMTALK_HOST_ERROR); CONST(MEMBW_MEMTALK_STATS_PAGES);
	CONST(MEMBW_MEMTALK_HOST_OWNS_RANGE); CONST(MEMBW_MEMTALK_MAX_VMS);
	CONST(MEMBW_MEMTALK_ALIGN); CONST(MEMBW_MEMTALK_BASE_AUTO);
	CONST(MEMBW_TRACE_PERIOD_END); CONST(MEMBW_TRACE_THROTTLE); CONST(MEMBW_TRACE_UNTHROTTLE);
	CONST(MEMBW_TRACE_GRANT); CONST(MEMBW_TRACE_DONATE); CONST(MEMBW_TRACE_RELEASE_ALL);
	CONST(MEMBW_TRACE_RESTART); CONST(MEMBW_TRACE_ANOMALY);
	CONST(MEMBW_SIM_NVARIANTS); CONST(MEMBW_SIM_NAME_MAX);
#ifdef HAVE_AGENT
	SIZE(membw_agent_info);
	OFF(membw_agent_info, present); OFF(membw_agent_info, version); OFF(membw_agent_info, base);
	OFF(membw_agent_info, functions); OFF(membw_agent_info, interface);
	OFF(membw_agent_info, budget_bps); OFF(membw_agent_info, cap_bps);
	OFF(membw_agent_info, floor_bps); OFF(membw_agent_info, conduit);
	OFF(membw_agent_info, reason);
	STATS(membw_agent_stats);
	CONST(MEMBW_AGENT_UNLIMITED); CONST(MEMBW_AGENT_KEEP);
	CONST(MEMBW_AGENT_EINVAL); CONST(MEMBW_AGENT_ENODEV); CONST(MEMBW_AGENT_EACCES);
	CONST(MEMBW_AGENT_EABSENT); CONST(MEMBW_AGENT_EDRIVER); CONST(MEMBW_AGENT_ESYSTEM);
	CONST(MEMBW_AGENT_ENOTSUPPORTED); CONST(MEMBW_AGENT_EPARAMETER);
	CONST(MEMBW_AGENT_EVERSION); CONST(MEMBW_AGENT_EDENIED); CONST(MEMBW_AGENT_ERANGE);
	CONST(MEMBW_AGENT_ERATELIMITED); CONST(MEMBW_AGENT_EBUSY); CONST(MEMBW_AGENT_EHOST);
	CONST(MEMBW_AGENT_EBADSTATUS);
#endif
	return 0;
}
