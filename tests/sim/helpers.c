/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "helpers.h"

void run_init(struct run *r, uint32_t ncpus)
{
	uint32_t i;

	memset(r, 0, sizeof(*r));
	sim_config_init(&r->cfg);
	r->cfg.ncpus = ncpus;
	r->cfg.duration_ns = 10 * MS;
	r->cfg.peak_bps = GBPS(64);
	r->cfg.guaranteed_bps = GBPS(1);
	r->cfg.ipi_latency_ns = 1 * US;
	r->cfg.workloads = r->wl;
	r->cfg.on_trace = trace_log_hook;
	r->cfg.trace_ctx = &r->log;
	for (i = 0; i < MAX_TEST_CPUS; i++) {
		r->wl[i] =
			(struct sim_workload){ .name = "test", .phases = r->ph[i], .repeat = true };
		r->domain_of[i] = MEMBW_NO_DOMAIN;
		r->budget[i][0] = r->budget[i][1] = MEMBW_UNLIMITED;
	}
}

void run_add_phase(struct run *r, uint32_t cpu, enum sim_phase_kind kind, uint64_t read_bps,
		   uint64_t write_bps, uint64_t length_ns)
{
	r->ph[cpu][r->wl[cpu].nphases++] = (struct sim_phase){ .kind = kind,
							       .demand = { read_bps, write_bps },
							       .length_ns = length_ns };
}

void run_phase(struct run *r, uint32_t cpu, enum sim_phase_kind kind, uint64_t read_bps,
	       uint64_t write_bps, uint64_t length_ns)
{
	r->wl[cpu].nphases = 0;
	run_add_phase(r, cpu, kind, read_bps, write_bps, length_ns);
}

void run_budget(struct run *r, uint32_t cpu, uint64_t read_bps)
{
	r->budget[cpu][MEMBW_CH_READ] = read_bps;
	r->domain_of[cpu] = cpu;
	r->cfg.reg.ndomains = r->cfg.ncpus;
	r->cfg.reg.budget = (const uint64_t(*)[MEMBW_NCHANNELS])r->budget;
	r->cfg.reg.domain_of = r->domain_of;
}

int run_go(struct run *r)
{
	char buf[256];
	const char *why;

	r->cfg.faults = r->faults;
	return sim_run(&r->cfg, &r->res, buf, sizeof(buf), &why);
}

void run_free(struct run *r)
{
	sim_result_free(&r->res);
	trace_log_free(&r->log);
}

size_t run_count(const struct run *r, uint32_t type, int cpu)
{
	return trace_log_count(&r->log, type, cpu);
}

size_t run_periods_not_using(const struct run *r, unsigned int cpu, unsigned int ch, uint64_t used)
{
	size_t i, n = 0;

	for (i = 0; i < r->log.n; i++)
		if (r->log.rec[i].type == MEMBW_TRACE_PERIOD_END && r->log.rec[i].cpu == cpu &&
		    r->log.rec[i].channel == ch && r->log.rec[i].used != used)
			n++;
	return n;
}
