/* SPDX-License-Identifier: MIT */
/*
 * EL0 cannot switch regulation off (docs/armv8-pmu.md#armv8-pmu-el0). PMUSERENR_EL0 starts with
 * EN, SW, CR and ER set (its reset value is UNKNOWN: the worst case), the backend takes counter 0
 * in EL1 mode and arms it; then code at EL0 tries to stop that counter (PMCNTENCLR_EL0) and to
 * rewind it (PMEVCNTR0_EL0 = 0). Both accesses must trap to EL1 (the sync hook skips them and
 * counts them), and the counter must still be enabled and counting from its preset.
 */
#include "armv8_qemu.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"

#define EL0_STACK_BYTES 4096
#define BUDGET (1ull << 30)

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static struct armv8_qemu_subject subject;
static volatile unsigned int traps;
static volatile uint64_t trap_esr;

static bool on_sync(struct platform_frame *frame, bool from_lower_el)
{
	if (!from_lower_el)
		return false;
	traps++;
	trap_esr = frame->esr;
	frame->elr += 4; /* skip the refused access */
	return true;
}

/* At EL0: stop every counter, then rewind counter 0. */
static uint64_t el0_attack(uint64_t bits)
{
	__asm__ volatile("msr pmcntenclr_el0, %0\n\tisb\n\tmsr pmevcntr0_el0, xzr\n\tisb" ::"r"(bits)
			 : "memory");
	return 0;
}

static void test_el0_cannot_stop(void)
{
	uint64_t bits, before, after;

	__asm__ volatile("msr pmuserenr_el0, %0\n\tisb" ::"r"(0xFull) : "memory");
	armv8_qemu_ctx(&subject.ctx, 0, 1);
	if (!armv8_qemu_setup(&subject, ARMV8_EVENT(PMU_EVENT_INST_RETIRED), MEMBW_COUNT_KERNEL))
		return;
	bits = armv8_channel_counters(subject.priv, MEMBW_CH_READ);
	CHECK_EQ(membw_armv8_backend.arm(subject.priv, MEMBW_CH_READ, BUDGET), 0, "arm(2^30)");
	before = pmu_raw_count(0);
	traps = 0;
	platform_set_sync_handler(on_sync);
	platform_run_el0(el0_attack, 0xFFFFFFFFull, el0_stack + sizeof(el0_stack));
	platform_set_sync_handler(NULL);
	after = pmu_raw_count(0);
	CHECK_EQ(traps, 2, "both PMU writes at EL0 trapped to EL1 (ESR 0x%llx)",
		 (unsigned long long)trap_esr);
	CHECK_EQ(pmu_read_pmcntenset() & bits, bits, "the regulating counter is still enabled");
	CHECK(after > before, "and still counting from its preset (%llu -> %llu), not rewound",
	      (unsigned long long)before, (unsigned long long)after);
	membw_armv8_backend.stop(subject.priv, MEMBW_CH_READ);
}

int test_main(void)
{
	pf_printf("el0_armv8: EL%u, PMUVer %u\n", platform_el(), pmu_raw_version());
	report_test("EL0 cannot stop or rewind a regulating counter", test_el0_cannot_stop);
	return report_finish("el0_armv8");
}
