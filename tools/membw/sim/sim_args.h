/* SPDX-License-Identifier: MIT */
/* `membw sim`'s command line, parsed apart from the command so that it can be tested alone. */
#ifndef MEMBW_TOOL_SIM_ARGS_H
#define MEMBW_TOOL_SIM_ARGS_H

#include <stdbool.h>
#include <stdint.h>

struct sim_options {
	const char *scenario;
	const char *csv;
	const char *plot;
	bool json, quiet;
	bool has_period, has_duration, has_seed;
	uint64_t period_ns, duration_ns, seed;
};

/*
 * Read argv[1 .. argc - 1] into @o (zeroed by the caller). Returns 0 to go on, -1 after printing
 * the usage to stdout (--help), or EXIT_BAD_INPUT after printing "membw sim: ..." to stderr.
 * Nothing else is done: no file is opened, nothing is run.
 */
int sim_parse_args(int argc, char **argv, struct sim_options *o);

#endif /* MEMBW_TOOL_SIM_ARGS_H */
