/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite's driver through the perf backend (perf_driver.c), shared by
 * `membw conformance` and the CUnit run of the suite on page faults (tests/perf/
 * conformance_perf.c): a worker process makes the events (workload.c), the perf backend counts
 * the worker, and the overflow signals come to the calling thread, whose handler asks the
 * backend whether the arm point was reached and, the first time since the arm, reads the
 * counter (how far past the n-th event the interrupt arrived). The backend's hooks run with
 * that signal blocked, as the policy's entry points run with interrupts off.
 */
#ifndef MEMBW_TOOL_PERF_DRIVER_H
#define MEMBW_TOOL_PERF_DRIVER_H

#include <membw/conformance.h>

#include "perf_backend.h"
#include "workload.h"

/* The workload that makes @ev happen, by its perf type and config or its name. */
enum workload_kind perf_conf_kind(const struct perf_event_choice *ev);

/* A short name of @kind for reports ("page faults", "instructions", ...). */
const char *perf_conf_kind_name(enum workload_kind kind);

/*
 * Start a worker making events of @kind (pinned to @cpu, or anywhere with -1; with a CPU the
 * calling thread moves to it too until perf_conf_stop()), point the perf backend at it for @ev
 * (counted on @cpu only, or -1: wherever it runs), install the overflow
 * signal handler and fill @d: every hook, the exact count for page faults, the workload for the
 * other kinds, skid_events @skid (0: 100 for page faults, 10^6 otherwise). @name is kept, not
 * copied. 0, or -1 with @why set. One driver at a time.
 */
int perf_conf_start(struct membw_conformance_driver *d, const char *name,
		    const struct perf_event_choice *ev, int cpu, enum workload_kind kind,
		    uint64_t skid, char *why, size_t len);

/* The perf backend's context of the running driver (probe with it; its why says perf's reason). */
struct perf_backend_ctx *perf_conf_ctx(void);

/* End the worker. */
void perf_conf_stop(void);

#endif /* MEMBW_TOOL_PERF_DRIVER_H */
