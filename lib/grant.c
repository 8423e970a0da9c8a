/* SPDX-License-Identifier: MIT */
/*
 * Where a CPU's allowance comes from. Reclaim off: chunks of the domain's pool. Reclaim on: the
 * CPU's share of the domain budget, then its own donation back, then borrowing.
 */
#include "grant.h"
#include "reclaim.h"

void grant_traced(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, uint64_t amount,
		  uint32_t source)
{
	trace_amount(m, c, MEMBW_TRACE_GRANT, ch, now, amount, source, 0);
}

/* grant_until_above()'s calls, out of line so that they are tail calls: it saves no registers.
 * __noinline__, not noinline: the Linux kernel defines noinline as a macro (membw.ko builds this). */
static __attribute__((__noinline__)) bool grant_reclaimed_call(struct membw *m, struct cpu *c,
							   unsigned int ch, uint64_t counted,
							   uint64_t now)
{
	return grant_reclaimed(m, c, ch, counted, now);
}

static __attribute__((__noinline__)) bool grant_traced_above(struct membw *m, struct cpu *c,
							 unsigned int ch, uint64_t counted,
							 uint64_t now, uint64_t got)
{
	grant_traced(m, c, ch, now, got, MEMBW_GRANT_POOL);
	return c->ch[ch].allow > counted;
}

/*
 * The channel has counted @counted events and its allowance is used up: grant more until the
 * allowance lies above @counted. Each source is asked once for the deficit plus a chunk, so the
 * work is bounded however far the counter overshot. Returns false when nothing is left. Reclaim
 * off takes a chunk of the domain pool and counts it here, so that the trace hook's call is a
 * tail call too.
 */
bool grant_until_above(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
		       uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got;

	if (c->mode & MODE_RECLAIM)
		return grant_reclaimed_call(m, c, ch, counted, now);
	got = pool_take(&c->dom->pool[ch], c->epoch,
			counted - chan->allow + grant_pool_chunk(m, c, ch, grant_members(c)),
			chan->budget);
	if (got) {
		chan->allow += got;
		stat_add(&c->stats.ch[ch].budget, got);
		if (tracing(m))
			return grant_traced_above(m, c, ch, counted, now, got);
	}
	return chan->allow > counted;
}
