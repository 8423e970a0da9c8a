/* SPDX-License-Identifier: MIT */
/*
 * MemGuard-style reclaim, lock-free. At period start a CPU keeps what it predicts it will use and
 * donates the rest of its share to a global pool (one tagged word per channel). When it runs out it
 * first takes its own donation back -- granted even if borrowers emptied the pool, so a CPU is
 * never throttled before it has used its share; the part the pool no longer held is reported as
 * shortfall -- and only then borrows what others donated.
 */
#include "reclaim.h"

/* Borrowing in chunks of a quarter share keeps donations available for others. */
static uint64_t borrow_chunk(const struct membw *m, const struct channel *chan)
{
	uint64_t quarter = chan->share / 4;

	return quarter < m->min_chunk ? m->min_chunk : quarter;
}

uint64_t reclaim_take_back(struct membw *m, struct cpu *c, unsigned int ch, uint64_t deficit,
			   uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	uint64_t want, take, covered;

	want = deficit + borrow_chunk(m, chan);
	take = want < chan->donation ? want : chan->donation;
	covered = pool_take(&m->reclaim[ch], c->epoch, take, 0);
	chan->donation -= take;
	chan->allow += take;
	stat_add(&c->stats.ch[ch].reclaimed, take);
	if (covered < take)
		stat_add(&c->stats.ch[ch].shortfall, take - covered);
	if (tracing(m))
		trace_amount(m, c, MEMBW_TRACE_GRANT, ch, now, take, MEMBW_GRANT_TAKEBACK,
			     take - covered);
	return take;
}

uint64_t reclaim_borrow(struct membw *m, struct cpu *c, unsigned int ch, uint64_t deficit,
			uint64_t now)
{
	uint64_t got;

	got = pool_take(&m->reclaim[ch], c->epoch, deficit + borrow_chunk(m, &c->ch[ch]), 0);
	if (!got)
		return 0;
	c->ch[ch].allow += got;
	stat_add(&c->stats.ch[ch].borrowed, got);
	if (tracing(m))
		trace_amount(m, c, MEMBW_TRACE_GRANT, ch, now, got, MEMBW_GRANT_BORROW, 0);
	return got;
}
