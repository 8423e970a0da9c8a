/* SPDX-License-Identifier: MIT */
/* Workloads: a core's phases, in order, and what the current one asks of the DRAM. */
#include <stdio.h>

#include "internal.h"

/* A phase longer than a day would not fit the progress clock's range over a long run. */
#define PHASE_MAX_NS (86400ull * 1000000000ull)

static const struct sim_phase *current(const struct sim_core *c)
{
	return &c->wl->phases[c->phase];
}

void sim_workload_start(struct sim_core *c)
{
	c->phase = 0;
	c->idle = !c->wl || c->wl->nphases == 0;
	c->left = c->idle ? 0 : current(c)->length_ns * SIM_SCALE;
}

void sim_workload_next(struct sim_core *c)
{
	if (c->idle)
		return;
	if (++c->phase == c->wl->nphases) {
		if (!c->wl->repeat) {
			c->idle = true;
			c->left = 0;
			return;
		}
		c->phase = 0;
	}
	c->left = current(c)->length_ns * SIM_SCALE;
}

bool sim_workload_in_memory(const struct sim_core *c)
{
	return !c->idle && current(c)->kind != SIM_PHASE_COMPUTE;
}

bool sim_workload_computing(const struct sim_core *c)
{
	return !c->idle && current(c)->kind == SIM_PHASE_COMPUTE;
}

/* Demand per channel that each kind of phase must (1) or must not (0) have. */
static const bool needs[][MEMBW_NCHANNELS] = {
	[SIM_PHASE_COMPUTE] = { 0, 0 },
	[SIM_PHASE_READ] = { 1, 0 },
	[SIM_PHASE_WRITE] = { 0, 1 },
	[SIM_PHASE_MIXED] = { 1, 1 },
};

int sim_workload_check(const struct sim_workload *wl, uint32_t line_size, char *buf, size_t len,
		       const char **why)
{
	/* One line per nanosecond at most: a counter then never passes two lines at one instant. */
	uint64_t max_demand = (uint64_t)line_size * 1000000000ull * SIM_MAX_DEMAND_LINES_PER_NS;
	size_t i;
	unsigned int ch;

	if (wl->nphases && !wl->phases)
		goto bad_list;
	for (i = 0; i < wl->nphases; i++) {
		const struct sim_phase *p = &wl->phases[i];

		if ((unsigned int)p->kind > SIM_PHASE_MIXED) {
			snprintf(buf, len, "phase %zu: unknown kind %u", i + 1,
				 (unsigned int)p->kind);
			goto out;
		}
		if (p->length_ns == 0 || p->length_ns > PHASE_MAX_NS) {
			snprintf(buf, len, "phase %zu: length must be 1 ns .. 1 day", i + 1);
			goto out;
		}
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			if (needs[p->kind][ch] != (p->demand[ch] != 0)) {
				snprintf(buf, len, "phase %zu: a %s phase %s a %s demand", i + 1,
					 p->kind == SIM_PHASE_COMPUTE ? "compute"
					 : p->kind == SIM_PHASE_READ  ? "read"
					 : p->kind == SIM_PHASE_WRITE ? "write"
								      : "mixed",
					 needs[p->kind][ch] ? "needs" : "has no",
					 ch == MEMBW_CH_READ ? "read" : "write");
				goto out;
			}
			if (p->demand[ch] > max_demand) {
				snprintf(buf, len,
					 "phase %zu: demand above one %u-byte line per ns per core",
					 i + 1, line_size);
				goto out;
			}
		}
	}
	return 0;
bad_list:
	snprintf(buf, len, "phases missing");
out:
	if (why)
		*why = buf;
	return -MEMBW_EINVAL;
}
