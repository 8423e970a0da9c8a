/* SPDX-License-Identifier: MIT */
/* Bytes per second to events per period, exactly, in 64-bit integers. */
#include "internal.h"

#define NS_PER_S 1000000000ull

int membw_bps_to_events(uint64_t bps, uint64_t period_ns, uint32_t line_size, uint64_t *events)
{
	uint64_t whole, rest, bytes, lines;

	if (!events || period_ns < MEMBW_PERIOD_MIN_NS || period_ns > MEMBW_PERIOD_MAX_NS ||
	    line_size == 0 || line_size > 4096)
		return -MEMBW_EINVAL;
	if (bps == MEMBW_UNLIMITED) {
		*events = U64_ALL;
		return 0;
	}
	/*
	 * bps * period / 10^9 with bps = whole * 10^9 + rest. whole * period <= bps because
	 * period <= 10^9, and rest * period < 10^18, so neither product can overflow.
	 */
	whole = bps / NS_PER_S;
	rest = bps % NS_PER_S;
	bytes = whole * period_ns + rest * period_ns / NS_PER_S;
	lines = bytes / line_size;
	if ((bps && !lines) || lines > MEMBW_MAX_EVENTS_PER_PERIOD)
		return -MEMBW_ERANGE;
	*events = lines;
	return 0;
}
