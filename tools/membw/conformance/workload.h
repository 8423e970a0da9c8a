/* SPDX-License-Identifier: MIT */
/* What `membw conformance` makes happen for each kind of event (workload.c). */
#ifndef MEMBW_TOOL_WORKLOAD_H
#define MEMBW_TOOL_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code the worker runs between its commands: no sanitizer instrumentation (see perf_driver.c). */
#define WORKLOAD_UNINSTRUMENTED __attribute__((no_sanitize("address"), no_sanitize("undefined")))

enum workload_kind {
	WORKLOAD_NONE,         /* no workload of ours makes this event happen */
	WORKLOAD_PAGES,        /* page faults: exact */
	WORKLOAD_INSTRUCTIONS, /* instructions retired: at least n */
	WORKLOAD_CYCLES,       /* core cycles: at least n */
	WORKLOAD_TIME,         /* a clock (cpu-clock, task-clock): time passes, nothing promised */
	WORKLOAD_STREAM,       /* cache-line refills: a read stream, nothing promised */
};

struct workload {
	enum workload_kind kind;
	long page;             /* base page size, bytes */
	void *buf;             /* WORKLOAD_STREAM: the buffer */
	uint64_t lines, pos;   /* its lines, and where the stream goes on */
	uint32_t line;         /* line size, bytes */
	unsigned long sink;    /* what the stream read (kept so it is not optimised away) */
	char note[192];        /* a caveat about the geometry used, "" if none */
};

/* Prepare @w for @kind (the stream buffer is allocated and touched here, so that streaming makes
 * no page faults later). 0, or -1 if memory is short. */
int workload_init(struct workload *w, enum workload_kind kind);

/* Make about @n events of @w's kind happen. Returns how many are sure to have happened; *@ok is
 * false if the workload could not run (no memory). */
uint64_t workload_run(struct workload *w, uint64_t n, bool *ok);

/* WORKLOAD_PAGES: make exactly @n page faults taken in kernel mode (the kernel writing fresh
 * pages of ours). False if @w is another kind or the memory or system call failed. */
bool workload_pages_by_kernel(struct workload *w, uint64_t n);

/* One line saying what the workload of @kind does, for the report. */
const char *workload_describe(enum workload_kind kind);

/* The largest data or unified cache of CPU 0 and the smallest line size, from sysfs
 * (/sys/devices/system/cpu/cpu0/cache/index*), with a note if they had to be assumed. */
void workload_cache_geometry(uint64_t *largest, uint32_t *line, char *note, size_t len);

#endif /* MEMBW_TOOL_WORKLOAD_H */
