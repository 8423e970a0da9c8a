/* SPDX-License-Identifier: MIT */
/*
 * Closing a CPU's period(s) and opening the next: accounting, budget at period start, arming.
 * Inline, so that a tick is one function's worth of work; online and offline use the out-of-line
 * copies in period.c.
 *
 * Each step takes `general`, always a constant: true handles every case; false is the steady
 * step (period_step()), which may assume what steady_tick() checked -- one period passed, no
 * control change since the CPU last looked, no trace hook, the CPU not released -- so the
 * compiler drops those branches from that copy. Reclaim on or off is the CPU's own mode word
 * (c->mode), which changes only with a control change: the steady step is compiled once for
 * each (@reclaim) and steady_tick() says which one a tick takes. A steady step also takes
 * `throttled`, a constant too: false for a CPU that ran on through its period (not throttled,
 * so not held), true for one that ends it throttled, which the step releases as the general step
 * does.
 */
#ifndef MEMBW_LIB_PERIOD_H
#define MEMBW_LIB_PERIOD_H

#include "counter.h"
#include "grant.h"
#include "membership.h"
#include "reclaim.h"
#include "throttle.h"

/*
 * The whole state word of a CPU that takes the steady releasing step: online, throttled, and
 * regulated (a CPU is throttled only by a limited channel, and a channel is limited only while
 * the CPU is a member of a domain with a budget: MEMBW_CPU_REGULATED). steady_tick() compares the
 * word with it, so the step writes the state it leaves as a constant (period_move()).
 */
#define STATE_RELEASING (MEMBW_CPU_ONLINE | MEMBW_CPU_REGULATED | MEMBW_CPU_THROTTLED)

/*
 * Does the step have a write channel? @nch is the channel count when the caller knows it, a
 * constant (1 or 2), else 0: read m->nch.
 */
hot_inline bool two_channels(const struct membw *m, unsigned int nch)
{
	return nch ? nch > 1 : m->nch > 1;
}

/*
 * What a steady step's close hands its open, per channel (period_move()), so that the open
 * neither reloads nor tests again what the close just had in a register: the pools'
 * compare-and-swap and the epoch's atomic store between them are compiler barriers. Both are
 * exactly what the open would read: a steady step does not write `limited` (only the general
 * open does), and nothing writes the prediction between the close that learns it and the open.
 * @predict is set only when @limited is, and read only then.
 */
struct closed {
	uint64_t predict; /* chan->predict as the close left it */
	bool limited;     /* chan->limited, or the caller's constant */
};

/*
 * @limited: the caller knows the channel is limited (a constant; period_move()). @closed: where
 * to leave struct closed for the open, NULL for none.
 */
hot_inline int close_channel(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			     uint64_t periods, bool general, bool reclaim, bool limited,
			     struct closed *closed)
{
	struct channel *chan = &c->ch[ch];
	uint64_t used, over = 0, learn;
	bool is_limited;
	int err;

	err = counter_read(m, c, ch, now, &used);
	/* Added at once, not after the prediction: GCC 12 then no longer keeps the use and the
	 * step's error both in callee-saved registers (make bench-policy: every steady tick 1
	 * instruction fewer, the releasing tick with domains of 8 and reclaim off 2). */
	stat_add(&c->stats.ch[ch].used, used);
	is_limited = limited || chan->limited;
	if (closed)
		closed->limited = is_limited;
	if (is_limited) {
		stat_add(&c->stats.ch[ch].allowance, chan->allow);
		if (__builtin_expect(used > chan->allow, 0)) {
			over = used - chan->allow;
			stat_add(&c->stats.ch[ch].overshoot, over);
		}
		/*
		 * The prediction is used only by reclaim and by domains of several CPUs. A CPU alone
		 * in its domain with reclaim off, in a steady step (running or releasing), keeps its
		 * latest use instead: one store, where learning costs a test and arithmetic on every
		 * tick, and company that arrives without a control change (a sibling coming online)
		 * finds a prediction to start from. The general step always learns.
		 */
		if (general || reclaim || c->shared) {
			/* A branch, not a division by 1: the compiler would divide on every tick. */
			if (__builtin_expect(periods == 1, 1))
				learn = reclaim_learn(chan, used);
			else
				learn = reclaim_learn(chan, used / periods);
		} else {
			chan->predict = used;
			learn = used;
		}
		if (closed)
			closed->predict = learn;
	}
	if (general && tracing(m))
		trace_period_end(m, c, ch, now, used, over, periods);
	return err;
}

/*
 * @throttled: the caller knows the CPU is throttled (the steady releasing step), whose time has
 * then almost always moved on since the throttle: said so, GCC 12 lays that path out straight
 * (make bench-policy: every releasing tick 1 instruction fewer). That step adds the throttled time
 * as one subtraction whose borrow is the test (a time that did not move adds 0, where the general
 * test skips it) and does not store throttled_at: the step clears the throttled bit right after,
 * and throttled_at is read only while the bit is set, by the close and release_cpu(), after the
 * throttle that set the bit stored it (make bench-policy: every releasing tick 3 fewer).
 */
hot_inline int close_chans(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods,
			   bool general, bool reclaim, bool throttled, unsigned int nch,
			   bool read_limited, struct closed *closed_r, struct closed *closed_w)
{
	int err = close_channel(m, c, MEMBW_CH_READ, now, periods, general, reclaim, read_limited,
				closed_r),
	    e;

	if (two_channels(m, nch)) {
		e = close_channel(m, c, MEMBW_CH_WRITE, now, periods, general, reclaim, false,
				  closed_w);
		if (e)
			err = e;
	}
	stat_add(&c->stats.periods, periods);
	if (periods > 1)
		stat_add(&c->stats.missed_periods, periods - 1);
	if (throttled) {
		uint64_t held_ns;

		if (__builtin_expect(!__builtin_sub_overflow(now, c->throttled_at, &held_ns), 1))
			stat_add(&c->stats.throttled_ns, held_ns);
	} else if (general && (c->state & MEMBW_CPU_THROTTLED) && now > c->throttled_at) {
		stat_add(&c->stats.throttled_ns, now - c->throttled_at);
		c->throttled_at = now;
	}
	return err;
}

/*
 * A channel without budget throttles the CPU at once (one held from the last period stays so).
 * Whether the channel is limited changes only with the CPU's membership or budget, so the steady
 * step keeps it; @limited as close_channel() takes it. A throttle here also sets *@throttles
 * (period_move()). @closed: what the close left (struct closed), NULL to read the channel.
 */
hot_inline int open_channel(struct membw *m, struct cpu *c, unsigned int ch, uint64_t epoch,
			    uint64_t now, bool general, bool reclaim, bool limited, bool *throttles,
			    const struct closed *closed)
{
	struct channel *chan = &c->ch[ch];
	uint64_t allow;

	if (general)
		chan->limited = c->member_of != MEMBW_NO_DOMAIN && chan->budget != EVENTS_UNLIMITED;
	if (!limited && !(closed ? closed->limited : chan->limited))
		return counter_arm(m, c, ch, 0, ARM_COUNT_ONLY, now);
	allow = grant_period_start(m, c, ch, epoch, now, general, reclaim,
				   closed ? &closed->predict : &chan->predict);
	if (__builtin_expect(allow == 0, 0)) {
		if (!grant_until_above(m, c, ch, 0, now)) {
			int err = counter_arm(m, c, ch, 0, ARM_COUNT_ONLY, now);

			throttle_cpu(m, c, ch, 0, now);
			*throttles = true;
			return err;
		}
		allow = chan->allow;
	}
	return counter_arm(m, c, ch, 0, allow, now);
}

/*
 * @epoch is c->epoch, passed as a value: the channels' pool words are then computed once (pool.h),
 * and a caller that just stored it does not load it back. Returns @err (the close's error) unless
 * a channel fails to open, whose error then overrides it (the write channel's the read's): one
 * error variable through the step instead of two to merge at its end (make bench-policy: 2-3
 * instructions fewer per tick).
 */
hot_inline int open_chans(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch,
			  bool general, bool reclaim, int err, unsigned int nch, bool read_limited,
			  bool *throttles, const struct closed *closed_r,
			  const struct closed *closed_w)
{
	int e;

	if (general)
		membership_latch(m, c);
	e = open_channel(m, c, MEMBW_CH_READ, epoch, now, general, reclaim, read_limited, throttles,
			 closed_r);
	if (e)
		err = e;
	if (two_channels(m, nch)) {
		e = open_channel(m, c, MEMBW_CH_WRITE, epoch, now, general, reclaim, false,
				 throttles, closed_w);
		if (e)
			err = e;
	}
	return err;
}

/* close_chans() and open_chans() for a caller that does not know the channel count. */
hot_inline int close_all(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods,
			 bool general, bool reclaim, bool throttled)
{
	return close_chans(m, c, now, periods, general, reclaim, throttled, 0, false, NULL, NULL);
}

hot_inline int open_all(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch, bool general,
			bool reclaim, int err)
{
	bool throttles;

	return open_chans(m, c, now, epoch, general, reclaim, err, 0, false, &throttles, NULL,
			  NULL);
}

/*
 * Move the CPU from its period to @epoch (later): close, open, release if it has budget again.
 * The general step (@general, any number of periods, any state) or a steady step (one period,
 * @reclaim the CPU's mode, @throttled its state: see the top of this file); @nch as
 * two_channels() takes it.
 */
hot_inline int period_move(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch,
			   uint32_t reason, bool general, bool reclaim, bool throttled, unsigned int nch)
{
	/*
	 * A CPU is throttled only by a limited channel (channel_overflow(), open_channel()), and
	 * `limited` changes only in the general open, after the general step cleared the throttled
	 * bit: with one channel, the releasing step's is limited, and its close and open test it no
	 * more (make bench-policy: releasing tick 4 to 7 instructions fewer; register allocation,
	 * the running tick 1 more, reclaim off, as before the copy per channel count). So is the
	 * running step's with reclaim on and one channel: its key is set only for a CPU whose
	 * channel is limited (steady_keys(), membership.c).
	 */
	bool read_limited = (throttled || reclaim) && nch == 1, throttles = false;
	/*
	 * The close hands the open what it read (struct closed) in the steady steps compiled for a
	 * channel count: there GCC 12 keeps it in registers and threads the open's test of
	 * `limited` into the close's (make bench-policy: running tick with reclaim on 148 -> 145,
	 * 147 -> 144, 160 -> 157 domains of 8; releasing tick 138 -> 137, domains of 8 150 -> 149
	 * with reclaim off). In the running step with reclaim off, which tests the channel count,
	 * the value lived across the second channel's read hook: 1 to 3 more.
	 */
	bool pass = !general && nch != 0;
	struct closed closed_r, closed_w;
	int err;

	err = close_chans(m, c, now, general ? epoch - c->epoch : 1, general, reclaim, throttled,
			  nch, read_limited, pass ? &closed_r : NULL, pass ? &closed_w : NULL);
	store_relaxed(&c->epoch, epoch);
	if (throttled) {
		/* The state is STATE_RELEASING (steady_tick()), which the close left as it was: one
		 * store of a constant, not a load, mask and store (make bench-policy: every releasing
		 * tick 2 instructions fewer). */
		c->throttle_weight = 0;
		set_state(c, STATE_RELEASING & ~MEMBW_CPU_THROTTLED);
	} else if (general) {
		c->throttle_weight = 0;
		if (c->state & (MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED))
			set_state(c, c->state & ~(MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED));
	}
	err = open_chans(m, c, now, epoch, general, reclaim, err, nch, read_limited, &throttles,
			 pass ? &closed_r : NULL, pass ? &closed_w : NULL);
	if (general) {
		if (c->held && !(c->state & MEMBW_CPU_THROTTLED))
			release_cpu(m, c, now, reason);
	} else if (throttled && ((nch == 1 && !throttles) || !(c->state & MEMBW_CPU_THROTTLED))) {
		/*
		 * release_cpu() less what the step already did (the throttled time, the state)
		 * and the trace, which a steady step never has. Nor does it test `held`: a CPU
		 * throttled is held (throttle_hold() sets both, and only a release clears held, once
		 * the throttled bit is clear), and the open only keeps or re-throttles it (make
		 * bench-policy: every releasing tick 2 instructions fewer). With one channel, the
		 * state is tested only after the open's rare throttle (which spare sharing may have
		 * turned into a release): the open is the only thing that sets the throttled bit
		 * again, and GCC 12 then threads the common open straight to the release (make
		 * bench-policy: releasing tick 2 fewer).
		 */
		release_held(m, c);
	}
	return err;
}

/* The general step, for every case. */
hot_inline int period_advance(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch,
			      uint32_t reason)
{
	return period_move(m, c, now, epoch, reason, true, false, false, 0);
}

/*
 * What steady_tick() answers: which step a tick takes. The steady steps are numbered so that
 * reclaim on with one channel is the one after reclaim off, and with two channels the next.
 */
enum step {
	STEP_GENERAL,
	STEP_STEADY,
	STEP_STEADY_RECLAIM,
	STEP_STEADY_RECLAIM2,
	STEP_RELEASE,
	STEP_RELEASE_RECLAIM,
	STEP_RELEASE_RECLAIM2
};

/*
 * Which steady step the key a CPU holds for the current changes selects, from @steady (STEP_STEADY
 * or STEP_RELEASE): steady_at for reclaim off (or a CPU with no limited channel, to which reclaim
 * does not apply), steady_reclaim_at for reclaim on with one channel, steady_reclaim2_at with two
 * (membership.c, steady_keys()). The channel count in the key spares the step with reclaim on a
 * test of m->nch; a third key costs two channels nothing, the compare replacing that test.
 *
 * The first compare is the cheap one, and which key it tests is a choice between the modes. A
 * tick that runs on tests the reclaim-on key first: reclaim is the mode people run, and its
 * steady step is the dearer one (make bench-policy, tick "runs on": reclaim on 140 -> 138,
 * domains of 8 151 -> 149; reclaim off 114-115 -> 116-117, domains of 8 142 -> 143). The
 * releasing tick keeps reclaim off first: there reclaim off with domains of 1 is at 119 against
 * its target of 120, and reclaim on at 135 has room.
 */
hot_inline enum step steady_key(const struct membw *m, const struct cpu *c, enum step steady)
{
	uint64_t changes = load_acquire(&m->changes);
	/* 1 when the reclaim-on key is tested first (a constant: @steady is) */
	unsigned int first = steady == STEP_STEADY;

	if (__builtin_expect((first ? c->steady_reclaim_at : c->steady_at) == changes, 1))
		return steady + first;
	if ((first ? c->steady_at : c->steady_reclaim_at) == changes)
		return steady + !first;
	return c->steady_reclaim2_at == changes ? steady + 2 : STEP_GENERAL;
}

/*
 * Can this tick take period_step()? The CPU is online (tested with the throttled and released
 * bits: one subtraction and test for the usual state), moves on by exactly one period, was not
 * released by spare sharing in the period ending, and nothing was changed since it last took up
 * changes (and tracing was off then): steady_key(). A CPU that ran on (neither throttled nor
 * released: so not held either, and its throttle weight is 0) takes STEP_STEADY*; one that ends
 * its period throttled and not released takes STEP_RELEASE*, which releases it: its whole state
 * word is compared with STATE_RELEASING, a compare the masked bits took too.
 *
 * steady_key() is called on each path with its constant, so every answer is a constant that GCC
 * 12 threads straight into membw_tick()'s choice of step; with the answer a variable of both
 * paths, it did so for the first two keys only (make bench-policy: releasing tick 1 instruction
 * fewer; with two channels, every tick with reclaim on 1 to 3 fewer, where the third key had
 * cost 2 to 4 more).
 */
hot_inline enum step steady_tick(const struct membw *m, const struct cpu *c, uint64_t epoch)
{
	uint32_t state, bits;

	if (epoch != c->epoch + 1)
		return STEP_GENERAL;
	state = c->state;
	/*
	 * Online, neither throttled nor released, as one subtraction and test: taking the online
	 * bit away clears it if it was set, and borrows into it if it was not (from a state of 0,
	 * into every bit), so no bit of the three is left exactly then. GCC 12 makes it a LEA and
	 * an AND whose flags are the test, where the mask and compare were a MOV, an AND and a CMP
	 * (make bench-policy: every tick 1 instruction fewer).
	 */
	bits = (state - MEMBW_CPU_ONLINE) &
	       (MEMBW_CPU_ONLINE | MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED);
	if (__builtin_expect(bits != 0, 0))
		return state == STATE_RELEASING ? steady_key(m, c, STEP_RELEASE) : STEP_GENERAL;
	return steady_key(m, c, STEP_STEADY);
}

/*
 * period_advance() by one period, for a tick steady_tick() accepted; @reclaim is the CPU's
 * reclaim mode (c->mode) and @throttled its throttled state as steady_tick() found them, @nch
 * the channel count its key gave (steady_key()), 0 where the key does not say it.
 *
 * The releasing step is compiled once per channel count, tested once here: its close and open
 * then test none (make bench-policy: releasing tick 3 instructions fewer with reclaim off and 1
 * with reclaim on, and, register allocation, every running tick 1 fewer; entry.o text 2.4 KB
 * larger). So is the running step with reclaim on (make bench-policy: running tick with reclaim
 * on 151 -> 148, 150 -> 147, 163 -> 160 domains of 8; with what its close hands its open,
 * period_move(), 145 / 144 / 157). The running step with reclaim off was tried the same way:
 * 1 more, as in the second round (bench/README.md), and another 2.6 KB. With reclaim on, the key
 * says the count, and the test here is gone (make bench-policy: running tick with reclaim on
 * 144 -> 141, 143 -> 140, 155 -> 152 domains of 8; releasing tick 1 fewer).
 */
hot_inline int period_step(struct membw *m, struct cpu *c, uint64_t now, uint64_t epoch,
			   bool reclaim, bool throttled, unsigned int nch)
{
	uint32_t reason = MEMBW_RELEASE_PERIOD;

	if (!throttled && !reclaim)
		return period_move(m, c, now, epoch, reason, false, false, false, 0);
	if (nch == 0)
		nch = m->nch > 1 ? 2 : 1;
	if (nch > 1)
		return period_move(m, c, now, epoch, reason, false, reclaim, throttled, 2);
	return period_move(m, c, now, epoch, reason, false, reclaim, throttled, 1);
}

#endif /* MEMBW_LIB_PERIOD_H */
