/* SPDX-License-Identifier: MIT */
/*
 * Runs every CUnit suite of the simulator, the scenario parser and the text helpers; nonzero exit
 * on any failure.
 */
#include "cunit_run.h"

int suite_parts(void);
int suite_model(void);
int suite_regulation(void);
int suite_faults(void);
int suite_scenario(void);
int suite_text(void);

static int (*const suites[])(void) = {
	suite_parts, suite_model, suite_regulation, suite_faults, suite_scenario, suite_text,
};

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("sim");
}
