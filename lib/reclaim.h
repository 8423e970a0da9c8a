/* SPDX-License-Identifier: MIT */
/* MemGuard-style reclaim (reclaim.c); the predictor is inline because every period start runs it. */
#ifndef MEMBW_LIB_RECLAIM_H
#define MEMBW_LIB_RECLAIM_H

#include "internal.h"

/* Each moves events between the channel's allowance and the reclaim pool, and returns them. */
uint64_t reclaim_take_back(struct membw *m, struct cpu *c, unsigned int ch, uint64_t deficit,
			   uint64_t now);
uint64_t reclaim_borrow(struct membw *m, struct cpu *c, unsigned int ch, uint64_t deficit,
			uint64_t now);

/*
 * Exponentially weighted prediction of use per period: p += (use - p) / 4, in integers; the first
 * use is taken as it is. PREDICTION_NONE is the largest value, so a use at least p is never
 * measured against it but when it is that value too, where p += 0 leaves what taking it would:
 * that case is tested first and no-history only on the way down (make bench-policy: 2
 * instructions fewer per period close of a steady use). Returns the new prediction, for an open
 * that follows (struct closed, period.h).
 */
hot_inline uint64_t reclaim_learn(struct channel *chan, uint64_t used)
{
	uint64_t p = chan->predict;

	if (used >= p)
		p += (used - p) / 4;
	else if (p == PREDICTION_NONE)
		p = used;
	else
		p -= (p - used) / 4;
	chan->predict = p;
	return p;
}

/*
 * What the CPU is expected to use this period, with a margin: p + max(p / 8, min_chunk), for
 * comparing with an amount a pool holds (at most POOL_AMOUNT_MAX) and nothing else. With no
 * prediction yet (PREDICTION_NONE) the sum wraps to 2^61 - 2, which is above every such amount,
 * so the CPU asks for all it may have, as a test for PREDICTION_NONE returning U64_ALL would
 * make it do; the test is left out (make bench-policy: 2 instructions fewer per period start).
 * @predict is &chan->predict, or the value the steady step's close just stored there.
 */
_Static_assert(PREDICTION_NONE + PREDICTION_NONE / 8 > POOL_AMOUNT_MAX,
	       "PREDICTION_NONE's need lies above every pool amount");

hot_inline uint64_t predicted_need(const struct membw *m, const uint64_t *predict)
{
	uint64_t margin = *predict / 8 < m->min_chunk ? m->min_chunk : *predict / 8;

	return *predict + margin;
}

/*
 * Called with the share just granted as @allow: keep the predicted need, donate the rest to the
 * reclaim pool. Returns what it gave; the caller stores the allowance (@allow minus that) and the
 * donation, except before a trace hook, which reads them. @epoch is c->epoch, passed as a value
 * so that the caller's pool words are computed once. @may_trace is false only where the caller
 * knows no hook is set. @predict as predicted_need() takes it.
 */
hot_inline uint64_t reclaim_donate(struct membw *m, struct cpu *c, unsigned int ch, uint64_t epoch,
				   uint64_t now, uint64_t allow, bool may_trace,
				   const uint64_t *predict)
{
	struct channel *chan = &c->ch[ch];
	uint64_t keep = predicted_need(m, predict), given;

	if (keep >= allow)
		return 0;
	given = pool_add(&m->reclaim[ch], epoch, allow - keep, NULL);
	/* Nothing given (the pool is full) is added to the statistic too where no hook can be
	 * set: adding 0 leaves it as it was, and the test cost the donating tick 2 instructions
	 * (make bench-policy: steady tick with reclaim on 158 -> 156, 169 -> 167 domains of 8). */
	if (may_trace && !given)
		return 0;
	stat_add(&c->stats.ch[ch].donated, given);
	if (may_trace && tracing(m)) {
		chan->allow = allow - given;
		chan->donation = given;
		trace_amount(m, c, MEMBW_TRACE_DONATE, ch, now, given, 0, 0);
	}
	return given;
}

#endif /* MEMBW_LIB_RECLAIM_H */
