/* SPDX-License-Identifier: MIT */
/* Reporting an experiment: the table for people, JSON for programs, CSV of per-period samples. */
#ifndef MEMBW_TOOL_REPORT_H
#define MEMBW_TOOL_REPORT_H

#include <stdio.h>

#include "experiment.h"

/* Bytes per second moved by @lines lines of @line_size bytes over @ns nanoseconds. */
uint64_t report_rate(uint64_t lines, uint32_t line_size, uint64_t ns);

void report_table(FILE *out, const struct experiment *x);
void report_json(FILE *out, const struct experiment *x);
/* One row per variant, core and period; needs an experiment run with series. 0 or -errno. */
int report_csv(const char *path, const struct experiment *x);

#endif /* MEMBW_TOOL_REPORT_H */
