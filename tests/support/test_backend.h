/* SPDX-License-Identifier: MIT */
/*
 * A counter backend for tests: counters are plain numbers a test advances ("CPU 2 counted 700
 * events"), with the width, channel count and line size the test chooses, and switches that make
 * each hook fail. It models a PMU the way the Arm ARM describes one: arm(n) writes 2^w - n, the
 * counter wraps at 2^w, and the wrap raises a pending overflow while the interrupt is enabled.
 */
#ifndef MEMBW_TEST_BACKEND_H
#define MEMBW_TEST_BACKEND_H

#include <membw/membw.h>

struct tb {
	uint32_t channels;     /* reported by probe */
	uint32_t counter_bits; /* reported by probe */
	uint32_t line_size;    /* reported by probe */
	uint32_t levels;       /* reported by probe */
	int probe_err;         /* nonzero: probe returns it */
	int init_err;          /* nonzero: cpu_init returns it */
	int arm_err;           /* nonzero: arm returns it */
	int read_err;          /* nonzero: read returns it */
	/* Channels (bit per channel) whose arm programs and starts the counter, then fails with
	 * -MEMBW_EIO: a PMU whose interrupt enable did not take. */
	uint32_t arm_fail_mask;
	/* Events the CPU counts while arm/rearm runs, before the counter is written: the window
	 * between the policy's read and its arm. arm() loses them, rearm() keeps them. */
	uint64_t arm_window;
	uint64_t window_total; /* every event counted in such windows, for the tests' sums */
};

/* Per-CPU private state (membw_backend::priv_size bytes). */
struct tb_cpu {
	struct tb *tb;
	uint32_t cpu;
	uint32_t inits;
	uint64_t value[MEMBW_NCHANNELS];     /* raw counter */
	uint64_t armed[MEMBW_NCHANNELS];     /* n of the last arm */
	uint64_t arms[MEMBW_NCHANNELS];      /* arm and rearm calls */
	uint64_t rearms[MEMBW_NCHANNELS];    /* of those, rearm calls */
	uint64_t stops[MEMBW_NCHANNELS];     /* stop calls */
	uint64_t at_read[MEMBW_NCHANNELS];   /* raw value the last read returned */
	uint32_t exits;                      /* cpu_exit calls */
	bool running[MEMBW_NCHANNELS];
	bool pending[MEMBW_NCHANNELS];       /* overflow flagged, not yet delivered */
	struct membw_counter_setup setup;    /* as passed to cpu_init */
};

/* ABI version 2 with cpu_exit and rearm. Copy it and clear .rearm to test the arm fallback. */
extern const struct membw_backend tb_backend;

/* Fill @tb with a typical PMU: 2 channels, 32-bit counters, 64-byte lines, every level. */
void tb_defaults(struct tb *tb);

/* Count @n events on @ch of @cpu; returns true if that raised an overflow. */
bool tb_count(struct membw *m, unsigned int cpu, unsigned int ch, uint64_t n);

/* Events @ch of @cpu can still count before its counter wraps. */
uint64_t tb_until_overflow(struct membw *m, unsigned int cpu, unsigned int ch);

/* The CPU's backend state. */
struct tb_cpu *tb_cpu(struct membw *m, unsigned int cpu);

/* Is an overflow pending on any channel of @cpu? Clears the flags (the interrupt is taken). */
bool tb_take_overflow(struct membw *m, unsigned int cpu);

#endif
