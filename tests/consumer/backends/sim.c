/* SPDX-License-Identifier: MIT */
/*
 * The installed sim backend and model (libmembw-sim.a, <membw/sim.h>, <membw/sim_pmu.h>) in a
 * tiny regulation: two simulated cores each streaming reads at 4 GB/s for 20 ms, core 0 held to
 * 100 MB/s, core 1 unregulated. Core 0 must be throttled and stay near its budget (2 MB in 20 ms;
 * at most one period's allowance over), core 1 must move more. Prints what it saw.
 */
#include <membw/sim.h>
#include <membw/sim_pmu.h>
#include <stdio.h>

#define RUN_NS 20000000ull                /* 20 ms simulated */
#define BUDGET_BPS 100000000ull           /* 100 MB/s */

int main(void)
{
	static const struct sim_phase hog = { SIM_PHASE_READ, { 4000000000ull, 0 }, 1000000000ull };
	static const uint64_t budget[1][MEMBW_NCHANNELS] = { { BUDGET_BPS, MEMBW_UNLIMITED } };
	static const uint32_t domain_of[2] = { 0, MEMBW_NO_DOMAIN };
	struct sim_workload wl[2] = {
		{ .name = "regulated", .phases = &hog, .nphases = 1, .repeat = true },
		{ .name = "free", .phases = &hog, .nphases = 1, .repeat = true },
	};
	struct sim_pmu pmu;
	struct sim_config cfg;
	struct sim_result res;
	const char *why = NULL;
	char buf[256];
	uint64_t bytes0, bytes1, limit;
	int err, ok;

	/* The backend's own defaults are the ones the model uses: 32-bit counters, 64-byte lines. */
	sim_pmu_defaults(&pmu);
	sim_config_init(&cfg);
	cfg.ncpus = 2;
	cfg.duration_ns = RUN_NS;
	cfg.workloads = wl;
	cfg.reg = (struct sim_regulation){ .ndomains = 1, .budget = budget, .domain_of = domain_of };
	err = sim_run(&cfg, &res, buf, sizeof(buf), &why);
	if (err) {
		fprintf(stderr, "consumer-sim: sim_run: %s\n", why ? why : membw_strerror(err));
		return 1;
	}
	bytes0 = res.cpu[0].lines[MEMBW_CH_READ] * cfg.line_size;
	bytes1 = res.cpu[1].lines[MEMBW_CH_READ] * cfg.line_size;
	/* The budget over the run, plus one period's allowance of overshoot. */
	limit = BUDGET_BPS / 1000u * (RUN_NS / 1000000u) + BUDGET_BPS / 1000u;
	ok = membw_sim_backend.name != NULL &&
	     pmu.line_size == cfg.line_size && res.cpu[0].throttled_ns > 0 &&
	     res.cpu[0].stats.totals.throttle_count > 0 && bytes0 > 0 && bytes0 <= limit &&
	     bytes1 > 4 * bytes0;
	printf("consumer-sim: %s: regulated core %llu bytes in %llu ms (limit %llu bytes), throttled "
	       "%llu ns in %llu periods; free core %llu bytes\n", ok ? "ok" : "FAIL",
	       (unsigned long long)bytes0, RUN_NS / 1000000ull, (unsigned long long)limit,
	       (unsigned long long)res.cpu[0].throttled_ns,
	       (unsigned long long)res.cpu[0].stats.totals.throttle_count,
	       (unsigned long long)bytes1);
	sim_result_free(&res);
	return ok ? 0 : 1;
}
