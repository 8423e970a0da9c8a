/* SPDX-License-Identifier: MIT */
/*
 * Substrate checks: QEMU's emulated PMU driven through raw registers, without the backend. They
 * pin down the facts the backend tests rely on (docs/qemu.md), so that a QEMU change shows up
 * here first, by name:
 *   - SW_INCR counts each PMSWINC_EL0 write exactly;
 *   - INST_RETIRED counts exactly under -icount (a difference of two loop lengths);
 *   - the late event-counter overflow interrupt (QEMU 7.2 bug) still exists;
 *   - the workaround (a shadow counter one event later, interrupt disabled) makes it exact.
 */
#include "cmdline.h"
#include "platform.h"
#include "pmu_raw.h"
#include "qemu_quirks.h"
#include "report.h"
#include "workload.h"

#define WRAP32 (1ull << 32)
#define EL0_STACK_BYTES 4096

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static volatile uint64_t irq_seen;
static volatile uint64_t count_at_irq;

static void pmu_reset(void)
{
	pmu_write_pmcntenclr(~0u);
	pmu_write_pmintenclr(~0u);
	pmu_write_pmovsclr(~0u);
	/* E = 1, P = 1 (reset event counters), LP = 0: 32-bit overflow on every PMU version */
	pmu_write_pmcr(PMCR_E | PMCR_P);
}

static void on_pmu_irq(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* First thing: the counter, so the handler's own work is not in it (it counts EL0 only). */
	/* LP = 0: the low 32 bits (docs/qemu.md#qemu-counter-width) */
	count_at_irq = pmu_raw_count(0) & (WRAP32 - 1);
	irq_seen++;
	/* Level-triggered: clear the overflow flag before the EOI, or it fires again. */
	pmu_write_pmintenclr(1u);
	pmu_write_pmovsclr(~0u);
}

static void test_pmu_present(void)
{
	unsigned int version = pmu_raw_version();

	report_note("MIDR 0x%llx, ID_AA64DFR0.PMUVer %u, PMCR.N %u counters",
		    (unsigned long long)pmu_read_midr(), version, pmu_raw_counters());
	CHECK(version != 0 && version != 0xf, "ID_AA64DFR0_EL1.PMUVer names a PMUv3 (%u)",
	      version);
	CHECK(pmu_raw_counters() >= 2, "PMCR_EL0.N gives at least 2 event counters (%u)",
	      pmu_raw_counters());
}

static void test_sw_incr_exact(void)
{
	unsigned int i;

	pmu_reset();
	pmu_raw_set_type(0, PMU_EVENT_SW_INCR);
	pmu_raw_set_type(1, PMU_EVENT_SW_INCR);
	pmu_write_pmcntenset(3u);
	for (i = 0; i < 100; i++)
		pmu_write_pmswinc(1u);
	for (i = 0; i < 7; i++)
		pmu_write_pmswinc(2u);
	CHECK_EQ(pmu_raw_count(0), 100, "counter 0 reads 100 after 100 PMSWINC writes of bit 0");
	CHECK_EQ(pmu_raw_count(1), 7, "counter 1 reads 7 after 7 PMSWINC writes of bit 1");
	pmu_write_pmcntenclr(1u);
	pmu_write_pmswinc(1u);
	CHECK_EQ(pmu_raw_count(0), 100, "a disabled counter ignores PMSWINC");
}

static void test_sw_incr_overflow_is_immediate(void)
{
	pmu_reset();
	irq_seen = 0;
	pmu_raw_set_type(0, PMU_EVENT_SW_INCR);
	pmu_raw_set_count(0, WRAP32 - 3);
	pmu_write_pmintenset(1u);
	pmu_write_pmcntenset(1u);
	irq_enable();
	pmu_write_pmswinc(1u);
	pmu_write_pmswinc(1u);
	CHECK_EQ(irq_seen, 0, "no overflow interrupt 2 SW_INCR before the wrap");
	pmu_write_pmswinc(1u);
	__asm__ volatile("isb" ::: "memory");
	CHECK_EQ(irq_seen, 1, "the overflow interrupt comes with the 3rd SW_INCR of 3");
	irq_disable();
}

/* Instructions counted at EL1 by counter 0 while workload_spin(@iterations) runs. */
static uint64_t inst_retired_el1(uint64_t iterations)
{
	pmu_reset();
	pmu_raw_set_type(0, PMU_EVENT_INST_RETIRED | PMEVTYPER_EXCLUDE_EL0);
	pmu_write_pmcntenset(1u);
	workload_spin(iterations);
	pmu_write_pmcntenclr(1u);
	return pmu_raw_count(0);
}

static void test_inst_retired_exact(void)
{
	uint64_t one, two;

	if (!cmdline_icount()) {
		SKIP("INST_RETIRED counts only under -icount shift=N (QEMU 7.2)");
		return;
	}
	one = inst_retired_el1(1000);
	two = inst_retired_el1(2000);
	report_note("INST_RETIRED at EL1: %llu for 1000 iterations, %llu for 2000",
		    (unsigned long long)one, (unsigned long long)two);
	CHECK_EQ(two - one, 1000 * WORKLOAD_INSNS_PER_ITERATION,
		 "1000 more iterations of SUBS+B.NE retire exactly 2000 more instructions");
}

/*
 * Counter 0 (INST_RETIRED, EL0 only) preset to overflow after @budget instructions, interrupt
 * on; with @shadow, counter 1 on the same event and filter preset one event later, interrupt off
 * (the workaround in docs/qemu.md#qemu-late-overflow). Then @iterations of the spin loop at EL0.
 * Returns the counter's value when the interrupt handler ran: the instructions counted past the
 * wrap before it.
 */
static uint64_t overflow_run(uint64_t budget, uint64_t iterations, bool shadow)
{
	uint64_t type = PMU_EVENT_INST_RETIRED | PMEVTYPER_EXCLUDE_EL1;

	pmu_reset();
	irq_seen = 0;
	count_at_irq = ~0ull;
	pmu_raw_set_type(0, type);
	pmu_raw_set_count(0, WRAP32 - budget);
	if (shadow) {
		pmu_raw_set_type(1, type);
		pmu_raw_set_count(1, WRAP32 - budget - 1);
	}
	pmu_write_pmintenset(1u);
	pmu_write_pmcntenset(shadow ? 3u : 1u);
	platform_run_el0(workload_spin, iterations, el0_stack + sizeof(el0_stack));
	/* Back at EL1 with interrupts masked: let a pending (late) interrupt in, and touch the PMU,
	 * which is what makes QEMU 7.2 raise a late one. The counters count EL0 only, so the value
	 * the handler reads is what it would have read at EL0. */
	irq_enable();
	(void)pmu_read_pmovsset();
	__asm__ volatile("isb" ::: "memory");
	irq_disable();
	pmu_write_pmcntenclr(3u);
	pmu_write_pmintenclr(3u);
	return count_at_irq;
}

static void test_late_overflow_quirk_still_exists(void)
{
	uint64_t late;

	if (!cmdline_icount()) {
		SKIP("exact instruction counts need -icount shift=N");
		return;
	}
	/* 1000 instructions of budget, then 10000 iterations (20000 instructions) at EL0 */
	late = overflow_run(1000, 10000, false);
	qemu_quirk_check_late_overflow(irq_seen, late, 1000);
}

static void test_workaround_makes_overflow_exact(void)
{
	static const uint64_t budgets[] = { 1, 2, 100, 1000, 9999 };
	unsigned int i;

	if (!cmdline_icount()) {
		SKIP("exact instruction counts need -icount shift=N");
		return;
	}
	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		uint64_t past = overflow_run(budgets[i], 10000, true);

		CHECK_EQ(irq_seen, 1, "with a shadow counter, one interrupt for budget %llu",
			 (unsigned long long)budgets[i]);
		CHECK_EQ(past, 0,
			 "with a shadow counter, the interrupt comes right at the wrap: 0 "
			 "instructions past a budget of %llu",
			 (unsigned long long)budgets[i]);
	}
}

int test_main(void)
{
	pf_printf("pmu_raw: EL%u (entered at EL%u), GICv%u, timer %llu Hz\n", platform_el(),
		  platform_entry_el(), gic_version(), (unsigned long long)timer_freq_hz());
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_pmu_irq, NULL);
	report_test("PMU present", test_pmu_present);
	report_test("SW_INCR counts exactly", test_sw_incr_exact);
	report_test("SW_INCR overflow interrupt is immediate", test_sw_incr_overflow_is_immediate);
	report_test("INST_RETIRED exact under -icount", test_inst_retired_exact);
	report_test("QEMU late event-overflow quirk", test_late_overflow_quirk_still_exists);
	report_test("shadow-counter workaround is exact", test_workaround_makes_overflow_exact);
	return report_finish("pmu_raw");
}
