/* SPDX-License-Identifier: MIT */
/*
 * The assertion every test here is written in: one assertion states one fact, and its message says
 * which ("counter reads 2^w - 900 after arm(1000) and 100 events", "A76 row 0x17: L2D_CACHE_REFILL"),
 * printf-style so that it can name the core, row, CPU or value it is about. And the one way to skip:
 * a test that cannot run for lack of something the substrate does not have says what, and is
 * counted as skipped (not passed, not failed).
 *
 *   CHECK(cond, fmt, ...)                  the fact @fmt.. holds; an expression, true if it did
 *   CHECK_EQ(actual, expected, fmt, ...)   the same for two unsigned values, both shown on failure
 *   CHECK_FATAL(cond, fmt, ...)            hosted only: as CHECK, and the test ends if it failed
 *   SKIP(fmt, ...)                         the running test is skipped; @fmt.. says why
 *
 * Two implementations, picked by what is linked:
 *   - hosted, on CUnit: tests/support/check.c. A CHECK is one CUnit assertion (a failure is a
 *     CUnit failure, with the formatted message, file and line); SKIP prints "SKIP <suite> /
 *     <test>: <why>" and cunit_run() counts the skipped tests in its summary line.
 *   - bare metal under QEMU (no libc, no CUnit): tests/qemu/harness/report.c prints "PASS|FAIL
 *     <test>: <fact>" and "SKIP <test>: <why>" on the console and counts them (report.h).
 *     Built with -DCHECK_BARE_METAL, where CHECK_FATAL does not exist: there is no way to leave a
 *     test half way there, so a test that cannot go on after a failed CHECK returns itself
 *     (`if (!CHECK(...)) return;`).
 */
#ifndef MEMBW_TEST_CHECK_H
#define MEMBW_TEST_CHECK_H

#include <stdbool.h>

/* Record one assertion: @ok, the fact @fmt.. (printf-style), at @file:@line. Returns @ok. */
bool check_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record that @actual == @expected; a failure shows both (decimal and hex). Returns whether equal. */
bool check_eq_at(unsigned long long actual, unsigned long long expected, const char *file,
		 unsigned int line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The running test is skipped; @fmt.. says what the substrate lacks. */
void check_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, ...) check_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ(actual, expected, ...)                                                            \
	check_eq_at((unsigned long long)(actual), (unsigned long long)(expected), __FILE__,        \
		    __LINE__, __VA_ARGS__)
#define SKIP(...) check_skip(__VA_ARGS__)

#ifndef CHECK_BARE_METAL
/* As check_at(), and a failure ends the running test (CUnit's fatal assertion). */
void check_fatal_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define CHECK_FATAL(cond, ...) check_fatal_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Hosted: how many tests of this process called SKIP (cunit_run() prints it). */
unsigned int check_skipped_tests(void);
#endif

#endif /* MEMBW_TEST_CHECK_H */
