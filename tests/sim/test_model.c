/* SPDX-License-Identifier: MIT */
/*
 * The machine without regulation: traffic, progress and contention, each checked against hand
 * arithmetic on the model's definitions (docs/sim.md).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "helpers.h"

static struct run r;

static void test_streaming_core_moves_demand_times_time(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 6.4 GB/s x 10 ms / 64 B = 1,000,000 lines */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 1000000);
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_WRITE], 0);
	/* alone and unthrottled: 10 ms of work in 10 ms */
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 10 * MS);
	run_free(&r);
}

static void test_policy_counts_what_the_core_moved(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* the PMU counted every line: the policy's statistics agree with the ground truth */
	CU_ASSERT_EQUAL(r.res.cpu[0].stats.totals.ch[MEMBW_CH_READ].used, 1000000);
	/* 10 periods of 1 ms, each 100,000 lines */
	CU_ASSERT_EQUAL(r.res.cpu[0].stats.totals.periods, 10);
	CU_ASSERT_EQUAL(run_periods_not_using(&r, 0, MEMBW_CH_READ, 100000), 0);
	run_free(&r);
}

static void test_write_phase_counts_write_backs(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_WRITE, 0, GBPS(3.2), 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 3.2 GB/s x 10 ms / 64 B = 500,000 write-backs, no refills */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_WRITE], 500000);
	CU_ASSERT_EQUAL(r.res.cpu[0].stats.totals.ch[MEMBW_CH_WRITE].used, 500000);
	CU_ASSERT_EQUAL(r.res.cpu[0].stats.totals.ch[MEMBW_CH_READ].used, 0);
	run_free(&r);
}

static void test_compute_phase_moves_nothing_and_progresses(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_COMPUTE, 0, 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 0);
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 10 * MS);
	run_free(&r);
}

static void test_phases_alternate(void)
{
	run_init(&r, 1);
	run_add_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 250 * US);
	run_add_phase(&r, 0, SIM_PHASE_COMPUTE, 0, 0, 250 * US);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* reading half the time: 6.4 GB/s x 5 ms / 64 B = 500,000 lines */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 500000);
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 10 * MS);
	run_free(&r);
}

static void test_workload_without_repeat_ends(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 100 * US);
	r.wl[0].repeat = false;
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 6.4 GB/s x 100 us / 64 B = 10,000 lines, then idle */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 10000);
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 100 * US);
	run_free(&r);
}

static void test_two_hogs_on_a_saturated_dram_share_it(void)
{
	run_init(&r, 2);
	r.cfg.peak_bps = GBPS(6);
	run_phase(&r, 0, SIM_PHASE_READ, GBPS(6), 0, 1000 * MS);
	run_phase(&r, 1, SIM_PHASE_READ, GBPS(6), 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 12 GB/s asked of 6 GB/s: each served 3 GB/s; 3 GB/s x 10 ms / 64 B = 468,750 lines */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 468750);
	CU_ASSERT_EQUAL(r.res.cpu[1].lines[MEMBW_CH_READ], 468750);
	/* half speed: 5 ms of work in 10 ms */
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 5 * MS);
	run_free(&r);
}

static void test_contention_slows_cores_in_proportion(void)
{
	run_init(&r, 3);
	r.cfg.peak_bps = GBPS(6);
	run_phase(&r, 0, SIM_PHASE_READ, GBPS(1), 0, 1000 * MS);
	run_phase(&r, 1, SIM_PHASE_READ, GBPS(4), 0, 1000 * MS);
	run_phase(&r, 2, SIM_PHASE_READ, GBPS(7), 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 12 GB/s asked of 6 GB/s: s = 1/2 for all. Core 0: 0.5 GB/s x 10 ms / 64 = 78,125 lines;
	 * core 2: 3.5 GB/s -> 546,875 lines */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 78125);
	CU_ASSERT_EQUAL(r.res.cpu[2].lines[MEMBW_CH_READ], 546875);
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, r.res.cpu[2].work_ns);
	run_free(&r);
}

static void test_computing_core_is_not_slowed_by_contention(void)
{
	run_init(&r, 3);
	r.cfg.peak_bps = GBPS(6);
	run_phase(&r, 0, SIM_PHASE_COMPUTE, 0, 0, 1000 * MS);
	run_phase(&r, 1, SIM_PHASE_READ, GBPS(6), 0, 1000 * MS);
	run_phase(&r, 2, SIM_PHASE_READ, GBPS(6), 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	CU_ASSERT_EQUAL(r.res.cpu[0].work_ns, 10 * MS);
	run_free(&r);
}

static void test_mixed_phase_splits_reads_and_writes(void)
{
	run_init(&r, 2);
	r.cfg.peak_bps = GBPS(6);
	run_phase(&r, 0, SIM_PHASE_MIXED, GBPS(4), GBPS(2), 1000 * MS);
	run_phase(&r, 1, SIM_PHASE_READ, GBPS(6), 0, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	/* 12 GB/s asked, s = 1/2: core 0 reads 2 GB/s (312,500 lines in 10 ms), writes 1 GB/s
	 * (156,250 lines) */
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_READ], 312500);
	CU_ASSERT_EQUAL(r.res.cpu[0].lines[MEMBW_CH_WRITE], 156250);
	run_free(&r);
}

static void test_series_samples_every_period(void)
{
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	r.cfg.record_series = true;
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	CU_ASSERT_EQUAL(r.res.cpu[0].nseries, 10);
	/* 100,000 lines per 1 ms; work 1 ms per period, cumulative */
	CU_ASSERT_EQUAL(r.res.cpu[0].series[9].lines[MEMBW_CH_READ], 100000);
	CU_ASSERT_EQUAL(r.res.cpu[0].series[4].work_ns, 5 * MS);
	run_free(&r);
}

static void test_same_seed_same_run(void)
{
	struct run again;
	bool same = true;
	uint32_t i;

	run_init(&r, 3);
	r.cfg.peak_bps = GBPS(6);
	r.cfg.tick_jitter_ns = 5 * US;
	r.cfg.irq_latency_ns = 2 * US;
	for (i = 0; i < 3; i++) {
		run_phase(&r, i, SIM_PHASE_READ, GBPS(3), 0, 1000 * MS);
		run_budget(&r, i, MBPS(300));
	}
	again = r;
	again.log = (struct trace_log){ 0 }; /* its own records, not r's */
	again.cfg.workloads = again.wl;
	again.cfg.trace_ctx = &again.log;
	again.cfg.reg.budget = (const uint64_t(*)[MEMBW_NCHANNELS])again.budget;
	again.cfg.reg.domain_of = again.domain_of;
	CU_ASSERT_EQUAL_FATAL(run_go(&r), 0);
	CU_ASSERT_EQUAL_FATAL(run_go(&again), 0);
	for (i = 0; i < 3; i++) {
		same &= r.res.cpu[i].lines[0] == again.res.cpu[i].lines[0];
		same &= r.res.cpu[i].work_ns == again.res.cpu[i].work_ns;
		same &= r.res.cpu[i].throttled_ns == again.res.cpu[i].throttled_ns;
	}
	CU_ASSERT_TRUE(same);
	CU_ASSERT_EQUAL(r.log.n, again.log.n);
	CU_ASSERT_EQUAL(memcmp(r.log.rec, again.log.rec, r.log.n * sizeof(*r.log.rec)), 0);
	run_free(&again);
	run_free(&r);
}

static void test_bad_configurations_are_refused(void)
{
	char buf[256];
	const char *why = NULL;

	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	r.cfg.guaranteed_bps = r.cfg.peak_bps + 1;
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "guaranteed bandwidth is above the peak"));
	run_init(&r, 1);
	r.cfg.irq_latency_ns = r.cfg.period_ns;
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_EINVAL);
	/* a read phase without a read demand */
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, 0, GBPS(1), 1000 * MS);
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "core 0: phase 1: a read phase needs a read demand"));
	/* more than one 64-byte line per ns */
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, GBPS(65), 0, 1000 * MS);
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_EINVAL);
	/* a budget below one line per period: 32 kB/s x 1 ms = 32 B < 64 B */
	run_init(&r, 1);
	run_phase(&r, 0, SIM_PHASE_READ, HOG_BPS, 0, 1000 * MS);
	run_budget(&r, 0, 32000);
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_ERANGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "below one 64-byte line per period"));
	/* a fault on a core that is not there */
	run_init(&r, 1);
	r.faults[0] = (struct sim_fault){ .kind = SIM_FAULT_MISSED_TICK, .cpu = 1 };
	r.cfg.faults = r.faults;
	r.cfg.nfaults = 1;
	CU_ASSERT_EQUAL(sim_validate(&r.cfg, buf, sizeof(buf), &why), -MEMBW_EINVAL);
	/* a refused run leaves no result behind */
	CU_ASSERT_EQUAL(run_go(&r), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NULL(r.res.cpu);
	run_free(&r);
}

int suite_model(void)
{
	CU_pSuite s = CU_add_suite("sim model: traffic, progress, contention", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "streaming core moves demand x time",
		    test_streaming_core_moves_demand_times_time);
	CU_add_test(s, "policy counts what the core moved", test_policy_counts_what_the_core_moved);
	CU_add_test(s, "write phase counts write-backs", test_write_phase_counts_write_backs);
	CU_add_test(s, "compute phase moves nothing and progresses",
		    test_compute_phase_moves_nothing_and_progresses);
	CU_add_test(s, "phases alternate", test_phases_alternate);
	CU_add_test(s, "workload without repeat ends", test_workload_without_repeat_ends);
	CU_add_test(s, "two hogs on a saturated DRAM share it",
		    test_two_hogs_on_a_saturated_dram_share_it);
	CU_add_test(s, "contention slows cores in proportion",
		    test_contention_slows_cores_in_proportion);
	CU_add_test(s, "computing core is not slowed by contention",
		    test_computing_core_is_not_slowed_by_contention);
	CU_add_test(s, "mixed phase splits reads and writes",
		    test_mixed_phase_splits_reads_and_writes);
	CU_add_test(s, "series samples every period", test_series_samples_every_period);
	CU_add_test(s, "same seed, same run", test_same_seed_same_run);
	CU_add_test(s, "bad configurations are refused", test_bad_configurations_are_refused);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
