/* SPDX-License-Identifier: MIT */
/* `membw sim`'s command line, read without running anything (sim_args.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/units.h>

#include "cli.h"
#include "commands.h"
#include "sim_args.h"
#include "text.h"

static const char usage_text[] =
	"Usage: membw sim [SCENARIO] [--period 1ms] [--duration 2s] [--seed N] [--csv FILE]\n"
	"                 [--json] [--plot FILE.png] [--quiet]\n"
	"\n"
	"Run SCENARIO (an INI file; default: the built-in scenarios/default.ini) on the simulator\n"
	"four times -- no regulation; per-core budgets; budgets + reclaim; budgets + reclaim +\n"
	"spare sharing -- and each workload alone, then print per core: budget, achieved\n"
	"bandwidth, time throttled, largest overshoot, and slowdown against running alone.\n"
	"\n"
	"Options:\n"
	"  --period DURATION    regulation period, e.g. 1ms or 500us (default: the scenario's)\n"
	"  --duration DURATION  simulated time of each run, e.g. 2s (default: the scenario's)\n"
	"  --seed N             seed of the period-timer jitter (default: the scenario's)\n"
	"  --csv FILE           write per-period samples of every run to FILE (CSV)\n"
	"  --json               print the results as JSON instead of the table\n"
	"  --plot FILE.png      draw bandwidth per core and the real-time core's progress\n"
	"                       (needs gnuplot, Debian package gnuplot-nox)\n"
	"  -q, --quiet          no progress bar\n"
	"  -h, --help           this text\n"
	"\n"
	"Rates: 500MB/s (MB = 10^6 bytes), 1.5GiB/s (GiB = 2^30 bytes). Durations: ns, us, ms, s.\n"
	"Scenario keys, units and defaults: scenarios/README.md.\n"
	"Exit status: 0 done; 1 a run or an output failed; 2 bad command line or scenario.\n";


int sim_parse_args(int argc, char **argv, struct sim_options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v, *why = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else if (cli_is_option(a, "--period") || cli_is_option(a, "--duration")) {
			bool period = cli_is_option(a, "--period");
			const char *name = period ? "--period" : "--duration";

			v = cli_option_value("sim", argc, argv, &i, name);
			if (!v)
				return EXIT_BAD_INPUT;
			if (membw_parse_duration(v, period ? &o->period_ns : &o->duration_ns, &why))
				return cli_usage_error("sim", "%s '%s': %s; expected a duration such "
						       "as 1ms, 250us or 2s", name, v, why);
			*(period ? &o->has_period : &o->has_duration) = true;
		} else if (cli_is_option(a, "--seed")) {
			v = cli_option_value("sim", argc, argv, &i, "--seed");
			if (!v)
				return EXIT_BAD_INPUT;
			if (!text_parse_whole_number(v, &o->seed))
				return cli_usage_error("sim", "--seed '%s': expected a whole number "
						       "0 .. 18446744073709551615 (decimal, or hex "
						       "with 0x)", v);
			o->has_seed = true;
		} else if (cli_is_option(a, "--csv")) {
			o->csv = cli_option_value("sim", argc, argv, &i, "--csv");
			if (!o->csv)
				return EXIT_BAD_INPUT;
		} else if (cli_is_option(a, "--plot")) {
			size_t n;

			o->plot = cli_option_value("sim", argc, argv, &i, "--plot");
			if (!o->plot)
				return EXIT_BAD_INPUT;
			n = strlen(o->plot);
			if (n < 5 || strcmp(o->plot + n - 4, ".png"))
				return cli_usage_error("sim", "--plot '%s': expected a file name "
						       "ending in .png", o->plot);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("sim", "unknown option '%s'", a);
		} else if (o->scenario) {
			return cli_usage_error("sim", "one scenario at a time: '%s' and '%s'",
					       o->scenario, a);
		} else {
			o->scenario = a;
		}
	}
	return 0;
}
