/* SPDX-License-Identifier: MIT */
/*
 * The comparison with Linux perf's Arm event lists, on the build machine (the lists are data
 * files, so no emulator is needed). Exits nonzero if any assertion failed or the lists are
 * missing.
 */
#include "cunit_run.h"

int suite_armv8_linux(void);

static int (*const suites[])(void) = { suite_armv8_linux };

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("armv8-events (Linux perf lists)");
}
