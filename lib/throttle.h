/* SPDX-License-Identifier: MIT */
/*
 * Holding a CPU whose budget ran out. Inline because the overflow interrupt that throttles is the
 * one a runtime waits on: it takes throttle_hold()'s plain copy inline, and for a CPU whose mode
 * word needs more (sharing, a trace hook, a narrow counter) the out-of-line throttle_cpu()
 * (throttle.c), which the period-start path uses too.
 */
#ifndef MEMBW_LIB_THROTTLE_H
#define MEMBW_LIB_THROTTLE_H

#include "counter.h"

/*
 * Channel @ch ran out at @counted events: hold the CPU until its next period -- unless spare
 * sharing already released everyone in this period.
 *
 * A counter at least 32 bits wide is left as it is: it wrapped at its arm point and goes on
 * counting, so reads still give the period's events (counter.h), and a held CPU cannot count the
 * 2^31 events (137 GB in 64-byte lines) that would make a read ambiguous before its next period.
 * That spares a counter write per throttle, which in a guest is a trap to the hypervisor. The
 * channel is marked spent: a further notification for it (a backend that interrupts again after
 * the same count) is spurious and re-arms it count-only. A narrower counter is re-armed count-only
 * at once, and so is any CPU that runs on: released at once here, or later by spare sharing
 * (release_running()). A channel throttled at period start is armed count-only by its caller.
 *
 * @plain, a constant: the caller knows the CPU's mode word has none of MODE_PLAIN_THROTTLE_MASK
 * and the CPU is not throttled yet in this period (channel_overflow()): no sharing releases it,
 * its counter is wide enough to be left running, nothing is traced, so what is left is the
 * stores and the runtime's call. The period-start path and any other throttle take @plain false
 * (throttle_cpu()).
 */
hot_inline int throttle_hold(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted,
			     uint64_t now, bool plain)
{
	struct channel *chan = &c->ch[ch];
	bool runs_on = !plain && (c->mode & MODE_SHARING_MASK) &&
		       !(c->state & MEMBW_CPU_THROTTLED) && sharing_released(m, c);
	int err = 0;

	if (runs_on || (!plain && m->counter_half < WIDE_COUNTER_HALF)) {
		err = counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);
	} else {
		chan->known = counted;
		chan->spent = true;
	}
	if (!plain && (c->state & MEMBW_CPU_THROTTLED))
		return err; /* the other channel ran out first in this period */
	if (runs_on) {
		set_state(c, c->state | MEMBW_CPU_RELEASED);
		return err;
	}
	c->throttled_at = now;
	set_state(c, c->state | MEMBW_CPU_THROTTLED);
	stat_add(&c->stats.throttle_count, 1);
	if (!plain && tracing(m))
		trace_state(m, c, MEMBW_TRACE_THROTTLE, ch, now, counted, 0);
	if (!c->held) {
		c->held = true;
		m->env.throttle(m->env.ctx, c->cpu);
	}
	if (!plain && (c->mode & MODE_SHARING_MASK))
		sharing_note_throttle(m, c, now, counted > 0);
	return err;
}

/* Tell the runtime a held CPU may run again (release_cpu() without its statistics and trace). */
hot_inline void release_held(struct membw *m, struct cpu *c)
{
	c->held = false;
	m->env.unthrottle(m->env.ctx, c->cpu);
}

#endif /* MEMBW_LIB_THROTTLE_H */
