/* SPDX-License-Identifier: MIT */
/* Statistics: atomic snapshots of per-CPU counters, and per-domain sums over member CPUs. */
#include "internal.h"

static void totals_add(struct membw_totals *sum, const struct membw_totals *t)
{
	unsigned int ch;

	sum->periods += load_relaxed(&t->periods);
	sum->missed_periods += load_relaxed(&t->missed_periods);
	sum->throttle_count += load_relaxed(&t->throttle_count);
	sum->throttled_ns += load_relaxed(&t->throttled_ns);
	sum->spurious_overflows += load_relaxed(&t->spurious_overflows);
	sum->early_ticks += load_relaxed(&t->early_ticks);
	sum->anomalies += load_relaxed(&t->anomalies);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		const struct membw_channel_stats *c = &t->ch[ch];
		struct membw_channel_stats *s = &sum->ch[ch];

		s->used += load_relaxed(&c->used);
		s->budget += load_relaxed(&c->budget);
		s->allowance += load_relaxed(&c->allowance);
		s->donated += load_relaxed(&c->donated);
		s->reclaimed += load_relaxed(&c->reclaimed);
		s->borrowed += load_relaxed(&c->borrowed);
		s->overshoot += load_relaxed(&c->overshoot);
		s->shortfall += load_relaxed(&c->shortfall);
	}
}

static void totals_zero(struct membw_totals *t)
{
	unsigned char *p = (unsigned char *)t;
	size_t n = sizeof(*t);

	while (n--)
		*p++ = 0;
}

int membw_cpu_get_stats(const struct membw *m, uint32_t cpu, struct membw_cpu_stats *out)
{
	struct membw_cpu_stats snap;
	const struct cpu *c;

	if (cpu_bad(m, cpu) || !out || out->size < sizeof(snap))
		return -MEMBW_EINVAL;
	c = cpu_at(m, cpu);
	snap.size = sizeof(snap);
	snap.domain = load32_relaxed(&c->domain);
	snap.reserved = 0;
	snap.state = load32_relaxed(&c->state);
	snap.epoch = load_relaxed(&c->epoch);
	totals_zero(&snap.totals);
	totals_add(&snap.totals, &c->stats);
	copy_bytes(out, &snap, sizeof(snap));
	return 0;
}

int membw_domain_get_stats(const struct membw *m, uint32_t domain, struct membw_domain_stats *out)
{
	struct membw_domain_stats snap;
	const struct domain *d;
	uint64_t budget;
	unsigned int cpu, ch;

	if (!m || m->magic != MEMBW_MAGIC || domain >= m->ndomains || !out ||
	    out->size < sizeof(snap))
		return -MEMBW_EINVAL;
	d = &m->domains[domain];
	snap.size = sizeof(snap);
	snap.ncpus = 0;
	snap.nonline = load32_relaxed(&d->nonline);
	snap.reserved = 0;
	if (!domain_budget_read(d, snap.budget_bps, &budget))
		return -MEMBW_EAGAIN;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		uint64_t events = budget_events(budget, ch);

		snap.budget_events[ch] = events == EVENTS_UNLIMITED ? U64_ALL : events;
	}
	totals_zero(&snap.totals);
	for (cpu = 0; cpu < m->ncpus; cpu++) {
		const struct cpu *c = cpu_at(m, cpu);

		if ((uint32_t)load_acquire(&c->assignment) != domain)
			continue;
		snap.ncpus++;
		totals_add(&snap.totals, &c->stats);
	}
	copy_bytes(out, &snap, sizeof(snap));
	return 0;
}
