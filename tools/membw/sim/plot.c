/* SPDX-License-Identifier: MIT */
/*
 * The plot: data files and a gnuplot script in a temporary directory, then gnuplot (run directly,
 * no shell) renders them with its pngcairo terminal. Bandwidth is averaged over bins of several
 * periods so that a two-second run stays readable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"

#define BINS_WANTED 200u

struct tmp {
	char dir[64];
	char path[4][96];
	unsigned int n;
};

static FILE *tmp_open(struct tmp *t, const char *name)
{
	char dir[sizeof(t->dir)];

	memcpy(dir, t->dir, sizeof(dir));
	snprintf(t->path[t->n], sizeof(t->path[0]), "%s/%s", dir, name);
	return fopen(t->path[t->n++], "w");
}

static void tmp_remove(struct tmp *t)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		unlink(t->path[i]);
	rmdir(t->dir);
}

/* Copy @s into a gnuplot single-quoted string body. */
static void quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void write_bandwidth(FILE *f, const struct experiment *x, unsigned int v, uint32_t ncores,
			    size_t bin)
{
	const struct scenario *sc = x->sc;
	const struct sim_result *r = &x->run[v];
	size_t nper = r->cpu[0].nseries, k, j;
	uint32_t i;

	fprintf(f, "time_ms");
	for (i = 0; i < ncores; i++)
		fprintf(f, " \"%u %s\"", i, sc->core[i].name);
	fprintf(f, "\n");
	for (k = 0; k + bin <= nper; k += bin) {
		double mid = ((double)k + bin / 2.0) * (double)sc->sim.period_ns / 1e6;

		fprintf(f, "%.3f", mid);
		for (i = 0; i < ncores; i++) {
			uint64_t lines = 0;

			for (j = k; j < k + bin; j++)
				lines +=
					r->cpu[i].series[j].lines[0] + r->cpu[i].series[j].lines[1];
			/* MB/s = bytes / (bin periods * period_ns) * 1e9 / 1e6 */
			fprintf(f, " %.2f", (double)lines * sc->sim.line_size * 1e3 /
						   ((double)bin * (double)sc->sim.period_ns));
		}
		fprintf(f, "\n");
	}
}

static void write_progress(FILE *f, const struct experiment *x)
{
	const struct scenario *sc = x->sc;
	uint32_t rt = sc->rt_core;
	size_t k, n = x->run[0].cpu[rt].nseries;
	unsigned int v;

	fprintf(f, "time_ms alone");
	for (v = 0; v < NVARIANTS; v++)
		fprintf(f, " %s", variant_name[v]);
	fprintf(f, "\n0 0 0 0 0 0\n");
	for (k = 0; k < n; k++) {
		uint64_t end = (k + 1) * sc->sim.period_ns;

		if (end > sc->sim.duration_ns)
			end = sc->sim.duration_ns;
		fprintf(f, "%.3f %.4f", (double)end / 1e6,
			k < x->rt_solo.cpu[0].nseries ? x->rt_solo.cpu[0].series[k].work_ns / 1e6
						      : 0.0);
		for (v = 0; v < NVARIANTS; v++)
			fprintf(f, " %.4f", x->run[v].cpu[rt].series[k].work_ns / 1e6);
		fprintf(f, "\n");
	}
}

static void write_script(FILE *f, const char *png, const struct experiment *x, const struct tmp *t,
			 uint32_t ncores, size_t bin)
{
	const struct scenario *sc = x->sc;
	char avg[MEMBW_FORMAT_MAX];

	membw_format_duration(avg, sizeof(avg), bin * sc->sim.period_ns);
	fprintf(f, "set terminal pngcairo size 1100,1000 font 'sans,10' noenhanced\nset output ");
	quoted(f, png);
	fprintf(f, "\nset multiplot layout 3,1 title ");
	{
		char title[400];

		snprintf(title, sizeof(title), "membw sim: %s (%u cores%s)", sc->name, sc->ncores,
			 ncores < sc->ncores ? ", first 8 shown" : "");
		quoted(f, title);
	}
	fprintf(f, "\nset grid\nset key outside right top\nset xlabel 'time (ms)'\n"
		"set ylabel 'DRAM bandwidth (MB/s)'\nset yrange [0:*]\n"
		"set offsets 0, 0, graph 0.08, 0\n");
	fprintf(f, "set title 'No regulation: bandwidth per core (%s averages)'\n", avg);
	fprintf(f, "plot for [i=2:%u] '%s' using 1:i with lines lw 1.5 title columnheader(i)\n",
		ncores + 1, t->path[0]);
	fprintf(f, "set title 'With budgets (no reclaim): bandwidth per core (%s averages)'\n", avg);
	fprintf(f, "plot for [i=2:%u] '%s' using 1:i with lines lw 1.5 title columnheader(i)\n",
		ncores + 1, t->path[1]);
	fprintf(f, "set title ");
	{
		char title[200];

		snprintf(title, sizeof(title), "Real-time core %u (%s): cumulative progress",
			 sc->rt_core, sc->core[sc->rt_core].name);
		quoted(f, title);
	}
	fprintf(f, "\nset ylabel 'work done (ms of solo time)'\n"
		"plot '%s' using 1:2 with lines dt 2 lw 2 lc 'black' title 'alone', \\\n"
		"  '' using 1:3 with lines lw 2 lc 'red' title 'none', \\\n"
		"  '' using 1:4 with lines lw 2 lc 'blue' title 'budgets', \\\n"
		"  '' using 1:5 with lines lw 2 dt 2 lc 'dark-green' title 'reclaim', \\\n"
		"  '' using 1:6 with lines lw 2 dt 3 lc 'dark-orange' title 'spare'\n"
		"unset multiplot\n",
		t->path[2]);
}

static int run_gnuplot(const char *script, char *err, size_t errlen)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		snprintf(err, errlen, "waiting for gnuplot: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, errlen, "gnuplot not found; install the Debian package gnuplot-nox "
			 "(make demo does)");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "gnuplot failed (exit status %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

int plot_png(const char *png, const struct experiment *x, char *err, size_t errlen)
{
	const struct scenario *sc = x->sc;
	uint32_t ncores = sc->ncores < PLOT_MAX_CORES ? sc->ncores : PLOT_MAX_CORES;
	size_t nper = x->run[0].cpu[0].nseries;
	size_t bin = nper / BINS_WANTED ? nper / BINS_WANTED : 1;
	struct tmp t = { .n = 0 };
	FILE *f[4];
	int ret = -1;
	unsigned int i;

	snprintf(t.dir, sizeof(t.dir), "/tmp/membw-plot.XXXXXX");
	if (!mkdtemp(t.dir)) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
		return -1;
	}
	f[0] = tmp_open(&t, "bw_none.dat");
	f[1] = tmp_open(&t, "bw_budgets.dat");
	f[2] = tmp_open(&t, "progress.dat");
	f[3] = tmp_open(&t, "plot.gp");
	if (!f[0] || !f[1] || !f[2] || !f[3]) {
		snprintf(err, errlen, "cannot write in %s: %s", t.dir, strerror(errno));
		goto out;
	}
	write_bandwidth(f[0], x, VAR_NONE, ncores, bin);
	write_bandwidth(f[1], x, VAR_BUDGETS, ncores, bin);
	write_progress(f[2], x);
	write_script(f[3], png, x, &t, ncores, bin);
	for (i = 0; i < 4; i++) {
		if (fclose(f[i]))
			snprintf(err, errlen, "cannot write in %s: %s", t.dir, strerror(errno));
		f[i] = NULL;
	}
	ret = run_gnuplot(t.path[3], err, errlen);
out:
	for (i = 0; i < 4; i++)
		if (f[i])
			fclose(f[i]);
	tmp_remove(&t);
	return ret;
}
