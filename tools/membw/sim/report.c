/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "report.h"

#define NS_PER_S 1000000000ull

uint64_t report_rate(uint64_t lines, uint32_t line_size, uint64_t ns)
{
	unsigned __int128 b = (unsigned __int128)lines * line_size * NS_PER_S;

	return ns ? (uint64_t)(b / ns) : 0;
}

static const char *rate(char *buf, uint64_t bps)
{
	membw_format_rate(buf, MEMBW_FORMAT_MAX, bps);
	return buf;
}

static const char *duration(char *buf, uint64_t ns)
{
	membw_format_duration(buf, MEMBW_FORMAT_MAX, ns);
	return buf;
}

static void slowdown_text(char *buf, size_t len, double s)
{
	if (s == 0)
		snprintf(buf, len, "-");
	else if (isinf(s))
		snprintf(buf, len, "stalled");
	else if (isnan(s))
		snprintf(buf, len, "unfinished");
	else
		snprintf(buf, len, "%.3fx", s);
}

static void header(FILE *out, const struct experiment *x)
{
	const struct scenario *sc = x->sc;
	const struct sim_config *c = &sc->sim;
	char a[MEMBW_FORMAT_MAX], b[MEMBW_FORMAT_MAX], d[MEMBW_FORMAT_MAX];
	uint64_t sum =
		scenario_budget_sum(sc, MEMBW_CH_READ) + scenario_budget_sum(sc, MEMBW_CH_WRITE);

	fprintf(out, "Scenario %s: %u cores, period %s, %s simulated, seed %llu\n", sc->name,
		sc->ncores, duration(a, c->period_ns), duration(b, c->duration_ns),
		(unsigned long long)c->seed);
	fprintf(out, "DRAM peak %s, guaranteed %s; ", rate(a, c->peak_bps),
		rate(b, c->guaranteed_bps));
	fprintf(out, "interrupt latency %s, tick jitter %s\n", duration(d, c->irq_latency_ns),
		duration(a, c->tick_jitter_ns));
	if (sum)
		fprintf(out, "Budgets sum to %s, %s the guaranteed %s.\n", rate(a, sum),
			sum <= c->guaranteed_bps ? "within" : "ABOVE", rate(b, c->guaranteed_bps));
	fprintf(out, "Policies: none = no regulation; budgets = per-core/domain budgets; "
		"reclaim = budgets +\nreclaim; spare = budgets + reclaim + spare sharing. "
		"Slowdown = work done alone / work done\n(a job with repeat = no: time to finish / "
		"time to finish alone). Max overshoot =\nlines past the allowance in one period, "
		"leaving out periods spare sharing released.\n");
}

void report_table(FILE *out, const struct experiment *x)
{
	const struct scenario *sc = x->sc;
	uint32_t line = sc->sim.line_size;
	uint64_t dur = sc->sim.duration_ns;
	uint32_t i;
	unsigned int v;

	header(out, x);
	for (i = 0; i < sc->ncores; i++) {
		uint64_t budget[MEMBW_NCHANNELS];
		bool regulated = experiment_budget(sc, i, budget);
		char a[MEMBW_FORMAT_MAX], b[MEMBW_FORMAT_MAX];

		fprintf(out, "\ncore %u  %s", i, sc->core[i].name);
		if (sc->core[i].domain != MEMBW_NO_DOMAIN)
			fprintf(out, "  (domain %s)", sc->domain[sc->core[i].domain].name);
		if (sc->core[i].realtime)
			fprintf(out, "  real-time: counted, never throttled");
		else if (regulated)
			fprintf(out, "  budget: read %s, write %s", rate(a, budget[0]),
				rate(b, budget[1]));
		else
			fprintf(out, "  no budget");
		fprintf(out, "\n  %-9s %12s %12s %10s %16s %10s\n", "policy", "read", "write",
			"throttled", "max overshoot", "slowdown");
		for (v = 0; v < NVARIANTS; v++) {
			const struct sim_cpu_result *r = &x->run[v].cpu[i];
			char over[32], slow[32];

			if (v == VAR_NONE || !regulated)
				snprintf(over, sizeof(over), "-");
			else
				snprintf(over, sizeof(over), "%llu lines",
					 (unsigned long long)r->max_overshoot);
			slowdown_text(slow, sizeof(slow), experiment_slowdown(x, v, i));
			fprintf(out, "  %-9s %12s %12s %8.1f %% %16s %10s\n", variant_name[v],
				rate(a, report_rate(r->lines[0], line, dur)),
				rate(b, report_rate(r->lines[1], line, dur)),
				100.0 * (double)r->throttled_ns / (double)dur, over, slow);
		}
	}
	if (sc->core[sc->rt_core].nphases) {
		char s[NVARIANTS][32];

		for (v = 0; v < NVARIANTS; v++)
			slowdown_text(s[v], sizeof(s[v]), experiment_slowdown(x, v, sc->rt_core));
		fprintf(out, "\nReal-time core %u (%s): slowdown %s without regulation, %s with "
			"budgets,\n%s with reclaim, %s with spare sharing.\n", sc->rt_core,
			sc->core[sc->rt_core].name, s[0], s[1], s[2], s[3]);
	}
}

static void json_rate(FILE *out, uint64_t bps)
{
	if (bps == MEMBW_UNLIMITED)
		fprintf(out, "null");
	else
		fprintf(out, "%llu", (unsigned long long)bps);
}

static void json_double(FILE *out, double d)
{
	if (isinf(d) || isnan(d) || d == 0)
		fprintf(out, "null");
	else
		fprintf(out, "%.6f", d);
}

void report_json(FILE *out, const struct experiment *x)
{
	const struct scenario *sc = x->sc;
	const struct sim_config *c = &sc->sim;
	uint32_t i;
	unsigned int v;

	fprintf(out, "{\n  \"scenario\": \"");
	for (const char *p = sc->name; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		if ((unsigned char)*p >= 0x20)
			fputc(*p, out);
	}
	fprintf(out, "\",\n  \"cores\": %u, \"period_ns\": %llu, \"duration_ns\": %llu, "
		"\"seed\": %llu,\n", sc->ncores, (unsigned long long)c->period_ns,
		(unsigned long long)c->duration_ns, (unsigned long long)c->seed);
	fprintf(out, "  \"dram\": {\"peak_bps\": %llu, \"guaranteed_bps\": %llu},\n",
		(unsigned long long)c->peak_bps, (unsigned long long)c->guaranteed_bps);
	fprintf(out, "  \"line_size_bytes\": %u, \"rt_core\": %u,\n  \"results\": [\n",
		c->line_size, sc->rt_core);
	for (i = 0; i < sc->ncores; i++) {
		uint64_t budget[MEMBW_NCHANNELS];
		bool regulated = experiment_budget(sc, i, budget);

		fprintf(out, "    {\"core\": %u, \"name\": \"%s\", \"regulated\": %s, "
			"\"realtime\": %s,\n     \"budget_bps\": {\"read\": ", i, sc->core[i].name,
			regulated ? "true" : "false", sc->core[i].realtime ? "true" : "false");
		json_rate(out, budget[0]);
		fprintf(out, ", \"write\": ");
		json_rate(out, budget[1]);
		fprintf(out, "}, \"solo_work_ns\": %llu,\n     \"variants\": {\n",
			(unsigned long long)x->solo_work[i]);
		for (v = 0; v < NVARIANTS; v++) {
			const struct sim_cpu_result *r = &x->run[v].cpu[i];

			fprintf(out,
				"       \"%s\": {\"read_bps\": %llu, \"write_bps\": %llu, "
				"\"read_lines\": %llu, \"write_lines\": %llu, \"throttled_ns\": "
				"%llu, "
				"\"throttle_count\": %llu,\n         \"overshoot_lines\": %llu, "
				"\"max_overshoot_lines\": %llu, \"work_ns\": %llu, ",
				variant_name[v],
				(unsigned long long)report_rate(r->lines[0], c->line_size,
								c->duration_ns),
				(unsigned long long)report_rate(r->lines[1], c->line_size,
								c->duration_ns),
				(unsigned long long)r->lines[0], (unsigned long long)r->lines[1],
				(unsigned long long)r->throttled_ns,
				(unsigned long long)r->stats.totals.throttle_count,
				(unsigned long long)(r->stats.totals.ch[0].overshoot +
						     r->stats.totals.ch[1].overshoot),
				(unsigned long long)r->max_overshoot,
				(unsigned long long)r->work_ns);
			fprintf(out, "\"finish_ns\": ");
			if (r->finish_ns)
				fprintf(out, "%llu, ", (unsigned long long)r->finish_ns);
			else
				fprintf(out, "null, ");
			fprintf(out, "\"slowdown\": ");
			json_double(out, experiment_slowdown(x, v, i));
			fprintf(out, "}%s\n", v + 1 < NVARIANTS ? "," : "");
		}
		fprintf(out, "     }}%s\n", i + 1 < sc->ncores ? "," : "");
	}
	fprintf(out, "  ]\n}\n");
}

int report_csv(const char *path, const struct experiment *x)
{
	const struct scenario *sc = x->sc;
	uint64_t period = sc->sim.period_ns, line = sc->sim.line_size;
	FILE *out = fopen(path, "w");
	unsigned int v;
	uint32_t i;
	size_t k;

	if (!out)
		return -errno;
	fprintf(out, "variant,core,name,start_ns,end_ns,read_bytes,write_bytes,throttled_ns,"
		"work_ns\n");
	for (v = 0; v < NVARIANTS; v++) {
		for (i = 0; i < sc->ncores; i++) {
			const struct sim_cpu_result *r = &x->run[v].cpu[i];

			for (k = 0; k < r->nseries; k++) {
				const struct sim_sample *s = &r->series[k];
				uint64_t end = (k + 1) * period;

				if (end > sc->sim.duration_ns)
					end = sc->sim.duration_ns;
				fprintf(out, "%s,%u,%s,%llu,%llu,%llu,%llu,%llu,%llu\n",
					variant_name[v], i, sc->core[i].name,
					(unsigned long long)(k * period), (unsigned long long)end,
					(unsigned long long)(s->lines[0] * line),
					(unsigned long long)(s->lines[1] * line),
					(unsigned long long)s->throttled_ns,
					(unsigned long long)s->work_ns);
			}
		}
	}
	if (fclose(out))
		return -errno;
	return 0;
}
