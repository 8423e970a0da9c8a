/* SPDX-License-Identifier: MIT */
/*
 * Domains of several CPUs sharing one budget, reclaim off: the domain's budget sits in a pool
 * refilled once per period, and its n online members take chunks of budget / (n * chunk_divisor)
 * events (min_chunk_events at least; the whole budget for a domain of one). At period start a
 * member takes no more than its predicted need, p + max(p / 8, min_chunk_events) with p the
 * EWMA of its use (policy.h), so an idle member leaves its part in the pool. A CPU is throttled
 * only when the pool of its period is empty.
 *
 * Budget used throughout unless a test says otherwise: 64 MB/s at 1 ms with 64-byte lines
 * = 64e6 * 1e-3 / 64 = 1000 lines per period. With 2 members and the default divisor 4, a chunk
 * is 1000 / (2 * 4) = 125 lines.
 *
 * A member that joins while another member of its domain is already in the period finds the
 * pool of that period taken (the first one was a domain of one when it started it), so every
 * test lets one period pass after bringing CPUs online and measures from the next one. In that
 * period nobody counts anything, so every prediction is p = 0 and every member starts the next
 * period with its predicted need 0 + max(0 / 8, 16) = 16 lines.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "fixture.h"

#define RATE_1000 64000000ull  /* 1000 lines per period */
#define RATE_2000 128000000ull /* 2000 lines per period */

static struct fx f;

/* @ncpus CPUs and @ndomains domains; CPU i in domain dom[i]; domain d with read budget rd[d],
 * write budget wr[d]; all online, then one period passes. */
static void start(unsigned int ncpus, unsigned int ndomains, const uint32_t *dom,
		  const uint64_t *rd, const uint64_t *wr)
{
	unsigned int i;

	fx_config(&f, ncpus, ndomains);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < ndomains; i++)
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, rd[i],
							      wr ? wr[i] : MEMBW_UNLIMITED), 0);
	for (i = 0; i < ncpus; i++)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, dom[i]), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL_FATAL(fx_next_period(&f), 0);
}

/* Two CPUs in domain 0 with read budget @bps. */
static void start_pair(uint64_t bps)
{
	static const uint32_t dom[] = { 0, 0 };
	const uint64_t rd[] = { bps };

	start(2, 1, dom, rd, NULL);
}

static const struct membw_trace_record none_ev;

/* First GRANT event of @source on @cpu/@ch in period @epoch (a failure and a zeroed event if
 * there is none). */
static const struct membw_trace_record *first_grant(uint32_t source, unsigned int cpu, unsigned int ch,
					     uint64_t epoch)
{
	const struct membw_trace_record *ev;
	size_t i;

	for (i = 0; i < f.log.n; i++) {
		ev = &f.log.rec[i];
		if (ev->type == MEMBW_TRACE_GRANT && ev->source == source && ev->cpu == cpu &&
		    ev->channel == ch && ev->epoch == epoch)
			return ev;
	}
	CU_FAIL("no such grant");
	return &none_ev;
}

/* Count on @cpu/@ch in steps of @step until the CPU is held or @limit is reached; returns the
 * events counted. */
static uint64_t run_until_held(unsigned int cpu, unsigned int ch, uint64_t step, uint64_t limit)
{
	uint64_t n = 0;

	while (!f.cpu[cpu].held && n < limit) {
		CU_ASSERT_EQUAL(fx_count(&f, cpu, ch, step), 0);
		n += step;
	}
	return n;
}

static void test_first_chunk_is_budget_over_n_times_divisor(void)
{
	uint64_t e;

	start_pair(RATE_1000);
	e = fx_stats(&f, 0).epoch;
	/* both used nothing last period: the first grant is the predicted need, 16 */
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e)->amount, 16);
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e)->amount, 16);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 16);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 16);
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e)->domain, 0);
	/* the next grant is a chunk: 1000 / (2 * 4) = 125 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 125);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 2);
	fx_stop(&f);
}

/* A member that was busy starts its period with a chunk: its need is above one. */
static void test_busy_member_starts_with_a_chunk(void)
{
	start_pair(RATE_1000);
	/* CPU 0 uses 984 lines (everything but CPU 1's 16): p = 0 + (984 - 0) / 4 = 246 */
	run_until_held(0, MEMBW_CH_READ, 8, 10000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* need 246 + max(246 / 8, 16) = 276 > chunk 125: starts with 125 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 125);
	/* CPU 1 used nothing again: p = 0, need 16 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 16);
	fx_stop(&f);
}

static void test_chunk_of_three_members(void)
{
	static const uint32_t dom[] = { 0, 0, 0 };
	/* 1200 lines = 1200 * 64 B / 1 ms = 76.8 MB/s; chunk 1200 / (3 * 4) = 100 */
	static const uint64_t rd[] = { 76800000ull };

	start(3, 1, dom, rd, NULL);
	/* each starts with its need, 16; the chunk comes with the first overflow */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 2, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 100);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 100);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 2)->armed[MEMBW_CH_READ], 100);
	fx_stop(&f);
}

/* A new budget with the same members gives chunks of the new budget (each CPU keeps its chunk
 * for its member count until its budget changes: lib/grant.h, grant_pool_chunk()). */
static void test_chunk_follows_a_new_budget(void)
{
	start_pair(RATE_1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 125);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, RATE_2000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* CPU 1 used nothing: it starts with 16 again; CPU 0's chunk is 2000 / (2 * 4) = 250 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 16);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 250);
	fx_stop(&f);
}

static void test_chunk_divisor_from_config(void)
{
	fx_config(&f, 2, 1);
	f.cfg.chunk_divisor = 2;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	fx_one_domain(&f, RATE_1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* after the first grant of 16: chunks of 1000 / (2 * 2) = 250 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 250);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 250);
	fx_stop(&f);
}

static void test_busy_cpu_uses_what_idle_one_leaves(void)
{
	uint64_t e;
	int i;

	start_pair(RATE_1000);
	e = fx_stats(&f, 0).epoch;
	/* pool 1000 - 16 - 16 = 968 after both first grants; from the first overflow (at 16) CPU 0
	 * takes chunks of 125: seven of them (875, at 16, 141, ..., 766) leave 93, which it takes at
	 * 891, and it stops at 16 + 875 + 93 = 984 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 16), 0);
	for (i = 0; i < 7; i++)
		CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 125), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 92), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 984);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 984);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 1 + 7 + 1);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e), 16);
	/* sum of the period's pool grants: 984 + 16 = 1000, the whole budget */
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e) +
				fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e),
			1000);
	/* the pool is empty: CPU 1 stops at its first grant */
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e), 16);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->allowance, 984);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->overshoot, 0);
	fx_stop(&f);
}

/* Both CPUs busy for several periods, counting @step at a time in turn (a step that does not
 * divide the chunk makes the interrupt late, so grants cover overshoot): every period the pool
 * hands out exactly the budget, and no CPU gets more. */
static void both_busy(uint64_t step)
{
	unsigned int p, cpu;

	start_pair(RATE_1000);
	for (p = 0; p < 5; p++) {
		uint64_t e = fx_stats(&f, 0).epoch, g0, g1, n = 0;

		while ((!f.cpu[0].held || !f.cpu[1].held) && n < 100000) {
			for (cpu = 0; cpu < 2; cpu++)
				if (!f.cpu[cpu].held)
					CU_ASSERT_EQUAL(fx_count(&f, cpu, MEMBW_CH_READ, step), 0);
			n += step;
		}
		CU_ASSERT_TRUE(f.cpu[0].held && f.cpu[1].held);
		g0 = fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e);
		g1 = fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e);
		CU_ASSERT_TRUE(g0 <= 1000);
		CU_ASSERT_TRUE(g1 <= 1000);
		/* both were throttled, so the pool is empty: 1000 handed out in all */
		CU_ASSERT_EQUAL(g0 + g1, 1000);
		CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	}
	fx_stop(&f);
}

static void test_both_busy_never_exceed_budget(void)
{
	/* 25 divides 125: zero latency, each CPU throttled exactly at its allowance */
	both_busy(25);
	CU_ASSERT_EQUAL(f.cpu[0].bad_calls + f.cpu[1].bad_calls, 0);
}

static void test_both_busy_late_interrupts_never_exceed_budget(void)
{
	both_busy(40);
}

static void test_both_busy_use_is_exact(void)
{
	struct membw_cpu_stats a, b;

	start_pair(RATE_1000);
	a = fx_stats(&f, 0);
	b = fx_stats(&f, 1);
	while (!f.cpu[0].held || !f.cpu[1].held) {
		if (!f.cpu[0].held)
			fx_count(&f, 0, MEMBW_CH_READ, 25);
		if (!f.cpu[1].held)
			fx_count(&f, 1, MEMBW_CH_READ, 25);
	}
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* with steps of 25 every arm point is hit exactly: 1000 counted in all, no overshoot */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used - a.totals.ch[0].used +
				fx_stats(&f, 1).totals.ch[0].used - b.totals.ch[0].used,
			1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].overshoot, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[0].overshoot, 0);
	fx_stop(&f);
}

static void test_domain_of_one_gets_budget_in_one_chunk(void)
{
	static const uint32_t dom[] = { 0 };
	static const uint64_t rd[] = { RATE_1000 };
	uint64_t e;
	int p;

	start(1, 1, dom, rd, NULL);
	for (p = 0; p < 3; p++) {
		e = fx_stats(&f, 0).epoch;
		CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 1);
		CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 1000);
		CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
		CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	}
	/* two arms at online (a count-only arm proving the counter works, then the period's), then
	 * one per period: 2 + 1 (start's period) + 3 = 6 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->arms[MEMBW_CH_READ], 6);
	/* and the one chunk is all there is */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, fx_stats(&f, 0).epoch), 1);
	fx_stop(&f);
}

static void test_one_online_member_gets_whole_budget(void)
{
	fx_config(&f, 2, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 1, 0), 0);
	/* only CPU 0 comes online: the domain has one online member */
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, &f.cpu[0].next_tick), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	fx_stop(&f);
}

static void test_min_chunk_floor(void)
{
	uint64_t e;

	/* 64 lines = 64 * 64 B / 1 ms = 4.096 MB/s; 64 / (2 * 4) = 8 < 16 = min_chunk_events */
	start_pair(4096000ull);
	e = fx_stats(&f, 0).epoch;
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e)->amount, 16);
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e)->amount, 16);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 16);
	/* the pool keeps 64 - 16 - 16 = 32: CPU 0 takes it 16 at a time, 16 + 32 = 48 in
	 * 3 grants */
	CU_ASSERT_EQUAL(run_until_held(0, MEMBW_CH_READ, 16, 1000), 48);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 3);
	fx_stop(&f);
}

static void test_min_chunk_from_config(void)
{
	fx_config(&f, 2, 1);
	f.cfg.min_chunk_events = 300;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	fx_one_domain(&f, RATE_1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* 1000 / 8 = 125 < 300: chunks of 300 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 300);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 300);
	/* CPU 0 gets what is left: 1000 - 300 - 300 = 400, i.e. allowance 700, with the last
	 * chunk cut to the pool's 100 */
	CU_ASSERT_EQUAL(run_until_held(0, MEMBW_CH_READ, 100, 10000), 700);
	fx_stop(&f);
}

static void test_domain_stats_sum_members(void)
{
	static const uint32_t dom[] = { 0, 0, 1 };
	static const uint64_t rd[] = { RATE_1000, RATE_1000 };
	static const uint64_t wr[] = { RATE_2000, MEMBW_UNLIMITED };
	struct membw_cpu_stats c0, c1;
	struct membw_domain_stats d;
	unsigned int ch;

	start(3, 2, dom, rd, wr);
	/* CPU 0: 300 reads, 100 write-backs; CPU 1: reads until the pool runs dry; CPU 2 (the other
	 * domain) 500 reads */
	fx_count(&f, 0, MEMBW_CH_READ, 300);
	fx_count(&f, 0, MEMBW_CH_WRITE, 100);
	/* CPU 0's 300 arrive in one go: the interrupt raised at 125 is seen at 300, so it is
	 * granted the deficit plus a chunk, 300 - 125 + 125 = 300 (425 in all). The pool keeps
	 * 1000 - 425 - 125 (CPU 1's first chunk) = 450, so CPU 1 stops at 125 + 450 = 575 */
	CU_ASSERT_EQUAL(run_until_held(1, MEMBW_CH_READ, 25, 10000), 575);
	fx_count(&f, 2, MEMBW_CH_READ, 500);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);

	d = fx_domain_stats(&f, 0);
	c0 = fx_stats(&f, 0);
	c1 = fx_stats(&f, 1);
	CU_ASSERT_EQUAL(d.ncpus, 2);
	CU_ASSERT_EQUAL(d.nonline, 2);
	CU_ASSERT_EQUAL(d.budget_bps[MEMBW_CH_READ], RATE_1000);
	CU_ASSERT_EQUAL(d.budget_bps[MEMBW_CH_WRITE], RATE_2000);
	CU_ASSERT_EQUAL(d.budget_events[MEMBW_CH_READ], 1000);
	/* 128e6 * 1e-3 / 64 = 2000 */
	CU_ASSERT_EQUAL(d.budget_events[MEMBW_CH_WRITE], 2000);
	/* two periods closed on each of the two members: 2 + 2 */
	CU_ASSERT_EQUAL(d.totals.periods, 4);
	/* 300 + 575 reads, 100 write-backs; CPU 2's 500 is not in domain 0 */
	CU_ASSERT_EQUAL(d.totals.ch[MEMBW_CH_READ].used, 875);
	CU_ASSERT_EQUAL(d.totals.ch[MEMBW_CH_WRITE].used, 100);
	/* every counter is the members' sum */
	CU_ASSERT_EQUAL(d.totals.periods, c0.totals.periods + c1.totals.periods);
	CU_ASSERT_EQUAL(d.totals.missed_periods,
			c0.totals.missed_periods + c1.totals.missed_periods);
	CU_ASSERT_EQUAL(d.totals.throttle_count,
			c0.totals.throttle_count + c1.totals.throttle_count);
	CU_ASSERT_EQUAL(d.totals.throttled_ns, c0.totals.throttled_ns + c1.totals.throttled_ns);
	CU_ASSERT_EQUAL(d.totals.spurious_overflows,
			c0.totals.spurious_overflows + c1.totals.spurious_overflows);
	CU_ASSERT_EQUAL(d.totals.early_ticks, c0.totals.early_ticks + c1.totals.early_ticks);
	CU_ASSERT_EQUAL(d.totals.anomalies, c0.totals.anomalies + c1.totals.anomalies);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		const struct membw_channel_stats *s = &d.totals.ch[ch], *a = &c0.totals.ch[ch],
						 *b = &c1.totals.ch[ch];

		CU_ASSERT_EQUAL(s->used, a->used + b->used);
		CU_ASSERT_EQUAL(s->budget, a->budget + b->budget);
		CU_ASSERT_EQUAL(s->allowance, a->allowance + b->allowance);
		CU_ASSERT_EQUAL(s->donated, a->donated + b->donated);
		CU_ASSERT_EQUAL(s->reclaimed, a->reclaimed + b->reclaimed);
		CU_ASSERT_EQUAL(s->borrowed, a->borrowed + b->borrowed);
		CU_ASSERT_EQUAL(s->overshoot, a->overshoot + b->overshoot);
		CU_ASSERT_EQUAL(s->shortfall, a->shortfall + b->shortfall);
	}
	/* the other domain: one CPU, its own counters, write unlimited */
	d = fx_domain_stats(&f, 1);
	CU_ASSERT_EQUAL(d.ncpus, 1);
	CU_ASSERT_EQUAL(d.nonline, 1);
	CU_ASSERT_EQUAL(d.totals.ch[MEMBW_CH_READ].used, 500);
	CU_ASSERT_EQUAL(d.budget_bps[MEMBW_CH_WRITE], MEMBW_UNLIMITED);
	CU_ASSERT_EQUAL(d.budget_events[MEMBW_CH_WRITE], UINT64_MAX);
	fx_stop(&f);
}

static void test_domain_stats_count_offline_members(void)
{
	struct membw_domain_stats d;

	fx_config(&f, 3, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 1, 0), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 2, 0), 0);
	/* CPUs 0 and 1 online; CPU 2 assigned but never brought online */
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 1, f.now, NULL), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	d = fx_domain_stats(&f, 0);
	/* "ncpus: CPUs assigned to the domain (online or not)"; nonline: the 2 online ones */
	CU_ASSERT_EQUAL(d.ncpus, 3);
	CU_ASSERT_EQUAL(d.nonline, 2);
	/* CPU 1 goes offline: still assigned, no longer online */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 1, f.now), 0);
	d = fx_domain_stats(&f, 0);
	CU_ASSERT_EQUAL(d.ncpus, 3);
	CU_ASSERT_EQUAL(d.nonline, 1);
	fx_stop(&f);
}

static void test_move_cpu_between_domains(void)
{
	static const uint32_t dom[] = { 0, 0 };
	static const uint64_t rd[] = { RATE_1000, RATE_2000 };
	uint64_t e;

	start(2, 2, dom, rd, NULL);
	e = fx_stats(&f, 1).epoch;
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 0).nonline, 2);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).nonline, 0);
	/* mid-period: CPU 1 moves to domain 1 */
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 1, 1), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).domain, 0);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 0).nonline, 2);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).nonline, 0);
	/* it still lives on domain 0's pool this period: its next chunk (125) comes from there */
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 125), 0);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e), 250);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_GRANT, 1, MEMBW_CH_READ)->domain, 0);

	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	e = fx_stats(&f, 1).epoch;
	CU_ASSERT_EQUAL(fx_stats(&f, 1).domain, 1);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 0).nonline, 1);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).nonline, 1);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 0).ncpus, 1);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).ncpus, 1);
	/* CPU 1 is now a domain of one with 128e6 * 1e-3 / 64 = 2000 lines, in one chunk */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 2000);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_READ, e), 2000);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_GRANT, 1, MEMBW_CH_READ)->domain, 1);
	/* CPU 0 has domain 0's 1000 to itself */
	CU_ASSERT_EQUAL(run_until_held(0, MEMBW_CH_READ, 25, 10000), 1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	/* history follows the CPU: domain 1 now sums CPU 1's periods from domain 0 too */
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).totals.periods, fx_stats(&f, 1).totals.periods);
	CU_ASSERT_EQUAL(fx_domain_stats(&f, 1).totals.periods, 3);
	fx_stop(&f);
}

static void test_write_channel_pool(void)
{
	static const uint32_t dom[] = { 0, 0 };
	static const uint64_t rd[] = { MEMBW_UNLIMITED };
	static const uint64_t wr[] = { RATE_1000 };
	uint64_t e;

	start(2, 1, dom, rd, wr);
	e = fx_stats(&f, 0).epoch;
	/* need 16 first on the write-back channel; reads are not limited */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_WRITE], 16);
	CU_ASSERT_EQUAL(first_grant(MEMBW_GRANT_POOL, 1, MEMBW_CH_WRITE, e)->amount, 16);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, e), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 100000), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	/* 1000 - 16 (CPU 1) = 984 for the busy CPU 0: the overflow at 16, delivered at 983, takes
	 * the deficit plus a chunk (983 - 16 + 125 = 1092), i.e. all 968 left, re-arming for 1 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 983), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_WRITE, e) +
				fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 1, MEMBW_CH_WRITE, e),
			1000);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_WRITE)->used, 984);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_WRITE, 16), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	fx_stop(&f);
}

int suite_domain(void)
{
	CU_pSuite s = CU_add_suite("domain", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "busy member starts with a chunk", test_busy_member_starts_with_a_chunk) ||
	    !CU_add_test(s, "first chunk is B / (n * 4)",
			 test_first_chunk_is_budget_over_n_times_divisor) ||
	    !CU_add_test(s, "chunk of three members", test_chunk_of_three_members) ||
	    !CU_add_test(s, "chunk follows a new budget", test_chunk_follows_a_new_budget) ||
	    !CU_add_test(s, "chunk divisor from config", test_chunk_divisor_from_config) ||
	    !CU_add_test(s, "busy CPU uses what the idle one leaves",
			 test_busy_cpu_uses_what_idle_one_leaves) ||
	    !CU_add_test(s, "both busy: pool grants = B each period",
			 test_both_busy_never_exceed_budget) ||
	    !CU_add_test(s, "both busy, late interrupts: pool grants = B",
			 test_both_busy_late_interrupts_never_exceed_budget) ||
	    !CU_add_test(s, "both busy: use is exact", test_both_busy_use_is_exact) ||
	    !CU_add_test(s, "domain of one: one chunk per period",
			 test_domain_of_one_gets_budget_in_one_chunk) ||
	    !CU_add_test(s, "one online member gets the whole budget",
			 test_one_online_member_gets_whole_budget) ||
	    !CU_add_test(s, "min_chunk_events floor", test_min_chunk_floor) ||
	    !CU_add_test(s, "min_chunk_events from config", test_min_chunk_from_config) ||
	    !CU_add_test(s, "domain stats sum the members", test_domain_stats_sum_members) ||
	    !CU_add_test(s, "domain stats count offline members",
			 test_domain_stats_count_offline_members) ||
	    !CU_add_test(s, "move a CPU between domains", test_move_cpu_between_domains) ||
	    !CU_add_test(s, "write-back channel pool", test_write_channel_pool))
		return -1;
	return 0;
}
