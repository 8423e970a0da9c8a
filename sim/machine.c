/* SPDX-License-Identifier: MIT */
/*
 * The state of each simulated core and how it changes: traffic and work brought up to the
 * present, the demand it puts on the DRAM, marking it for rescheduling, and queueing events for
 * it. The engine (engine.c), the runtime the policy sees (runtime.c) and fault injection
 * (faults.c) all change cores through these; this file calls none of them.
 */
#include "internal.h"

void sim_push_time(struct sim *s, uint64_t t, uint32_t cpu, uint32_t kind, uint32_t gen,
		   uint32_t arg)
{
	if (sim_queue_push(&s->timeq, t, cpu, kind, gen, arg) && !s->err)
		s->err = -MEMBW_ENOSPC;
}

/* Bring @c's lines, counters and work up to the present. */
void sim_sync(struct sim *s, struct sim_core *c)
{
	uint64_t done = 0;
	unsigned int ch;

	if (sim_workload_in_memory(c) && !c->throttled) {
		uint64_t dw = s->w - c->w0;

		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			unsigned __int128 x;
			uint64_t n;

			if (!c->demand[ch])
				continue;
			x = (unsigned __int128)c->demand[ch] * dw + c->rem[ch];
			if (!(x >> 64)) { /* the usual case, with a cheaper division */
				n = (uint64_t)x / s->line_units;
				c->rem[ch] = (uint64_t)x % s->line_units;
			} else {
				n = (uint64_t)(x / s->line_units);
				c->rem[ch] = (uint64_t)(x % s->line_units);
			}
			c->lines[ch] += n;
			if (c->pmu->ready)
				sim_pmu_count(c->pmu, ch, n);
		}
		done = dw;
	} else if (sim_workload_computing(c) && !c->throttled) {
		done = (s->now - c->t0) * SIM_SCALE;
	}
	if (done > c->left)
		done = c->left;
	c->left -= done;
	c->work += done;
	c->w0 = s->w;
	c->t0 = s->now;
}

void sim_set_demand(struct sim *s, struct sim_core *c)
{
	const struct sim_phase *p = sim_workload_in_memory(c) ? &c->wl->phases[c->phase] : NULL;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		s->demand -= c->demand[ch];
		c->demand[ch] = p && !c->throttled ? p->demand[ch] : 0;
		s->demand += c->demand[ch];
	}
}

void sim_mark_dirty(struct sim *s, struct sim_core *c, uint32_t what)
{
	if (!c->dirty)
		s->dirty[s->ndirty++] = c->idx;
	c->dirty |= what;
}
