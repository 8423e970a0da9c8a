/* SPDX-License-Identifier: MIT */
/* `membw run`'s command line (see run_args.h): no file is opened, nothing is run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/membw.h>
#include <membw/units.h>

#include "cli.h"
#include "commands.h"
#include "run_args.h"
#include "text.h"

static const char usage_text[] =
	"Usage: membw run --budget RATE [OPTIONS] -- PROG [ARGS...]\n"
	"       membw run --cpu N --budget RATE [OPTIONS] [-- PROG [ARGS...]]\n"
	"\n"
	"Regulate the memory bandwidth of PROG and everything it starts (first form), or of\n"
	"everything running on CPU N (second form; needs root), with the MemGuard-style policy\n"
	"of libmembw: each period the set may move RATE x period bytes; once that is used it is\n"
	"stopped until the next period (cgroup v2 freezer when available, else SIGSTOP/SIGCONT\n"
	"to PROG's process group; with --cpu, a SCHED_FIFO thread holds the CPU).\n"
	"A budget of 0 is refused (it would hold PROG stopped for good).\n"
	"\n"
	"Release promise: membw never kills PROG and never leaves it stopped. Whatever ends\n"
	"membw -- SIGKILL of membw alone, of its whole process group, or during PROG's\n"
	"start-up; SIGKILL of its watchdog, then of membw; a fork bomb held by --max-pids;\n"
	"a child subreaper above membw in its session -- every process of PROG is left\n"
	"running (not stopped, not frozen, not killed by the SIGHUP of an orphaned process\n"
	"group) and membw's cgroups are removed: a watchdog in a process group of its own\n"
	"resumes PROG once membw is gone, and membw resumes PROG and stops regulating it if\n"
	"the watchdog dies first. Not covered: membw and its watchdog killed in the same\n"
	"instant.\n"
	"\n"
	"Options:\n"
	"  --budget RATE         read budget, e.g. 500MB/s (MB = 10^6 bytes, MiB = 2^20)\n"
	"  --write-budget RATE   write-back budget (needs --write-event)\n"
	"  --period DURATION     regulation period, 100us .. 1s (default 1ms)\n"
	"  --event NAME          event counting reads: a raw code r1b7, `default` (the running\n"
	"                        core's table default: armv8 table on arm64, Intel table on\n"
	"                        Intel x86-64; refused on other x86 CPUs such as AMD, and cache\n"
	"                        misses elsewhere), a perf/libpfm4 name (page-faults,\n"
	"                        cache-misses), or a name from the running core's armv8 or\n"
	"                        Intel table (`membw events` lists them; default: `default`\n"
	"                        when the machine has a hardware PMU)\n"
	"  --write-event NAME    event counting write-backs (`default`: the write-back default)\n"
	"  --sample-period N     events between overflow signals from the kernel, per task\n"
	"                        (default: the budget per period / 32, at least 1)\n"
	"  --user-only           count user-mode events only (allowed without privileges)\n"
	"  --signals             throttle with SIGSTOP/SIGCONT even if a cgroup is available\n"
	"  --max-pids N          at most N tasks in PROG's tree while membw runs (pids.max:\n"
	"                        fork fails beyond it); needs the pids controller, in membw's\n"
	"                        cgroup v2 group or a cgroup v1 pids hierarchy\n"
	"  --cpu N               regulate CPU N instead of a program's tree\n"
	"  --duration DURATION   with --cpu and no PROG: stop after this long\n"
	"  --stats               print the statistics at the end (on stderr)\n"
	"  --interval DURATION   also print them every DURATION, e.g. 1s\n"
	"  --trace FILE          write one CSV row per channel and period to FILE\n"
	"  -q, --quiet           no start-up messages\n"
	"  -h, --help            this text\n"
	"\n"
	"Exit status: PROG's (128 + N if signal N killed it); 1 membw could not regulate;\n"
	"2 bad command line.\n";

static int parse_rate(const char *name, const char *text, uint64_t *out)
{
	const char *why = NULL;

	if (membw_parse_rate(text, out, &why))
		return cli_usage_error("run", "%s '%s': %s; expected a rate such as 500MB/s or "
				       "1.5GiB/s", name, text, why);
	if (*out == 0)
		return cli_usage_error("run", "%s '%s': a zero budget would hold PROG stopped for "
				       "good; give a rate above 0, e.g. 1MB/s", name, text);
	/* libmembw reads the largest number as "no limit": membw would regulate nothing. */
	if (*out == MEMBW_UNLIMITED)
		return cli_usage_error("run", "%s '%s': 18446744073709551615 B/s is libmembw's "
				       "\"unlimited\" and would regulate nothing; give a rate "
				       "below it", name, text);
	return 0;
}

/*
 * "--budget 500 MB/s": the shell splits the rate in two; 500 alone is a valid rate (bytes per
 * second) and "MB/s" would become the program. Refuse a number without a unit followed by an
 * argument that reads as its unit: one with a '/' (not a path: it does not start with '/' or
 * '.') that, joined to the number, parses, or fails for a reason about the unit (the rate
 * parser's own reason, so "500 Mb/s" says what "500Mb/s" would).
 */
static int split_rate(const char *name, const char *text, const char *next)
{
	char joined[128];
	const char *why = NULL;
	uint64_t bps;
	size_t len = strlen(text);
	int n;

	if (!next || !len || text[len - 1] < '0' || text[len - 1] > '9' || !strchr(next, '/') ||
	    next[0] == '/' || next[0] == '.')
		return 0;
	n = snprintf(joined, sizeof(joined), "%s%s", text, next);
	if (n < 0 || (size_t)n >= sizeof(joined))
		return 0;
	if (!membw_parse_rate(joined, &bps, &why))
		return cli_usage_error("run", "%s '%s' '%s': a rate is one word: write %s '%s' "
				       "(apart, '%s' would be taken as the program)", name, text,
				       next, name, joined, next);
	if (why && strcmp(why, "unknown unit") && strcmp(why, "unexpected text after the unit"))
		return cli_usage_error("run", "%s '%s' '%s': a rate is one word, and as one, "
				       "'%s': %s; expected a rate such as 500MB/s or 1.5GiB/s",
				       name, text, next, joined, why);
	return 0;
}

static int parse_duration(const char *name, const char *text, uint64_t *out)
{
	const char *why = NULL;

	if (membw_parse_duration(text, out, &why))
		return cli_usage_error("run", "%s '%s': expected a duration such as 1ms, 250us "
				       "or 2s", name, text);
	return 0;
}

static int parse_count(const char *name, const char *text, const char *what, uint64_t *out)
{
	if (!text_parse_whole_number(text, out) || *out == 0)
		return cli_usage_error("run", "%s '%s': expected a whole number of %s, 1 or "
				       "more", name, text, what);
	return 0;
}

int run_parse_args(int argc, char **argv, struct run_options *o)
{
	bool has_budget = false, has_write_budget = false, has_duration = false;
	const char *interval = NULL;
	int i, err = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return -1;
		}
	}
	memset(o, 0, sizeof(*o));
	o->budget_bps = MEMBW_UNLIMITED;
	o->write_budget_bps = MEMBW_UNLIMITED;
	o->period_ns = MEMBW_PERIOD_DEFAULT_NS;
	o->cpu = -1;
	for (i = 1; i < argc && !err; i++) {
		const char *a = argv[i], *v = NULL;
		static const char *const valued[] = { "--budget", "--write-budget", "--period",
						      "--event", "--write-event", "--sample-period",
						      "--cpu", "--duration", "--interval", "--trace",
						      "--max-pids" };
		size_t k;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break; /* PROG without "--" */
		for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
			if (cli_is_option(a, valued[k])) {
				v = cli_option_value("run", argc, argv, &i, valued[k]);
				if (!v)
					return EXIT_BAD_INPUT;
				break;
			}
		}
		if (cli_is_option(a, "--budget")) {
			err = split_rate("--budget", v, i + 1 < argc ? argv[i + 1] : NULL);
			if (!err)
				err = parse_rate("--budget", v, &o->budget_bps);
			has_budget = true;
		} else if (cli_is_option(a, "--write-budget")) {
			err = split_rate("--write-budget", v, i + 1 < argc ? argv[i + 1] : NULL);
			if (!err)
				err = parse_rate("--write-budget", v, &o->write_budget_bps);
			has_write_budget = true;
		} else if (cli_is_option(a, "--period")) {
			err = parse_duration("--period", v, &o->period_ns);
			if (!err && (o->period_ns < MEMBW_PERIOD_MIN_NS ||
				     o->period_ns > MEMBW_PERIOD_MAX_NS))
				err = cli_usage_error("run", "--period '%s': the period must be "
						      "100 us .. 1 s", v);
		} else if (cli_is_option(a, "--event")) {
			o->event = v;
		} else if (cli_is_option(a, "--write-event")) {
			o->write_event = v;
		} else if (cli_is_option(a, "--sample-period")) {
			err = parse_count("--sample-period", v, "events", &o->sample_period);
			/* perf_event_open() refuses a period with bit 63 set (EINVAL, which membw
			 * could only report as a bad event). */
			if (!err && o->sample_period > INT64_MAX)
				err = cli_usage_error("run", "--sample-period '%s': at most "
						      "9223372036854775807 (2^63 - 1, the kernel's "
						      "largest)", v);
		} else if (cli_is_option(a, "--cpu")) {
			uint64_t cpu;

			if (!text_parse_whole_number(v, &cpu) || cpu >= MEMBW_MAX_CPUS)
				err = cli_usage_error("run", "--cpu '%s': expected a CPU number such "
						      "as 0 or 3", v);
			else
				o->cpu = (int)cpu;
		} else if (cli_is_option(a, "--max-pids")) {
			uint64_t n;

			err = parse_count("--max-pids", v, "tasks", &n);
			if (!err && n > 4194304) /* Linux's PID_MAX_LIMIT */
				err = cli_usage_error("run", "--max-pids '%s': at most 4194304 (the "
						      "most pids Linux has)", v);
			if (!err)
				o->max_pids = (unsigned long)n;
		} else if (cli_is_option(a, "--duration")) {
			err = parse_duration("--duration", v, &o->duration_ns);
			has_duration = true;
		} else if (cli_is_option(a, "--interval")) {
			err = parse_duration("--interval", v, &o->interval_ns);
			interval = v;
			o->stats = true;
		} else if (cli_is_option(a, "--trace")) {
			o->trace_path = v;
		} else if (!strcmp(a, "--stats")) {
			o->stats = true;
		} else if (!strcmp(a, "--user-only")) {
			o->user_only = true;
		} else if (!strcmp(a, "--signals")) {
			o->signals_only = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else {
			err = cli_usage_error("run", "unknown option '%s'", a);
		}
	}
	if (err)
		return err;
	/* Against the period the whole line gives: --period may come after --interval. */
	if (interval && o->interval_ns < o->period_ns)
		return cli_usage_error("run", "--interval '%s': must be at least one period",
				       interval);
	if (i < argc)
		o->prog = argv + i;
	if (!has_budget)
		return cli_usage_error("run", "--budget is required, e.g. --budget 500MB/s");
	if (has_write_budget && !o->write_event)
		return cli_usage_error("run", "--write-budget needs --write-event (the event "
				       "counting write-backs)");
	if (o->write_event && !has_write_budget)
		return cli_usage_error("run", "--write-event needs --write-budget");
	if (o->cpu < 0 && !o->prog)
		return cli_usage_error("run", "no program to run: membw run --budget RATE -- "
				       "PROG [ARGS...]");
	if (o->cpu >= 0 && !o->prog && !has_duration)
		return cli_usage_error("run", "--cpu without a program needs --duration (or run "
				       "a program after --)");
	if (o->max_pids && o->cpu >= 0)
		return cli_usage_error("run", "--max-pids applies to a program's tree, not --cpu");
	if (has_duration && (o->cpu < 0 || o->prog))
		return cli_usage_error("run", "--duration applies to --cpu without a program");
	return 0;
}
