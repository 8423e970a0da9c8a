/* SPDX-License-Identifier: MIT */
/* The subcommands of `membw`. Each takes the arguments after its name and returns the exit status:
 * 0 success, 1 failure while running, 2 bad command line or input. */
#ifndef MEMBW_TOOL_COMMANDS_H
#define MEMBW_TOOL_COMMANDS_H

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2

/*
 * Each command is declared weak, so a binary linked without some of them still links and main()
 * says the command is not in this build: `membw run` and `membw events` need the perf backend
 * and libpfm4 (tools/membw/run/, built by mk/perf.mk), `membw sim` needs the simulator and
 * libinih (the static aarch64 membw for the guest tests has run and events only).
 */
int sim_main(int argc, char **argv) __attribute__((weak));
int run_main(int argc, char **argv) __attribute__((weak));
int events_main(int argc, char **argv) __attribute__((weak));
int guest_main(int argc, char **argv) __attribute__((weak));
int conformance_main(int argc, char **argv) __attribute__((weak));

/* The built-in default scenario: scenarios/default.ini, compiled in by the build. */
extern const char membw_default_scenario[];

#endif /* MEMBW_TOOL_COMMANDS_H */
