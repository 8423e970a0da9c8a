/* SPDX-License-Identifier: MIT */
/*
 * The installed perf backend (libmembw-perf.a, <membw/perf_backend.h>) opened on the kernel's
 * page-faults count of this thread, under the policy with a budget: the program touches 64 fresh
 * pages and the backend's count must have seen at least 64 faults.
 * Exit status: 0 counted; 1 wrong; 77 perf cannot count here (the reason on stderr).
 */
#define _GNU_SOURCE
#include <membw/membw.h>
#include <membw/perf_backend.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 64u

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[MEMBW_STORAGE_SIZE(1, 1, 512)];

static void hook(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(void)
{
	static const struct membw_env env = {
		.size = sizeof(struct membw_env), .throttle = hook, .unthrottle = hook,
	};
	static struct perf_backend_ctx pctx;
	struct membw_config cfg;
	struct membw *m;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t next, count = 0;
	unsigned char *p;
	sigset_t block;
	unsigned int i;
	int err;

	/* The overflow signal is queued, never delivered: blocked. */
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pctx.pid = gettid();
	pctx.cpu = -1;
	pctx.channels = 1;
	if (perf_event_resolve_channel("page-faults", MEMBW_CH_READ, &pctx.event[0], pctx.why,
				       sizeof(pctx.why))) {
		fprintf(stderr, "consumer-perf: event page-faults: %s\n", pctx.why);
		return 1;
	}
	pctx.sample_period = 1;
	pctx.signal = SIGRTMIN + 1;
	pctx.owner_tid = gettid();
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	cfg.levels = MEMBW_COUNT_USER;
	err = membw_init(&m, storage, sizeof(storage), &cfg, &membw_perf_backend, &pctx, &env);
	if (err) {
		fprintf(stderr, "consumer-perf: perf cannot count here: %s\n",
			pctx.why[0] ? pctx.why : membw_strerror(err));
		return 77;
	}
	err = membw_domain_set_budget(m, 0, 1000000000ull, MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(m, 0, 0);
	if (!err)
		err = membw_cpu_online(m, 0, now_ns(), &next);
	if (err) {
		fprintf(stderr, "consumer-perf: cannot start the counter: %s\n",
			pctx.why[0] ? pctx.why : membw_strerror(err));
		return 77;
	}
	p = mmap(NULL, PAGES * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, PAGES * (size_t)page, MADV_NOHUGEPAGE);
	for (i = 0; i < PAGES; i++)
		((volatile unsigned char *)p)[(size_t)i * (size_t)page] = 1;
	err = perf_backend_count(membw_cpu_get_priv(m, 0), MEMBW_CH_READ, &count);
	munmap(p, PAGES * (size_t)page);
	if (membw_cpu_offline(m, 0, now_ns()) || err || count < PAGES) {
		fprintf(stderr, "consumer-perf: FAIL: %u pages touched, the backend counted %llu "
			"page faults (read: %s)\n", PAGES, (unsigned long long)count,
			membw_strerror(err));
		return 1;
	}
	printf("consumer-perf: ok: %u pages touched, %llu page faults counted by %s\n", PAGES,
	       (unsigned long long)count, pctx.event[0].name);
	return 0;
}
