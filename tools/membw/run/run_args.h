/* SPDX-License-Identifier: MIT */
/* `membw run`'s command line, parsed apart from the command so that it can be tested alone. */
#ifndef MEMBW_RUN_RUN_ARGS_H
#define MEMBW_RUN_RUN_ARGS_H

#include <stdbool.h>
#include <stdint.h>

struct run_options {
	uint64_t budget_bps, write_budget_bps; /* MEMBW_UNLIMITED for none */
	uint64_t period_ns, interval_ns, duration_ns;
	const char *event, *write_event;
	const char *trace_path;
	uint64_t sample_period; /* 0: chosen from the event */
	int cpu;                /* -1: regulate the program's tree */
	unsigned long max_pids; /* 0: no limit on the program's tasks */
	bool stats, user_only, signals_only, quiet;
	char **prog;            /* NULL with --cpu and no program */
};

/*
 * Read argv[1 .. argc - 1] into @o. Returns 0 to go on, -1 after printing the usage to stdout
 * (-h or --help before any "--"), or EXIT_BAD_INPUT after printing "membw run: ..." to stderr.
 * On 0: budgets above 0 (MEMBW_UNLIMITED when not given: --write-budget), the period within
 * MEMBW_PERIOD_MIN_NS .. MEMBW_PERIOD_MAX_NS, an interval of at least one period, cpu -1 or below
 * MEMBW_MAX_CPUS, max_pids at most 4194304, and either a program or --cpu with --duration.
 * Nothing else is done: no file is opened, nothing is run.
 */
int run_parse_args(int argc, char **argv, struct run_options *o);

#endif /* MEMBW_RUN_RUN_ARGS_H */
