/* SPDX-License-Identifier: MIT */
/* Runs every CUnit suite of the simulator and the scenario parser; nonzero exit on any failure. */
#include <CUnit/Basic.h>
#include <stdio.h>

int suite_parts(void);
int suite_model(void);
int suite_regulation(void);
int suite_faults(void);
int suite_scenario(void);

static int (*const suites[])(void) = {
	suite_parts, suite_model, suite_regulation, suite_faults, suite_scenario,
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
	printf("%s sim: %u suites, %u tests, %u assertions, %u failed\n", failed ? "FAIL" : "PASS",
	       CU_get_number_of_suites_run(), CU_get_number_of_tests_run(),
	       CU_get_number_of_asserts(), CU_get_number_of_failures());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
