/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: `membw run`'s command-line parser (tools/membw/run/run_args.c, with cli.c and
 * text.c), which runs nothing. The input is split at NUL bytes into up to 16 arguments after
 * "run". Invariants (a broken one aborts with "invariant broken: ..."):
 *   - accepted (0): nothing printed; the read budget above 0, not MEMBW_UNLIMITED, and what
 *     membw_parse_rate() reads from some argument; the write-back budget unlimited without
 *     --write-event, else above 0, not MEMBW_UNLIMITED and read from some argument; the period
 *     within MEMBW_PERIOD_MIN_NS .. MEMBW_PERIOD_MAX_NS and read from some argument unless it is
 *     the default; an interval of at least one period (with the statistics on), a duration and an
 *     interval read from some argument; cpu -1 or below MEMBW_MAX_CPUS; --sample-period (below
 *     2^63) and --max-pids (at most 4194304, not with --cpu) whole numbers some argument gives; a
 *     program (argv's tail, its first word an argument after every option) unless --cpu with a
 *     duration; a duration only for --cpu without one;
 *   - --help (-1): the usage on stdout, nothing on stderr, -h or --help among the arguments;
 *   - refused (EXIT_BAD_INPUT): "membw run: " and the hint to --help on stderr, nothing on stdout;
 *   - no other return; no file opened, no process started (cli_harness.h);
 *   - (ASan, UBSan) no memory error, no leak, no undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/membw.h>

#include "cli_harness.h"
#include "commands.h"
#include "run_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct cli_call *c, const struct run_options *o)
{
	int i;

	if (c->outn || c->errn)
		cli_broken("accepted but printed", c->errn ? c->err : c->out);
	if (o->budget_bps == 0 || o->budget_bps == MEMBW_UNLIMITED ||
	    !cli_some_arg_is_rate(c, "--budget", o->budget_bps))
		cli_broken("a read budget of 0, unlimited, or that no argument gives", NULL);
	if (!o->write_event && o->write_budget_bps != MEMBW_UNLIMITED)
		cli_broken("a write-back budget without --write-event", NULL);
	if (o->write_event && (o->write_budget_bps == 0 || o->write_budget_bps == MEMBW_UNLIMITED ||
			       !cli_some_arg_is_rate(c, "--write-budget", o->write_budget_bps)))
		cli_broken("a write-back budget of 0, unlimited, or that no argument gives", NULL);
	if (o->period_ns < MEMBW_PERIOD_MIN_NS || o->period_ns > MEMBW_PERIOD_MAX_NS)
		cli_broken("a period outside 100 us .. 1 s", NULL);
	if (o->period_ns != MEMBW_PERIOD_DEFAULT_NS &&
	    !cli_some_arg_is_duration(c, "--period", o->period_ns))
		cli_broken("a period that no argument gives", NULL);
	if (o->interval_ns && (o->interval_ns < o->period_ns || !o->stats))
		cli_broken("an interval shorter than the period, or without the statistics", NULL);
	if (o->interval_ns && !cli_some_arg_is_duration(c, "--interval", o->interval_ns))
		cli_broken("an interval that no argument gives", NULL);
	if (o->duration_ns && !cli_some_arg_is_duration(c, "--duration", o->duration_ns))
		cli_broken("a duration that no argument gives", NULL);
	if (o->cpu < -1 || o->cpu >= (int)MEMBW_MAX_CPUS ||
	    (o->cpu >= 0 && !cli_some_arg_is_number(c, "--cpu", (uint64_t)o->cpu)))
		cli_broken("a CPU out of range or that no argument gives", NULL);
	if (o->sample_period > INT64_MAX ||
	    (o->sample_period && !cli_some_arg_is_number(c, "--sample-period", o->sample_period)))
		cli_broken("a sample period of 2^63 or more, or that no argument gives", NULL);
	if (o->max_pids > 4194304 || (o->max_pids && o->cpu >= 0) ||
	    (o->max_pids && !cli_some_arg_is_number(c, "--max-pids", o->max_pids)))
		cli_broken("a --max-pids out of range, with --cpu, or that no argument gives", NULL);
	if (o->duration_ns && (o->cpu < 0 || o->prog))
		cli_broken("a duration that is not for --cpu without a program", NULL);
	if (!o->prog && o->cpu < 0)
		cli_broken("neither a program nor --cpu", NULL);
	if (o->prog) {
		for (i = 1; i < c->argc && c->argv + i != o->prog; i++)
			;
		if (i == c->argc || !o->prog[0] || o->prog[c->argc - i])
			cli_broken("a program that is not the arguments' tail", NULL);
		if (o->prog[0][0] == '-' && strcmp(c->argv[i - 1], "--"))
			cli_broken("an option taken for the program", o->prog[0]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_call c;
	struct run_options o;
	int ret, i;

	if (!cli_split(&c, "run", data, size))
		return 0;
	cli_capture(&c);
	ret = run_parse_args(c.argc, c.argv, &o);
	cli_release(&c);
	if (ret == 0) {
		check_accepted(&c, &o);
	} else {
		for (i = 1; i < c.argc && strcmp(c.argv[i], "-h") && strcmp(c.argv[i], "--help"); i++)
			;
		if (ret == -1 && i == c.argc)
			cli_broken("the usage without -h or --help", NULL);
		cli_check_refused(&c, ret, "Usage: membw run", "membw run: ",
				  "(membw run --help shows the options)");
	}
	cli_free(&c);
	return 0;
}
