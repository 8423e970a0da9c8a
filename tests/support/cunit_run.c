/* SPDX-License-Identifier: MIT */
#include "cunit_run.h"

#include "check.h"

#include <CUnit/Basic.h>
#include <stdio.h>

int cunit_register(int (*const suites[])(void), unsigned int n)
{
	unsigned int i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < n; i++) {
		if (suites[i]() != 0) {
			fprintf(stderr, "cannot register suite %u: %s\n", i, CU_get_error_msg());
			return 2;
		}
	}
	return 0;
}

int cunit_run(const char *name)
{
	unsigned int failed;

	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	/* CUnit has no skipped state (a test that skipped ran, for CUnit): check.h counts them. */
	printf("%s %s: %u suites, %u tests, %u assertions, %u failed, %u tests skipped\n",
	       failed ? "FAIL" : "PASS", name, CU_get_number_of_suites_run(),
	       CU_get_number_of_tests_run(), CU_get_number_of_asserts(), CU_get_number_of_failures(),
	       check_skipped_tests());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
