/* SPDX-License-Identifier: MIT */
/*
 * Guest 0 (VM 0, CPU 0, EL1): finds memtalk, sets its own budget, runs a workload under it and
 * checks the regulation from the inside with its own PMU counter and the virtual count.
 *
 * The workload's "line transfers" are retired instructions (INST_RETIRED, 0x08): the hypervisor
 * counts them at the guest's EL0 + EL1 as the read channel, since QEMU emulates no cache or bus
 * event (docs/qemu.md#qemu-events). One budget event is one instruction here.
 *
 * The per-period check: while the guest runs alone (guest 1 finished), a jump of the virtual
 * count by more than half a period between two loop iterations can only be the hypervisor
 * parking the CPU (throttled until the next period). The instructions the guest's own counter
 * saw between two such gaps all fell in one period, so they must be at most budget +
 * HYP_SKID_EVENTS (the throttle's skid, derived in hyp.h): a host that failed to throttle in
 * time fails it.
 *
 * Why alone: QEMU 7.2 counts INST_RETIRED from its global instruction count (target/arm/helper.c,
 * instructions_get_count() = icount_get_raw()), which both vCPUs advance in turn, so a CPU's
 * counter also moves while the other CPU runs. Exact per-CPU counts need the other CPU idle.
 */
#include "guest.h"

#define B HYP_VM0_BUDGET_EVENTS
/* Phase B: ten periods' worth of budget, measured. */
#define WORK_EVENTS (10u * B)
#define MAX_WINDOWS 64u

struct windows {
	uint64_t gap_ticks;                 /* a jump of CNTVCT above this is a parking gap */
	uint64_t instructions[MAX_WINDOWS]; /* between consecutive parking gaps */
	unsigned int gaps;                  /* parking gaps seen */
	uint64_t total;                     /* instructions the guest counted in the loop */
};

static struct guest_report report = { .name = "vm0" };

static uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* The measured loop; runs at EL1 (phase B) or at EL0 (phase C), so it only reads registers:
 * PMEVCNTR0_EL0 and CNTVCT_EL0, which EL0 may read once PMUSERENR_EL0.EN and
 * CNTKCTL_EL1.EL0VCTEN are set. @arg is the struct windows to fill. */
static uint64_t measure_loop(uint64_t arg)
{
	struct windows *w = (struct windows *)(uintptr_t)arg;
	uint64_t start, window_start, last_count, last_vct, count, vct;

	start = window_start = last_count = g_pmu_read(0);
	last_vct = g_cntvct();
	do {
		count = g_pmu_read(0);
		vct = g_cntvct();
		if (vct - last_vct > w->gap_ticks) {
			if (w->gaps < MAX_WINDOWS)
				w->instructions[w->gaps] = last_count - window_start;
			w->gaps++;
			window_start = count;
		}
		last_count = count;
		last_vct = vct;
	} while (count - start < WORK_EVENTS);
	w->total = count - start;
	return 0;
}

/* PMUSERENR_EL0.EN [0]: EL0 may read the PMU counters. CNTKCTL_EL1.EL0VCTEN [1]: EL0 may read
 * CNTVCT_EL0. (Arm ARM register descriptions.) */
#define PMUSERENR_EN 1ull
#define CNTKCTL_EL0VCTEN (1ull << 1)

static _Alignas(16) unsigned char el0_stack[4096];

static void measure(struct windows *w, bool at_el0)
{
	uint64_t v;

	w->gap_ticks = cntfrq() * (HYP_PERIOD_NS / 2) / 1000000000ull;
	w->gaps = 0;
	if (!at_el0) {
		g_pmu_start(0, G_PMEVTYPER_EXCLUDE_EL0 | G_EVENT_INST_RETIRED); /* EL1, no EL2 */
		measure_loop((uint64_t)(uintptr_t)w);
		return;
	}
	g_pmu_start(0, G_PMEVTYPER_EXCLUDE_EL1 | G_EVENT_INST_RETIRED); /* EL0 only */
	__asm__ volatile("msr pmuserenr_el0, %0" : : "r"(PMUSERENR_EN));
	__asm__ volatile("mrs %0, cntkctl_el1" : "=r"(v));
	__asm__ volatile("msr cntkctl_el1, %0\n\tisb" : : "r"(v | CNTKCTL_EL0VCTEN) : "memory");
	platform_run_el0(measure_loop, (uint64_t)(uintptr_t)w, el0_stack + sizeof(el0_stack));
}

/* @a and @b: snapshots before and after @phase (guest 1 had finished: only this guest ran). */
static void check_windows(const char *phase, const struct windows *w,
			  const struct membw_memtalk_stats *a, const struct membw_memtalk_stats *b)
{
	uint64_t overshoot = (b->overshoot_bytes[MEMBW_CH_READ] - a->overshoot_bytes[MEMBW_CH_READ]) /
			     HYP_LINE_BYTES;
	uint64_t periods = b->periods - a->periods, skid = HYP_SKID_EVENTS;
	uint64_t used = b->used_bytes[MEMBW_CH_READ] - a->used_bytes[MEMBW_CH_READ];
	uint64_t largest = 0, min_gaps, edge;
	unsigned int i, n = w->gaps < MAX_WINDOWS ? w->gaps : MAX_WINDOWS, above = 0;

	/* The first window starts mid-period; every one is checked. */
	for (i = 0; i < n; i++) {
		if (w->instructions[i] > B + skid)
			above++;
		if (w->instructions[i] > largest)
			largest = w->instructions[i];
	}
	g_note(&report, "%s: %u parking gaps over %llu instructions; largest run between gaps "
		 "%llu instructions; budget %llu events per period; host's overshoot there %llu "
		 "events", phase, w->gaps, (unsigned long long)w->total, (unsigned long long)largest,
		 (unsigned long long)B, (unsigned long long)overshoot);
	g_check_eq(&report, above, 0,
		   "%s: each run between two parking gaps (one period's use, counted by the guest's "
		   "own INST_RETIRED counter) is <= budget + the skid bound", phase);
	g_check(&report, overshoot <= periods * skid,
		"%s: the host's overshoot over the phase is <= the skid bound per closed period "
		"(%llu <= %llu x %llu events)", phase, (unsigned long long)overshoot,
		(unsigned long long)periods, (unsigned long long)skid);
	/* W instructions at no more than B + skid per period touch at least ceil(W / (B + skid))
	 * periods, so the guest is parked at least that many times less one. */
	min_gaps = (WORK_EVENTS + B + skid - 1) / (B + skid) - 1;
	g_check(&report, w->gaps >= min_gaps,
		"%s: %llu instructions at <= %llu per period were parked at least %llu times "
		"(got %u)", phase, (unsigned long long)WORK_EVENTS, (unsigned long long)(B + skid),
		(unsigned long long)min_gaps, w->gaps);
	/* A snapshot holds closed periods only: between the two snapshots the host closed every
	 * period of the loop except the one open at each snapshot, each at most B + skid events. */
	edge = 2 * (B + skid);
	g_check(&report, used / HYP_LINE_BYTES + edge >= w->total,
		"%s: the host's closed periods hold the guest's own count less at most two open "
		"periods (%llu + %llu >= %llu events)", phase, (unsigned long long)(used / HYP_LINE_BYTES), (unsigned long long)edge,
		(unsigned long long)w->total);
	g_check(&report, b->throttle_count - a->throttle_count >= w->gaps,
		"%s: the host throttled at least once per parking gap the guest saw (%llu >= %u)",
		phase, (unsigned long long)(b->throttle_count - a->throttle_count), w->gaps);
}

static bool get_stats(const struct membw_memtalk_guest *g, struct membw_memtalk_stats *st,
		      const char *phase, const char *edge)
{
	char when[48];
	int err;

	g_format(when, sizeof(when), "%s %s", edge, phase);

	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	err = membw_memtalk_guest_get_stats(g, st);

	if (!g_check_eq(&report, (uint64_t)(int64_t)err, 0, "GET_STATS %s is answered", when))
		return false;
	g_note(&report, "stats %s: %llu periods, %llu throttled, %llu ns throttled; read used "
	       "%llu B, allowance %llu B, overshoot %llu B", when,
	       (unsigned long long)st->periods, (unsigned long long)st->throttle_count,
	       (unsigned long long)st->throttled_ns, (unsigned long long)st->used_bytes[MEMBW_CH_READ],
	       (unsigned long long)st->allowance_bytes[MEMBW_CH_READ],
	       (unsigned long long)st->overshoot_bytes[MEMBW_CH_READ]);
	g_check_eq(&report, st->period_ns, HYP_PERIOD_NS, "the host's period %s, ns", when);
	return true;
}

static void check_budget(const struct membw_memtalk_guest *g, uint64_t want_current,
			 const char *when)
{
	struct membw_memtalk_budget b = { .size = sizeof(b) };

	if (!g_check_eq(&report, (uint64_t)(int64_t)membw_memtalk_guest_get_budget(g,
			MEMBW_MEMTALK_CH_READ, &b), 0, "GET_BUDGET (read) %s is answered", when))
		return;
	g_check_eq(&report, b.current_bps, want_current, "read budget %s, bytes/s", when);
	g_check_eq(&report, b.cap_bps, HYP_BPS(HYP_VM0_CAP_EVENTS), "read cap %s, bytes/s", when);
}

static void run_phase(const struct membw_memtalk_guest *g, struct windows *w, const char *phase,
		      bool at_el0)
{
	struct membw_memtalk_stats before, after;

	if (!get_stats(g, &before, phase, "before"))
		return;
	measure(w, at_el0);
	if (get_stats(g, &after, phase, "after"))
		check_windows(phase, w, &before, &after);
}

void guest_regulated_main(uint64_t mode)
{
	struct membw_memtalk_guest g;
	static struct windows w;
	int err;

	(void)mode;
	err = membw_memtalk_guest_probe(&g, membw_memtalk_call_hvc, MEMBW_MEMTALK_BASE_AUTO);
	if (!g_check_eq(&report, (uint64_t)(int64_t)err, 0,
			"memtalk found through the vendor hypervisor range's Call UID"))
		g_done(&report);
	g_check_eq(&report, g.version, (uint32_t)MEMBW_MEMTALK_VERSION_WORD,
		   "VERSION reports ABI 1.0 (major << 16 | minor)");
	g_check_eq(&report, g.functions & MEMBW_MEMTALK_FUNCTIONS_V1, MEMBW_MEMTALK_FUNCTIONS_V1,
		   "VERSION lists VERSION, SET_BUDGET, GET_BUDGET and GET_STATS");
	check_budget(&g, HYP_BPS(HYP_VM0_INITIAL_EVENTS), "before SET_BUDGET (the host's initial)");

	err = membw_memtalk_guest_set_budget(&g, HYP_BPS(B), MEMBW_UNLIMITED);
	g_check_eq(&report, (uint64_t)(int64_t)err, 0,
		   "SET_BUDGET of %llu events per period (within the cap) is accepted",
		   (unsigned long long)B);
	check_budget(&g, HYP_BPS(B), "after SET_BUDGET");
	__asm__ volatile("dmb sy" ::: "memory");
	hyp_shared.vm0_budget_set = 1;
	cpu_publish();

	/* Phase A: regulated spinning while guest 1 makes its requests on the other CPU. */
	while (!hyp_shared.vm1_finished)
		cpu_wait_step();

	/* Phases B (EL1) and C (EL0): alone on the machine, measured period by period. */
	run_phase(&g, &w, "phase B (EL1)", false);
	run_phase(&g, &w, "phase C (EL0)", true);
	check_budget(&g, HYP_BPS(B), "after guest 1's requests and the workload");
	g_done(&report);
}
