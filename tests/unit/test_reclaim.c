/* SPDX-License-Identifier: MIT */
/*
 * Reclaim (MemGuard style), as policy.h describes it. Each online member's share is budget / n;
 * at period start a CPU keeps p + max(p / 8, min_chunk_events) (at most the share) of it, where p
 * is its prediction (p = use after the first period, then p = p + (use - p) / 4 in integers), and
 * donates the rest to a global pool. Out of allowance it takes its own donation back first, then
 * borrows chunks of max(share / 4, min_chunk_events) from the pool, and only then is throttled.
 *
 * CPU i alone in domain i unless a test says otherwise, so its share is its domain's budget.
 * Budget: 64 MB/s at 1 ms with 64-byte lines = 64e6 * 1e-3 / 64 = 1000 lines per period, so a
 * borrowed chunk is max(1000 / 4, 16) = 250. Periods are named P0 (the one the CPUs come online
 * in, epoch 1000), P1, P2, ...
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

#define RATE_1000 64000000ull  /* 1000 lines per period */

static struct fx f;

/* @ncpus CPUs, CPU i alone in domain i with read budget bps[i], reclaim on, all online. */
static void start(unsigned int ncpus, const uint64_t *bps)
{
	unsigned int i;

	fx_config(&f, ncpus, ncpus);
	f.cfg.reclaim = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < ncpus; i++) {
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, bps[i], MEMBW_UNLIMITED), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, i), 0);
	}
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
}

static void start_1000(unsigned int ncpus)
{
	static const uint64_t bps[] = { RATE_1000, RATE_1000, RATE_1000, RATE_1000 };

	start(ncpus, bps);
}

/* Log index of the first (@last false) or last event of @type/@source on @cpu/@ch in @epoch;
 * f.log.n if there is none. */
static size_t index_in(uint32_t type, uint32_t source, unsigned int cpu, unsigned int ch,
		       uint64_t epoch, bool last)
{
	const struct membw_trace_record *ev;
	size_t i, at = f.log.n;

	for (i = 0; i < f.log.n; i++) {
		ev = &f.log.rec[i];
		if (ev->type == type && ev->source == source && ev->cpu == cpu &&
		    ev->channel == ch && ev->epoch == epoch) {
			at = i;
			if (!last)
				break;
		}
	}
	return at;
}

static uint64_t donated_in(unsigned int cpu, uint64_t epoch)
{
	return fx_sum_in(&f, MEMBW_TRACE_DONATE, FX_ANY_SOURCE, cpu, MEMBW_CH_READ, epoch);
}

static uint64_t epoch_of(unsigned int cpu)
{
	return fx_stats(&f, cpu).epoch;
}

/* Count @n on @cpu's reads in steps of @step (the last one shorter). */
static void count_steps(unsigned int cpu, uint64_t n, uint64_t step)
{
	while (n) {
		uint64_t k = n < step ? n : step;

		CU_ASSERT_EQUAL(fx_count(&f, cpu, MEMBW_CH_READ, k), 0);
		n -= k;
	}
}

static void test_first_period_no_donation(void)
{
	start_1000(2);
	/* no history yet: the whole share is kept */
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_DONATE, -1), 0);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, 0, MEMBW_CH_READ, 1000), 1000);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, 1, MEMBW_CH_READ, 1000), 1000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 1000);
	/* P0: CPU 0 uses nothing, CPU 1 uses 500 */
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 500), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].donated, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].donated, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P0 closed with its whole share as allowance */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->allowance, 1000);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 1, MEMBW_CH_READ)->allowance, 1000);
	/* P1. CPU 0: p = 0, keep 0 + max(0 / 8, 16) = 16, donate 1000 - 16 = 984 */
	CU_ASSERT_EQUAL(donated_in(0, 1001), 984);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 16);
	/* CPU 1: p = 500, keep 500 + max(500 / 8 = 62, 16) = 562, donate 1000 - 562 = 438 */
	CU_ASSERT_EQUAL(donated_in(1, 1001), 438);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 562);
	/* all donated so far is P1's */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].donated, 984);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].donated, 438);
	fx_stop(&f);
}

static void test_constant_use_prediction(void)
{
	int p;

	start_1000(2);
	for (p = 0; p < 4; p++) {
		/* CPU 0 uses 200 every period, CPU 1 uses 40 */
		CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 200), 0);
		CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 40), 0);
		CU_ASSERT_EQUAL(fx_next_period(&f), 0);
		/* p = 200 from the first period on: keep 200 + max(200 / 8 = 25, 16) = 225,
		 * donate 1000 - 225 = 775 */
		CU_ASSERT_EQUAL(donated_in(0, epoch_of(0)), 775);
		CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 225);
		/* p = 40: keep 40 + max(40 / 8 = 5, 16) = 56, donate 944 */
		CU_ASSERT_EQUAL(donated_in(1, epoch_of(1)), 944);
		CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 56);
	}
	/* 4 periods of 775 */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].donated, 4 * 775);
	/* nothing needed back: the use stayed under what was kept */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].reclaimed, 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	fx_stop(&f);
}

static void test_prediction_follows_use(void)
{
	start_1000(1);
	/* P0: use 400 -> p = 400 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 400), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P1: keep 400 + max(50, 16) = 450, donate 550; use 0 -> p = 400 - 400 / 4 = 300 */
	CU_ASSERT_EQUAL(donated_in(0, 1001), 550);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P2: keep 300 + max(300 / 8 = 37, 16) = 337, donate 663; use 0 -> p = 300 - 75 = 225 */
	CU_ASSERT_EQUAL(donated_in(0, 1002), 663);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P3: keep 225 + max(225 / 8 = 28, 16) = 253, donate 747;
	 * use 0 -> p = 225 - 225 / 4 = 225 - 56 = 169 */
	CU_ASSERT_EQUAL(donated_in(0, 1003), 747);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P4: keep 169 + max(169 / 8 = 21, 16) = 190, donate 810 */
	CU_ASSERT_EQUAL(donated_in(0, 1004), 810);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 190);
	/* use 969 (taking its donation back) -> p = 169 + (969 - 169) / 4 = 169 + 200 = 369 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 969), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P5: keep 369 + max(369 / 8 = 46, 16) = 415, donate 585 */
	CU_ASSERT_EQUAL(donated_in(0, 1005), 585);
	fx_stop(&f);
}

static void test_keep_is_at_most_the_share(void)
{
	start_1000(1);
	/* use 950 -> p = 950, keep 950 + max(950 / 8 = 118, 16) = 1068 >= 1000: donate nothing */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 950), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(donated_in(0, 1001), 0);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_DONATE, 0), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	fx_stop(&f);
}

/*
 * @ncpus CPUs, all members of one 1000-line domain, reclaim on; each uses 1000 in P0 (p = 1000:
 * at least its share, so nothing is donated in P1). Returns in P1.
 */
static void start_shared(unsigned int ncpus)
{
	unsigned int i;

	fx_config(&f, ncpus, 1);
	f.cfg.reclaim = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	fx_one_domain(&f, RATE_1000);
	for (i = 0; i < ncpus; i++)
		fx_count(&f, i, MEMBW_CH_READ, 1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
}

static void test_share_splits_domain_budget(void)
{
	unsigned int i;

	/* 3 members of a 1000-line domain: share 1000 / 3 = 333 */
	start_shared(3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, i, MEMBW_CH_READ, 1001),
				333);
		CU_ASSERT_EQUAL(tb_cpu(f.m, i)->armed[MEMBW_CH_READ], 333);
	}
	fx_stop(&f);
}

/*
 * A new budget with the same members gives shares of the new budget: each CPU keeps its share for
 * its member count until its budget changes (lib/grant.h, grant_share_of()).
 */
static void test_share_follows_a_new_budget(void)
{
	unsigned int i;

	start_shared(2);
	/* P1: share 1000 / 2 = 500, all kept (p = 1000); each uses 400: p = 1000 - 600 / 4 = 850 */
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(tb_cpu(f.m, i)->armed[MEMBW_CH_READ], 500);
		fx_count(&f, i, MEMBW_CH_READ, 400);
	}
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, 2 * RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P2: share 2000 / 2 = 1000, keep 850 + 850 / 8 = 956 (a stale share of 500: all 500) */
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, i,
					  MEMBW_CH_READ, 1002),
				1000);
		CU_ASSERT_EQUAL(tb_cpu(f.m, i)->armed[MEMBW_CH_READ], 956);
	}
	fx_stop(&f);
}

/* P0: CPU 0 uses its whole share (p = 1000: it will never donate), CPU 1 uses 200 (p = 200:
 * it donates 1000 - 225 = 775 from P1 on). Returns in P1. */
static void busy_and_light(unsigned int ncpus)
{
	start_1000(ncpus);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(donated_in(0, 1001), 0);
	CU_ASSERT_EQUAL(donated_in(1, 1001), 775);
}

static void test_busy_cpu_borrows_donations(void)
{
	busy_and_light(2);
	/* the share first: no borrowing before 1000 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1001), 0);
	/* then chunks of 250 from the 775 donated: at 1000, 1250, 1500, and the last 25 at 1750 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1001), 250);
	count_steps(0, 750, 250);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1001), 4);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1001), 775);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].borrowed, 775);
	/* throttled only when the pool is empty: at 1000 + 775 = 1775 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 24), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1775);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* allowance = share - donated + reclaimed + borrowed = 1000 - 0 + 0 + 775 */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->allowance, 1775);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->used, 1775);
	/* the donor never needed anything back */
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].reclaimed, 0);
	fx_stop(&f);
}

static void test_take_back_comes_before_borrowing(void)
{
	size_t last_back, first_borrow;

	/* CPUs 1 and 2 both use 200 in P0 and both donate 775 in P1: 1550 in the pool */
	start_1000(3);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 2, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(donated_in(1, 1001), 775);
	CU_ASSERT_EQUAL(donated_in(2, 1001), 775);
	/* CPU 1 needs much more than it kept (225): it takes its 775 back in chunks of up to 250
	 * (at 225, 475, 725: 250 each; at 975 the last 25), reaching its share of 1000, then
	 * borrows 250 at 1000, 1250, 1500 and the remaining 25 at 1750: 775 from CPU 2 */
	count_steps(1, 3000, 25);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_TAKEBACK, 1, MEMBW_CH_READ, 1001), 775);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_TAKEBACK, 1, MEMBW_CH_READ, 1001), 4);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 1, MEMBW_CH_READ, 1001), 775);
	last_back = index_in(MEMBW_TRACE_GRANT, MEMBW_GRANT_TAKEBACK, 1, MEMBW_CH_READ, 1001, true);
	first_borrow = index_in(MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 1, MEMBW_CH_READ, 1001, false);
	CU_ASSERT_TRUE(last_back < first_borrow);
	CU_ASSERT_TRUE(first_borrow < f.log.n);
	/* the pool still held the donation: no shortfall */
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].shortfall, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].reclaimed, 775);
	/* throttled at 1000 + 775 = 1775 */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 1, MEMBW_CH_READ)->used, 1775);
	fx_stop(&f);
}

static void test_take_back_after_pool_emptied(void)
{
	const struct membw_trace_record *ev;
	uint64_t shortfall = 0;
	size_t i;

	busy_and_light(2);
	/* the borrower empties the pool first: 1000 + 775 */
	count_steps(0, 1775, 25);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].borrowed, 775);
	/* the donor needs its share: it kept 225, takes back 250, 250, 250, 25 (= 775) although
	 * the pool holds nothing, and is not throttled before 1000 */
	count_steps(1, 999, 25);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.cpu[1].throttle_calls, 0);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_TAKEBACK, 1, MEMBW_CH_READ, 1001), 775);
	for (i = 0; i < f.log.n; i++) {
		ev = &f.log.rec[i];
		if (ev->type == MEMBW_TRACE_GRANT && ev->source == MEMBW_GRANT_TAKEBACK &&
		    ev->cpu == 1) {
			CU_ASSERT_TRUE(ev->shortfall > 0);
			shortfall += ev->shortfall;
		}
	}
	/* none of it was covered */
	CU_ASSERT_EQUAL(shortfall, 775);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].shortfall, 775);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].reclaimed, 775);
	/* the 1000th event: share used, pool empty, throttled */
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	ev = fx_must_last(&f, MEMBW_TRACE_THROTTLE, 1, MEMBW_CH_READ);
	CU_ASSERT_EQUAL(ev->used, 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].borrowed, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* 1000 - 775 + 775 + 0 */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 1, MEMBW_CH_READ)->allowance, 1000);
	fx_stop(&f);
}

/* A tiny deterministic generator (numbers from Numerical Recipes' LCG). */
static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1664525u + 1013904223u;
	return (rnd_state >> 8) % n;
}

static void test_invariants_under_random_load(void)
{
	/* shares: 1000 each for CPUs 0 and 1 (one domain of 2000), 1500, 500 */
	static const uint64_t bps[] = { 128000000ull, 96000000ull, 32000000ull };
	static const uint32_t dom[] = { 0, 0, 1, 2 };
	uint64_t target[4], done[4];
	size_t i, j, nthrottle = 0, nborrow = 0, nback = 0, nend = 0;
	unsigned int cpu, p;
	bool busy;

	fx_config(&f, 4, 3);
	f.cfg.reclaim = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, (uint32_t)i, bps[i],
							      MEMBW_UNLIMITED), 0);
	for (cpu = 0; cpu < 4; cpu++)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, cpu, dom[cpu]), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	rnd_state = 12345;
	for (p = 0; p < 60; p++) {
		for (cpu = 0; cpu < 4; cpu++) {
			/* phases of light and heavy use so predictions move both ways */
			target[cpu] = (p / 5 + cpu) % 2 ? rnd(3000) : rnd(400);
			done[cpu] = 0;
		}
		do {
			busy = false;
			for (cpu = 0; cpu < 4; cpu++) {
				uint64_t k;

				if (f.cpu[cpu].held || done[cpu] >= target[cpu])
					continue;
				k = 1 + rnd(97);
				CU_ASSERT_EQUAL(fx_count(&f, cpu, MEMBW_CH_READ, k), 0);
				done[cpu] += k;
				busy = true;
			}
		} while (busy);
		CU_ASSERT_EQUAL_FATAL(fx_next_period(&f), 0);
	}
	for (i = 0; i < f.log.n; i++) {
		const struct membw_trace_record *ev = &f.log.rec[i];
		uint64_t share, donated, back, borrowed;

		if (ev->channel != MEMBW_CH_READ)
			continue;
		share = fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, ev->cpu, 0, ev->epoch);
		if (ev->type == MEMBW_TRACE_THROTTLE) {
			/* never throttled before the share is used */
			CU_ASSERT_TRUE(ev->used >= share);
			nthrottle++;
		}
		if (ev->type != MEMBW_TRACE_PERIOD_END)
			continue;
		CU_ASSERT_EQUAL(ev->periods, 1);
		donated = fx_sum_in(&f, MEMBW_TRACE_DONATE, FX_ANY_SOURCE, ev->cpu, 0, ev->epoch);
		back = fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_TAKEBACK, ev->cpu, 0, ev->epoch);
		borrowed = fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, ev->cpu, 0, ev->epoch);
		CU_ASSERT_TRUE(back <= donated);
		CU_ASSERT_EQUAL(ev->allowance, share - donated + back + borrowed);
		CU_ASSERT_TRUE(ev->used <= share - donated + back + borrowed + ev->overshoot);
		CU_ASSERT_EQUAL(ev->overshoot,
				ev->used > ev->allowance ? ev->used - ev->allowance : 0);
		nend++;
	}
	for (i = 0; i < f.log.n; i++) {
		const struct membw_trace_record *ev = &f.log.rec[i];

		nborrow += ev->type == MEMBW_TRACE_GRANT && ev->source == MEMBW_GRANT_BORROW;
		nback += ev->type == MEMBW_TRACE_GRANT && ev->source == MEMBW_GRANT_TAKEBACK;
	}
	/* the load did exercise every path: 60 periods x 4 CPUs closed */
	CU_ASSERT_EQUAL(nend, 60 * 4);
	CU_ASSERT_TRUE(nthrottle > 0);
	CU_ASSERT_TRUE(nborrow > 0);
	CU_ASSERT_TRUE(nback > 0);
	/* and the identity of stats.h, summed over every period: once all periods are closed
	 * (a running period has its share and donation counted but not yet its allowance) */
	for (cpu = 0; cpu < 4; cpu++)
		CU_ASSERT_EQUAL(membw_cpu_offline(f.m, cpu, f.now), 0);
	for (j = 0; j < 4; j++) {
		struct membw_channel_stats s = fx_stats(&f, (unsigned int)j).totals.ch[0];

		CU_ASSERT_EQUAL(s.allowance, s.budget - s.donated + s.reclaimed + s.borrowed);
		CU_ASSERT_TRUE(s.used <= s.allowance + s.overshoot);
	}
	for (cpu = 0; cpu < 4; cpu++)
		CU_ASSERT_EQUAL(f.cpu[cpu].bad_calls, 0);
	fx_stop(&f);
}

static void test_donations_expire_at_period_end(void)
{
	busy_and_light(2);
	/* P1: 775 donated by CPU 1, nobody borrows (CPU 0 stays 1 short of its share, so its
	 * p = 1000 - (1000 - 999) / 4 = 1000 - 0 = 1000 and it does not donate in P2) */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	/* the donor leaves: nobody donates in P2 */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 1, f.now + 500000), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(donated_in(0, 1002), 0);
	/* P2: P1's 775 are not borrowable */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1000);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1002), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].borrowed, 0);
	fx_stop(&f);
}

static void test_donations_do_not_accumulate(void)
{
	busy_and_light(2);
	/* P1: CPU 1 donates 775, nobody borrows */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P2: another 775; only these are there to borrow, not 775 + 775 */
	CU_ASSERT_EQUAL(donated_in(1, 1002), 775);
	count_steps(0, 5000, 25);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 0, MEMBW_CH_READ, 1002), 775);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1775);
	fx_stop(&f);
}

static void test_zero_budget_borrows(void)
{
	static const uint64_t bps[] = { RATE_1000, 0 };
	int i;

	start(2, bps);
	/* P0: nothing donated yet, so the zero-budget CPU 1 is throttled at once */
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* P1: CPU 0 donates 775 at its tick; CPU 1 (share 0) borrows its first chunk,
	 * max(0 / 4, 16) = 16, at its own */
	CU_ASSERT_EQUAL(donated_in(0, 1001), 775);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 16);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 1, MEMBW_CH_READ, 1001), 16);
	/* 16 at a time: 775 = 48 * 16 + 7 */
	for (i = 0; i < 48; i++)
		CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 6), 0);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 1, MEMBW_CH_READ)->used, 775);
	/* 1 + 47 chunks of 16 (at 0, 16, ..., 752) and the last 7 at 768 */
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_BORROW, 1, MEMBW_CH_READ, 1001), 49);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].borrowed, 775);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.ch[MEMBW_CH_READ].budget, 0);
	fx_stop(&f);
}

/*
 * Reclaim on, 3 CPUs sharing domain 0 and 1 alone in domain 1, a fixed pseudo-random load for 40
 * periods: the statistics of a run without a trace hook (ticks take the steady step, period.h)
 * must equal those of a run with one (every tick takes the general step).
 */
static void reclaim_run(bool traced, struct membw_totals out[4])
{
	uint32_t x = 12345;
	unsigned int cpu, p, k;

	fx_config(&f, 4, 2);
	f.cfg.reclaim = 1;
	if (!traced)
		f.env.trace = NULL;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, 3 * RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 1, RATE_1000, MEMBW_UNLIMITED), 0);
	for (cpu = 0; cpu < 4; cpu++)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, cpu, cpu == 3), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	for (p = 0; p < 40; p++) {
		for (k = 0; k < 12; k++) {
			x = x * 1103515245u + 12345u;
			fx_count(&f, (x >> 8) % 4, MEMBW_CH_READ, (x >> 16) % 300);
		}
		CU_ASSERT_EQUAL_FATAL(fx_next_period(&f), 0);
	}
	for (cpu = 0; cpu < 4; cpu++)
		out[cpu] = fx_stats(&f, cpu).totals;
	fx_stop(&f);
}

static void test_steady_step_equals_general(void)
{
	struct membw_totals steady[4], general[4];
	unsigned int cpu;

	reclaim_run(false, steady);
	reclaim_run(true, general);
	for (cpu = 0; cpu < 4; cpu++) {
		CHECK(general[cpu].ch[MEMBW_CH_READ].donated > 0, "CPU %u donated", cpu);
		CHECK(memcmp(&steady[cpu], &general[cpu], sizeof(steady[cpu])) == 0,
		      "CPU %u: totals without a trace hook equal those with one", cpu);
	}
}

static void test_set_reclaim_at_runtime(void)
{
	struct membw_config cfg = { .size = sizeof(cfg) };

	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(membw_set_reclaim(f.m, 1), 0);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), 0);
	CU_ASSERT_EQUAL(cfg.reclaim, 1);
	/* the running period is unchanged: a pool grant, no share */
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, 1000), 1000);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* from the next one on, shares */
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, 0, MEMBW_CH_READ, 1001), 1000);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, 1001), 0);
	CU_ASSERT_EQUAL(membw_set_reclaim(f.m, 0), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_count_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_SHARE, 0, MEMBW_CH_READ, 1002), 0);
	CU_ASSERT_EQUAL(fx_sum_in(&f, MEMBW_TRACE_GRANT, MEMBW_GRANT_POOL, 0, MEMBW_CH_READ, 1002), 1000);
	fx_stop(&f);
}

int suite_reclaim(void)
{
	CU_pSuite s = CU_add_suite("reclaim", NULL, NULL);

	if (!s || !CU_add_test(s, "first period: no donation", test_first_period_no_donation) ||
	    !CU_add_test(s, "constant use: donate share - keep", test_constant_use_prediction) ||
	    !CU_add_test(s, "prediction follows use (EWMA)", test_prediction_follows_use) ||
	    !CU_add_test(s, "keep is at most the share", test_keep_is_at_most_the_share) ||
	    !CU_add_test(s, "share is budget / n", test_share_splits_domain_budget) ||
	    !CU_add_test(s, "share follows a new budget", test_share_follows_a_new_budget) ||
	    !CU_add_test(s, "busy CPU borrows donations", test_busy_cpu_borrows_donations) ||
	    !CU_add_test(s, "take-back before borrowing", test_take_back_comes_before_borrowing) ||
	    !CU_add_test(s, "take-back after the pool was emptied: shortfall",
			 test_take_back_after_pool_emptied) ||
	    !CU_add_test(s, "invariants under random load", test_invariants_under_random_load) ||
	    !CU_add_test(s, "donations expire at period end",
			 test_donations_expire_at_period_end) ||
	    !CU_add_test(s, "donations do not accumulate", test_donations_do_not_accumulate) ||
	    !CU_add_test(s, "zero budget borrows", test_zero_budget_borrows) ||
	    !CU_add_test(s, "set_reclaim at runtime", test_set_reclaim_at_runtime) ||
	    !CU_add_test(s, "steady step equals the general step",
			 test_steady_step_equals_general))
		return -1;
	return 0;
}
