/* SPDX-License-Identifier: MIT */
/*
 * One scenario, run once per policy variant and once per workload alone, so that a report can put
 * them side by side. Variants, cumulative: no regulation; per-core (and per-domain) budgets;
 * budgets + reclaim; budgets + reclaim + spare sharing.
 */
#ifndef MEMBW_TOOL_EXPERIMENT_H
#define MEMBW_TOOL_EXPERIMENT_H

#include "scenario.h"

enum variant { VAR_NONE, VAR_BUDGETS, VAR_RECLAIM, VAR_SPARE, NVARIANTS };

extern const char *const variant_name[NVARIANTS];

struct experiment {
	const struct scenario *sc;
	struct sim_workload *workloads;      /* per core */
	struct sim_result run[NVARIANTS];
	uint64_t *solo_work;                 /* per core: work done alone, solo ns */
	uint64_t *solo_finish;               /* per core: a finite job's finish time alone, 0: none */
	struct sim_result rt_solo;           /* the rt core alone (with series when asked) */
	bool series;
	/* progress reporting */
	void (*on_progress)(void *ctx, double fraction);
	void *progress_ctx;
	unsigned int runs_done, runs_total;
};

/*
 * Run everything. @series: record per-period samples (CSV, plot). Returns 0, or a negative
 * MEMBW_E* code with a message in @err.
 */
int experiment_run(struct experiment *x, const struct scenario *sc, bool series, char *err,
		   size_t errlen);
void experiment_free(struct experiment *x);

/* Would every run of @sc be accepted (sim_validate())? 0, or -MEMBW_E* with a message in @err. */
int experiment_validate(const struct scenario *sc, char *err, size_t errlen);

/* Slowdown of @cpu in @variant against its solo run: solo work / work; for a job with repeat off
 * that finished alone, its time to finish / its time to finish alone (NAN if it did not finish in
 * @variant). 0 for an idle core, INFINITY if it made no progress. */
double experiment_slowdown(const struct experiment *x, unsigned int variant, uint32_t cpu);

/* The domain budget that applies to @cpu (read and write), or false if it is unregulated. */
bool experiment_budget(const struct scenario *sc, uint32_t cpu, uint64_t budget[MEMBW_NCHANNELS]);

#endif /* MEMBW_TOOL_EXPERIMENT_H */
