/* SPDX-License-Identifier: MIT */
/* The hosted implementation of check.h on CUnit (the bare-metal one is tests/qemu/harness/report.c). */
#include "check.h"

#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>

static unsigned int skipped_tests;
static CU_pTest last_skipped;

static bool check_vat(bool ok, bool fatal, const char *file, unsigned int line, const char *detail,
		      const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (detail && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, " %s", detail);
	/* CUnit copies the message when it records a failure: a stack buffer is fine. A fatal
	 * failure longjmps out of the test from here. */
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", fatal ? CU_TRUE : CU_FALSE);
	return ok;
}

bool check_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vat(ok, false, file, line, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

void check_fatal_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vat(ok, true, file, line, NULL, fmt, ap);
	va_end(ap);
}

bool check_eq_at(unsigned long long actual, unsigned long long expected, const char *file,
		 unsigned int line, const char *fmt, ...)
{
	char detail[96];
	va_list ap;
	bool ok = actual == expected;

	snprintf(detail, sizeof(detail), "(got %llu = 0x%llx, expected %llu = 0x%llx)", actual, actual,
		 expected, expected);
	va_start(ap, fmt);
	check_vat(ok, false, file, line, ok ? NULL : detail, fmt, ap);
	va_end(ap);
	return ok;
}

void check_skip(const char *fmt, ...)
{
	CU_pSuite suite = CU_get_current_suite();
	CU_pTest test = CU_get_current_test();
	va_list ap;

	/* A test counts once however many things it skips. */
	if (!test || test != last_skipped)
		skipped_tests++;
	last_skipped = test;
	/* CUnit's basic mode has printed "Test: <name> ..." without a newline: start a line. */
	printf("\n    SKIP %s / %s: ", suite && suite->pName ? suite->pName : "?",
	       test && test->pName ? test->pName : "?");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" ");
}

unsigned int check_skipped_tests(void)
{
	return skipped_tests;
}
