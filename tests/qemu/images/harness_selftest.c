/* SPDX-License-Identifier: MIT */
/*
 * The runner's own check: this image states one false fact on purpose, so it must report FAIL
 * and exit non-zero; its configuration says expect = fail. If the report layer or the runner
 * stopped noticing failures, this run would "pass" and the runner would flag it.
 */
#include "platform.h"
#include "report.h"

static void test_false_fact(void)
{
	CHECK_EQ(1 + 1, 3, "deliberately false: 1 + 1 is 3 (the runner expects this to FAIL)");
}

int test_main(void)
{
	report_test("a failing assertion fails the image", test_false_fact);
	return report_finish("harness_selftest");
}
