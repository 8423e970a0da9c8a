/* SPDX-License-Identifier: MIT */
/*
 * The backend conformance suite run against the perf backend on this machine's kernel, with the
 * software event page-faults (no hardware PMU is needed), under CUnit and the sanitizers. The
 * driver is the one `membw conformance` uses (tools/membw/conformance/perf_driver.h): a worker
 * process touches N fresh anonymous pages on command, one write each, which is N page faults,
 * and the counter counts the worker only, so the suite's own code never adds an event.
 *
 * Overflow interrupts are the kernel's signals (sample period 1), routed to this thread and
 * handled by a signal handler that asks the backend whether the arm point was reached. An arm
 * point reached without a signal is not counted, so a lost signal fails the suite.
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <stdio.h>

#include "conformance.h"
#include "cunit_run.h"
#include "perf_driver.h"

static struct membw_conformance_driver driver;

int main(void)
{
	struct perf_event_choice ev;
	char why[PERF_WHY_MAX];
	int rc;

	if (perf_event_resolve("page-faults", &ev, why, sizeof(why))) {
		fprintf(stderr, "conformance-perf: %s\n", why);
		return 2;
	}
	/* Counted wherever the worker runs (cpu -1), the worker not pinned. */
	if (perf_conf_start(&driver, "perf, page-faults", &ev, -1, WORKLOAD_PAGES, 0, why,
			    sizeof(why))) {
		fprintf(stderr, "conformance-perf: worker: %s\n", why);
		return 2;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (conformance_register(&driver)) {
		fprintf(stderr, "cannot register the suite: %s\n", CU_get_error_msg());
		return 2;
	}
	rc = cunit_run("conformance-perf");
	perf_conf_stop();
	return rc;
}
