/* SPDX-License-Identifier: MIT */
/*
 * Facts about the armv8 backend on QEMU's PMU that the generic conformance suite cannot state:
 * exact INST_RETIRED counts under -icount, the EL0-only and EL1-only filters (by dropping to EL0
 * and back), the overflow interrupt exactly at the budget with the late-overflow workaround, the
 * QEMU quirk without it, the line size, an unimplemented event refused, and (on a CPU without a
 * PMU, cmdline pmu=off) the probe's refusal.
 *
 * Instruction counts are differential: workload_spin(k) retires 2k instructions in its loop
 * (SUBS + B.NE, workload.h) plus a fixed call overhead, so two runs of k and 2k iterations differ
 * by exactly 2k retired instructions (Arm ARM: INST_RETIRED counts every architecturally executed
 * instruction once). No golden value depends on our own code's length.
 */
#include <membw/membw.h>

#include "armv8_qemu.h"
#include "cmdline.h"
#include "platform.h"
#include "pmu_raw.h"
#include "qemu_quirks.h"
#include "report.h"
#include "workload.h"

#define EL0_STACK_BYTES 4096
#define SPIN 1000u /* iterations of the short run; the long run does twice as many */

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static struct armv8_qemu_subject sut;
static const struct membw_backend *const be = &membw_armv8_backend;

/* Probe and cpu_init (EL1 mode) with @flags, one channel counting @event at @levels. */
static bool setup(uint32_t flags, uint64_t event, uint32_t levels)
{
	armv8_qemu_ctx(&sut.ctx, flags, 1);
	return armv8_qemu_setup(&sut, event, levels);
}

static uint64_t mask_of(void)
{
	return sut.info.counter_bits >= 64 ? ~0ull : (1ull << sut.info.counter_bits) - 1;
}

static uint64_t rd(void)
{
	uint64_t v = 0;

	be->read(sut.priv, MEMBW_CH_READ, &v);
	return v;
}

/* Events counted while workload_spin(@iterations) runs at EL0 (@el0) or here at EL1. */
static uint64_t counted(uint64_t iterations, bool el0)
{
	uint64_t before = rd(), after;

	if (el0)
		platform_run_el0(workload_spin, iterations, el0_stack + sizeof(el0_stack));
	else
		workload_spin(iterations);
	after = rd();
	return (after - before) & mask_of();
}

static bool need_icount(void)
{
	if (cmdline_icount())
		return true;
	SKIP("exact instruction counts need -icount shift=N (QEMU 7.2 counts 0 without)");
	return false;
}

/* Under -icount: set up INST_RETIRED (0x08) counted at @levels and arm it far from overflow. */
static bool arm_inst_retired(uint32_t levels)
{
	if (!need_icount() ||
	    !setup(ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, ARMV8_EVENT(0x08), levels))
		return false;
	be->arm(sut.priv, MEMBW_CH_READ, 1ull << 30);
	return true;
}

/* The events SPIN more iterations add at EL0 (@el0) or EL1: a run of 2 * SPIN minus a run of
 * SPIN, so that the fixed cost of a run (call, EL0 entry and return) cancels out. */
static uint64_t added_by_spin(bool el0)
{
	uint64_t one = counted(SPIN, el0);

	return counted(2 * SPIN, el0) - one;
}

static void test_inst_retired_exact(void)
{
	if (!arm_inst_retired(MEMBW_COUNT_KERNEL))
		return;
	CHECK_EQ(added_by_spin(false), SPIN * WORKLOAD_INSNS_PER_ITERATION,
		 "INST_RETIRED through the backend: %u more loop iterations at EL1 are exactly "
		 "%u more instructions", SPIN, SPIN * WORKLOAD_INSNS_PER_ITERATION);
	be->stop(sut.priv, MEMBW_CH_READ);
}

static void test_el0_only(void)
{
	if (!arm_inst_retired(MEMBW_COUNT_USER))
		return;
	CHECK_EQ(added_by_spin(true), SPIN * WORKLOAD_INSNS_PER_ITERATION,
		 "counting EL0 only: %u more iterations at EL0 are exactly %u more instructions",
		 SPIN, SPIN * WORKLOAD_INSNS_PER_ITERATION);
	CHECK_EQ(counted(2 * SPIN, false), 0,
		 "counting EL0 only: %u iterations at EL1 count nothing", 2 * SPIN);
	be->stop(sut.priv, MEMBW_CH_READ);
}

static void test_el1_only(void)
{
	if (!arm_inst_retired(MEMBW_COUNT_KERNEL))
		return;
	CHECK_EQ(added_by_spin(true), 0,
		 "counting EL1 only: %u more iterations at EL0 add nothing (the EL0 entry and "
		 "return at EL1 count the same both times)", SPIN);
	CHECK_EQ(added_by_spin(false), SPIN * WORKLOAD_INSNS_PER_ITERATION,
		 "counting EL1 only: %u more iterations at EL1 are exactly %u more instructions",
		 SPIN, SPIN * WORKLOAD_INSNS_PER_ITERATION);
	be->stop(sut.priv, MEMBW_CH_READ);
}

/* arm(@budget) on INST_RETIRED at EL0, then 10000 iterations (20000 instructions) at EL0. The
 * channel counts EL0 only, so the handler's own instructions (armv8_qemu_on_overflow, at EL1) are
 * not in the value it reads. */
static void overflow_run(uint64_t budget)
{
	armv8_qemu_irq_reset(&sut);
	be->arm(sut.priv, MEMBW_CH_READ, budget);
	platform_run_el0(workload_spin, 10000, el0_stack + sizeof(el0_stack));
	/* back at EL1: let a late interrupt in (a PMU access makes QEMU 7.2 raise it) */
	irq_enable();
	(void)rd();
	__asm__ volatile("isb" ::: "memory");
	irq_disable();
	be->stop(sut.priv, MEMBW_CH_READ);
}

static void test_overflow_exactly_at_budget(void)
{
	static const uint64_t budgets[] = { 1, 2, 3, 100, 1000, 9999, 19999 };
	unsigned int i;

	if (!need_icount() ||
	    !setup(ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, ARMV8_EVENT(0x08), MEMBW_COUNT_USER))
		return;
	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		overflow_run(budgets[i]);
		armv8_qemu_check_exact_overflow(&sut, budgets[i]);
	}
}

static void test_quirk_without_workaround(void)
{
	if (!need_icount() || !setup(0, ARMV8_EVENT(0x08), MEMBW_COUNT_USER))
		return;
	overflow_run(1000);
	qemu_quirk_check_late_overflow(sut.irq_count, sut.irq_value, 1000);
}

static void test_line_size(void)
{
	uint64_t expected = cmdline_u64("line_size", 0);

	if (!expected) {
		SKIP("the configuration names no line_size");
		return;
	}
	if (!setup(ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, ARMV8_EVENT(0), MEMBW_COUNT_KERNEL))
		return;
	CHECK_EQ(sut.info.line_size, expected,
		 "the line size is %llu bytes (CTR_EL0.DminLine)", (unsigned long long)expected);
	CHECK(sut.info.caps & MEMBW_CAP_LINE_SIZE_PROBED,
	      "the line size is reported as probed");
}

static void test_unimplemented_event_refused(void)
{
	struct membw_counter_setup s = { .size = sizeof(s), .levels = MEMBW_COUNT_KERNEL };
	/* 0x17 L2D_CACHE_REFILL: QEMU emulates no cache events (docs/qemu.md#qemu-events);
	 * PMCEID0_EL0 bit 23 says whether it is implemented. */
	int err;

	if (pmu_raw_implements(0x17)) {
		SKIP("this CPU implements event 0x17 (PMCEID0_EL0 bit 23 set)");
		return;
	}
	armv8_qemu_ctx(&sut.ctx, ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, 1);
	if (!armv8_qemu_probe(&sut))
		return;
	s.event[MEMBW_CH_READ] = ARMV8_EVENT(0x17);
	err = be->cpu_init(&sut.ctx, 0, sut.priv, &s);
	CHECK(err == -MEMBW_EOPNOTSUPP,
	      "cpu_init refuses event 0x17, which PMCEID0_EL0 says is not implemented, with "
	      "-EOPNOTSUPP (got %d)", err);
}

static void test_probe_refuses_no_pmu(void)
{
	int err;

	CHECK_EQ(pmu_raw_version(), 0,
		 "precondition: ID_AA64DFR0_EL1.PMUVer is 0 (no PMU) on this CPU");
	armv8_qemu_ctx(&sut.ctx, ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, 0);
	sut.ctx.ncounters = 6; /* even when handed counters, there is no PMU behind them */
	memset(&sut.info, 0, sizeof(sut.info));
	sut.info.size = sizeof(sut.info);
	err = be->probe(&sut.ctx, &sut.info);
	CHECK(err == -MEMBW_ENODEV, "probe refuses a CPU without a PMU with -ENODEV (got %d)",
	      err);
	CHECK(sut.ctx.reason != NULL, "probe says why it refused (%s)",
	      sut.ctx.reason ? sut.ctx.reason : "no reason");
}

int test_main(void)
{
	char pmu[8] = "";

	pf_printf("armv8_facts: EL%u, GICv%u, PMUVer %u\n", platform_el(), gic_version(),
		  pmu_raw_version());
	if (cmdline_get("pmu", pmu, sizeof(pmu)) && !memcmp(pmu, "off", 4)) {
		report_test("probe refuses a CPU without a PMU", test_probe_refuses_no_pmu);
		return report_finish("armv8_facts");
	}
	platform_irq_set_handler(PLATFORM_INTID_PMU, armv8_qemu_on_overflow, &sut);
	report_test("INST_RETIRED exact under -icount", test_inst_retired_exact);
	report_test("EL0-only counting", test_el0_only);
	report_test("EL1-only counting", test_el1_only);
	report_test("overflow interrupt exactly at the budget", test_overflow_exactly_at_budget);
	report_test("QEMU late event-overflow quirk", test_quirk_without_workaround);
	report_test("line size", test_line_size);
	report_test("unimplemented event refused", test_unimplemented_event_refused);
	return report_finish("armv8_facts");
}
