/* SPDX-License-Identifier: MIT */
/*
 * Skeleton: libmembw in a Linux program, regulating one of its own threads with the perf
 * backend (backends/perf/perf_backend.h). The main thread is the runtime: it waits for the next
 * period tick or the counter's overflow signal and hands each to the policy; the worker thread is
 * the regulated work, and it honours the throttle at every step of its loop (cooperative: a
 * runtime for other people's programs stops them instead, as `membw run` does with the cgroup
 * freezer, tools/membw/run/).
 *
 * Event: page faults (a software event every kernel has, PMU or not; one event = one fresh page
 * touched), so the budget is in pages. On a machine with a PMU, name a memory event instead:
 * `user cache-misses`, or a raw code.
 *
 * Exit status: 0 regulated (the worker was throttled); 1 an error; 77 perf cannot count here
 * (perf_event_paranoid, a container), with the reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <membw/membw.h>

#include "perf_backend.h"

#define OVERFLOW_SIGNAL (SIGRTMIN + 1)
#define RUN_NS 300000000ull      /* regulate for 0.3 s */
#define BUDGET "40MB/s"          /* about 10 fresh 4 KiB pages per 1 ms period */
#define CHUNK_BYTES (4u << 20)   /* the worker maps, touches and unmaps 4 MiB at a time */

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[MEMBW_STORAGE_SIZE(1, 1, 512)];
static struct membw *m;
static struct perf_backend_ctx pctx;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;
static bool throttled, stopping;
static pid_t worker_tid;
static unsigned long long pages_touched;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The policy's hooks, called from the runtime thread. */
static void throttle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
	pthread_mutex_lock(&lock);
	throttled = true;
	pthread_mutex_unlock(&lock);
}

static void unthrottle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
	pthread_mutex_lock(&lock);
	throttled = false;
	pthread_cond_broadcast(&released);
	pthread_mutex_unlock(&lock);
}

/* The regulated work: touch fresh pages, waiting whenever the policy says so. */
static void *worker(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	bool go = true;

	(void)arg;
	__atomic_store_n(&worker_tid, gettid(), __ATOMIC_RELEASE);
	while (go) {
		unsigned char *p = mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t off;

		if (p == MAP_FAILED)
			break;
		/* One fault per page: no transparent huge page (one fault for 2 MiB). */
		madvise(p, CHUNK_BYTES, MADV_NOHUGEPAGE);
		for (off = 0; off < CHUNK_BYTES && go; off += (size_t)page) {
			pthread_mutex_lock(&lock);
			while (throttled && !stopping)
				pthread_cond_wait(&released, &lock);
			go = !stopping;
			pthread_mutex_unlock(&lock);
			p[off] = 1;
			__atomic_add_fetch(&pages_touched, 1, __ATOMIC_RELAXED);
		}
		munmap(p, CHUNK_BYTES);
	}
	return NULL;
}

static int start(const char *event)
{
	static const struct membw_env env = {
		.size = sizeof(struct membw_env), .throttle = throttle, .unthrottle = unthrottle,
	};
	struct membw_config cfg;
	uint64_t bps;
	int err;

	pctx.pid = __atomic_load_n(&worker_tid, __ATOMIC_ACQUIRE);
	pctx.cpu = -1;
	pctx.channels = 1;
	err = perf_event_resolve_channel(event, MEMBW_CH_READ, &pctx.event[0], pctx.why,
					 sizeof(pctx.why));
	if (err) {
		fprintf(stderr, "user: event %s: %s\n", event, pctx.why);
		return 1;
	}
	pctx.sample_period = 1;              /* signal at every event: the arm point is exact */
	pctx.signal = OVERFLOW_SIGNAL;
	pctx.owner_tid = gettid();
	membw_config_init(&cfg);
	cfg.ncpus = 1;                       /* "CPU 0" is the worker thread */
	cfg.ndomains = 1;
	cfg.levels = MEMBW_COUNT_USER;       /* what an unprivileged process may count */
	err = membw_init(&m, storage, sizeof(storage), &cfg, &membw_perf_backend, &pctx, &env);
	if (err) {
		fprintf(stderr, "user: perf cannot count here: %s\n",
			pctx.why[0] ? pctx.why : membw_strerror(err));
		return 77;
	}
	err = membw_parse_rate(BUDGET, &bps, NULL);
	if (!err)
		err = membw_domain_set_budget(m, 0, bps, MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(m, 0, 0);
	if (err) {
		fprintf(stderr, "user: budget %s: %s\n", BUDGET, membw_strerror(err));
		return 1;
	}
	return 0;
}

/* The runtime loop: ticks at the times the policy asks for, overflow signals in between. */
static int regulate(uint64_t until)
{
	uint64_t next, now = now_ns();
	sigset_t wait_set;
	siginfo_t si;
	int err;

	err = membw_cpu_online(m, 0, now, &next);
	if (err) {
		fprintf(stderr, "user: cannot start the counter: %s\n",
			pctx.why[0] ? pctx.why : membw_strerror(err));
		return 77;
	}
	sigemptyset(&wait_set);
	sigaddset(&wait_set, OVERFLOW_SIGNAL);
	while ((now = now_ns()) < until && !err) {
		if (now >= next) {
			err = membw_tick(m, 0, now, &next);
			continue;
		}
		struct timespec left = { .tv_sec = (time_t)((next - now) / 1000000000ull),
					 .tv_nsec = (long)((next - now) % 1000000000ull) };
		if (sigtimedwait(&wait_set, &si, &left) == OVERFLOW_SIGNAL &&
		    perf_backend_overflow_due(membw_cpu_get_priv(m, 0), MEMBW_CH_READ) == 1)
			err = membw_overflow(m, 0, now_ns());
	}
	if (err)
		fprintf(stderr, "user: policy: %s\n", membw_strerror(err));
	/* Stop the work before going offline, which releases a throttled worker. */
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&released);
	pthread_mutex_unlock(&lock);
	return membw_cpu_offline(m, 0, now_ns()) || err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct membw_cpu_stats st = { .size = sizeof(st) };
	uint64_t t0, elapsed;
	pthread_t thread;
	sigset_t block;
	int status;

	/* The runtime must run as soon as a tick or an overflow is due, however loaded the machine:
	 * a real-time priority if allowed (root or CAP_SYS_NICE), else it shares the CPU and the
	 * worker overshoots while the runtime waits for its turn. */
	struct sched_param sp = { .sched_priority = 1 };
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		fprintf(stderr, "user: no real-time priority: ticks may come late on a busy machine\n");
	/* The worker (created below) gets the ordinary policy back. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
	sp.sched_priority = 0;
	pthread_attr_setschedparam(&attr, &sp);
	/* The overflow signal is taken with sigtimedwait: blocked in every thread. */
	sigemptyset(&block);
	sigaddset(&block, OVERFLOW_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	throttled = true;                    /* the worker waits until regulation starts */
	if (pthread_create(&thread, &attr, worker, NULL)) {
		fprintf(stderr, "user: cannot start the worker thread\n");
		return 1;
	}
	while (!__atomic_load_n(&worker_tid, __ATOMIC_ACQUIRE))
		sched_yield();
	status = start(argc > 1 ? argv[1] : "page-faults");
	unthrottle(NULL, 0);
	t0 = now_ns();
	if (!status)
		status = regulate(t0 + RUN_NS);
	elapsed = now_ns() - t0;
	pthread_mutex_lock(&lock);
	stopping = true;                     /* also when regulation never started */
	pthread_cond_broadcast(&released);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	if (status)
		return status;
	membw_cpu_get_stats(m, 0, &st);
	printf("user: %s budget, %llu pages touched in %llu ms (%llu MB/s), throttled in %llu of "
	       "%llu periods\n", BUDGET, pages_touched, (unsigned long long)(elapsed / 1000000u),
	       (unsigned long long)(pages_touched * (uint64_t)sysconf(_SC_PAGESIZE) * 1000u /
				    (elapsed ? elapsed : 1)),
	       (unsigned long long)st.totals.throttle_count, (unsigned long long)st.totals.periods);
	return st.totals.throttle_count ? 0 : 1;
}
