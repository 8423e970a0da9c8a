/* SPDX-License-Identifier: MIT */
/*
 * `membw`: one command, subcommands dispatched from a table (sim, run, events, guest).
 */
#include <stdio.h>
#include <string.h>

#include <membw/membw.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "sim", sim_main, "run a scenario on the simulator: each policy side by side, a table, "
			   "a plot" },
	{ "run", run_main, "regulate a program's memory bandwidth, or a CPU's (Linux perf)" },
	{ "events", events_main, "list the events `membw run` can count here" },
	{ "guest", guest_main, "inside a VM: ask the hypervisor for memory bandwidth (memtalk, "
			       "membw_memtalk.ko)" },
	{ "conformance", conformance_main, "check this machine's PMU against the backend suite" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: membw COMMAND [ARGS]   (membw COMMAND --help for a command's options)\n"
		"\nMemory-bandwidth regulation in the MemGuard tradition.\n\nCommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\nOptions:\n  -h, --help     this text\n  --version      print the version\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (i = 0; i < NCOMMANDS; i++)
				if (!strcmp(argv[2], commands[i].name))
					return commands[i].run
						       ? commands[i].run(2, (char *[]){ argv[2], "--help",
										NULL })
						       : EXIT_RUN_FAILED;
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		/* The headers membw was compiled with, and the library it runs with (the same
		 * unless a shared libmembw of another version was loaded). */
		printf("membw %s (headers libmembw %s, library loaded libmembw %s)\n",
		       MEMBW_VERSION, MEMBW_VERSION, membw_version());
		return 0;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (!commands[i].run) {
			fprintf(stderr, "membw: '%s' is not in this build of membw (`make membw` builds "
					"build/membw with every command)\n", argv[1]);
			return EXIT_RUN_FAILED;
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "membw: unknown command '%s'; expected one of:", argv[1]);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fprintf(stderr, " (membw --help lists them)\n");
	return EXIT_BAD_INPUT;
}
