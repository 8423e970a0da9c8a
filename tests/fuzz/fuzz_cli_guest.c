/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: `membw guest`'s command-line parser (tools/membw/guest_args.c), which opens
 * no device and asks the host nothing. The input is split at NUL bytes into up to 16 arguments
 * after "guest". Invariants (a broken one aborts with "invariant broken: ..."):
 *   - accepted (0): nothing printed; status and stats alone on the line; set with a read budget
 *     that is neither 0 nor MEMBW_AGENT_KEEP and that membw_parse_rate() reads from some argument,
 *     and a write-back budget of MEMBW_AGENT_KEEP unless --write gave one (not 0, read from some
 *     argument);
 *   - --help (-1): the usage on stdout, nothing on stderr;
 *   - refused (EXIT_BAD_INPUT): a message starting "membw guest" on stderr, nothing on stdout;
 *   - no other return; no file opened, no process started (cli_harness.h);
 *   - (ASan, UBSan) no memory error, no leak, no undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/agent.h>

#include "cli_harness.h"
#include "commands.h"
#include "guest_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_arg(const struct cli_call *c, const char *arg)
{
	int i;

	for (i = 2; i < c->argc; i++)
		if (!strcmp(c->argv[i], arg))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_call c;
	struct guest_options o;
	int ret;

	if (!cli_split(&c, "guest", data, size))
		return 0;
	memset(&o, 0xa5, sizeof(o));
	cli_capture(&c);
	ret = guest_parse_args(c.argc, c.argv, &o);
	cli_release(&c);
	if (ret == 0) {
		if (c.outn || c.errn)
			cli_broken("accepted but printed", c.errn ? c.err : c.out);
		if (o.command != GUEST_STATUS && o.command != GUEST_SET && o.command != GUEST_STATS)
			cli_broken("no command", NULL);
		if (strcmp(c.argv[1], o.command == GUEST_STATUS ? "status"
				      : o.command == GUEST_SET  ? "set"
								: "stats"))
			cli_broken("a command that is not the first argument", c.argv[1]);
		if (o.command != GUEST_SET && c.argc != 2)
			cli_broken("status or stats with arguments", NULL);
		if (o.command == GUEST_SET &&
		    (o.read_bps == 0 || o.read_bps == MEMBW_AGENT_KEEP ||
		     !cli_some_arg_is_rate(&c, NULL, o.read_bps)))
			cli_broken("a read budget of 0, the keep value, or that no argument gives",
				   NULL);
		if (o.command == GUEST_SET && o.write_bps != MEMBW_AGENT_KEEP &&
		    (o.write_bps == 0 || !has_arg(&c, "--write") ||
		     !cli_some_arg_is_rate(&c, NULL, o.write_bps)))
			cli_broken("a write-back budget of 0, without --write, or that no argument "
				   "gives", NULL);
	} else {
		/* Every input gives a command (argc >= 2): no usage on stderr. */
		cli_check_refused(&c, ret, "Usage: membw guest", "membw guest", NULL);
	}
	cli_free(&c);
	return 0;
}
