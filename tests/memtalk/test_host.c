/* SPDX-License-Identifier: MIT */
/*
 * Host side: every refusal path of the dispatcher answers its documented status and leaves the
 * host storage and the policy storage byte-identical; host setup validates its inputs; the
 * rate limit follows GCRA; calls outside memtalk are left to the hypervisor.
 *
 * Rate-limit goldens, from the definition of GCRA (the "virtual scheduling" form of the generic
 * cell rate algorithm, ITU-T I.371) as docs/memtalk.md states it: with interval T and tolerance
 * tau = (burst - 1) * T, a call at t is accepted iff TAT <= t + tau, and then
 * TAT = max(TAT, t) + T; starting from TAT = 0.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "world.h"

#define FID(n) ((uint64_t)MEMBW_MEMTALK_FID(0, n))
#define ST(x) ((uint64_t)(int64_t)(x))

static struct membw_memtalk_regs call(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3,
				      uint64_t r4)
{
	struct membw_memtalk_regs regs = {{r0, r1, r2, r3, r4}};

	return regs;
}

/*
 * Dispatch @regs as @vm and check that it was answered with @status, that r1..r3 are 0 (a refusal
 * carries nothing else, except where the caller checks), that r4 was kept, and that nothing
 * changed in the host or the policy.
 */
static void expect_refusal(unsigned int vm, struct membw_memtalk_regs regs, int64_t status,
			   const char *what)
{
	struct snapshot s = snapshot_take();
	uint64_t r4 = regs.r[4];

	CU_ASSERT_EQUAL_FATAL(dispatch(vm, &regs), 0);
	CHECK((int64_t)regs.r[0] == status, "%s", what);
	CU_ASSERT(regs.r[1] == 0 && regs.r[2] == 0 && regs.r[3] == 0);
	CU_ASSERT_EQUAL(regs.r[4], r4); /* r4 is never written */
	CU_ASSERT(snapshot_same(s)); /* host and policy storage byte-identical */
}

static void test_malformed_calls_refused(void)
{
	const uint64_t v1 = MEMBW_MEMTALK_CTL_V1;

	world_start(0, 0, 1);
	expect_refusal(0, call(FID(4), v1, 0, 0, 0), MEMBW_MEMTALK_NOT_SUPPORTED,
		       "function 4 in the window is unknown");
	expect_refusal(0, call(FID(15), v1, 0, 0, 0), MEMBW_MEMTALK_NOT_SUPPORTED,
		       "function 15, last of the window, is unknown");
	expect_refusal(0, call(FID(0), 0, 0, 0, 1), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "VERSION with r4 set");
	expect_refusal(0, call(FID(0), 1, 0, 0, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "VERSION with r1 set");
	expect_refusal(0, call(FID(1), v1 | 0x100, 100000000, 100000000, 0),
		       MEMBW_MEMTALK_INVALID_PARAMETER, "control word bit 8 is reserved");
	expect_refusal(0, call(FID(1), v1, 100000000, 100000000, 1), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "SET_BUDGET with r4 set");
	expect_refusal(0, call(FID(2), v1, 2, 0, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "GET_BUDGET channel 2");
	expect_refusal(0, call(FID(2), v1, 0, 1, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "GET_BUDGET with r3 set");
	expect_refusal(0, call(FID(3), v1, 4, 0, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "GET_STATS page 4");
	expect_refusal(0, call(FID(3), v1, UINT64_MAX, 0, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		       "GET_STATS page 2^64-1");
	world_stop();
}

static void test_wrong_version_refused(void)
{
	struct membw_memtalk_regs regs = call(FID(1), 2, 100000000, 100000000, 0);
	struct snapshot s;

	world_start(0, 0, 1);
	s = snapshot_take();
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_BAD_VERSION));
	CU_ASSERT_EQUAL(regs.r[1], 0x10000); /* the host's version word: 1.0 */
	CU_ASSERT(snapshot_same(s));
	regs = call(FID(2), 0, 0, 0, 0); /* version 0 */
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_BAD_VERSION));
	world_stop();
}

static void test_limits_refused(void)
{
	const uint64_t v1 = MEMBW_MEMTALK_CTL_V1;

	world_start(0, 0, 1);
	expect_refusal(0, call(FID(1), v1, CAP0_READ + 1, CAP0_WRITE, 0), MEMBW_MEMTALK_DENIED,
		       "read one byte/s above the cap");
	expect_refusal(0, call(FID(1), v1, CAP0_READ, CAP0_WRITE + 1, 0), MEMBW_MEMTALK_DENIED,
		       "write one byte/s above the cap");
	expect_refusal(0, call(FID(1), v1, MEMBW_UNLIMITED, CAP0_WRITE, 0), MEMBW_MEMTALK_DENIED,
		       "unlimited read under a finite cap");
	expect_refusal(0, call(FID(1), v1, FLOOR0_READ - 1, CAP0_WRITE, 0), MEMBW_MEMTALK_DENIED,
		       "read one byte/s below the floor");
	expect_refusal(2, call(FID(1), v1, 100000000, 100000000, 0), MEMBW_MEMTALK_DENIED,
		       "a VM without a domain sets nothing");
	expect_refusal(2, call(FID(3), v1, 0, 0, 0), MEMBW_MEMTALK_DENIED,
		       "a VM without a domain reads no statistics");
	/* 1000 B/s at 1 ms and 64-byte lines is floor(1000 * 1e-3 / 64) = 0 lines: not 0, yet
	 * under one line per period (policy.h, membw_bps_to_events) */
	expect_refusal(1, call(FID(1), v1, 1000, MEMBW_UNLIMITED, 0), MEMBW_MEMTALK_RANGE,
		       "less than one line per period");
	/* (2^32 - 1) lines * 64 B * 1000 periods/s = 274877906880000 B/s: one line more than
	 * MEMBW_MAX_EVENTS_PER_PERIOD (2^32 - 2, types.h), the counter's reach */
	expect_refusal(1, call(FID(1), v1, 274877906880000ull, MEMBW_UNLIMITED, 0),
		       MEMBW_MEMTALK_RANGE, "beyond the counter width");
	world_stop();
}

static void test_largest_enforceable_rate_accepted(void)
{
	/* (2^32 - 2) lines * 64 * 1000 = 274877906816000 B/s converts to exactly the maximum */
	struct membw_memtalk_regs regs =
		call(FID(1), MEMBW_MEMTALK_CTL_V1, 274877906816000ull, MEMBW_UNLIMITED, 0);

	world_start(0, 0, 1);
	CU_ASSERT_EQUAL(dispatch(1, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK));
	CU_ASSERT_EQUAL(regs.r[1], 274877906816000ull); /* granted read */
	CU_ASSERT_EQUAL(regs.r[2], MEMBW_UNLIMITED);    /* granted write */
	world_stop();
}

/* Interval 1 ms, burst 2: tau = 1 ms. Calls at t0, t0: accepted (TAT t0+1ms, t0+2ms). A third at
 * t0: TAT - t0 = 2 ms > tau, refused; it may come when TAT <= t + tau, t = t0 + 1 ms: wait 1 ms. */
static void test_rate_limit(void)
{
	struct membw_memtalk_regs regs;
	struct snapshot s;
	uint64_t t0;

	world_start(0, 1000000, 2);
	t0 = w.now;
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* first of the burst */
	regs = call(FID(3), MEMBW_MEMTALK_CTL_V1, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* second: a stats snapshot costs too */
	s = snapshot_take();
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RATE_LIMITED)); /* third at t0 */
	CU_ASSERT_EQUAL(regs.r[1], 1000000);                        /* wait 1 ms */
	CU_ASSERT(snapshot_same(s));
	regs = call(FID(2), MEMBW_MEMTALK_CTL_V1, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* GET_BUDGET costs nothing */
	regs = call(FID(3), MEMBW_MEMTALK_CTL_V1, 2, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* nor a page of the snapshot */
	regs = call(FID(0), 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* nor VERSION */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(1, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* another VM has its own bucket */
	w.now = t0 + 999999;
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[1], 1); /* 1 ns early: wait 1 ns */
	w.now = t0 + 1000000;
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* at t0 + 1 ms: accepted */
	w.now = t0 + 1000000; /* TAT is t0 + 3 ms now: the next waits until t0 + 2 ms */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[1], 1000000);
	w.now = t0 - 5; /* the clock went back: no credit */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 200000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RATE_LIMITED));
	world_stop();
}

static void test_foreign_ids_left_to_hypervisor(void)
{
	struct membw_memtalk_regs regs, before;

	world_start(0, 0, 1);
	/* PSCI_VERSION (0x84000000, standard service), KVM_FEATURES (0x86000000, documented),
	 * the Call UID query, and function 16 (just past memtalk's window) */
	const uint64_t foreign[] = {0x84000000u, 0x86000000u, 0x8600FF01u, FID(16), 0xC600FF01u,
				    0x46000001u /* yielding call */};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		regs = call(foreign[i], 1, 2, 3, 4);
		before = regs;
		CU_ASSERT_EQUAL(dispatch(0, &regs), -MEMBW_ENOENT);
		CU_ASSERT(memcmp(&regs, &before, sizeof(regs)) == 0); /* untouched */
	}
	regs = call(FID(0), 0, 0, 0, 0);
	before = regs;
	CU_ASSERT_EQUAL(membw_memtalk_host_dispatch(w.h, NVMS, &regs, w.now), -MEMBW_EINVAL);
	CU_ASSERT(memcmp(&regs, &before, sizeof(regs)) == 0); /* bad VM id: untouched */
	CU_ASSERT_EQUAL(membw_memtalk_host_dispatch(NULL, 0, &regs, w.now), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_host_dispatch(w.h, 0, NULL, w.now), -MEMBW_EINVAL);
	world_stop();
}

/*
 * SMCCC (Arm DEN0028): the function ID is the 32-bit W0, so X0 bits 63:32 never change which
 * function is called; a fast call with bits 23:17 set is no function of the range: memtalk leaves
 * it to the range's owner, and answers NOT_SUPPORTED (-1) when it owns the range.
 */
static void test_smccc_function_id_rule(void)
{
	struct membw_memtalk_regs regs, before;

	world_start(0, 0, 1);
	regs = call(FID(0) | (0xFFFFFFFFull << 32), 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CHECK(regs.r[0] == ST(MEMBW_MEMTALK_OK) && regs.r[2] == MEMBW_MEMTALK_MAGIC,
	      "VERSION with X0[63:32] set answers OK (status %lld)", (long long)regs.r[0]);
	regs = call(FID(2) | (1ull << 32), MEMBW_MEMTALK_CTL_V1, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CHECK(regs.r[0] == ST(MEMBW_MEMTALK_OK), "GET_BUDGET with X0 bit 32 set answers OK");
	for (unsigned int bit = 17; bit <= 23; bit++) {
		regs = call(FID(1) | (1u << bit), MEMBW_MEMTALK_CTL_V1, 1, 1, 0);
		before = regs;
		CHECK(dispatch(0, &regs) == -MEMBW_ENOENT, "bit %u set: left to the range's owner", bit);
		CU_ASSERT(memcmp(&regs, &before, sizeof(regs)) == 0);
	}
	world_stop();
	world_start(MEMBW_MEMTALK_HOST_OWNS_RANGE, 0, 1);
	for (unsigned int bit = 17; bit <= 23; bit++)
		expect_refusal(0, call(FID(1) | (1u << bit) | (1ull << 40), MEMBW_MEMTALK_CTL_V1, 1, 1, 0),
			       MEMBW_MEMTALK_NOT_SUPPORTED, "owner: bits 23:17 set is NOT_SUPPORTED");
	regs = call(0x8600FF01ull | (1ull << 32), 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CHECK(regs.r[0] == MEMBW_MEMTALK_UID_0, "Call UID with X0[63:32] set answers the UID");
	world_stop();
}

/* GET_STATS page @page of VM 0: r1..r3 into @v. */
static void stats_page(uint64_t page, uint64_t v[3])
{
	struct membw_memtalk_regs regs = call(FID(3), MEMBW_MEMTALK_CTL_V1, page, 0, 0);

	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK));
	memcpy(v, &regs.r[1], 3 * sizeof(uint64_t));
}

/*
 * A new tenant in a reused VM slot sees nothing of the previous one: pages 1-3 answer 0 until its
 * first snapshot, and its totals count from the reset (golden: lines counted after it times the
 * test backend's 64-byte line).
 */
static void test_new_tenant_sees_nothing_before(void)
{
	uint64_t v[3];

	world_start(0, 0, 1);
	CU_ASSERT_EQUAL(fx_count(&w.f, 0, MEMBW_CH_READ, 1000), 0); /* old tenant: 64000 bytes */
	CU_ASSERT_EQUAL(fx_next_period(&w.f), 0);
	stats_page(0, v);
	stats_page(MEMBW_MEMTALK_STATS_READ, v);
	CU_ASSERT_EQUAL(v[0], 1000 * 64);
	CU_ASSERT_EQUAL(membw_memtalk_host_reset_vm(w.h, 0), 0);
	stats_page(MEMBW_MEMTALK_STATS_READ, v);
	CHECK(v[0] == 0 && v[1] == 0 && v[2] == 0,
	      "new tenant reads the old tenant's page 2: %llu bytes used",
	      (unsigned long long)v[0]);
	CU_ASSERT_EQUAL(fx_count(&w.f, 0, MEMBW_CH_READ, 10), 0); /* new tenant: 640 bytes */
	CU_ASSERT_EQUAL(fx_next_period(&w.f), 0);
	stats_page(0, v);
	CU_ASSERT_EQUAL(v[0], 1); /* its first snapshot */
	stats_page(MEMBW_MEMTALK_STATS_READ, v);
	CHECK(v[0] == 10 * 64, "new tenant's read bytes: %llu, expected 640 (10 lines)",
	      (unsigned long long)v[0]);
	CU_ASSERT_EQUAL(membw_memtalk_host_reset_vm(w.h, NVMS), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_host_reset_vm(NULL, 0), -MEMBW_EINVAL);
	world_stop();
}

static void test_owner_answers_range_queries(void)
{
	struct membw_memtalk_regs regs;

	world_start(MEMBW_MEMTALK_HOST_OWNS_RANGE, 0, 1);
	regs = call(0x8600FF01u, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT(regs.r[0] == MEMBW_MEMTALK_UID_0 && regs.r[1] == MEMBW_MEMTALK_UID_1 &&
		  regs.r[2] == MEMBW_MEMTALK_UID_2 && regs.r[3] == MEMBW_MEMTALK_UID_3);
	regs = call(0x8601FF01u, 0, 0, 0, 0); /* SMCCC v1.3 SVE hint (bit 16) is ignored */
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], MEMBW_MEMTALK_UID_0);
	regs = call(0x8600FF03u, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT(regs.r[0] == 1 && regs.r[1] == 0); /* revision 1.0 */
	expect_refusal(0, call(0x86000000u, 0, 0, 0, 0), MEMBW_MEMTALK_NOT_SUPPORTED,
		       "an owner answers other vendor-hyp IDs with NOT_SUPPORTED");
	regs = call(0x84000000u, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), -MEMBW_ENOENT); /* other ranges are not ours */
	world_stop();
}

/* ---- host setup ---- */

static int init_with(struct membw_memtalk_host_config cfg, struct membw_memtalk_vm_limits *lim,
		     size_t size)
{
	struct membw_memtalk_host *h = (struct membw_memtalk_host *)0x1;
	unsigned char *before = malloc(w.storage_size);
	int err;

	memcpy(before, w.storage, w.storage_size);
	err = membw_memtalk_host_init(&h, w.storage, size, w.f.m, &cfg, lim);
	if (err) {
		CU_ASSERT(h == (struct membw_memtalk_host *)0x1); /* *out unchanged on error */
		CU_ASSERT(memcmp(before, w.storage, w.storage_size) == 0); /* storage unchanged */
	}
	free(before);
	return err;
}

static void test_host_init_validates(void)
{
	struct membw_memtalk_host_config c;
	struct membw_memtalk_vm_limits l[NVMS];

	world_start(0, 0, 1);
	memcpy(l, w.lim, sizeof(l));
	c = w.cfg;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size - 1), -MEMBW_ENOSPC);
	c.size = 4;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* size too small */
	c = w.cfg;
	c.flags = 2;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* unknown flag */
	c = w.cfg;
	c.burst = 0;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* burst 0 */
	c = w.cfg;
	c.base = MEMBW_MEMTALK_BASE_MAX + 1;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* window past 0xFF00 */
	c = w.cfg;
	l[1].domain = 0;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* two VMs, one domain */
	l[1].domain = 3;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* no domain 3 */
	memcpy(l, w.lim, sizeof(l));
	l[0].floor_bps[0] = CAP0_READ + 1;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* floor above cap */
	memcpy(l, w.lim, sizeof(l));
	l[0].cap_bps[0] = CAP0_READ - 1;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_ERANGE); /* budget above cap */
	memcpy(l, w.lim, sizeof(l));
	l[1].cap_bps[0] = 1000; /* 0 lines per period: unenforceable */
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_ERANGE);
	memcpy(l, w.lim, sizeof(l));
	l[2].reserved = 1;
	CU_ASSERT_EQUAL(init_with(c, l, w.storage_size), -MEMBW_EINVAL); /* reserved field */
	CU_ASSERT_EQUAL(membw_memtalk_host_size(0), 0);
	CU_ASSERT_EQUAL(membw_memtalk_host_size(MEMBW_MEMTALK_MAX_VMS + 1), 0);
	world_stop();
}

/* Lowering a cap lowers a budget above it; a refused change changes nothing. */
static void test_set_limits(void)
{
	struct membw_memtalk_vm_limits l, got;
	uint64_t r = 0, wr = 0;
	struct snapshot s;

	world_start(0, 0, 1);
	l = w.lim[0];
	l.cap_bps[0] = 64000000; /* 1000 lines */
	CU_ASSERT_EQUAL(membw_memtalk_host_set_limits(w.h, 0, &l), 0);
	CU_ASSERT_EQUAL(membw_domain_get_budget(w.f.m, 0, &r, &wr), 0);
	CU_ASSERT_EQUAL(r, 64000000);   /* read lowered to the new cap */
	CU_ASSERT_EQUAL(wr, CAP0_WRITE); /* write was within its cap: kept */
	CU_ASSERT_EQUAL(membw_memtalk_host_get_limits(w.h, 0, &got), 0);
	CU_ASSERT_EQUAL(got.cap_bps[0], 64000000);
	s = snapshot_take();
	l.domain = 1;
	CU_ASSERT_EQUAL(membw_memtalk_host_set_limits(w.h, 0, &l), -MEMBW_EINVAL); /* VM 1's */
	l = w.lim[0];
	l.floor_bps[1] = CAP0_WRITE + 1;
	CU_ASSERT_EQUAL(membw_memtalk_host_set_limits(w.h, 0, &l), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_host_set_limits(w.h, NVMS, &l), -MEMBW_EINVAL);
	CU_ASSERT(snapshot_same(s));
	world_stop();
}

/* A guest that set its budget below a floor the administrator then raises is lifted to the floor:
 * the budget in force always lies in [floor, cap]. */
static void test_set_limits_raises_to_floor(void)
{
	struct membw_memtalk_vm_limits l;
	struct membw_memtalk_regs regs;
	uint64_t r = 1, wr = 1;

	world_start(0, 0, 1);
	l = w.lim[0];
	l.floor_bps[0] = 0;
	l.floor_bps[1] = 0;
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_host_set_limits(w.h, 0, &l), 0);
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 0, 0, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* the guest holds itself at 0 */
	l.floor_bps[0] = 64000000; /* the administrator lets it out: 1000 lines per period */
	CU_ASSERT_EQUAL(membw_memtalk_host_set_limits(w.h, 0, &l), 0);
	CU_ASSERT_EQUAL(membw_domain_get_budget(w.f.m, 0, &r, &wr), 0);
	CU_ASSERT_EQUAL(r, 64000000); /* read raised to the new floor */
	CU_ASSERT_EQUAL(wr, 0);       /* write: floor still 0, kept */
	world_stop();
}

/*
 * Goldens for the clock's edges, from the GCRA bound: an allowed call leaves TAT at most
 * tolerance + interval ahead of the clock (here 0 + 1 ms). A TAT more than twice that ahead means
 * the clock went back a long way: the limit restarts from the new clock (the VM is not locked out
 * until the clock catches up). Near the end of the 64-bit clock TAT could wrap: calls there are
 * refused, waiting one interval.
 */
static void test_rate_limit_clock_edges(void)
{
	struct membw_memtalk_regs regs;
	struct snapshot s;

	world_start(0, 1000000, 1);
	w.now = 1000000000000ull; /* 1000 s */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* TAT = 1000 s + 1 ms */
	w.now = 1000000; /* the clock went back by almost 1000 s: the limit restarts */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* TAT = 2 ms */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RATE_LIMITED)); /* and applies again */
	CU_ASSERT_EQUAL(regs.r[1], 1000000);
	w.now = 500000; /* back by 0.5 ms, within the bound (TAT 1.5 ms ahead): no credit */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RATE_LIMITED));
	CU_ASSERT_EQUAL(regs.r[1], 1500000);
	w.now = UINT64_MAX - 5; /* the end of the clock */
	s = snapshot_take();
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 100000000, 100000000, 0);
	CU_ASSERT_EQUAL(dispatch(0, &regs), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RATE_LIMITED));
	CU_ASSERT_EQUAL(regs.r[1], 1000000);
	CU_ASSERT(snapshot_same(s));
	world_stop();
}

/* A backend with one channel (reads only) cannot enforce a finite write budget: the policy says
 * -EOPNOTSUPP and the guest gets RANGE, with nothing changed. */
static void test_write_budget_without_write_counter(void)
{
	struct fx f;
	struct membw_memtalk_vm_limits l = {.domain = 0,
					    .cap_bps = {CAP0_READ, MEMBW_UNLIMITED}};
	struct membw_memtalk_host_config c = {.size = sizeof(c), .nvms = 1, .burst = 1};
	struct membw_memtalk_host *h;
	struct membw_memtalk_regs regs;
	size_t size = membw_memtalk_host_size(1), psize;
	void *mem = aligned_alloc(MEMBW_MEMTALK_ALIGN, size);
	unsigned char *pbefore, *hbefore;

	fx_config(&f, 1, 1);
	f.tb.channels = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	psize = membw_storage_size(1, 1, tb_backend.priv_size);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, CAP0_READ, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_host_init(&h, mem, size, f.m, &c, &l), 0);
	pbefore = malloc(psize);
	hbefore = malloc(size);
	memcpy(pbefore, f.storage, psize);
	memcpy(hbefore, mem, size);
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 64000000, 64000000, 0);
	CU_ASSERT_EQUAL(membw_memtalk_host_dispatch(h, 0, &regs, 0), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_RANGE)); /* finite write, one channel */
	CU_ASSERT(memcmp(pbefore, f.storage, psize) == 0);    /* policy unchanged */
	CU_ASSERT(memcmp(hbefore, mem, size) == 0);           /* host unchanged */
	regs = call(FID(1), MEMBW_MEMTALK_CTL_V1, 64000000, MEMBW_UNLIMITED, 0);
	CU_ASSERT_EQUAL(membw_memtalk_host_dispatch(h, 0, &regs, 0), 0);
	CU_ASSERT_EQUAL(regs.r[0], ST(MEMBW_MEMTALK_OK)); /* unlimited write is what it can do */
	free(pbefore);
	free(hbefore);
	free(mem);
	fx_stop(&f);
}

static const struct named_test tests[] = {
	{"write budget without a write counter", test_write_budget_without_write_counter},
	{"malformed calls refused, nothing changed", test_malformed_calls_refused},
	{"wrong version refused", test_wrong_version_refused},
	{"limits refused, nothing changed", test_limits_refused},
	{"largest enforceable rate accepted", test_largest_enforceable_rate_accepted},
	{"rate limit (GCRA)", test_rate_limit},
	{"foreign IDs left to the hypervisor", test_foreign_ids_left_to_hypervisor},
	{"new tenant sees nothing of the slot's last", test_new_tenant_sees_nothing_before},
	{"SMCCC function-ID rule (W0; bits 23:17)", test_smccc_function_id_rule},
	{"range owner answers SMCCC queries", test_owner_answers_range_queries},
	{"host init validates", test_host_init_validates},
	{"set limits", test_set_limits},
	{"set limits raises the budget to a new floor", test_set_limits_raises_to_floor},
	{"rate limit at the clock's edges", test_rate_limit_clock_edges},
};

int suite_host(void);
int suite_host(void)
{
	return add_suite("memtalk host", tests, sizeof(tests) / sizeof(tests[0]));
}
