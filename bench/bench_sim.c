/* SPDX-License-Identifier: MIT */
/*
 * Simulator speed: simulated seconds per wall-clock second, at 4, 64 and 1024 cores with a 1 ms
 * period. The machine is the default scenario scaled up: core 0 a real-time reader (500 MB/s,
 * budget 600 MB/s), every other core a 4 GB/s hog held to 100 MB/s, the DRAM peak growing with
 * the core count (1.5 GB/s per core), 2 us interrupt latency, 1 us tick jitter, budgets + reclaim.
 * Reported, never asserted: the machine is shared and timing is noisy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim.h"

struct size {
	uint32_t cores;
	uint64_t simulated_ns; /* enough for a measurable wall time */
	double target;         /* simulated s per wall s to reach; 0: none */
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(const struct size *z)
{
	static const struct sim_phase rt = { SIM_PHASE_READ, { 500000000ull, 0 }, 1000000000ull };
	static const struct sim_phase hog = { SIM_PHASE_READ, { 4000000000ull, 0 }, 1000000000ull };
	struct sim_workload *wl = calloc(z->cores, sizeof(*wl));
	uint64_t(*budget)[MEMBW_NCHANNELS] = calloc(z->cores, sizeof(*budget));
	uint32_t *dom = calloc(z->cores, sizeof(*dom));
	struct sim_config cfg;
	struct sim_result res;
	const char *why = NULL;
	char buf[256];
	double t0, wall, speed;
	uint32_t i;
	int err;

	if (!wl || !budget || !dom)
		return 1;
	sim_config_init(&cfg);
	cfg.ncpus = z->cores;
	cfg.duration_ns = z->simulated_ns;
	cfg.peak_bps = 1500000000ull * z->cores;
	cfg.guaranteed_bps = 300000000ull * z->cores;
	cfg.irq_latency_ns = 2000;
	cfg.tick_jitter_ns = 1000;
	for (i = 0; i < z->cores; i++) {
		wl[i] = (struct sim_workload){ .name = i ? "hog" : "rt", .phases = i ? &hog : &rt,
					       .nphases = 1, .repeat = true };
		budget[i][MEMBW_CH_READ] = i ? 100000000ull : 600000000ull;
		budget[i][MEMBW_CH_WRITE] = MEMBW_UNLIMITED;
		dom[i] = i;
	}
	cfg.workloads = wl;
	cfg.reg = (struct sim_regulation){ .ndomains = z->cores,
					   .budget = (const uint64_t(*)[MEMBW_NCHANNELS])budget,
					   .domain_of = dom, .reclaim = 1 };
	t0 = now_s();
	err = sim_run(&cfg, &res, buf, sizeof(buf), &why);
	wall = now_s() - t0;
	if (err) {
		fprintf(stderr, "bench-sim: %u cores: %s\n", z->cores, why);
		return 1;
	}
	speed = (double)z->simulated_ns / 1e9 / wall;
	printf("%5u cores  %6.2f s simulated in %7.3f s  %9.1f x real time  %6.2f M events/s",
	       z->cores, (double)z->simulated_ns / 1e9, wall, speed, (double)res.events / wall / 1e6);
	if (z->target > 0)
		printf("  (target %g x: %s)", z->target, speed >= z->target ? "met" : "MISSED");
	printf("\n");
	sim_result_free(&res);
	free(wl);
	free(budget);
	free(dom);
	return 0;
}

int main(void)
{
	static const struct size sizes[] = {
		{ 4, 20000000000ull, 100 },
		{ 64, 4000000000ull, 0 },
		{ 1024, 2000000000ull, 1 },
	};
	size_t i;
	int err = 0;

	printf("bench-sim: simulator speed at a 1 ms period (simulated seconds per wall second)\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		err |= bench(&sizes[i]);
	return err;
}
