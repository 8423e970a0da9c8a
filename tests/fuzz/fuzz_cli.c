/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: `membw sim`'s command-line parser (tools/membw/sim/sim_args.c, with cli.c),
 * which runs nothing. The input is split at NUL bytes into up to 16 arguments after "sim".
 * Invariants (a broken one aborts with "invariant broken: ..."):
 *   - accepted (0): nothing printed; --plot names a file ending in ".png" (and more); the
 *     scenario is an argument that is not an option; a value without its has_ flag is 0; the
 *     durations given are what membw_parse_duration() reads from some argument;
 *   - --help (-1): the usage on stdout, nothing on stderr;
 *   - refused (EXIT_BAD_INPUT): "membw sim: " and the hint to --help on stderr, nothing on stdout;
 *   - no other return; (ASan, UBSan) no memory error, no leak, no undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/units.h>

#include "commands.h"
#include "sim_args.h"

#define MAX_ARGS 16

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "invariant broken: %s (%s)\n", what, detail ? detail : "");
	abort();
}

/* Does some argument, or the value after "NAME=", read as the duration @ns? */
static int some_arg_is(int argc, char **argv, const char *name, uint64_t ns)
{
	size_t n = strlen(name);
	uint64_t v;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = !strncmp(argv[i], name, n) && argv[i][n] == '=' ? argv[i] + n + 1
										  : argv[i];

		if (!membw_parse_duration(a, &v, NULL) && v == ns)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2], *out = NULL, *errs = NULL;
	size_t outn = 0, errn = 0, k, start = 0;
	FILE *saved_out = stdout, *saved_err = stderr;
	struct sim_options o;
	int argc = 1, ret, i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"sim";
	for (k = 0; k <= size && argc <= MAX_ARGS; k++)
		if (buf[k] == '\0') {
			argv[argc++] = buf + start;
			start = k + 1;
		}
	argv[argc] = NULL;
	memset(&o, 0, sizeof(o));
	stdout = open_memstream(&out, &outn);
	stderr = open_memstream(&errs, &errn);
	if (!stdout || !stderr)
		abort();
	ret = sim_parse_args(argc, argv, &o);
	fclose(stdout);
	fclose(stderr);
	stdout = saved_out;
	stderr = saved_err;
	if (ret == 0) {
		if (outn || errn)
			broken("accepted but printed", errn ? errs : out);
		if (o.plot && (strlen(o.plot) < 5 || strcmp(o.plot + strlen(o.plot) - 4, ".png")))
			broken("a plot file not ending in .png", o.plot);
		if (o.scenario && o.scenario[0] == '-' && o.scenario[1])
			broken("an option taken for the scenario", o.scenario);
		if ((!o.has_period && o.period_ns) || (!o.has_duration && o.duration_ns) ||
		    (!o.has_seed && o.seed))
			broken("a value without its flag", NULL);
		if (o.has_period && !some_arg_is(argc, argv, "--period", o.period_ns))
			broken("a period that no argument gives", NULL);
		if (o.has_duration && !some_arg_is(argc, argv, "--duration", o.duration_ns))
			broken("a duration that no argument gives", NULL);
		for (i = 1; o.scenario && i < argc && argv[i] != o.scenario; i++)
			;
		if (o.scenario && i == argc)
			broken("a scenario that is no argument", o.scenario);
	} else if (ret == -1) {
		if (errn || strncmp(out, "Usage: membw sim", 16))
			broken("--help without the usage on stdout", out);
	} else if (ret == EXIT_BAD_INPUT) {
		if (outn || strncmp(errs, "membw sim: ", 11) || !strstr(errs, "--help shows"))
			broken("a refusal without its message on stderr", errs);
	} else {
		broken("an unknown return", NULL);
	}
	free(out);
	free(errs);
	free(buf);
	return 0;
}
