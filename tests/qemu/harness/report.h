/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal implementation of the assertion helper (tests/support/check.h: CHECK, CHECK_EQ,
 * SKIP; built with -DCHECK_BARE_METAL, so no CHECK_FATAL): each assertion prints "PASS <test>:
 * <fact>" or "FAIL <test>: <fact> (got .., expected ..)" on the console; tests are counted as
 * passed, failed or skipped; report_finish() prints the summary and the marker the runner
 * (tests/qemu/run) looks for: "RESULT <image>: PASS" (or FAIL).
 */
#ifndef QEMU_REPORT_H
#define QEMU_REPORT_H

#include "check.h"

/* Start test @name (the assertions until report_test_end() belong to it). */
void report_test_begin(const char *name);
/* End the running test. Returns true if none of its assertions failed. */
bool report_test_end(void);
/* Run @fn as test @name. */
void report_test(const char *name, void (*fn)(void));
/* Print a note line ("NOTE <test>: ...") that is neither pass nor fail: measured values. */
void report_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Summary and result marker for @image; returns the exit code (0: every test passed). */
int report_finish(const char *image);

#endif /* QEMU_REPORT_H */
