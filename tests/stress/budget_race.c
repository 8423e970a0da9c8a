/* SPDX-License-Identifier: MIT */
/*
 * Two threads set one domain's budget over and over while a third reads it back: every snapshot
 * (membw_domain_get_stats, membw_domain_get_budget) must show rates and events from the same call,
 * and a setter that collides with the other gets -MEMBW_EAGAIN, never a mix. Run under
 * ThreadSanitizer by `make check`.
 */
#include <membw/membw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_backend.h"

#define ROUNDS 200000

static struct membw *m;
static struct tb tb;
static atomic_int stop;
static atomic_long sets_ok, sets_busy, reads, bad;

static void nop(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
}

static void *setter(void *arg)
{
	uint64_t rate = (uint64_t)(uintptr_t)arg;
	int i, err;

	for (i = 0; i < ROUNDS; i++) {
		err = membw_domain_set_budget(m, 0, rate + (uint64_t)(i % 7) * 64000, rate);
		if (err == 0)
			atomic_fetch_add(&sets_ok, 1);
		else if (err == -MEMBW_EAGAIN)
			atomic_fetch_add(&sets_busy, 1);
		else
			atomic_fetch_add(&bad, 1);
	}
	return NULL;
}

static void *reader(void *arg)
{
	struct membw_domain_stats s;
	uint64_t events, r, w;

	(void)arg;
	while (!atomic_load(&stop)) {
		s.size = sizeof(s);
		if (membw_domain_get_stats(m, 0, &s) == 0 && s.budget_bps[1] != MEMBW_UNLIMITED) {
			if (membw_bps_to_events(s.budget_bps[0], 1000000, 64, &events) ||
			    events != s.budget_events[0] || s.budget_bps[1] % 64000000 != 0) {
				if (atomic_fetch_add(&bad, 1) < 3)
					fprintf(stderr, "FAIL budget race: rates %llu/%llu B/s with"
						" %llu lines\n", (unsigned long long)s.budget_bps[0],
						(unsigned long long)s.budget_bps[1],
						(unsigned long long)s.budget_events[0]);
			}
			atomic_fetch_add(&reads, 1);
		}
		/* both rates of one call: read = write + (i % 7) * 64000, write a multiple of 64 MB/s
		 * (before the first set: both unlimited) */
		if (membw_domain_get_budget(m, 0, &r, &w) == 0 && w != MEMBW_UNLIMITED &&
		    (r < w || r - w > 6 * 64000 || (r - w) % 64000 != 0))
			atomic_fetch_add(&bad, 1);
	}
	return NULL;
}

int main(void)
{
	static _Alignas(64) unsigned char storage[MEMBW_STORAGE_SIZE(1, 1, sizeof(struct tb_cpu))];
	struct membw_env env = { .size = sizeof(env), .throttle = nop, .unthrottle = nop };
	struct membw_config cfg;
	pthread_t t[3];

	tb_defaults(&tb);
	membw_config_init(&cfg);
	cfg.ndomains = 1;
	if (membw_init(&m, storage, sizeof(storage), &cfg, &tb_backend, &tb, &env))
		return 2;
	pthread_create(&t[2], NULL, reader, NULL);
	pthread_create(&t[0], NULL, setter, (void *)(uintptr_t)64000000);
	pthread_create(&t[1], NULL, setter, (void *)(uintptr_t)128000000);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	atomic_store(&stop, 1);
	pthread_join(t[2], NULL);
	printf("%s budget race: %ld sets, %ld refused busy, %ld snapshots read, %ld inconsistent\n",
	       atomic_load(&bad) ? "FAIL" : "PASS", atomic_load(&sets_ok), atomic_load(&sets_busy),
	       atomic_load(&reads), atomic_load(&bad));
	return atomic_load(&bad) ? 1 : 0;
}
