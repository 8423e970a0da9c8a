/* SPDX-License-Identifier: MIT */
/* `membw sim`: command line, scenario, the runs, and the outputs asked for. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "experiment.h"
#include "plot.h"
#include "progress.h"
#include "report.h"
#include "sim_args.h"

static int load(const struct sim_options *o, struct scenario *sc)
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
	/* An error about these then names the option, not the file's line. */
	if (o->has_period) {
		sc->sim.period_ns = o->period_ns;
		sc->setting_line[SIM_SETTING_PERIOD] = SCENARIO_SET_BY_OPTION;
	}
	if (o->has_duration) {
		sc->sim.duration_ns = o->duration_ns;
		sc->setting_line[SIM_SETTING_DURATION] = SCENARIO_SET_BY_OPTION;
	}
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

/*
 * Can @path be written? Asked before the runs, so that a typo in --csv or --plot costs nothing.
 * A file created only to ask is removed again: a failed run leaves nothing behind.
 */
static bool writable(const char *option, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	bool created = fd >= 0;

	if (!created && errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_usage_error("sim", "%s '%s': cannot write there: %s", option, path,
				strerror(errno));
		return false;
	}
	close(fd);
	if (created)
		unlink(path);
	return true;
}

/* Is gnuplot on PATH? Checked before the runs, like the output files. */
static bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char dir[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s/gnuplot", (int)(n ? n : 1), n ? path : ".");
		if (!access(dir, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static bool outputs_ready(const struct sim_options *o)
{
	if (o->csv && !writable("--csv", o->csv))
		return false;
	if (o->plot && !writable("--plot", o->plot))
		return false;
	if (o->plot && !have_gnuplot()) {
		cli_usage_error("sim", "--plot needs gnuplot, which is not installed; as root: "
				"apt-get install gnuplot-nox");
		return false;
	}
	return true;
}

int sim_main(int argc, char **argv)
{
	struct sim_options o = { 0 };
	struct scenario sc;
	struct experiment x = { 0 };
	struct progress bar;
	char err[SCENARIO_ERR_MAX];
	int ret, status = 0;

	ret = sim_parse_args(argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!outputs_ready(&o))
		return EXIT_BAD_INPUT;
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
