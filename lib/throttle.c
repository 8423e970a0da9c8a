/* SPDX-License-Identifier: MIT */
/*
 * Throttling and releasing a CPU. Two notions are kept apart: MEMBW_CPU_THROTTLED says the CPU is
 * out of budget in its current period; `held` says the runtime was told to throttle and not yet to
 * unthrottle. A CPU that ends one period throttled and starts the next one without budget thus
 * stays held without a second membw_env::throttle call.
 */
#include "counter.h"

/*
 * Channel @ch ran out at @counted events: keep counting it without interrupts (for statistics and
 * overshoot) and hold the CPU until its next period -- unless spare sharing already released
 * everyone in this period. Returns the error of re-arming the counter (the CPU is held anyway:
 * the decision rests on a count that was read).
 */
int throttle_cpu(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted, uint64_t now)
{
	int err = counter_arm(m, c, ch, counted, ARM_COUNT_ONLY, now);

	if (c->state & MEMBW_CPU_THROTTLED)
		return err; /* the other channel ran out first in this period */
	if ((c->mode & MODE_SHARING_MASK) && sharing_released(m, c)) {
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
