/* SPDX-License-Identifier: MIT */
/* Runs the agent library's suite against the fake device; exits nonzero if anything failed. */
#include "cunit_run.h"

int suite_agent(void);

static int (*const suites[])(void) = {suite_agent};

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("agent");
}
