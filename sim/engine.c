/* SPDX-License-Identifier: MIT */
/*
 * The event loop. Between two events every core's demand is constant, so the simulator jumps from
 * event to event instead of ticking time:
 *   - timeq holds events at a time: period ticks, interrupt deliveries, kicks, compute-phase ends,
 *     clobber faults, samples;
 *   - workq holds events at a value of the global progress clock W (dram.c): a memory phase ending,
 *     a counter reaching its overflow point. Their time follows from W's current rate.
 * At each step the earlier of the two (timeq first on a tie) runs; the policy is called exactly as
 * a kernel or a hypervisor would call it, and whatever it changes (arming, throttling) marks the
 * core "dirty", so that its workq entries are recomputed once the step is over.
 *
 * Accounting is lazy and exact: a core's lines are its demand times the W elapsed since its last
 * sync, in integers, with the remainder kept (a core's traffic is never rounded away, only
 * carried).
 */
#include <stdlib.h>
#include <string.h>

#include "dram.h"
#include "internal.h"
#include "rng.h"

#define NS_PER_S 1000000000ull
#define PROGRESS_EVERY 8192u

static void push_work(struct sim *s, uint64_t w, uint32_t cpu, uint32_t kind, uint32_t gen,
		      uint32_t arg)
{
	if (sim_queue_push(&s->workq, w, cpu, kind, gen, arg) && !s->err)
		s->err = -MEMBW_ENOSPC;
}

/* W needed, past @c's last sync, for channel @ch to move @k more lines. */
static uint64_t work_for_lines(const struct sim *s, const struct sim_core *c, unsigned int ch,
			       uint64_t k)
{
	unsigned __int128 need = (unsigned __int128)k * s->line_units - c->rem[ch];
	unsigned __int128 w = need / c->demand[ch] + (need % c->demand[ch] != 0);

	return w > UINT64_MAX - s->w ? UINT64_MAX - s->w : (uint64_t)w;
}

/* Replace @c's pending phase-end or overflow-point events (whichever moved) by new ones. */
static void reschedule(struct sim *s, struct sim_core *c)
{
	uint32_t what = c->dirty;
	unsigned int ch;

	sim_sync(s, c);
	c->dirty = 0;
	if (what & DIRTY_PHASE)
		c->gen++;
	/* Lines move at a new rate (or not at all) whenever the phase changes, too. */
	c->cross_gen++;
	if (c->throttled || c->idle)
		return;
	if (sim_workload_computing(c)) {
		if (what & DIRTY_PHASE)
			sim_push_time(s, s->now + c->left / SIM_SCALE + (c->left % SIM_SCALE != 0),
				      c->idx, EV_COMPUTE_END, c->gen, 0);
		return;
	}
	if (what & DIRTY_PHASE)
		push_work(s, s->w + c->left, c->idx, WEV_PHASE_END, c->gen, 0);
	if (!c->pmu->ready)
		return;
	/* A crossing after the phase's end need not be queued: the phase end reschedules. */
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		uint64_t k, w;

		if (!c->demand[ch])
			continue;
		k = sim_pmu_until_overflow(c->pmu, ch);
		if (k == UINT64_MAX)
			continue;
		w = work_for_lines(s, c, ch, k);
		if (w < c->left)
			push_work(s, s->w + w, c->idx, WEV_CROSS, c->cross_gen, ch);
	}
}

static void flush_dirty(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->ndirty; i++)
		reschedule(s, &s->core[s->dirty[i]]);
	s->ndirty = 0;
}

static void schedule_tick(struct sim *s, struct sim_core *c, uint64_t next)
{
	uint64_t t = next + sim_rng_upto(&s->rng, s->cfg->tick_jitter_ns);

	if (s->cfg->nfaults)
		t = sim_fault_tick_time(s, c->idx, t);
	c->next_tick = next;
	sim_push_time(s, t, c->idx, EV_TICK, ++c->tick_gen, 0);
}

static void phase_end(struct sim *s, struct sim_core *c)
{
	sim_sync(s, c);
	sim_workload_next(c);
	if (c->idle && !c->finish_ns)
		c->finish_ns = s->now;
	sim_set_demand(s, c);
	sim_mark_dirty(s, c, DIRTY_PHASE | DIRTY_COUNTER);
}

static uint64_t throttled_until_now(const struct sim *s, const struct sim_core *c)
{
	return c->throttled_ns + (c->throttled ? s->now - c->throttled_at : 0);
}

static void sample(struct sim *s)
{
	size_t k = s->nsamples++;
	uint32_t i;
	unsigned int ch;

	for (i = 0; i < s->cfg->ncpus; i++) {
		struct sim_core *c = &s->core[i];
		struct sim_cpu_result *r = &s->out->cpu[i];
		struct sim_sample *x = &r->series[k];
		uint64_t thr = throttled_until_now(s, c);

		sim_sync(s, c);
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			x->lines[ch] = c->lines[ch] - c->s_lines[ch];
			c->s_lines[ch] = c->lines[ch];
		}
		x->work_ns = c->work / SIM_SCALE;
		x->throttled_ns = thr - c->s_throttled;
		c->s_throttled = thr;
		r->nseries = k + 1;
	}
}

static void run_time_event(struct sim *s, const struct sim_event *e)
{
	struct sim_core *c = &s->core[e->cpu];
	uint64_t next;

	switch (e->kind) {
	case EV_TICK:
		if (e->gen != c->tick_gen || !c->online)
			return;
		next = c->next_tick;
		membw_tick(s->m, c->idx, s->now, &next);
		/* The policy always names a period start after now; should it ever not (an
		 * error), keep the timer periodic rather than firing it in a loop. */
		if (next <= s->now)
			next = s->now + s->cfg->period_ns;
		schedule_tick(s, c, next);
		break;
	case EV_DELIVER: {
		uint32_t overflowed;

		c->delivery_pending = false;
		/* The handler reads and clears the overflow flags first, as a real one does, and
		 * tells the policy which counters they name. */
		overflowed = c->online ? sim_pmu_take_overflow(c->pmu) : 0;
		if (overflowed)
			membw_overflow_channels(s->m, c->idx, s->now, overflowed);
		break;
	}
	case EV_KICK:
		if (!c->online)
			return;
		next = c->next_tick;
		membw_kick(s->m, c->idx, s->now, &next);
		if (next != c->next_tick)
			schedule_tick(s, c, next);
		break;
	case EV_COMPUTE_END:
		if (e->gen == c->gen)
			phase_end(s, c);
		break;
	case EV_CLOBBER:
		sim_pmu_clobber(c->pmu, s->cfg->faults[e->arg].channel,
				s->cfg->faults[e->arg].value);
		break;
	case EV_SAMPLE:
		sample(s);
		if (s->now + s->cfg->period_ns < s->cfg->duration_ns)
			sim_push_time(s, s->now + s->cfg->period_ns, 0, EV_SAMPLE, 0, 0);
		break;
	}
}

static void run_work_event(struct sim *s, const struct sim_event *e)
{
	struct sim_core *c = &s->core[e->cpu];

	if (e->kind == WEV_PHASE_END) {
		phase_end(s, c);
	} else {
		/* The counter reaches its overflow point now: counting the lines raises it. */
		sim_sync(s, c);
		sim_mark_dirty(s, c, DIRTY_COUNTER);
	}
}

/* Drop entries whose core has moved on; return the live top or NULL. */
static const struct sim_event *live_time_top(struct sim *s)
{
	const struct sim_event *e;

	while ((e = sim_queue_top(&s->timeq))) {
		const struct sim_core *c = &s->core[e->cpu];

		if ((e->kind == EV_TICK && e->gen != c->tick_gen) ||
		    (e->kind == EV_COMPUTE_END && e->gen != c->gen))
			sim_queue_pop(&s->timeq);
		else
			return e;
	}
	return NULL;
}

static bool work_event_live(const struct sim_event *e, const struct sim_core *c)
{
	return e->gen == (e->kind == WEV_PHASE_END ? c->gen : c->cross_gen);
}

/* Entries that went stale but lie far ahead (a phase end a second away) would pile up: when they
 * outnumber the live ones (at most one phase end and two crossings per core) by far, drop them. */
static void compact_work(struct sim *s)
{
	struct sim_queue *q = &s->workq;
	size_t i, n = 0;

	if (q->n < 4 * (size_t)s->cfg->ncpus + 256)
		return;
	for (i = 0; i < q->n; i++)
		if (work_event_live(&q->v[i], &s->core[q->v[i].cpu]))
			q->v[n++] = q->v[i];
	sim_queue_rebuild(q, n);
}

static const struct sim_event *live_work_top(struct sim *s)
{
	const struct sim_event *e;

	compact_work(s);
	while ((e = sim_queue_top(&s->workq)) && !work_event_live(e, &s->core[e->cpu]))
		sim_queue_pop(&s->workq);
	return e;
}

static void advance(struct sim *s, uint64_t t)
{
	s->w += sim_dram_progress(t - s->now, s->demand, s->cfg->peak_bps);
	s->now = t;
}

/* The PMU's hooks into the machine. */
static void pmu_sync(void *owner, unsigned int cpu)
{
	struct sim *s = owner;

	sim_sync(s, &s->core[cpu]);
}

static void pmu_raised(void *owner, unsigned int cpu, unsigned int channel)
{
	struct sim *s = owner;
	struct sim_core *c = &s->core[cpu];

	(void)channel;
	if (s->cfg->nfaults && sim_fault_lose_interrupt(s, cpu))
		return;
	if (c->delivery_pending)
		return;
	c->delivery_pending = true;
	sim_push_time(s, s->now + s->cfg->irq_latency_ns, c->idx, EV_DELIVER, 0, 0);
}

static void pmu_changed(void *owner, unsigned int cpu)
{
	struct sim *s = owner;

	sim_mark_dirty(s, &s->core[cpu], DIRTY_COUNTER);
}

static int fail(int err, const char *text, const char **why)
{
	if (why)
		*why = text;
	return err;
}

static int set_up_policy(struct sim *s, const char **why)
{
	const struct sim_config *cfg = s->cfg;
	const struct sim_regulation *reg = &cfg->reg;
	struct membw_config mc;
	size_t size;
	uint32_t i;
	int err;

	membw_config_init(&mc);
	mc.ncpus = cfg->ncpus;
	mc.ndomains = reg->ndomains;
	mc.period_ns = cfg->period_ns;
	mc.reclaim = reg->reclaim;
	mc.sharing = reg->sharing;
	mc.levels = MEMBW_COUNT_ALL;
	if (reg->chunk_divisor)
		mc.chunk_divisor = reg->chunk_divisor;
	if (reg->min_chunk_events)
		mc.min_chunk_events = reg->min_chunk_events;
	size = membw_storage_size(mc.ncpus, mc.ndomains, membw_sim_backend.priv_size);
	s->storage = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(size));
	if (!s->storage)
		return fail(-MEMBW_ENOSPC, "out of memory", why);
	err = membw_init(&s->m, s->storage, MEMBW_ALIGN_UP(size), &mc, &membw_sim_backend, &s->pmu,
			 &s->env);
	if (err)
		return fail(err, "the policy refused the configuration (membw_init)", why);
	for (i = 0; i < reg->ndomains; i++) {
		err = membw_domain_set_budget(s->m, i, reg->budget[i][MEMBW_CH_READ],
					      reg->budget[i][MEMBW_CH_WRITE]);
		if (err)
			return fail(err, "the policy refused a budget (membw_domain_set_budget)",
				    why);
	}
	for (i = 0; i < cfg->ncpus && reg->ndomains; i++) {
		err = membw_cpu_set_domain(s->m, i, reg->domain_of[i]);
		if (err)
			return fail(err, "the policy refused a CPU's domain (membw_cpu_set_domain)",
				    why);
	}
	return 0;
}

static int start(struct sim *s, const char **why)
{
	const struct sim_config *cfg = s->cfg;
	uint32_t i;
	int err;

	s->core = calloc(cfg->ncpus, sizeof(*s->core));
	s->dirty = calloc(cfg->ncpus, sizeof(*s->dirty));
	s->fault_used = calloc(cfg->nfaults + 1, sizeof(*s->fault_used));
	s->out->cpu = calloc(cfg->ncpus, sizeof(*s->out->cpu));
	if (!s->core || !s->dirty || !s->fault_used || !s->out->cpu)
		return fail(-MEMBW_ENOSPC, "out of memory", why);
	s->out->ncpus = cfg->ncpus;
	if (cfg->record_series) {
		size_t n = (size_t)(cfg->duration_ns / cfg->period_ns +
				    (cfg->duration_ns % cfg->period_ns != 0));

		for (i = 0; i < cfg->ncpus; i++) {
			s->out->cpu[i].series = calloc(n, sizeof(struct sim_sample));
			if (!s->out->cpu[i].series)
				return fail(-MEMBW_ENOSPC, "out of memory", why);
			s->out->cpu[i].nseries = 0;
		}
	}
	s->line_units = (uint64_t)cfg->line_size * NS_PER_S * SIM_SCALE;
	s->rng = cfg->seed;
	s->pmu = (struct sim_pmu){ .channels = cfg->channels, .counter_bits = cfg->counter_bits,
				   .line_size = cfg->line_size, .sync = pmu_sync,
				   .raised = pmu_raised, .changed = pmu_changed, .owner = s,
				   .arm_window_lines = cfg->arm_window_lines,
				   .rearm_as_arm = cfg->rearm_as_arm };
	sim_runtime_init(s);
	for (i = 0; i < cfg->ncpus; i++) {
		struct sim_core *c = &s->core[i];

		c->idx = i;
		c->wl = &cfg->workloads[i];
		sim_workload_start(c);
		sim_set_demand(s, c);
	}
	err = set_up_policy(s, why);
	if (err)
		return err;
	for (i = 0; i < cfg->ncpus; i++) {
		struct sim_core *c = &s->core[i];
		uint64_t next = 0;

		c->pmu = membw_cpu_get_priv(s->m, i);
		err = membw_cpu_online(s->m, i, 0, &next);
		if (err)
			return fail(err, "a CPU did not come online (membw_cpu_online)", why);
		c->online = true;
		schedule_tick(s, c, next);
		sim_mark_dirty(s, c, DIRTY_PHASE | DIRTY_COUNTER);
	}
	flush_dirty(s);
	if (cfg->record_series)
		sim_push_time(s, cfg->period_ns, 0, EV_SAMPLE, 0, 0);
	err = sim_fault_schedule(s);
	return err ? fail(err, "out of memory", why) : 0;
}

static void finish(struct sim *s)
{
	uint32_t i;
	unsigned int ch;

	advance(s, s->cfg->duration_ns);
	if (s->cfg->record_series && s->nsamples < s->cfg->duration_ns / s->cfg->period_ns +
				      (s->cfg->duration_ns % s->cfg->period_ns != 0))
		sample(s);
	for (i = 0; i < s->cfg->ncpus; i++) {
		struct sim_core *c = &s->core[i];
		struct sim_cpu_result *r = &s->out->cpu[i];

		membw_cpu_offline(s->m, i, s->now);
		c->online = false;
		sim_sync(s, c);
		/* Traffic, including what counters counted in read-to-arm windows. */
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
			r->lines[ch] = c->lines[ch] + c->pmu->ctr[ch].window_lines;
		r->work_ns = c->work / SIM_SCALE;
		r->finish_ns = c->finish_ns;
		r->throttled_ns = throttled_until_now(s, c);
		r->stats.size = sizeof(r->stats);
		membw_cpu_get_stats(s->m, i, &r->stats);
	}
	s->out->end_ns = s->now;
}

static void loop(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	uint64_t n = 0;

	for (;;) {
		const struct sim_event *te = live_time_top(s), *we = live_work_top(s);
		uint64_t tt = te ? te->key : UINT64_MAX, tw = UINT64_MAX;
		struct sim_event e;

		if (we) {
			uint64_t dt = we->key <= s->w ? 0
						      : sim_dram_time_for(we->key - s->w, s->demand,
									  cfg->peak_bps);

			tw = dt > UINT64_MAX - s->now ? UINT64_MAX : s->now + dt;
		}
		if ((tt < tw ? tt : tw) >= cfg->duration_ns || s->err)
			break;
		if (tt <= tw) {
			e = *te;
			sim_queue_pop(&s->timeq);
			advance(s, tt);
			run_time_event(s, &e);
		} else {
			e = *we;
			sim_queue_pop(&s->workq);
			advance(s, tw);
			run_work_event(s, &e);
		}
		flush_dirty(s);
		if (++n % PROGRESS_EVERY == 0 && cfg->on_progress)
			cfg->on_progress(cfg->progress_ctx, s->now);
	}
	s->out->events = n;
}

void sim_result_free(struct sim_result *res)
{
	uint32_t i;

	if (!res->cpu)
		return;
	for (i = 0; i < res->ncpus; i++)
		free(res->cpu[i].series);
	free(res->cpu);
	memset(res, 0, sizeof(*res));
}

int sim_run(const struct sim_config *cfg, struct sim_result *out, char *buf, size_t len,
	    const char **why)
{
	struct sim s;
	int err;

	memset(out, 0, sizeof(*out));
	err = sim_validate(cfg, buf, len, why);
	if (err)
		return err;
	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.out = out;
	err = start(&s, why);
	if (!err) {
		loop(&s);
		err = s.err;
		if (err)
			fail(err, "out of memory", why);
	}
	if (!err)
		finish(&s);
	free(s.core);
	free(s.dirty);
	free(s.fault_used);
	free(s.storage);
	sim_queue_free(&s.timeq);
	sim_queue_free(&s.workq);
	if (err)
		sim_result_free(out);
	return err;
}
