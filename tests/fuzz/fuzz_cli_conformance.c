/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: `membw conformance`'s command-line parser (tools/membw/conformance/
 * conformance_args.c, with cli.c and text.c): its options, the --cpus list against a set of online
 * CPUs, and the --event name's raw code; nothing is run. The input's first byte picks the online
 * CPUs (0 .. (byte & 0x7f) * 33 - 1, every third one offline when bit 7 is set); the rest is split
 * at NUL bytes into up to 16 arguments after "conformance".
 * Invariants (a broken one aborts with "invariant broken: ..."):
 *   - accepted (0): nothing printed; skid 0 (not given) or 1 .. 2^40 and a whole number some
 *     argument gives; the event "default" or an argument;
 *   - the --cpus list is accepted exactly when a reference reading (written here: decimal
 *     numbers and LOW-HIGH ranges, comma-separated, digits only, below 4096, LOW <= HIGH, each
 *     CPU online) accepts it, and then names the same CPUs; refused, with "membw conformance:
 *     --cpus '" on stderr;
 *   - an accepted event code is the name, or for "raw:" what follows it: "0x" and hex digits;
 *   - --help (-1): the usage on stdout, nothing on stderr;
 *   - refused (EXIT_BAD_INPUT): "membw conformance: " and the hint to --help on stderr, nothing
 *     on stdout;
 *   - no other return; no file opened, no process started (cli_harness.h);
 *   - (ASan, UBSan) no memory error, no leak, no undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_harness.h"
#include "commands.h"
#include "conformance_args.h"

#define USAGE "Usage: membw conformance"
#define HINT "(membw conformance --help shows the options)"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool online[CONFORMANCE_MAX_CPUS], chosen[CONFORMANCE_MAX_CPUS],
	expect[CONFORMANCE_MAX_CPUS];
static int online_byte = -1; /* the input byte online[] was set from */

/* A number of the list at *@p: digits only, below 4096. */
static bool ref_number(const char **p, unsigned int *out)
{
	unsigned int v = 0;

	if (**p < '0' || **p > '9')
		return false;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		v = v * 10 + (unsigned int)(**p - '0');
		if (v >= CONFORMANCE_MAX_CPUS)
			return false;
	}
	*out = v;
	return true;
}

/* The reference reading of a --cpus list into expect[]. */
static bool ref_cpus(const char *s)
{
	const char *p = s;
	unsigned int a, b, i;

	memset(expect, 0, sizeof(expect));
	for (;;) {
		if (!ref_number(&p, &a))
			return false;
		b = a;
		if (*p == '-') {
			p++;
			if (!ref_number(&p, &b) || b < a)
				return false;
		}
		for (i = a; i <= b; i++) {
			if (!online[i])
				return false;
			expect[i] = true;
		}
		if (*p == '\0')
			return true;
		if (*p++ != ',')
			return false;
	}
}

static void check_cpus(const char *list)
{
	struct cli_call c = {0};
	bool want = ref_cpus(list);
	int ret;

	memset(chosen, 0, sizeof(chosen));
	cli_capture(&c);
	ret = conformance_parse_cpus(list, chosen, online);
	cli_release(&c);
	if (ret == 0 && !want)
		cli_broken("a --cpus list accepted that the reference refuses", list);
	if (ret == 0 && (c.outn || c.errn))
		cli_broken("a --cpus list accepted with a message", c.errn ? c.err : c.out);
	if (ret == 0 && memcmp(chosen, expect, sizeof(chosen)))
		cli_broken("a --cpus list that names other CPUs than the reference", list);
	if (ret != 0 && want)
		cli_broken("a --cpus list refused that the reference accepts", list);
	if (ret != 0)
		cli_check_refused(&c, ret, USAGE, "membw conformance: --cpus '", HINT);
	cli_free(&c);
}

static void check_event(const char *name)
{
	struct cli_call c = {0};
	const char *code = NULL;
	int ret;

	cli_capture(&c);
	ret = conformance_event_code(name, &code);
	cli_release(&c);
	if (ret == 0) {
		if (c.outn || c.errn)
			cli_broken("an event accepted with a message", c.errn ? c.err : c.out);
		if (strncmp(name, "raw:", 4) ? code != name
					     : code != name + 4 || strncmp(code, "0x", 2) ||
						       !code[2] ||
						       strspn(code + 2, "0123456789abcdefABCDEF") !=
							       strlen(code + 2))
			cli_broken("an event code that is not the name, or not raw:0x and hex", name);
	} else {
		if (strncmp(name, "raw:", 4))
			cli_broken("an event refused that is not raw:", name);
		cli_check_refused(&c, ret, USAGE, "membw conformance: --event '", HINT);
	}
	cli_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_call c;
	struct conformance_options o;
	unsigned int i, limit;
	int ret, k;

	if (!size)
		return 0;
	if (data[0] != online_byte) { /* most inputs keep it: skip 4096 stores */
		online_byte = data[0];
		limit = (data[0] & 0x7fu) * 33;
		for (i = 0; i < CONFORMANCE_MAX_CPUS; i++)
			online[i] = i < limit && (!(data[0] & 0x80) || i % 3 != 1);
	}
	if (!cli_split(&c, "conformance", data + 1, size - 1))
		return 0;
	cli_capture(&c);
	ret = conformance_parse_args(c.argc, c.argv, &o);
	cli_release(&c);
	if (ret == 0) {
		if (c.outn || c.errn)
			cli_broken("accepted but printed", c.errn ? c.err : c.out);
		if (o.skid > (1ull << 40))
			cli_broken("a skid above 2^40", NULL);
		if (o.skid && !cli_some_arg_is_number(&c, "--skid-events", o.skid))
			cli_broken("a skid that no argument gives", NULL);
		for (k = 1; k < c.argc && strcmp(o.event, "default"); k++)
			if (o.event >= c.argv[k] && o.event <= c.argv[k] + strlen(c.argv[k]))
				break;
		if (strcmp(o.event, "default") && k == c.argc)
			cli_broken("an event that is no argument", o.event);
		if (o.cpus)
			check_cpus(o.cpus);
		check_event(o.event);
	} else {
		cli_check_refused(&c, ret, USAGE, "membw conformance: ", HINT);
	}
	cli_free(&c);
	return 0;
}
