/* SPDX-License-Identifier: MIT */
/*
 * Cost of the policy's hot paths, membw_tick() and membw_overflow(), on a register-file backend
 * as cheap as a real PMU's (arm: one store, read: one load), so the numbers are the policy's.
 *
 * Workload per period: every CPU ticks (timed as two batches), then in rounds every CPU that is
 * not throttled is advanced to its arm point (untimed) and its overflow delivered (timed as a
 * batch). Even CPUs are heavy (they run into their budget, take more chunks, take back, borrow,
 * get throttled, so their tick also releases them); odd CPUs are light (a tenth of their budget,
 * so reclaim has donations to lend): their tick is the common path, a CPU that just runs on.
 *
 *   bench-policy                 timing table: median ns per call over the periods
 *   bench-policy --one C D R P   one configuration (C CPUs 1-4096, domains of D <= C, reclaim R
 *                                0 or 1, P periods 1-100000),
 *                                printing the number of calls, for instruction counting
 *                                under valgrind --tool=callgrind
 */
#include <membw/membw.h>
#include "bench_args.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#define PERIOD_NS 1000000ull
#define RATE_PER_CPU 64000000ull /* 1000 lines of 64 B per 1 ms */
#define MAX_ROUNDS 40
#define COUNTER_MASK 0xFFFFFFFFull /* 32-bit counters, as on PMUv3 without PMCR.LP */

/* The backend: one 32-bit "register" per CPU; wrap = overflow interrupt pending. */
struct reg {
	uint64_t value;
	bool pending;
};

static int reg_probe(void *ctx, struct membw_backend_info *info)
{
	(void)ctx;
	info->channels = 1;
	info->counter_bits = 32;
	info->line_size = 64;
	info->levels = MEMBW_COUNT_ALL;
	return 0;
}

static int reg_cpu_init(void *ctx, unsigned int cpu, void *priv,
			const struct membw_counter_setup *setup)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	(void)setup;
	return 0;
}

static int reg_arm(void *priv, unsigned int ch, uint64_t events)
{
	(void)ch;
	((struct reg *)priv)->value = (COUNTER_MASK + 1 - events) & COUNTER_MASK;
	return 0;
}

static int reg_read(void *priv, unsigned int ch, uint64_t *value)
{
	(void)ch;
	*value = ((struct reg *)priv)->value;
	return 0;
}

static void reg_stop(void *priv, unsigned int ch)
{
	(void)priv;
	(void)ch;
}

static const struct membw_backend reg_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "bench",
	.priv_size = sizeof(struct reg),
	.probe = reg_probe,
	.cpu_init = reg_cpu_init,
	.arm = reg_arm,
	.read = reg_read,
	.stop = reg_stop,
};

/* Count @n events on @cpu; returns true if the counter wrapped (overflow interrupt). */
static bool reg_count(struct membw *m, unsigned int cpu, uint64_t n)
{
	struct reg *r = membw_cpu_get_priv(m, cpu);
	bool wrapped = n > COUNTER_MASK - r->value;

	r->value = (r->value + n) & COUNTER_MASK;
	return wrapped;
}

static uint64_t reg_until_overflow(struct membw *m, unsigned int cpu)
{
	return COUNTER_MASK + 1 - ((struct reg *)membw_cpu_get_priv(m, cpu))->value;
}

struct run {
	unsigned int ncpus, dsize, reclaim, periods;
	struct membw *m;
	void *storage;
	unsigned char *throttled;
	unsigned long ticks_running, ticks_releasing, overflows;
	double *tick_ns, *release_ns, *overflow_ns; /* per period, ns per call */
	unsigned int ntick, nrelease, noverflow;
};

static void on_throttle(void *ctx, unsigned int cpu)
{
	((struct run *)ctx)->throttled[cpu] = 1;
}

static void on_unthrottle(void *ctx, unsigned int cpu)
{
	((struct run *)ctx)->throttled[cpu] = 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "bench-policy: %s: %s\n", what, membw_strerror(err));
	exit(1);
}

static void setup(struct run *r, struct membw_env *env)
{
	struct membw_config cfg;
	unsigned int ndomains = (r->ncpus + r->dsize - 1) / r->dsize, cpu, d;
	size_t size;
	int err;

	membw_config_init(&cfg);
	cfg.ncpus = r->ncpus;
	cfg.ndomains = ndomains;
	cfg.reclaim = r->reclaim;
	*env = (struct membw_env){ .size = sizeof(*env), .ctx = r, .throttle = on_throttle,
				   .unthrottle = on_unthrottle };
	size = membw_storage_size(cfg.ncpus, cfg.ndomains, reg_backend.priv_size);
	r->storage = aligned_alloc(MEMBW_STORAGE_ALIGN, (size + 63) & ~(size_t)63);
	r->throttled = calloc(r->ncpus, 1);
	r->tick_ns = calloc(r->periods, sizeof(double));
	r->release_ns = calloc(r->periods, sizeof(double));
	r->overflow_ns = calloc(r->periods * MAX_ROUNDS, sizeof(double));
	if (!r->storage || !r->throttled || !r->tick_ns || !r->release_ns || !r->overflow_ns)
		die("out of memory", -MEMBW_ENOSPC);
	err = membw_init(&r->m, r->storage, size, &cfg, &reg_backend, NULL, env);
	if (err)
		die("membw_init", err);
	for (d = 0; d < ndomains; d++) {
		err = membw_domain_set_budget(r->m, d, RATE_PER_CPU * r->dsize, MEMBW_UNLIMITED);
		if (err)
			die("membw_domain_set_budget", err);
	}
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		membw_cpu_set_domain(r->m, cpu, cpu / r->dsize);
		err = membw_cpu_online(r->m, cpu, 0, NULL);
		if (err)
			die("membw_cpu_online", err);
	}
}

/* Separate functions (noipa: not merged, not inlined) so callgrind tells the ticks apart. */
static __attribute__((noipa)) void tick_running(struct membw *m, unsigned int cpu, uint64_t t)
{
	membw_tick(m, cpu, t, NULL);
}

static __attribute__((noipa)) void tick_releasing(struct membw *m, unsigned int cpu,
						     uint64_t t)
{
	membw_tick(m, cpu, t, NULL);
}

static __attribute__((noipa)) void overflow_call(struct membw *m, unsigned int cpu, uint64_t t)
{
	membw_overflow(m, cpu, t);
}

static void run_periods(struct run *r)
{
	unsigned int p, cpu, round;

	for (p = 1; p <= r->periods; p++) {
		uint64_t t = p * PERIOD_NS;
		double start;
		unsigned int n;

		start = now_ns();
		for (cpu = 0; cpu < r->ncpus; cpu += 2)
			tick_releasing(r->m, cpu, t);
		r->release_ns[r->nrelease++] = (now_ns() - start) / ((r->ncpus + 1) / 2);
		r->ticks_releasing += (r->ncpus + 1) / 2;
		if (r->ncpus > 1) {
			start = now_ns();
			for (cpu = 1; cpu < r->ncpus; cpu += 2)
				tick_running(r->m, cpu, t);
			r->tick_ns[r->ntick++] = (now_ns() - start) / (r->ncpus / 2);
			r->ticks_running += r->ncpus / 2;
		}
		for (cpu = 1; cpu < r->ncpus; cpu += 2) /* light CPUs: a tenth of their budget */
			reg_count(r->m, cpu, 100);
		for (round = 0; round < MAX_ROUNDS; round++) {
			n = 0;
			for (cpu = 0; cpu < r->ncpus; cpu += 2) {
				if (r->throttled[cpu])
					continue;
				reg_count(r->m, cpu, reg_until_overflow(r->m, cpu));
				n++;
			}
			if (!n)
				break;
			start = now_ns();
			for (cpu = 0; cpu < r->ncpus; cpu += 2)
				if (!r->throttled[cpu])
					overflow_call(r->m, cpu, t + 500000);
			r->overflow_ns[r->noverflow++] = (now_ns() - start) / n;
			r->overflows += n;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void teardown(struct run *r)
{
	free(r->storage);
	free(r->throttled);
	free(r->tick_ns);
	free(r->release_ns);
	free(r->overflow_ns);
}

static void one(unsigned int ncpus, unsigned int dsize, unsigned int reclaim, unsigned int periods,
		bool table)
{
	struct run r = { .ncpus = ncpus, .dsize = dsize, .reclaim = reclaim, .periods = periods };
	struct membw_env env;

	setup(&r, &env);
	run_periods(&r);
	if (table)
		printf("%u %u %u %.1f %.1f %.1f\n", ncpus, dsize, reclaim,
		       median(r.tick_ns, r.ntick), median(r.release_ns, r.nrelease),
		       median(r.overflow_ns, r.noverflow));
	else
		printf("calls %lu %lu %lu\n", r.ticks_running, r.ticks_releasing, r.overflows);
	teardown(&r);
}

int main(int argc, char **argv)
{
	static const unsigned int cpus[] = { 1, 4, 64, 1024 }, dsizes[] = { 1, 8 };
	unsigned int i, j, rec;

	if (argc == 6 && !strcmp(argv[1], "--one")) {
		unsigned int ncpus = bench_arg("bench-policy", "CPUS", argv[2], 1, 4096);

		one(ncpus, bench_arg("bench-policy", "DOMAIN_SIZE", argv[3], 1, ncpus),
		    bench_arg("bench-policy", "RECLAIM (0 off, 1 on)", argv[4], 0, 1),
		    bench_arg("bench-policy", "PERIODS", argv[5], 1, 100000), false);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: bench-policy [--one CPUS DOMAIN_SIZE RECLAIM PERIODS]\n");
		return 2;
	}
	for (i = 0; i < 4; i++)
		for (j = 0; j < 2; j++)
			for (rec = 0; rec < 2; rec++)
				if (dsizes[j] <= cpus[i])
					one(cpus[i], dsizes[j], rec, cpus[i] >= 64 ? 200 : 2000, true);
	return 0;
}
