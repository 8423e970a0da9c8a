/* SPDX-License-Identifier: MIT */
/* What the command lines of the `membw` subcommands share: option matching and usage errors. */
#ifndef MEMBW_TOOL_CLI_H
#define MEMBW_TOOL_CLI_H

#include <stdbool.h>

/* True if @arg is the option @name, alone ("--name") or with its value ("--name=value"). */
bool cli_is_option(const char *arg, const char *name);

/*
 * The value of the option @name at argv[*@i]: what follows '=' in "--name=value", else the next
 * argument (*@i moves past it). NULL, after the usage error "@name needs a value", if there is
 * none: the caller then returns EXIT_BAD_INPUT.
 */
const char *cli_option_value(const char *command, int argc, char **argv, int *i,
			     const char *name);

/*
 * Print "membw @command: MESSAGE" and where the options are explained on stderr, and return
 * EXIT_BAD_INPUT, so a parser can `return cli_usage_error(...)`.
 */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* MEMBW_TOOL_CLI_H */
