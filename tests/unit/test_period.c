/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU regulation (domains of one CPU): arm, overflow, throttle, period rollover, late and early
 * ticks, zero budgets, budget changes, hotplug, and the write-back channel.
 *
 * Budget used throughout: 64 MB/s at 1 ms with 64-byte lines = 64000 B / 64 B = 1000 lines.
 */
#include <CUnit/CUnit.h>

#include "fixture.h"

#define RATE_1000 64000000ull /* bytes/s that make 1000 lines per 1 ms period */

static struct fx f;

/* @ncpus CPUs, CPU i alone in domain i, read budget @bps, write unlimited, all online. */
static void start(unsigned int ncpus, uint64_t bps)
{
	unsigned int i;

	fx_config(&f, ncpus, ncpus);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < ncpus; i++) {
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, bps, MEMBW_UNLIMITED), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, i), 0);
	}
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
}

static void test_budget_in_lines(void)
{
	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL(fx_events_for(&f, RATE_1000), 1000);
}

static void test_armed_for_exactly_the_budget(void)
{
	start(2, RATE_1000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

/* Period 0 at time 0: the pools' initial state must not pass for "period 0, empty". */
static void test_first_period_at_time_zero(void)
{
	fx_config(&f, 1, 1);
	f.now = 0;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(f.cpu[0].next_tick, f.cfg.period_ns);
	fx_stop(&f);
}

static void test_one_short_of_budget_runs_on(void)
{
	start(1, RATE_1000);
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 999));
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	fx_stop(&f);
}

static void test_last_line_of_budget_throttles(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1));
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_TRUE(fx_stats(&f, 0).state & MEMBW_CPU_THROTTLED);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 1);
	fx_stop(&f);
}

static void test_next_period_releases_and_rearms(void)
{
	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(f.cpu[0].unthrottle_calls, 1);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used, 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].overshoot, 0);
	CU_ASSERT_EQUAL(f.cpu[0].bad_calls, 0);
	fx_stop(&f);
}

static void test_period_end_event_reports_use(void)
{
	const struct membw_trace_record *ev;

	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 640);
	fx_next_period(&f);
	ev = fx_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_EQUAL(ev->used, 640);
	CU_ASSERT_EQUAL(ev->allowance, 1000);
	CU_ASSERT_EQUAL(ev->overshoot, 0);
	CU_ASSERT_EQUAL(ev->periods, 1);
	fx_stop(&f);
}

static void test_late_interrupt_is_overshoot(void)
{
	start(1, RATE_1000);
	/* the overflow is raised at 1000 but delivered 7 lines later */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1007));
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_next_period(&f);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used, 1007);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].overshoot, 7);
	CU_ASSERT_EQUAL(fx_last(&f, MEMBW_TRACE_PERIOD_END, 0, 0)->overshoot, 7);
	fx_stop(&f);
}

static void test_counts_while_throttled(void)
{
	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 1000);
	/* kernel or hypervisor traffic on a throttled CPU is still counted */
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 50));
	fx_next_period(&f);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used, 1050);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].overshoot, 50);
	fx_stop(&f);
}

static void test_unassigned_cpu_counted_never_throttled(void)
{
	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000000), 0);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	fx_next_period(&f);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used, 1000000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).domain, MEMBW_NO_DOMAIN);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_REGULATED);
	fx_stop(&f);
}

static void test_realtime_cpu_counted_never_throttled(void)
{
	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, MEMBW_NO_DOMAIN), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 5000), 0);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	fx_next_period(&f);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[0].used, 5000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).domain, MEMBW_NO_DOMAIN);
	fx_stop(&f);
}

static void test_late_tick_closes_missed_periods(void)
{
	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 1000);
	/* the timer fires 3 periods late */
	f.now += 3 * f.cfg.period_ns;
	CU_ASSERT_EQUAL(membw_tick(f.m, 0, f.now, &f.cpu[0].next_tick), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.periods, 3);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.missed_periods, 2);
	CU_ASSERT_EQUAL(fx_last(&f, MEMBW_TRACE_PERIOD_END, 0, 0)->periods, 3);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttled_ns, 3 * f.cfg.period_ns);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

/* A domain pool nobody used for 2^30 periods (the domain was unlimited) is stale, not "later". */
static void test_pool_unused_for_2_30_periods_refills(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, MEMBW_UNLIMITED, MEMBW_UNLIMITED), 0);
	fx_next_period(&f);
	/* 2^30 + 10 periods later (12.4 days at 1 ms) the cap comes back */
	f.now += ((1ull << 30) + 10) * f.cfg.period_ns;
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	fx_next_period(&f);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_next_period(&f);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

static void test_early_tick_changes_nothing(void)
{
	uint64_t next = 0;

	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 300);
	CU_ASSERT_EQUAL(membw_tick(f.m, 0, f.now + f.cfg.period_ns / 2, &next), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.early_ticks, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.periods, 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 700);
	CU_ASSERT_EQUAL(next, f.now + f.cfg.period_ns);
	fx_stop(&f);
}

static void test_next_tick_is_next_period_start(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(f.cpu[0].next_tick, f.now + f.cfg.period_ns);
	f.now += 250000; /* come online mid-period */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, &f.cpu[0].next_tick), 0);
	CU_ASSERT_EQUAL(f.cpu[0].next_tick, f.now - 250000 + f.cfg.period_ns);
	fx_stop(&f);
}

static void test_zero_budget_throttles_at_period_start(void)
{
	start(1, 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	fx_next_period(&f);
	fx_next_period(&f);
	/* held throughout: one throttle call, no unthrottle, one throttle per period counted */
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_EQUAL(f.cpu[0].unthrottle_calls, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 3);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttled_ns, 2 * f.cfg.period_ns);
	CU_ASSERT_EQUAL(f.cpu[0].bad_calls, 0);
	fx_stop(&f);
}

static void test_budget_change_takes_effect_next_period(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 2 * RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_count(&f, 0, MEMBW_CH_READ, 1000);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_next_period(&f);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 2000);
	fx_stop(&f);
}

static void test_zero_to_unlimited_and_back(void)
{
	start(1, 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, MEMBW_UNLIMITED, MEMBW_UNLIMITED), 0);
	fx_next_period(&f);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_REGULATED);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 100000), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	fx_next_period(&f);
	CU_ASSERT_TRUE(fx_stats(&f, 0).state & MEMBW_CPU_REGULATED);
	fx_count(&f, 0, MEMBW_CH_READ, 1000);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_stop(&f);
}

static void test_offline_while_throttled_releases(void)
{
	start(2, RATE_1000);
	fx_count(&f, 1, MEMBW_CH_READ, 1000);
	CU_ASSERT_TRUE(f.cpu[1].held);
	f.now += 400000;
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 1, f.now), 0);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(f.cpu[1].unthrottle_calls, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).state, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.throttled_ns, 400000);
	CU_ASSERT_FALSE(tb_cpu(f.m, 1)->running[MEMBW_CH_READ]);
	/* nothing reaches an offline CPU */
	CU_ASSERT_EQUAL(membw_tick(f.m, 1, f.now, NULL), -MEMBW_ENODEV);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 1, f.now), -MEMBW_ENODEV);
	/* back in the same period: its domain's budget for it is spent, so it waits */
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 1, f.now, NULL), 0);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 1, f.now, NULL), -MEMBW_EBUSY);
	CU_ASSERT_TRUE(f.cpu[1].held);
	/* and starts the next period with a full budget */
	fx_next_period(&f);
	CU_ASSERT_FALSE(f.cpu[1].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 1, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(f.cpu[1].bad_calls, 0);
	fx_stop(&f);
}

static void test_write_budget_is_separate(void)
{
	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, MEMBW_UNLIMITED, RATE_1000), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 500000), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 999), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_WRITE)->used, 1000);
	fx_next_period(&f);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_WRITE].used, 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 500000);
	fx_stop(&f);
}

static void test_both_budgets(void)
{
	fx_config(&f, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 2 * RATE_1000, RATE_1000), 0);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 2000);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_WRITE), 1000);
	fx_count(&f, 0, MEMBW_CH_READ, 2000);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* the write counter reaching its point while throttled does not throttle twice */
	fx_count(&f, 0, MEMBW_CH_WRITE, 1000);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 1);
	fx_stop(&f);
}

static void test_one_channel_backend_refuses_write_budget(void)
{
	uint64_t r, w;

	fx_config(&f, 1, 1);
	f.tb.channels = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 2 * RATE_1000, RATE_1000),
			-MEMBW_EOPNOTSUPP);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 0, &r, &w), 0);
	CU_ASSERT_EQUAL(r, RATE_1000);
	CU_ASSERT_EQUAL(w, MEMBW_UNLIMITED);
	fx_stop(&f);
}

int suite_period(void)
{
	CU_pSuite s = CU_add_suite("period", NULL, NULL);

	if (!s || !CU_add_test(s, "64 MB/s at 1 ms is 1000 lines", test_budget_in_lines) ||
	    !CU_add_test(s, "armed for exactly the budget", test_armed_for_exactly_the_budget) ||
	    !CU_add_test(s, "period 0 at time 0", test_first_period_at_time_zero) ||
	    !CU_add_test(s, "budget - 1 runs on", test_one_short_of_budget_runs_on) ||
	    !CU_add_test(s, "last line throttles", test_last_line_of_budget_throttles) ||
	    !CU_add_test(s, "next period releases", test_next_period_releases_and_rearms) ||
	    !CU_add_test(s, "period end event", test_period_end_event_reports_use) ||
	    !CU_add_test(s, "late interrupt is overshoot", test_late_interrupt_is_overshoot) ||
	    !CU_add_test(s, "counts while throttled", test_counts_while_throttled) ||
	    !CU_add_test(s, "unassigned CPU", test_unassigned_cpu_counted_never_throttled) ||
	    !CU_add_test(s, "real-time CPU", test_realtime_cpu_counted_never_throttled) ||
	    !CU_add_test(s, "late tick", test_late_tick_closes_missed_periods) ||
	    !CU_add_test(s, "early tick", test_early_tick_changes_nothing) ||
	    !CU_add_test(s, "pool unused 2^30 periods", test_pool_unused_for_2_30_periods_refills) ||
	    !CU_add_test(s, "next tick", test_next_tick_is_next_period_start) ||
	    !CU_add_test(s, "zero budget", test_zero_budget_throttles_at_period_start) ||
	    !CU_add_test(s, "budget change next period", test_budget_change_takes_effect_next_period) ||
	    !CU_add_test(s, "zero, unlimited, back", test_zero_to_unlimited_and_back) ||
	    !CU_add_test(s, "offline while throttled", test_offline_while_throttled_releases) ||
	    !CU_add_test(s, "write budget separate", test_write_budget_is_separate) ||
	    !CU_add_test(s, "both budgets", test_both_budgets) ||
	    !CU_add_test(s, "one-channel backend", test_one_channel_backend_refuses_write_budget))
		return -1;
	return 0;
}
