/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest (VM 0, CPU 0, EL1, run mode HYP_MODE_BENCH): instructions for one SET_BUDGET
 * hypercall round trip, from the guest's HVC to its return, including the host's validation,
 * the policy's budget change and the exception entry and return at EL2.
 *
 * Three measures around BATCH bare HVCs back to back (membw_memtalk_call_hvc, no library
 * wrapper; the encoder runs at EL1 and is counted there):
 *   - the guest's PMU counter 0: INST_RETIRED at EL1 only (the guest's own instructions);
 *   - the guest's PMU counter 1: INST_RETIRED at EL1 and EL2 (PMEVTYPER.NSH = 1; MDCR_EL2.HPMD
 *     is 0, so EL2 counts in the guest's counters): the whole round trip;
 *   - CNTVCT_EL0: under -icount shift=0 one instruction at any EL is 1 ns of guest time, and the
 *     count ticks at CNTFRQ (62.5 MHz on QEMU 7.2, 16 ns per tick): an independent cross-check
 *     of the EL1 + EL2 figure.
 * A VERSION call (trap, exception entry and return, the cheapest dispatch) is measured the same
 * way for comparison. Each figure is the minimum over ROUNDS samples, less the same loop without
 * the HVC, divided by BATCH: a period tick or PMU interrupt that lands in a sample (taken at EL2
 * and counted) does not inflate the minimum, and batching divides QEMU's read granularity (it
 * charges a translation block's instructions when the block starts, so a read inside a block
 * sees up to a block's worth more) by BATCH. The budget alternates, so every call changes it.
 * Guest 1 has finished first: QEMU's INST_RETIRED follows the global instruction count of both
 * vCPUs (see guest_regulated.c).
 */
#include "guest.h"

#define ROUNDS 16u
#define BATCH 16u

static struct guest_report report = { .name = "vm0" };
static unsigned int refused;

struct sample {
	uint64_t el1, el1_el2, ticks;
};

enum call_kind { CALL_NONE, CALL_VERSION, CALL_SET_BUDGET };

/* One sample: BATCH calls back to back between two reads of each measure. */
static void __attribute__((noinline)) measure(struct sample *s, enum call_kind kind)
{
	struct membw_memtalk_regs regs;
	uint64_t a0, a1, t0, b0, b1, t1;
	unsigned int i;

	t0 = g_cntvct();
	a0 = g_pmu_read(0);
	a1 = g_pmu_read(1);
	for (i = 0; i < BATCH; i++) {
		if (kind == CALL_VERSION)
			membw_memtalk_encode_version(&regs, MEMBW_MEMTALK_BASE_DEFAULT);
		else
			membw_memtalk_encode_set_budget(&regs, MEMBW_MEMTALK_BASE_DEFAULT,
							HYP_BPS(i & 1 ? HYP_VM0_BUDGET_EVENTS :
									HYP_VM0_INITIAL_EVENTS),
							MEMBW_UNLIMITED);
		if (kind != CALL_NONE) {
			membw_memtalk_call_hvc(&regs);
			if ((int64_t)regs.r[0] != MEMBW_MEMTALK_OK)
				refused++;
		}
	}
	b1 = g_pmu_read(1);
	b0 = g_pmu_read(0);
	t1 = g_cntvct();
	s->el1 = b0 - a0;
	s->el1_el2 = b1 - a1;
	s->ticks = t1 - t0;
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

/* @total over BATCH calls as "N.N" (one decimal) in @buf. */
static const char *per_call(uint64_t total, char buf[24])
{
	uint64_t tenths = (total * 10 + BATCH / 2) / BATCH;

	g_format(buf, 24, "%llu.%llu", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
	return buf;
}

void guest_bench_main(uint64_t mode)
{
	struct membw_memtalk_guest g;
	struct sample s, base = { ~0ull, ~0ull, ~0ull }, hvc = { ~0ull, ~0ull, ~0ull },
		      version = { ~0ull, ~0ull, ~0ull };
	char a[24], b[24];
	uint64_t freq;
	unsigned int i;
	int err;

	(void)mode;
	err = membw_memtalk_guest_probe(&g, membw_memtalk_call_hvc, MEMBW_MEMTALK_BASE_AUTO);
	if (!g_check_eq(&report, (uint64_t)(int64_t)err, 0, "memtalk found"))
		g_done(&report);
	/* Alone: QEMU's INST_RETIRED follows the global instruction count of both vCPUs. */
	while (!hyp_shared.vm1_finished)
		cpu_wait_step();
	g_pmu_start(0, G_PMEVTYPER_EXCLUDE_EL0 | G_EVENT_INST_RETIRED);
	g_pmu_start(1, G_PMEVTYPER_EXCLUDE_EL0 | G_PMEVTYPER_INCLUDE_EL2 | G_EVENT_INST_RETIRED);
	for (i = 0; i < ROUNDS; i++) {
		measure(&s, CALL_NONE);
		keep_min(&base, &s);
		measure(&s, CALL_SET_BUDGET);
		keep_min(&hvc, &s);
		measure(&s, CALL_VERSION);
		keep_min(&version, &s);
	}
	g_check_eq(&report, refused, 0, "all %u SET_BUDGET and %u VERSION calls were answered OK",
		   ROUNDS * BATCH, ROUNDS * BATCH);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	g_check(&report, hvc.el1_el2 - base.el1_el2 > hvc.el1 - base.el1,
		"the EL1 + EL2 count of the SET_BUDGET calls exceeds the EL1-only count "
		"(EL2 is counted)");
	con_printf("BENCH memtalk-hvc: SET_BUDGET round trip (HVC to return, incl. validation and "
		   "the policy's budget change): %s instructions at EL1+EL2, of which %s at EL1\n",
		   per_call(hvc.el1_el2 - base.el1_el2, a), per_call(hvc.el1 - base.el1, b));
	con_printf("BENCH memtalk-hvc: VERSION round trip (the trap and the cheapest dispatch, for "
		   "comparison): %s instructions at EL1+EL2, of which %s at EL1\n",
		   per_call(version.el1_el2 - base.el1_el2, a),
		   per_call(version.el1 - base.el1, b));
	con_printf("BENCH memtalk-hvc: SET_BUDGET by CNTVCT_EL0: %s ns per call (%llu Hz count; "
		   "1 ns = 1 instruction at any EL under -icount shift=0)\n",
		   per_call((hvc.ticks - base.ticks) * 1000000000ull / freq, a),
		   (unsigned long long)freq);
	con_printf("NOTE vm0: method: guest PMU INST_RETIRED (counter 0 EL1 only, counter 1 EL1 + "
		   "EL2), %u calls back to back per sample, minimum of %u samples, less the same "
		   "loop without the HVC; -icount shift=0\n", BATCH, ROUNDS);
	g_done(&report);
}
