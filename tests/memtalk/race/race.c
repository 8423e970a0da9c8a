/* SPDX-License-Identifier: MIT */
/*
 * memtalk under concurrency, built with ThreadSanitizer: three vCPUs of VM 0 and one of VM 1 call
 * the dispatcher at once while an administrator thread moves VM 0's cap up and down. Checked:
 * TSan finds no data race; every answer is OK, BUSY or (a request between the low and the high
 * cap) DENIED; no accepted SET_BUDGET is above the high cap (guests ask for up to twice it);
 * after each successful administrator change to the low cap, VM 0's budget stays <= the low cap
 * until the administrator's next change; when all is done each domain's budget is within the
 * cap its VM has then. How many calls met BUSY or DENIED depends on scheduling and is printed,
 * never asserted.
 *
 * Second case: two threads spin GET_BUDGET on VM 1 while the administrator calls
 * membw_memtalk_host_set_limits on it. Guest reads must not starve the administrator: each
 * change succeeds within ADMIN_TRIES tries. How many tries met -EAGAIN is printed.
 */
#include <membw/membw.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_backend.h"

#define NCPUS 4u
#define CALLS 20000
#define CAP_HIGH 640000000ull
#define CAP_LOW 320000000ull
#define ADMIN_CHANGES 200  /* administrator changes in the second case */
#define ADMIN_TRIES 1000   /* tries one change may take before the test calls it starved */

static struct membw *m;
static struct membw_memtalk_host *h;
static int failures;
static long busy, ok, denied, cap_changes, low_checks;
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
		/* 64 .. 1280 MB/s: above CAP_LOW is refused while the administrator has the cap
		 * low, above CAP_HIGH always */
		uint64_t bps = 64000000ull * (1 + (uint64_t)(rand_r(&v->seed) % 20));

		if (i & 1)
			membw_memtalk_encode_set_budget(&r, 0, bps, bps);
		else
			membw_memtalk_encode_get_budget(&r, 0, (unsigned int)i & 2 ? 1 : 0);
		if (membw_memtalk_host_dispatch(h, v->vm, &r, 0) != 0) {
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
		/* an accepted SET_BUDGET asked for bps: above the high cap it must have been refused */
		if ((i & 1) && r.r[0] == MEMBW_MEMTALK_OK && bps > CAP_HIGH) {
			fprintf(stderr, "FAIL memtalk race: SET_BUDGET of %llu B/s above the high cap "
				"%llu B/s accepted\n", (unsigned long long)bps, CAP_HIGH);
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		}
		if (!(i & 1) && r.r[0] == MEMBW_MEMTALK_OK && r.r[1] > CAP_HIGH) {
			fprintf(stderr, "FAIL memtalk race: GET_BUDGET answered %llu B/s, above the high "
				"cap\n", (unsigned long long)r.r[1]);
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		}
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

		uint64_t cap = i & 1 ? CAP_LOW : CAP_HIGH;

		l.cap_bps[0] = l.cap_bps[1] = cap;
		/* -EAGAIN while a guest call of VM 0 runs: fine, the next round tries again */
		if (membw_memtalk_host_set_limits(h, 0, &l) != 0)
			continue;
		__atomic_add_fetch(&cap_changes, 1, __ATOMIC_RELAXED);
		if (cap != CAP_LOW)
			continue;
		/* The cap is low until this thread changes it again: whatever the guests do in the
		 * meantime, the budget stays within it. */
		for (int k = 0; k < 50; k++) {
			int err, tries = 0;

			/* -EAGAIN: a guest's SET_BUDGET was writing meanwhile (documented); read again. */
			do
				err = membw_domain_get_budget(m, 0, &r, &w);
			while (err == -MEMBW_EAGAIN && ++tries < 1000000);
			if (err) {
				fprintf(stderr, "FAIL memtalk race: reading VM 0's budget: %d after %d "
					"tries\n", err, tries);
				__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
				break;
			}
			if (r > CAP_LOW || w > CAP_LOW) {
				fprintf(stderr, "FAIL memtalk race: VM 0's budget %llu/%llu B/s above the "
					"low cap %llu B/s it was given\n", (unsigned long long)r,
					(unsigned long long)w, CAP_LOW);
				__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
				break;
			}
			low_checks++;
		}
	}
	return NULL;
}

/* ---- second case: GET_BUDGET spinners against the administrator -------------------------- */

static int spin_stop;
static long spin_calls;
static long spin_progress; /* calls made so far, read by the administrator as they go */

static void *get_budget_spinner(void *arg)
{
	long calls = 0;

	(void)arg;
	pthread_barrier_wait(&start);
	while (!__atomic_load_n(&spin_stop, __ATOMIC_ACQUIRE)) {
		struct membw_memtalk_regs r;

		membw_memtalk_encode_get_budget(&r, 0, 0);
		if (membw_memtalk_host_dispatch(h, 1, &r, 0) != 0 ||
		    (r.r[0] != MEMBW_MEMTALK_OK && r.r[0] != (uint64_t)(int64_t)MEMBW_MEMTALK_BUSY))
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		calls++;
		__atomic_add_fetch(&spin_progress, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&spin_calls, calls, __ATOMIC_RELAXED);
	return NULL;
}

/* The administrator changes VM 1's cap ADMIN_CHANGES times; each change must succeed within
 * ADMIN_TRIES tries. Returns the number of -EAGAIN answers. */
static long admin_against_spinners(int *starved)
{
	struct membw_memtalk_vm_limits l = {.domain = 1, .cap_bps = {CAP_HIGH, CAP_HIGH}};
	long eagain = 0;

	pthread_barrier_wait(&start);
	*starved = 0;
	for (int i = 0; i < ADMIN_CHANGES; i++) {
		int tries, err = -MEMBW_EAGAIN;
		long seen = __atomic_load_n(&spin_progress, __ATOMIC_RELAXED);

		/* Each change only once the spinners have made calls since the last one, so that the
		 * case is a contest on a loaded machine too (bounded: a stuck spinner fails below). */
		for (long waits = 0; waits < 1000000 &&
		     __atomic_load_n(&spin_progress, __ATOMIC_RELAXED) < seen + 2; waits++)
			sched_yield();

		l.cap_bps[0] = l.cap_bps[1] = i & 1 ? CAP_LOW : CAP_HIGH;
		for (tries = 0; tries < ADMIN_TRIES && err == -MEMBW_EAGAIN; tries++) {
			err = membw_memtalk_host_set_limits(h, 1, &l);
			if (err == -MEMBW_EAGAIN)
				eagain++;
		}
		if (err != 0) {
			fprintf(stderr, "FAIL memtalk race: set_limits on VM 1 (change %d) still %d "
				"after %d tries while 2 threads spin GET_BUDGET on it\n", i, err,
				ADMIN_TRIES);
			(*starved)++;
		}
	}
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELEASE);
	return eagain;
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
	long eagain;
	int starved;

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

	/* Second case, on VM 1 alone. */
	pthread_barrier_init(&start, NULL, 3);
	pthread_create(&t[0], NULL, get_budget_spinner, NULL);
	pthread_create(&t[1], NULL, get_budget_spinner, NULL);
	eagain = admin_against_spinners(&starved);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&start);
	printf("NOTE memtalk race: %d set_limits changes on VM 1 against 2 GET_BUDGET spinners (%ld "
	       "calls): %ld tries answered -EAGAIN\n", ADMIN_CHANGES, spin_calls, eagain);
	if (spin_calls < 2L * ADMIN_CHANGES) {
		fprintf(stderr, "FAIL memtalk race: the GET_BUDGET spinners made %ld calls during %d "
			"administrator changes (at least %d wanted): not a contest\n", spin_calls,
			ADMIN_CHANGES, 2 * ADMIN_CHANGES);
		failures++;
	}
	if (starved) {
		fprintf(stderr, "FAIL memtalk race: %d of %d administrator changes starved by guest "
			"GET_BUDGET calls (more than %d tries each)\n", starved, ADMIN_CHANGES,
			ADMIN_TRIES);
		failures++;
	}

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
	       "%ld cap changes, %ld budget reads under the low cap; no data race, no budget above "
	       "the cap; every administrator change within %d tries against GET_BUDGET spinners\n",
	       4 * CALLS, ok, busy, denied, cap_changes, low_checks, ADMIN_TRIES);
	return 0;
}
