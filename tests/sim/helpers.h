/* SPDX-License-Identifier: MIT */
/*
 * Building simulator runs for tests, and recording what the policy reported. The standard machine
 * of these tests keeps the arithmetic easy: 64-byte lines, a 1 ms period, and a DRAM (64 GB/s) that
 * no test saturates unless it says so. A hog streaming 6.4 GB/s moves one line every 10 ns, so a
 * 640 MB/s budget (10000 lines per period) is used up 100 us after the period starts.
 */
#ifndef MEMBW_TEST_SIM_HELPERS_H
#define MEMBW_TEST_SIM_HELPERS_H

#include "sim.h"
#include "trace_log.h"

#define MAX_TEST_CPUS 8
#define GBPS(x) ((uint64_t)((x) * 1e9))
#define MBPS(x) ((uint64_t)((x) * 1e6))
#define US 1000ull
#define MS 1000000ull

/* One line every 10 ns. */
#define HOG_BPS 6400000000ull
/* 640 MB/s x 1 ms / 64 B = 10000 lines per period. */
#define BUDGET_10K_BPS 640000000ull
#define LINES_10K 10000u

struct run {
	struct sim_config cfg;
	struct sim_workload wl[MAX_TEST_CPUS];
	struct sim_phase ph[MAX_TEST_CPUS][4];
	uint64_t budget[MAX_TEST_CPUS][MEMBW_NCHANNELS];
	uint32_t domain_of[MAX_TEST_CPUS];
	struct sim_fault faults[4];
	struct sim_result res;
	struct trace_log log; /* every trace record the policy reported */
};

/* @ncpus idle cores on the standard machine, unregulated, 10 periods, no latencies. */
void run_init(struct run *r, uint32_t ncpus);
/* Core @cpu runs one phase forever. */
void run_phase(struct run *r, uint32_t cpu, enum sim_phase_kind kind, uint64_t read_bps,
	       uint64_t write_bps, uint64_t length_ns);
/* Append a phase to core @cpu's workload. */
void run_add_phase(struct run *r, uint32_t cpu, enum sim_phase_kind kind, uint64_t read_bps,
		   uint64_t write_bps, uint64_t length_ns);
/* Core @cpu alone in a domain of its own with a read budget. */
void run_budget(struct run *r, uint32_t cpu, uint64_t read_bps);
/* Run; returns sim_run's result. */
int run_go(struct run *r);
void run_free(struct run *r);

/* Logged policy events of @type on @cpu (any cpu if < 0). */
size_t run_count(const struct run *r, uint32_t type, int cpu);
/* Number of PERIOD_END events (channel @ch, @cpu) whose `used` differs from @used. */
size_t run_periods_not_using(const struct run *r, unsigned int cpu, unsigned int ch, uint64_t used);

#endif
