/* SPDX-License-Identifier: MIT */
/*
 * Skeleton: libmembw in a hypervisor at EL2 (linked with the platform's boot_el2.o, so the image
 * stays at EL2; QEMU -M virt,virtualization=on). The runtime (runtime.c) owns the EL2 timer
 * (CNTHP) and the PMU interrupt, which come to EL2 (HCR_EL2.IMO).
 *
 * In EL2 mode the backend takes the event counters from MDCR_EL2.HPMN upwards, the ones EL1
 * cannot see: the hypervisor sets HPMN first, leaving counters 0 .. HPMN-1 to its guests. A real
 * hypervisor counts its guests' traffic (levels USER | KERNEL) and, on throttle, stops running
 * the guest's vCPU on that CPU until unthrottle; with no guest here, it counts its own work at
 * EL2 and waits in WFI. Event: INST_RETIRED for QEMU (no memory events there), 0 on hardware for
 * the core's default memory event. HYP_COUNTERS is 2 because the QEMU workaround takes a second
 * counter per channel.
 */
#include "platform.h"
#include "runtime.h"

#define WORK_ITERATIONS 1000000ull /* about 3 ms of guest time under -icount shift=0, unthrottled */
#define HYP_COUNTERS 2u /* counters kept for EL2: one channel, and its shadow for QEMU */

int test_main(void)
{
	struct example_setup s = {
		.ctx = { .size = sizeof(struct armv8_ctx), .mode = ARMV8_MODE_EL2,
			 .want_channels = 1,
			 /* QEMU only, both (armv8.h): its late overflow, and its PMU interrupt
			  * that needs PMCR_EL0.E. On hardware: no flags. */
			 .flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND |
				  ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E },
		.event = ARMV8_EVENT(0x08), /* INST_RETIRED, for QEMU; 0 on hardware */
		.levels = MEMBW_COUNT_HYP,
		.budget = "1GB/s",
	};
	uint64_t pmcr, mdcr, n;
	/* Give the guests all but the top HYP_COUNTERS event counters (MDCR_EL2.HPMN). */
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	n = (pmcr >> 11) & 0x1fu;
	if (n < HYP_COUNTERS) {
		pf_printf("example el2: %llu event counters, %u needed\n", (unsigned long long)n,
			  HYP_COUNTERS);
		return 1;
	}
	__asm__ volatile("mrs %0, mdcr_el2" : "=r"(mdcr));
	mdcr = (mdcr & ~0x1full) | (n - HYP_COUNTERS);
	__asm__ volatile("msr mdcr_el2, %0\n\tisb" : : "r"(mdcr));

	return example_run(&s, "el2", WORK_ITERATIONS);
}
