/* SPDX-License-Identifier: MIT */
/*
 * Closing a CPU's period(s) and opening the next: accounting, budget at period start, arming.
 * Inline, so that a tick is one function's worth of work; online and offline use the out-of-line
 * copies in period.c.
 */
#ifndef MEMBW_LIB_PERIOD_H
#define MEMBW_LIB_PERIOD_H

#include "counter.h"
#include "grant.h"
#include "membership.h"
#include "reclaim.h"

hot_inline int close_channel(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
				uint64_t periods)
{
	struct channel *chan = &c->ch[ch];
	uint64_t used, over = 0;
	int err;

	err = counter_read(m, c, ch, now, &used);
	if (chan->limited) {
		if (used > chan->allow)
			over = used - chan->allow;
		stat_add(&c->stats.ch[ch].allowance, chan->allow);
		stat_add(&c->stats.ch[ch].overshoot, over);
		/* A branch, not a division by 1: the compiler would divide on every tick. */
		if (__builtin_expect(periods == 1, 1))
			reclaim_learn(chan, used);
		else
			reclaim_learn(chan, used / periods);
	}
	stat_add(&c->stats.ch[ch].used, used);
	if (tracing(m))
		trace_period_end(m, c, ch, now, used, over, periods);
	return err;
}

hot_inline int close_all(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods)
{
	int err = close_channel(m, c, MEMBW_CH_READ, now, periods), e;

	if (m->nch > 1) {
		e = close_channel(m, c, MEMBW_CH_WRITE, now, periods);
		if (e)
			err = e;
	}
	stat_add(&c->stats.periods, periods);
	if (periods > 1)
		stat_add(&c->stats.missed_periods, periods - 1);
	if ((c->state & MEMBW_CPU_THROTTLED) && now > c->throttled_at) {
		stat_add(&c->stats.throttled_ns, now - c->throttled_at);
		c->throttled_at = now;
	}
	return err;
}

/* A channel without budget throttles the CPU at once (one held from the last period stays so). */
hot_inline int open_channel(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now)
{
	struct channel *chan = &c->ch[ch];

	chan->limited = c->member_of != MEMBW_NO_DOMAIN && chan->budget != EVENTS_UNLIMITED;
	if (!chan->limited)
		return counter_arm(m, c, ch, 0, ARM_COUNT_ONLY, now);
	grant_period_start(m, c, ch, now);
	if (__builtin_expect(chan->allow == 0, 0) && !grant_until_above(m, c, ch, 0, now)) {
		return throttle_cpu(m, c, ch, 0, now);
	}
	return counter_arm(m, c, ch, 0, chan->allow, now);
}

hot_inline int open_all(struct membw *m, struct cpu *c, uint64_t now)
{
	int err, e;

	membership_latch(m, c);
	err = open_channel(m, c, MEMBW_CH_READ, now);
	if (m->nch > 1) {
		e = open_channel(m, c, MEMBW_CH_WRITE, now);
		if (e)
			err = e;
	}
	return err;
}

/* Move the CPU from its period to @epoch (later): close, open, release if it has budget again. */
hot_inline int period_advance(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch,
			      uint32_t reason)
{
	int err, e;

	err = close_all(m, c, now, epoch - c->epoch);
	store_relaxed(&c->epoch, epoch);
	c->throttle_weight = 0;
	if (c->state & (MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED))
		set_state(c, c->state & ~(MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED));
	e = open_all(m, c, now);
	if (e)
		err = e;
	if (c->held && !(c->state & MEMBW_CPU_THROTTLED))
		release_cpu(m, c, now, reason);
	return err;
}

#endif /* MEMBW_LIB_PERIOD_H */
