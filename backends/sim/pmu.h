/* SPDX-License-Identifier: MIT */
/*
 * The simulated PMU behind the `sim` counter backend. Its hooks (probe, cpu_init, arm, read, stop)
 * are reached only through `membw_sim_backend`; the functions below are the "hardware side": what makes
 * events happen on a core (the simulator's engine, or a conformance-suite driver), and what a
 * fault writes.
 *
 * Model, as the Arm ARM describes a PMUv3 event counter: a counter is `counter_bits` wide and
 * counts up; arm(n) writes 2^w - n, sets the counter running and enables its overflow interrupt;
 * the wrap from 2^w - 1 to 0 sets the overflow flag and, with the interrupt enabled, raises the
 * interrupt; arm and stop clear the flag. Each counter counts one traffic class (line refills or
 * write-backs), chosen by the event code given to cpu_init.
 */
#ifndef MEMBW_SIM_PMU_H
#define MEMBW_SIM_PMU_H

#include <membw/membw.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Event codes of the simulated PMU (membw_config::event); 0 selects the channel's own class. */
#define SIM_EVENT_LINE_REFILL 0x1u /* a line read from DRAM */
#define SIM_EVENT_LINE_WB 0x2u     /* a line written back to DRAM */

/* Traffic classes, indexed like the channels: what SIM_EVENT_LINE_REFILL/_WB count. */
#define SIM_CLASS_READ 0u
#define SIM_CLASS_WRITE 1u

/* The backend context (membw_init's backend_ctx): the PMU's fixed facts and the machine's hooks. */
struct sim_pmu {
	bool absent;           /* probe refuses with -MEMBW_ENODEV: "no PMU on this machine" */
	uint32_t channels;     /* 1 or 2 */
	uint32_t counter_bits; /* 8 .. 64 */
	uint32_t line_size;    /* bytes per counted line */
	/* The machine: bring @cpu's counts up to the present before a register is touched (may be
	 * NULL when the driver counts by hand). */
	void (*sync)(void *owner, unsigned int cpu);
	/* The machine: @cpu's counter on @channel raised its overflow interrupt (may be NULL). */
	void (*raised)(void *owner, unsigned int cpu, unsigned int channel);
	/* The machine: @cpu's counters were armed or stopped; overflow points moved (may be NULL).
	 */
	void (*changed)(void *owner, unsigned int cpu);
	void *owner;
	/* Lines of its class a running counter counts while the policy goes from a read to the arm
	 * that follows (the handler's own traffic, or a core that runs on meanwhile): arm() loses
	 * them, rearm() counts them towards the new arm. 0 (the default): no such window. */
	uint64_t arm_window_lines;
	/* rearm() behaves like arm() (a backend without the fused operation), for comparisons. */
	bool rearm_as_arm;
};

struct sim_pmu_counter {
	uint64_t value;   /* the register */
	uint32_t source;  /* SIM_CLASS_* counted */
	bool running;
	bool irq;         /* overflow interrupt enabled */
	bool overflowed;  /* overflow flag (PMOVS); cleared by arm, stop, sim_pmu_take_overflow */
	uint64_t raised;  /* overflow interrupts raised since cpu_init */
	uint64_t arms;    /* arm and rearm calls since cpu_init */
	uint64_t at_read; /* the value the last read returned (rearm counts from it) */
	bool read_since_arm; /* a read came after the last arm: the next arm ends a window */
	uint64_t window_lines; /* lines counted in read-to-arm windows since cpu_init */
	struct sim_pmu_cpu *cpu; /* its CPU: the direct reader's argument is the counter */
};

/* Per-CPU private state of the backend (membw_backend::priv_size bytes). */
struct sim_pmu_cpu {
	struct sim_pmu *pmu;
	uint32_t cpu;
	bool ready; /* cpu_init done */
	struct sim_pmu_counter ctr[MEMBW_NCHANNELS];
};

extern const struct membw_backend membw_sim_backend;

/* Fill @pmu with a typical PMU: present, 2 channels, 32-bit counters, 64-byte lines, no hooks. */
void sim_pmu_defaults(struct sim_pmu *pmu);

/* @n lines of traffic class @cls happened on the core: every running counter of that class counts
 * them; a wrap raises the overflow interrupt (pmu->raised). Returns true if a wrap happened. */
bool sim_pmu_count(struct sim_pmu_cpu *pc, unsigned int cls, uint64_t n);

/* Lines of class @cls the core can move before one of its counters raises an overflow interrupt;
 * UINT64_MAX if none would. */
uint64_t sim_pmu_until_overflow(const struct sim_pmu_cpu *pc, unsigned int cls);

/* Which counters have their overflow flag set (MEMBW_CH_*_BIT), 0 if none. Clears the flags:
 * the interrupt is being taken (like reading and clearing PMOVS). */
uint32_t sim_pmu_take_overflow(struct sim_pmu_cpu *pc);

/* Someone else writes @value into counter @channel (fault injection): no interrupt, no flag. */
void sim_pmu_clobber(struct sim_pmu_cpu *pc, unsigned int channel, uint64_t value);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_SIM_PMU_H */
