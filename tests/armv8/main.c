/* SPDX-License-Identifier: MIT */
/* Host tests of backends/armv8 on a simulated register file (ARMV8_FAKE_REGS). */
#include "cunit_run.h"

int armv8_filters_suite(void);
int armv8_probe_suite(void);
int armv8_counters_suite(void);
int armv8_policy_suite(void);

int main(void)
{
	static int (*const suites[])(void) = { armv8_probe_suite, armv8_filters_suite,
					       armv8_counters_suite, armv8_policy_suite };
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("armv8 host");
}
