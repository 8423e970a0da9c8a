/* SPDX-License-Identifier: MIT */
/* Runs every CUnit suite of the policy core; exits nonzero if any assertion failed. */
#include "cunit_run.h"

int suite_units(void);
int suite_convert(void);
int suite_init(void);
int suite_period(void);
int suite_counter(void);
int suite_domain(void);
int suite_reclaim(void);
int suite_sharing(void);
int suite_control(void);
int suite_backend_abi(void);
int suite_steady(void);
int suite_pool(void);

static int (*const suites[])(void) = {
	suite_units, suite_convert, suite_init, suite_period, suite_counter,
	suite_domain, suite_reclaim, suite_sharing, suite_control, suite_backend_abi,
	suite_steady, suite_pool,
};

/* The summary line's name: "unit", or e.g. "unit (aarch64, qemu-user)" for a cross build. */
#ifndef UNIT_RUN_NAME
#define UNIT_RUN_NAME "unit"
#endif

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run(UNIT_RUN_NAME);
}
