/* SPDX-License-Identifier: MIT */
/*
 * Throttling and releasing a CPU. Two notions are kept apart: MEMBW_CPU_THROTTLED says the CPU is
 * out of budget in its current period; `held` says the runtime was told to throttle and not yet to
 * unthrottle. A CPU that ends one period throttled and starts the next one without budget thus
 * stays held without a second membw_env::throttle call.
 */
#include "throttle.h"

int throttle_cpu(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted, uint64_t now)
{
	return throttle_hold(m, c, ch, counted, now, false);
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
	if (tracing(m))
		trace_state(m, c, MEMBW_TRACE_UNTHROTTLE, 0, now, 0, reason);
	release_held(m, c);
}
