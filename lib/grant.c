/* SPDX-License-Identifier: MIT */
/*
 * Where a CPU's allowance comes from. Reclaim off: chunks of the domain's pool. Reclaim on: the
 * CPU's share of the domain budget, then its own donation back, then borrowing.
 */
#include "internal.h"

static inline struct domain *domain_of(const struct membw *m, const struct cpu *c)
{
	return &m->domains[c->domain];
}

/* Regulated online members of the CPU's domain, itself included. */
static inline uint64_t members(const struct membw *m, const struct cpu *c)
{
	uint32_t n = load32_relaxed(&domain_of(m, c)->nonline);

	return n ? n : 1;
}

static uint64_t pool_chunk(const struct membw *m, const struct cpu *c, uint64_t budget)
{
	uint64_t n = members(m, c), chunk;

	if (n == 1)
		return budget;
	chunk = budget / (n * m->chunk_divisor);
	return chunk < m->min_chunk ? m->min_chunk : chunk;
}

static void grant(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, uint64_t amount,
		  uint32_t source)
{
	struct channel *chan = &c->ch[ch];

	chan->allow += amount;
	stat_add(&c->stats.ch[ch].budget, amount);
	if (tracing(m))
		trace_amount(m, c, MEMBW_EV_GRANT, ch, now, amount, source, 0);
}

void grant_period_start(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got;

	chan->allow = 0;
	chan->donation = 0;
	if (c->mode & MODE_RECLAIM) {
		chan->share = members(m, c) == 1 ? chan->budget : chan->budget / members(m, c);
		grant(m, c, ch, now, chan->share, MEMBW_GRANT_SHARE);
		reclaim_donate(m, c, ch, now);
		return;
	}
	got = pool_take(&domain_of(m, c)->pool[ch], c->epoch,
			pool_chunk(m, c, chan->budget), chan->budget);
	if (got)
		grant(m, c, ch, now, got, MEMBW_GRANT_POOL);
}

/*
 * The channel has counted @counted events and its allowance is used up: grant more until the
 * allowance lies above @counted. Each source is asked once for the deficit plus a chunk, so the
 * work is bounded however far the counter overshot. Returns false when nothing is left.
 */
bool grant_until_above(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
		       uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got;

	if (!(c->mode & MODE_RECLAIM)) {
		got = pool_take(&domain_of(m, c)->pool[ch], c->epoch,
				counted - chan->allow + pool_chunk(m, c, chan->budget), chan->budget);
		if (got)
			grant(m, c, ch, now, got, MEMBW_GRANT_POOL);
		return chan->allow > counted;
	}
	if (chan->donation)
		chan->allow += reclaim_take_back(m, c, ch, counted - chan->allow, now);
	if (chan->allow <= counted)
		chan->allow += reclaim_borrow(m, c, ch, counted - chan->allow, now);
	return chan->allow > counted;
}
