/* SPDX-License-Identifier: MIT */
/* The userspace runtime of `membw run` (see regulator.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "regulator.h"

uint64_t run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void on_throttle(void *ctx, unsigned int cpu)
{
	struct regulator *r = ctx;

	(void)cpu;
	r->ops.throttle(r->ops.ctx);
}

static void on_unthrottle(void *ctx, unsigned int cpu)
{
	struct regulator *r = ctx;

	(void)cpu;
	r->ops.unthrottle(r->ops.ctx);
}

static void on_trace(void *ctx, const struct membw_trace_record *ev)
{
	struct regulator *r = ctx;
	uint64_t per;

	if (ev->type != MEMBW_TRACE_PERIOD_END || ev->channel >= MEMBW_NCHANNELS)
		return;
	per = ev->used / (ev->periods ? ev->periods : 1);
	if (ev->overshoot > r->max_overshoot[ev->channel])
		r->max_overshoot[ev->channel] = ev->overshoot;
	if (per > r->max_used[ev->channel])
		r->max_used[ev->channel] = per;
	if (r->trace)
		fprintf(r->trace, "%" PRIu64 ",%" PRIu64 ",%s,%" PRIu32 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu32 "\n",
			ev->now_ns - r->start_ns, ev->epoch,
			ev->channel == MEMBW_CH_READ ? "read" : "write", ev->periods, ev->used,
			ev->allowance, ev->overshoot, r->budget_events[ev->channel], r->line_size);
}

/*
 * Default kernel overflow period: a thirty-second of the per-period budget (at least 1), so the
 * runtime takes about 32 signals per period at full use and sees the arm point at most that
 * many events late per running task. Measured here (page faults, 97 events per period): every
 * event (period 1) cost membw 130 ms of CPU per second and slowed the program below its budget;
 * period 4 cost 64 ms per second with at most 3 events of overshoot per period.
 */
static uint64_t default_sample_period(const struct regulator *r)
{
	uint64_t g = r->budget_events[MEMBW_CH_READ] / 32;

	if (r->pctx.channels > 1 && r->budget_events[MEMBW_CH_WRITE] / 32 < g)
		g = r->budget_events[MEMBW_CH_WRITE] / 32;
	return g ? g : 1;
}

static int convert_budget(struct regulator *r, const char *what, uint64_t bps, uint64_t *events)
{
	char rate[MEMBW_FORMAT_MAX], period[MEMBW_FORMAT_MAX];
	int err;

	if (bps == MEMBW_UNLIMITED) {
		*events = UINT64_MAX;
		return 0;
	}
	err = membw_bps_to_events(bps, r->opt->period_ns, r->line_size, events);
	if (!err)
		return 0;
	membw_format_rate(rate, sizeof(rate), bps);
	membw_format_duration(period, sizeof(period), r->opt->period_ns);
	/* membw_bps_to_events() leaves *events alone when it refuses: which end the rate missed is
	 * its bytes per period against one event (the two ends are 2^32 events apart). */
	if (bps != 0 && err == -MEMBW_ERANGE &&
	    (double)bps * (double)r->opt->period_ns / 1e9 < (double)r->line_size)
		fprintf(stderr, "membw run: %s %s is below one event (%" PRIu32 " bytes) per %s "
			"period; raise it or lengthen --period\n", what, rate, r->line_size, period);
	else if (err == -MEMBW_ERANGE)
		fprintf(stderr, "membw run: %s %s is above %u events (%" PRIu32 " bytes each) per "
			"%s period; lower it or shorten --period\n", what, rate,
			MEMBW_MAX_EVENTS_PER_PERIOD, r->line_size, period);
	else
		fprintf(stderr, "membw run: %s %s cannot be enforced with a %s period: %s\n", what,
			rate, period, membw_strerror(err));
	return 1;
}

int regulator_events(struct regulator *r, const struct run_options *opt, int *status)
{
	char why[PERF_WHY_MAX];
	const char *names[MEMBW_NCHANNELS] = { opt->event, opt->write_event };
	uint32_t ch;
	int err;

	r->opt = opt;
	r->pctx.channels = opt->write_event ? 2 : 1;
	for (ch = 0; ch < r->pctx.channels; ch++) {
		if (!names[ch]) {
			/* No event named: a memory event if there is a PMU, else say what to use. */
			if (perf_hardware_pmu_present(why, sizeof(why))) {
				fprintf(stderr,
					"membw run: no hardware PMU here, so there is no memory-traffic "
					"counter to use by default (%s).\nName a software event "
					"instead: --event page-faults counts fresh pages touched (1 "
					"event = %" PRIu32 " bytes); `membw events` lists the others\n",
					"perf_event_open(cycles) fails with ENOENT/EOPNOTSUPP",
					perf_page_size());
				*status = 1;
				return 1;
			}
			/* The core's armv8 or Intel table, the kernel's cache misses elsewhere. */
			names[ch] = "default";
		}
		err = perf_event_resolve_channel(names[ch], ch, &r->pctx.event[ch], why,
						 sizeof(why));
		if (err && !ch && !opt->event) {
			/* No table applies here (an x86 CPU that is not Intel): the kernel's generic
			 * cache misses, as before there were x86 tables, and say so. */
			err = perf_event_resolve_channel("cache-misses", ch, &r->pctx.event[ch], why,
							 sizeof(why));
			if (!err)
				snprintf(r->pctx.event[ch].note, sizeof(r->pctx.event[ch].note),
					 "no event table applies to this CPU, so the kernel's generic "
					 "cache misses are counted (name an event with --event)");
		}
		if (err) {
			fprintf(stderr, "membw run: --%s: %s\n", ch ? "write-event" : "event", why);
			*status = 2;
			return 1;
		}
		if (r->pctx.event[ch].note[0] && !opt->quiet)
			fprintf(stderr, "membw run: --%s: %s\n", ch ? "write-event" : "event",
				r->pctx.event[ch].note);
	}
	r->line_size = r->pctx.event[0].line_size;
	if (convert_budget(r, "--budget", opt->budget_bps, &r->budget_events[0]) ||
	    (r->pctx.channels > 1 &&
	     convert_budget(r, "--write-budget", opt->write_budget_bps, &r->budget_events[1]))) {
		*status = 2;
		return 1;
	}
	r->pctx.sample_period = opt->sample_period ? opt->sample_period : default_sample_period(r);
	r->pctx.signal = RUN_OVERFLOW_SIGNAL;
	r->pctx.owner_tid = gettid();
	return 0;
}

static int arm_timer(struct regulator *r, uint64_t at_ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(at_ns / 1000000000ull);
	its.it_value.tv_nsec = (long)(at_ns % 1000000000ull);
	return timerfd_settime(r->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

int regulator_start(struct regulator *r)
{
	struct membw_config cfg;
	struct membw_env env;
	size_t size;
	uint64_t next;
	int err;

	r->timer_fd = -1;
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	cfg.period_ns = r->opt->period_ns;
	cfg.levels = r->opt->user_only ? MEMBW_COUNT_USER : MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	memset(&env, 0, sizeof(env));
	env.size = sizeof(env);
	env.ctx = r;
	env.throttle = on_throttle;
	env.unthrottle = on_unthrottle;
	env.trace = on_trace;
	size = membw_storage_size(1, 1, membw_perf_backend.priv_size);
	r->storage = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(size));
	if (!r->storage) {
		fprintf(stderr, "membw run: out of memory\n");
		return 1;
	}
	err = membw_init(&r->m, r->storage, size, &cfg, &membw_perf_backend, &r->pctx, &env);
	if (err) {
		fprintf(stderr, "membw run: cannot count: %s\n",
			r->pctx.why[0] ? r->pctx.why : membw_strerror(err));
		return 1;
	}
	err = membw_domain_set_budget(r->m, 0, r->opt->budget_bps,
				      r->pctx.channels > 1 ? r->opt->write_budget_bps
							   : MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(r->m, 0, 0);
	if (err) {
		fprintf(stderr, "membw run: the policy refused the budget: %s\n",
			membw_strerror(err));
		return 1;
	}
	if (r->opt->trace_path) {
		r->trace = fopen(r->opt->trace_path, "w");
		if (!r->trace) {
			fprintf(stderr, "membw run: --trace %s: %s\n", r->opt->trace_path,
				strerror(errno));
			return 1;
		}
		fprintf(r->trace, "end_ns,epoch,channel,periods,used_events,allowance_events,"
				  "overshoot_events,budget_events,bytes_per_event\n");
	}
	r->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (r->timer_fd < 0) {
		fprintf(stderr, "membw run: timerfd: %s\n", strerror(errno));
		return 1;
	}
	r->start_ns = run_now_ns();
	r->next_report_ns = r->start_ns + r->opt->interval_ns;
	err = membw_cpu_online(r->m, 0, r->start_ns, &next);
	if (err) {
		fprintf(stderr, "membw run: cannot start the counters: %s\n",
			r->pctx.why[0] ? r->pctx.why : membw_strerror(err));
		return 1;
	}
	arm_timer(r, next);
	return 0;
}

void regulator_on_timer(struct regulator *r)
{
	uint64_t expirations, next, now;

	if (read(r->timer_fd, &expirations, sizeof(expirations)) < 0 && errno == EAGAIN)
		return;
	now = run_now_ns();
	if (membw_tick(r->m, 0, now, &next) == 0)
		arm_timer(r, next);
	else
		arm_timer(r, now + r->opt->period_ns);
	if (r->opt->interval_ns && now >= r->next_report_ns) {
		regulator_report(r, stderr, false);
		while (r->next_report_ns <= now)
			r->next_report_ns += r->opt->interval_ns;
	}
}

void regulator_on_overflow(struct regulator *r)
{
	void *priv = membw_cpu_get_priv(r->m, 0);
	uint32_t ch;
	bool due = false;

	r->overflow_signals++;
	for (ch = 0; ch < r->pctx.channels; ch++)
		if (perf_backend_overflow_due(priv, ch) == 1)
			due = true;
	if (due)
		membw_overflow(r->m, 0, run_now_ns());
}

static void fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	char rate[MEMBW_FORMAT_MAX];
	size_t n;

	/* The rate formatter's digits and prefixes, without the "/s". */
	membw_format_rate(rate, sizeof(rate), bytes);
	n = strlen(rate);
	if (n > 2 && !strcmp(rate + n - 2, "/s"))
		rate[n - 2] = '\0';
	snprintf(buf, len, "%s", rate);
}

void regulator_report(struct regulator *r, FILE *out, bool final)
{
	struct membw_cpu_stats st;
	char a[MEMBW_FORMAT_MAX], b[MEMBW_FORMAT_MAX], c[MEMBW_FORMAT_MAX];
	uint64_t elapsed = run_now_ns() - r->start_ns;
	uint32_t ch;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (!r->m || membw_cpu_get_stats(r->m, 0, &st))
		return;
	membw_format_duration(a, sizeof(a), elapsed);
	membw_format_duration(b, sizeof(b), r->opt->period_ns);
	fprintf(out, "membw run: statistics after %s (period %s, %" PRIu64 " periods, %" PRIu64
		     " missed)\n",
		a, b, st.totals.periods, st.totals.missed_periods);
	for (ch = 0; ch < r->pctx.channels; ch++) {
		const struct membw_channel_stats *cs = &st.totals.ch[ch];
		uint64_t rate = elapsed ? (uint64_t)((double)cs->used * r->line_size * 1e9 /
						     (double)elapsed)
					: 0;

		fprintf(out, "  %s event: %s (1 event = %" PRIu32 " bytes)\n",
			ch ? "write" : "read", r->pctx.event[ch].name, r->line_size);
		membw_format_rate(a, sizeof(a), ch ? r->opt->write_budget_bps : r->opt->budget_bps);
		if (r->budget_events[ch] == UINT64_MAX)
			fprintf(out, "    budget            %s\n", a);
		else
			fprintf(out, "    budget            %s = %" PRIu64 " events per period\n", a,
				r->budget_events[ch]);
		fmt_bytes(b, sizeof(b), cs->used * r->line_size);
		membw_format_rate(c, sizeof(c), rate);
		fprintf(out, "    used              %" PRIu64 " events = %s, %s on average\n",
			cs->used, b, c);
		fmt_bytes(b, sizeof(b), r->max_used[ch] * r->line_size);
		fprintf(out, "    largest period    %" PRIu64 " events = %s\n", r->max_used[ch], b);
		fmt_bytes(b, sizeof(b), cs->overshoot * r->line_size);
		fmt_bytes(c, sizeof(c), r->max_overshoot[ch] * r->line_size);
		fprintf(out, "    overshoot         %" PRIu64 " events = %s in all; at most %" PRIu64
			     " events = %s in one period\n",
			cs->overshoot, b, r->max_overshoot[ch], c);
	}
	membw_format_duration(a, sizeof(a), st.totals.throttled_ns);
	fprintf(out, "  throttled           %" PRIu64 " periods, %s (%.1f %% of the time)\n",
		st.totals.throttle_count, a,
		elapsed ? 100.0 * (double)st.totals.throttled_ns / (double)elapsed : 0.0);
	fprintf(out, "  overflow signals    %" PRIu64 " (kernel period %" PRIu64
		     " events); spurious overflows %" PRIu64 ", anomalies %" PRIu64 "\n",
		r->overflow_signals, r->pctx.sample_period, st.totals.spurious_overflows,
		st.totals.anomalies);
	if (final) {
		struct rusage ru;
		uint64_t cpu_ns;

		getrusage(RUSAGE_SELF, &ru);
		cpu_ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
			 (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
		membw_format_duration(a, sizeof(a), cpu_ns);
		membw_format_duration(b, sizeof(b), elapsed);
		membw_format_duration(c, sizeof(c),
				      elapsed ? (uint64_t)((double)cpu_ns * 1e9 / (double)elapsed) : 0);
		fprintf(out, "  membw CPU time      %s in %s = %s per second of regulation\n", a, b,
			c);
	}
}

void regulator_stop(struct regulator *r)
{
	/* The backend closes its counters (cpu_exit); -ENODEV if the CPU never came online. */
	if (r->m)
		membw_cpu_offline(r->m, 0, run_now_ns());
	if (r->trace)
		fclose(r->trace);
	r->trace = NULL;
	if (r->timer_fd >= 0)
		close(r->timer_fd);
	r->timer_fd = -1;
}
