/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal dom0less domU for the Xen test (tests/xen/README.md): EL1, MMU off, one vCPU,
 * console on Xen's emulated PL011 (the dom0less "vpl011" property), memtalk through HVC #0 with
 * libmembw's guest side. Built twice (mk/xen.mk):
 *   DOMU_ROLE_REGULATED: the domain membw= gives a budget: memtalk answers, refusals, a budget
 *     set from here, then a fixed workload that must take at least the periods the budget
 *     implies, and the host's statistics of it;
 *   DOMU_ROLE_FREE: a domain membw= does not name: memtalk is there but refuses it, and the same
 *     workload runs at full speed.
 * Every line it prints starts with "domU<role>"; the last is "RESULT domU<role>: PASS|FAIL".
 * With memtalk absent (stock Xen, or membw= not given) each role ends with
 * "RESULT domU-<role>: NO-MEMTALK" (the regulated one after checking that owner 6's Call UID
 * answered SMCCC NOT_SUPPORTED), which tests/xen/run expects there.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <membw/memtalk_guest.h>

#include "domu.h"

size_t pf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#if DOMU_ROLE_REGULATED
#define ROLE "domU-regulated"
#else
#define ROLE "domU-free"
#endif

/* Xen's emulated PL011 for dom0less domUs (GUEST_PL011_BASE in Xen's public arch-arm.h):
 * data register at 0, flag register at 0x18 with TXFF (transmit FIFO full) at bit 5 (Arm PL011
 * TRM, UARTFR). */
#define VPL011_BASE 0x22000000ul
#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_FR_TXFF (1u << 5)

static unsigned int passed, failed;

static void putc_uart(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(VPL011_BASE + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(VPL011_BASE + UART_DR);

	while (*fr & UART_FR_TXFF)
		;
	*dr = (uint32_t)(unsigned char)c;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	pf_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++)
		putc_uart(*p);
}

static void check(bool ok, const char *fact, long long got, long long want)
{
	if (ok) {
		passed++;
		say("PASS " ROLE ": %s\n", fact);
	} else {
		failed++;
		say("FAIL " ROLE ": %s (got %lld, expected %lld)\n", fact, got, want);
	}
}

/* memtalk is absent (stock Xen, or no membw=): the run's result line says so. Returns 1. */
static int no_memtalk(void)
{
	say("SUMMARY " ROLE ": %u passed, %u failed\n", passed, failed);
	say("RESULT " ROLE ": %s\n", failed ? "FAIL" : "NO-MEMTALK");
	return 1;
}

static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static uint64_t now_ns(void)
{
	uint64_t f = cntfrq(), t = cntvct();

	return t / f * 1000000000ull + t % f * 1000000000ull / f;
}

/* DOMU_WORK_ITERATIONS x (subs + b.ne) = 2 instructions per iteration, at EL1. */
static void workload(uint64_t iterations)
{
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(iterations) : : "cc");
}

static void raw_call(struct membw_memtalk_regs *r)
{
	membw_memtalk_call_hvc(r);
}

/* The workload, timed in guest time (CNTVCT; under -icount a fixed number of instructions per
 * nanosecond while the vCPU runs, and the time it is paused counts too). */
static uint64_t timed_workload(void)
{
	uint64_t t0 = now_ns(), t1;

	workload(DOMU_WORK_ITERATIONS);
	t1 = now_ns();
	return t1 - t0;
}

#if DOMU_ROLE_REGULATED
/* Fewest nanoseconds of guest time, over 200 tries, of one call: under -icount shift=0 that is
 * instructions (EL1 and Xen's EL2 alike, the other pCPU idle), to CNTVCT's 16 ns resolution.
 * The fewest, so that a throttle pause or the other pCPU's tick inside a try does not count. */
static uint64_t fewest_ns(uint64_t fid)
{
	uint64_t best = ~0ull;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		struct membw_memtalk_regs r = { .r = { fid } };
		uint64_t t0 = cntvct(), t1;

		raw_call(&r);
		t1 = cntvct();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best * 1000000000ull / cntfrq();
}

/* Reported, never asserted: the round trip of memtalk's VERSION through Xen's SMCCC path, and
 * of Xen's own CALL_COUNT query of the standard hypervisor range (owner 5), which takes the same
 * trap and vsmccc_handle_call() without memtalk. */
static void note_call_cost(void)
{
	struct membw_memtalk_regs v;

	membw_memtalk_encode_version(&v, MEMBW_MEMTALK_BASE_DEFAULT);
	say(ROLE ": NOTE memtalk VERSION round trip: %llu ns = instructions at -icount shift=0 "
	    "(fewest of 200)\n", (unsigned long long)fewest_ns(v.r[0]));
	say(ROLE ": NOTE Xen's own owner-5 CALL_COUNT round trip: %llu ns (fewest of 200)\n",
	    (unsigned long long)fewest_ns(0x8500FF00ull));
}

static int regulated(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = { .size = sizeof(b) };
	struct membw_memtalk_stats st = { .size = sizeof(st) };
	struct membw_memtalk_regs r = { .r = { MEMBW_MEMTALK_FID_CALL_UID } };
	uint64_t elapsed, need;
	int rc;

	raw_call(&r);
	say(ROLE ": Call UID of owner 6 answered x0 0x%llx\n", (unsigned long long)r.r[0]);
	rc = membw_memtalk_guest_probe(&g, raw_call, MEMBW_MEMTALK_BASE_AUTO);
	if (rc == -MEMBW_ENODEV) {
		/* stock Xen: SMCCC "unknown function" is -1 in X0 (Arm DEN0028, NOT_SUPPORTED) */
		check(r.r[0] == (uint64_t)-1,
		      "without memtalk, owner 6's Call UID answers SMCCC NOT_SUPPORTED (-1)",
		      (long long)r.r[0], -1);
		return no_memtalk();
	}
	check(rc == 0, "memtalk found: Call UID is memtalk's, VERSION carries the magic", rc, 0);
	if (rc)
		return -1;
	check(g.version == ((1u << 16) | 0u), "memtalk VERSION is 1.0", g.version, 1u << 16);
	rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
	check(rc == 0 && b.current_bps == DOMU_BPS(DOMU_INITIAL_LINES),
	      "GET_BUDGET: the initial read budget is the one membw= gave this domain",
	      (long long)b.current_bps, (long long)DOMU_BPS(DOMU_INITIAL_LINES));
	check(rc == 0 && b.cap_bps == DOMU_BPS(DOMU_CAP_LINES) &&
		      b.floor_bps == DOMU_BPS(DOMU_FLOOR_LINES),
	      "GET_BUDGET: cap and floor are membw='s", (long long)b.cap_bps,
	      (long long)DOMU_BPS(DOMU_CAP_LINES));
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_CAP_LINES + 1), MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET one line per period above the cap: refused (DENIED)",
	      rc, -MEMBW_EPERM);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_FLOOR_LINES - 1), MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET below the floor: refused (DENIED)", rc,
	      -MEMBW_EPERM);
	membw_memtalk_encode_set_budget(&r, MEMBW_MEMTALK_BASE_DEFAULT, DOMU_BPS(DOMU_BUDGET_LINES),
					MEMBW_UNLIMITED);
	r.r[4] = 1; /* must be 0 (docs/memtalk.md) */
	raw_call(&r);
	check((int64_t)r.r[0] == MEMBW_MEMTALK_INVALID_PARAMETER,
	      "SET_BUDGET with X4 not 0: INVALID_PARAMETER", (long long)r.r[0],
	      MEMBW_MEMTALK_INVALID_PARAMETER);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_BUDGET_LINES), MEMBW_UNLIMITED);
	check(rc == 0, "SET_BUDGET within floor .. cap: accepted", rc, 0);
	rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
	check(rc == 0 && b.current_bps == DOMU_BPS(DOMU_BUDGET_LINES),
	      "GET_BUDGET reads the new budget back", (long long)b.current_bps,
	      (long long)DOMU_BPS(DOMU_BUDGET_LINES));

	/* The rate limit (membw= runtime: one costly call per ms, bursts of 4; refused calls cost
	 * nothing): 8 more SET_BUDGETs of the same budget back to back meet RATE_LIMITED with a
	 * wait of 1 .. 4 ms, and the budget stays the one accepted. */
	{
		unsigned int i, limited = 0;
		uint64_t wait = 0;

		for (i = 0; i < 8; i++) {
			membw_memtalk_encode_set_budget(&r, MEMBW_MEMTALK_BASE_DEFAULT,
							DOMU_BPS(DOMU_BUDGET_LINES), MEMBW_UNLIMITED);
			raw_call(&r);
			if ((int64_t)r.r[0] == MEMBW_MEMTALK_RATE_LIMITED && !limited++)
				wait = r.r[1];
		}
		say(ROLE ": %u of 8 SET_BUDGETs rate-limited, the first with a wait of %llu ns\n",
		    limited, (unsigned long long)wait);
		check(limited > 0, "SET_BUDGET back to back: RATE_LIMITED at least once",
		      (long long)limited, 1);
		check(wait > 0 && wait <= 4 * DOMU_PERIOD_NS,
		      "RATE_LIMITED says how long to wait: 1 ns .. 4 ms", (long long)wait,
		      (long long)(4 * DOMU_PERIOD_NS));
		rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
		check(rc == 0 && b.current_bps == DOMU_BPS(DOMU_BUDGET_LINES),
		      "the budget after the rate-limited burst is the one accepted",
		      (long long)b.current_bps, (long long)DOMU_BPS(DOMU_BUDGET_LINES));
	}
	/* Reach for the PMU: Xen traps every guest PMU access (MDCR_EL2.TPM | TPMCR) and
	 * answers PMCR_EL0 and the PMSELR/PMXEV* pair read-as-zero / writes-ignored, so PMCR_EL0.N
	 * reads 0 (no counters) and none of these writes may weaken the workload's throttling
	 * below: E = 0 + P = 1 in PMCR_EL0, every counter disabled, counter 5 (one of Xen's, at
	 * or above HPMN) selected and zeroed. */
	{
		uint64_t pmcr;

		__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
		check(pmcr == 0, "the guest reads PMCR_EL0 as 0 (no counters: the PMU stays trapped)",
		      (long long)pmcr, 0);
		__asm__ volatile("msr pmcr_el0, %0\n\tmsr pmcntenclr_el0, %1\n\t"
				 "msr pmselr_el0, %2\n\tisb\n\tmsr pmxevcntr_el0, xzr\n\tisb"
				 : : "r"(2ull), "r"(~0ull), "r"(5ull) : "memory");
	}
	/* Let the free domU finish its own workload first (QEMU's INST_RETIRED is the global
	 * instruction count: docs/xen.md), then the measured one. */
	while (now_ns() < DOMU_START_NS)
		workload(1000);
	elapsed = timed_workload();
	/* W instructions at B + skid per period need at least ceil(W / (B + skid)) - 1 whole
	 * periods of waiting: the time cannot be shorter than that many periods. */
	need = ((2ull * DOMU_WORK_ITERATIONS + DOMU_BUDGET_LINES + DOMU_SKID_LINES - 1) /
		(DOMU_BUDGET_LINES + DOMU_SKID_LINES) - 1) * DOMU_PERIOD_NS;
	say(ROLE ": workload of %llu instructions took %llu ns of guest time (throttled: at least "
	    "%llu ns)\n", 2ull * DOMU_WORK_ITERATIONS, (unsigned long long)elapsed,
	    (unsigned long long)need);
	check(elapsed >= need, "the workload took at least the periods its budget implies",
	      (long long)elapsed, (long long)need);
	rc = membw_memtalk_guest_get_stats(&g, &st);
	say(ROLE ": host stats: %llu periods of %llu ns, %llu throttled, %llu ns throttled\n",
	    (unsigned long long)st.periods, (unsigned long long)st.period_ns,
	    (unsigned long long)st.throttle_count, (unsigned long long)st.throttled_ns);
	say(ROLE ": host stats: read %llu bytes, allowed %llu bytes, over %llu bytes\n",
	    (unsigned long long)st.used_bytes[0], (unsigned long long)st.allowance_bytes[0],
	    (unsigned long long)st.overshoot_bytes[0]);
	check(rc == 0 && st.period_ns == DOMU_PERIOD_NS, "GET_STATS: the host's period is membw='s",
	      (long long)st.period_ns, DOMU_PERIOD_NS);
	/* the sum of the per-period overshoots: <= skid per period if every period is */
	check(rc == 0 && st.overshoot_bytes[0] <= st.periods * DOMU_SKID_LINES * DOMU_LINE_BYTES,
	      "GET_STATS: bytes over the allowance <= the skid (512 lines) per closed period",
	      (long long)st.overshoot_bytes[0],
	      (long long)(st.periods * DOMU_SKID_LINES * DOMU_LINE_BYTES));
	check(st.throttle_count * DOMU_PERIOD_NS >= need,
	      "GET_STATS: the host throttled this domain in at least as many periods",
	      (long long)st.throttle_count, (long long)(need / DOMU_PERIOD_NS));
	note_call_cost();
	return 0;
}
#else
static int free_run(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = { .size = sizeof(b) };
	uint64_t elapsed;
	int rc;

	elapsed = timed_workload();
	say(ROLE ": workload of %llu instructions took %llu ns of guest time\n",
	    2ull * DOMU_WORK_ITERATIONS, (unsigned long long)elapsed);
	/* A throttled run would take about W / B periods (tens of ms); unthrottled it is W ns at
	 * one instruction per ns, or twice that with the other vCPU running in turn. */
	check(elapsed <= DOMU_FREE_MAX_NS, "the unregulated domain's workload was not slowed down",
	      (long long)elapsed, DOMU_FREE_MAX_NS);
	rc = membw_memtalk_guest_probe(&g, raw_call, MEMBW_MEMTALK_BASE_AUTO);
	if (rc == -MEMBW_ENODEV) {
		return no_memtalk();
	}
	check(rc == 0, "memtalk is there for an unregulated domain too (VERSION)", rc, 0);
	if (rc)
		return -1;
	rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
	check(rc == -MEMBW_EPERM, "GET_BUDGET of an unregulated domain: DENIED", rc, -MEMBW_EPERM);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_BUDGET_LINES), MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET of an unregulated domain: DENIED", rc, -MEMBW_EPERM);
	return 0;
}
#endif

void domu_main(void);
void domu_main(void)
{
	uint64_t el;
	int rc;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	say(ROLE ": up at EL%llu\n", (unsigned long long)(el >> 2));
#if DOMU_ROLE_REGULATED
	rc = regulated();
#else
	rc = free_run();
#endif
	if (rc != 1) { /* 1: the run without memtalk has printed its result */
		say("SUMMARY " ROLE ": %u passed, %u failed\n", passed, failed);
		say("RESULT " ROLE ": %s\n", failed || rc ? "FAIL" : "PASS");
	}
	for (;;)
		__asm__ volatile("wfi");
}
