// SPDX-License-Identifier: MIT
/*
 * Event names accepted by the read_event / write_event module parameters. Generic perf events
 * (the kernel maps them to each PMU's own code, and refuses them where the PMU lacks them), the
 * cpu-clock software event (for machines without a PMU, such as x86 under QEMU TCG), and raw
 * PMU codes as "raw:0x17" or perf's "r17". On arm64 also the armv8 backend's per-core tables
 * (backends/armv8/events.c, selected by the boot CPU's MIDR_EL1): Arm mnemonics such as
 * "L2D_CACHE_REFILL" (any case) and "default", the table's read (write-back) event.
 *
 * Precedence: none/empty, the generic perf names below, raw codes, "default", the core's table.
 * There is no x86 table in the project: on amd64 only the first three exist.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/string.h>

#ifdef KMEMBW_ARMV8_TABLES
#include <asm/cputype.h>
#include "backends/armv8/events.h"
#endif

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
 * Which channel's parameter holds @name: main.c passes the module parameter's own string, so the
 * parameter whose value is that pointer tells read_event from write_event.
 * TODO(main.c): pass the channel to kmembw_event_parse() and drop this lookup.
 */
static unsigned int channel_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < THIS_MODULE->num_kp; i++) {
		const struct kernel_param *kp = &THIS_MODULE->kp[i];

		if (!strcmp(kp->name, "write_event") && *(char **)kp->arg == name)
			return MEMBW_CH_WRITE;
	}
	return MEMBW_CH_READ;
}

#ifdef KMEMBW_ARMV8_TABLES
static const char *event_name_of(const struct armv8_core *core, u16 code)
{
	unsigned int i;

	for (i = 0; i < core->nevents; i++)
		if (core->events[i].code == code)
			return core->events[i].name;
	return "unnamed";
}

/* "default" or a mnemonic of the boot CPU's table; -ENOENT when the table does not have it. */
static int parse_table(const char *name, unsigned int channel, u64 *config)
{
	static const char *const param[] = { "read_event", "write_event" };
	u32 midr = read_cpuid_id();
	const struct armv8_core *core = armv8_core_lookup(midr);
	const struct armv8_event *ev;
	u16 code;

	if (!strcmp(name, "default")) {
		code = channel == MEMBW_CH_WRITE ? core->write_event : core->read_event;
		if (!code) {
			pr_err(KMEMBW_NAME ": %s=default: the %s table (MIDR 0x%08x) has no write-back "
			       "event; name one or use write_event=none\n", param[channel], core->name,
			       midr);
			return -ENOENT;
		}
		pr_info(KMEMBW_NAME ": %s=default is %s (raw 0x%02x) of the %s table (MIDR 0x%08x)%s\n",
			param[channel], event_name_of(core, code), code, core->name, midr,
			core->generic ? ": no table for this core, generic fallback of the Arm ARM's "
					"common events (check PMCEID0/1_EL0 implements it)" : "");
		*config = code;
		return 0;
	}
	ev = armv8_event_by_name(core, name);
	if (!ev) {
		pr_err(KMEMBW_NAME ": %s='%s' is none of: a generic perf name (llc-read-misses, "
		       "cpu-cycles, instructions, ... see modinfo membw), a raw code (raw:0x17, r17), "
		       "default, or an event of the %s table for MIDR 0x%08x (%s)%s\n",
		       param[channel], name, core->name, midr, core->source,
		       core->generic ? ", the generic fallback: this core has no table of its own" : "");
		return -ENOENT;
	}
	pr_info(KMEMBW_NAME ": %s=%s is raw 0x%02x of the %s table (MIDR 0x%08x)%s\n", param[channel],
		name, ev->code, core->name, midr, core->generic ? ", the generic fallback" : "");
	*config = ev->code;
	return 0;
}
#else
static int parse_table(const char *name, unsigned int channel, u64 *config)
{
	(void)config;
	pr_err(KMEMBW_NAME ": %s='%s' is none of: a generic perf name (llc-read-misses, cpu-cycles, "
	       "instructions, ... see modinfo membw) or a raw code (raw:0x17, r17); 'default' and Arm "
	       "mnemonics need the armv8 tables, which only arm64 builds have (no x86 table exists)\n",
	       channel == MEMBW_CH_WRITE ? "write_event" : "read_event", name);
	return -ENOENT;
}
#endif

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
	if (err == -ENOENT)
		err = parse_table(name, channel_of(name), &config);
	if (err)
		return -ENOENT;
	attr->type = PERF_TYPE_RAW;
	attr->config = config;
	return 0;
}
