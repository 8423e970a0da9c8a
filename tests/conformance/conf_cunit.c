/* SPDX-License-Identifier: MIT */
/*
 * The CUnit registration of the conformance suite, linked next to conformance.c by the hosted
 * builds (mk/sim.mk, mk/perf.mk) with tests/support/check.c, the hosted side of the assertions
 * the bodies are written in; the bare-metal images link tests/qemu/harness/conformance_run.c and
 * report.c instead.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>

#include "conformance.h"

#define CONF_MAX_DRIVERS 4

static const struct membw_conformance_driver *cunit_drivers[CONF_MAX_DRIVERS];
static unsigned int cunit_ndrivers;

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

int conformance_register(const struct membw_conformance_driver *d)
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
