/* SPDX-License-Identifier: MIT */
/*
 * Inside libmembw-conformance.a: what the runner (run.c), the measured facts (measure.c) and the
 * report (print.c) share. The suite's facts themselves are tests/conformance/conformance.c, the
 * same file the CUnit and bare-metal runs use; this library is its third implementation of
 * tests/support/check.h (record.c), which keeps one result per fact instead of asserting.
 */
#ifndef MEMBW_CONFORMANCE_INTERNAL_H
#define MEMBW_CONFORMANCE_INTERNAL_H

#include <membw/conformance.h>

#include "conformance.h"

/* Start recording fact @f (name set by the caller); record.c's check_at() and friends write into
 * it until the next call. NULL stops recording. */
void record_begin(struct membw_conformance_fact *f);

/* Set the reason a passing fact shows (a measurement: "arrived 12 events late"), printf-style.
 * Ignored once the fact failed or was skipped. */
void record_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The measured facts (measure.c): they fill the report's measurements as they go. */
extern const struct conformance_test measure_tests[];
extern const unsigned int measure_ntests;

/* The report the measured facts fill (run.c sets it for the run). */
extern struct membw_conformance_report *measure_report;

#endif /* MEMBW_CONFORMANCE_INTERNAL_H */
