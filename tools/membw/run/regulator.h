/* SPDX-License-Identifier: MIT */
/*
 * The userspace runtime of `membw run`: one policy instance with one policy CPU standing for the
 * regulated set (a process tree, or one CPU), the perf backend, a period timer (timerfd on
 * CLOCK_MONOTONIC) and overflow signals read from a signalfd, all in one thread, so the policy's
 * entry points are never called concurrently.
 */
#ifndef MEMBW_RUN_REGULATOR_H
#define MEMBW_RUN_REGULATOR_H

#include <signal.h>
#include <stdio.h>

#include <membw/membw.h>

#include "perf_backend.h"
#include "run_args.h"

/* What the throttle hooks do: freeze a group or hold a CPU. */
struct regulator_ops {
	void (*throttle)(void *ctx);
	void (*unthrottle)(void *ctx);
	void *ctx;
};

struct regulator {
	const struct run_options *opt;
	struct perf_backend_ctx pctx;
	struct regulator_ops ops;
	struct membw *m;
	void *storage;
	uint32_t line_size;
	uint64_t budget_events[MEMBW_NCHANNELS];
	uint64_t start_ns, next_report_ns, max_overshoot[MEMBW_NCHANNELS];
	uint64_t max_used[MEMBW_NCHANNELS], overflow_signals;
	FILE *trace;
	int timer_fd;
};

/* The signal perf raises on overflow. */
#define RUN_OVERFLOW_SIGNAL (SIGRTMIN + 1)

/* Now on CLOCK_MONOTONIC, nanoseconds. */
uint64_t run_now_ns(void);

/*
 * Resolve the events of @opt into @r->pctx (channels, line size, sample period). 0, or 1 for a
 * failure already explained on stderr (exit status 2 for an unknown name, 1 for a missing PMU:
 * *@status).
 */
int regulator_events(struct regulator *r, const struct run_options *opt, int *status);

/* Create the policy for pctx's target and bring its one CPU online; starts the period timer.
 * 0, or 1 after an explanation on stderr. */
int regulator_start(struct regulator *r);

/* The period timer fired / overflow signals arrived: call the policy. */
void regulator_on_timer(struct regulator *r);
void regulator_on_overflow(struct regulator *r);

/* Print the statistics table to @out; @final adds membw's own CPU time. */
void regulator_report(struct regulator *r, FILE *out, bool final);

/* Take the CPU offline (releasing the set), close counters and files. */
void regulator_stop(struct regulator *r);

#endif /* MEMBW_RUN_REGULATOR_H */
