/* SPDX-License-Identifier: MIT */
/*
 * Generic-timer ticks to nanoseconds and back, exact, with what can be divided once done at init
 * (timer.c keeps one struct clock_conv for CNTFRQ_EL0). Pure C, no register access, so that the
 * host test tests/qemu/clock/test_clock.c runs the very same code.
 *
 * The exact results (for any frequency f from 1 Hz up to 2^34 Hz, no overflow but that of the
 * 64-bit ns result itself):
 *   ns    = floor(ticks * 10^9 / f)
 *   ticks = ceil(ns * f / 10^9)           (a deadline is never before the time asked for)
 * computed in general as whole seconds plus the rest, two divisions each (the *_general functions).
 * When f divides 10^9 (QEMU 7.2's 62.5 MHz: 16 ns per tick; also 1 GHz, 100 MHz, 50 MHz,
 * 25 MHz...) with k = 10^9 / f ns per tick, the same results are ns = ticks * k and
 * ticks = ceil(ns / k), since 10^9 = f * k: the seconds part of either formula is then a multiple
 * of k. When k is moreover a power of two (62.5 MHz: 2^4), ceil(ns / k) is a shift and a test of
 * the bits shifted out. Other frequencies (24 MHz, 19.2 MHz) keep the general path.
 */
#ifndef QEMU_PLATFORM_CLOCK_H
#define QEMU_PLATFORM_CLOCK_H

#include <stdint.h>

#define CLOCK_NS_PER_S 1000000000ull
/* clock_conv.shift when ns_per_tick is not a power of two: a bit no valid shift (0..63) has */
#define CLOCK_NO_SHIFT 64u

/* ns_per_tick first: the ticks-to-ns fast path (every clock read) loads it from the symbol's
 * address with no offset to add. */
struct clock_conv {
	uint64_t ns_per_tick; /* 10^9 / freq_hz when that is exact, else 0 */
	uint64_t shift;       /* log2(ns_per_tick) when a power of two, else CLOCK_NO_SHIFT */
	uint64_t freq_hz;     /* ticks per second */
};

static inline void clock_conv_init(struct clock_conv *c, uint64_t freq_hz)
{
	uint64_t k = freq_hz && CLOCK_NS_PER_S % freq_hz == 0 ? CLOCK_NS_PER_S / freq_hz : 0;
	unsigned int shift = 0;

	c->freq_hz = freq_hz;
	c->ns_per_tick = k;
	c->shift = CLOCK_NO_SHIFT;
	if (k && (k & (k - 1)) == 0) {
		while ((1ull << shift) != k)
			shift++;
		c->shift = shift;
	}
}

/* Split into whole seconds and the rest so nothing overflows: the rest times a frequency below
 * 2^34 Hz stays below 2^64. */
static inline uint64_t clock_ticks_to_ns_general(uint64_t freq_hz, uint64_t ticks)
{
	return ticks / freq_hz * CLOCK_NS_PER_S + ticks % freq_hz * CLOCK_NS_PER_S / freq_hz;
}

static inline uint64_t clock_ns_to_ticks_general(uint64_t freq_hz, uint64_t ns)
{
	return ns / CLOCK_NS_PER_S * freq_hz +
	       (ns % CLOCK_NS_PER_S * freq_hz + CLOCK_NS_PER_S - 1) / CLOCK_NS_PER_S;
}

static inline uint64_t clock_ticks_to_ns(const struct clock_conv *c, uint64_t ticks)
{
	if (__builtin_expect(c->ns_per_tick != 0, 1))
		return ticks * c->ns_per_tick;
	return clock_ticks_to_ns_general(c->freq_hz, ticks);
}

static inline uint64_t clock_ns_to_ticks(const struct clock_conv *c, uint64_t ns)
{
	uint64_t q;

	if (__builtin_expect(!(c->shift & CLOCK_NO_SHIFT), 1)) {
		q = ns >> c->shift;
		return q + ((q << c->shift) != ns);
	}
	if (!c->ns_per_tick)
		return clock_ns_to_ticks_general(c->freq_hz, ns);
	q = ns / c->ns_per_tick;
	return q + (ns - q * c->ns_per_tick != 0);
}

#endif /* QEMU_PLATFORM_CLOCK_H */
