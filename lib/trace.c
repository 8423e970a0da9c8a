/* SPDX-License-Identifier: MIT */
/* Trace events for the runtime's optional hook. Only reached when tracing() is true. */
#include "internal.h"

static void trace_fill(struct membw_trace_record *ev, const struct cpu *c, uint32_t type, unsigned int ch,
		       uint64_t now)
{
	const struct channel *chan = &c->ch[ch];

	ev->type = type;
	ev->cpu = c->cpu;
	ev->domain = c->domain;
	ev->channel = ch;
	ev->now_ns = now;
	ev->epoch = c->epoch;
	ev->used = 0;
	ev->allowance = chan->limited ? chan->allow : 0;
	ev->overshoot = 0;
	ev->amount = 0;
	ev->shortfall = 0;
	ev->source = 0;
	ev->periods = 0;
}

void trace_period_end(const struct membw *m, const struct cpu *c, unsigned int ch, uint64_t now,
		      uint64_t used, uint64_t overshoot, uint64_t periods)
{
	struct membw_trace_record ev;

	trace_fill(&ev, c, MEMBW_TRACE_PERIOD_END, ch, now);
	ev.used = used;
	ev.overshoot = overshoot;
	ev.periods = (uint32_t)(periods > 0xFFFFFFFFu ? 0xFFFFFFFFu : periods);
	m->env.trace(m->env.ctx, &ev);
}

void trace_amount(const struct membw *m, const struct cpu *c, uint32_t type, unsigned int ch,
		  uint64_t now, uint64_t amount, uint32_t source, uint64_t shortfall)
{
	struct membw_trace_record ev;

	trace_fill(&ev, c, type, ch, now);
	ev.amount = amount;
	ev.source = source;
	ev.shortfall = shortfall;
	m->env.trace(m->env.ctx, &ev);
}

void trace_state(const struct membw *m, const struct cpu *c, uint32_t type, unsigned int ch,
		 uint64_t now, uint64_t used, uint32_t source)
{
	struct membw_trace_record ev;

	trace_fill(&ev, c, type, ch, now);
	ev.used = used;
	ev.source = source;
	m->env.trace(m->env.ctx, &ev);
}

void trace_anomaly(const struct membw *m, const struct cpu *c, unsigned int ch, uint64_t now,
		   uint32_t kind, uint64_t detail)
{
	struct membw_trace_record ev;

	trace_fill(&ev, c, MEMBW_TRACE_ANOMALY, ch, now);
	ev.source = kind;
	ev.amount = detail;
	m->env.trace(m->env.ctx, &ev);
}
