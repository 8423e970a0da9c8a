// SPDX-License-Identifier: MIT
/*
 * Event names accepted by the read_event / write_event module parameters. Generic perf events
 * (the kernel maps them to each PMU's own code, and refuses them where the PMU lacks them), the
 * cpu-clock software event (for machines without a PMU, such as x86 under QEMU TCG), raw PMU
 * codes as "raw:0x17" or perf's "r17", and the event tables of libmembw's backends, resolved by
 * their own resolvers (armv8_event_resolve(), x86_event_resolve()), which the perf backend calls
 * too; this file only words the outcome:
 * - arm64: the armv8 backend's per-core tables (backends/armv8/events.c, selected by the boot
 *   CPU's MIDR_EL1): Arm mnemonics such as "L2D_CACHE_REFILL" (any case, "armv8::" prefix
 *   optional) and "default", the table's read (write-back) event.
 * - x86-64: the x86 backend's Intel tables (backends/x86/events.c, selected by the boot CPU's
 *   vendor, family, model and stepping): Intel names such as "LONGEST_LAT_CACHE.MISS" ("x86::"
 *   prefix optional) and "default". On a CPU that is not GenuineIntel (AMD, or QEMU's TCG CPU
 *   models with an AMD vendor) no Intel table applies: such a name, or "default", is refused
 *   with what to name instead.
 * A table name of the other architecture is recognised and refused as such.
 *
 * Precedence: none/empty, the generic perf names below, raw codes, "default", the core's table.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/string.h>

#ifdef CONFIG_ARM64
#include <asm/cputype.h>
#include <asm/sysreg.h>
#else
#include <asm/processor.h>
#endif
/* Both architectures' tables are in every build: each names the other's events in a refusal. */
#include "backends/armv8/events.h"
#include "backends/armv8/pmu_fields.h"
#include "backends/x86/events.h"

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

/*
 * "raw:0x17" (any base kstrtou64 takes) or perf's "r17" (hex): 0 with *@config set; -ENOENT when
 * @text is not written as a raw code, so that a name such as "remote_access" still reaches the
 * tables; -EINVAL, logged, for "raw:" followed by no number.
 */
static int parse_raw(const char *text, const char *param, u64 *config)
{
	if (!strncmp(text, "raw:", 4)) {
		if (!kstrtou64(text + 4, 0, config))
			return 0;
		pr_err(KMEMBW_NAME ": %s='%s': a raw code is raw:0x17 (or r17); '%s' is no number\n",
		       param, text, text + 4);
		return -EINVAL;
	}
	if (text[0] == 'r' && text[1] && !kstrtou64(text + 1, 16, config))
		return 0;
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

static const char *const param_name[] = { "read_event", "write_event" };
/* The resolvers' channels: 0 reads, 1 write-backs (backends/armv8/events.h, x86/events.h). */
static_assert(MEMBW_CH_READ == 0 && MEMBW_CH_WRITE == 1, "resolver channel numbering");

/* What to name instead of a table event that does not apply here. */
#define KMEMBW_INSTEAD "name this CPU's own event instead: a raw code for its PMU (raw:0x17 or " \
	"r17, as perf writes it) or a generic perf name such as llc-read-misses or cache-misses " \
	"(modinfo membw lists them)"

#ifdef CONFIG_ARM64
/*
 * Whether this CPU's PMU implements common event @code: bit (code & 0x1f) of PMCEID0_EL0
 * (0x00..0x1F) or PMCEID1_EL0 (0x20..0x3F), the 0x4000..0x403F range in their upper halves
 * (docs/armv8-pmu.md#armv8-pmu-pmceid). Linux creates a raw event the PMU does not implement
 * without an error, and it never counts (docs/linux-kernel.md#linux-raw-events): a budget counted
 * with it is never spent. Implementation-defined numbers, and a CPU without an architected PMU
 * (ID_AA64DFR0_EL1.PMUVer, bits 11:8, 0 or 0xF: no PMCEID registers), are not checked.
 * *@reg and *@bit name the bit read.
 */
static bool pmu_implements(u16 code, const char **reg, unsigned int *bit)
{
	unsigned int pmuver = (unsigned int)(read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
	unsigned int which;
	u64 word;

	if (pmuver == 0 || pmuver == 0xf || !armv8_pmceid_bit(code, &which, bit))
		return true;
	*reg = which ? "PMCEID1_EL0" : "PMCEID0_EL0";
	word = which ? read_sysreg(pmceid1_el0) : read_sysreg(pmceid0_el0);
	return (word >> *bit) & 1;
}

/* Refuses a table event this CPU's PMU does not implement (pmu_implements()). */
static int check_implemented(const char *name, unsigned int channel, u16 code)
{
	const char *reg = "";
	unsigned int bit = 0;

	if (pmu_implements(code, &reg, &bit))
		return 0;
	pr_err(KMEMBW_NAME ": %s=%s (raw 0x%02x): this CPU's PMU does not implement it (%s bit %u "
	       "is clear), so it would never count and no budget would ever be spent; name an event "
	       "it implements (perf list, or /sys/bus/event_source/devices/armv8_pmuv3_0/events/), "
	       "e.g. CPU_CYCLES\n", param_name[channel], name, code, reg, bit);
	return -ENODEV;
}

/* "default" or a mnemonic of the boot CPU's armv8 table (backends/armv8/events.c). */
static int parse_table(const char *name, unsigned int channel, u64 *config)
{
	u32 midr = read_cpuid_id();
	const struct armv8_core *core = armv8_core_lookup(midr);
	struct armv8_resolution r;
	const struct x86_core *intel;
	const char *rest = event_name_after_prefix(name, "x86::");

	if (rest != name) {
		name = rest;
		goto other_arch;
	}
	switch (armv8_event_resolve(name, midr, channel, &r)) {
	case ARMV8_RESOLVED_EVENT:
		if (r.is_default)
			pr_info(KMEMBW_NAME ": %s=%s is %s (raw 0x%02x) of the %s table (MIDR "
				"0x%08x)%s\n", param_name[channel], r.name, r.row->name, r.row->code,
				r.core->name, midr,
				r.core->generic ? ": no table for this core, generic fallback of the "
						  "Arm ARM's common events (check PMCEID0/1_EL0 "
						  "implements it)" : "");
		else
			pr_info(KMEMBW_NAME ": %s=%s is raw 0x%02x of the %s table (MIDR 0x%08x)%s\n",
				param_name[channel], r.name, r.row->code, r.core->name, midr,
				r.core->generic ? ", the generic fallback" : "");
		*config = r.row->code;
		return check_implemented(r.name, channel, r.row->code);
	case ARMV8_RESOLVED_NO_DEFAULT:
		pr_err(KMEMBW_NAME ": %s=%s: the %s table (MIDR 0x%08x) has no %s event; name one "
		       "or use write_event=none\n", param_name[channel], r.name, r.core->name, midr,
		       r.channel == MEMBW_CH_WRITE ? "write-back" : "read");
		return -ENOENT;
	case ARMV8_RESOLVED_UNKNOWN:
		name = r.name;
		break;
	}
other_arch:
	intel = x86_core_with_event(name);
	if (intel) {
		pr_err(KMEMBW_NAME ": %s='%s' is an event of the Intel %s table: the x86 tables apply "
		       "on x86-64 only, and this is an arm64 CPU (MIDR 0x%08x); " KMEMBW_INSTEAD "\n",
		       param_name[channel], name, intel->name, midr);
		return -ENODEV;
	}
	pr_err(KMEMBW_NAME ": %s='%s' is none of: a generic perf name (llc-read-misses, "
	       "cpu-cycles, instructions, ... see modinfo membw), a raw code (raw:0x17, r17), "
	       "default, or an event of the %s table for MIDR 0x%08x (%s)%s\n",
	       param_name[channel], name, core->name, midr, core->source,
	       core->generic ? ", the generic fallback: this core has no table of its own" : "");
	return -ENOENT;
}
#else /* x86-64 */
/* An Arm mnemonic of the common events (the generic armv8 table): says a name is Arm's. */
static bool arm_common_name(const char *name)
{
	return armv8_event_by_name(armv8_core_lookup(0), name) != NULL;
}

/*
 * "default" or an event of the boot CPU's Intel table (backends/x86/events.c), chosen by
 * x86_event_resolve() as for the perf backend: GenuineIntel CPUs by display family, model and
 * stepping (the kernel's boot_cpu_data, decoded by the SDM's CPUID leaf 01H rule); on any other
 * vendor no Intel table applies, because Intel event numbers mean other events there. A row's
 * code is `event | umask << 8`, the raw config of Linux's Intel core PMU
 * (docs/x86-perfmon.md#x86-perfmon-perf-raw).
 */
static int parse_table(const char *name, unsigned int channel, u64 *config)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	const char *vendor = c->x86_vendor_id[0] ? c->x86_vendor_id : "unknown vendor";
	const char *rest = event_name_after_prefix(name, "armv8::");
	const struct x86_core *core = c->x86_vendor == X86_VENDOR_INTEL ?
		x86_core_lookup(1, c->x86, c->x86_model, c->x86_stepping) : NULL;
	struct x86_resolution r;

	if (rest != name) {
		name = rest;
		goto other_arch;
	}
	switch (x86_event_resolve(name, c->x86_vendor == X86_VENDOR_INTEL, c->x86, c->x86_model,
				  c->x86_stepping, channel, &r)) {
	case X86_RESOLVED_EVENT:
		pr_info(KMEMBW_NAME ": %s=%s is %s (raw 0x%04x) of the Intel %s table (family 0x%x "
			"model 0x%x stepping 0x%x)%s\n", param_name[channel], r.name, r.row->name,
			r.row->code, r.core->name, c->x86, c->x86_model, c->x86_stepping,
			r.core->generic ? ", the architectural events: no table for this model "
					  "(CPUID.0AH:EBX may mark one unavailable)" : "");
		*config = r.row->code; /* event | umask << 8: config:0-7 and config:8-15 */
		return 0;
	case X86_RESOLVED_NO_DEFAULT:
		pr_err(KMEMBW_NAME ": %s=%s: the %s Intel table (family 0x%x model 0x%x) has no "
		       "default %s event; name one or use write_event=none\n", param_name[channel],
		       r.name, r.core->name, c->x86, c->x86_model,
		       r.channel == MEMBW_CH_WRITE ? "write-back" : "read");
		return -ENOENT;
	case X86_RESOLVED_NOT_INTEL:
		pr_err(KMEMBW_NAME ": %s='%s'%s%s%s: no Intel event table applies on this CPU (%s "
		       "family 0x%x model 0x%x stepping 0x%x: not GenuineIntel, and Intel event "
		       "numbers mean other events there); " KMEMBW_INSTEAD "\n", param_name[channel],
		       r.name, r.is_default ? " has no event here" : " is an event of the Intel ",
		       r.core ? r.core->name : "", r.core ? " table" : "", vendor, c->x86,
		       c->x86_model, c->x86_stepping);
		return -ENODEV;
	case X86_RESOLVED_UNKNOWN:
		name = r.name;
		break;
	}
other_arch:
	if (arm_common_name(name)) {
		pr_err(KMEMBW_NAME ": %s='%s' is an Arm PMU event: the armv8 tables apply on arm64 "
		       "only, and this is an x86-64 CPU (%s family 0x%x model 0x%x); " KMEMBW_INSTEAD
		       "\n", param_name[channel], name, vendor, c->x86, c->x86_model);
		return -ENODEV;
	}
	pr_err(KMEMBW_NAME ": %s='%s' is none of: a generic perf name (llc-read-misses, cpu-cycles, "
	       "instructions, ... see modinfo membw), a raw code (raw:0x17, r17), default, or an "
	       "event of %s%s%s\n", param_name[channel], name,
	       core ? "the Intel " : "an Intel table (none applies: this CPU is not GenuineIntel)",
	       core ? core->name : "", core ? " table of this CPU" : "");
	return -ENOENT;
}
#endif

/*
 * Fill @attr's type and config for @name. "none" (or an empty name) leaves @attr->type at
 * PERF_TYPE_MAX: the channel does not exist. Returns -ENOENT for a name that is none of the
 * kinds above, -ENODEV for a table name that does not apply to this CPU (another architecture's,
 * or an Intel one on a CPU that is not Intel), -EINVAL for a malformed raw code; the reason is
 * logged in each case.
 */
int kmembw_event_parse(const char *name, struct perf_event_attr *attr, bool *hrtimer_driven)
{
	unsigned int i, channel;
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
	channel = channel_of(name);
	err = parse_raw(name, param_name[channel], &config);
	if (err == -ENOENT)
		err = parse_table(name, channel, &config);
	if (err)
		return err;
	attr->type = PERF_TYPE_RAW;
	attr->config = config;
	return 0;
}
