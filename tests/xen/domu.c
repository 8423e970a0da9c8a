/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal dom0less domU for the Xen test (tests/xen/README.md): EL1, MMU off, one vCPU,
 * console on Xen's emulated PL011 (the dom0less "vpl011" property), memtalk through HVC #0 with
 * libmembw's guest side. Built twice (mk/xen.mk):
 *   DOMU_ROLE_REGULATED: the domain membw= gives a budget: memtalk answers, refusals, a budget
 *     set from here, then a fixed workload that must take at least the periods the budget
 *     implies, and the host's statistics of it;
 *   DOMU_ROLE_FREE: a domain membw= does not name: memtalk is there but refuses it, and the same
 *     workload runs at full speed;
 *   DOMU_ROLE_REGULATED with DOMU_PAIR (a third image): the regulated domain of the "dt" case,
 *     DOMU_PAIR_CPUS vCPUs and the budget, cap and floor of its device-tree node; vCPU 0 starts
 *     vCPU 1 (PSCI CPU_ON) and both run the workload at once: one domain, one budget;
 *   DOMU_ADMINED (a fourth image, with DOMU_ROLE_REGULATED 0): domain 1 of the "dom0" case, beside
 *     the hardware domain of tests/xen/dom0.c: reads membw='s numbers, waits for dom0's admin
 *     call to replace them, checks they stay after dom0's refused calls and that its own
 *     SET_BUDGET now meets dom0's cap and floor.
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

#ifndef DOMU_PAIR
#define DOMU_PAIR 0
#endif
#ifndef DOMU_ADMINED
#define DOMU_ADMINED 0
#endif

size_t pf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* domu_start.S: where vCPU 1 starts, and the C it calls */
void domu_secondary_entry(void);
void domu_secondary_main(void);

#if DOMU_ADMINED
#define ROLE "domU-admined"
#elif DOMU_ROLE_REGULATED && DOMU_PAIR
#define ROLE "domU-pair"
/* what GET_BUDGET must answer: the device tree's numbers */
#define EXPECT_INITIAL DOMU_DT_INITIAL_LINES
#define EXPECT_CAP DOMU_DT_CAP_LINES
#define EXPECT_FLOOR DOMU_DT_FLOOR_LINES
#define SOURCE "its device-tree node"
#define NCPUS DOMU_PAIR_CPUS
#define ITERATIONS DOMU_PAIR_ITERATIONS
#elif DOMU_ROLE_REGULATED
#define ROLE "domU-regulated"
#define EXPECT_INITIAL DOMU_INITIAL_LINES
#define EXPECT_CAP DOMU_CAP_LINES
#define EXPECT_FLOOR DOMU_FLOOR_LINES
#define SOURCE "membw="
#define NCPUS 1ull
#define ITERATIONS DOMU_WORK_ITERATIONS
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

#if !DOMU_ADMINED
/* Xen's admin call asking for domain @domain's read budget, cap and floor to become 10 GB/s
 * (156 250 lines per period, above every cap here): its answer in X0. */
static int64_t admin_call(uint64_t domain)
{
	struct membw_memtalk_regs r = { .r = { DOMU_FID_ADMIN_SET, domain, DOMU_BPS(156250),
					       DOMU_BPS(156250), DOMU_BPS(156250) } };

	raw_call(&r);
	say(ROLE ": the admin call for domain %llu answered %lld\n", (unsigned long long)domain,
	    (long long)r.r[0]);
	return (int64_t)r.r[0];
}

#endif

#if !DOMU_PAIR && !DOMU_ADMINED
/* @iterations of the workload, timed in guest time (CNTVCT; under -icount a fixed number of
 * instructions per nanosecond while the vCPU runs, and the time it is paused counts too): the
 * guest times it started and ended. */
static void timed_workload(uint64_t iterations, volatile uint64_t *start, volatile uint64_t *end)
{
	*start = now_ns();
	workload(iterations);
	*end = now_ns();
}
#endif

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

/* Whole periods a domain at DOMU_BUDGET_LINES per period, each of its NCPUS vCPUs overrunning
 * by at most DOMU_SKID_LINES, must wait to run @instructions: ceil(W / (B + NCPUS x skid)) - 1,
 * in ns. */
static uint64_t periods_needed(uint64_t instructions)
{
	uint64_t per = DOMU_BUDGET_LINES + NCPUS * DOMU_SKID_LINES;

	return ((instructions + per - 1) / per - 1) * DOMU_PERIOD_NS;
}

/* Each vCPU's workload, guest times in ns; vCPU 1 writes its own and then pair_done. With the
 * MMU off both vCPUs' accesses are Device-nGnRnE, so plain volatile stores are seen in order. */
static volatile uint64_t pair_start[DOMU_PAIR_CPUS], pair_end[DOMU_PAIR_CPUS];
static volatile uint64_t pair_done;

#if DOMU_PAIR
/* PSCI (Arm DEN0022) CPU_ON, SMC64 function ID; SUCCESS is 0. Xen's virtual PSCI answers it
 * (the domU's device tree has a PSCI node with method "hvc"); a dom0less domU's vCPU N has
 * MPIDR affinity N (Aff0) for N < 16. */
#define PSCI_CPU_ON_64 0xC4000003ull

/*
 * The pair's use per period, measured by the guest: each vCPU runs its workload in chunks of
 * CHUNK_ITERS iterations (2 instructions each) and credits them to the guest period (1 ms of
 * CNTVCT, counted from DOMU_START_NS) in which the chunk ended. Between chunks each vCPU runs
 * some bookkeeping of its own (the clock read, the division, the store: 14 instructions as
 * compiled here, by objdump), bounded by CHUNK_EXTRA. A chunk that ends in period p + 1 may have
 * started in p, so p's real use is at most its credit + one chunk and its bookkeeping per vCPU.
 */
#define CHUNK_ITERS 256ull
#define CHUNK_EXTRA 64ull
#define PAIR_PERIODS 1024u
static volatile uint32_t pair_used[DOMU_PAIR_CPUS][PAIR_PERIODS];
static uint64_t ticks_per_period;

static void metered_workload(unsigned int cpu, uint64_t iterations)
{
	uint64_t done, first = DOMU_START_NS / DOMU_PERIOD_NS, p;

	for (done = 0; done < iterations; done += CHUNK_ITERS) {
		workload(CHUNK_ITERS);
		p = cntvct() / ticks_per_period - first;
		pair_used[cpu][p < PAIR_PERIODS ? p : PAIR_PERIODS - 1] += 2 * CHUNK_ITERS;
	}
}

static void run_workload(unsigned int cpu)
{
	pair_start[cpu] = now_ns();
	metered_workload(cpu, ITERATIONS);
	pair_end[cpu] = now_ns();
}

/* vCPU 1 (domu_start.S gives it its own stack): the same workload at the same guest time. */
void domu_secondary_main(void)
{
	while (now_ns() < DOMU_START_NS)
		workload(1000);
	run_workload(1);
	pair_done = 1;
}

static void start_vcpu1(void)
{
	struct membw_memtalk_regs r = {
		.r = { PSCI_CPU_ON_64, 1, (uint64_t)(uintptr_t)domu_secondary_entry, 0 }
	};

	ticks_per_period = cntfrq() * DOMU_PERIOD_NS / 1000000000ull;
	raw_call(&r);
	check(r.r[0] == 0, "PSCI CPU_ON of vCPU 1: SUCCESS", (long long)r.r[0], 0);
}

/* vCPU 1's workload has ended (or 10 s of guest time passed: a FAIL). vCPU 0's waiting is use
 * of the domain's budget too, so it is metered like the workload. */
static bool wait_vcpu1(void)
{
	while (!pair_done && now_ns() < DOMU_START_NS + 10000000000ull)
		metered_workload(0, CHUNK_ITERS);
	check(pair_done, "vCPU 1 ran its workload", (long long)pair_done, 1);
	return pair_done;
}

/* The domain's use in every guest period of its workload: at most budget + skid per vCPU. */
static void check_pair_periods(void)
{
	const uint64_t slack = NCPUS * (2 * CHUNK_ITERS + CHUNK_EXTRA);
	const uint64_t bound = DOMU_BUDGET_LINES + NCPUS * DOMU_SKID_LINES;
	uint64_t most = 0, total = 0, busy = 0, at = 0;
	unsigned int p;

	for (p = 0; p < PAIR_PERIODS; p++) {
		uint64_t use = (uint64_t)pair_used[0][p] + pair_used[1][p];

		total += use;
		busy += use != 0;
		if (use > most) {
			most = use;
			at = p;
		}
	}
	say(ROLE ": the domain's workload: %llu instructions in %llu periods of %llu ns; most in "
	    "one period: %llu (period %llu after the start), %llu on average; bound %llu (budget "
	    "%llu + skid %llu x %llu vCPUs), less %llu for chunk ends\n", (unsigned long long)total,
	    (unsigned long long)busy, DOMU_PERIOD_NS, (unsigned long long)most,
	    (unsigned long long)at, (unsigned long long)(busy ? total / busy : 0),
	    (unsigned long long)bound, DOMU_BUDGET_LINES, DOMU_SKID_LINES, NCPUS,
	    (unsigned long long)slack);
	check(pair_used[0][PAIR_PERIODS - 1] == 0 && pair_used[1][PAIR_PERIODS - 1] == 0,
	      "the workload ended within the periods measured", (long long)PAIR_PERIODS, 0);
	check(most + slack <= bound,
	      "both vCPUs together used at most budget + skid per vCPU in every period",
	      (long long)(most + slack), (long long)bound);
}
#else
/* only the pair image starts a second vCPU */
void domu_secondary_main(void)
{
}

static void run_workload(unsigned int cpu)
{
	timed_workload(ITERATIONS, &pair_start[cpu], &pair_end[cpu]);
}

static void start_vcpu1(void)
{
}

static bool wait_vcpu1(void)
{
	return true;
}

static void check_pair_periods(void)
{
}
#endif

static int regulated(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = { .size = sizeof(b) };
	struct membw_memtalk_stats st = { .size = sizeof(st) };
	struct membw_memtalk_regs r = { .r = { MEMBW_MEMTALK_FID_CALL_UID } };
	uint64_t elapsed, need, v;
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
	check(rc == 0 && b.current_bps == DOMU_BPS(EXPECT_INITIAL),
	      "GET_BUDGET: the initial read budget is the one " SOURCE " gave this domain",
	      (long long)b.current_bps, (long long)DOMU_BPS(EXPECT_INITIAL));
	check(rc == 0 && b.cap_bps == DOMU_BPS(EXPECT_CAP) && b.floor_bps == DOMU_BPS(EXPECT_FLOOR),
	      "GET_BUDGET: cap and floor are " SOURCE "'s", (long long)b.cap_bps,
	      (long long)DOMU_BPS(EXPECT_CAP));
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(EXPECT_CAP + 1), MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET one line per period above the cap: refused (DENIED)",
	      rc, -MEMBW_EPERM);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(EXPECT_FLOOR - 1), MEMBW_UNLIMITED);
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
	check(rc == 0, "SET_BUDGET below the cap, above the floor: accepted", rc, 0);
	rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
	check(rc == 0 && b.current_bps == DOMU_BPS(DOMU_BUDGET_LINES),
	      "GET_BUDGET reads the new budget back", (long long)b.current_bps,
	      (long long)DOMU_BPS(DOMU_BUDGET_LINES));
	/* Xen's admin call, for this domain, from this domain: only the hardware domain may. */
	{
		int64_t a = admin_call(1);

		check(a == MEMBW_MEMTALK_DENIED, "the admin call from a domU (for itself): DENIED",
		      (long long)a, MEMBW_MEMTALK_DENIED);
	}
	rc = membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b);
	check(rc == 0 && b.current_bps == DOMU_BPS(DOMU_BUDGET_LINES) &&
		      b.cap_bps == DOMU_BPS(EXPECT_CAP),
	      "after it the budget and cap are unchanged", (long long)b.cap_bps,
	      (long long)DOMU_BPS(EXPECT_CAP));

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
	 * instruction count: docs/xen.md), then the measured one, on every vCPU at once. */
	if (NCPUS > 1)
		start_vcpu1();
	while (now_ns() < DOMU_START_NS)
		workload(1000);
	run_workload(0);
	if (NCPUS > 1 && !wait_vcpu1())
		return -1;
	/* W instructions at B + skid per period need at least ceil(W / (B + skid)) - 1 whole
	 * periods of waiting; with NCPUS vCPUs sharing the budget each may overrun it by the skid. */
	for (v = 0; v < NCPUS; v++) {
		elapsed = pair_end[v] - pair_start[v];
		need = periods_needed(2ull * ITERATIONS);
		say(ROLE ": vCPU %llu: workload of %llu instructions took %llu ns of guest time "
		    "(throttled: at least %llu ns)\n", (unsigned long long)v, 2ull * ITERATIONS,
		    (unsigned long long)elapsed, (unsigned long long)need);
		check(elapsed >= need, "the workload took at least the periods its budget implies",
		      (long long)elapsed, (long long)need);
	}
	check_pair_periods();
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
	/* the sum of the per-period overshoots (periods: summed over the domain's pCPUs) <= skid
	 * per period if every period is. Not for the pair: QEMU charges each of its pCPUs the
	 * global instruction count (docs/xen.md), also the other pCPU's EL1 and EL2 work while this
	 * one waits for its turn, so the host counts more than the domain ran (its use per period
	 * is checked above from the guest's side). */
	if (NCPUS == 1)
		check(rc == 0 &&
			      st.overshoot_bytes[0] <= st.periods * DOMU_SKID_LINES * DOMU_LINE_BYTES,
		      "GET_STATS: bytes over the allowance <= the skid (512 lines) per closed period",
		      (long long)st.overshoot_bytes[0],
		      (long long)(st.periods * DOMU_SKID_LINES * DOMU_LINE_BYTES));
	check(st.throttle_count * DOMU_PERIOD_NS >= need,
	      "GET_STATS: the host throttled this domain in at least as many periods",
	      (long long)st.throttle_count, (long long)(need / DOMU_PERIOD_NS));
	note_call_cost();
	return 0;
}
#elif !DOMU_ADMINED
static int free_run(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = { .size = sizeof(b) };
	uint64_t start, end, elapsed;
	int rc;

	timed_workload(DOMU_WORK_ITERATIONS, &start, &end);
	elapsed = end - start;
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
	{
		int64_t a = admin_call(1);

		check(a == MEMBW_MEMTALK_DENIED,
		      "the admin call from a domU (for the other domain): DENIED", (long long)a,
		      MEMBW_MEMTALK_DENIED);
	}
	return 0;
}
#endif

#if DOMU_ADMINED
/* GET_BUDGET: 0 and the read budget, cap and floor in *@b, or the guest library's error. */
static int read_budget(struct membw_memtalk_guest *g, struct membw_memtalk_budget *b)
{
	*b = (struct membw_memtalk_budget){ .size = sizeof(*b) };
	return membw_memtalk_guest_get_budget(g, MEMBW_MEMTALK_CH_READ, b);
}

static bool budget_is(const struct membw_memtalk_budget *b, uint64_t budget, uint64_t cap,
		      uint64_t floor)
{
	return b->current_bps == DOMU_BPS(budget) && b->cap_bps == DOMU_BPS(cap) &&
	       b->floor_bps == DOMU_BPS(floor);
}

static void say_budget(const char *when, const struct membw_memtalk_budget *b)
{
	say(ROLE ": %s: read budget %llu B/s, cap %llu B/s, floor %llu B/s\n", when,
	    (unsigned long long)b->current_bps, (unsigned long long)b->cap_bps,
	    (unsigned long long)b->floor_bps);
}

static int admined(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b;
	uint64_t t;
	int rc;

	rc = membw_memtalk_guest_probe(&g, raw_call, MEMBW_MEMTALK_BASE_AUTO);
	if (rc == -MEMBW_ENODEV)
		return no_memtalk();
	check(rc == 0, "memtalk found", rc, 0);
	if (rc)
		return -1;
	rc = read_budget(&g, &b);
	say_budget("before dom0's call", &b);
	check(rc == 0 && budget_is(&b, DOMU_INITIAL_LINES, DOMU_CAP_LINES, DOMU_FLOOR_LINES),
	      "GET_BUDGET before dom0's call: membw='s budget, cap and floor",
	      (long long)b.current_bps, (long long)DOMU_BPS(DOMU_INITIAL_LINES));
	/* dom0 calls at DOM0_ADMIN_AT_NS of its own time; GET_BUDGET is not rate-limited */
	do {
		workload(100000);
		rc = read_budget(&g, &b);
	} while (rc == 0 && budget_is(&b, DOMU_INITIAL_LINES, DOMU_CAP_LINES, DOMU_FLOOR_LINES) &&
		 now_ns() < DOMU_ADMIN_WAIT_NS);
	say_budget("after it changed", &b);
	check(rc == 0 && budget_is(&b, DOMU_ADMIN_BUDGET_LINES, DOMU_ADMIN_CAP_LINES,
				   DOMU_ADMIN_FLOOR_LINES),
	      "GET_BUDGET answers the budget, cap and floor dom0 set", (long long)b.current_bps,
	      (long long)DOMU_BPS(DOMU_ADMIN_BUDGET_LINES));
	/* dom0's refused sets follow its accepted one at once; tests/xen/run checks that dom0's
	 * RESULT line came before the next one */
	t = now_ns() + DOMU_ADMIN_SETTLE_NS;
	while (now_ns() < t)
		workload(100000);
	rc = read_budget(&g, &b);
	say_budget("after dom0's refused calls", &b);
	check(rc == 0 && budget_is(&b, DOMU_ADMIN_BUDGET_LINES, DOMU_ADMIN_CAP_LINES,
				   DOMU_ADMIN_FLOOR_LINES),
	      "after dom0's refused calls the numbers are still the ones it set",
	      (long long)b.current_bps, (long long)DOMU_BPS(DOMU_ADMIN_BUDGET_LINES));
	/* dom0's cap and floor bind this domain's own calls: both below membw='s cap and above
	 * its floor, so only dom0's numbers refuse them */
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_ADMIN_CAP_LINES + 1),
					    MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET one line per period above dom0's cap: DENIED", rc,
	      -MEMBW_EPERM);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_ADMIN_FLOOR_LINES - 1),
					    MEMBW_UNLIMITED);
	check(rc == -MEMBW_EPERM, "SET_BUDGET one line per period below dom0's floor: DENIED", rc,
	      -MEMBW_EPERM);
	rc = membw_memtalk_guest_set_budget(&g, DOMU_BPS(DOMU_ADMIN_CAP_LINES), MEMBW_UNLIMITED);
	check(rc == 0, "SET_BUDGET at dom0's cap: accepted", rc, 0);
	rc = read_budget(&g, &b);
	check(rc == 0 && budget_is(&b, DOMU_ADMIN_CAP_LINES, DOMU_ADMIN_CAP_LINES,
				   DOMU_ADMIN_FLOOR_LINES),
	      "GET_BUDGET reads it back, with dom0's cap and floor", (long long)b.current_bps,
	      (long long)DOMU_BPS(DOMU_ADMIN_CAP_LINES));
	return 0;
}
#endif

#if !DOMU_ROLE_REGULATED
/* only the pair image starts a second vCPU */
void domu_secondary_main(void)
{
}
#endif

void domu_main(void);
void domu_main(void)
{
	uint64_t el;
	int rc;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	say(ROLE ": up at EL%llu\n", (unsigned long long)(el >> 2));
#if DOMU_ADMINED
	rc = admined();
#elif DOMU_ROLE_REGULATED
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
