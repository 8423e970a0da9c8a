/* SPDX-License-Identifier: MIT */
/*
 * Reading and arming one channel's counter through the backend, and making sense of what it says.
 * Inline because every tick and overflow goes through here; the rare failure paths are in
 * counter.c.
 *
 * After arm(n) the counter holds 2^w - n, so (raw + n) mod 2^w is the number of events since the
 * arm for 32-bit and 64-bit counters alike, across the wrap. Arms never exceed half the counter
 * range (2^(w-1)), so that a reading up to half the range past the arm point is still told apart
 * from one before it: an overflow delivered late is never mistaken for a spurious one, even on a
 * narrow counter. A reading more than half the range past the arm point cannot come from
 * interrupt latency: the counter went backwards or was overwritten by someone else. That stretch
 * counts as 0 events; the next arm resynchronises.
 *
 * Reads go through the channel's direct reader when the backend handed one (ABI version 3), else
 * through its read hook; both leave what rearm counts from.
 *
 * An arm that follows a successful read of the same channel goes through the backend's `rearm`
 * when it has one (m->rearm, else its plain `arm`): counting then resumes from the read, so the
 * events between the read and the arm belong to the new arm instead of being lost.
 */
#ifndef MEMBW_LIB_COUNTER_H
#define MEMBW_LIB_COUNTER_H

#include "internal.h"

int counter_failed(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, int err);
uint64_t counter_jumped(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			uint64_t raw);
uint64_t counter_late_wrap(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			   uint64_t since);

/*
 * The direct reader's value. On x86-64 the empty asm makes the compiler load the pointer again
 * here rather than keep the one the caller tested in a register: the test is then a compare with
 * memory, one instruction less on the path of a backend without a direct reader (make
 * bench-policy). An ISA without compares with memory (AArch64) would only pay the second load.
 */
hot_inline uint64_t counter_direct(const struct cpu *c, unsigned int ch)
{
#if defined(__x86_64__)
	__asm__("" ::: "memory");
#endif
	return c->direct[ch](c->direct_ctx[ch]);
}

/* counter_read() once the counter said @raw. */
hot_inline uint64_t counter_since(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
				  uint64_t raw)
{
	struct channel *chan = &c->ch[ch];
	uint64_t since;

	chan->fresh = true;
	since = (raw + chan->armed) & m->counter_mask;
	if (__builtin_expect(since > chan->armed && since - chan->armed > m->counter_half, 0))
		since = counter_jumped(m, c, ch, now, raw);
	return chan->base + since;
}

/* counter_read_past() once the counter said @raw. */
hot_inline uint64_t counter_since_past(struct membw *m, struct cpu *c, unsigned int ch,
				       uint64_t now, uint64_t raw)
{
	struct channel *chan = &c->ch[ch];
	uint64_t since;

	chan->fresh = true;
	since = (raw + chan->armed) & m->counter_mask;
	/* One compare for both cases, since - armed wrapping when since < armed: at least
	 * 2^64 - half >= half then. It also sends since - armed == half, which is on time (or,
	 * with armed == half == 2^63 on a 64-bit counter and since 0, a whole wrap), to
	 * counter_late_wrap(), which tells them apart (make bench-armv8: with the raw reading no
	 * longer passed to it, membw_overflow 123 -> 119). */
	if (__builtin_expect(since - chan->armed >= m->counter_half, 0))
		since = counter_late_wrap(m, c, ch, now, since);
	return chan->base + since;
}

/* A read hook failed: *@counted is what the channel is known to have counted. */
hot_inline int counter_read_failed(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
				   uint64_t *counted, int err)
{
	const struct channel *chan = &c->ch[ch];

	/* A throttle that left the counter running recorded its count (throttle.h). */
	*counted = chan->spent ? chan->known : chan->base;
	return counter_failed(m, c, ch, now, err);
}

/*
 * Events counted on @ch in this period so far, into *@counted (its last value on failure).
 *
 * The counter is read through the backend's direct reader when it handed one (it cannot fail),
 * else through its read hook. The test is the whole cost for a backend without a direct reader
 * (make bench-policy): its path is laid out as the straight one, and each path has its own copy
 * of what follows the read, so that neither waits for the other's registers.
 */
hot_inline int counter_read(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			    uint64_t *counted)
{
	struct channel *chan = &c->ch[ch];
	int err;

	if (!chan->armed) {
		*counted = chan->base;
		return 0;
	}
	if (__builtin_expect(c->direct[ch] != NULL, 0)) {
		*counted = counter_since(m, c, ch, now, counter_direct(c, ch));
		return 0;
	}
	err = m->read(c->priv, ch, &c->raw);
	if (__builtin_expect(err != 0, 0))
		return counter_read_failed(m, c, ch, now, counted, err);
	*counted = counter_since(m, c, ch, now, c->raw);
	return 0;
}

/*
 * counter_read() for a channel the backend says overflowed: it is at or past its arm point, so a
 * reading far past it is a late interrupt (not an overwritten counter), and one below it is a
 * whole wrap past it. Both are noted (counter_late_wrap()) and charged in full.
 */
hot_inline int counter_read_past(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
				 uint64_t *counted)
{
	int err;

	if (__builtin_expect(c->direct[ch] != NULL, 0)) {
		*counted = counter_since_past(m, c, ch, now, counter_direct(c, ch));
		return 0;
	}
	err = m->read(c->priv, ch, &c->raw);
	if (__builtin_expect(err != 0, 0))
		return counter_read_failed(m, c, ch, now, counted, err);
	*counted = counter_since_past(m, c, ch, now, c->raw);
	return 0;
}

/* Arm @ch to interrupt after @events more (at most half the counter range); @counted so far. */
hot_inline int counter_arm(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
			      uint64_t events, uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	int err;

	if (events > m->counter_half)
		events = m->counter_half;
	chan->base = counted;
	chan->armed = events;
	/* spent cleared in each branch: next to fresh, the rearm branch clears both with one
	 * 2-byte store (make bench-policy: 1 instruction per arm). */
	if (chan->fresh) {
		chan->spent = false;
		chan->fresh = false;
		err = m->rearm(c->priv, ch, events);
	} else {
		chan->spent = false;
		err = m->arm(c->priv, ch, events);
	}
	if (__builtin_expect(err != 0, 0)) {
		/* Unarmed: no overflow will come, reads return base until the next period re-arms. */
		chan->armed = 0;
		return counter_failed(m, c, ch, now, err);
	}
	return 0;
}

#endif /* MEMBW_LIB_COUNTER_H */
