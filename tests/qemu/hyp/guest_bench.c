/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest (VM 0, CPU 0, EL1, run mode HYP_MODE_BENCH): instructions for one SET_BUDGET
 * hypercall round trip, from the guest's HVC to its return, including the host's validation,
 * the policy's budget change and the exception entry and return at EL2.
 *
 * Three measures around the bare HVC (membw_memtalk_call_hvc, no library wrapper):
 *   - the guest's PMU counter 0: INST_RETIRED at EL1 only (the guest's own instructions);
 *   - the guest's PMU counter 1: INST_RETIRED at EL1 and EL2 (PMEVTYPER.NSH = 1; MDCR_EL2.HPMD
 *     is 0, so EL2 counts in the guest's counters): the whole round trip;
 *   - CNTVCT_EL0: under -icount shift=0 one instruction at any EL is 1 ns of guest time, and the
 *     count ticks at CNTFRQ (62.5 MHz on QEMU 7.2, 16 ns per tick), so this is a coarse,
 *     independent cross-check of the EL1 + EL2 figure.
 * Each is the minimum over ROUNDS calls, less the same measure around no call at all, so a
 * period tick or PMU interrupt that lands inside one round (it is taken at EL2 and counted) does
 * not inflate the figure. The budget alternates between two values, so every call changes it.
 */
#include "guest.h"

#define ROUNDS 64u

static struct guest_report report = { .name = "vm0" };
static unsigned int refused;

struct sample {
	uint64_t el1, el1_el2, ticks;
};

static void __attribute__((noinline)) measure(struct sample *s, bool call, uint64_t bps)
{
	struct membw_memtalk_regs regs;
	uint64_t a0, a1, t0, b0, b1, t1;

	regs.r[0] = MEMBW_MEMTALK_FID(MEMBW_MEMTALK_BASE_DEFAULT, MEMBW_MEMTALK_FN_SET_BUDGET);
	regs.r[1] = MEMBW_MEMTALK_CTL_V1;
	regs.r[2] = bps;
	regs.r[3] = MEMBW_UNLIMITED;
	regs.r[4] = 0;
	t0 = g_cntvct();
	a0 = g_pmu_read(0);
	a1 = g_pmu_read(1);
	if (call)
		membw_memtalk_call_hvc(&regs);
	b1 = g_pmu_read(1);
	b0 = g_pmu_read(0);
	t1 = g_cntvct();
	s->el1 = b0 - a0;
	s->el1_el2 = b1 - a1;
	s->ticks = t1 - t0;
	if (call && (int64_t)regs.r[0] != MEMBW_MEMTALK_OK)
		refused++;
}

static void keep_min(struct sample *m, const struct sample *s)
{
	if (s->el1 < m->el1)
		m->el1 = s->el1;
	if (s->el1_el2 < m->el1_el2)
		m->el1_el2 = s->el1_el2;
	if (s->ticks < m->ticks)
		m->ticks = s->ticks;
}

void guest_bench_main(uint64_t mode)
{
	struct membw_memtalk_guest g;
	struct sample s, base = { ~0ull, ~0ull, ~0ull }, hvc = { ~0ull, ~0ull, ~0ull };
	uint64_t freq;
	unsigned int i;
	int err;

	(void)mode;
	err = membw_memtalk_guest_probe(&g, membw_memtalk_call_hvc, MEMBW_MEMTALK_BASE_AUTO);
	if (!g_check_eq(&report, (uint64_t)(int64_t)err, 0, "memtalk found"))
		g_done(&report);
	g_pmu_start(0, G_PMEVTYPER_EXCLUDE_EL0 | G_EVENT_INST_RETIRED);
	g_pmu_start(1, G_PMEVTYPER_EXCLUDE_EL0 | G_PMEVTYPER_INCLUDE_EL2 | G_EVENT_INST_RETIRED);
	for (i = 0; i < ROUNDS; i++) {
		measure(&s, false, 0);
		keep_min(&base, &s);
		measure(&s, true, HYP_BPS(i & 1 ? HYP_VM0_BUDGET_EVENTS : HYP_VM0_INITIAL_EVENTS));
		keep_min(&hvc, &s);
	}
	g_check_eq(&report, refused, 0, "all %u SET_BUDGET calls were accepted", ROUNDS);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	g_check(&report, hvc.el1_el2 > hvc.el1,
		"the EL1 + EL2 count of a round trip exceeds the EL1-only count (EL2 is counted)");
	con_printf("BENCH memtalk-hvc: SET_BUDGET round trip (HVC to return, incl. validation and "
		   "the policy's budget change): %llu instructions at EL1+EL2, of which %llu at EL1 "
		   "(min of %u, measurement overhead %llu/%llu subtracted; guest PMU INST_RETIRED, "
		   "-icount shift=0)\n",
		   (unsigned long long)(hvc.el1_el2 - base.el1_el2),
		   (unsigned long long)(hvc.el1 - base.el1), ROUNDS,
		   (unsigned long long)base.el1_el2, (unsigned long long)base.el1);
	con_printf("BENCH memtalk-hvc: the same by CNTVCT_EL0: %llu ticks at %llu Hz = about %llu "
		   "ns = instructions at all ELs under -icount shift=0 (resolution %llu)\n",
		   (unsigned long long)(hvc.ticks - base.ticks), (unsigned long long)freq,
		   (unsigned long long)((hvc.ticks - base.ticks) * 1000000000ull / freq),
		   (unsigned long long)(1000000000ull / freq));
	g_done(&report);
}
