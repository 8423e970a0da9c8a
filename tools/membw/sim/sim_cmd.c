/* SPDX-License-Identifier: MIT */
/* `membw sim`: command line, scenario, the runs, and the outputs asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "experiment.h"
#include "plot.h"
#include "progress.h"
#include "report.h"

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

struct options {
	const char *scenario;
	const char *csv;
	const char *plot;
	bool json, quiet;
	bool has_period, has_duration, has_seed;
	uint64_t period_ns, duration_ns, seed;
};

static int parse_args(int argc, char **argv, struct options *o)
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
			char *end;

			v = cli_option_value("sim", argc, argv, &i, "--seed");
			if (!v)
				return EXIT_BAD_INPUT;
			o->seed = strtoull(v, &end, 0);
			if (!*v || *v == '-' || *end)
				return cli_usage_error("sim", "--seed '%s': expected a whole number", v);
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

static int load(const struct options *o, struct scenario *sc)
{
	char err[SCENARIO_ERR_MAX];
	int ret;

	if (o->scenario)
		ret = scenario_load_file(o->scenario, sc, err, sizeof(err));
	else
		ret = scenario_load_string("scenarios/default.ini (built in)", NULL,
					   membw_default_scenario, sc, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "membw sim: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	if (o->has_period)
		sc->sim.period_ns = o->period_ns;
	if (o->has_duration)
		sc->sim.duration_ns = o->duration_ns;
	if (o->has_seed)
		sc->sim.seed = o->seed;
	/* Everything a run would refuse is refused now, before any run, as bad input. */
	if (experiment_validate(sc, err, sizeof(err))) {
		fprintf(stderr, "membw sim: %s\n", err);
		scenario_free(sc);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

static void warn_budgets(const struct scenario *sc)
{
	uint64_t sum = scenario_budget_sum(sc, MEMBW_CH_READ) +
		       scenario_budget_sum(sc, MEMBW_CH_WRITE);
	char a[MEMBW_FORMAT_MAX], b[MEMBW_FORMAT_MAX];

	if (sum <= sc->sim.guaranteed_bps)
		return;
	membw_format_rate(a, sizeof(a), sum);
	membw_format_rate(b, sizeof(b), sc->sim.guaranteed_bps);
	fprintf(stderr, "membw sim: warning: %s: budgets sum to %s, above the guaranteed %s: "
		"the DRAM cannot promise them all\n", sc->name, a, b);
}

int sim_main(int argc, char **argv)
{
	struct options o = { 0 };
	struct scenario sc;
	struct experiment x = { 0 };
	struct progress bar;
	char err[SCENARIO_ERR_MAX];
	int ret, status = 0;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = load(&o, &sc);
	if (ret)
		return ret;
	warn_budgets(&sc);
	progress_start(&bar, "membw sim");
	if (!o.quiet) {
		x.on_progress = progress_update;
		x.progress_ctx = &bar;
	}
	ret = experiment_run(&x, &sc, o.csv || o.plot, err, sizeof(err));
	progress_end(&bar);
	if (ret) {
		fprintf(stderr, "membw sim: %s\n", err);
		status = EXIT_RUN_FAILED;
		goto out;
	}
	if (o.json)
		report_json(stdout, &x);
	else
		report_table(stdout, &x);
	if (o.csv) {
		ret = report_csv(o.csv, &x);
		if (ret) {
			fprintf(stderr, "membw sim: cannot write %s: %s\n", o.csv, strerror(-ret));
			status = EXIT_RUN_FAILED;
		} else if (!o.json) {
			printf("\nPer-period samples: %s\n", o.csv);
		}
	}
	if (o.plot) {
		if (plot_png(o.plot, &x, err, sizeof(err))) {
			fprintf(stderr, "membw sim: cannot draw %s: %s\n", o.plot, err);
			status = EXIT_RUN_FAILED;
		} else if (!o.json) {
			printf("Plot: %s\n", o.plot);
		}
	}
out:
	experiment_free(&x);
	scenario_free(&sc);
	return status;
}
