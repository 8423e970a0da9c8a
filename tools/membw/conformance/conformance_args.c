/* SPDX-License-Identifier: MIT */
/*
 * `membw conformance`'s command line and the text of the online CPUs file (see conformance_args.h):
 * no file is opened, nothing is run.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "conformance_args.h"
#include "text.h"

static const char usage_text[] =
	"Usage: membw conformance [--event NAME] [--cpus LIST] [--skid-events N] [--json]\n"
	"\n"
	"Checks that this machine's PMU, through Linux perf, counts, overflows and stops as the\n"
	"libmembw policy needs: the backend conformance suite (docs/conformance.md), run on each\n"
	"CPU with a workload that makes the event happen. Prints one line per fact: PASS, FAIL or\n"
	"SKIP with the reason, the measured overflow skid (events) and the read/arm cost (ns).\n"
	"\n"
	"Options:\n"
	"  --event NAME      the event counted: a perf or libpfm4 name (page-faults, instructions,\n"
	"                    cycles, INST_RETIRED, ...), default (the default memory event of\n"
	"                    `membw run`), or raw:0xCODE (a raw PMU event code). Default: default\n"
	"  --cpus LIST       CPUs to check, e.g. 0-3,6 (default: every online CPU)\n"
	"  --skid-events N   events armed to measure the overflow skid (default: 100 for page\n"
	"                    faults, 1000000 for hardware events)\n"
	"  --json            one JSON object on stdout instead of text\n"
	"  -h, --help        this text\n"
	"\n"
	"Workloads: page faults from fresh pages (exact); instructions and cycles from a loop (at\n"
	"least n); cache refills from a read stream over four times the largest cache in\n"
	"/sys/devices/system/cpu/cpu0/cache (none promised). Other events: no workload, and the\n"
	"facts that need events are skipped.\n"
	"\n"
	"Exit status: 0 every CPU conforms (no fact failed), 1 a fact failed, 2 bad command line\n"
	"or event.\n";

int conformance_parse_args(int argc, char **argv, struct conformance_options *o)
{
	const char *v;
	int i;

	memset(o, 0, sizeof(*o));
	o->event = "default";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (cli_is_option(argv[i], "--event")) {
			if (!(o->event = cli_option_value("conformance", argc, argv, &i, "--event")))
				return EXIT_BAD_INPUT;
		} else if (cli_is_option(argv[i], "--cpus")) {
			if (!(o->cpus = cli_option_value("conformance", argc, argv, &i, "--cpus")))
				return EXIT_BAD_INPUT;
		} else if (cli_is_option(argv[i], "--skid-events")) {
			if (!(v = cli_option_value("conformance", argc, argv, &i, "--skid-events")))
				return EXIT_BAD_INPUT;
			if (!text_parse_whole_number(v, &o->skid) || o->skid == 0 ||
			    o->skid > (1ull << 40))
				return cli_usage_error("conformance", "--skid-events '%s': expected "
						       "a number of events, 1 .. 2^40", v);
		} else if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else {
			return cli_usage_error("conformance", "unknown argument '%s'", argv[i]);
		}
	}
	return 0;
}

/* What choose() needs: the list as given, the two sets of conformance_parse_cpus(), and what
 * choose() returned when it refused a CPU. */
struct choice {
	const char *list;
	bool *set;
	const bool *online;
	int rc;
};

/* The CPUs @lo .. @hi of the --cpus list: each must be online. */
static int choose(void *ctx, unsigned int lo, unsigned int hi)
{
	struct choice *c = ctx;
	unsigned int i;

	for (i = lo; i <= hi; i++) {
		if (!c->online[i])
			return c->rc = cli_usage_error("conformance", "--cpus '%s': CPU %u is not "
						       "online (see /sys/devices/system/cpu/online)",
						       c->list, i);
		c->set[i] = true;
	}
	return 0;
}

int conformance_parse_cpus(const char *s, bool *set, const bool *online)
{
	struct choice c = { s, set, online, 0 };
	struct text_cpus_error e;

	if (!text_parse_cpu_list(s, CONFORMANCE_MAX_CPUS, 0, choose, &c, &e))
		return 0;
	if (e.why == TEXT_CPUS_REFUSED)
		return c.rc;
	if (e.why == TEXT_CPUS_UNEXPECTED)
		return cli_usage_error("conformance", "--cpus '%s': unexpected '%c'", s, s[e.at]);
	if (e.high)
		return cli_usage_error("conformance", "--cpus '%s': a range is LOW-HIGH with LOW <= "
				       "HIGH", s);
	return cli_usage_error("conformance", "--cpus '%s': expected a list like 0-3,6 of CPU "
			       "numbers below %d", s, CONFORMANCE_MAX_CPUS);
}

/* The CPUs @lo .. @hi of the online list, those below CONFORMANCE_MAX_CPUS, into @ctx. */
static int mark_online(void *ctx, unsigned int lo, unsigned int hi)
{
	bool *online = ctx;
	unsigned int i;

	for (i = lo; i <= hi && i < CONFORMANCE_MAX_CPUS; i++)
		online[i] = true;
	return 0;
}

int conformance_parse_online(const char *text, bool *online, char *why, size_t whylen)
{
	static bool all[CONFORMANCE_MAX_CPUS];
	struct text_cpus_error e;

	memset(all, 0, sizeof(all));
	if (text_parse_cpu_list(text, UINT_MAX, TEXT_CPUS_NEWLINE, mark_online, all, &e)) {
		text_cpus_explain(text, UINT_MAX, &e, why, whylen);
		text_make_printable(why);
		return -1;
	}
	memcpy(online, all, sizeof(all));
	return 0;
}

int conformance_event_code(const char *name, const char **code)
{
	*code = name;
	if (!strncmp(name, "raw:", 4)) {
		*code = name + 4;
		if (strncmp(*code, "0x", 2) || !(*code)[2] ||
		    strspn(*code + 2, "0123456789abcdefABCDEF") != strlen(*code + 2))
			return cli_usage_error("conformance", "--event '%s': a raw code is written "
					       "raw:0x followed by hex digits, e.g. raw:0x11", name);
	}
	return 0;
}
