/* SPDX-License-Identifier: MIT */
/*
 * What this machine is, as Linux tells it: the base page size, the data-cache line size and the
 * running core's MIDR (arm64) or the x86 CPU's CPUID vendor and family/model. The name tables (events.c, armv8_table.c) use these; this file
 * uses nothing of theirs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "perf_backend.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

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

int perf_running_x86(struct perf_x86_cpu *cpu)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d, base_family, base_model;

	if (!__get_cpuid(0, &a, &b, &c, &d))
		return -MEMBW_ENODEV;
	memset(cpu, 0, sizeof(*cpu));
	/* The vendor string is EBX, EDX, ECX (SDM vol. 2A, CPUID leaf 00H). */
	memcpy(cpu->vendor, &b, 4);
	memcpy(cpu->vendor + 4, &d, 4);
	memcpy(cpu->vendor + 8, &c, 4);
	cpu->intel = !strcmp(cpu->vendor, "GenuineIntel");
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return -MEMBW_ENODEV;
	/* Display family and model (SDM vol. 2A, CPUID leaf 01H, "Version Information"). */
	base_family = (a >> 8) & 0xF;
	base_model = (a >> 4) & 0xF;
	cpu->stepping = a & 0xF;
	cpu->family = base_family == 0xF ? base_family + ((a >> 20) & 0xFF) : base_family;
	cpu->model = base_family == 6 || base_family == 0xF ? base_model | (((a >> 16) & 0xF) << 4)
							   : base_model;
	return 0;
#else
	(void)cpu;
	return -MEMBW_ENODEV;
#endif
}
