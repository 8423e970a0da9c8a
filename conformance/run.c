/* SPDX-License-Identifier: MIT */
/*
 * membw_conformance_run() and membw_conformance_check(): every exact fact of the suite
 * (tests/conformance/conformance.c), then the measured ones (measure.c), each recorded as one
 * PASS/FAIL/SKIP with its reason (record.c).
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

/* The driver fields a caller must have: up to and including set_absent. */
#define DRIVER_MIN_SIZE offsetof(struct membw_conformance_driver, count_about)

static void run_one(struct membw_conformance_report *r, const struct conformance_test *t)
{
	struct membw_conformance_fact *f = &r->fact[r->nfacts++];

	f->name = t->name;
	record_begin(f);
	t->fn();
	conformance_release();
	record_begin(NULL);
	if (f->result == MEMBW_CONFORMANCE_FAIL)
		r->failed++;
	else if (f->result == MEMBW_CONFORMANCE_SKIP)
		r->skipped++;
	else
		r->passed++;
}

int membw_conformance_run(const struct membw_conformance_driver *drv,
			  struct membw_conformance_report *report)
{
	struct membw_conformance_driver d;
	uint32_t size;
	unsigned int i;

	if (!drv || !report || report->size < sizeof(*report) || drv->size < DRIVER_MIN_SIZE ||
	    !drv->backend || !drv->overflows || !drv->backend->probe ||
	    !drv->backend->cpu_init || !drv->backend->arm || !drv->backend->read ||
	    !drv->backend->stop ||
	    conformance_ntests + measure_ntests > MEMBW_CONFORMANCE_MAX_FACTS)
		return -MEMBW_EINVAL;
	/* Fields past the caller's size are 0/NULL. */
	memset(&d, 0, sizeof(d));
	memcpy(&d, drv, drv->size < sizeof(d) ? drv->size : sizeof(d));
	d.size = sizeof(d);
	if (!d.name)
		d.name = d.backend->name ? d.backend->name : "backend";
	size = report->size;
	memset(report, 0, sizeof(*report));
	report->size = size;
	report->name = drv->name ? drv->name : d.name;
	conformance_use(&d);
	measure_report = report;
	for (i = 0; i < conformance_ntests; i++)
		run_one(report, &conformance_tests[i]);
	for (i = 0; i < measure_ntests; i++)
		run_one(report, &measure_tests[i]);
	measure_report = NULL;
	conformance_use(NULL);
	return report->failed ? 1 : 0;
}

int membw_conformance_check(const struct membw_conformance_driver *drv, int fd,
			    unsigned int flags)
{
	static struct membw_conformance_report report;
	int rc;

	report.size = sizeof(report);
	rc = membw_conformance_run(drv, &report);
	if (rc < 0)
		return 2;
	if (membw_conformance_print(&report, fd, flags))
		return 2;
	return rc;
}
