/* SPDX-License-Identifier: MIT */
/* Closing a CPU's period(s) and opening the next: accounting, budget at period start, arming. */
#include "internal.h"

int period_close(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods)
{
	unsigned int ch;
	int err = 0, e;

	for (ch = 0; ch < m->nch; ch++) {
		struct channel *chan = &c->ch[ch];
		uint64_t used, over = 0;

		e = counter_read(m, c, ch, now, &used);
		if (e)
			err = e;
		if (chan->limited) {
			if (used > chan->allow)
				over = used - chan->allow;
			stat_add(&c->stats.ch[ch].allowance, chan->allow);
			stat_add(&c->stats.ch[ch].overshoot, over);
			reclaim_learn(chan, periods == 1 ? used : used / periods);
		}
		stat_add(&c->stats.ch[ch].used, used);
		if (tracing(m))
			trace_period_end(m, c, ch, now, used, over, periods);
	}
	stat_add(&c->stats.periods, periods);
	if (periods > 1)
		stat_add(&c->stats.missed_periods, periods - 1);
	if (c->state & MEMBW_CPU_THROTTLED) {
		stat_add(&c->stats.throttled_ns, now - c->throttled_at);
		c->throttled_at = now;
	}
	return err;
}

/*
 * Start the CPU's period c->epoch. A channel without budget throttles the CPU right away (a CPU
 * still held from the previous period stays held, without another hook call).
 */
int period_open(struct membw *m, struct cpu *c, uint64_t now)
{
	unsigned int ch;
	int err = 0, e;

	membership_latch(m, c);
	for (ch = 0; ch < m->nch; ch++) {
		struct channel *chan = &c->ch[ch];

		chan->limited = c->member_of != MEMBW_NO_DOMAIN && chan->budget != EVENTS_UNLIMITED;
		if (!chan->limited) {
			e = counter_arm(m, c, ch, 0, ARM_COUNT_ONLY, now);
		} else {
			grant_period_start(m, c, ch, now);
			if (chan->allow || grant_until_above(m, c, ch, 0, now)) {
				e = counter_arm(m, c, ch, 0, chan->allow, now);
			} else {
				throttle_cpu(m, c, ch, 0, now);
				e = chan->armed ? 0 : -MEMBW_EIO;
			}
		}
		if (e)
			err = e;
	}
	return err;
}

/* Move the CPU from its period to @epoch (later): close, open, release if it has budget again. */
int period_advance(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch, uint32_t reason)
{
	int err, e;

	err = period_close(m, c, now, epoch - c->epoch);
	store_relaxed(&c->epoch, epoch);
	set_state(c, c->state & ~(MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED));
	e = period_open(m, c, now);
	if (e)
		err = e;
	if (c->held && !(c->state & MEMBW_CPU_THROTTLED))
		release_cpu(m, c, now, reason);
	return err;
}
