/* SPDX-License-Identifier: MIT */
/* `membw guest`'s command line, parsed apart from the command so that it can be tested alone. */
#ifndef MEMBW_TOOL_GUEST_ARGS_H
#define MEMBW_TOOL_GUEST_ARGS_H

#include <stdint.h>

enum guest_command { GUEST_STATUS, GUEST_SET, GUEST_STATS };

struct guest_options {
	enum guest_command command;
	/* GUEST_SET only: the read budget (any rate but MEMBW_AGENT_KEEP), and the write-back
	 * budget (MEMBW_AGENT_KEEP without --write), bytes per second. */
	uint64_t read_bps, write_bps;
};

/*
 * Read `membw guest`'s argv[1 .. argc - 1] (the command, then its arguments) into @o. Returns 0
 * to go on, -1 after printing the usage to stdout (-h or --help), or EXIT_BAD_INPUT after printing
 * "membw guest..." (or, with no command, the usage) to stderr. Nothing else is done: the device
 * is not opened, the host is not asked.
 */
int guest_parse_args(int argc, char **argv, struct guest_options *o);

#endif /* MEMBW_TOOL_GUEST_ARGS_H */
