/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: for every switch, the error is bounded and the policy recovers within one
 * period. One hog, 10,000-line budget, zero latency, 10 periods (helpers.h); period k spans
 * [k ms, k+1 ms) and the hog spends its budget in its first 100 us.
 */
#include <CUnit/CUnit.h>

#include "helpers.h"

static struct run r;

static void start(enum sim_fault_kind kind, uint64_t at, uint64_t value)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	run_budget(&r, 0, BUDGET_10K_BPS);
	r.cfg.record_series = true;
	r.faults[0] = (struct sim_fault){ .kind = kind, .cpu = 0, .at_ns = at, .value = value };
	r.cfg.nfaults = 1;
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
}

static uint64_t lines_in_period(unsigned int k)
{
	return r.res.cpu[0].series[k].lines[MEMBW_CH_READ];
}

static const struct membw_trace_record *period_end(uint64_t epoch)
{
	size_t i;

	for (i = 0; i < r.log.n; i++)
		if (r.log.rec[i].type == MEMBW_TRACE_PERIOD_END && r.log.rec[i].channel == MEMBW_CH_READ &&
		    r.log.rec[i].epoch == epoch)
			return &r.log.rec[i];
	return NULL;
}

static void test_lost_interrupt_costs_at_most_one_period(void)
{
	start(SIM_FAULT_LOST_OVERFLOW, 3 * MS, 0);
	/* the interrupt of period 3 is lost: the hog runs the whole period, 1 ms / 10 ns lines,
	 * which is also the bound: demand x period */
	CU_ASSERT_EQUAL(lines_in_period(3), 100000);
	CU_ASSERT_EQUAL(period_end(3)->overshoot, 100000 - LINES_10K);
	/* recovered in the next period */
	CU_ASSERT_EQUAL(lines_in_period(4), LINES_10K);
	CU_ASSERT_EQUAL(period_end(4)->used, LINES_10K);
	run_free(&r);
}

static void test_late_tick_delays_but_does_not_overspend(void)
{
	start(SIM_FAULT_LATE_TICK, 5 * MS, 200 * US);
	/* period 4 is closed by the tick that came at 5.2 ms ... */
	CU_ASSERT_EQUAL(period_end(4)->now_ns, 5 * MS + 200 * US);
	/* ... the hog stayed throttled until then and spent exactly one budget in each period */
	CU_ASSERT_EQUAL(period_end(4)->used, LINES_10K);
	CU_ASSERT_EQUAL(period_end(5)->used, LINES_10K);
	CU_ASSERT_EQUAL(lines_in_period(5), LINES_10K);
	CU_ASSERT_EQUAL(lines_in_period(6), LINES_10K);
	run_free(&r);
}

static void test_missed_tick_is_counted_and_recovered(void)
{
	const struct membw_trace_record *ev;

	start(SIM_FAULT_MISSED_TICK, 5 * MS, 0);
	CU_ASSERT_EQUAL(r.res.cpu[0].stats.totals.missed_periods, 1);
	/* the tick at 6 ms closes periods 4 and 5 together: still one budget in all */
	ev = period_end(4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_EQUAL(ev->periods, 2);
	CU_ASSERT_EQUAL(ev->used, LINES_10K);
	/* held through period 5, never above the budget; normal again in period 6 */
	CU_ASSERT_EQUAL(lines_in_period(5), 0);
	CU_ASSERT_EQUAL(lines_in_period(6), LINES_10K);
	run_free(&r);
}

static void test_clobbered_to_zero_overspends_one_period_at_most(void)
{
	/* at 3.05 ms, 50 us / 10 ns = 5,000 lines into period 3, someone writes 0 into the counter:
	 * it is now 2^32 lines from a wrap, so no interrupt comes this period */
	start(SIM_FAULT_CLOBBER, 3 * MS + 50 * US, 0);
	CU_ASSERT_EQUAL(lines_in_period(3), 100000);
	CU_ASSERT_EQUAL(lines_in_period(4), LINES_10K);
	CU_ASSERT_EQUAL(period_end(4)->used, LINES_10K);
	run_free(&r);
}

static void test_clobbered_near_the_wrap_throttles_early(void)
{
	/* at 3.05 ms (5,000 lines into period 3) the counter is set 16 lines short of its wrap: the
	 * interrupt comes 160 ns later and the policy, reading a counter past its arm point,
	 * throttles early (the safe side): 5,000 + 16 lines in period 3 */
	start(SIM_FAULT_CLOBBER, 3 * MS + 50 * US, 0xFFFFFFF0u);
	CU_ASSERT_EQUAL(lines_in_period(3), 5016);
	CU_ASSERT_EQUAL(lines_in_period(4), LINES_10K);
	run_free(&r);
}

static void test_clobbered_far_past_is_flagged_as_a_jump(void)
{
	/* 2^31 + 2^30 past the arm point cannot be interrupt latency: a counter jump */
	start(SIM_FAULT_CLOBBER, 3 * MS + 50 * US, 0xC0000000u);
	CU_ASSERT_TRUE(r.res.cpu[0].stats.totals.anomalies >= 1);
	CU_ASSERT_EQUAL(lines_in_period(4), LINES_10K);
	run_free(&r);
}

int suite_faults(void)
{
	CU_pSuite s = CU_add_suite("sim faults: bounded error, recovery within a period", NULL,
				   NULL);

	if (!s)
		return -1;
	CU_add_test(s, "lost interrupt costs at most one period",
		    test_lost_interrupt_costs_at_most_one_period);
	CU_add_test(s, "late tick delays but does not overspend",
		    test_late_tick_delays_but_does_not_overspend);
	CU_add_test(s, "missed tick is counted and recovered",
		    test_missed_tick_is_counted_and_recovered);
	CU_add_test(s, "counter clobbered to 0 overspends one period at most",
		    test_clobbered_to_zero_overspends_one_period_at_most);
	CU_add_test(s, "counter clobbered near the wrap throttles early",
		    test_clobbered_near_the_wrap_throttles_early);
	CU_add_test(s, "counter clobbered far past is flagged as a jump",
		    test_clobbered_far_past_is_flagged_as_a_jump);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
