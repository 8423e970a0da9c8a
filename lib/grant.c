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

/*
 * grant_pool_chunk()'s miss, out of line: a call on the rare path instead of a division, which
 * GCC 12 allocates registers around 1 instruction better on the usual one (make bench-policy,
 * domains of 8, reclaim off: releasing tick 173 -> 172, overflow 143 -> 142).
 */
uint64_t grant_chunk_refresh(const struct membw *m, struct cpu *c, unsigned int ch, uint64_t n)
{
	c->chunk_n[ch] = (uint32_t)n;
	c->chunk[ch] = (uint32_t)pool_chunk_of(m, c->ch[ch].budget, n);
	return c->chunk[ch];
}

/*
 * grant_until_above()'s calls (this one and grant_pool_traced()), out of line so that they are
 * tail calls, made before it saves any register. __noinline__, not noinline: the Linux kernel
 * defines noinline as a macro (membw.ko builds this).
 */
static __attribute__((__noinline__)) bool grant_reclaimed_call(struct membw *m, struct cpu *c,
							   unsigned int ch, uint64_t counted,
							   uint64_t now)
{
	return grant_reclaimed(m, c, ch, counted, now);
}

/*
 * grant_until_above() with reclaim off: a chunk of the domain pool on top of the deficit, counted
 * here; @traced (a constant) tells the hook.
 */
hot_inline bool grant_pool_more(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
				uint64_t now, bool traced)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got;

	got = pool_take_at(&c->dom->pool[ch], c->epoch,
			   counted - chan->allow + grant_pool_chunk(m, c, ch, grant_members(c)),
			   &chan->budget);
	if (got) {
		chan->allow += got;
		stat_add(&c->stats.ch[ch].budget, got);
		if (traced)
			grant_traced(m, c, ch, now, got, MEMBW_GRANT_POOL);
	}
	return chan->allow > counted;
}

static __attribute__((__noinline__)) bool grant_pool_traced(struct membw *m, struct cpu *c,
							unsigned int ch, uint64_t counted,
							uint64_t now)
{
	return grant_pool_more(m, c, ch, counted, now, true);
}

/*
 * The channel has counted @counted events and its allowance is used up: grant more until the
 * allowance lies above @counted. Each source is asked once for the deficit plus a chunk, so the
 * work is bounded however far the counter overshot. Returns false when nothing is left. With
 * reclaim off the trace hook is tested first and its path kept apart (a tail call), so that the
 * usual one keeps neither @m nor @now live across the pool's compare-and-swap: two registers
 * saved instead of five (make bench-policy: overflow, domains of 8, reclaim off, 151 -> 143).
 */
bool grant_until_above(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
		       uint64_t now)
{
	if (c->mode & MODE_RECLAIM)
		return grant_reclaimed_call(m, c, ch, counted, now);
	if (tracing(m))
		return grant_pool_traced(m, c, ch, counted, now);
	return grant_pool_more(m, c, ch, counted, now, false);
}
