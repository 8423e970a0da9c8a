/* SPDX-License-Identifier: MIT */
/*
 * memtalk under concurrency, built with ThreadSanitizer: three vCPUs of VM 0 and one of VM 1 call
 * the dispatcher at once while an administrator thread moves VM 0's cap up and down. Checked:
 * TSan finds no data race; every answer is OK, BUSY or (a request between the low and the high
 * cap) DENIED; no accepted SET_BUDGET is above the high cap; when all is done each domain's
 * budget is within the cap its VM has then. How many calls met BUSY or DENIED depends on
 * scheduling and is printed, never asserted.
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
static long busy, ok, denied, cap_changes;
static int guests_done;
static pthread_barrier_t start;

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

	pthread_barrier_wait(&start);

	for (int i = 0; i < CALLS; i++) {
		struct membw_memtalk_regs r;
		/* 64 .. 640 MB/s: above CAP_LOW is refused while the administrator has the cap low */
		uint64_t bps = 64000000ull * (1 + (uint64_t)(rand_r(&v->seed) % 10));

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
		else if (r.r[0] == (uint64_t)(int64_t)MEMBW_MEMTALK_DENIED && (i & 1) && bps > CAP_LOW)
			__atomic_add_fetch(&denied, 1, __ATOMIC_RELAXED);
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
	pthread_barrier_wait(&start);
	for (int i = 0; !__atomic_load_n(&guests_done, __ATOMIC_ACQUIRE); i++) {
		uint64_t r, w;

		l.cap_bps[0] = l.cap_bps[1] = i & 1 ? CAP_LOW : CAP_HIGH;
		/* -EAGAIN while a guest call of VM 0 runs: fine, the next round tries again */
		if (membw_memtalk_host_set_limits(h, 0, &l) == 0)
			__atomic_add_fetch(&cap_changes, 1, __ATOMIC_RELAXED);
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
	pthread_barrier_init(&start, NULL, 5);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, guest, &v[i]);
	pthread_create(&t[4], NULL, admin, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&guests_done, 1, __ATOMIC_RELEASE);
	pthread_join(t[4], NULL);
	pthread_barrier_destroy(&start);
	for (unsigned int vm = 0; vm < 2; vm++) {
		struct membw_memtalk_vm_limits now;

		if (membw_memtalk_host_get_limits(h, vm, &now) ||
		    membw_domain_get_budget(m, now.domain, &r, &w) || r > now.cap_bps[0] ||
		    w > now.cap_bps[1])
			failures++;
	}
	free(pmem);
	free(hmem);
	if (failures) {
		fprintf(stderr, "FAIL memtalk race: %d wrong answers or budgets above the cap\n",
			failures);
		return 1;
	}
	printf("PASS memtalk race: %d calls from 4 vCPUs of 2 VMs, %ld OK, %ld BUSY, %ld DENIED; "
	       "%ld cap changes; no data race, no budget above the cap\n", 4 * CALLS, ok, busy,
	       denied, cap_changes);
	return 0;
}
