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
	/* tb_direct_reader (ABI version 3): nonzero direct_err makes the hook return it;
	 * direct_none makes it return 0 with no function; direct_extra is what the CPU counts
	 * right before each direct read (added to the counter, then read): the direct reader
	 * then sees values that read() would not, so a test tells which one the policy used. */
	int direct_err;
	bool direct_none;
	uint64_t direct_extra;
};

/* The argument of channel @ch's direct reader: tb_cpu::reader[ch]. */
struct tb_reader {
	struct tb_cpu *t;
	unsigned int ch;
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
	uint64_t reads[MEMBW_NCHANNELS];     /* read() calls */
	uint64_t direct_reads[MEMBW_NCHANNELS]; /* calls of the direct reader's function */
	uint32_t direct_asks;                /* direct_reader hook calls */
	struct tb_reader reader[MEMBW_NCHANNELS];
	bool running[MEMBW_NCHANNELS];
	bool pending[MEMBW_NCHANNELS];       /* overflow flagged, not yet delivered */
	struct membw_counter_setup setup;    /* as passed to cpu_init */
};

/*
 * The current ABI version with cpu_exit and rearm, no direct_reader. Copy it and clear .rearm to
 * test the arm fallback, set .direct_reader = tb_direct_reader to test the direct reader.
 */
extern const struct membw_backend tb_backend;

/* A direct_reader hook for tb_backend copies, following tb::direct_err, direct_none and
 * direct_extra. */
int tb_direct_reader(void *priv, uint32_t ch, struct membw_direct_reader *reader);

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
