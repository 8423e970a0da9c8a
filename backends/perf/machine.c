/* SPDX-License-Identifier: MIT */
/*
 * What this machine is, as Linux tells it: the base page size, the data-cache line size and the
 * running core's MIDR (arm64). The name tables (events.c, armv8_table.c) use these; this file
 * uses nothing of theirs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "perf_backend.h"

#define MIDR_SYSFS "/sys/devices/system/cpu/cpu0/regs/identification/midr_el1"

uint32_t perf_page_size(void)
{
	long v = sysconf(_SC_PAGESIZE);

	return v > 0 && v <= 65536 ? (uint32_t)v : 4096u;
}

uint32_t perf_cache_line_size(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size", "r");
	unsigned int v = 0;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	if (v >= 8 && v <= 4096 && (v & (v - 1)) == 0)
		return v;
	/* ASSUMPTION: 64-byte lines when sysfs does not say (true of current x86-64 and of the
	 * Arm cores libmembw targets: Cortex-A53/A57/A72, Neoverse N1). */
	return 64u;
}

int perf_running_midr(uint32_t *midr)
{
	FILE *f = fopen(MIDR_SYSFS, "r");
	unsigned long long v = 0;
	int ok;

	if (!f)
		return -MEMBW_ENODEV;
	/* The kernel prints the 64-bit register as "0x%016llx" (arch/arm64/kernel/cpuinfo.c);
	 * MIDR_EL1's upper 32 bits are RES0. */
	ok = fscanf(f, "%llx", &v) == 1 && v <= 0xffffffffull;
	fclose(f);
	if (!ok)
		return -MEMBW_ENODEV;
	*midr = (uint32_t)v;
	return 0;
}
