/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the scenario loader (tools/membw/sim/scenario.c, inih) followed by the check
 * `membw sim` makes before running (experiment_validate()), on the input as the file's text.
 * Any input is either refused with a message naming the file, leaving the scenario empty, or
 * gives a scenario whose every field is in the range scenarios/README.md documents:
 *   cores 1 .. MEMBW_MAX_CPUS, rt_core a core, period 100us .. 1s, duration one period .. 1 day,
 *   interrupt_latency, tick_jitter, ipi_latency below the period, guaranteed <= peak, line_size a
 *   power of two 8 .. 4096, counter_bits 8 .. 64, channels 1 or 2; every core's phases of length
 *   above 0 asking above 0 on the channels its kind names; a core's domain an existing one; every
 *   fault on an existing core. Plus: ASan (no leak, no memory error) and UBSan.
 * A broken invariant aborts with "invariant broken: ...". Trace files are not read from disk: the
 * stub sim_trace_load() below serves "good.csv" and refuses every other name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "scenario.h"
#include "trace_csv.h"

#define NAME "fuzz.ini"
#define NS_PER_DAY (86400ull * 1000000000ull)

static void broken(const char *what, unsigned long long a)
{
	fprintf(stderr, "invariant broken: %s (%llu)\n", what, a);
	abort();
}

/* Stands for sim/trace_csv.c (fuzzed on its own): deterministic, touches no file. */
int sim_trace_load(const char *path, struct sim_phase **phases, size_t *nphases, char *err,
		   size_t errlen)
{
	const char *base = strrchr(path, '/');
	struct sim_phase *p;

	base = base ? base + 1 : path;
	if (strcmp(base, "good.csv")) {
		snprintf(err, errlen, "%s: cannot open: no such file (fuzzing)", path);
		return -MEMBW_ENOENT;
	}
	p = calloc(2, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -MEMBW_ENOSPC;
	}
	p[0].kind = SIM_PHASE_READ;
	p[0].demand[MEMBW_CH_READ] = 1000000000;
	p[0].length_ns = 250000;
	p[1].kind = SIM_PHASE_COMPUTE;
	p[1].length_ns = 250000;
	*phases = p;
	*nphases = 2;
	return 0;
}

static void check_phase(const struct sim_phase *ph)
{
	uint64_t r = ph->demand[MEMBW_CH_READ], w = ph->demand[MEMBW_CH_WRITE];

	if (!ph->length_ns)
		broken("a phase of zero length", 0);
	switch (ph->kind) {
	case SIM_PHASE_COMPUTE:
		break;
	case SIM_PHASE_READ:
		if (!r)
			broken("a read phase asking 0 B/s", 0);
		break;
	case SIM_PHASE_WRITE:
		if (!w)
			broken("a write phase asking 0 B/s", 0);
		break;
	case SIM_PHASE_MIXED:
		if (!r || !w)
			broken("a mixed phase asking 0 B/s on a channel", r);
		break;
	default:
		broken("a phase of unknown kind", ph->kind);
	}
}

static void check_scenario(const struct scenario *sc)
{
	const struct sim_config *c = &sc->sim;
	uint32_t i;
	size_t k;

	if (!sc->ncores || sc->ncores > MEMBW_MAX_CPUS || c->ncpus != sc->ncores)
		broken("cores out of 1 .. MEMBW_MAX_CPUS", sc->ncores);
	if (sc->rt_core >= sc->ncores)
		broken("rt_core not a core", sc->rt_core);
	if (c->period_ns < 100000 || c->period_ns > 1000000000)
		broken("period out of 100us .. 1s", c->period_ns);
	if (c->duration_ns < c->period_ns || c->duration_ns > NS_PER_DAY)
		broken("duration out of one period .. 1 day", c->duration_ns);
	if (c->irq_latency_ns >= c->period_ns || c->tick_jitter_ns >= c->period_ns ||
	    c->ipi_latency_ns >= c->period_ns)
		broken("a latency or jitter not below the period", c->period_ns);
	if (c->guaranteed_bps > c->peak_bps || !c->peak_bps)
		broken("guaranteed above peak, or peak 0", c->guaranteed_bps);
	if (c->line_size < 8 || c->line_size > 4096 || (c->line_size & (c->line_size - 1)))
		broken("line_size not a power of two in 8 .. 4096", c->line_size);
	if (c->counter_bits < 8 || c->counter_bits > 64)
		broken("counter_bits out of 8 .. 64", c->counter_bits);
	if (c->channels < 1 || c->channels > 2)
		broken("channels not 1 or 2", c->channels);
	for (i = 0; i < sc->ncores; i++) {
		const struct scenario_core *core = &sc->core[i];

		if (core->domain != MEMBW_NO_DOMAIN && core->domain >= sc->ndomains)
			broken("a core in a domain that does not exist", core->domain);
		if (core->nphases && !core->phases)
			broken("phases counted but absent", core->nphases);
		if (memchr(core->name, '\0', sizeof(core->name)) == NULL)
			broken("a core name not terminated", i);
		for (k = 0; k < core->nphases; k++)
			check_phase(&core->phases[k]);
	}
	for (k = 0; k < sc->nfaults; k++)
		if (sc->fault[k].cpu >= sc->ncores)
			broken("a fault on a core that does not exist", sc->fault[k].cpu);
}

static bool is_empty(const struct scenario *sc)
{
	static const struct scenario zero;

	return !memcmp(&sc->sim, &zero.sim, sizeof(zero.sim)) && !sc->ncores && !sc->core &&
	       !sc->domain && !sc->fault && !sc->owned && !sc->nowned;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	char *text = malloc(size + 1), err[SCENARIO_ERR_MAX] = "";
	int ret;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&sc, 0, sizeof(sc));
	ret = scenario_load_string(NAME, "dir", text, &sc, err, sizeof(err));
	free(text);
	if (ret) {
		if (ret > 0)
			broken("a positive error code", (unsigned long long)ret);
		if (strncmp(err, NAME, strlen(NAME)) || strlen(err) < strlen(NAME) + 8)
			broken("a refusal without a message naming the file", strlen(err));
		if (!is_empty(&sc))
			broken("a refusal left a scenario behind", 0);
		return 0;
	}
	err[0] = '\0';
	ret = experiment_validate(&sc, err, sizeof(err));
	if (ret) {
		if (ret > 0 || strncmp(err, NAME, strlen(NAME)) || strlen(err) < strlen(NAME) + 8)
			broken("a validation refusal without a message naming the file", strlen(err));
	} else {
		check_scenario(&sc);
	}
	scenario_free(&sc);
	return 0;
}
