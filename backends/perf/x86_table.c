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
#include <strings.h>

#include "perf_backend.h"
#include "x86/events.h"

#define X86_PREFIX "x86::"

static void describe_cpu(const struct perf_x86_cpu *cpu, char *buf, size_t len)
{
	snprintf(buf, len, "%s family 0x%x model 0x%x stepping 0x%x",
		 cpu->vendor[0] ? cpu->vendor : "unknown vendor", (unsigned int)cpu->family,
		 (unsigned int)cpu->model, (unsigned int)cpu->stepping);
}

static int refuse_not_intel(const char *name, bool is_default, const struct perf_x86_cpu *cpu,
			    char *why, size_t len)
{
	const struct x86_core *has = is_default ? NULL : x86_core_with_event(name);
	char desc[96];
	size_t used;

	describe_cpu(cpu, desc, sizeof(desc));
	if (!is_default && !has) {
		snprintf(why, len,
			 "unknown event '%s': no Intel event table applies on this CPU (%s), and it "
			 "is in none; `membw events` lists the events usable here, and a raw code is "
			 "written r1b7",
			 name, desc);
		return -MEMBW_ENOENT;
	}
	used = 0;
	if (!is_default)
		used = (size_t)snprintf(why, len, "'%s' is an event of the Intel %s table: ", name,
					has->name);
	if (used >= len)
		return -MEMBW_ENOENT;
	snprintf(why + used, len - used,
		 "%sno Intel event table applies on this CPU (%s: not GenuineIntel, and Intel "
		 "event numbers mean other events there); name this CPU's own event instead: a "
		 "raw code for its PMU (rNNN, as perf writes it), or a perf name such as "
		 "cache-misses or page-faults (`membw events` lists them)",
		 is_default ? "'default' has no event here: " : "", desc);
	return -MEMBW_ENOENT;
}

int perf_x86_resolve(const char *name, unsigned int channel, const struct perf_x86_cpu *cpu,
		     struct perf_event_choice *out, char *why, size_t len)
{
	const struct x86_core *core;
	const struct x86_event *row;
	struct perf_event_choice c;
	bool is_default;
	int used = 0;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX || channel >= MEMBW_NCHANNELS ||
	    !cpu) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	if (!strncasecmp(name, X86_PREFIX, strlen(X86_PREFIX)))
		name += strlen(X86_PREFIX);
	is_default = perf_default_channel(name, &channel);
	if (!cpu->intel)
		return refuse_not_intel(name, is_default, cpu, why, len);
	core = x86_core_lookup(1, cpu->family, cpu->model, cpu->stepping);
	if (is_default) {
		uint16_t code = channel ? core->write_event : core->read_event;

		row = code ? x86_event_by_code(core, code) : NULL;
		if (!row) {
			snprintf(why, len,
				 "the %s Intel table (family 0x%x model 0x%x) has no default %s "
				 "event; name one with --write-event (`membw events` lists them)",
				 core->name, (unsigned int)cpu->family, (unsigned int)cpu->model,
				 channel ? "write-back" : "read");
			return -MEMBW_ENOENT;
		}
	} else {
		row = x86_event_by_name(core, name);
		if (!row) {
			snprintf(why, len,
				 "unknown event '%s': the Intel table of this CPU (%s, family 0x%x "
				 "model 0x%x) has no such event; `membw events` lists the events "
				 "usable here, and a raw code is written r1b7",
				 name, core->name, (unsigned int)cpu->family,
				 (unsigned int)cpu->model);
			return -MEMBW_ENOENT;
		}
	}
	memset(&c, 0, sizeof(c));
	c.attr.type = PERF_TYPE_RAW;
	c.attr.config = row->code; /* event | umask << 8: config:0-7 and config:8-15 */
	snprintf(c.name, sizeof(c.name), "x86/%s::%s (raw 0x%x)", core->name, row->name,
		 (unsigned int)row->code);
	if (is_default)
		used = snprintf(c.note, sizeof(c.note), "default %s event of %s: %s (0x%04x)",
				channel ? "write-back" : "read", core->name, row->name,
				(unsigned int)row->code);
	if (core->generic && used >= 0 && (size_t)used < sizeof(c.note))
		snprintf(c.note + used, sizeof(c.note) - (size_t)used,
			 "%sfamily 0x%x model 0x%x is an Intel CPU libmembw has no table for: its "
			 "names come from the architectural events (%s), which CPUID.0AH:EBX may "
			 "mark unavailable",
			 used ? "; " : "", (unsigned int)cpu->family, (unsigned int)cpu->model,
			 core->source);
	c.line_size = perf_cache_line_size();
	c.software = false;
	*out = c;
	return 0;
}
