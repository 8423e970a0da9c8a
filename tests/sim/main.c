/* SPDX-License-Identifier: MIT */
/* Runs every CUnit suite of the simulator and the scenario parser; nonzero exit on any failure. */
#include "cunit_run.h"

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
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("sim");
}
