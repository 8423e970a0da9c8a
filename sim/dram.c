/* SPDX-License-Identifier: MIT */
/*
 * The contention rule: proportional share of the peak.
 *
 * Let D be the sum of the demands (bytes/s, reads and write-backs together) of every core issuing
 * memory requests at this instant, and P the DRAM's peak bandwidth.
 *   - D <= P: every core is served its whole demand.
 *   - D >  P: every core is served the same fraction s = P / D of its demand, so the DRAM delivers
 *     exactly P. Why: a memory controller serving requests in arrival order gives each core a share
 *     of its service equal to that core's share of the requests, and a streaming core issues
 *     requests in proportion to its demand.
 * A memory-bound phase served s of its demand progresses at s (it is waiting for its lines), so
 * contention slows every core that asks for memory, and the cores that ask most lose the most
 * bytes; a core in a compute phase asks nothing and is not slowed.
 *
 * Because the fraction s is the same for every core, the simulator keeps one global progress clock
 * W (solo time, SIM_SCALE units per ns, advancing at s per ns) instead of a rate per core: a core's
 * traffic since time t0 is its demand times W(now) - W(t0). This is what makes an event cost
 * O(log N) in the number of cores rather than O(N).
 *
 * The guaranteed bandwidth r_min does not enter the rule: the rule never delivers less than P in
 * total. r_min is what an operator may count on on real DRAM (bank conflicts, refresh, read/write
 * turnarounds); the simulator uses it to warn when regulated budgets promise more than it.
 *
 * Rounding: progress is rounded down at each step, time is rounded up, so a core never receives a
 * line before the time the exact fluid model gives it, and the error is below one SIM_SCALE unit
 * (1/1024 ns of solo time) per event.
 */
#include "dram.h"

#include "sim.h"

uint64_t sim_dram_progress(uint64_t dt_ns, uint64_t demand_bps, uint64_t peak_bps)
{
	unsigned __int128 p;

	if (demand_bps <= peak_bps)
		return dt_ns * SIM_SCALE;
	p = (unsigned __int128)peak_bps * dt_ns * SIM_SCALE / demand_bps;
	return p > UINT64_MAX ? UINT64_MAX : (uint64_t)p;
}

uint64_t sim_dram_time_for(uint64_t units, uint64_t demand_bps, uint64_t peak_bps)
{
	unsigned __int128 num, den, t;

	if (demand_bps <= peak_bps)
		return units / SIM_SCALE + (units % SIM_SCALE != 0);
	if (!peak_bps)
		return UINT64_MAX;
	/* Smallest dt with floor(P * dt * S / D) >= units, i.e. P * dt * S >= units * D. */
	num = (unsigned __int128)units * demand_bps;
	den = (unsigned __int128)peak_bps * SIM_SCALE;
	t = num / den + (num % den != 0);
	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}
