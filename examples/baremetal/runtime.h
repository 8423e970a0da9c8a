/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal libmembw runtime for one aarch64 CPU, the part the EL1 and EL2 skeletons share:
 * the policy's storage, the period timer, the PMU overflow interrupt and the throttle (the CPU
 * waits in WFI until its next period). The platform underneath (console, GIC, generic timer,
 * start code) is the project's QEMU test platform, tests/qemu/platform/platform.h; on your board
 * these calls are your BSP's.
 */
#ifndef EXAMPLE_BAREMETAL_RUNTIME_H
#define EXAMPLE_BAREMETAL_RUNTIME_H

#include <membw/membw.h>

#include "armv8.h"

/* What a skeleton chooses: the backend's context (mode, counters), what to count, the budget. */
struct example_setup {
	struct armv8_ctx ctx;
	uint64_t event;       /* ARMV8_EVENT(n), or 0 for the core's default memory event */
	uint32_t levels;      /* MEMBW_COUNT_* */
	const char *budget;   /* a rate, e.g. "100MB/s" */
};

/* Start, run a loop of @iterations (the regulated work), stop, and report as "example NAME:
 * ... PASS" (or the error). Returns the image's exit code: 0, or 1 on any error. */
int example_run(struct example_setup *s, const char *name, uint64_t iterations);

#endif
