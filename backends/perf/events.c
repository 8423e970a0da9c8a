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

#include "event_names.h"
#include "perf_backend.h"
/* After linux/perf_event.h (via perf_backend.h), so libpfm4 uses the kernel's definitions. */
#include <perfmon/pfmlib_perf_event.h>

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

/* libpfm4's encoding of @name into @c; on failure @why says why (libpfm4's words). */
static int resolve_libpfm4(const char *name, struct perf_event_choice *c, char *why, size_t len)
{
	pfm_perf_encode_arg_t arg;
	char *fstr = NULL, *colon;
	int ret;

	if (pfm_ready() < 0) {
		snprintf(why, len, "libpfm4 did not initialise");
		return -MEMBW_ENOENT;
	}
	memset(&arg, 0, sizeof(arg));
	arg.attr = &c->attr;
	arg.size = sizeof(arg);
	arg.fstr = &fstr;
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4: %s", pfm_strerror(ret));
		free(fstr);
		return -MEMBW_ENOENT;
	}
	/* Keep "pmu::EVENT", dropping the modifier list libpfm4 appends (":u=1:k=1..."). */
	snprintf(c->name, sizeof(c->name), "%s", fstr ? fstr : name);
	free(fstr);
	colon = strstr(c->name, "::");
	colon = strchr(colon ? colon + 2 : c->name, ':');
	if (colon)
		*colon = '\0';
	return 0;
}

/* "default" where neither an armv8 nor an x86 table applies (not arm64, not x86-64): the kernel's generic cache misses for reads. */
static int resolve_default_elsewhere(unsigned int channel, struct perf_event_choice *c, char *why,
				     size_t len)
{
	if (channel) {
		snprintf(why, len,
			 "there is no default write-back event here (libmembw's tables apply to arm64 "
			 "and x86-64 only); name one with --write-event "
			 "(`membw events --memory` lists the memory events)");
		return -MEMBW_ENOENT;
	}
	c->attr.type = PERF_TYPE_HARDWARE;
	c->attr.config = PERF_COUNT_HW_CACHE_MISSES;
	snprintf(c->name, sizeof(c->name), "perf::PERF_COUNT_HW_CACHE_MISSES");
	snprintf(c->note, sizeof(c->note),
		 "default read event: the kernel's generic cache-misses (libmembw's event tables "
		 "apply to arm64 and x86-64 only)");
	return 0;
}

int perf_event_resolve_channel(const char *name, unsigned int channel,
			       struct perf_event_choice *out, char *why, size_t len)
{
	struct perf_event_choice c;
	char pfm_why[PERF_WHY_MAX], table_why[PERF_WHY_MAX];
	struct perf_x86_cpu cpu;
	uint32_t midr;
	bool have_midr, have_x86, armv8_only, x86_only;
	uint64_t code;
	int err;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX || channel >= MEMBW_NCHANNELS) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	memset(&c, 0, sizeof(c));
	have_midr = perf_running_midr(&midr) == 0;
	have_x86 = !have_midr && perf_running_x86(&cpu) == 0;
	if (parse_raw(name, &code)) {
		c.attr.type = PERF_TYPE_RAW;
		c.attr.config = code;
		snprintf(c.name, sizeof(c.name), "raw 0x%llx", (unsigned long long)code);
		finish_choice(&c);
		*out = c;
		return 0;
	}
	armv8_only = !strncasecmp(name, "armv8::", 7);
	x86_only = !strncasecmp(name, "x86::", 5);
	if (armv8_only || x86_only || event_name_default(name, &channel)) {
		if (have_midr && !x86_only)
			return perf_armv8_resolve(name, channel, midr, out, why, len);
		if (have_x86 && !armv8_only)
			return perf_x86_resolve(name, channel, &cpu, out, why, len);
		if (armv8_only || x86_only) {
			snprintf(why, len,
				 "'%s': the %s tables apply on %s only; `membw events` lists the "
				 "events usable here",
				 name, armv8_only ? "armv8" : "x86", armv8_only ? "arm64" : "x86-64");
			return -MEMBW_ENOENT;
		}
		err = resolve_default_elsewhere(channel, &c, why, len);
		if (err)
			return err;
		finish_choice(&c);
		*out = c;
		return 0;
	}
	err = resolve_libpfm4(name, &c, pfm_why, sizeof(pfm_why));
	if (!err) {
		finish_choice(&c);
		*out = c;
		return 0;
	}
	if (have_midr || have_x86) {
		err = have_midr ? perf_armv8_resolve(name, channel, midr, out, table_why,
						     sizeof(table_why))
				: perf_x86_resolve(name, channel, &cpu, out, table_why,
						   sizeof(table_why));
		if (err != -MEMBW_ENOENT)
			return err;
		snprintf(why, len, "%s (%s)", table_why, pfm_why);
		return -MEMBW_ENOENT;
	}
	snprintf(why, len,
		 "unknown event '%s' (%s; no event table of libmembw applies: neither arm64 nor "
		 "x86-64); `membw events` lists the events usable here, and a raw code is written "
		 "r1b7",
		 name, pfm_why);
	return -MEMBW_ENOENT;
}

int perf_event_resolve(const char *name, struct perf_event_choice *out, char *why, size_t len)
{
	return perf_event_resolve_channel(name, 0, out, why, len);
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
 * BUS_ACCESS 0x19, MEM_ACCESS is L1 and is NOT listed; Cortex-A53 TRM table 12-28's external
 * memory requests 0xC0/0xC1, EXT_MEM_REQ in backends/armv8/events.c); Intel SDM vol. 3 table 20-1
 * architectural LLC misses (LONGEST_LAT_CACHE.MISS, event 0x2E umask 0x41); the perf tool's
 * generic cache events (LLC-load-misses, cache-misses).
 */
static const char *const memory_patterns[] = {
	"LLC_MISS", "LL_CACHE_MISS", "L3D_CACHE_REFILL", "L2D_CACHE_REFILL", "L2D_CACHE_WB",
	"L3D_CACHE_WB", "BUS_ACCESS", "LONGEST_LAT_CACHE", "L2_LINES_IN", "L2_LINES_OUT",
	"OFFCORE_RESPONSE", "CACHE_MISSES", "PERF_COUNT_HW_CACHE_LL", "LLC-LOAD-MISSES",
	"LLC-STORE-MISSES", "PAGE_FAULTS", "PAGE-FAULTS", "MINOR-FAULTS", "EXT_MEM_REQ",
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
