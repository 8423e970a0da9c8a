/* SPDX-License-Identifier: MIT */
/*
 * Epoch-tagged pools: one 64-bit word holding a valid bit, 31 bits of a period number (the tag)
 * and a 32-bit amount. "Refill for a new period" and "take some" are then one compare-and-swap, so
 * no CPU ever waits for another and nobody has to reset pools at period boundaries: the first CPU
 * to use a pool in a new period refills it. Used for domain budgets, the reclaim pools and the
 * count of throttled CPUs. A zeroed word is invalid, i.e. older than every period.
 *
 * Tags compare modulo 2^31, and a pool counts as belonging to a later period only if it is at
 * most POOL_LATER_WINDOW periods ahead: anything else is stale, however long it sat unused (a
 * domain left unlimited for weeks, reclaim switched off). What remains: a pool untouched for
 * exactly a multiple of 2^31 periods (24.8 days at 1 ms) is mistaken for current once, and a CPU
 * whose tick is more than POOL_LATER_WINDOW periods late refills a pool the others already use;
 * either error is one period's amount.
 */
#ifndef MEMBW_LIB_POOL_H
#define MEMBW_LIB_POOL_H

#include "atomic.h"

#define POOL_AMOUNT_MAX 0xFFFFFFFFull
#define POOL_VALID (1ull << 63)
#define POOL_TAG_MASK 0x7FFFFFFFu
/* 2^20 periods: 17 minutes at 1 ms, 105 s at the shortest period. */
#define POOL_LATER_WINDOW (1u << 20)

hot_inline uint32_t pool_tag_of(uint64_t epoch)
{
	return (uint32_t)epoch & POOL_TAG_MASK;
}

hot_inline uint64_t pool_amount(uint64_t word)
{
	return word & POOL_AMOUNT_MAX;
}

/*
 * pool_word(@epoch, 0): the valid bit and the tag. Shifting the whole epoch puts its bit 31, which
 * the tag leaves out, on the valid bit, which is set anyway: the same word without the mask and its
 * constant (the tick 1-2 instructions fewer, make bench-policy).
 */
hot_inline uint64_t pool_tag_word(uint64_t epoch)
{
	return POOL_VALID | (epoch << 32);
}

/* @amount is at most POOL_AMOUNT_MAX, so + is |; the compiler then forms the tag word once. */
hot_inline uint64_t pool_word(uint64_t epoch, uint64_t amount)
{
	return pool_tag_word(epoch) + amount;
}

/*
 * How many periods @word lies ahead of period @epoch: 0 it is @epoch's, 1..POOL_LATER_WINDOW it
 * belongs to a later period (the caller is late), anything above is stale. One subtraction
 * modulo 2^31 classifies all three; an invalid word is stale.
 */
hot_inline uint32_t pool_ahead(uint64_t word, uint64_t epoch)
{
	uint32_t ahead = ((uint32_t)(word >> 32) - pool_tag_of(epoch)) & POOL_TAG_MASK;

	return (word & POOL_VALID) ? ahead : POOL_TAG_MASK;
}

/*
 * @word's upper half less @epoch's tag word's, modulo 2^32 (the tag word's lower half is 0, so
 * no amount borrows from it): 0 exactly when @word is a valid word of @epoch's tag, i.e.
 * pool_ahead() is 0. pool_take() and pool_add() test this first, the word they see most often: a
 * subtraction, a shift and a branch, where pool_ahead() is a sign test and five more (make
 * bench-policy). Both classify any other word from the same difference (pool_later_by()).
 */
hot_inline uint32_t pool_tag_diff(uint64_t word, uint64_t epoch)
{
	return (uint32_t)((word - pool_tag_word(epoch)) >> 32);
}

/*
 * pool_later(@word, epoch) for a word whose pool_tag_diff() from epoch is @diff, not 0. Both
 * upper halves of valid words carry the valid bit, so pool_ahead() is @diff's low 31 bits: a mask
 * and a compare, where pool_ahead() took a move, a shift and a subtraction as well: pool_add()
 * classifies with it the previous period's word that the first donor of each period finds (make
 * bench-policy: steady tick with reclaim on, 4 CPUs, 156 -> 155), pool_take() the one the first
 * CPU of a domain of several finds (with the valid bit tested first, which GCC 12 lays out
 * better there and worse in pool_add(): domains of 8, releasing tick 173 -> 172 with reclaim
 * on, 171 -> 170 off, overflow with reclaim off 141 -> 138). A word without the valid bit is
 * stale whatever its tag.
 */
hot_inline bool pool_later_by(uint64_t word, uint32_t diff)
{
	return (diff & POOL_TAG_MASK) <= POOL_LATER_WINDOW && (word & POOL_VALID);
}

/* Does @word belong to period @epoch? */
hot_inline bool pool_current(uint64_t word, uint64_t epoch)
{
	return pool_ahead(word, epoch) == 0;
}

/* Does @word belong to a period shortly after @epoch (the caller is late)? */
hot_inline bool pool_later(uint64_t word, uint64_t epoch)
{
	return pool_ahead(word, epoch) - 1 < POOL_LATER_WINDOW;
}

/*
 * Take up to @want from the pool of period @epoch; a pool still holding an earlier period is
 * refilled with *@refill first. Returns what was taken: 0 if the pool is empty or already belongs
 * to a later period (the caller's tick is late).
 *
 * @refill by address, read only on the refill path: a value would be loaded before the loop, since
 * the atomic load is a compiler barrier, on every call for the rare refill. The caller passes
 * &chan->budget, which only its own CPU writes and not during the call, so the value read is
 * the one it would have passed (make bench-policy: domains of 8, steady tick with reclaim on
 * 156 -> 155 and off 144 -> 143, releasing tick 150 -> 148 on and 149 -> 148 off, overflow
 * with reclaim off 137 -> 135). pool_take() passes a value.
 *
 * The new word is the one it starts from less what is taken: a word of this period is its tag
 * word plus its amount, so the word seen is that start, where rebuilding pool_word() from the
 * amount left cost a move and an add more (make bench-policy: steady tick, domains of 8, 1-2
 * instructions fewer; overflow 1 fewer, with pool_add() built the same way).
 */
hot_inline uint64_t pool_take_at(uint64_t *pool, uint64_t epoch, uint64_t want,
				 const uint64_t *refill)
{
	uint64_t old = load_relaxed(pool);
	uint64_t left, take, from;

	do {
		uint32_t diff = pool_tag_diff(old, epoch);

		/* Expected: GCC 12 then keeps this period's word on the straight path (make
		 * bench-policy: domains of 8, reclaim off, steady tick and overflow 1 fewer). */
		if (__builtin_expect(diff == 0, 1)) {
			left = pool_amount(old);
			from = old;
		} else if ((old & POOL_VALID) && (diff & POOL_TAG_MASK) <= POOL_LATER_WINDOW) {
			/* pool_later_by(), the valid bit first */
			return 0;
		} else {
			left = *refill;
			from = pool_word(epoch, *refill);
		}
		take = want < left ? want : left;
		if (take == 0)
			return 0;
	} while (!cas(pool, &old, from - take));
	return take;
}

/* pool_take_at() of @refill given as a value. */
hot_inline uint64_t pool_take(uint64_t *pool, uint64_t epoch, uint64_t want, uint64_t refill)
{
	return pool_take_at(pool, epoch, want, &refill);
}

/*
 * pool_take() of a whole @refill, for a CPU alone in its domain. In the steady state the pool
 * holds what this CPU left in the previous period, that period's word emptied, so one
 * compare-and-swap against that expected word (no load first) leaves this period's word empty.
 * Anything else (first period, a member that just joined took from it first, the caller is late)
 * goes through pool_take().
 */
hot_inline uint64_t pool_take_all(uint64_t *pool, uint64_t epoch, uint64_t refill)
{
	uint64_t now = pool_tag_word(epoch);
	/*
	 * pool_word(epoch - 1, 0), one period back, without ORing the valid bit back in (make
	 * bench-policy: every tick that takes a whole pool 2 instructions fewer). Only where the tag
	 * is 0 (once in 2^31 periods, period 0 among them) does the borrow take the valid bit: that
	 * word is invalid, which no pool holds (a pool is zero or a valid word), so the CAS fails and
	 * pool_take() finds the previous period's word and refills from it, as the CAS would have.
	 * (With @refill 0 it leaves that word, empty, where the CAS stored this period's, empty:
	 * every pool_take() of this period gets 0 from either.)
	 */
	uint64_t old = now - (1ull << 32);

	if (cas(pool, &old, now))
		return refill;
	return pool_take(pool, epoch, refill, refill);
}

/*
 * Add up to @amount to the pool of period @epoch (an earlier period's content is discarded first).
 * Saturates at POOL_AMOUNT_MAX. Returns what was added: 0 if the pool belongs to a later period.
 * When @total is not NULL it receives the pool's new amount. The new word is the one it starts
 * from plus what is added, as in pool_take() (make bench-policy: the steady tick with reclaim on
 * 1-2 instructions fewer), worked out in each branch: from this period's word one LEA, where a
 * start word chosen by the branch took a move into a register of its own and an add (1 fewer).
 */
hot_inline uint64_t pool_add(uint64_t *pool, uint64_t epoch, uint64_t amount, uint64_t *total)
{
	uint64_t old = load_relaxed(pool);
	uint64_t left, add, word;

	do {
		uint32_t diff = pool_tag_diff(old, epoch);

		if (diff == 0) {
			left = pool_amount(old);
			add = POOL_AMOUNT_MAX - left < amount ? POOL_AMOUNT_MAX - left : amount;
			word = old + add;
		} else if (pool_later_by(old, diff)) {
			return 0;
		} else {
			left = 0;
			add = POOL_AMOUNT_MAX < amount ? POOL_AMOUNT_MAX : amount;
			word = pool_tag_word(epoch) + add;
		}
	} while (!cas(pool, &old, word));
	if (total)
		*total = left + add;
	return add;
}

#endif /* MEMBW_LIB_POOL_H */
