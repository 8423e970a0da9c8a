/* SPDX-License-Identifier: MIT */
#include "fixture.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

static void on_throttle(void *ctx, unsigned int cpu)
{
	struct fx *f = ctx;

	if (f->cpu[cpu].held)
		f->cpu[cpu].bad_calls++;
	f->cpu[cpu].held = true;
	f->cpu[cpu].throttle_calls++;
}

static void on_unthrottle(void *ctx, unsigned int cpu)
{
	struct fx *f = ctx;

	if (!f->cpu[cpu].held)
		f->cpu[cpu].bad_calls++;
	f->cpu[cpu].held = false;
	f->cpu[cpu].unthrottle_calls++;
}

static void on_kick_all(void *ctx, unsigned int from_cpu)
{
	struct fx *f = ctx;
	unsigned int i;

	(void)from_cpu;
	f->kick_all_calls++;
	for (i = 0; i < f->cfg.ncpus; i++)
		f->cpu[i].kick_pending = true;
}

static void on_trace(void *ctx, const struct membw_trace_record *ev)
{
	struct fx *f = ctx;

	trace_log_append(&f->log, ev);
}

void fx_config(struct fx *f, unsigned int ncpus, unsigned int ndomains)
{
	memset(f, 0, sizeof(*f));
	tb_defaults(&f->tb);
	membw_config_init(&f->cfg);
	f->cfg.ncpus = ncpus;
	f->cfg.ndomains = ndomains;
	f->env.size = sizeof(f->env);
	f->env.ctx = f;
	f->env.throttle = on_throttle;
	f->env.unthrottle = on_unthrottle;
	f->env.kick_all = on_kick_all;
	f->env.trace = on_trace;
	f->be = &tb_backend;
	f->now = 1000 * MEMBW_PERIOD_DEFAULT_NS; /* period 1000 starts: not at 0, to catch bugs */
}

int fx_start(struct fx *f)
{
	size_t size = membw_storage_size(f->cfg.ncpus, f->cfg.ndomains, f->be->priv_size);

	if (!size)
		return -MEMBW_EINVAL;
	f->storage = aligned_alloc(MEMBW_STORAGE_ALIGN, (size + 63) & ~(size_t)63);
	if (!f->storage)
		abort();
	return membw_init(&f->m, f->storage, size, &f->cfg, f->be, &f->tb, &f->env);
}

int fx_online_all(struct fx *f)
{
	unsigned int cpu;
	int err;

	for (cpu = 0; cpu < f->cfg.ncpus; cpu++) {
		err = membw_cpu_online(f->m, cpu, f->now, &f->cpu[cpu].next_tick);
		if (err)
			return err;
	}
	return 0;
}

void fx_one_domain(struct fx *f, uint64_t read_bps)
{
	unsigned int cpu;

	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f->m, 0, read_bps, MEMBW_UNLIMITED), 0);
	for (cpu = 0; cpu < f->cfg.ncpus; cpu++)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f->m, cpu, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(f), 0);
}

void fx_stop(struct fx *f)
{
	free(f->storage);
	f->storage = NULL;
	trace_log_free(&f->log);
}

int fx_deliver(struct fx *f, unsigned int cpu)
{
	if (!tb_take_overflow(f->m, cpu))
		return 0;
	return membw_overflow(f->m, cpu, f->now);
}

int fx_count(struct fx *f, unsigned int cpu, unsigned int ch, uint64_t n)
{
	tb_count(f->m, cpu, ch, n);
	return fx_deliver(f, cpu);
}

int fx_deliver_kicks(struct fx *f)
{
	unsigned int cpu;
	int err = 0, e;

	for (cpu = 0; cpu < f->cfg.ncpus; cpu++) {
		if (!f->cpu[cpu].kick_pending)
			continue;
		f->cpu[cpu].kick_pending = false;
		e = membw_kick(f->m, cpu, f->now, &f->cpu[cpu].next_tick);
		if (e && e != -MEMBW_ENODEV)
			err = e;
	}
	return err;
}

int fx_next_period(struct fx *f)
{
	unsigned int cpu;
	int err = 0, e;

	f->now = (f->now / f->cfg.period_ns + 1) * f->cfg.period_ns;
	for (cpu = 0; cpu < f->cfg.ncpus; cpu++) {
		struct membw_cpu_stats s = fx_stats(f, cpu);

		if (!(s.state & MEMBW_CPU_ONLINE))
			continue;
		e = membw_tick(f->m, cpu, f->now, &f->cpu[cpu].next_tick);
		if (e)
			err = e;
	}
	e = fx_deliver_kicks(f);
	return err ? err : e;
}

struct membw_cpu_stats fx_stats(struct fx *f, unsigned int cpu)
{
	struct membw_cpu_stats s = { .size = sizeof(s) };

	CU_ASSERT_EQUAL_FATAL(membw_cpu_get_stats(f->m, cpu, &s), 0);
	return s;
}

size_t fx_events(const struct fx *f, uint32_t type, int cpu)
{
	return trace_log_count(&f->log, type, cpu);
}

const struct membw_trace_record *fx_last(const struct fx *f, uint32_t type, unsigned int cpu,
				  unsigned int ch)
{
	size_t i;

	for (i = f->log.n; i-- > 0;)
		if (f->log.rec[i].type == type && f->log.rec[i].cpu == cpu &&
		    f->log.rec[i].channel == ch)
			return &f->log.rec[i];
	return NULL;
}

const struct membw_trace_record *fx_must_last(const struct fx *f, uint32_t type, unsigned int cpu,
				       unsigned int ch)
{
	static const struct membw_trace_record none;
	const struct membw_trace_record *ev = fx_last(f, type, cpu, ch);

	CU_ASSERT_PTR_NOT_NULL(ev);
	return ev ? ev : &none;
}

static bool matches(const struct membw_trace_record *ev, uint32_t type, uint32_t source,
		    unsigned int cpu, unsigned int ch, uint64_t epoch)
{
	return ev->type == type && (source == FX_ANY_SOURCE || ev->source == source) &&
	       ev->cpu == cpu && ev->channel == ch && ev->epoch == epoch;
}

uint64_t fx_sum_in(const struct fx *f, uint32_t type, uint32_t source, unsigned int cpu,
		   unsigned int ch, uint64_t epoch)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < f->log.n; i++)
		if (matches(&f->log.rec[i], type, source, cpu, ch, epoch))
			sum += f->log.rec[i].amount;
	return sum;
}

size_t fx_count_in(const struct fx *f, uint32_t type, uint32_t source, unsigned int cpu,
		   unsigned int ch, uint64_t epoch)
{
	size_t i, n = 0;

	for (i = 0; i < f->log.n; i++)
		n += matches(&f->log.rec[i], type, source, cpu, ch, epoch);
	return n;
}

struct membw_domain_stats fx_domain_stats(struct fx *f, uint32_t domain)
{
	struct membw_domain_stats d = { .size = sizeof(d) };

	CU_ASSERT_EQUAL_FATAL(membw_domain_get_stats(f->m, domain, &d), 0);
	return d;
}

uint64_t fx_granted(const struct fx *f, uint32_t source, unsigned int cpu, unsigned int ch)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < f->log.n; i++)
		if (f->log.rec[i].type == MEMBW_TRACE_GRANT && f->log.rec[i].source == source &&
		    f->log.rec[i].cpu == cpu && f->log.rec[i].channel == ch)
			sum += f->log.rec[i].amount;
	return sum;
}

uint64_t fx_events_for(const struct fx *f, uint64_t bytes_per_s)
{
	/* Independent of membw_bps_to_events: 128-bit arithmetic straight from the definition. */
	unsigned __int128 bytes = (unsigned __int128)bytes_per_s * f->cfg.period_ns / 1000000000u;

	return (uint64_t)(bytes / f->tb.line_size);
}
