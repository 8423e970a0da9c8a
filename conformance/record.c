/* SPDX-License-Identifier: MIT */
/*
 * The library's implementation of tests/support/check.h: each CHECK counts toward the running
 * fact; the first failed one makes it FAIL with that check's message as the reason, a SKIP makes
 * a fact that has not failed SKIP with its reason. Nothing is printed here (print.c does).
 */
#include <stdarg.h>
#include <stdio.h>

#include "check.h"
#include "internal.h"

static struct membw_conformance_fact *cur;

void record_begin(struct membw_conformance_fact *f)
{
	cur = f;
	if (f) {
		f->result = MEMBW_CONFORMANCE_PASS;
		f->checks = 0;
		f->reason[0] = '\0';
	}
}

static void set_reason(const char *detail, const char *fmt, va_list ap)
{
	int n = vsnprintf(cur->reason, sizeof(cur->reason), fmt, ap);

	if (detail && n >= 0 && (size_t)n < sizeof(cur->reason))
		snprintf(cur->reason + n, sizeof(cur->reason) - (size_t)n, " %s", detail);
}

static bool record(bool ok, const char *detail, const char *fmt, va_list ap)
{
	if (!cur)
		return ok;
	cur->checks++;
	if (!ok && cur->result != MEMBW_CONFORMANCE_FAIL) {
		cur->result = MEMBW_CONFORMANCE_FAIL;
		set_reason(detail, fmt, ap);
	}
	return ok;
}

bool check_at(bool ok, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	(void)file;
	(void)line;
	va_start(ap, fmt);
	record(ok, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

bool check_eq_at(unsigned long long actual, unsigned long long expected, const char *file,
		 unsigned int line, const char *fmt, ...)
{
	char detail[96];
	bool ok = actual == expected;
	va_list ap;

	(void)file;
	(void)line;
	snprintf(detail, sizeof(detail), "(got %llu = 0x%llx, expected %llu = 0x%llx)", actual, actual,
		 expected, expected);
	va_start(ap, fmt);
	record(ok, detail, fmt, ap);
	va_end(ap);
	return ok;
}

void check_skip(const char *fmt, ...)
{
	va_list ap;

	if (!cur || cur->result != MEMBW_CONFORMANCE_PASS)
		return;
	cur->result = MEMBW_CONFORMANCE_SKIP;
	va_start(ap, fmt);
	set_reason(NULL, fmt, ap);
	va_end(ap);
}

void record_note(const char *fmt, ...)
{
	va_list ap;

	if (!cur || cur->result != MEMBW_CONFORMANCE_PASS)
		return;
	va_start(ap, fmt);
	set_reason(NULL, fmt, ap);
	va_end(ap);
}
