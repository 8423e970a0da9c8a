/* SPDX-License-Identifier: MIT */
/* `membw run`: the command line (run_args.c), then run_tree() or run_cpu(). */
#define _GNU_SOURCE
#include "commands.h"
#include "run.h"
#include "run_args.h"

int run_main(int argc, char **argv)
{
	struct run_options o;
	int err = run_parse_args(argc, argv, &o);

	if (err)
		return err < 0 ? 0 : err;
	return o.cpu >= 0 ? run_cpu(&o) : run_tree(&o);
}
