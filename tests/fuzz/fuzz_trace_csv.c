/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the trace CSV reader (sim/trace_csv.c, format in trace_csv.h), fed the input
 * as a file. Invariants (a broken one aborts with "invariant broken: ..."):
 *   - accepted: at least one row, at most one per input line after the header; every row has a
 *     length above 0 and a kind that matches its demands (read and write: mixed, one of them:
 *     read or write, none: compute);
 *   - refused: a negative MEMBW_E* code, a message "NAME:..." naming the file, and the outputs
 *     unchanged (nothing allocated; ASan's leak check proves it);
 *   - (ASan, UBSan) no memory error, no undefined behaviour, no leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_csv.h"

#define NAME "fuzz.csv"

static void broken(const char *what, unsigned long a)
{
	fprintf(stderr, "invariant broken: %s (%lu)\n", what, a);
	abort();
}

static enum sim_phase_kind kind_of(const struct sim_phase *p)
{
	uint64_t r = p->demand[MEMBW_CH_READ], w = p->demand[MEMBW_CH_WRITE];

	return r && w ? SIM_PHASE_MIXED : r ? SIM_PHASE_READ : w ? SIM_PHASE_WRITE
								 : SIM_PHASE_COMPUTE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_phase *sentinel = (struct sim_phase *)&kind_of, *phases = sentinel;
	size_t n = 12345, i, lines = 1;
	char err[512] = "";
	FILE *in;
	int ret;

	if (!size)
		return 0;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	ret = sim_trace_read(in, NAME, &phases, &n, err, sizeof(err));
	fclose(in);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (ret) {
		if (ret > 0)
			broken("a positive error code", (unsigned long)ret);
		if (strncmp(err, NAME ":", strlen(NAME ":")) || strlen(err) < strlen(NAME) + 8)
			broken("a refusal without a message naming the file", strlen(err));
		if (phases != sentinel || n != 12345)
			broken("a refusal changed the outputs", n);
		return 0;
	}
	if (!n || n >= lines)
		broken("accepted with a number of rows not in [1, lines - 1]", n);
	for (i = 0; i < n; i++) {
		if (!phases[i].length_ns)
			broken("a row of zero length", i);
		if (phases[i].kind != kind_of(&phases[i]))
			broken("a row whose kind does not match its demands", i);
	}
	free(phases);
	return 0;
}
