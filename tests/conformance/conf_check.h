/* SPDX-License-Identifier: MIT */
/*
 * The assertion layer the conformance suite and the bare-metal test images are written in. One
 * assertion states one fact; its message says which ("counter reads 2^w - 900 after arm(1000)
 * and 100 events"). Two implementations, picked by what is linked:
 *   - hosted, on CUnit: conf_cunit.c (failures are CUnit assertion failures);
 *   - bare metal: tests/qemu/harness/report.c ("PASS <test>: <fact>" / "FAIL ..." lines on the
 *     console, counted, and a summary).
 */
#ifndef MEMBW_CONF_CHECK_H
#define MEMBW_CONF_CHECK_H

#include <stdbool.h>

/* Record one assertion. @fmt..: the fact, printf-style. Returns @ok. */
bool conf_report(bool ok, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The running test cannot go on here for lack of something the substrate does not have: say
 * what, and count it as skipped (not passed, not failed). */
void conf_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Check @cond; the message states the fact that should hold. An expression: true if it held. */
#define CONF_CHECK(cond, ...) conf_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Equality of two unsigned values, with both shown on failure. */
#define CONF_CHECK_EQ(actual, expected, ...)                                                       \
	conf_check_eq((unsigned long long)(actual), (unsigned long long)(expected), __FILE__,     \
		      __LINE__, __VA_ARGS__)

bool conf_check_eq(unsigned long long actual, unsigned long long expected, const char *file,
		   unsigned int line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif /* MEMBW_CONF_CHECK_H */
