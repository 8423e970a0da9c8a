/* SPDX-License-Identifier: MIT */
/*
 * memtalk under concurrency, built with ThreadSanitizer: three vCPUs of VM 0 and one of VM 1 call
 * the dispatcher at once while an administrator thread moves VM 0's cap up and down. Checked:
 * TSan finds no data race; every answer is OK or BUSY (nothing else is possible for these
 * well-formed calls within the caps); an accepted SET_BUDGET never exceeds the cap in force
 * at any time of the run; VM 1's budget is only ever what VM 1 set. How many calls met BUSY
 * depends on scheduling and is printed, never asserted.
 */
#include <membw/membw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_backend.h"

#define NCPUS 4u
#define CALLS 20000
#define CAP_HIGH 640000000ull
#define CAP_LOW 320000000ull

static struct membw *m;
static struct membw_memtalk_host *h;
static int failures;
static long busy, ok;

static void nothing(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
}

struct vcpu {
	unsigned int vm;
	unsigned int seed;
};

static void *guest(void *arg)
{
	struct vcpu *v = arg;
	long my_busy = 0, my_ok = 0;

	for (int i = 0; i < CALLS; i++) {
		struct membw_memtalk_regs r;
		/* at most CAP_LOW, so it is within the cap whatever the administrator did */
		uint64_t bps = 64000000ull * (1 + (uint64_t)(rand_r(&v->seed) % 5));

		if (i & 1)
			membw_memtalk_encode_set_budget(&r, 0, bps, bps);
		else
			membw_memtalk_encode_get_budget(&r, 0, (unsigned int)i & 2 ? 1 : 0);
		if (membw_memtalk_dispatch(h, v->vm, &r, 0) != 0) {
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (r.r[0] == (uint64_t)(int64_t)MEMBW_MEMTALK_BUSY)
			my_busy++;
		else if (r.r[0] == MEMBW_MEMTALK_OK)
			my_ok++;
		else
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		if ((i & 1) && r.r[0] == MEMBW_MEMTALK_OK && r.r[1] > CAP_HIGH)
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&busy, my_busy, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ok, my_ok, __ATOMIC_RELAXED);
	return NULL;
}

static void *admin(void *arg)
{
	struct membw_memtalk_vm_limits l = {.domain = 0, .cap_bps = {CAP_HIGH, CAP_HIGH}};

	(void)arg;
	for (int i = 0; i < CALLS / 10; i++) {
		uint64_t r, w;

		l.cap_bps[0] = l.cap_bps[1] = i & 1 ? CAP_LOW : CAP_HIGH;
		membw_memtalk_host_set_limits(h, 0, &l); /* -EAGAIN while a guest call runs: fine */
		if (membw_domain_get_budget(m, 0, &r, &w) == 0 && (r > CAP_HIGH || w > CAP_HIGH))
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

int main(void)
{
	static struct tb tb;
	static struct membw_memtalk_vm_limits lim[2] = {
		{.domain = 0, .cap_bps = {CAP_HIGH, CAP_HIGH}},
		{.domain = 1, .cap_bps = {CAP_HIGH, CAP_HIGH}},
	};
	struct membw_memtalk_host_config hc = {.size = sizeof(hc), .nvms = 2, .burst = 1};
	struct membw_env env = {.size = sizeof(env), .throttle = nothing, .unthrottle = nothing};
	struct membw_config cfg;
	struct vcpu v[4] = {{0, 1}, {0, 2}, {0, 3}, {1, 4}};
	pthread_t t[5];
	size_t psize;
	void *pmem, *hmem;
	uint64_t r, w;

	tb_defaults(&tb);
	membw_config_init(&cfg);
	cfg.ncpus = NCPUS;
	cfg.ndomains = 2;
	psize = membw_storage_size(NCPUS, 2, tb_backend.priv_size);
	pmem = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(psize));
	hmem = aligned_alloc(MEMBW_MEMTALK_ALIGN, membw_memtalk_host_size(2));
	if (!pmem || !hmem || membw_init(&m, pmem, psize, &cfg, &tb_backend, &tb, &env) ||
	    membw_domain_set_budget(m, 0, CAP_LOW, CAP_LOW) ||
	    membw_domain_set_budget(m, 1, CAP_LOW, CAP_LOW) ||
	    membw_memtalk_host_init(&h, hmem, membw_memtalk_host_size(2), m, &hc, lim)) {
		fprintf(stderr, "FAIL memtalk race: setup\n");
		return 1;
	}
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, guest, &v[i]);
	pthread_create(&t[4], NULL, admin, NULL);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	if (membw_domain_get_budget(m, 0, &r, &w) || r > CAP_HIGH || w > CAP_HIGH)
		failures++;
	free(pmem);
	free(hmem);
	if (failures) {
		fprintf(stderr, "FAIL memtalk race: %d wrong answers or budgets above the cap\n",
			failures);
		return 1;
	}
	printf("PASS memtalk race: %d calls from 4 vCPUs of 2 VMs, %ld OK, %ld BUSY, "
	       "no data race, no budget above the cap\n", 4 * CALLS, ok, busy);
	return 0;
}
