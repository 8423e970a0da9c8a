/* SPDX-License-Identifier: MIT */
/*
 * Command-line numbers of the benchmark tools (bench_policy.c, bench_x86.c): a whole decimal
 * number within a range, or a message naming the argument and the range, and exit status 2.
 * atoi() took "on" as 0 and "64x" as 64, so a typo measured another configuration than the one
 * asked for and said nothing.
 */
#ifndef MEMBW_BENCH_ARGS_H
#define MEMBW_BENCH_ARGS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static inline unsigned int bench_arg(const char *tool, const char *name, const char *text,
				     unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || *text == '-' || *text == '+' || v < min || v > max) {
		fprintf(stderr, "%s: %s must be a whole number from %lu to %lu, not '%s'\n", tool,
			name, min, max, text);
		exit(2);
	}
	return (unsigned int)v;
}

#endif /* MEMBW_BENCH_ARGS_H */
