/* SPDX-License-Identifier: MIT */
/* Runs the memtalk suites; exits nonzero if any assertion failed. */
#include "cunit_run.h"

int suite_guest(void);
int suite_host(void);

static int (*const suites[])(void) = {suite_guest, suite_host};

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("memtalk");
}
