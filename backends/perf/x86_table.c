/* SPDX-License-Identifier: MIT */
/*
 * Event names from libmembw's own Intel tables (backends/x86/events.h), chosen by the CPU's
 * CPUID vendor, family, model and stepping (perf_running_x86() in machine.c).
 *
 * Encoding (docs/x86-perfmon.md#x86-perfmon-perf-raw): Linux's Intel core PMU takes a raw config
 * whose bits 0-7 are the event select and bits 8-15 the unit mask (the "event" and "umask"
 * format attributes of arch/x86/events/intel/core.c, exported as
 * /sys/bus/event_source/devices/cpu/format/{event,umask} = config:0-7 / config:8-15), i.e. the
 * low 16 bits of IA32_PERFEVTSELx. A table row's code is `event | umask << 8`, so it is the
 * PERF_TYPE_RAW config as it is. libpfm4 encodes its Intel names the same way
 * (PERF_TYPE_RAW, config 0x412e for LONGEST_LAT_CACHE:MISS), which the tests check.
 *
 * On a CPU that is not GenuineIntel no table applies: Intel event numbers mean other things on
 * AMD (its PerfEvtSel has a 12-bit event select with other events), so a table name or
 * `default` is refused with what to use instead.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "perf_backend.h"
#include "x86/events.h"

static void describe_cpu(const struct perf_x86_cpu *cpu, char *buf, size_t len)
{
	snprintf(buf, len, "%s family 0x%x model 0x%x stepping 0x%x",
		 cpu->vendor[0] ? cpu->vendor : "unknown vendor", (unsigned int)cpu->family,
		 (unsigned int)cpu->model, (unsigned int)cpu->stepping);
}

/* A default name or an Intel table's name (@has) on a CPU that is not GenuineIntel. */
static int refuse_not_intel(const char *name, const struct x86_core *has,
			    const struct perf_x86_cpu *cpu, char *why, size_t len)
{
	char desc[96];
	size_t used;

	describe_cpu(cpu, desc, sizeof(desc));
	used = 0;
	if (has)
		used = (size_t)snprintf(why, len, "'%s' is an event of the Intel %s table: ", name,
					has->name);
	if (used >= len)
		return -MEMBW_ENOENT;
	snprintf(why + used, len - used,
		 "%sno Intel event table applies on this CPU (%s: not GenuineIntel, and Intel "
		 "event numbers mean other events there); name this CPU's own event instead: a "
		 "raw code for its PMU (rNNN, as perf writes it), or a perf name such as "
		 "cache-misses or page-faults (`membw events` lists them)",
		 has ? "" : "'default' has no event here: ", desc);
	return -MEMBW_ENOENT;
}

/* A name in no table that applies: the CPU's (@core), or none on a CPU that is not Intel. */
static int refuse_unknown(const char *name, const struct x86_core *core,
			  const struct perf_x86_cpu *cpu, char *why, size_t len)
{
	char desc[96];

	if (core) {
		snprintf(why, len,
			 "unknown event '%s': the Intel table of this CPU (%s, family 0x%x "
			 "model 0x%x) has no such event; `membw events` lists the events "
			 "usable here, and a raw code is written r1b7",
			 name, core->name, (unsigned int)cpu->family, (unsigned int)cpu->model);
		return -MEMBW_ENOENT;
	}
	describe_cpu(cpu, desc, sizeof(desc));
	snprintf(why, len,
		 "unknown event '%s': no Intel event table applies on this CPU (%s), and it "
		 "is in none; `membw events` lists the events usable here, and a raw code is "
		 "written r1b7",
		 name, desc);
	return -MEMBW_ENOENT;
}

int perf_x86_resolve(const char *name, unsigned int channel, const struct perf_x86_cpu *cpu,
		     struct perf_event_choice *out, char *why, size_t len)
{
	struct x86_resolution r;
	struct perf_event_choice c;
	int used = 0;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX || channel >= MEMBW_NCHANNELS ||
	    !cpu) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	switch (x86_event_resolve(name, cpu->intel, cpu->family, cpu->model, cpu->stepping, channel,
				  &r)) {
	case X86_RESOLVED_EVENT:
		break;
	case X86_RESOLVED_NO_DEFAULT:
		snprintf(why, len,
			 "the %s Intel table (family 0x%x model 0x%x) has no default %s "
			 "event; name one with --write-event (`membw events` lists them)",
			 r.core->name, (unsigned int)cpu->family, (unsigned int)cpu->model,
			 r.channel ? "write-back" : "read");
		return -MEMBW_ENOENT;
	case X86_RESOLVED_NOT_INTEL:
		return refuse_not_intel(r.name, r.core, cpu, why, len);
	default:
		return refuse_unknown(r.name, r.core, cpu, why, len);
	}
	memset(&c, 0, sizeof(c));
	c.attr.type = PERF_TYPE_RAW;
	c.attr.config = r.row->code; /* event | umask << 8: config:0-7 and config:8-15 */
	snprintf(c.name, sizeof(c.name), "x86/%s::%s (raw 0x%x)", r.core->name, r.row->name,
		 (unsigned int)r.row->code);
	if (r.is_default)
		used = snprintf(c.note, sizeof(c.note), "default %s event of %s: %s (0x%04x)",
				r.channel ? "write-back" : "read", r.core->name, r.row->name,
				(unsigned int)r.row->code);
	if (r.core->generic && used >= 0 && (size_t)used < sizeof(c.note))
		snprintf(c.note + used, sizeof(c.note) - (size_t)used,
			 "%sfamily 0x%x model 0x%x is an Intel CPU libmembw has no table for: its "
			 "names come from the architectural events (%s), which CPUID.0AH:EBX may "
			 "mark unavailable",
			 used ? "; " : "", (unsigned int)cpu->family, (unsigned int)cpu->model,
			 r.core->source);
	c.line_size = perf_cache_line_size();
	c.software = false;
	*out = c;
	return 0;
}
