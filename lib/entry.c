/* SPDX-License-Identifier: MIT */
/* The entry points a runtime calls on a CPU: online, offline, tick, overflow, kick. */
#include "period.h"
#include "throttle.h"

static inline void report_next(const struct membw *m, const struct cpu *c, uint64_t *next_tick_ns)
{
	if (next_tick_ns)
		*next_tick_ns = epoch_start(m, c->epoch + 1);
}

/*
 * Stop every channel (an arm that failed may have left its counter half programmed), forget what
 * they were armed for, and give the backend back what cpu_init took.
 */
static void counters_exit(struct membw *m, struct cpu *c)
{
	unsigned int ch;

	for (ch = 0; ch < m->nch; ch++) {
		m->be->stop(c->priv, ch);
		c->ch[ch].armed = 0;
		c->ch[ch].spent = false;
		c->ch[ch].fresh = false;
		c->direct[ch] = NULL;
	}
	if (m->cpu_exit)
		m->cpu_exit(m->be_ctx, c->cpu, c->priv);
}

/*
 * Ask the backend for each channel's direct reader right after cpu_init (backend.h): one that
 * refuses, or fills in no function, leaves the channel on `read`.
 */
static void direct_readers(struct membw *m, struct cpu *c)
{
	struct membw_direct_reader r;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		r.read = NULL;
		r.ctx = NULL;
		if (ch < m->nch && m->direct_reader && m->direct_reader(c->priv, ch, &r) != 0)
			r.read = NULL;
		c->direct[ch] = r.read;
		c->direct_ctx[ch] = r.ctx;
	}
}

/*
 * Stop counting, release the CPU, leave the regulated set. The CPU leaves its period's throttled
 * count before the regulated count, so nobody ever sees it counted in one and not the other.
 */
static void cpu_leave(struct membw *m, struct cpu *c, uint64_t now)
{
	counters_exit(m, c);
	release_cpu(m, c, now, MEMBW_RELEASE_OFFLINE);
	sharing_forget(m, c);
	membership_leave(m, c);
	set_state(c, 0);
	sharing_recheck(m, c, now);
}

/* The CPU behind an entry point that needs it online: -EINVAL for a bad one, -ENODEV offline. */
static inline int online_cpu(struct membw *m, uint32_t cpu, struct cpu **c)
{
	if (cpu_bad_hot(m, cpu))
		return -MEMBW_EINVAL;
	*c = cpu_at(m, cpu);
	return (*c)->state & MEMBW_CPU_ONLINE ? 0 : -MEMBW_ENODEV;
}

int membw_cpu_online(struct membw *m, uint32_t cpu, uint64_t now_ns, uint64_t *next_tick_ns)
{
	struct membw_counter_setup setup;
	struct cpu *c;
	unsigned int ch;
	int err;

	if (cpu_bad(m, cpu))
		return -MEMBW_EINVAL;
	c = cpu_at(m, cpu);
	if (c->state & MEMBW_CPU_ONLINE)
		return -MEMBW_EBUSY;
	setup.size = sizeof(setup);
	setup.levels = m->cfg.levels;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		setup.event[ch] = m->cfg.event[ch];
	err = m->be->cpu_init(m->be_ctx, cpu, c->priv, &setup);
	if (err)
		return err < 0 ? err : -MEMBW_EIO;
	direct_readers(m, c);
	store_relaxed(&c->epoch, epoch_at(m, now_ns));
	/* Prove the counters work before any budget is taken for the CPU. */
	for (ch = 0; ch < m->nch; ch++) {
		err = counter_arm(m, c, ch, 0, ARM_COUNT_ONLY, now_ns);
		if (err) {
			counters_exit(m, c);
			return err;
		}
	}
	set_state(c, MEMBW_CPU_ONLINE);
	err = period_open(m, c, now_ns);
	if (err) {
		/* Failed after all: close the period so the statistics add up, then leave. */
		period_close(m, c, now_ns, 1);
		cpu_leave(m, c, now_ns);
		return err;
	}
	report_next(m, c, next_tick_ns);
	return 0;
}

int membw_cpu_offline(struct membw *m, uint32_t cpu, uint64_t now_ns)
{
	struct cpu *c;
	int err = online_cpu(m, cpu, &c);

	if (err)
		return err;
	period_close(m, c, now_ns, 1);
	cpu_leave(m, c, now_ns);
	return 0;
}

/*
 * The tick's and the overflow's answer to a bad instance or CPU, out of line and cold: GCC 12 then
 * no longer loads -MEMBW_EINVAL into the register of the entry's error on every call to share the
 * return with it, and moves the check's failure out of the straight path (make bench-policy: every
 * tick and every overflow 1 instruction fewer). __noinline__, not noinline: the Linux kernel
 * defines noinline as a macro.
 */
static __attribute__((__cold__, __noinline__)) int bad_cpu_answer(void)
{
	return -MEMBW_EINVAL;
}

/*
 * The online test is steady_tick()'s, with the state bits it tests anyway; a CPU that is not online
 * takes none of the steady steps and is refused before anything else, having had only its period
 * worked out and its fields read (make bench-policy: the releasing tick 1 instruction fewer).
 */
int membw_tick(struct membw *m, uint32_t cpu, uint64_t now_ns, uint64_t *next_tick_ns)
{
	struct cpu *c;
	uint64_t epoch;
	enum step step;
	int err = 0;

	if (cpu_bad_hot(m, cpu))
		return bad_cpu_answer();
	c = cpu_at(m, cpu);
	epoch = epoch_at(m, now_ns);
	step = steady_tick(m, c, epoch);
	if (__builtin_expect(step == STEP_STEADY, 1)) {
		err = period_step(m, c, now_ns, epoch, false, false, 0);
	} else if (step == STEP_STEADY_RECLAIM) {
		err = period_step(m, c, now_ns, epoch, true, false, 1);
	} else if (step == STEP_STEADY_RECLAIM2) {
		err = period_step(m, c, now_ns, epoch, true, false, 2);
	} else if (step == STEP_RELEASE) {
		err = period_step(m, c, now_ns, epoch, false, true, 0);
	} else if (step == STEP_RELEASE_RECLAIM) {
		err = period_step(m, c, now_ns, epoch, true, true, 1);
	} else if (step == STEP_RELEASE_RECLAIM2) {
		err = period_step(m, c, now_ns, epoch, true, true, 2);
	} else if (!(c->state & MEMBW_CPU_ONLINE)) {
		return -MEMBW_ENODEV;
	} else if (epoch > c->epoch) {
		err = period_advance(m, c, now_ns, epoch, MEMBW_RELEASE_PERIOD);
	} else {
		stat_add(&c->stats.early_ticks, 1);
		if (tracing(m))
			trace_anomaly(m, c, 0, now_ns, MEMBW_ANOMALY_EARLY_TICK, epoch);
	}
	report_next(m, c, next_tick_ns);
	return err;
}

/*
 * Channel @ch reached its arm point at @counted events. Its allowance used up, a grant re-arms it
 * (reclaim off: unless the domain pool is known to be empty, grant_pool_empty()); else it is
 * throttled, by throttle_hold()'s plain copy when the mode word says nothing more is to be done:
 * one test of the CPU's mode word for the sharing, trace and narrow-counter tests throttle_hold()
 * makes
 * (make bench-armv8: membw_overflow 119 -> 110; make bench-policy, overflow: reclaim off 95 ->
 * 84, reclaim on 131 -> 120 (1 CPU) and 134 -> 129, domains of 8 with reclaim off 135 -> 131,
 * with the answers as ints below). Any other throttle (a sharing mode, a trace hook, a narrow
 * counter) is the out-of-line throttle_cpu(): inline, throttle_hold()'s registers live across
 * its calls cost every overflow a saved register pair (make bench-armv8: membw_overflow 103 ->
 * 100; make bench-policy, overflow: 4 fewer in every configuration). Tried: the grants out of
 * line too, so that no register keeps @counted across their calls here: bench-armv8 5 fewer,
 * but bench-policy's overflow 25 to 40 more with reclaim on or domains of 8, where most
 * overflows grant.
 */
hot_inline int channel_overflow(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
			    uint64_t now)
{
	struct channel *chan = &c->ch[ch];

	if (!chan->limited || (c->state & (MEMBW_CPU_THROTTLED | MEMBW_CPU_RELEASED)))
		return counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);
	if (counted < chan->allow)
		return counter_arm(m, c, ch, counted, chan->allow - counted, now);
	if (!(c->mode & MODE_RECLAIM)) {
		if (!grant_pool_empty(c, ch) && grant_until_above(m, c, ch, counted, now))
			return counter_arm(m, c, ch, counted, chan->allow - counted, now);
	} else if (grant_reclaimed(m, c, ch, counted, now)) {
		return counter_arm(m, c, ch, counted, chan->allow - counted, now);
	}
	if (!(c->mode & MODE_PLAIN_THROTTLE_MASK))
		return throttle_hold(m, c, ch, counted, now, true);
	return throttle_cpu(m, c, ch, counted, now);
}

/*
 * Channel @ch's part of the overflow interrupt (see overflow()): 1 if its overflow was not a real
 * one, else 0 or an error.
 */
hot_inline int overflow_channel(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
				bool known)
{
	uint64_t counted;
	int e;

	if (!c->ch[ch].armed)
		return 1;
	if (known) {
		e = counter_read_past(m, c, ch, now, &counted);
	} else {
		e = counter_read(m, c, ch, now, &counted);
		if (!e && counted - c->ch[ch].base < c->ch[ch].armed)
			return 1;
	}
	if (e)
		return e;
	if (__builtin_expect(c->ch[ch].spent, 0)) {
		/*
		 * Its arm point was dealt with: a repeat (a backend that interrupts again after the
		 * same count), or, reported by the backend, a wrap while held. Stop further repeats;
		 * only a guessed repeat counts as spurious.
		 */
		e = counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);
		return e ? e : !known;
	}
	return channel_overflow(m, c, ch, counted, now);
}

/* An overflow interrupt that no channel accounts for: rare, so out of line and cold. */
static __attribute__((__cold__, __noinline__)) void spurious_overflow(struct membw *m,
								      struct cpu *c, uint64_t now)
{
	stat_add(&c->stats.spurious_overflows, 1);
	if (tracing(m))
		trace_anomaly(m, c, 0, now, MEMBW_ANOMALY_SPURIOUS_OVERFLOW, 0);
}

/*
 * The overflow interrupt: @channels are the channels to look at; @known says the backend reported
 * them as overflowed (membw_overflow_channels()), rather than "one of them may have".
 *
 * The two channels are written out rather than looped over: with the channel a constant in each
 * copy, GCC 12 spends 15 to 20 fewer instructions per overflow (make bench-policy, x86-64), more
 * than the direct reader's test (2) costs a backend without one. Each channel's answer is one int
 * (1: not a real overflow, 0, or an error), so that a call leaves nothing else to keep.
 */
hot_inline int overflow(struct membw *m, uint32_t cpu, uint64_t now, uint32_t channels,
			bool known)
{
	struct cpu *c;
	int r = 1, w = 1;

	if (cpu_bad_hot(m, cpu))
		return bad_cpu_answer();
	c = cpu_at(m, cpu);
	/* c as an opaque value: otherwise GCC 12 (aarch64) keeps the CPU array's base and the
	 * CPU's offset in two saved registers to load c->epoch as [base, offset] (make
	 * bench-armv8: membw_overflow 110 -> 107). x86-64 addresses it from c either way. */
#if defined(__aarch64__)
	__asm__("" : "+r"(c));
#endif
	if (channels == 1u << MEMBW_CH_READ) {
		/* One channel named, the usual answer of a backend that knows (the other is
		 * unlimited, or not both ran out at once): nothing to keep in a saved register for
		 * a second one (make bench-armv8: membw_overflow 107 -> 104; entry.o 1.5 KB more
		 * on AArch64). membw_overflow() names every channel, so it has no such copy. */
		r = overflow_channel(m, c, MEMBW_CH_READ, now, known);
		if (__builtin_expect(r > 0, 0)) {
			spurious_overflow(m, c, now);
			return 0;
		}
		return r;
	}
	if (channels & (1u << MEMBW_CH_READ))
		r = overflow_channel(m, c, MEMBW_CH_READ, now, known);
	if ((channels & (1u << MEMBW_CH_WRITE)) && m->nch > 1)
		w = overflow_channel(m, c, MEMBW_CH_WRITE, now, known);
	if (__builtin_expect(r > 0 && w > 0, 0)) {
		spurious_overflow(m, c, now);
		return 0;
	}
	if (w < 0)
		return w;
	return r < 0 ? r : 0;
}

int membw_overflow(struct membw *m, uint32_t cpu, uint64_t now_ns)
{
	return overflow(m, cpu, now_ns, ~0u, false);
}

int membw_overflow_channels(struct membw *m, uint32_t cpu, uint64_t now_ns, uint32_t channels)
{
	return overflow(m, cpu, now_ns, channels, true);
}

int membw_kick(struct membw *m, uint32_t cpu, uint64_t now_ns, uint64_t *next_tick_ns)
{
	struct cpu *c;
	uint64_t epoch;
	int err = online_cpu(m, cpu, &c);

	if (err)
		return err;
	epoch = epoch_at(m, now_ns);
	if (epoch > c->epoch) {
		err = period_advance(m, c, now_ns, epoch,
				     (c->mode & MODE_SHARING_MASK) == MEMBW_SHARE_PROPORTIONAL
					     ? MEMBW_RELEASE_RESTART
					     : MEMBW_RELEASE_PERIOD);
	} else if ((c->state & MEMBW_CPU_THROTTLED) && sharing_released(m, c)) {
		err = release_running(m, c, now_ns);
	}
	report_next(m, c, next_tick_ns);
	return err;
}
