/* SPDX-License-Identifier: MIT */
/*
 * The Linux perf_event counter backend: one perf_event_open(2) counter per channel, counting a
 * task (and, inherited, everything it starts) or one CPU.
 *
 * Counting model (include/membw/backend.h). The kernel's counter is 64 bits and never preset, so
 * the backend emulates the w-bit raw counter the policy expects (emulated_counter.h): arm(n)
 * remembers the kernel count c0 and n; read() returns (c - c0 - n) mod 2^64, which is 2^64 - n + k
 * after k events. rearm(n) takes the count its last read() saw as c0 instead, so nothing counted
 * between that read and the rearm is lost: the kernel count is never reset or preset, only
 * remembered, so there is no window at all in the count. The notification is as late as for arm
 * (below): if the arm point was passed already, the next overflow signal reports it.
 *
 * Overflow notification. Each counter is a sampling event whose kernel sample period is fixed at
 * creation (ctx->sample_period) and never changed, because PERF_EVENT_IOC_PERIOD changes only the
 * counter it is called on, not the copies inherited by children and threads (kernel/events/core.c,
 * _perf_ioctl: IOC_PERIOD is not applied with perf_event_for_each_child, unlike ENABLE, DISABLE
 * and RESET). Every sample_period events of any task the kernel queues ctx->signal to
 * ctx->owner_tid (F_SETOWN_EX + F_SETSIG + O_ASYNC; inherited counters signal through the
 * parent's file, perf_event_fasync()). The runtime reads those signals from a signalfd -- no
 * handler, no polling -- and calls perf_backend_overflow_due() to learn whether the emulated
 * counter has reached its arm point.
 *
 * Exactness: with sample_period 1 the arm point is seen at the n-th event (plus the time the
 * signal takes to be read). With a period g > 1, each task's counter signals every g of its own
 * events, so the arm point is seen up to (g - 1) events late per running task. The kernel may
 * also hold back overflows when they come faster than kernel.perf_event_max_sample_rate allows
 * (perf "throttling", lowered automatically under kernel.perf_cpu_time_max_percent): the count
 * stays exact, only the notification is late. MEMBW_CAP_LATE_OVERFLOW is therefore reported.
 */
#ifndef MEMBW_PERF_BACKEND_H
#define MEMBW_PERF_BACKEND_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <membw/membw.h>

#include "emulated_counter.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest event name or reason kept for messages. */
#define PERF_NAME_MAX 128
#define PERF_WHY_MAX 512

/* One resolved event: what perf_event_open needs, and what a person reads. */
struct perf_event_choice {
	struct perf_event_attr attr; /* type, config, config1, config2 (the rest set by the backend) */
	char name[PERF_NAME_MAX];    /* as resolved, e.g. "perf::PERF_COUNT_SW_PAGE_FAULTS" */
	uint32_t line_size;          /* bytes one event stands for */
	bool software;               /* PERF_TYPE_SOFTWARE: no PMU needed */
	/* A caveat to show before counting, "" if none (e.g. "the armv8 table is the generic
	 * fallback for this core: ..."). */
	char note[PERF_WHY_MAX];
};

/* The backend_ctx handed to membw_init(): what to count and where to signal. */
struct perf_backend_ctx {
	pid_t pid;          /* task to count (and its descendants if inherit), or -1 */
	int cpu;            /* CPU to count with pid == -1, or -1 with a task */
	bool inherit;       /* count children and threads created after the counter is opened */
	uint32_t channels;  /* 1 or 2 */
	struct perf_event_choice event[MEMBW_NCHANNELS];
	uint64_t sample_period; /* kernel overflow period, events; >= 1 */
	int signal;         /* signal queued on overflow (a real-time one, so si_fd is exact) */
	pid_t owner_tid;    /* thread that receives it */
	/* Out: the reason of the last failure, for messages ("" if none). */
	char why[PERF_WHY_MAX];
};

/* Private state per policy CPU. */
struct perf_cpu_priv {
	int fd[MEMBW_NCHANNELS];          /* perf fd + 1 (0: none), so zeroed state has no fd */
	struct emulated_counter ec[MEMBW_NCHANNELS]; /* the raw counter (emulated_counter.h) */
	uint64_t frozen[MEMBW_NCHANNELS]; /* raw value kept while stopped */
	bool running[MEMBW_NCHANNELS];
	bool raised[MEMBW_NCHANNELS];     /* the arm point was reported once already */
};

/* The emulated counters are this wide. */
#define PERF_COUNTER_BITS 64u

extern const struct membw_backend membw_perf_backend;

/*
 * Has @channel reached the arm point since the last arm, for the first time? Reads the counter.
 * Returns 1 (report an overflow: call membw_overflow), 0 (not yet, or reported already), or a
 * negative error.
 */
int perf_backend_overflow_due(void *priv, unsigned int channel);

/* The perf fd of @channel, or -1. For matching si_fd of an overflow signal. */
int perf_backend_fd(const void *priv, unsigned int channel);

/* Kernel count of @channel (64 bits, since the counter was opened). 0 or -MEMBW_EIO. */
int perf_backend_count(const void *priv, unsigned int channel, uint64_t *count);

/*
 * Event names. Resolve @name into @out, trying in this order (README.md, "Events"):
 *  1. a raw code, "r01b7" or "0x1b7" (PERF_TYPE_RAW; the syntax is no event's name);
 *  2. "default": the default memory event of channel @channel (0 reads, 1 write-backs), or
 *     "default-read" / "default-write" whatever @channel: on arm64 the running core's armv8
 *     table (read_event / write_event), elsewhere the kernel's generic cache-misses for reads
 *     and none for write-backs;
 *  3. "armv8::NAME": the running core's armv8 table only;
 *  4. libpfm4: a perf tool name ("page-faults", "cycles") or a libpfm4 name ("INST_RETIRED",
 *     "perf::PERF_COUNT_SW_PAGE_FAULTS", "arm_a57::L2D_CACHE_REFILL");
 *  5. on arm64 (the running core's MIDR is readable), its armv8 table (backends/armv8/events.h);
 *     on x86-64, the Intel table of the running CPU (backends/x86/events.h; "x86::NAME" asks
 *     for it only, and "default" uses it; refused on a CPU that is not Intel).
 * 0, -MEMBW_ENOENT (unknown: @why says so and names `membw events`) or -MEMBW_EINVAL.
 * On success @out->note may hold a caveat to show (generic table, no table here, ...).
 */
int perf_event_resolve_channel(const char *name, unsigned int channel,
			       struct perf_event_choice *out, char *why, size_t whylen);

/* perf_event_resolve_channel() for channel 0 (reads). */
int perf_event_resolve(const char *name, struct perf_event_choice *out, char *why, size_t whylen);

/*
 * Steps 2, 3 and 5 above for a core whose MIDR_EL1 reads @midr: @name ("default", "armv8::NAME"
 * or an Arm mnemonic, any case) through armv8_core_lookup(@midr)'s table, into a PERF_TYPE_RAW
 * choice whose config is the event number. perf_event_resolve_channel() passes the running
 * core's MIDR (perf_running_midr()); tests pass a made-up one: this parameter is the one way a
 * test picks the core. 0, -MEMBW_ENOENT (no such event in that table, or no default write-back
 * event: @why says so) or -MEMBW_EINVAL.
 */
int perf_armv8_resolve(const char *name, unsigned int channel, uint32_t midr,
		       struct perf_event_choice *out, char *why, size_t whylen);

/* An x86 CPU as CPUID tells it (perf_running_x86()); tests make one up. */
struct perf_x86_cpu {
	uint32_t intel;     /* 1: vendor GenuineIntel */
	uint32_t family;    /* display family (CPUID.01H, the SDM's rule) */
	uint32_t model;     /* display model */
	uint32_t stepping;
	char vendor[13];    /* CPUID.00H vendor string, e.g. "AuthenticAMD" */
};

/*
 * Steps 2 and 5 for an x86 CPU @cpu: @name ("default", "x86::NAME" or an Intel name, any case)
 * through x86_core_lookup()'s table (backends/x86/events.h), into PERF_TYPE_RAW with config
 * `event | umask << 8`. On a CPU that is not GenuineIntel a table name or "default" is refused
 * (no Intel table applies; @why says what to use instead). 0, -MEMBW_ENOENT or -MEMBW_EINVAL.
 */
int perf_x86_resolve(const char *name, unsigned int channel, const struct perf_x86_cpu *cpu,
		     struct perf_event_choice *out, char *why, size_t whylen);

/* The running CPU by CPUID (x86-64 builds). 0, or -MEMBW_ENODEV when this is not x86-64. */
int perf_running_x86(struct perf_x86_cpu *cpu);

/*
 * MIDR_EL1 of CPU 0 as the arm64 kernel exports it
 * (/sys/devices/system/cpu/cpu0/regs/identification/midr_el1). 0, or -MEMBW_ENODEV when the file
 * is not there (not arm64, or a kernel without it).
 */
int perf_running_midr(uint32_t *midr);

/* Is this hardware there? 0, or -MEMBW_ENODEV with the reason in @why. */
int perf_hardware_pmu_present(char *why, size_t whylen);

/* Can @choice be opened for the calling task with @levels? 0 or a -MEMBW_ error, @why set. */
int perf_event_try_open(const struct perf_event_choice *choice, uint32_t levels, char *why,
			size_t whylen);

/* Does this event name (or its description) count memory traffic (cache-line moves to DRAM)? */
bool perf_event_counts_memory(const char *name, const char *desc);

/* Bytes one event of a software fault event stands for: the base page size. */
uint32_t perf_page_size(void);

/* The line size of the data caches (sysfs, else 64 with an ASSUMPTION note in the source). */
uint32_t perf_cache_line_size(void);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_PERF_BACKEND_H */
