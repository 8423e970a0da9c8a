// SPDX-License-Identifier: MIT
/*
 * Event names accepted by the read_event / write_event module parameters. Generic perf events
 * (the kernel maps them to each PMU's own code, and refuses them where the PMU lacks them), the
 * cpu-clock software event (for machines without a PMU, such as x86 under QEMU TCG), and raw
 * PMU codes as "raw:0x17" or perf's "r17".
 */
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <linux/string.h>

#include "kmembw.h"

#define HW_CACHE(cache, op, result) \
	((cache) | ((op) << 8) | ((result) << 16))

struct kmembw_event_name {
	const char *name;
	u32 type;
	u64 config;
	const char *what;
};

/* Names as perf(1) lists them (tools/perf's event names), plus two LLC cache-event shorthands. */
static const struct kmembw_event_name kmembw_events[] = {
	{ "llc-read-misses", PERF_TYPE_HW_CACHE,
	  HW_CACHE(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS),
	  "last-level cache read misses: line refills from memory" },
	{ "llc-write-misses", PERF_TYPE_HW_CACHE,
	  HW_CACHE(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_WRITE, PERF_COUNT_HW_CACHE_RESULT_MISS),
	  "last-level cache write misses" },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "generic cache misses" },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, "cache accesses" },
	{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "CPU cycles (test stand-in)" },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS,
	  "instructions retired (test stand-in)" },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK,
	  "nanoseconds of CPU clock (software; no PMU needed)" },
};

static int parse_raw(const char *text, u64 *config)
{
	if (!strncmp(text, "raw:", 4))
		return kstrtou64(text + 4, 0, config);
	if (text[0] == 'r' && text[1])
		return kstrtou64(text + 1, 16, config);
	return -ENOENT;
}

/*
 * Fill @attr's type and config for @name. "none" (or an empty name) leaves @attr->type at
 * PERF_TYPE_MAX: the channel does not exist. Returns -ENOENT for a name that is neither.
 */
int kmembw_event_parse(const char *name, struct perf_event_attr *attr, bool *hrtimer_driven)
{
	unsigned int i;
	u64 config;
	int err;

	*hrtimer_driven = false;
	attr->type = PERF_TYPE_MAX;
	if (!name || !name[0] || !strcmp(name, "none"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(kmembw_events); i++) {
		if (!strcmp(name, kmembw_events[i].name)) {
			attr->type = kmembw_events[i].type;
			attr->config = kmembw_events[i].config;
			*hrtimer_driven = attr->type == PERF_TYPE_SOFTWARE;
			return 0;
		}
	}
	err = parse_raw(name, &config);
	if (err)
		return -ENOENT;
	attr->type = PERF_TYPE_RAW;
	attr->config = config;
	return 0;
}
