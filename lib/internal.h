/* SPDX-License-Identifier: MIT */
/*
 * The policy's private data layout and the helpers its files share. Nothing here is public.
 *
 * Ownership: struct cpu is written only by its own CPU (entry points), except `assignment`, which
 * control paths write and the CPU reads at period start. struct domain and the shared part of
 * struct membw change only through atomic.h / pool.h.
 */
#ifndef MEMBW_LIB_INTERNAL_H
#define MEMBW_LIB_INTERNAL_H

#include <membw/membw.h>

#include "atomic.h"
#include "pool.h"

#define MEMBW_MAGIC 0x6d656d62u /* "memb" */

/* Events per period meaning "no limit" in a packed budget word. */
#define EVENTS_UNLIMITED 0xFFFFFFFFull

/* A domain's budgets as one word, so read and write budgets change together. */
static inline uint64_t budget_word(uint64_t read_events, uint64_t write_events)
{
	return read_events | (write_events << 32);
}

static inline uint64_t budget_events(uint64_t word, unsigned int ch)
{
	return (word >> (32 * ch)) & 0xFFFFFFFFull;
}

/* A CPU's assignment as one word (room to grow without changing how it is published). */
static inline uint64_t assignment_word(uint32_t domain)
{
	return domain;
}

/* Counters at least this wide (half range >= 2^31 events) are left running at a throttle. */
#define WIDE_COUNTER_HALF (1ull << 31)

/* Global modes as one word: sharing in the low byte, reclaim in bit 9. */
#define MODE_RECLAIM (1u << 9)
#define MODE_SHARING_MASK 0xFFu
/*
 * In a CPU's copy of the word only (cpu::mode, membership_update()): its throttles take the
 * general path of throttle_hold(), because the run is traced or the counter is narrower than
 * WIDE_COUNTER_HALF. With the sharing bits, one test on the overflow that throttles tells the
 * plain case (MODE_PLAIN_THROTTLE_MASK clear: throttle_hold()'s plain copy).
 */
#define MODE_THROTTLE_GENERAL (1u << 8)
#define MODE_PLAIN_THROTTLE_MASK (MODE_SHARING_MASK | MODE_THROTTLE_GENERAL)

/* All ones; spelled out because kernel headers have no UINT64_MAX. */
#define U64_ALL (~(uint64_t)0)

/* Arm for as many events as an arm may cover: count, interrupt only to be re-armed. */
#define ARM_COUNT_ONLY U64_ALL

/* Per-CPU "no history yet" value of the reclaim predictor. */
#define PREDICTION_NONE U64_ALL
/* cpu::chunk_n (share_n) of no cached chunk (share): no domain has that many members. */
#define CHUNK_NONE 0xFFFFFFFFu
/* changes_seen of a CPU that has taken up nothing yet: membw::changes never gets there. */
#define CHANGES_NONE U64_ALL

struct channel {
	uint64_t allow;    /* events the CPU may count this period */
	uint64_t base;     /* events counted this period before the current arm */
	uint64_t armed;    /* events the current arm is for; 0 = not armed */
	uint64_t known;    /* spent: events counted at the throttle, what a failed read gives */
	uint64_t budget;   /* this period's domain budget in events, EVENTS_UNLIMITED for none */
	uint64_t share;    /* reclaim: this period's share of the domain budget */
	uint64_t donation; /* reclaim: own donation not yet taken back */
	uint64_t predict;  /* reclaim: predicted use per period, PREDICTION_NONE at first */
	bool limited;      /* throttle when allow is used up (else count only) */
	bool spent;        /* throttled at its arm point and left running there (throttle.c) */
	bool fresh;        /* read since the last arm: the next arm may count from that read */
};

struct cpu {
	/* Hot state, own CPU only. */
	uint64_t epoch;         /* period the CPU is in */
	uint64_t changes_seen;  /* membw::changes when the CPU last took up changes; CHANGES_NONE */
	uint64_t mode;          /* global mode word in force */
	uint64_t throttled_at;  /* when the current throttle began */
	/* The steady keys (membership.c, steady_keys()): changes_seen for the steady step a tick
	 * may take, CHANGES_NONE for the others. Derivable from changes_seen, the mode, tracing,
	 * the channel count and whether a channel is limited; kept as three keys because one
	 * compare then selects the step, where reading the mode on every tick cost 4 more
	 * instructions and testing m->nch 2 more (make bench-policy, period.h). */
	uint64_t steady_at;          /* reclaim off, or no limited channel */
	uint64_t steady_reclaim_at;  /* reclaim on, one channel (which is limited) */
	uint64_t steady_reclaim2_at; /* reclaim on, two channels */
	struct domain *dom;     /* in force: &membw::domains[domain], NULL for none */
	uint32_t domain;        /* in force: domain or MEMBW_NO_DOMAIN */
	uint32_t state;         /* MEMBW_CPU_* state bits; readers use load32_relaxed */
	uint32_t member_of;     /* domain whose online count includes this CPU, or MEMBW_NO_DOMAIN */
	uint32_t cpu;           /* own index, for callbacks */
	uint64_t throttle_weight; /* what this CPU added to its period's throttled count (sharing.c) */
	bool held;              /* the runtime was told to throttle, not yet to unthrottle */
	bool shared;            /* its domain had other regulated CPUs online at period start */
	void *priv;             /* backend's private state */
	/* Per channel, kept out of struct channel: its size of 72 bytes (9 x 8) is one LEA and a
	 * scaled address away from a channel number, a larger one costs instructions on every
	 * c->ch[ch] (make bench-policy). */
	/* The backend's direct reader (backend.h, ABI version 3), called instead of membw::read;
	 * NULL: none. Set after each cpu_init, cleared at offline. Two arrays, not one of struct
	 * membw_direct_reader: a 16-byte stride made GCC 12 spend 10 more instructions on the
	 * overflow's loop over channels (make bench-policy). */
	membw_direct_read_fn *direct[MEMBW_NCHANNELS];
	void *direct_ctx[MEMBW_NCHANNELS];
	/* The read hook's out value, any channel: here rather than on the stack, its address is one
	 * LEA from the CPU's, with no stack slot and no register of its own (make bench-policy). */
	uint64_t raw;
	struct channel ch[MEMBW_NCHANNELS];
	/* Written by control paths (any CPU), read at period start. */
	uint64_t assignment;
	/* Written here, read anywhere (stat_add). */
	struct membw_totals stats;
	/* Own CPU only: the pool chunk of each channel (grant_pool_chunk()) and the member count it
	 * was worked out for, CHUNK_NONE for none. At the end, where the channels' offsets stay
	 * as they were: placed before ch[], GCC 12 spent 1 more instruction on the overflow with
	 * reclaim on (make bench-policy). */
	uint32_t chunk_n[MEMBW_NCHANNELS];
	uint32_t chunk[MEMBW_NCHANNELS];
	/* Own CPU only, the same way: the reclaim share of each channel (grant_share_of()) and its
	 * member count, CHUNK_NONE for none. */
	uint32_t share_n[MEMBW_NCHANNELS];
	uint32_t share[MEMBW_NCHANNELS];
};

struct domain {
	uint64_t seq;                    /* odd while membw_domain_set_budget() writes (control.c) */
	uint64_t budget;                 /* budget_word(); EVENTS_UNLIMITED halves for none */
	uint64_t bps[MEMBW_NCHANNELS];   /* as last set, for reading back */
	uint64_t pool[MEMBW_NCHANNELS];  /* reclaim off: events left this period (tagged) */
	uint32_t nonline;                /* regulated online members */
};

struct membw {
	uint32_t magic;
	uint32_t ncpus;
	uint32_t ndomains;
	uint32_t nch;            /* channels the backend has: 1 or 2 */
	uint64_t period_ns;
	uint64_t counter_mask;   /* 2^counter_bits - 1 */
	uint64_t counter_half;   /* 2^(counter_bits - 1): the largest arm (counter.h) */
	uint32_t chunk_divisor;
	uint32_t min_chunk;
	size_t cpu_stride;       /* MEMBW_CPU_BYTES + aligned priv_size */
	unsigned char *cpu_base;
	struct domain *domains;
	const struct membw_backend *be;
	void *be_ctx;
	/* Backend hooks newer than ABI version 1, resolved once by membw_init(). */
	void (*cpu_exit)(void *ctx, uint32_t cpu, void *priv); /* NULL: nothing to release */
	int (*rearm)(void *priv, uint32_t channel, uint64_t events); /* be->rearm, else be->arm */
	/* be->direct_reader; NULL: none, every read goes through membw::read */
	int (*direct_reader)(void *priv, uint32_t channel, struct membw_direct_reader *reader);
	/* be->read and be->arm copied here by membw_init(): one load per call instead of two. */
	int (*read)(void *priv, uint32_t channel, uint64_t *value);
	int (*arm)(void *priv, uint32_t channel, uint64_t events);
	struct membw_config cfg;
	struct membw_backend_info info;
	struct membw_env env;

	/* Shared between CPUs: atomics only, each group on its own cache line. */
	_Alignas(64) uint64_t offset_ns;          /* period e starts at offset + e * period */
	uint64_t mode;                            /* MODE_* word as last set */
	uint64_t changes;                         /* bumped after every control change */
	uint32_t nregulated;                      /* regulated online CPUs */
	_Alignas(64) uint64_t reclaim[MEMBW_NCHANNELS]; /* donated events (tagged) */
	_Alignas(64) uint64_t throttled;          /* regulated CPUs throttled this period (tagged) */
	uint64_t spare_epoch;                     /* spare release: epoch + 1, 0 for none */
};

static inline struct cpu *cpu_at(const struct membw *m, unsigned int cpu)
{
	return (struct cpu *)(void *)(m->cpu_base + (size_t)cpu * m->cpu_stride);
}

static inline bool cpu_bad(const struct membw *m, unsigned int cpu)
{
	return !m || m->magic != MEMBW_MAGIC || cpu >= m->ncpus;
}

/*
 * The entry points a running CPU calls (tick, overflow, kick, offline) check what their contract
 * names, NULL and the CPU range, and leave the magic number to the others: storage that
 * membw_init() never filled is still refused when it is zeroed (ncpus 0), as static storage is.
 */
static inline bool cpu_bad_hot(const struct membw *m, unsigned int cpu)
{
	return !m || cpu >= m->ncpus;
}

static inline uint64_t epoch_at(const struct membw *m, uint64_t now)
{
	return (now - load_relaxed((uint64_t *)&m->offset_ns)) / m->period_ns;
}

static inline uint64_t epoch_start(const struct membw *m, uint64_t epoch)
{
	return load_relaxed((uint64_t *)&m->offset_ns) + epoch * m->period_ns;
}

static inline void set_state(struct cpu *c, uint32_t state)
{
	store32_relaxed(&c->state, state);
}

static inline bool tracing(const struct membw *m)
{
	return m->env.trace != NULL;
}

/*
 * Copy @n bytes. Versioned output structs are filled up to the caller's size with this; a loop of
 * our own because the core links against no libc (built with -fno-tree-loop-distribute-patterns so
 * the compiler does not turn it back into a memcpy call).
 */
static inline void copy_bytes(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

/* lib/control.c: a consistent snapshot of a domain's rates and budget word; false if a setter
 * kept it busy throughout. */
bool domain_budget_read(const struct domain *d, uint64_t bps[MEMBW_NCHANNELS], uint64_t *word);

/* lib/trace.c: callers check tracing() first, so a run without a trace hook pays one test. */
void trace_period_end(const struct membw *m, const struct cpu *c, unsigned int ch, uint64_t now,
		      uint64_t used, uint64_t overshoot, uint64_t periods);
void trace_amount(const struct membw *m, const struct cpu *c, uint32_t type, unsigned int ch,
		  uint64_t now, uint64_t amount, uint32_t source, uint64_t shortfall);
void trace_state(const struct membw *m, const struct cpu *c, uint32_t type, unsigned int ch,
		 uint64_t now, uint64_t used, uint32_t source);
void trace_anomaly(const struct membw *m, const struct cpu *c, unsigned int ch, uint64_t now,
		   uint32_t kind, uint64_t detail);

/* lib/throttle.c */
int throttle_cpu(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted, uint64_t now);
int release_running(struct membw *m, struct cpu *c, uint64_t now);
void release_cpu(struct membw *m, struct cpu *c, uint64_t now, uint32_t reason);

/* lib/sharing.c */
void sharing_note_throttle(struct membw *m, struct cpu *c, uint64_t now, bool after_use);
void sharing_forget(struct membw *m, struct cpu *c);
void sharing_recheck(struct membw *m, struct cpu *c, uint64_t now);
/* Spare sharing released this CPU's period (and its budget is not zero). */
bool sharing_released(const struct membw *m, const struct cpu *c);

/* lib/period.c */
int period_close(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods);
int period_open(struct membw *m, struct cpu *c, uint64_t now);

#endif /* MEMBW_LIB_INTERNAL_H */
