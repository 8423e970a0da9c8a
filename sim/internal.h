/* SPDX-License-Identifier: MIT */
/*
 * The simulator's private state, shared by its files. Calls go one way, down this list:
 *   engine.c    the event loop, virtual time, the global progress clock, results
 *   runtime.c   the runtime the policy sees (struct membw_env): throttle, unthrottle, kick_all
 *   faults.c    fault injection: lost interrupts, late and missed ticks, clobbered counters
 *   machine.c   a core's state: traffic and work up to now, its demand, events queued for it
 *   workload.c  phases: what a core asks of the DRAM now, and moving to the next phase
 *   dram.c      the contention rule
 *   event_queue.c, rng.h: a heap of events and the seeded generator
 * The counter backend the policy reads, `sim`, is backends/sim/pmu.c: machine.c counts lines into
 * it, and it reports back through the three callbacks the engine gives it (struct sim_pmu).
 */
#ifndef MEMBW_SIM_INTERNAL_H
#define MEMBW_SIM_INTERNAL_H

#include "event_queue.h"
#include "pmu.h"
#include "sim.h"

/* Events keyed by time (ns), in sim::timeq. */
enum {
	EV_TICK = 1,      /* period timer of a core (gen: tick_gen) */
	EV_DELIVER = 2,   /* an overflow interrupt reaches the core */
	EV_KICK = 3,      /* membw_kick after kick_all */
	EV_COMPUTE_END = 4, /* a compute phase ends (gen: core gen) */
	EV_CLOBBER = 5,   /* fault: arg is the fault's index */
	EV_SAMPLE = 6,    /* record one period of the series, every core */
};

/* Events keyed by the global progress clock W, in sim::workq. */
enum {
	WEV_PHASE_END = 1, /* a memory phase ends (gen: core gen) */
	WEV_CROSS = 2,     /* a counter of class arg reaches its overflow point (gen: cross_gen) */
};

/* What sim_mark_dirty() says has changed about a core. */
enum {
	DIRTY_PHASE = 1u << 0,   /* demand or phase: its phase end moved */
	DIRTY_COUNTER = 1u << 1, /* counters armed, stopped or written: overflow points moved */
};

struct sim_core {
	uint32_t idx;
	const struct sim_workload *wl;
	size_t phase;
	bool idle;          /* workload finished (or none) */
	uint64_t finish_ns; /* when a workload with repeat off finished; 0: not (yet) */
	/* Spare sharing released the CPU in the period a channel is in: traffic past the allowance
	 * after the release is permitted, and only what the channel had counted past it when it was
	 * throttled (throttle_over) is overshoot. */
	bool spare_released[MEMBW_NCHANNELS];
	uint64_t throttle_over[MEMBW_NCHANNELS];
	bool throttled;     /* the policy said throttle, not yet unthrottle */
	bool online;
	uint32_t dirty;     /* DIRTY_* bits; nonzero: on sim::dirty, events to recompute */
	bool delivery_pending;
	uint64_t left;      /* work left in the phase, SIM_SCALE units */
	uint64_t demand[MEMBW_NCHANNELS]; /* asked now, bytes/s; 0 unless issuing */
	uint64_t w0, t0;    /* W and time at the last sync */
	uint64_t lines[MEMBW_NCHANNELS];
	uint64_t rem[MEMBW_NCHANNELS];    /* part of a line, in sim::line_units */
	uint64_t work;      /* SIM_SCALE units */
	uint64_t throttled_at, throttled_ns;
	uint64_t next_tick; /* the policy's next period start */
	uint32_t gen, cross_gen, tick_gen;
	struct sim_pmu_cpu *pmu;
	/* series: values at the last sample */
	uint64_t s_lines[MEMBW_NCHANNELS], s_throttled;
};

struct sim {
	const struct sim_config *cfg;
	struct membw *m;
	void *storage;
	struct sim_pmu pmu;
	struct membw_env env;
	struct sim_core *core;
	struct sim_result *out;
	uint64_t now;        /* ns */
	uint64_t w;          /* global progress clock, SIM_SCALE units (dram.c) */
	uint64_t demand;     /* sum of every core's demand, bytes/s */
	uint64_t line_units; /* line_size * 10^9 * SIM_SCALE: one line, in demand x W units */
	struct sim_queue timeq, workq;
	uint32_t *dirty;
	size_t ndirty;
	uint64_t rng;
	bool *fault_used;
	size_t nsamples;
	int err;             /* first failure of a runtime hook (out of memory) */
};

/* machine.c */
void sim_sync(struct sim *s, struct sim_core *c);
void sim_mark_dirty(struct sim *s, struct sim_core *c, uint32_t what);
void sim_set_demand(struct sim *s, struct sim_core *c);
void sim_push_time(struct sim *s, uint64_t t, uint32_t cpu, uint32_t kind, uint32_t gen,
		   uint32_t arg);

/* runtime.c */
void sim_runtime_init(struct sim *s);

/* workload.c */
void sim_workload_start(struct sim_core *c);
void sim_workload_next(struct sim_core *c);
bool sim_workload_in_memory(const struct sim_core *c);
bool sim_workload_computing(const struct sim_core *c);
int sim_workload_check(const struct sim_workload *wl, uint32_t line_size, char *buf, size_t len,
		       const char **why);

/* faults.c */
bool sim_fault_lose_interrupt(struct sim *s, uint32_t cpu);
uint64_t sim_fault_tick_time(struct sim *s, uint32_t cpu, uint64_t t);
int sim_fault_schedule(struct sim *s);

#endif /* MEMBW_SIM_INTERNAL_H */
