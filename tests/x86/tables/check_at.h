/* SPDX-License-Identifier: MIT */
/* The x86 event-table suites' assertion: one CUnit assertion with a formatted message. */
#ifndef MEMBW_TESTS_X86_CHECK_AT_H
#define MEMBW_TESTS_X86_CHECK_AT_H

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
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
}

#define check(ok, ...) check_at((ok), __FILE__, __LINE__, __VA_ARGS__)

/* Which independent list covers which of our generations (test knowledge, not the backend's). */
struct x86_ref {
	const char *core;  /* our table's name */
	const char *pfm;   /* libpfm4 4.13 PMU name, NULL if it has none */
	const char *linux; /* Linux 6.1 perf directory under arch/x86, NULL if none */
};

static const struct x86_ref x86_refs[] = {
	{ "Skylake-SP", "skx", "skylakex" },	    { "Cascade Lake", "clx", "cascadelakex" },
	{ "Ice Lake-SP", "icx", "icelakex" },	    { "Ice Lake-D", "icx", "icelakex" },
	{ "Sapphire Rapids", "spr", "sapphirerapids" }, { "Emerald Rapids", NULL, NULL },
	{ "Granite Rapids", NULL, NULL },	    { "Granite Rapids-D", NULL, NULL },
	{ "Sierra Forest", NULL, NULL },	    { "generic", NULL, NULL },
};

#define X86_NREFS (sizeof(x86_refs) / sizeof(x86_refs[0]))

#endif
