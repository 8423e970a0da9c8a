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
 *   - no other return; no file opened, no process started (cli_harness.h);
 *   - (ASan, UBSan) no memory error, no leak, no undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_harness.h"
#include "commands.h"
#include "sim_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_call c;
	struct sim_options o;
	int ret, i;

	if (!cli_split(&c, "sim", data, size))
		return 0;
	memset(&o, 0, sizeof(o));
	cli_capture(&c);
	ret = sim_parse_args(c.argc, c.argv, &o);
	cli_release(&c);
	if (ret == 0) {
		if (c.outn || c.errn)
			cli_broken("accepted but printed", c.errn ? c.err : c.out);
		if (o.plot && (strlen(o.plot) < 5 || strcmp(o.plot + strlen(o.plot) - 4, ".png")))
			cli_broken("a plot file not ending in .png", o.plot);
		if (o.scenario && o.scenario[0] == '-' && o.scenario[1])
			cli_broken("an option taken for the scenario", o.scenario);
		if ((!o.has_period && o.period_ns) || (!o.has_duration && o.duration_ns) ||
		    (!o.has_seed && o.seed))
			cli_broken("a value without its flag", NULL);
		if (o.has_period && !cli_some_arg_is_duration(&c, "--period", o.period_ns))
			cli_broken("a period that no argument gives", NULL);
		if (o.has_duration && !cli_some_arg_is_duration(&c, "--duration", o.duration_ns))
			cli_broken("a duration that no argument gives", NULL);
		for (i = 1; o.scenario && i < c.argc && c.argv[i] != o.scenario; i++)
			;
		if (o.scenario && i == c.argc)
			cli_broken("a scenario that is no argument", o.scenario);
	} else {
		cli_check_refused(&c, ret, "Usage: membw sim", "membw sim: ", "--help shows");
	}
	cli_free(&c);
	return 0;
}
