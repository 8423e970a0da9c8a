/* SPDX-License-Identifier: MIT */
/*
 * Event names from libmembw's own Arm PMU tables (backends/armv8/events.h), for arm64 machines
 * whose core libpfm4 does not know (QEMU's -cpu max, new cores) or when libpfm4 is not there.
 * An armv8 PMU takes the event number as the raw config (Linux drivers/perf/arm_pmuv3.c: the
 * raw config's low 16 bits are PMEVTYPER.evtCount), so a table row becomes PERF_TYPE_RAW.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armv8/events.h"
#include "perf_backend.h"

#define ARMV8_PREFIX "armv8::"

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

bool perf_default_channel(const char *name, unsigned int *channel)
{
	if (!strcasecmp(name, "default-read"))
		*channel = 0;
	else if (!strcasecmp(name, "default-write"))
		*channel = 1;
	else if (strcasecmp(name, "default"))
		return false;
	return true;
}

int perf_armv8_resolve(const char *name, unsigned int channel, uint32_t midr,
		       struct perf_event_choice *out, char *why, size_t len)
{
	const struct armv8_core *core = armv8_core_lookup(midr);
	const struct armv8_event *row;
	struct perf_event_choice c;
	bool is_default;
	int used = 0;

	if (!name || !*name || strlen(name) >= PERF_NAME_MAX || channel >= MEMBW_NCHANNELS) {
		snprintf(why, len, "an event name is 1 .. %d characters", PERF_NAME_MAX - 1);
		return -MEMBW_EINVAL;
	}
	if (!strncasecmp(name, ARMV8_PREFIX, strlen(ARMV8_PREFIX)))
		name += strlen(ARMV8_PREFIX);
	is_default = perf_default_channel(name, &channel);
	if (is_default) {
		uint16_t code = channel ? core->write_event : core->read_event;

		row = code ? armv8_event_by_code(core, code) : NULL;
		if (!row) {
			snprintf(why, len,
				 "the %s table (MIDR 0x%08x) has no default %s event; name one "
				 "(`membw events` lists them)",
				 core->name, (unsigned int)midr, channel ? "write-back" : "read");
			return -MEMBW_ENOENT;
		}
	} else {
		row = armv8_event_by_name(core, name);
		if (!row) {
			snprintf(why, len,
				 "unknown event '%s': the armv8 table of this core (%s, MIDR 0x%08x) "
				 "has no such event; `membw events` lists the events usable here, and "
				 "a raw code is written r1b7",
				 name, core->name, (unsigned int)midr);
			return -MEMBW_ENOENT;
		}
	}
	memset(&c, 0, sizeof(c));
	c.attr.type = PERF_TYPE_RAW;
	c.attr.config = row->code;
	snprintf(c.name, sizeof(c.name), "armv8/%s::%s (raw 0x%x)", core->name, row->name,
		 (unsigned int)row->code);
	if (is_default)
		used = snprintf(c.note, sizeof(c.note), "default %s event of %s: %s (0x%02x)%s",
				channel ? "write-back" : "read", core->name, row->name,
				(unsigned int)row->code, core->generic ? "; " : "");
	if (used >= 0 && (size_t)used < sizeof(c.note))
		generic_note(core, midr, c.note + used, sizeof(c.note) - (size_t)used);
	c.line_size = perf_cache_line_size();
	c.software = false;
	*out = c;
	return 0;
}
