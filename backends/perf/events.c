/* SPDX-License-Identifier: MIT */
/*
 * Event names for the perf backend: raw codes, libpfm4 names (which include the perf tool's own
 * names such as "page-faults" and "cycles" through libpfm4's "perf" PMU), what counts memory
 * traffic, and how many bytes one event stands for.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "perf_backend.h"
/* After linux/perf_event.h (via perf_backend.h), so libpfm4 uses the kernel's definitions. */
#include <perfmon/pfmlib_perf_event.h>

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

/* Software events that count faults on fresh pages: one event is one base page first touched
 * (anonymous memory without transparent huge pages; a THP fault maps 2 MiB at once). */
static bool is_fault_event(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_PAGE_FAULTS || a->config == PERF_COUNT_SW_PAGE_FAULTS_MIN ||
		a->config == PERF_COUNT_SW_PAGE_FAULTS_MAJ);
}

static void finish_choice(struct perf_event_choice *c)
{
	c->software = c->attr.type == PERF_TYPE_SOFTWARE;
	c->line_size = is_fault_event(&c->attr) ? perf_page_size() : perf_cache_line_size();
}

/* "r1b7", "r01B7" (the perf tool's form) or "0x1b7": a raw PMU event code. */
static bool parse_raw(const char *name, uint64_t *code)
{
	const char *digits;
	char *end;

	if (name[0] == 'r' && isxdigit((unsigned char)name[1]))
		digits = name + 1;
	else if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X') &&
		 isxdigit((unsigned char)name[2]))
		digits = name + 2;
	else
		return false;
	errno = 0;
	*code = strtoull(digits, &end, 16);
	return errno == 0 && *end == '\0';
}

static int pfm_ready(void)
{
	static int state; /* 0 untried, 1 ready, -1 failed */

	if (state == 0)
		state = pfm_initialize() == PFM_SUCCESS ? 1 : -1;
	return state;
}

int perf_event_resolve(const char *name, struct perf_event_choice *out, char *why, size_t len)
{
	struct perf_event_choice c;
	pfm_perf_encode_arg_t arg;
	char *fstr = NULL;
	uint64_t code;
	int ret;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	memset(&c, 0, sizeof(c));
	if (parse_raw(name, &code)) {
		c.attr.type = PERF_TYPE_RAW;
		c.attr.config = code;
		snprintf(c.name, sizeof(c.name), "raw 0x%llx", (unsigned long long)code);
		finish_choice(&c);
		*out = c;
		return 0;
	}
	if (pfm_ready() < 0) {
		snprintf(why, len, "libpfm4 did not initialise, so only raw codes (r1b7) work");
		return -MEMBW_ENOENT;
	}
	memset(&arg, 0, sizeof(arg));
	arg.attr = &c.attr;
	arg.size = sizeof(arg);
	arg.fstr = &fstr;
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(why, len,
			 "unknown event '%s' (%s); `membw events` lists the events usable here, "
			 "and a raw code is written r1b7",
			 name, pfm_strerror(ret));
		free(fstr);
		return -MEMBW_ENOENT;
	}
	/* Keep "pmu::EVENT", dropping the modifier list libpfm4 appends (":u=1:k=1..."). */
	snprintf(c.name, sizeof(c.name), "%s", fstr ? fstr : name);
	free(fstr);
	{
		char *colon = strstr(c.name, "::");

		colon = strchr(colon ? colon + 2 : c.name, ':');
		if (colon)
			*colon = '\0';
	}
	finish_choice(&c);
	*out = c;
	return 0;
}

int perf_hardware_pmu_present(char *why, size_t len)
{
	struct perf_event_choice cycles;

	memset(&cycles, 0, sizeof(cycles));
	cycles.attr.type = PERF_TYPE_HARDWARE;
	cycles.attr.config = PERF_COUNT_HW_CPU_CYCLES;
	snprintf(cycles.name, sizeof(cycles.name), "cycles");
	if (perf_event_try_open(&cycles, MEMBW_COUNT_USER, why, len) == -MEMBW_ENODEV)
		return -MEMBW_ENODEV;
	if (len)
		why[0] = '\0';
	return 0;
}

/*
 * Substrings of event names that count lines moved between the last-level cache and DRAM (or the
 * stand-in for it). Sources: Arm ARM D7.10 common event numbers (L3D_CACHE_REFILL 0x2A,
 * LL_CACHE_MISS_RD 0x37, L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18, L3D_CACHE_WB 0x2C,
 * BUS_ACCESS 0x19, MEM_ACCESS is L1 and is NOT listed); Intel SDM vol. 3 table 20-1
 * architectural LLC misses (LONGEST_LAT_CACHE.MISS, event 0x2E umask 0x41); the perf tool's
 * generic cache events (LLC-load-misses, cache-misses).
 */
static const char *const memory_patterns[] = {
	"LLC_MISS", "LL_CACHE_MISS", "L3D_CACHE_REFILL", "L2D_CACHE_REFILL", "L2D_CACHE_WB",
	"L3D_CACHE_WB", "BUS_ACCESS", "LONGEST_LAT_CACHE", "L2_LINES_IN", "L2_LINES_OUT",
	"OFFCORE_RESPONSE", "CACHE_MISSES", "PERF_COUNT_HW_CACHE_LL", "LLC-LOAD-MISSES",
	"LLC-STORE-MISSES", "PAGE_FAULTS", "PAGE-FAULTS", "MINOR-FAULTS",
};

bool perf_event_counts_memory(const char *name, const char *desc)
{
	size_t i;

	(void)desc;
	if (!name)
		return false;
	if (strcasestr(name, "PAGE_FAULTS_MAJ") || strcasestr(name, "major-faults"))
		return false; /* a major fault is a disk read, not a fresh page */
	if (!strcasecmp(name, "FAULTS"))
		return true; /* libpfm4's short alias of PERF_COUNT_SW_PAGE_FAULTS */
	for (i = 0; i < sizeof(memory_patterns) / sizeof(memory_patterns[0]); i++)
		if (strcasestr(name, memory_patterns[i]))
			return true;
	return false;
}
