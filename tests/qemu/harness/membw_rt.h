/* SPDX-License-Identifier: MIT */
/*
 * A minimal bare-metal libmembw runtime for one core at EL1, on the armv8 backend:
 *   - the period timer is the platform timer (CNTP, PPI 30) armed for each next period start;
 *   - the PMU overflow interrupt (PPI 23) calls armv8_overflow_ack() then membw_overflow();
 *   - env.throttle marks the CPU; the platform's IRQ exit hook then holds the CPU in WFI
 *     (interrupts masked, pending ones handled with platform_irq_poll()) until the tick handler's
 *     membw_tick() calls env.unthrottle. So the interrupted work (at EL0 or EL1) does not run
 *     while throttled, and the CPU idles.
 * Every PERIOD_END event of the read channel is logged for the tests.
 */
#ifndef QEMU_MEMBW_RT_H
#define QEMU_MEMBW_RT_H

#include <membw/membw.h>

#include "armv8.h"

struct rt_setup {
	uint64_t period_ns;     /* period, ns */
	uint64_t budget_events; /* read budget per period, events (lines) */
	uint32_t reclaim;       /* 0 or 1 */
	uint32_t levels;        /* MEMBW_COUNT_* */
	uint64_t event;         /* ARMV8_EVENT(n) for the read channel */
	uint32_t armv8_flags;   /* ARMV8_FLAG_* */
	uint32_t ncounters;     /* event counters handed to the backend (from counter 0) */
	/* 1: no trace hook (rt_log() then has no periods): how a production runtime runs, and so
	 * how the benchmark measures; tests keep it 0 to check every period. */
	uint32_t untraced;
	/* The backend descriptor, NULL for membw_armv8_backend (tests wrap its hooks). Its state must
	 * be the armv8 backend's (same priv_size, armv8_ctx as backend_ctx). */
	const struct membw_backend *backend;
};

/* One closed period of the read channel (a MEMBW_TRACE_PERIOD_END event). */
struct rt_period {
	uint64_t epoch, used, allowance, overshoot;
	uint32_t periods;
};

#define RT_MAX_PERIODS 256u

struct rt_log {
	struct rt_period period[RT_MAX_PERIODS];
	unsigned int nperiods;  /* entries in period[] */
	unsigned int lost;      /* PERIOD_END events beyond RT_MAX_PERIODS */
	uint64_t throttles;     /* env.throttle calls */
	uint64_t unthrottles;   /* env.unthrottle calls */
	uint64_t ticks;         /* timer interrupts */
	uint64_t overflow_irqs; /* PMU interrupts */
	uint64_t wfi_wakeups;   /* WFI returns while throttled */
	int last_error;         /* first nonzero return of an entry point, else 0 */
};

/* Create the policy (one CPU, one domain with @s's budget), bring CPU 0 online, start the period
 * timer and route both interrupts. Returns 0 or the failing call's error (printed). */
int rt_start(const struct rt_setup *s);
/* Take CPU 0 offline (closing the period in progress), stop the timer and the interrupts. */
int rt_stop(void);

struct membw *rt_policy(void);
void *rt_priv(void);
/* The backend context the policy was created with (probe results: core_name, fell_back, ...). */
const struct armv8_ctx *rt_backend_ctx(void);
const struct rt_log *rt_log(void);

/* The interrupt handlers, for images that wrap them (the benchmark measures them). */
void rt_on_pmu_irq(unsigned int intid, void *arg);
void rt_on_tick(unsigned int intid, void *arg);
/* The exit hook rt_start() installs: a throttled CPU waits in WFI until a tick releases it. For
 * images that wrap it (the benchmark leaves the idle wait out of its measurement). */
void rt_hold_while_throttled(void);

#endif /* QEMU_MEMBW_RT_H */
