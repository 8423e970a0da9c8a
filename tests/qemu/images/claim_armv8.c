/* SPDX-License-Identifier: MIT */
/*
 * armv8_claim_pmu() on QEMU: a foreign event counter (the last one, not handed to the backend)
 * starts with its overflow flag set and its interrupt enabled, as a warm reset may leave it
 * (PMINTEN and PMOVS are UNKNOWN there, docs/armv8-pmu.md#armv8-pmu-overflow). Once the backend's
 * arm() sets PMCR_EL0.E, that counter asserts the level-triggered PMU interrupt, and
 * armv8_overflow_ack() rightly leaves other owners' flags alone: without the claim step the
 * interrupt is taken again and again (a storm; the handler stops it after STORM interrupts by
 * clearing the foreign enable itself); with it, no interrupt comes.
 */
#include "armv8_qemu.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"

#define STORM 50u
#define SPIN 10000u

static struct armv8_qemu_subject subject;
static unsigned int foreign;
static volatile unsigned int irqs, backend_irqs;

static void on_pmu_irq(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	irqs++;
	if (armv8_overflow_ack(subject.priv))
		backend_irqs++;
	if (irqs >= STORM)
		pmu_write_pmintenclr(1ull << foreign); /* break the storm */
}

/* Set up the foreign counter pending, the backend on the others; take interrupts for a while. */
static void run(bool claim)
{
	volatile unsigned int i;

	irqs = backend_irqs = 0;
	foreign = pmu_raw_counters() - 1;
	armv8_qemu_ctx(&subject.ctx, 0, 1);
	subject.ctx.ncounters = foreign;
	pmu_write_pmcntenclr(1ull << foreign);
	pmu_raw_set_type(foreign, PMU_EVENT_SW_INCR);
	pmu_write_pmovsset(1ull << foreign);
	pmu_write_pmintenset(1ull << foreign);
	pmu_write_pmcntenset(1ull << foreign);
	if (!armv8_qemu_probe(&subject))
		return;
	if (claim && !CHECK_EQ(armv8_claim_pmu(&subject.ctx), 0, "armv8_claim_pmu succeeds"))
		return;
	if (!armv8_qemu_setup(&subject, ARMV8_EVENT(PMU_EVENT_INST_RETIRED), MEMBW_COUNT_KERNEL))
		return;
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_pmu_irq, NULL);
	CHECK_EQ(membw_armv8_backend.arm(subject.priv, MEMBW_CH_READ, 1ull << 30), 0,
		 "arm(2^30): the backend's counter will not wrap here");
	irq_enable();
	for (i = 0; i < SPIN; i++)
		;
	irq_disable();
	membw_armv8_backend.stop(subject.priv, MEMBW_CH_READ);
	platform_irq_clear_handler(PLATFORM_INTID_PMU);
	pmu_write_pmcntenclr(1ull << foreign);
	pmu_write_pmintenclr(1ull << foreign);
	pmu_write_pmovsclr(1ull << foreign);
	report_note("%s: %u PMU interrupts, %u of them the backend's", claim ? "claimed" : "unclaimed",
		    irqs, backend_irqs);
}

static void test_unclaimed_storms(void)
{
	run(false);
	CHECK(irqs >= STORM, "without the claim the pending foreign counter interrupts again and "
	      "again (%u >= %u)", irqs, STORM);
	CHECK_EQ(backend_irqs, 0, "none of them is the backend's");
}

static void test_claimed_quiet(void)
{
	run(true);
	CHECK_EQ(irqs, 0, "with the claim the foreign counter raises no interrupt");
}

int test_main(void)
{
	pf_printf("claim_armv8: EL%u, GICv%u, PMUVer %u\n", platform_el(), gic_version(),
		  pmu_raw_version());
	report_test("no claim: a pending foreign counter storms", test_unclaimed_storms);
	report_test("armv8_claim_pmu: no storm", test_claimed_quiet);
	return report_finish("claim_armv8");
}
