/* SPDX-License-Identifier: MIT */
/* The simulator's parts on their own: the contention rule, the event queue, trace files. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dram.h"
#include "event_queue.h"
#include "helpers.h"
#include "trace_csv.h"

static void test_uncontended_progress_is_full_speed(void)
{
	/* 5 GB/s asked of a 6 GB/s DRAM: 1000 ns of solo time per 1000 ns, 1024 units per ns */
	CU_ASSERT_EQUAL(sim_dram_progress(1000, GBPS(5), GBPS(6)), 1000 * SIM_SCALE);
}

static void test_demand_equal_to_peak_is_full_speed(void)
{
	CU_ASSERT_EQUAL(sim_dram_progress(1000, GBPS(6), GBPS(6)), 1000 * SIM_SCALE);
}

static void test_contended_progress_is_peak_over_demand(void)
{
	/* 12 GB/s asked of 6 GB/s: s = 1/2, so 1000 ns give 500 ns of solo time = 512000 units */
	CU_ASSERT_EQUAL(sim_dram_progress(1000, GBPS(12), GBPS(6)), 512000);
}

static void test_contended_progress_rounds_down(void)
{
	/* 18 GB/s asked of 6 GB/s: s = 1/3; 1 ns gives 1024/3 = 341.33 units, rounded to 341 */
	CU_ASSERT_EQUAL(sim_dram_progress(1, GBPS(18), GBPS(6)), 341);
}

static void test_time_for_is_the_inverse_rounded_up(void)
{
	/* 512000 units at s = 1/2 take exactly 1000 ns; one unit more takes one ns more */
	CU_ASSERT_EQUAL(sim_dram_time_for(512000, GBPS(12), GBPS(6)), 1000);
	CU_ASSERT_EQUAL(sim_dram_time_for(512001, GBPS(12), GBPS(6)), 1001);
}

static void test_time_for_uncontended(void)
{
	/* 1024 units = 1 ns; 1025 units need 2 ns */
	CU_ASSERT_EQUAL(sim_dram_time_for(1024, GBPS(1), GBPS(6)), 1);
	CU_ASSERT_EQUAL(sim_dram_time_for(1025, GBPS(1), GBPS(6)), 2);
}

static void test_queue_pops_in_key_order(void)
{
	struct sim_queue q = { 0 };
	uint64_t keys[] = { 50, 10, 40, 30, 20 }, last = 0;
	size_t i;
	bool ordered = true;

	for (i = 0; i < 5; i++)
		sim_queue_push(&q, keys[i], (uint32_t)i, 0, 0, 0);
	for (i = 0; i < 5; i++) {
		ordered &= sim_queue_top(&q)->key >= last;
		last = sim_queue_top(&q)->key;
		sim_queue_pop(&q);
	}
	CU_ASSERT_TRUE(ordered);
	CU_ASSERT_PTR_NULL(sim_queue_top(&q));
	sim_queue_free(&q);
}

static void test_queue_ties_are_first_come_first_served(void)
{
	struct sim_queue q = { 0 };
	uint32_t i;
	bool fifo = true;

	for (i = 0; i < 100; i++)
		sim_queue_push(&q, 7, i, 0, 0, 0);
	for (i = 0; i < 100; i++) {
		fifo &= sim_queue_top(&q)->cpu == i;
		sim_queue_pop(&q);
	}
	CU_ASSERT_TRUE(fifo);
	sim_queue_free(&q);
}

static int read_trace(const char *text, struct sim_phase **ph, size_t *n, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ret = sim_trace_read(f, "t.csv", ph, n, err, 256);
	fclose(f);
	return ret;
}

static void test_trace_rows_become_phases(void)
{
	struct sim_phase *ph = NULL;
	size_t n = 0;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(read_trace("# c\nduration,read,write\n250us,1GB/s,0\n\n1ms,0,0\n"
					 "2ms,1MB/s,2MB/s\n3ms,0,5kB/s\n", &ph, &n, err), 0);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(ph[0].kind, SIM_PHASE_READ);
	CU_ASSERT_EQUAL(ph[0].length_ns, 250000);
	CU_ASSERT_EQUAL(ph[0].demand[MEMBW_CH_READ], 1000000000);
	CU_ASSERT_EQUAL(ph[1].kind, SIM_PHASE_COMPUTE);
	CU_ASSERT_EQUAL(ph[2].kind, SIM_PHASE_MIXED);
	CU_ASSERT_EQUAL(ph[2].demand[MEMBW_CH_WRITE], 2000000);
	CU_ASSERT_EQUAL(ph[3].kind, SIM_PHASE_WRITE);
	free(ph);
}

static void test_trace_needs_its_header(void)
{
	struct sim_phase *ph = NULL;
	size_t n = 0;
	char err[256];

	CU_ASSERT_EQUAL(read_trace("time,read,write\n1ms,0,0\n", &ph, &n, err), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.csv:1: expected the header line"));
	CU_ASSERT_PTR_NULL(ph);
}

static void test_trace_bad_rate_names_line_and_column(void)
{
	struct sim_phase *ph = NULL;
	size_t n = 0;
	char err[256];

	CU_ASSERT_EQUAL(read_trace("duration,read,write\n1ms,1GB/s,0\n1ms,fast,0\n", &ph, &n, err),
			-MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.csv:3: read 'fast'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "expected a rate"));
	CU_ASSERT_PTR_NULL(ph);
}

static void test_trace_bad_duration_and_field_count(void)
{
	struct sim_phase *ph = NULL;
	size_t n = 0;
	char err[256];

	CU_ASSERT_EQUAL(read_trace("duration,read,write\n0ms,1GB/s,0\n", &ph, &n, err),
			-MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.csv:2: duration '0ms'"));
	CU_ASSERT_EQUAL(read_trace("duration,read,write\n1ms,1GB/s\n", &ph, &n, err),
			-MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.csv:2: expected 3 comma-separated fields"));
}

static void test_trace_without_rows_is_refused(void)
{
	struct sim_phase *ph = NULL;
	size_t n = 0;
	char err[256];

	CU_ASSERT_EQUAL(read_trace("duration,read,write\n", &ph, &n, err), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no rows"));
}

int suite_parts(void)
{
	CU_pSuite s = CU_add_suite("sim parts: contention rule, event queue, traces", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "uncontended progress is full speed",
		    test_uncontended_progress_is_full_speed);
	CU_add_test(s, "demand equal to the peak is full speed",
		    test_demand_equal_to_peak_is_full_speed);
	CU_add_test(s, "contended progress is peak / demand",
		    test_contended_progress_is_peak_over_demand);
	CU_add_test(s, "contended progress rounds down", test_contended_progress_rounds_down);
	CU_add_test(s, "time_for is the inverse, rounded up",
		    test_time_for_is_the_inverse_rounded_up);
	CU_add_test(s, "time_for uncontended", test_time_for_uncontended);
	CU_add_test(s, "queue pops in key order", test_queue_pops_in_key_order);
	CU_add_test(s, "queue ties are first come first served",
		    test_queue_ties_are_first_come_first_served);
	CU_add_test(s, "trace rows become phases", test_trace_rows_become_phases);
	CU_add_test(s, "trace needs its header", test_trace_needs_its_header);
	CU_add_test(s, "trace: bad rate names line and column",
		    test_trace_bad_rate_names_line_and_column);
	CU_add_test(s, "trace: bad duration, bad field count",
		    test_trace_bad_duration_and_field_count);
	CU_add_test(s, "trace without rows is refused", test_trace_without_rows_is_refused);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
