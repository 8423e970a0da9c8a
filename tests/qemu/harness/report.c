/* SPDX-License-Identifier: MIT */
/* The bare-metal implementation of tests/support/check.h (contract there and in report.h). */
#include "platform.h"
#include "report.h"

static const char *current = "(no test)";
static bool test_failed, test_skipped, in_test;
static unsigned int passed, failed, skipped, assertions, assertions_failed;

void report_test_begin(const char *name)
{
	current = name;
	test_failed = false;
	test_skipped = false;
	in_test = true;
}

bool report_test_end(void)
{
	bool ok = !test_failed;

	if (test_failed)
		failed++;
	else if (test_skipped)
		skipped++;
	else
		passed++;
	in_test = false;
	current = "(no test)";
	return ok;
}

void report_test(const char *name, void (*fn)(void))
{
	report_test_begin(name);
	fn();
	report_test_end();
}

static bool vreport(bool ok, const char *file, unsigned int line, const char *detail,
		    const char *fmt, va_list ap)
{
	assertions++;
	if (!ok) {
		assertions_failed++;
		test_failed = true;
		if (!in_test)
			failed++;
	}
	pf_printf("%s %s: ", ok ? "PASS" : "FAIL", current);
	pf_vprintf(fmt, ap);
	if (!ok)
		pf_printf(" %s[%s:%u]", detail ? detail : "", file, line);
	pf_puts("\n");
	return ok;
}

bool check_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ok, file, line, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

static void format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

bool check_eq_at(unsigned long long actual, unsigned long long expected, const char *file,
		 unsigned int line, const char *fmt, ...)
{
	char detail[112];
	va_list ap;
	bool ok = actual == expected;

	format(detail, sizeof(detail), "(got %llu = 0x%llx, expected %llu = 0x%llx) ", actual, actual,
	       expected, expected);
	va_start(ap, fmt);
	vreport(ok, file, line, detail, fmt, ap);
	va_end(ap);
	return ok;
}

void check_skip(const char *fmt, ...)
{
	va_list ap;

	test_skipped = true;
	pf_printf("SKIP %s: ", current);
	va_start(ap, fmt);
	pf_vprintf(fmt, ap);
	va_end(ap);
	pf_puts("\n");
}

void report_note(const char *fmt, ...)
{
	va_list ap;

	pf_printf("NOTE %s: ", current);
	va_start(ap, fmt);
	pf_vprintf(fmt, ap);
	va_end(ap);
	pf_puts("\n");
}

int report_finish(const char *image)
{
	pf_printf("SUMMARY %s: %u tests passed, %u failed, %u skipped; %u assertions, %u failed\n",
		  image, passed, failed, skipped, assertions, assertions_failed);
	pf_printf("RESULT %s: %s\n", image, failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
