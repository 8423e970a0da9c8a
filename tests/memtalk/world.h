/* SPDX-License-Identifier: MIT */
/*
 * The memtalk test world: a policy on the test backend (4 CPUs, 3 domains, 1 ms periods, 64-byte
 * lines), a memtalk host serving 3 VMs, and a call hook that plays the hypervisor's trap: it
 * dispatches the call as VM `w.vm` at time `w.now`, and answers SMCCC NOT_SUPPORTED (-1) itself
 * for anything the dispatcher does not take, as a hypervisor must.
 *
 *   VM 0: domain 0 (CPUs 0, 1); read cap 640 MB/s, floor 6.4 MB/s; write cap 320 MB/s, floor 0.
 *   VM 1: domain 1 (CPU 2); caps unlimited, floors 0.
 *   VM 2: no domain (not regulated).
 *   Domain 2 (CPU 3) belongs to no VM.
 * At 1 ms and 64-byte lines (budget = floor(bps * 10^-3 / 64) lines, policy.h):
 *   640 MB/s = 10000 lines, 320 MB/s = 5000 lines, 6.4 MB/s = 100 lines.
 */
#ifndef MEMBW_TEST_MEMTALK_WORLD_H
#define MEMBW_TEST_MEMTALK_WORLD_H

#include <membw/membw.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>

#include "fixture.h"

#define CAP0_READ 640000000ull
#define CAP0_WRITE 320000000ull
#define FLOOR0_READ 6400000ull
#define NVMS 3u

struct world {
	struct fx f;
	struct membw_memtalk_host *h;
	void *storage;
	size_t storage_size;
	size_t policy_size;
	struct membw_memtalk_host_config cfg;
	struct membw_memtalk_vm_limits lim[NVMS];
	unsigned int vm;  /* the VM the hook calls as */
	uint64_t now;     /* the time the hook passes */
	int calls;        /* hook calls */
	int last_dispatch; /* membw_memtalk_host_dispatch()'s result in the last hook call */
};

extern struct world w;

/* Build the world with host flags @flags and rate limit @interval_ns / @burst (asserts). */
void world_start(uint32_t flags, uint64_t interval_ns, uint32_t burst);
void world_stop(void);

/* The call hook (a membw_memtalk_call_fn). */
void world_call(struct membw_memtalk_regs *regs);

/* A copy of the host storage and the policy storage, to prove a refused call changed nothing. */
struct snapshot {
	unsigned char *host;
	unsigned char *policy;
};
struct snapshot snapshot_take(void);
/* Are both storages byte-identical to @s? Frees @s. */
bool snapshot_same(struct snapshot s);

/* Dispatch @regs as VM @vm at w.now; returns the dispatcher's result. */
int dispatch(unsigned int vm, struct membw_memtalk_regs *regs);

/* Register a suite of named tests; 0, or -1 if CUnit could not. */
struct named_test {
	const char *name;
	void (*fn)(void);
};
int add_suite(const char *name, const struct named_test *tests, size_t n);

#endif
