/* SPDX-License-Identifier: MIT */
/*
 * The emulated raw counter of the two perf backends (backends/perf/backend.c in userspace,
 * kmod/perf_backend.c in the kernel). Linux perf keeps a cumulative 64-bit count per event that
 * cannot be preset, so both emulate the counter the policy expects (include/membw/backend.h):
 * arm(n) remembers the cumulative count c0 and n, and a read at count c returns
 * (c - c0 - n) mod 2^64, which is 2^64 - n + k after k events.
 *
 * rearm(n) counts from the channel's last read instead of from now: the base becomes the count
 * that read saw, so the events counted between the read and the re-arm stay counted (arm would
 * drop them). Everything here is unsigned 64-bit arithmetic that wraps, which is what both
 * counts do.
 *
 * Freestanding (no libc): included by the kernel module too, staged at this path (mk/kmod.mk).
 */
#ifndef MEMBW_PERF_EMULATED_COUNTER_H
#define MEMBW_PERF_EMULATED_COUNTER_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One channel's emulated counter. Zeroed: not armed. */
struct emulated_counter {
	uint64_t base;      /* cumulative count at the last arm or rearm */
	uint64_t armed;     /* n of that arm; 0: not armed */
	uint64_t last_read; /* cumulative count at the last read */
};

/* Arm at cumulative count @count: the n-th event from now is the arm point. */
static inline void emulated_counter_arm(struct emulated_counter *e, uint64_t count, uint64_t n)
{
	e->base = count;
	e->armed = n;
	e->last_read = count;
}

/* The raw value at cumulative count @count, remembered as the last read: (count - base - n). */
static inline uint64_t emulated_counter_read(struct emulated_counter *e, uint64_t count)
{
	e->last_read = count;
	return count - e->base - e->armed;
}

/* Re-arm relative to the last read: the n-th event after that read is the arm point. */
static inline void emulated_counter_rearm(struct emulated_counter *e, uint64_t n)
{
	e->base = e->last_read;
	e->armed = n;
}

/* Not armed any more (stop, close): emulated_counter_reached() answers false until the next arm. */
static inline void emulated_counter_disarm(struct emulated_counter *e)
{
	e->armed = 0;
}

/* Has the arm point been reached at cumulative count @count? */
static inline bool emulated_counter_reached(const struct emulated_counter *e, uint64_t count)
{
	return e->armed != 0 && count - e->base >= e->armed;
}

/*
 * Events still to go before the arm point at cumulative count @count; 0 if it was reached. What
 * a hardware sample period must be set to after a rearm.
 */
static inline uint64_t emulated_counter_left(const struct emulated_counter *e, uint64_t count)
{
	uint64_t done = count - e->base;

	return done >= e->armed ? 0 : e->armed - done;
}

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_PERF_EMULATED_COUNTER_H */
