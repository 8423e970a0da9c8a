/* SPDX-License-Identifier: MIT */
/*
 * The event-table suites' assertion: one CUnit assertion whose message is formatted, so it can
 * name the core and row it is about. check(ok, fmt, ...) records the caller's file and line.
 */
#ifndef MEMBW_TESTS_EVENTS_CHECK_AT_H
#define MEMBW_TESTS_EVENTS_CHECK_AT_H

#include <stdarg.h>
#include <stdio.h>

#include <CUnit/CUnit.h>

static inline void check_at(int ok, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void check_at(int ok, const char *file, unsigned int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* CUnit copies the message when it records a failure. */
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
}

#define check(ok, ...) check_at((ok), __FILE__, __LINE__, __VA_ARGS__)

#endif /* MEMBW_TESTS_EVENTS_CHECK_AT_H */
