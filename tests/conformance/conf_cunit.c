/* SPDX-License-Identifier: MIT */
/*
 * The hosted implementation of the assertion layer (conf_check.h) on CUnit, and the CUnit
 * registration of the conformance suite. Linked next to conformance.c by the hosted builds
 * (mk/sim.mk, mk/perf.mk); the bare-metal images link tests/qemu/harness/report.c instead.
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>

#include "conf_check.h"
#include "conformance.h"

#define CONF_MAX_DRIVERS 4

static const struct conformance_driver *cunit_drivers[CONF_MAX_DRIVERS];
static unsigned int cunit_ndrivers;

static bool conf_vreport(bool ok, const char *file, unsigned int line, const char *detail,
			 const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (detail && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, " %s", detail);
	/* CUnit copies the message: a stack buffer is fine. */
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
	return ok;
}

bool conf_report(bool ok, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vreport(ok, file, line, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

bool conf_check_eq(unsigned long long actual, unsigned long long expected, const char *file,
		   unsigned int line, const char *fmt, ...)
{
	char detail[96];
	va_list ap;
	bool ok = actual == expected;

	snprintf(detail, sizeof(detail), "(got %llu = 0x%llx, expected %llu = 0x%llx)", actual, actual,
		 expected, expected);
	va_start(ap, fmt);
	conf_vreport(ok, file, line, ok ? NULL : detail, fmt, ap);
	va_end(ap);
	return ok;
}

void conf_skip(const char *fmt, ...)
{
	va_list ap;

	printf("\n    SKIP (%s): ", conformance_driver() ? conformance_driver()->name : "?");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" ");
}

#define CONF_INIT(i)                                                                               \
	static int conf_init##i(void)                                                              \
	{                                                                                          \
		conformance_use(cunit_drivers[i]);                                                 \
		return 0;                                                                          \
	}
CONF_INIT(0)
CONF_INIT(1)
CONF_INIT(2)
CONF_INIT(3)
static int (*const conf_inits[CONF_MAX_DRIVERS])(void) = { conf_init0, conf_init1, conf_init2,
							   conf_init3 };

int conformance_register(const struct conformance_driver *d)
{
	char name[96];
	CU_pSuite s;
	unsigned int i;

	if (cunit_ndrivers == CONF_MAX_DRIVERS)
		return CUE_NOSUITE;
	cunit_drivers[cunit_ndrivers] = d;
	snprintf(name, sizeof(name), "conformance: %s", d->name);
	s = CU_add_suite(name, conf_inits[cunit_ndrivers], NULL);
	cunit_ndrivers++;
	if (!s)
		return CU_get_error();
	for (i = 0; i < conformance_ntests; i++)
		if (!CU_add_test(s, conformance_tests[i].name, conformance_tests[i].fn))
			return CU_get_error();
	return 0;
}
