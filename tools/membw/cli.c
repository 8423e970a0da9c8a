/* SPDX-License-Identifier: MIT */
/* Option matching and usage errors for every `membw` subcommand (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "text.h"
#include "commands.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	char text[1024];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* The message quotes the argument: never send its raw bytes to the terminal. */
	text_make_printable(text);
	fprintf(stderr, "membw %s: %s\n(membw %s --help shows the options)\n", command, text,
		command);
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
