/* SPDX-License-Identifier: MIT */
/*
 * The runtime the policy sees (struct membw_env), as a hypervisor or kernel would provide it:
 * throttle parks the core (it issues no memory requests and makes no progress) until unthrottle;
 * kick_all sends every online core an inter-processor interrupt that arrives ipi_latency later and
 * runs membw_kick there (never from inside kick_all); the trace hook gathers per-period figures.
 */
#include "internal.h"

static void on_throttle(void *ctx, unsigned int cpu)
{
	struct sim *s = ctx;
	struct sim_core *c = &s->core[cpu];

	sim_sync(s, c);
	c->throttled = true;
	c->throttled_at = s->now;
	sim_set_demand(s, c);
	sim_mark_dirty(s, c, DIRTY_PHASE | DIRTY_COUNTER);
}

static void on_unthrottle(void *ctx, unsigned int cpu)
{
	struct sim *s = ctx;
	struct sim_core *c = &s->core[cpu];

	sim_sync(s, c);
	if (c->throttled)
		c->throttled_ns += s->now - c->throttled_at;
	c->throttled = false;
	sim_set_demand(s, c);
	sim_mark_dirty(s, c, DIRTY_PHASE | DIRTY_COUNTER);
}

static void on_kick_all(void *ctx, unsigned int from_cpu)
{
	struct sim *s = ctx;
	uint32_t i;

	(void)from_cpu;
	for (i = 0; i < s->cfg->ncpus; i++)
		if (s->core[i].online)
			sim_push_time(s, s->now + s->cfg->ipi_latency_ns, i, EV_KICK, 0, 0);
}

/*
 * A period's largest use, and its largest overshoot as a regulation error: past the allowance,
 * but not what spare sharing let the CPU do after releasing it (then only the part counted before
 * its throttle is).
 */
static void account_period(struct sim_core *c, struct sim_cpu_result *r,
			   const struct membw_trace_record *ev)
{
	unsigned int ch = ev->channel;
	uint64_t over, used;

	switch (ev->type) {
	case MEMBW_TRACE_THROTTLE:
		if (!c->spare_released[ch] && ev->used > ev->allowance &&
		    ev->used - ev->allowance > c->throttle_over[ch])
			c->throttle_over[ch] = ev->used - ev->allowance;
		break;
	case MEMBW_TRACE_UNTHROTTLE:
		if (ev->source == MEMBW_RELEASE_SPARE)
			c->spare_released[MEMBW_CH_READ] = c->spare_released[MEMBW_CH_WRITE] = true;
		break;
	case MEMBW_TRACE_PERIOD_END:
		used = ev->used / (ev->periods ? ev->periods : 1);
		if (used > r->max_period_used[ch])
			r->max_period_used[ch] = used;
		over = c->spare_released[ch] ? c->throttle_over[ch] : ev->overshoot;
		if (over > r->max_overshoot)
			r->max_overshoot = over;
		c->spare_released[ch] = false;
		c->throttle_over[ch] = 0;
		break;
	default:
		break;
	}
}

static void on_trace(void *ctx, const struct membw_trace_record *ev)
{
	struct sim *s = ctx;

	if (ev->cpu < s->cfg->ncpus && ev->channel < MEMBW_NCHANNELS)
		account_period(&s->core[ev->cpu], &s->out->cpu[ev->cpu], ev);
	if (s->cfg->on_trace)
		s->cfg->on_trace(s->cfg->trace_ctx, ev);
}

void sim_runtime_init(struct sim *s)
{
	s->env = (struct membw_env){
		.size = sizeof(s->env),
		.ctx = s,
		.throttle = on_throttle,
		.unthrottle = on_unthrottle,
		.kick_all = on_kick_all,
		.trace = on_trace,
	};
}
