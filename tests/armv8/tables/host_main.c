/* SPDX-License-Identifier: MIT */
/* The event-table suite on the build machine; exits nonzero if any assertion failed. */
#include "cunit_run.h"

int suite_armv8_tables(void);

static int (*const suites[])(void) = { suite_armv8_tables };

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("armv8-events (host)");
}
