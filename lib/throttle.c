/* SPDX-License-Identifier: MIT */
/*
 * Throttling and releasing a CPU. Two notions are kept apart: MEMBW_CPU_THROTTLED says the CPU is
 * out of budget in its current period; `held` says the runtime was told to throttle and not yet to
 * unthrottle. A CPU that ends one period throttled and starts the next one without budget thus
 * stays held without a second membw_env::throttle call.
 */
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
 */
int throttle_cpu(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted, uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	bool runs_on = (c->mode & MODE_SHARING_MASK) && !(c->state & MEMBW_CPU_THROTTLED) &&
		       sharing_released(m, c);
	int err = 0;

	if (runs_on || m->counter_half < WIDE_COUNTER_HALF) {
		err = counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);
	} else {
		chan->known = counted;
		chan->spent = true;
	}
	if (c->state & MEMBW_CPU_THROTTLED)
		return err; /* the other channel ran out first in this period */
	if (runs_on) {
		set_state(c, c->state | MEMBW_CPU_RELEASED);
		return err;
	}
	c->throttled_at = now;
	set_state(c, c->state | MEMBW_CPU_THROTTLED);
	stat_add(&c->stats.throttle_count, 1);
	if (tracing(m))
		trace_state(m, c, MEMBW_EV_THROTTLE, ch, now, counted, 0);
	if (!c->held) {
		c->held = true;
		m->env.throttle(m->env.ctx, c->cpu);
	}
	if (c->mode & MODE_SHARING_MASK)
		sharing_note_throttle(m, c, now, counted > 0);
	return err;
}

/*
 * Spare sharing releases a throttled CPU before its period ends: re-arm its channels count-only,
 * so that however much it now counts, reads stay within half the counter range of the arm point.
 */
int release_running(struct membw *m, struct cpu *c, uint64_t now)
{
	unsigned int ch;
	uint64_t counted;
	int err = 0, e;

	for (ch = 0; ch < m->nch; ch++) {
		e = counter_read(m, c, ch, now, &counted);
		if (!e)
			e = counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);
		if (e)
			err = e;
	}
	release_cpu(m, c, now, MEMBW_RELEASE_SPARE);
	set_state(c, c->state | MEMBW_CPU_RELEASED);
	return err;
}

void release_cpu(struct membw *m, struct cpu *c, uint64_t now, uint32_t reason)
{
	if ((c->state & MEMBW_CPU_THROTTLED) && now > c->throttled_at)
		stat_add(&c->stats.throttled_ns, now - c->throttled_at);
	set_state(c, c->state & ~MEMBW_CPU_THROTTLED);
	if (!c->held)
		return;
	c->held = false;
	if (tracing(m))
		trace_state(m, c, MEMBW_EV_UNTHROTTLE, 0, now, 0, reason);
	m->env.unthrottle(m->env.ctx, c->cpu);
}
