/* SPDX-License-Identifier: MIT */
/*
 * `membw guest`: inside a VM, ask the hypervisor for memory bandwidth (memtalk) and read back the
 * budget, the host's cap and statistics. A front end of the guest-agent library
 * (include/membw/agent.h, libmembw-agent): it validates the rates (guest_args.c), makes one
 * library call and turns the answer into text with units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/agent.h>
#include <membw/units.h>

#include "commands.h"
#include "guest_args.h"

/* Why memtalk is not present, from the driver; "" if it cannot say. */
static void guest_absent_reason(char *out, size_t size)
{
	struct membw_agent_info info = { .size = sizeof(info) };

	out[0] = '\0';
	if (!membw_agent_status(&info) && !info.present)
		snprintf(out, size, " (%s)", info.reason);
}

/* The device the library opens: as agent.h says, MEMBW_MEMTALK_DEV when set and not empty. */
static const char *guest_device(void)
{
	const char *path = getenv(MEMBW_AGENT_DEVICE_ENV);

	return path && *path ? path : MEMBW_AGENT_DEVICE;
}

/* Print why @what failed with the library's @err; returns EXIT_RUN_FAILED. */
static int guest_fail(const char *what, int err)
{
	char reason[192], dur[48];
	uint64_t detail = membw_agent_detail();

	switch (-err) {
	case MEMBW_AGENT_ENODEV:
		fprintf(stderr,
			"membw guest: the membw_memtalk module is not loaded (no %s): load it with "
			"'insmod membw_memtalk.ko' (built by make check-kmod-guest)\n",
			guest_device());
		break;
	case MEMBW_AGENT_EACCES:
		fprintf(stderr,
			"membw guest: permission denied on %s: ask the administrator for the "
			"device's group (docs/memtalk.md), or run as root\n",
			guest_device());
		break;
	case MEMBW_AGENT_EABSENT:
		guest_absent_reason(reason, sizeof(reason));
		fprintf(stderr, "membw guest: memtalk not present%s: no hypervisor answers memtalk "
				"calls in this VM\n", reason);
		break;
	case MEMBW_AGENT_ERATELIMITED:
		membw_format_duration(dur, sizeof(dur), detail);
		fprintf(stderr, "membw guest: %s: %s; the host accepts the next one in %s\n", what,
			membw_agent_strerror(err), dur);
		break;
	default:
		fprintf(stderr, "membw guest: %s: %s\n", what, membw_agent_strerror(err));
	}
	return EXIT_RUN_FAILED;
}

/* One line per channel: budget, cap and floor with units. */
static void guest_print_channels(const struct membw_agent_info *info)
{
	static const char *const names[MEMBW_AGENT_NCHANNELS] = { "read", "write" };
	unsigned int ch;

	for (ch = 0; ch < MEMBW_AGENT_NCHANNELS; ch++) {
		char budget[32], cap[32], floor_[32];

		membw_format_rate(budget, sizeof(budget), info->budget_bps[ch]);
		membw_format_rate(cap, sizeof(cap), info->cap_bps[ch]);
		membw_format_rate(floor_, sizeof(floor_), info->floor_bps[ch]);
		printf("%-6s budget %s, host cap %s, floor %s\n", names[ch], budget, cap, floor_);
	}
}

/* The budget lines (after a set), or the whole status with the presence line first. */
static int guest_show(int with_presence)
{
	struct membw_agent_info info = { .size = sizeof(info) };
	int err = membw_agent_status(&info);

	if (err)
		return guest_fail("reading the budget", err);
	if (!info.present) {
		fprintf(stderr, "membw guest: memtalk not present (%s): no hypervisor answers "
				"memtalk calls in this VM\n", info.reason);
		return EXIT_RUN_FAILED;
	}
	if (with_presence)
		printf("memtalk present: version %u.%u, base %u, functions 0x%x, over %s\n",
		       info.version >> 16, info.version & 0xffff, info.base, info.functions,
		       info.conduit);
	guest_print_channels(&info);
	return 0;
}

static int guest_stats(void)
{
	static const char *const names[MEMBW_AGENT_NCHANNELS] = { "read", "write" };
	struct membw_agent_stats s = { .size = sizeof(s) };
	unsigned int ch;
	int err = membw_get_stats(&s);

	if (err)
		return guest_fail("reading the statistics", err);
	printf("sequence=%llu periods=%llu period_ns=%llu throttled_ns=%llu throttled_periods=%llu "
	       "missed_periods=%llu\n",
	       (unsigned long long)s.sequence, (unsigned long long)s.periods,
	       (unsigned long long)s.period_ns, (unsigned long long)s.throttled_ns,
	       (unsigned long long)s.throttle_count, (unsigned long long)s.missed_periods);
	for (ch = 0; ch < MEMBW_AGENT_NCHANNELS; ch++)
		printf("%s used_bytes=%llu allowance_bytes=%llu overshoot_bytes=%llu\n", names[ch],
		       (unsigned long long)s.used_bytes[ch],
		       (unsigned long long)s.allowance_bytes[ch],
		       (unsigned long long)s.overshoot_bytes[ch]);
	return 0;
}

int guest_main(int argc, char **argv)
{
	struct guest_options o;
	int err = guest_parse_args(argc, argv, &o);

	if (err)
		return err < 0 ? 0 : err;
	if (o.command == GUEST_SET) {
		err = membw_set_budget(o.read_bps, o.write_bps);
		if (err)
			return guest_fail("the budget was not changed", err);
		return guest_show(0);
	}
	return o.command == GUEST_STATS ? guest_stats() : guest_show(1);
}
