/* SPDX-License-Identifier: MIT */
/* The few lines every CUnit runner here shares: register suites, run, print one summary line. */
#ifndef MEMBW_TEST_CUNIT_RUN_H
#define MEMBW_TEST_CUNIT_RUN_H

/* Initialise the registry and register @n suites; 0, or 2 (printed) if that failed. */
int cunit_register(int (*const suites[])(void), unsigned int n);

/*
 * Run everything registered, print "PASS|FAIL @name: S suites, T tests, A assertions, F failed,
 * K tests skipped" (K: tests that called SKIP, check.h), clean up. Returns the exit status: 0 if
 * all passed, 1 otherwise.
 */
int cunit_run(const char *name);

#endif
