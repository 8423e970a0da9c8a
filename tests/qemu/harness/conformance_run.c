/* SPDX-License-Identifier: MIT */
/* The bare-metal runner of the conformance suite (conformance.h): every test, in order. */
#include "conformance.h"
#include "platform.h"
#include "report.h"

unsigned int conformance_run(const struct membw_conformance_driver *drv)
{
	unsigned int i, failed = 0;

	for (i = 0; i < conformance_ntests; i++) {
		conformance_use(drv);
		report_test_begin(conformance_tests[i].name);
		conformance_tests[i].fn();
		if (!report_test_end())
			failed++;
	}
	return failed;
}
