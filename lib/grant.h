/* SPDX-License-Identifier: MIT */
/*
 * Where a CPU's allowance comes from (grant.c). The period-start path for domain pools is inline:
 * it runs at every tick of every regulated CPU.
 */
#ifndef MEMBW_LIB_GRANT_H
#define MEMBW_LIB_GRANT_H

#include "internal.h"

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

/* Chunk of the domain pool handed out at a time: all of it for a domain of one CPU. */
hot_inline uint64_t grant_pool_chunk(const struct membw *m, const struct cpu *c,
					uint64_t budget)
{
	uint64_t n = grant_members(m, c), chunk;

	if (n == 1)
		return budget;
	chunk = budget / (n * m->chunk_divisor);
	return chunk < m->min_chunk ? m->min_chunk : chunk;
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
	uint64_t got;

	chan->allow = 0;
	chan->donation = 0;
	if (c->mode & MODE_RECLAIM) {
		grant_share(m, c, ch, now);
		return;
	}
	got = pool_take(&m->domains[c->domain].pool[ch], c->epoch,
			grant_pool_chunk(m, c, chan->budget), chan->budget);
	if (got)
		grant_add(m, c, ch, now, got, MEMBW_GRANT_POOL);
}

#endif /* MEMBW_LIB_GRANT_H */
