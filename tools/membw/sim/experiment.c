/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"

const char *const variant_name[NVARIANTS] = { "none", "budgets", "reclaim", "spare" };

struct regulation_storage {
	uint64_t (*budget)[MEMBW_NCHANNELS];
	uint32_t *domain_of;
};

/* Domains for the policy: one per core with a budget of its own, then the scenario's domains. */
static int build_regulation(const struct scenario *sc, struct regulation_storage *rs,
			    struct sim_regulation *reg)
{
	uint32_t i, nown = 0, d = 0;

	for (i = 0; i < sc->ncores; i++)
		nown += sc->core[i].has_budget;
	rs->budget = calloc(nown + sc->ndomains + 1, sizeof(*rs->budget));
	rs->domain_of = calloc(sc->ncores, sizeof(*rs->domain_of));
	if (!rs->budget || !rs->domain_of)
		return -MEMBW_ENOSPC;
	for (i = 0; i < sc->ncores; i++) {
		const struct scenario_core *c = &sc->core[i];

		rs->domain_of[i] = MEMBW_NO_DOMAIN;
		if (c->has_budget) {
			memcpy(rs->budget[d], c->budget, sizeof(rs->budget[d]));
			rs->domain_of[i] = d++;
		}
	}
	for (i = 0; i < sc->ndomains; i++)
		memcpy(rs->budget[nown + i], sc->domain[i].budget, sizeof(rs->budget[0]));
	for (i = 0; i < sc->ncores; i++)
		if (sc->core[i].domain != MEMBW_NO_DOMAIN)
			rs->domain_of[i] = nown + sc->core[i].domain;
	/* A real-time core is counted, never throttled: in no domain, whatever its section says. */
	for (i = 0; i < sc->ncores; i++)
		if (sc->core[i].realtime)
			rs->domain_of[i] = MEMBW_NO_DOMAIN;
	*reg = (struct sim_regulation){ .ndomains = nown + sc->ndomains,
					.budget = (const uint64_t(*)[MEMBW_NCHANNELS])rs->budget,
					.domain_of = rs->domain_of };
	return 0;
}

bool experiment_budget(const struct scenario *sc, uint32_t cpu, uint64_t budget[MEMBW_NCHANNELS])
{
	const struct scenario_core *c = &sc->core[cpu];

	budget[0] = budget[1] = MEMBW_UNLIMITED;
	if (c->has_budget)
		memcpy(budget, c->budget, sizeof(c->budget));
	else if (c->domain != MEMBW_NO_DOMAIN)
		memcpy(budget, sc->domain[c->domain].budget, sizeof(c->budget));
	return !c->realtime && (budget[0] != MEMBW_UNLIMITED || budget[1] != MEMBW_UNLIMITED);
}

static void progress(void *ctx, uint64_t now_ns)
{
	struct experiment *x = ctx;
	double f;

	if (!x->on_progress || !x->runs_total)
		return;
	f = (x->runs_done + (double)now_ns / (double)x->sc->sim.duration_ns) / x->runs_total;
	x->on_progress(x->progress_ctx, f);
}

static int run_one(struct experiment *x, struct sim_config *cfg, struct sim_result *res,
		   const char *what, char *err, size_t errlen)
{
	char buf[256];
	const char *why = NULL;
	int ret;

	cfg->on_progress = progress;
	cfg->progress_ctx = x;
	ret = sim_run(cfg, res, buf, sizeof(buf), &why);
	if (ret)
		snprintf(err, errlen, "%s: %s: %s", x->sc->name, what, why ? why : "failed");
	x->runs_done++;
	return ret;
}

static int run_solos(struct experiment *x, char *err, size_t errlen)
{
	const struct scenario *sc = x->sc;
	uint32_t i, j;
	int ret;

	for (i = 0; i < sc->ncores; i++) {
		struct sim_config cfg = sc->sim;
		struct sim_result res;
		bool rt = i == sc->rt_core;
		char what[64];

		if (!sc->core[i].nphases)
			continue;
		/* Cores described by one section run the same workload: reuse its solo run. */
		for (j = 0; j < i && !rt; j++) {
			if (sc->core[j].section && sc->core[j].section == sc->core[i].section &&
			    j != sc->rt_core)
				break;
		}
		if (!rt && j < i) {
			x->solo_work[i] = x->solo_work[j];
			x->solo_finish[i] = x->solo_finish[j];
			x->runs_done++;
			continue;
		}
		cfg.ncpus = 1;
		cfg.workloads = &x->workloads[i];
		cfg.faults = NULL;
		cfg.nfaults = 0;
		cfg.reg = (struct sim_regulation){ 0 };
		cfg.record_series = rt && x->series;
		snprintf(what, sizeof(what), "core %u alone", i);
		ret = run_one(x, &cfg, &res, what, err, errlen);
		if (ret)
			return ret;
		x->solo_work[i] = res.cpu[0].work_ns;
		x->solo_finish[i] = res.cpu[0].finish_ns;
		if (rt)
			x->rt_solo = res;
		else
			sim_result_free(&res);
	}
	return 0;
}

static void workloads_of(const struct scenario *sc, struct sim_workload *wl)
{
	uint32_t i;

	for (i = 0; i < sc->ncores; i++)
		wl[i] = (struct sim_workload){ .name = sc->core[i].name,
					       .phases = sc->core[i].phases,
					       .nphases = sc->core[i].nphases,
					       .repeat = sc->core[i].repeat };
}

int experiment_run(struct experiment *x, const struct scenario *sc, bool series, char *err,
		   size_t errlen)
{
	struct regulation_storage rs = { 0 };
	struct sim_regulation reg;
	unsigned int v;
	int ret;

	x->sc = sc;
	x->series = series;
	x->runs_done = 0;
	x->runs_total = NVARIANTS + sc->ncores;
	x->workloads = calloc(sc->ncores, sizeof(*x->workloads));
	x->solo_work = calloc(sc->ncores, sizeof(*x->solo_work));
	x->solo_finish = calloc(sc->ncores, sizeof(*x->solo_finish));
	if (!x->workloads || !x->solo_work || !x->solo_finish) {
		snprintf(err, errlen, "out of memory");
		return -MEMBW_ENOSPC;
	}
	workloads_of(sc, x->workloads);
	ret = build_regulation(sc, &rs, &reg);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = run_solos(x, err, errlen);
	for (v = 0; v < NVARIANTS && !ret; v++) {
		struct sim_config cfg = sc->sim;

		cfg.workloads = x->workloads;
		cfg.faults = sc->fault;
		cfg.nfaults = sc->nfaults;
		cfg.record_series = series;
		if (v != VAR_NONE) {
			cfg.reg = reg;
			cfg.reg.reclaim = v >= VAR_RECLAIM;
			cfg.reg.sharing = v >= VAR_SPARE ? MEMBW_SHARE_SPARE : MEMBW_SHARE_NONE;
		}
		ret = run_one(x, &cfg, &x->run[v], variant_name[v], err, errlen);
	}
out:
	free(rs.budget);
	free(rs.domain_of);
	return ret;
}

/* The scenario line and section a validation error is about; 0 when it is a default. */
static int culprit_line(const struct scenario *sc, const struct sim_culprit *culprit,
			char *section, size_t len)
{
	uint32_t i, own = 0;

	section[0] = '\0';
	switch (culprit->setting) {
	case SIM_SETTING_NONE:
	case SIM_SETTING_COUNT:
		return 0;
	case SIM_SETTING_WORKLOAD:
		if (culprit->index >= sc->ncores)
			return 0;
		snprintf(section, len, "[%s]: ", sc->core[culprit->index].title);
		return sc->core[culprit->index].line;
	case SIM_SETTING_FAULT:
		return culprit->index < sc->nfaults ? sc->fault_line[culprit->index] : 0;
	case SIM_SETTING_DOMAIN:
		/* build_regulation()'s order: cores with a budget of their own, then domains. */
		for (i = 0; i < sc->ncores; i++) {
			if (!sc->core[i].has_budget)
				continue;
			if (own++ == culprit->index) {
				snprintf(section, len, "[%s]: ", sc->core[i].title);
				return sc->core[i].budget_line[culprit->channel];
			}
		}
		i = (uint32_t)(culprit->index - own);
		if (i >= sc->ndomains)
			return 0;
		snprintf(section, len, "[domain %s]: ", sc->domain[i].name);
		return sc->domain[i].budget_line[culprit->channel];
	default:
		return sc->setting_line[culprit->setting];
	}
}

int experiment_validate(const struct scenario *sc, char *err, size_t errlen)
{
	struct regulation_storage rs = { 0 };
	struct sim_config cfg = sc->sim;
	struct sim_workload *wl = calloc(sc->ncores, sizeof(*wl));
	struct sim_culprit culprit;
	const char *why = NULL;
	char buf[256], section[160];
	int ret = -MEMBW_ENOSPC, line;

	snprintf(err, errlen, "out of memory");
	if (wl && !build_regulation(sc, &rs, &cfg.reg)) {
		workloads_of(sc, wl);
		cfg.workloads = wl;
		cfg.faults = sc->fault;
		cfg.nfaults = sc->nfaults;
		ret = sim_validate_culprit(&cfg, buf, sizeof(buf), &why, &culprit);
	}
	if (ret == -MEMBW_ENOSPC || !ret)
		goto out;
	line = culprit_line(sc, &culprit, section, sizeof(section));
	/* The simulator numbers its domains; the file names them by section. */
	if (culprit.detail)
		why = culprit.detail;
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s%s", sc->name, line, section, why);
	else if (line == SCENARIO_SET_BY_OPTION)
		snprintf(err, errlen, "%s: %s (as the command line set it)", sc->name, why);
	else if (culprit.setting != SIM_SETTING_NONE)
		snprintf(err, errlen, "%s: %s%s (a default: set it in the file)", sc->name,
			 section, why);
	else
		snprintf(err, errlen, "%s: %s", sc->name, why);
out:
	free(wl);
	free(rs.budget);
	free(rs.domain_of);
	return ret;
}

void experiment_free(struct experiment *x)
{
	unsigned int v;

	for (v = 0; v < NVARIANTS; v++)
		sim_result_free(&x->run[v]);
	sim_result_free(&x->rt_solo);
	free(x->workloads);
	free(x->solo_work);
	free(x->solo_finish);
	memset(x, 0, sizeof(*x));
}

double experiment_slowdown(const struct experiment *x, unsigned int variant, uint32_t cpu)
{
	uint64_t work = x->run[variant].cpu[cpu].work_ns;
	uint64_t finish = x->run[variant].cpu[cpu].finish_ns;

	if (!x->solo_work[cpu])
		return 0;
	/* A finite job does the same work in every run: what differs is when it is done. */
	if (x->solo_finish[cpu])
		return finish ? (double)finish / (double)x->solo_finish[cpu] : NAN;
	if (!work)
		return INFINITY;
	return (double)x->solo_work[cpu] / (double)work;
}
