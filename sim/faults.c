/* SPDX-License-Identifier: MIT */
/*
 * Fault injection. Each fault of sim_config::faults hits once, at the first occasion at or after
 * its time: the first overflow interrupt raised (lost), the first period tick due (late, missed);
 * a clobber is an event of its own at its time.
 */
#include "internal.h"

static bool due(const struct sim *s, size_t i, uint32_t kind, uint32_t cpu, uint64_t t)
{
	const struct sim_fault *f = &s->cfg->faults[i];

	return !s->fault_used[i] && f->kind == kind && f->cpu == cpu && f->at_ns <= t;
}

bool sim_fault_lose_interrupt(struct sim *s, uint32_t cpu)
{
	size_t i;

	for (i = 0; i < s->cfg->nfaults; i++) {
		if (due(s, i, SIM_FAULT_LOST_OVERFLOW, cpu, s->now)) {
			s->fault_used[i] = true;
			return true;
		}
	}
	return false;
}

/* When the tick due at @t really comes. A missed tick is the timer not firing: the next one is
 * due a period later. */
uint64_t sim_fault_tick_time(struct sim *s, uint32_t cpu, uint64_t t)
{
	size_t i;

	for (i = 0; i < s->cfg->nfaults; i++) {
		if (due(s, i, SIM_FAULT_LATE_TICK, cpu, t)) {
			s->fault_used[i] = true;
			t += s->cfg->faults[i].value;
		} else if (due(s, i, SIM_FAULT_MISSED_TICK, cpu, t)) {
			s->fault_used[i] = true;
			t += s->cfg->period_ns;
		}
	}
	return t;
}

int sim_fault_schedule(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->cfg->nfaults; i++) {
		const struct sim_fault *f = &s->cfg->faults[i];

		if (f->kind == SIM_FAULT_CLOBBER)
			sim_push_time(s, f->at_ns, f->cpu, EV_CLOBBER, 0, (uint32_t)i);
	}
	return s->err;
}
