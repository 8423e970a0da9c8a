/* SPDX-License-Identifier: MIT */
/* The subcommands of `membw`. Each takes the arguments after its name and returns the exit status:
 * 0 success, 1 failure while running, 2 bad command line or input. */
#ifndef MEMBW_TOOL_COMMANDS_H
#define MEMBW_TOOL_COMMANDS_H

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2

int sim_main(int argc, char **argv);

/*
 * `membw run` and `membw events` need the perf backend (backends/perf, libpfm4), which mk/perf.mk
 * builds and links (tools/membw/run/). They are declared weak so a binary linked without them
 * still links; main() then says the command is not in this build.
 */
int run_main(int argc, char **argv) __attribute__((weak));
int events_main(int argc, char **argv) __attribute__((weak));

/* The built-in default scenario: scenarios/default.ini, compiled in by the build. */
extern const char membw_default_scenario[];

#endif /* MEMBW_TOOL_COMMANDS_H */
