/* SPDX-License-Identifier: MIT */
/* The shared DRAM and its contention rule (dram.c explains it). */
#ifndef MEMBW_SIM_DRAM_H
#define MEMBW_SIM_DRAM_H

#include <stdint.h>

/* Progress, in SIM_SCALE units, that a memory-bound core makes in @dt_ns while the cores together
 * ask for @demand_bps and the DRAM peaks at @peak_bps. Rounded down. */
uint64_t sim_dram_progress(uint64_t dt_ns, uint64_t demand_bps, uint64_t peak_bps);

/* The fewest nanoseconds after which sim_dram_progress() reaches @units; UINT64_MAX if never. */
uint64_t sim_dram_time_for(uint64_t units, uint64_t demand_bps, uint64_t peak_bps);

#endif /* MEMBW_SIM_DRAM_H */
