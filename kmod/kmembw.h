/* SPDX-License-Identifier: MIT */
/*
 * membw.ko's runtime state: one policy instance, and per CPU the period timer, the perf counters,
 * the deferred-overflow and kick plumbing and the throttle thread. Kernel glue only: every
 * regulation decision is made by the lib/ policy core.
 *
 * Serialisation (the policy's rule: entry points for one CPU never run at once): every entry point
 * runs on its own CPU with interrupts disabled: the period timer and kicks in hard interrupt
 * context, overflows in the PMU interrupt or (when that is an NMI) in a hard irq_work, and
 * online/offline inside local_irq_disable().
 */
#ifndef KMEMBW_H
#define KMEMBW_H

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/smp.h>
#include <membw/membw.h>

#define KMEMBW_NAME "membw"

/* Bytes per event when the kernel cannot tell (x86 has no architectural line-size register the
 * kernel exposes to modules). ASSUMPTION: 64-byte lines, as on every x86 since the Pentium 4. */
#define KMEMBW_DEFAULT_LINE 64u

struct kmembw_cpu {
	struct hrtimer timer;         /* period timer, pinned to the CPU */
	struct irq_work overflow_work; /* membw_overflow() deferred out of NMI context */
	struct irq_work kick_self;    /* membw_kick() on the CPU that asked for the kick */
	call_single_data_t kick_csd;  /* membw_kick() on every other CPU */
	struct task_struct *thread;   /* throttle thread, SCHED_FIFO, bound to the CPU */
	struct perf_event *ev[MEMBW_NCHANNELS];
	struct perf_event *nudge[MEMBW_NCHANNELS]; /* qemu_nudge: see perf_backend.c */
	u64 next_tick_ns;             /* when the period timer is set to fire */
	u64 held_ns;                  /* time the throttle thread held the CPU (statistics) */
	u64 holds;                    /* times it started holding */
	u64 hold_wakeups;             /* wait-for-interrupt exits while holding (statistics) */
	/* Throttle-thread statistics (debugfs "threads"), written only on this CPU: */
	u64 throttles;                /* env.throttle calls that set the hold (decided) */
	u64 released_unheld;          /* holds released before the thread started holding */
	u64 empty_wakeups;            /* the thread woke and found no hold */
	u64 throttle_offset_ns;       /* sum over throttles of when in its period each was decided */
	u64 free_slices;              /* holds cut at the cap: hold_floor_us given to other tasks */
	u64 free_until_ns;            /* end of the current free slice (the thread's own) */
	struct hrtimer cap_timer;     /* interrupts a hold when it reaches the cap */
	u64 handler_ns;               /* time in the period timer and overflow handlers (bench) */
	u64 handler_calls;            /* number of those calls */
	u64 kicks;                    /* membw_kick() calls (sharing modes) */
	bool hold;                    /* the policy throttled the CPU: the thread must hold it */
	bool holding;                 /* the thread is holding (inside hold_cpu()) */
	bool cap_reached;             /* cap_timer fired: the current hold reached hold_cap_ns */
	bool online;                  /* between membw_cpu_online() and membw_cpu_offline() */
	unsigned int cpu;
	unsigned int in_handler;      /* bit per channel: that event's overflow handler is running */
};

struct kmembw {
	struct membw *m;
	void *storage;
	struct kmembw_cpu __percpu *pcpu;
	unsigned int ncpus;           /* nr_cpu_ids: CPU numbers the policy manages */
	unsigned int ndomains;        /* ncpus own domains, then ncpus shared groups */
	unsigned int nchannels;       /* 1, or 2 when a write-back event exists */
	u32 line_size;
	u64 period_ns;
	struct perf_event_attr attr[MEMBW_NCHANNELS];
	const char *event_name[MEMBW_NCHANNELS];
	bool hrtimer_event[MEMBW_NCHANNELS]; /* cpu-clock: see perf_backend.c */
	bool nudge;                   /* qemu_nudge module parameter */
	u64 hold_floor_ns;            /* hold_floor_us: time a hold leaves to other tasks, 0 = none */
	u64 hold_cap_ns;              /* longest hold without a free slice: period - floor, 0 = none */
	int hp_state;
	struct dentry *dir;
	struct mutex control_lock;    /* one control write at a time: validate all, then apply */
	bool stopping;                /* rmmod in progress: throttling is refused */
};

extern struct kmembw kmembw;
extern const struct membw_backend membw_kperf_backend;

/* events.c: resolve "cpu-cycles", "raw:0x11", "r11", "none" into a perf_event_attr. */
int kmembw_event_parse(const char *name, struct perf_event_attr *attr, bool *hrtimer_driven);

/* cpu.c */
int kmembw_cpu_up(unsigned int cpu);
int kmembw_cpu_down(unsigned int cpu);
void kmembw_kick_all(void *ctx, unsigned int from_cpu);
void kmembw_cpu_init_percpu(struct kmembw_cpu *pc, unsigned int cpu);

/* throttle.c */
int kmembw_throttle_start(struct kmembw_cpu *pc);
void kmembw_throttle_stop(struct kmembw_cpu *pc);
void kmembw_throttle(void *ctx, unsigned int cpu);
void kmembw_unthrottle(void *ctx, unsigned int cpu);
void kmembw_release_all(void);
int kmembw_throttle_supported(void);
void kmembw_throttle_debugfs(void);

/* control.c */
int kmembw_control_create(void);
void kmembw_control_remove(void);

#endif /* KMEMBW_H */
