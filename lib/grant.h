/* SPDX-License-Identifier: MIT */
/*
 * Where a CPU's allowance comes from (grant.c). The period-start path for domain pools is inline:
 * it runs at every tick of every regulated CPU.
 */
#ifndef MEMBW_LIB_GRANT_H
#define MEMBW_LIB_GRANT_H

#include "reclaim.h"

void grant_traced(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, uint64_t amount,
		  uint32_t source);
bool grant_until_above(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
		       uint64_t now);
/* Work out, cache and return channel @ch's pool chunk for @n members (grant_pool_chunk()). */
uint64_t grant_chunk_refresh(const struct membw *m, struct cpu *c, unsigned int ch, uint64_t n);

/*
 * grant_until_above() with reclaim on: take back the CPU's own donation, then borrow. Inline, so
 * that the overflow interrupt (entry.c, channel_overflow()) makes no call for it.
 */
hot_inline bool grant_reclaimed(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
				uint64_t now)
{
	struct channel *chan = &c->ch[ch];

	if (chan->donation)
		reclaim_take_back(m, c, ch, counted - chan->allow, now);
	if (chan->allow <= counted)
		reclaim_borrow(m, c, ch, counted - chan->allow, now);
	return chan->allow > counted;
}

/*
 * Reclaim off: grant_until_above() would grant nothing, known without asking it: a domain pool
 * that holds this period's word with nothing left (a CPU alone in its domain empties
 * it at period start) grants nothing, so the overflow that throttles costs one load here instead
 * of a call. pool_ahead() 0 and amount 0 is exactly the tag word, one compare (make bench-policy:
 * 4 instructions fewer per overflow). The overflow interrupt (entry.c, channel_overflow()) asks
 * this, then grant_until_above(); with reclaim on it asks grant_reclaimed(), inline.
 */
hot_inline bool grant_pool_empty(const struct cpu *c, unsigned int ch)
{
	return load_relaxed(&c->dom->pool[ch]) == pool_tag_word(c->epoch);
}

/* Regulated online members of the CPU's domain, itself included (0 if it is not counted yet). */
hot_inline uint64_t grant_members(const struct cpu *c)
{
	return load32_relaxed(&c->dom->nonline);
}

hot_inline uint64_t chunk_of(const struct membw *m, uint64_t budget, uint64_t n)
{
	uint64_t chunk = budget / (n * m->chunk_divisor);

	return chunk < m->min_chunk ? m->min_chunk : chunk;
}

/* Chunk of the domain pool handed out at a time: all of it for a domain of one CPU. */
hot_inline uint64_t pool_chunk_of(const struct membw *m, uint64_t budget, uint64_t n)
{
	return n <= 1 ? budget : chunk_of(m, budget, n);
}

/*
 * pool_chunk_of() for channel @ch of a domain of @n members, cached per CPU (struct cpu::chunk):
 * a division and its operands' loads on every period start and every chunk grant in a domain of
 * several CPUs, where a hit is a compare and a load (make bench-policy, domains of 8, reclaim
 * off: steady tick 156 -> 152, releasing tick 181 -> 177, overflow 155 -> 151).
 *
 * The chunk depends on the channel's budget, which only membership_update() changes (and it
 * empties the cache), on the configuration, which never changes, and on @n, the cache's key:
 * siblings change the member count without a control change, and a CPU whose count differs
 * works the chunk out again. Cache and key are this CPU's own, read and written only here, so a
 * hit is exactly the value the division would give now; no other CPU sees it. (Even a stale chunk
 * would only change how much a CPU asks for at a time, not what the domain grants: pool_take()
 * never gives more than the pool holds.)
 */
hot_inline uint64_t grant_pool_chunk(const struct membw *m, struct cpu *c, unsigned int ch,
				     uint64_t n)
{
	if (__builtin_expect(c->chunk_n[ch] != n, 0))
		return grant_chunk_refresh(m, c, ch, n);
	return c->chunk[ch];
}

/*
 * Reclaim on: channel @ch's share of the domain budget for @n members (n > 1), budget / n, cached
 * per CPU (struct cpu::share) as grant_pool_chunk() caches the chunk, with its own key: a division
 * on every period start of a domain of several CPUs, where a hit is a compare and a load (make
 * bench-policy, reclaim on: domains of 8, steady tick 157 -> 156, releasing tick 152 -> 150;
 * domains of 1, register allocation, steady tick 145 -> 144, releasing tick 137 -> 138). The miss
 * is inline: an out-of-line call cost 1 to 2 more. The key is compared as the 32-bit count it is
 * (grant_members()), which GCC 12 does against memory, where a 64-bit compare took a load more.
 * Exactly the division's value, for the reasons grant_pool_chunk() gives: the budget changes only
 * in membership_update(), which empties this cache too, and @n is the key. The share fits the
 * cache's 32 bits: only a limited channel asks, and a limited budget does.
 */
hot_inline uint64_t grant_share_of(struct cpu *c, unsigned int ch, uint64_t n)
{
	if (__builtin_expect(c->share_n[ch] != (uint32_t)n, 0)) {
		c->share_n[ch] = (uint32_t)n;
		c->share[ch] = (uint32_t)(c->ch[ch].budget / n);
	}
	return c->share[ch];
}

/*
 * Reclaim on: the CPU's share of its domain's budget, minus what it donates. Shares come out of
 * the domain's pool too, so that members joining mid-period never take the domain past its budget
 * (a joiner gets what is left). A CPU alone in its domain takes the whole budget, as
 * pool_take_all() does with reclaim off. Returns the allowance it leaves in chan->allow, which the
 * caller arms for: the allowance is worked out in a register and stored once (the trace reads it
 * from memory, so a traced call stores it before each hook as well).
 */
hot_inline uint64_t grant_share(struct membw *m, struct cpu *c, unsigned int ch, uint64_t epoch,
				uint64_t now, uint64_t n, bool general, const uint64_t *predict)
{
	struct channel *chan = &c->ch[ch];
	uint64_t share, given;

	if (n <= 1)
		share = pool_take_all(&c->dom->pool[ch], epoch, chan->budget);
	else
		share = pool_take_at(&c->dom->pool[ch], epoch, grant_share_of(c, ch, n),
				     &chan->budget);
	chan->share = share;
	stat_add(&c->stats.ch[ch].budget, share);
	/* Traced even when 0 (a late joiner): the trace shows the CPU is on reclaim this period. */
	if (general && tracing(m)) {
		chan->allow = share;
		grant_traced(m, c, ch, now, share, MEMBW_GRANT_SHARE);
	}
	given = reclaim_donate(m, c, ch, epoch, now, share, general, predict);
	chan->allow = share - given;
	chan->donation = given;
	return share - given;
}

/*
 * The allowance a limited channel starts its period with, in period @epoch (c->epoch), stored in
 * chan->allow and returned. @reclaim (the steady step's constant for c->mode's reclaim bit) counts
 * only when !@general, which reads the mode word.
 */
hot_inline uint64_t grant_period_start(struct membw *m, struct cpu *c, unsigned int ch,
				       uint64_t epoch, uint64_t now, bool general, bool reclaim,
				       const uint64_t *predict)
{
	struct channel *chan = &c->ch[ch];
	uint64_t got, n = grant_members(c), want;

	if (general ? (c->mode & MODE_RECLAIM) != 0 : reclaim)
		return grant_share(m, c, ch, epoch, now, n, general, predict);
	/* c->shared = n > 1, stored in each branch: a constant store after the branch's test,
	 * where the value took a second compare (make bench-policy). */
	if (n > 1) {
		c->shared = true;
		/* Start with no more than the CPU is expected to use: what an idle sibling does not
		 * take stays in the pool for a busy one. */
		want = grant_pool_chunk(m, c, ch, n);
		if (predicted_need(m, predict) < want)
			want = predicted_need(m, predict);
		got = pool_take_at(&c->dom->pool[ch], epoch, want, &chan->budget);
	} else {
		c->shared = false;
		got = pool_take_all(&c->dom->pool[ch], epoch, chan->budget);
	}
	chan->allow = got;
	/* Expected: the pool is refilled every period, so a CPU comes away empty only when others
	 * took it all (or the budget is 0). Told, GCC 12 lays out this path straight (make
	 * bench-policy: the steady tick 2 instructions fewer). */
	if (__builtin_expect(got != 0, 1)) {
		stat_add(&c->stats.ch[ch].budget, got);
		if (general && tracing(m))
			grant_traced(m, c, ch, now, got, MEMBW_GRANT_POOL);
	}
	return got;
}

#endif /* MEMBW_LIB_GRANT_H */
