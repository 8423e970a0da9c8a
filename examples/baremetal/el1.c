/* SPDX-License-Identifier: MIT */
/*
 * Skeleton: libmembw on bare metal at EL1 (an RTOS, a kernel of your own). The runtime
 * (runtime.c) owns the period timer (CNTP) and the PMU interrupt; this file chooses what to
 * count and the budget, then runs work and reports.
 *
 * In EL1 mode the backend uses event counters first_counter .. first_counter + ncounters - 1
 * (here all of them, PMCR_EL0.N). Event: 0 picks the core's default memory event from the
 * backend's tables; QEMU emulates no memory events, so under QEMU this counts INST_RETIRED
 * instead (docs/qemu.md), and sets the workaround for QEMU's late overflow interrupt (armv8.h:
 * leave it off on hardware).
 */
#include "platform.h"
#include "runtime.h"

#define WORK_ITERATIONS 1000000ull /* about 3 ms of guest time under -icount shift=0, unthrottled */

static uint32_t pmu_counters(void)
{
	uint64_t pmcr;

	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	return (uint32_t)(pmcr >> 11) & 0x1fu; /* PMCR_EL0.N */
}

int test_main(void)
{
	struct example_setup s = {
		.ctx = { .size = sizeof(struct armv8_ctx), .mode = ARMV8_MODE_EL1,
			 .first_counter = 0, .ncounters = pmu_counters(), .want_channels = 1,
			 .flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND },
		.event = ARMV8_EVENT(0x08), /* INST_RETIRED, for QEMU; 0 on hardware */
		.levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL,
		.budget = "1GB/s",
	};
	return example_run(&s, "el1", WORK_ITERATIONS);
}
