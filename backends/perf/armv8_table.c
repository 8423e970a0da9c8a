/* SPDX-License-Identifier: MIT */
/*
 * Event names from libmembw's own Arm PMU tables (backends/armv8/events.h), for arm64 machines
 * whose core libpfm4 does not know (QEMU's -cpu max, new cores) or when libpfm4 is not there.
 * An armv8 PMU takes the event number as the raw config (Linux drivers/perf/arm_pmuv3.c: the
 * raw config's low 16 bits are PMEVTYPER.evtCount), so a table row becomes PERF_TYPE_RAW.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "armv8/events.h"
#include "perf_backend.h"

static void generic_note(const struct armv8_core *core, uint32_t midr, char *note, size_t len)
{
	if (!core->generic) {
		note[0] = '\0';
		return;
	}
	snprintf(note, len,
		 "MIDR 0x%08x is a core libmembw has no table for, so its events come from the "
		 "generic table (%s), which this core may not implement: an unimplemented event "
		 "counts 0 (`membw events` shows which ones the PMU lists)",
		 (unsigned int)midr, core->source);
}

int perf_armv8_resolve(const char *name, unsigned int channel, uint32_t midr,
		       struct perf_event_choice *out, char *why, size_t len)
{
	struct armv8_resolution r;
	struct perf_event_choice c;
	int used = 0;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX || channel >= MEMBW_NCHANNELS) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	switch (armv8_event_resolve(name, midr, channel, &r)) {
	case ARMV8_RESOLVED_EVENT:
		break;
	case ARMV8_RESOLVED_NO_DEFAULT:
		snprintf(why, len,
			 "the %s table (MIDR 0x%08x) has no default %s event; name one "
			 "(`membw events` lists them)",
			 r.core->name, (unsigned int)midr, r.channel ? "write-back" : "read");
		return -MEMBW_ENOENT;
	default:
		snprintf(why, len,
			 "unknown event '%s': the armv8 table of this core (%s, MIDR 0x%08x) "
			 "has no such event; `membw events` lists the events usable here, and "
			 "a raw code is written r1b7",
			 r.name, r.core->name, (unsigned int)midr);
		return -MEMBW_ENOENT;
	}
	memset(&c, 0, sizeof(c));
	c.attr.type = PERF_TYPE_RAW;
	c.attr.config = r.row->code;
	snprintf(c.name, sizeof(c.name), "armv8/%s::%s (raw 0x%x)", r.core->name, r.row->name,
		 (unsigned int)r.row->code);
	if (r.is_default)
		used = snprintf(c.note, sizeof(c.note), "default %s event of %s: %s (0x%02x)%s",
				r.channel ? "write-back" : "read", r.core->name, r.row->name,
				(unsigned int)r.row->code, r.core->generic ? "; " : "");
	if (used >= 0 && (size_t)used < sizeof(c.note))
		generic_note(r.core, midr, c.note + used, sizeof(c.note) - (size_t)used);
	c.line_size = perf_cache_line_size();
	c.software = false;
	*out = c;
	return 0;
}
