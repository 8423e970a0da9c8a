/* SPDX-License-Identifier: MIT */
/* Runs every CUnit suite of the policy core; exits nonzero if any assertion failed. */
#include <CUnit/Basic.h>
#include <stdio.h>

int suite_units(void);
int suite_convert(void);
int suite_init(void);
int suite_period(void);
int suite_counter(void);
int suite_domain(void);
int suite_reclaim(void);
int suite_sharing(void);
int suite_control(void);

static int (*const suites[])(void) = {
	suite_units, suite_convert, suite_init, suite_period, suite_counter,
	suite_domain, suite_reclaim, suite_sharing, suite_control,
};

int main(void)
{
	unsigned int i, failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i]() != 0) {
			fprintf(stderr, "cannot register suite %u: %s\n", i, CU_get_error_msg());
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	printf("%s unit: %u suites, %u tests, %u assertions, %u failed\n",
	       failed ? "FAIL" : "PASS", CU_get_number_of_suites_run(), CU_get_number_of_tests_run(),
	       CU_get_number_of_asserts(), CU_get_number_of_failures());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
