/* SPDX-License-Identifier: MIT */
/* Option matching and usage errors for every `membw` subcommand (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "membw %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(membw %s --help shows the options)\n", command);
	return EXIT_BAD_INPUT;
}

bool cli_is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_option_value(const char *command, int argc, char **argv, int *i,
			     const char *name)
{
	size_t n = strlen(name);

	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc) {
		cli_usage_error(command, "%s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}
