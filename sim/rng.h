/* SPDX-License-Identifier: MIT */
/* The simulator's one source of randomness: splitmix64 (Steele, Lea, Flood 2014), seeded once. */
#ifndef MEMBW_SIM_RNG_H
#define MEMBW_SIM_RNG_H

#include <stdint.h>

static inline uint64_t sim_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in 0 .. @max (inclusive); the modulo bias is below 2^-40 for max < 2^24 ns. */
static inline uint64_t sim_rng_upto(uint64_t *state, uint64_t max)
{
	if (!max)
		return 0;
	return max == UINT64_MAX ? sim_rng_next(state) : sim_rng_next(state) % (max + 1);
}

#endif /* MEMBW_SIM_RNG_H */
