/* SPDX-License-Identifier: MIT */
/*
 * Epoch-tagged pools: one 64-bit word holding the low 32 bits of a period number (the tag) above a
 * 32-bit amount. "Refill for a new period" and "take some" are then one compare-and-swap, so no CPU
 * ever waits for another and nobody has to reset pools at period boundaries: the first CPU to use
 * a pool in a new period refills it. Used for domain budgets, the reclaim pools and the count of
 * throttled CPUs.
 *
 * Tags compare modulo 2^32. A pool untouched for exactly a multiple of 2^32 periods (49.7 days at
 * 1 ms, with every CPU that could touch it offline) would be mistaken for current once; the error
 * is one period's amount.
 */
#ifndef MEMBW_LIB_POOL_H
#define MEMBW_LIB_POOL_H

#include "atomic.h"

#define POOL_AMOUNT_MAX 0xFFFFFFFFull

static inline uint32_t pool_tag(uint64_t word)
{
	return (uint32_t)(word >> 32);
}

static inline uint64_t pool_amount(uint64_t word)
{
	return word & POOL_AMOUNT_MAX;
}

static inline uint64_t pool_word(uint32_t tag, uint64_t amount)
{
	return ((uint64_t)tag << 32) | amount;
}

/* Is period tag @a later than period tag @b? */
static inline bool tag_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/*
 * Take up to @want from the pool of period @tag; a pool still tagged with an earlier period is
 * refilled with @refill first. Returns what was taken: 0 if the pool is empty or already belongs
 * to a later period (the caller's tick is late).
 */
static inline uint64_t pool_take(uint64_t *pool, uint32_t tag, uint64_t want, uint64_t refill)
{
	uint64_t old = load_relaxed(pool);
	uint64_t left, take;

	do {
		if (pool_tag(old) == tag)
			left = pool_amount(old);
		else if (tag_after(pool_tag(old), tag))
			return 0;
		else
			left = refill;
		take = want < left ? want : left;
		if (take == 0)
			return 0;
	} while (!cas(pool, &old, pool_word(tag, left - take)));
	return take;
}

/*
 * Add up to @amount to the pool of period @tag (an earlier period's content is discarded first).
 * Saturates at POOL_AMOUNT_MAX. Returns what was added: 0 if the pool belongs to a later period.
 * When @total is not NULL it receives the pool's new amount.
 */
static inline uint64_t pool_add(uint64_t *pool, uint32_t tag, uint64_t amount, uint64_t *total)
{
	uint64_t old = load_relaxed(pool);
	uint64_t left, add;

	do {
		if (pool_tag(old) == tag)
			left = pool_amount(old);
		else if (tag_after(pool_tag(old), tag))
			return 0;
		else
			left = 0;
		add = POOL_AMOUNT_MAX - left < amount ? POOL_AMOUNT_MAX - left : amount;
	} while (!cas(pool, &old, pool_word(tag, left + add)));
	if (total)
		*total = left + add;
	return add;
}

#endif /* MEMBW_LIB_POOL_H */
