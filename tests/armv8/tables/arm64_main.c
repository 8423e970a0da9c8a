/* SPDX-License-Identifier: MIT */
/*
 * The event-table suite again on aarch64 (under qemu-aarch64), plus the comparison with libpfm4's
 * Arm tables, which Debian builds only into its arm64 libpfm4.
 */
#include "cunit_run.h"

int suite_armv8_tables(void);
int suite_armv8_libpfm(void);

static int (*const suites[])(void) = { suite_armv8_tables, suite_armv8_libpfm };

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("armv8-events (aarch64, libpfm4)");
}
