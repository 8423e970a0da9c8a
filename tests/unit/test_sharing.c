/* SPDX-License-Identifier: MIT */
/*
 * Sharing modes: what happens once every regulated online CPU is throttled in a period.
 * Spare: every CPU runs free until the period ends. Proportional: a new period starts at once on
 * every CPU, and the period boundary moves with it. Real-time CPUs, unassigned CPUs and CPUs of
 * unlimited domains are not regulated and do not count.
 *
 * CPU i alone in domain i unless a test says otherwise, read and write budgets 64 MB/s each at
 * 1 ms with 64-byte lines = 64e6 * 1e-3 / 64 = 1000 lines per period and channel. The period
 * P = 1 ms; the fixture starts at 1000 * P, the start of period 1000.
 */
#include <CUnit/CUnit.h>

#include "fixture.h"

#define RATE_1000 64000000ull /* 1000 lines per period */
#define P 1000000ull          /* period, ns */

static struct fx f;

/* Configure @ncpus CPUs / domains with sharing @mode; CPU i in domain i (1000 reads and
 * write-backs) unless dom is given; not yet online. */
static void setup(unsigned int ncpus, uint32_t mode, const uint32_t *dom)
{
	unsigned int i;

	fx_config(&f, ncpus, ncpus);
	f.cfg.sharing = mode;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < ncpus; i++) {
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, RATE_1000, RATE_1000), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, dom ? dom[i] : i), 0);
	}
}

static void start(unsigned int ncpus, uint32_t mode)
{
	setup(ncpus, mode, NULL);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
}

/* Use up @cpu's read budget (1000, zero latency). */
static void exhaust(unsigned int cpu)
{
	CU_ASSERT_EQUAL(fx_count(&f, cpu, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[cpu].held);
}

static size_t unthrottles_for(unsigned int cpu, uint32_t reason)
{
	size_t i, n = 0;

	for (i = 0; i < f.log.n; i++)
		if (f.log.rec[i].type == MEMBW_TRACE_UNTHROTTLE && f.log.rec[i].cpu == cpu &&
		    f.log.rec[i].source == reason)
			n++;
	return n;
}

static void test_spare_releases_all_when_last_throttled(void)
{
	unsigned int i;

	start(3, MEMBW_SHARE_SPARE);
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_RELEASE_ALL, -1), 1);
	/* kick_all only asks; nobody is released before its kick */
	for (i = 0; i < 3; i++)
		CU_ASSERT_TRUE(f.cpu[i].held);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	for (i = 0; i < 3; i++) {
		struct membw_cpu_stats s = fx_stats(&f, i);

		CU_ASSERT_FALSE(f.cpu[i].held);
		CU_ASSERT_TRUE(s.state & MEMBW_CPU_RELEASED);
		CU_ASSERT_FALSE(s.state & MEMBW_CPU_THROTTLED);
		CU_ASSERT_EQUAL(unthrottles_for(i, MEMBW_RELEASE_SPARE), 1);
		CU_ASSERT_EQUAL(f.cpu[i].bad_calls, 0);
	}
	/* further overflows in the period do not throttle: the write-back channel is still armed
	 * for its 1000 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 1000), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 1);
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 100000), 0);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

/* A zero budget blocks all traffic: spare sharing releases the others, not that CPU. */
/*
 * A throttle leaves the wrapped counter running without re-arming it; a CPU that spare sharing
 * then lets run must be re-armed count-only, or on a 16-bit counter a read more than 2^15 events
 * past the old arm point would pass for a counter that jumped.
 */
static void test_spare_release_rearms_narrow_counter(void)
{
	struct tb_cpu *t;
	unsigned int i;

	fx_config(&f, 2, 2);
	f.tb.counter_bits = 16;
	f.cfg.sharing = MEMBW_SHARE_SPARE;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, RATE_1000, RATE_1000), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, i), 0);
	}
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	t = tb_cpu(f.m, 0);
	/* released: armed count-only, half the 16-bit range, from the 1000 counted so far */
	CU_ASSERT_EQUAL(t->armed[MEMBW_CH_READ], 32768);
	/* 100000 more reads (more than the counter holds) as each wrap's interrupt is delivered */
	for (i = 0; i < 100; i++) {
		tb_count(f.m, 0, MEMBW_CH_READ, 1000);
		CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	}
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 101000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 0);
	fx_stop(&f);
}

static void test_spare_keeps_zero_budget_cpu_blocked(void)
{
	unsigned int i;

	setup(3, MEMBW_SHARE_SPARE, NULL);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 2, 0, RATE_1000), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	/* CPU 2 starts its period throttled; the other two run out */
	CU_ASSERT_TRUE(f.cpu[2].held);
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	for (i = 0; i < 2; i++)
		CU_ASSERT_FALSE(f.cpu[i].held);
	CU_ASSERT_TRUE(f.cpu[2].held);
	CU_ASSERT_EQUAL(unthrottles_for(2, MEMBW_RELEASE_SPARE), 0);
	CU_ASSERT_TRUE(fx_stats(&f, 2).state & MEMBW_CPU_THROTTLED);
	fx_stop(&f);
}

static void test_spare_next_period_regulates_again(void)
{
	unsigned int i;

	start(3, MEMBW_SHARE_SPARE);
	for (i = 0; i < 3; i++)
		exhaust(i);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_FALSE(fx_stats(&f, i).state & MEMBW_CPU_RELEASED);
		CU_ASSERT_EQUAL(tb_until_overflow(f.m, i, MEMBW_CH_READ), 1000);
	}
	exhaust(0);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 2);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_TRUE(f.cpu[1].held);
	/* the third completes the set again: one more kick_all for this period */
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 2);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	for (i = 0; i < 3; i++)
		CU_ASSERT_FALSE(f.cpu[i].held);
	fx_stop(&f);
}

static void test_spare_two_of_three_releases_nothing(void)
{
	start(3, MEMBW_SHARE_SPARE);
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_RELEASE_ALL, -1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_RELEASED);
	/* a kick that was not asked for changes nothing either */
	CU_ASSERT_EQUAL(membw_kick(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* they wait for the period to end */
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(unthrottles_for(0, MEMBW_RELEASE_PERIOD), 1);
	fx_stop(&f);
}

static void test_spare_late_throttle_runs_free(void)
{
	setup(3, MEMBW_SHARE_SPARE, NULL);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 1, f.now, NULL), 0);
	exhaust(0);
	exhaust(1);
	/* 2 of the 2 regulated online CPUs */
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	/* CPU 2 comes online in the released period and uses its budget: it runs on */
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 2, f.now, NULL), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 2, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_count(&f, 2, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_FALSE(f.cpu[2].held);
	CU_ASSERT_EQUAL(f.cpu[2].throttle_calls, 0);
	CU_ASSERT_TRUE(fx_stats(&f, 2).state & MEMBW_CPU_RELEASED);
	fx_stop(&f);
}

/* CPU 2 is not regulated; CPUs 0 and 1 being throttled is "all". */
static void two_regulated_are_all(void)
{
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_FALSE(fx_stats(&f, 2).state & MEMBW_CPU_REGULATED);
	exhaust(0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_count(&f, 2, MEMBW_CH_READ, 5000), 0);
	CU_ASSERT_FALSE(f.cpu[2].held);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.cpu[2].throttle_calls, 0);
	CU_ASSERT_EQUAL(f.cpu[2].unthrottle_calls, 0);
	fx_stop(&f);
}

static void test_unassigned_cpu_does_not_count(void)
{
	static const uint32_t dom[] = { 0, 1, MEMBW_NO_DOMAIN };

	setup(3, MEMBW_SHARE_SPARE, dom);
	two_regulated_are_all();
}

static void test_unlimited_domain_cpu_does_not_count(void)
{
	setup(3, MEMBW_SHARE_SPARE, NULL);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 2, MEMBW_UNLIMITED, MEMBW_UNLIMITED), 0);
	two_regulated_are_all();
}

static void test_offline_completes_all_throttled(void)
{
	start(3, MEMBW_SHARE_SPARE);
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	/* the only CPU still running leaves: the rest are now all throttled */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 2, f.now), 0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_TRUE(fx_stats(&f, 0).state & MEMBW_CPU_RELEASED);
	CU_ASSERT_TRUE(fx_stats(&f, 1).state & MEMBW_CPU_RELEASED);
	CU_ASSERT_EQUAL(unthrottles_for(0, MEMBW_RELEASE_SPARE), 1);
	fx_stop(&f);
}

static void test_throttled_cpu_offline_leaves_the_count(void)
{
	start(3, MEMBW_SHARE_SPARE);
	exhaust(0);
	/* a throttled CPU leaves: released for going offline, no longer counted as throttled */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(unthrottles_for(0, MEMBW_RELEASE_OFFLINE), 1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	/* 1 of the 2 left */
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	/* 2 of 2 */
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_FALSE(f.cpu[2].held);
	/* the offline CPU is not touched by the kick */
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_EQUAL(f.cpu[0].unthrottle_calls, 1);
	fx_stop(&f);
}

/* Everybody blocked from the start (budget 0): nothing to share, so no restart storm. */
static void test_proportional_all_blocked_restarts_nothing(void)
{
	unsigned int i;

	setup(2, MEMBW_SHARE_PROPORTIONAL, NULL);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, i, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_RESTART, -1), 0);
	fx_stop(&f);
}

/* One blocked, one running out: the blocked one counts as throttled, the restart happens. */
static void test_proportional_blocked_and_exhausted_restart(void)
{
	setup(2, MEMBW_SHARE_PROPORTIONAL, NULL);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 1, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	exhaust(0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	/* the new period: CPU 0 has its budget again, CPU 1 is blocked again, no second restart */
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_TRUE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

static void test_proportional_restarts_period(void)
{
	uint64_t kick_at;
	unsigned int i;

	start(3, MEMBW_SHARE_PROPORTIONAL);
	/* 0.4 ms into period 1000 */
	f.now += 400000;
	kick_at = f.now;
	exhaust(0);
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_RESTART, -1), 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	for (i = 0; i < 3; i++) {
		struct membw_cpu_stats s = fx_stats(&f, i);

		/* a fresh period, 1001, with a full budget */
		CU_ASSERT_FALSE(f.cpu[i].held);
		CU_ASSERT_EQUAL(s.epoch, 1001);
		CU_ASSERT_EQUAL(s.totals.periods, 1);
		CU_ASSERT_FALSE(s.state & MEMBW_CPU_THROTTLED);
		CU_ASSERT_EQUAL(tb_until_overflow(f.m, i, MEMBW_CH_READ), 1000);
		CU_ASSERT_EQUAL(unthrottles_for(i, MEMBW_RELEASE_RESTART), 1);
		/* it started at the kick: it ends one period later, 1000.4 ms + 1 ms */
		CU_ASSERT_EQUAL(f.cpu[i].next_tick, kick_at + P);
		CU_ASSERT_EQUAL(f.cpu[i].next_tick, 1001400000ull);
		CU_ASSERT_EQUAL(f.cpu[i].bad_calls, 0);
	}
	fx_stop(&f);
}

static void test_proportional_old_boundary_is_early_tick(void)
{
	uint64_t next = 0, arms;
	unsigned int i;

	start(3, MEMBW_SHARE_PROPORTIONAL);
	f.now += 400000;
	for (i = 0; i < 3; i++)
		exhaust(i);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 300), 0);
	arms = tb_cpu(f.m, 0)->arms[MEMBW_CH_READ];
	/* the timers armed before the restart fire at the old boundary, 1001 * P */
	f.now = 1001 * P;
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(membw_tick(f.m, i, f.now, &next), 0);
		CU_ASSERT_EQUAL(next, 1001400000ull);
		CU_ASSERT_EQUAL(fx_stats(&f, i).totals.early_ticks, 1);
		CU_ASSERT_EQUAL(fx_stats(&f, i).totals.periods, 1);
		CU_ASSERT_EQUAL(fx_stats(&f, i).epoch, 1001);
	}
	/* nothing changed: CPU 0 still has 1000 - 300 = 700 to go on the same arm */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->arms[MEMBW_CH_READ], arms);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 700);
	/* the real boundary: period 1002, regulated as usual */
	f.now = 1001400000ull;
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(membw_tick(f.m, i, f.now, &f.cpu[i].next_tick), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).epoch, 1002);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.periods, 2);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->used, 300);
	CU_ASSERT_EQUAL(f.cpu[0].next_tick, 1002400000ull);
	exhaust(0);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

static void test_set_sharing_takes_effect_next_period(void)
{
	struct membw_config cfg = { .size = sizeof(cfg) };
	unsigned int i;

	start(3, MEMBW_SHARE_NONE);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, MEMBW_SHARE_SPARE), 0);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), 0);
	CU_ASSERT_EQUAL(cfg.sharing, MEMBW_SHARE_SPARE);
	/* this period still runs without sharing */
	for (i = 0; i < 3; i++)
		exhaust(i);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* the next one shares */
	for (i = 0; i < 3; i++)
		exhaust(i);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	for (i = 0; i < 3; i++)
		CU_ASSERT_FALSE(f.cpu[i].held);
	/* and back to none, again from the next period */
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, MEMBW_SHARE_NONE), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	for (i = 0; i < 3; i++)
		exhaust(i);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

static void test_set_sharing_without_kick_all(void)
{
	struct membw_config cfg = { .size = sizeof(cfg) };

	fx_config(&f, 2, 2);
	f.env.kick_all = NULL;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, MEMBW_SHARE_SPARE), -MEMBW_EOPNOTSUPP);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, MEMBW_SHARE_PROPORTIONAL), -MEMBW_EOPNOTSUPP);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), 0);
	CU_ASSERT_EQUAL(cfg.sharing, MEMBW_SHARE_NONE);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, MEMBW_SHARE_NONE), 0);
	fx_stop(&f);
	/* and a sharing mode at init needs it too */
	fx_config(&f, 2, 2);
	f.env.kick_all = NULL;
	f.cfg.sharing = MEMBW_SHARE_SPARE;
	CU_ASSERT_EQUAL(fx_start(&f), -MEMBW_EINVAL);
	fx_stop(&f);
}

static void test_both_channels_empty_counts_once(void)
{
	setup(3, MEMBW_SHARE_SPARE, NULL);
	/* CPU 0 may move nothing at all, on either channel. It comes online last: alone, it would
	 * be all the regulated CPUs there are, and its own throttle would release the period. */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 1, f.now, NULL), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 2, f.now, NULL), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	/* one CPU throttled, once */
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 1);
	/* 2 of 3 throttled: CPU 2 still runs, nothing is released */
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	/* 3 of 3 */
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

static void test_both_channels_empty_at_period_start_counts_once(void)
{
	start(3, MEMBW_SHARE_SPARE);
	/* from the next period CPU 0 may move nothing on either channel */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 0, 0), 0);
	/* CPU 0 ticks first and starts the period throttled */
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	/* 2 of 3 */
	exhaust(1);
	CU_ASSERT_EQUAL(f.kick_all_calls, 0);
	CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	/* 3 of 3 */
	exhaust(2);
	CU_ASSERT_EQUAL(f.kick_all_calls, 1);
	fx_stop(&f);
}

int suite_sharing(void)
{
	CU_pSuite s = CU_add_suite("sharing", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "spare: a released 16-bit counter is re-armed count-only",
			 test_spare_release_rearms_narrow_counter) ||
	    !CU_add_test(s, "spare: last throttle releases all",
			 test_spare_releases_all_when_last_throttled) ||
	    !CU_add_test(s, "spare: next period regulates again",
			 test_spare_next_period_regulates_again) ||
	    !CU_add_test(s, "spare: 2 of 3 throttled releases nothing",
			 test_spare_two_of_three_releases_nothing) ||
	    !CU_add_test(s, "proportional: all blocked, no restart",
			 test_proportional_all_blocked_restarts_nothing) ||
	    !CU_add_test(s, "proportional: blocked and exhausted",
			 test_proportional_blocked_and_exhausted_restart) ||
	    !CU_add_test(s, "spare keeps a zero-budget CPU blocked",
			 test_spare_keeps_zero_budget_cpu_blocked) ||
	    !CU_add_test(s, "spare: throttle after the release runs free",
			 test_spare_late_throttle_runs_free) ||
	    !CU_add_test(s, "unassigned CPU does not count", test_unassigned_cpu_does_not_count) ||
	    !CU_add_test(s, "unlimited-domain CPU does not count",
			 test_unlimited_domain_cpu_does_not_count) ||
	    !CU_add_test(s, "offline completes all-throttled",
			 test_offline_completes_all_throttled) ||
	    !CU_add_test(s, "throttled CPU going offline leaves the count",
			 test_throttled_cpu_offline_leaves_the_count) ||
	    !CU_add_test(s, "proportional: new period at once",
			 test_proportional_restarts_period) ||
	    !CU_add_test(s, "proportional: old boundary is an early tick",
			 test_proportional_old_boundary_is_early_tick) ||
	    !CU_add_test(s, "set_sharing takes effect next period",
			 test_set_sharing_takes_effect_next_period) ||
	    !CU_add_test(s, "set_sharing without kick_all", test_set_sharing_without_kick_all) ||
	    !CU_add_test(s, "both channels empty at online: one throttled CPU",
			 test_both_channels_empty_counts_once) ||
	    !CU_add_test(s, "both channels empty at period start: one throttled CPU",
			 test_both_channels_empty_at_period_start_counts_once))
		return -1;
	return 0;
}
