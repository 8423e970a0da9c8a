/* SPDX-License-Identifier: MIT */
/*
 * The emulated raw counter of the perf backends (backends/perf/emulated_counter.h), on the host.
 * The expected values follow from the counting model of include/membw/backend.h alone: after
 * arm(n) and k events a raw counter of 64 bits reads 2^64 - n + k; rearm(n) after a read counts
 * from that read.
 */
#include <CUnit/Basic.h>
#include <stdint.h>

#include "check.h"
#include "cunit_run.h"
#include "emulated_counter.h"

static void test_arm_then_read(void)
{
	struct emulated_counter e = { 0 };

	emulated_counter_arm(&e, 5000, 1000);
	CHECK_EQ(emulated_counter_read(&e, 5000), (uint64_t)0 - 1000,
		 "reads 2^64 - 1000 right after arm(1000)");
	CHECK_EQ(emulated_counter_read(&e, 5100), (uint64_t)0 - 900,
		 "reads 2^64 - 900 after arm(1000) and 100 events");
	CHECK(!emulated_counter_reached(&e, 5999), "arm point not reached after 999 events");
	CHECK(emulated_counter_reached(&e, 6000), "arm point reached at the 1000th event");
	CHECK_EQ(emulated_counter_read(&e, 6003), 3, "reads 3 three events past the wrap");
	CHECK_EQ(emulated_counter_left(&e, 5100), 900, "900 events left after 100 of 1000");
	CHECK_EQ(emulated_counter_left(&e, 6100), 0, "none left past the arm point");
}

static void test_cumulative_count_wraps(void)
{
	struct emulated_counter e = { 0 };
	uint64_t c0 = (uint64_t)0 - 10; /* the cumulative count wraps 10 events from now */

	emulated_counter_arm(&e, c0, 100);
	CHECK_EQ(emulated_counter_read(&e, c0 + 50), (uint64_t)0 - 50,
		 "reads 2^64 - 50 after 50 events across the cumulative count's wrap");
	CHECK(emulated_counter_reached(&e, c0 + 100), "arm point reached across the wrap");
}

/* The events between a read and the re-arm count toward the new arm point with rearm, not arm. */
static void test_rearm_keeps_events_after_read(void)
{
	struct emulated_counter e = { 0 };

	emulated_counter_arm(&e, 0, 1000);
	CHECK_EQ(emulated_counter_read(&e, 1200), 200, "reads 200, 200 events past arm(1000)");
	/* 30 events happen between that read and the re-arm: the count is 1230 now. */
	emulated_counter_rearm(&e, 500);
	CHECK_EQ(emulated_counter_read(&e, 1230), (uint64_t)0 - 500 + 30,
		 "after rearm(500), the 30 events since the read are counted: 2^64 - 470");
	CHECK_EQ(emulated_counter_left(&e, 1230), 470, "470 events left to the new arm point");
	CHECK(emulated_counter_reached(&e, 1700), "new arm point is 500 events after the read");
	CHECK(!emulated_counter_reached(&e, 1699), "and not one event earlier");

	emulated_counter_arm(&e, 1230, 500); /* arm instead: the 30 events are lost */
	CHECK_EQ(emulated_counter_read(&e, 1230), (uint64_t)0 - 500, "arm(500) drops them");
}

static void test_rearm_past_arm_point(void)
{
	struct emulated_counter e = { 0 };

	emulated_counter_arm(&e, 0, 100);
	emulated_counter_read(&e, 100);
	emulated_counter_rearm(&e, 10);
	CHECK(emulated_counter_reached(&e, 120), "20 events after the read: rearm(10) is due at once");
	CHECK_EQ(emulated_counter_left(&e, 120), 0, "nothing left");
	CHECK_EQ(emulated_counter_read(&e, 120), 10, "reads 10: 10 events past the wrap");
}

static int suite_emulated_counter(void)
{
	CU_pSuite s = CU_add_suite("perf emulated counter", NULL, NULL);

	if (!s || !CU_add_test(s, "arm, read, arm point", test_arm_then_read) ||
	    !CU_add_test(s, "cumulative count wraps", test_cumulative_count_wraps) ||
	    !CU_add_test(s, "rearm keeps the events after the read",
			 test_rearm_keeps_events_after_read) ||
	    !CU_add_test(s, "rearm past the arm point is due at once", test_rearm_past_arm_point))
		return 1;
	return 0;
}

int main(void)
{
	int (*const suites[])(void) = { suite_emulated_counter };

	if (cunit_register(suites, 1))
		return 2;
	return cunit_run("emulated-counter");
}
