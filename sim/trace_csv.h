/* SPDX-License-Identifier: MIT */
/*
 * Demand-over-time traces: a CSV file replayed as a workload. Format (docs/sim.md):
 *
 *     # comments and blank lines are ignored
 *     duration,read,write
 *     250us,1GB/s,0
 *     250us,0,0
 *
 * Each row is one phase: for `duration` of solo time the core asks `read` and `write` bytes per
 * second (units as in include/membw/units.h; 0 for none). A row asking nothing is a compute phase.
 * Replay is work-driven like every workload: a row served at half its demand takes twice as long.
 */
#ifndef MEMBW_SIM_TRACE_CSV_H
#define MEMBW_SIM_TRACE_CSV_H

#include <stdio.h>

#include "sim.h"

/* Longest line of a trace file, in bytes. */
#define SIM_TRACE_LINE_MAX 256

/*
 * Read the trace at @path into a new array of phases (free() it). On error returns a negative
 * MEMBW_E* code and writes "PATH:LINE: what is wrong; what is expected" into @err; nothing is
 * allocated then.
 */
int sim_trace_load(const char *path, struct sim_phase **phases, size_t *nphases, char *err,
		   size_t errlen);

/* The same, from an open stream named @name in messages. */
int sim_trace_read(FILE *in, const char *name, struct sim_phase **phases, size_t *nphases,
		   char *err, size_t errlen);

#endif /* MEMBW_SIM_TRACE_CSV_H */
