/* SPDX-License-Identifier: MIT */
/*
 * Where a CPU's allowance comes from (grant.c). The period-start path for domain pools is inline:
 * it runs at every tick of every regulated CPU.
 */
#ifndef MEMBW_LIB_GRANT_H
#define MEMBW_LIB_GRANT_H

#include "reclaim.h"

void grant_share(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now);
void grant_traced(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, uint64_t amount,
		  uint32_t source);
bool grant_until_above(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
		       uint64_t now);

/* Regulated online members of the CPU's domain, itself included. */
hot_inline uint64_t grant_members(const struct membw *m, const struct cpu *c)
{
	uint32_t n = load32_relaxed(&m->domains[c->domain].nonline);

	return n ? n : 1;
}

hot_inline uint64_t chunk_of(const struct membw *m, uint64_t budget, uint64_t n)
{
	uint64_t chunk = budget / (n * m->chunk_divisor);

	return chunk < m->min_chunk ? m->min_chunk : chunk;
}

/* Chunk of the domain pool handed out at a time: all of it for a domain of one CPU. */
hot_inline uint64_t grant_pool_chunk(const struct membw *m, const struct cpu *c,
				     uint64_t budget)
{
	uint64_t n = grant_members(m, c);

	return n == 1 ? budget : chunk_of(m, budget, n);
}

hot_inline void grant_add(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			     uint64_t amount, uint32_t source)
{
	c->ch[ch].allow += amount;
	stat_add(&c->stats.ch[ch].budget, amount);
	if (tracing(m))
		grant_traced(m, c, ch, now, amount, source);
}

/* The allowance a limited channel starts its period with. */
hot_inline void grant_period_start(struct membw *m, struct cpu *c, unsigned int ch,
				      uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got, n, want;

	chan->allow = 0;
	chan->donation = 0;
	if (c->mode & MODE_RECLAIM) {
		grant_share(m, c, ch, now);
		return;
	}
	n = grant_members(m, c);
	want = chan->budget;
	if (n > 1) {
		/* Start with no more than the CPU is expected to use: what an idle sibling does not
		 * take stays in the pool for a busy one. */
		want = chunk_of(m, chan->budget, n);
		if (predicted_need(m, chan) < want)
			want = predicted_need(m, chan);
	}
	got = pool_take(&m->domains[c->domain].pool[ch], c->epoch, want, chan->budget);
	if (got)
		grant_add(m, c, ch, now, got, MEMBW_GRANT_POOL);
}

#endif /* MEMBW_LIB_GRANT_H */
