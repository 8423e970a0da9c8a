/* SPDX-License-Identifier: MIT */
/*
 * The memory-bandwidth simulator: N cores sharing one DRAM, each core with a simulated PMU (the
 * `sim` counter backend), a period timer and a throttle, all driven through the same
 * counter-backend and runtime interfaces a hardware port uses (include/membw/backend.h, env.h). The
 * policy under test is the real libmembw; the simulator only plays the machine.
 *
 * Deterministic: virtual time in integer nanoseconds, traffic in integer cache lines, every random
 * choice (period-timer jitter) drawn from one generator seeded by sim_config::seed. Two runs of the
 * same configuration give the same numbers, bit for bit. docs/sim.md describes the model; the
 * contention rule is in dram.c.
 *
 * Use: fill a struct sim_config (sim_config_init() gives the defaults), call sim_run(), read the
 * struct sim_result, free it with sim_result_free().
 */
#ifndef MEMBW_SIM_H
#define MEMBW_SIM_H

#include <membw/membw.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Units of "solo time" (the work a core does, measured as the time the same work takes running
 * alone at full speed): SIM_SCALE units per nanosecond, so that a core slowed by contention makes
 * fractional progress per nanosecond without floating point.
 */
#define SIM_SCALE 1024u

/* Largest demand of one core per channel: one line per nanosecond (64 GB/s at 64-byte lines). */
#define SIM_MAX_DEMAND_LINES_PER_NS 1u

/* What a phase of a workload does. */
enum sim_phase_kind {
	SIM_PHASE_COMPUTE = 0, /* no DRAM traffic; progress at full speed unless throttled */
	SIM_PHASE_READ = 1,    /* streaming reads: line refills at `demand[MEMBW_CH_READ]` */
	SIM_PHASE_WRITE = 2,   /* streaming writes: write-backs at `demand[MEMBW_CH_WRITE]` */
	SIM_PHASE_MIXED = 3,   /* both at once */
};

/*
 * One phase: `length_ns` of work (the time it takes when the core runs alone, unthrottled, with the
 * DRAM to itself), asking the DRAM for `demand` bytes per second per channel meanwhile. A memory
 * phase is memory-bound: if the DRAM serves a fraction s of its demand, it progresses at s.
 */
struct sim_phase {
	enum sim_phase_kind kind;
	uint64_t demand[MEMBW_NCHANNELS]; /* bytes/s: [MEMBW_CH_READ], [MEMBW_CH_WRITE] */
	uint64_t length_ns;               /* solo duration, > 0 */
};

/* What one core runs: phases in order, again from the first if `repeat`. No phases: idle. */
struct sim_workload {
	const char *name;
	const struct sim_phase *phases;
	size_t nphases;
	bool repeat;
};

/* Fault injection for reliability tests. Each fault hits once: the first occasion at or after
 * at_ns. */
enum sim_fault_kind {
	SIM_FAULT_LOST_OVERFLOW = 1, /* an overflow interrupt raised on `cpu` is never delivered */
	SIM_FAULT_LATE_TICK = 2,     /* a period-timer tick of `cpu` comes `value` ns late */
	SIM_FAULT_MISSED_TICK = 3, /* a period-timer tick of `cpu` does not come (next one does) */
	SIM_FAULT_CLOBBER = 4, /* at at_ns, someone writes `value` into `cpu`'s `channel` counter */
};

struct sim_fault {
	enum sim_fault_kind kind;
	uint32_t cpu;
	uint32_t channel; /* SIM_FAULT_CLOBBER only */
	uint64_t at_ns;
	uint64_t value;   /* late tick: delay in ns; clobber: the raw value written */
};

/*
 * The policy to run: domains with budgets and which CPU belongs where. ndomains == 0 runs the
 * policy with every CPU unassigned: counted, never throttled ("no regulation").
 */
struct sim_regulation {
	uint32_t ndomains;
	const uint64_t (
		*budget)[MEMBW_NCHANNELS]; /* per domain: read, write bytes/s (or UNLIMITED) */
	const uint32_t *domain_of; /* per CPU: domain, or MEMBW_NO_DOMAIN (counted, never throttled) */
	uint32_t reclaim;                          /* 0 or 1 */
	uint32_t sharing;                          /* enum membw_sharing */
	uint32_t chunk_divisor;                    /* 0: the policy's default */
	uint32_t min_chunk_events;                 /* 0: the policy's default */
};

/* Ground truth of one core over one period of the global grid [k * period, (k + 1) * period). */
struct sim_sample {
	uint64_t lines[MEMBW_NCHANNELS]; /* lines moved in the period */
	uint64_t work_ns;                /* cumulative work at the period's end, solo nanoseconds */
	uint64_t throttled_ns;           /* time throttled in the period */
};

struct sim_config {
	uint32_t ncpus;          /* 1 .. MEMBW_MAX_CPUS */
	uint64_t period_ns;      /* the policy's period */
	uint64_t duration_ns;    /* simulated time to run */
	uint64_t seed;           /* for the period-timer jitter */
	uint64_t peak_bps;       /* DRAM peak bandwidth, bytes/s */
	uint64_t guaranteed_bps; /* DRAM guaranteed bandwidth (r_min), bytes/s, <= peak */
	uint32_t line_size; /* bytes per line (and per counted event): power of two, 8 .. 4096 */
	uint32_t counter_bits;   /* PMU counter width: 8 .. 64 */
	uint32_t channels;       /* PMU counters per core: 1 (reads) or 2 (reads and write-backs) */
	uint64_t irq_latency_ns; /* overflow -> interrupt delivered */
	uint64_t tick_jitter_ns; /* each period tick comes up to this late, drawn uniformly */
	uint64_t ipi_latency_ns; /* kick_all -> membw_kick on each core */
	/* Lines a core's running counter counts between the policy's read and the arm that
	 * follows (the handler's own traffic): a backend without the fused read-and-re-arm loses
	 * them, one with it does not. Counted in sim_cpu_result::lines. 0: none (the default). */
	uint64_t arm_window_lines;
	bool rearm_as_arm;       /* the backend's rearm acts as a plain arm (ABI version 1) */
	const struct sim_workload *workloads; /* ncpus entries */
	const struct sim_fault *faults;
	size_t nfaults;
	struct sim_regulation reg;
	bool record_series;      /* fill sim_cpu_result::series */
	/* Optional: every trace record of the policy, after the simulator has seen it. */
	void (*on_trace)(void *ctx, const struct membw_trace_record *ev);
	void *trace_ctx;
	/* Optional: called now and then with the simulated time reached (progress bars). */
	void (*on_progress)(void *ctx, uint64_t now_ns);
	void *progress_ctx;
};

struct sim_cpu_result {
	uint64_t lines[MEMBW_NCHANNELS];  /* lines moved over the run (ground truth) */
	uint64_t work_ns;                 /* work completed, solo nanoseconds (rounded down) */
	uint64_t throttled_ns;            /* time throttled (ground truth) */
	/* A workload with repeat off: the time its last phase ended; 0 while it still ran at the
	 * end of the run (and always for a repeating workload). */
	uint64_t finish_ns;
	/* Largest per-period overshoot the policy reported, lines, leaving out periods in which
	 * spare sharing released the CPU: traffic past the allowance is then permitted. */
	uint64_t max_overshoot;
	uint64_t max_period_used[MEMBW_NCHANNELS]; /* largest per-period use the policy reported */
	struct membw_cpu_stats stats;     /* the policy's statistics at the end */
	struct sim_sample *series;        /* record_series: one sample per period of the grid */
	size_t nseries;
};

struct sim_result {
	uint32_t ncpus;
	uint64_t end_ns;
	uint64_t events;       /* simulator events processed */
	struct sim_cpu_result *cpu;
};

/* Defaults: 1 CPU, 1 ms period, 1 s, seed 1, 6 GB/s peak, 1.2 GB/s guaranteed, 64-byte lines,
 * 32-bit counters, 2 channels, no latency, no jitter, 1 us IPI latency, no regulation. */
void sim_config_init(struct sim_config *cfg);

/*
 * Check @cfg. Returns 0, or -MEMBW_EINVAL / -MEMBW_ERANGE with an English reason in *why (static
 * or in @buf of @len bytes). Called by sim_run().
 */
int sim_validate(const struct sim_config *cfg, char *buf, size_t len, const char **why);

/* Which setting sim_validate_culprit() found wrong, so that a caller can name where it came from. */
enum sim_setting {
	SIM_SETTING_NONE,
	SIM_SETTING_CPUS,
	SIM_SETTING_PERIOD,
	SIM_SETTING_DURATION,
	SIM_SETTING_PEAK,
	SIM_SETTING_GUARANTEED,
	SIM_SETTING_LINE_SIZE,
	SIM_SETTING_COUNTER_BITS,
	SIM_SETTING_CHANNELS,
	SIM_SETTING_IRQ_LATENCY,
	SIM_SETTING_TICK_JITTER,
	SIM_SETTING_IPI_LATENCY,
	SIM_SETTING_ARM_WINDOW,
	SIM_SETTING_WORKLOAD, /* index: the CPU */
	SIM_SETTING_FAULT,    /* index: in sim_config::faults */
	SIM_SETTING_DOMAIN,   /* index: in sim_config::reg */
	SIM_SETTING_COUNT
};

struct sim_culprit {
	enum sim_setting setting;
	size_t index;
	unsigned int channel; /* SIM_SETTING_DOMAIN: the budget's MEMBW_CH_* */
	/* The reason without the subject the simulator gave it ("domain N: "), for a caller that
	 * names the setting its own way; NULL when the reason has no such subject. */
	const char *detail;
};

/* sim_validate(), also saying in @culprit (if not NULL) which setting was wrong. */
int sim_validate_culprit(const struct sim_config *cfg, char *buf, size_t len, const char **why,
			 struct sim_culprit *culprit);

/*
 * Run @cfg. On success fills @out (free with sim_result_free()). On error returns a negative
 * MEMBW_E* code and, if @why is not NULL, a reason (static or in @buf); @out is then empty.
 */
int sim_run(const struct sim_config *cfg, struct sim_result *out, char *buf, size_t len,
	    const char **why);

void sim_result_free(struct sim_result *res);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_SIM_H */
