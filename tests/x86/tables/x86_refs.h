/* SPDX-License-Identifier: MIT */
/* Which independent list (libpfm4, Linux perf) covers which x86 generation: the table suites' reference. */
#ifndef MEMBW_TESTS_X86_REFS_H
#define MEMBW_TESTS_X86_REFS_H

#include <stddef.h>

#include "check.h"

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
