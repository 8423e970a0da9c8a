/* SPDX-License-Identifier: MIT */
/* The conformance suite's driver through the perf backend (contract in perf_driver.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf_driver.h"

#define OVERFLOW_SIGNAL (SIGRTMIN + 2)
/* Pages per exact count() (the full-range fact asks for 2^64 - 2: skipped). */
#define MAX_PAGES_PER_CALL (1u << 20)

struct command {
	uint64_t n;
	uint32_t level; /* 0: the workload as it is; MEMBW_COUNT_KERNEL: page faults the kernel takes */
};

/* The driver's state for the CPU under test. */
struct conf_worker {
	pid_t pid;
	int cmd_fd, ack_fd;
	enum workload_kind kind;
	uint64_t overflows;
	uint64_t raw_at_overflow;
	bool have_raw;
	struct perf_event_choice saved_event;
};

static struct conf_worker worker;
static struct perf_backend_ctx pctx;
static struct membw_backend observed;
static void *volatile observed_priv;
/* The calling thread's CPUs before perf_conf_start() moved it next to the worker. */
static cpu_set_t caller_cpus;
static bool caller_moved;
/* ... and its scheduling policy before it became real-time. */
static struct sched_param caller_param;
static int caller_policy = -1;

/* ---- the worker ---------------------------------------------------------------------------- */

/* Calls the kernel directly and is not instrumented (WORKLOAD_UNINSTRUMENTED): under the
 * sanitizers of the CUnit run, an interceptor's first touch of a shadow page would be a page
 * fault of the worker's own. */
WORKLOAD_UNINSTRUMENTED static void worker_loop(struct workload *w, int cmd, int ack)
{
	struct command c;
	uint64_t sure;
	bool ok;

	while (syscall(SYS_read, cmd, &c, sizeof(c)) == (long)sizeof(c)) {
		if (c.level == MEMBW_COUNT_KERNEL) {
			ok = workload_pages_by_kernel(w, c.n);
			sure = c.n;
		} else {
			sure = workload_run(w, c.n, &ok);
		}
		if (!ok)
			sure = ~(uint64_t)0;
		if (syscall(SYS_write, ack, &sure, sizeof(sure)) != (long)sizeof(sure))
			syscall(SYS_exit_group, 1);
	}
	syscall(SYS_exit_group, 0);
}

static int start_worker(int cpu, enum workload_kind kind, char *why, size_t len)
{
	struct workload w;
	int cmd[2], ack[2];
	struct command warm = { .n = 3 * 4096 };
	struct command warm_kernel = { .n = 4, .level = MEMBW_COUNT_KERNEL };
	uint64_t sure;
	cpu_set_t set;

	if (pipe(cmd) || pipe(ack)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	worker.pid = fork();
	if (worker.pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (worker.pid == 0) {
		CPU_ZERO(&set);
		if (cpu >= 0)
			CPU_SET(cpu, &set);
		if ((cpu >= 0 && sched_setaffinity(0, sizeof(set), &set)) || workload_init(&w, kind))
			_exit(1);
		close(cmd[1]);
		close(ack[0]);
		worker_loop(&w, cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	worker.cmd_fd = cmd[1];
	worker.ack_fd = ack[0];
	worker.kind = kind;
	/* One round before any counter exists: the worker's stack and code pages are in. */
	if (kind == WORKLOAD_NONE)
		return 0;
	if (write(worker.cmd_fd, &warm, sizeof(warm)) != (ssize_t)sizeof(warm) ||
	    read(worker.ack_fd, &sure, sizeof(sure)) != (ssize_t)sizeof(sure) ||
	    (kind == WORKLOAD_PAGES &&
	     (write(worker.cmd_fd, &warm_kernel, sizeof(warm_kernel)) != (ssize_t)sizeof(warm_kernel) ||
	      read(worker.ack_fd, &sure, sizeof(sure)) != (ssize_t)sizeof(sure)))) {
		snprintf(why, len, "the worker for CPU %d did not start (is the CPU usable by this "
			 "process's cpuset?)", cpu);
		return -1;
	}
	return 0;
}

static void stop_worker(void)
{
	int status;

	close(worker.cmd_fd);
	close(worker.ack_fd);
	waitpid(worker.pid, &status, 0);
}

static int run_worker(uint64_t n, uint32_t level, uint64_t *sure)
{
	struct command c = { .n = n, .level = level };

	if (write(worker.cmd_fd, &c, sizeof(c)) != (ssize_t)sizeof(c) ||
	    read(worker.ack_fd, sure, sizeof(*sure)) != (ssize_t)sizeof(*sure) || *sure == ~0ull)
		return -MEMBW_EIO;
	return 0;
}

/* ---- the driver hooks ---------------------------------------------------------------------- */

static int drv_count(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	uint64_t sure;

	(void)ctx;
	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || worker.kind != WORKLOAD_PAGES || n > MAX_PAGES_PER_CALL)
		return -MEMBW_EOPNOTSUPP;
	return run_worker(n, 0, &sure);
}

/* Page faults at a level: the worker's own writes (user mode) or the kernel's writes into the
 * worker's fresh pages (kernel mode). perf attributes a software event to the level of the
 * registers it was raised with, here the faulting context's (docs/conformance.md). */
static int drv_count_at(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint32_t level,
			uint64_t n)
{
	uint64_t sure;

	(void)ctx;
	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || worker.kind != WORKLOAD_PAGES || n > MAX_PAGES_PER_CALL ||
	    (level != MEMBW_COUNT_USER && level != MEMBW_COUNT_KERNEL))
		return -MEMBW_EOPNOTSUPP;
	return run_worker(n, level == MEMBW_COUNT_KERNEL ? MEMBW_COUNT_KERNEL : 0, &sure);
}

static int drv_count_about(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n,
			   uint64_t *sure)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || worker.kind == WORKLOAD_NONE)
		return -MEMBW_EOPNOTSUPP;
	return run_worker(n, 0, sure);
}

static uint64_t drv_overflows(void *ctx, unsigned int cpu, void *priv, unsigned int ch)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	(void)ch;
	return worker.overflows;
}

static int drv_overflow_raw(void *ctx, unsigned int cpu, void *priv, unsigned int ch,
			    uint64_t *raw)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || !worker.have_raw)
		return -MEMBW_ENOENT;
	*raw = worker.raw_at_overflow;
	return 0;
}

static void drv_set_absent(void *ctx, bool absent)
{
	(void)ctx;
	if (absent) {
		/* No PMU has this type number: perf_event_open answers ENOENT, as for a missing
		 * PMU. */
		worker.saved_event = pctx.event[0];
		pctx.event[0].attr.type = 0x7ffffff0u;
		pctx.event[0].software = false;
	} else {
		pctx.event[0] = worker.saved_event;
	}
}

/* The overflow "interrupt": the kernel's signal, taken while this thread waits for the worker. */
static void on_overflow_signal(int sig, siginfo_t *si, void *uc)
{
	void *priv = observed_priv;
	uint64_t raw;

	(void)sig;
	(void)uc;
	if (!priv || si->si_fd != perf_backend_fd(priv, MEMBW_CH_READ) ||
	    perf_backend_overflow_due(priv, MEMBW_CH_READ) != 1)
		return;
	worker.overflows++;
	if (!worker.have_raw && membw_perf_backend.read(priv, MEMBW_CH_READ, &raw) == 0) {
		worker.raw_at_overflow = raw;
		worker.have_raw = true;
	}
}

/* Each hook runs with the signal blocked, as the policy's entry points run with interrupts off. */
static void hold_signal(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, OVERFLOW_SIGNAL);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int obs_cpu_init(void *ctx, unsigned int cpu, void *priv,
			const struct membw_counter_setup *setup)
{
	int err;

	hold_signal(true);
	observed_priv = NULL;
	worker.overflows = 0;
	worker.have_raw = false;
	err = membw_perf_backend.cpu_init(ctx, cpu, priv, setup);
	observed_priv = err ? NULL : priv;
	hold_signal(false);
	return err;
}

static void obs_cpu_exit(void *ctx, uint32_t cpu, void *priv)
{
	hold_signal(true);
	observed_priv = NULL;
	membw_perf_backend.cpu_exit(ctx, cpu, priv);
	hold_signal(false);
}

static int obs_arm(void *priv, unsigned int ch, uint64_t n)
{
	int err;

	hold_signal(true);
	err = membw_perf_backend.arm(priv, ch, n);
	worker.have_raw = false;
	hold_signal(false);
	return err;
}

static int obs_read(void *priv, unsigned int ch, uint64_t *v)
{
	int err;

	hold_signal(true);
	err = membw_perf_backend.read(priv, ch, v);
	hold_signal(false);
	return err;
}

static void obs_stop(void *priv, unsigned int ch)
{
	hold_signal(true);
	membw_perf_backend.stop(priv, ch);
	hold_signal(false);
}

static bool has(const char *name, const char *part)
{
	return strcasestr(name, part) != NULL;
}

enum workload_kind perf_conf_kind(const struct perf_event_choice *e)
{
	const struct perf_event_attr *a = &e->attr;
	uint32_t midr;

	if (a->type == PERF_TYPE_SOFTWARE) {
		if (a->config == PERF_COUNT_SW_PAGE_FAULTS || a->config == PERF_COUNT_SW_PAGE_FAULTS_MIN)
			return WORKLOAD_PAGES;
		if (a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK)
			return WORKLOAD_TIME;
		return WORKLOAD_NONE;
	}
	if (a->type == PERF_TYPE_HARDWARE) {
		if (a->config == PERF_COUNT_HW_INSTRUCTIONS)
			return WORKLOAD_INSTRUCTIONS;
		if (a->config == PERF_COUNT_HW_CPU_CYCLES)
			return WORKLOAD_CYCLES;
		if (a->config == PERF_COUNT_HW_CACHE_MISSES || a->config == PERF_COUNT_HW_CACHE_REFERENCES)
			return WORKLOAD_STREAM;
		return WORKLOAD_NONE;
	}
	/* Arm's common event numbers (Arm ARM, PMU common events): 0x08 INST_RETIRED, 0x11
	 * CPU_CYCLES, whatever name they were given by. */
	if (a->type == PERF_TYPE_RAW && perf_running_midr(&midr) == 0) {
		if (a->config == 0x08)
			return WORKLOAD_INSTRUCTIONS;
		if (a->config == 0x11)
			return WORKLOAD_CYCLES;
	}
	if (has(e->name, "INST_RETIRED") || has(e->name, "INSTRUCTIONS"))
		return WORKLOAD_INSTRUCTIONS;
	if (has(e->name, "CPU_CYCLES") || has(e->name, "CPU_CLK_UNHALTED"))
		return WORKLOAD_CYCLES;
	if (perf_event_counts_memory(e->name, NULL) || has(e->name, "REFILL"))
		return WORKLOAD_STREAM;
	return WORKLOAD_NONE;
}

const char *perf_conf_kind_name(enum workload_kind k)
{
	static const char *const names[] = { "none", "page faults", "instructions", "cycles",
					     "time", "cache refills" };

	return names[k];
}

/* ---- setting it up --------------------------------------------------------------------------- */

int perf_conf_start(struct membw_conformance_driver *d, const char *name,
		    const struct perf_event_choice *ev, int cpu, enum workload_kind kind,
		    uint64_t skid, char *why, size_t len)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_overflow_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(OVERFLOW_SIGNAL, &sa, NULL);
	observed = membw_perf_backend;
	observed.cpu_init = obs_cpu_init;
	observed.cpu_exit = obs_cpu_exit;
	observed.arm = obs_arm;
	observed.read = obs_read;
	observed.stop = obs_stop;
	if (start_worker(cpu, kind, why, len))
		return -1;
	/* The thread that takes the overflow signals runs on the worker's CPU, so that the skid
	 * is the PMU's and the kernel's delivery on that CPU, not the wait for another CPU to
	 * notice (a regulator pins its handler to the regulated CPU for the same reason). */
	caller_moved = false;
	if (cpu >= 0 && sched_getaffinity(0, sizeof(caller_cpus), &caller_cpus) == 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		caller_moved = sched_setaffinity(0, sizeof(one), &one) == 0;
	}
	/* Real-time (SCHED_FIFO) where permitted, so that the signal's wake-up preempts the worker
	 * at once instead of waiting for the scheduler's next tick; otherwise the skid also holds
	 * that wait, which is what an unprivileged regulator would see too. */
	caller_policy = sched_getscheduler(0);
	if (caller_policy >= 0 && sched_getparam(0, &caller_param) == 0) {
		struct sched_param rt = { .sched_priority = 1 };

		if (sched_setscheduler(0, SCHED_FIFO, &rt))
			caller_policy = -1;
	} else {
		caller_policy = -1;
	}
	memset(&pctx, 0, sizeof(pctx));
	pctx.event[0] = *ev;
	pctx.pid = worker.pid;
	pctx.cpu = cpu;
	pctx.channels = 1;
	pctx.signal = OVERFLOW_SIGNAL;
	pctx.owner_tid = gettid();
	memset(d, 0, sizeof(*d));
	d->size = sizeof(*d);
	d->name = name;
	d->backend = &observed;
	d->backend_ctx = &pctx;
	d->ctx = &worker;
	d->overflows = drv_overflows;
	d->overflow_raw = drv_overflow_raw;
	d->set_absent = drv_set_absent;
	if (kind == WORKLOAD_PAGES) {
		d->count = drv_count;
		d->count_at = drv_count_at;
		d->skid_events = skid ? skid : 100;
		d->no_exact_why = "the worker makes at most 2^20 page faults per step";
		/* Exact counts need a signal per event. */
		pctx.sample_period = 1;
	} else {
		d->no_exact_why = kind == WORKLOAD_NONE
					  ? "membw conformance has no workload for this event"
					  : "a workload of ours cannot make exactly n of this event "
					    "(its own code between commands adds some)";
		d->no_level_why = "membw conformance makes events at a chosen level for page faults "
				  "only: a workload of this event at one level also runs code at "
				  "the other (the system calls around it), so it cannot be exact";
		d->skid_events = skid ? skid : 1000000;
		/* The kernel's overflow period is the skid measurement's n: the PMU interrupts
		 * at the n-th event after the fresh counter is enabled. */
		pctx.sample_period = d->skid_events;
	}
	if (kind != WORKLOAD_NONE)
		d->count_about = drv_count_about;
	return 0;
}

struct perf_backend_ctx *perf_conf_ctx(void)
{
	return &pctx;
}

void perf_conf_stop(void)
{
	stop_worker();
	if (caller_policy >= 0)
		sched_setscheduler(0, caller_policy, &caller_param);
	caller_policy = -1;
	if (caller_moved)
		sched_setaffinity(0, sizeof(caller_cpus), &caller_cpus);
	caller_moved = false;
}
