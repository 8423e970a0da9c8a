/* SPDX-License-Identifier: MIT */
/*
 * The perf backend's rearm on a real kernel counter: the software event page-faults of this
 * process (this host has no hardware PMU: `perf stat -e instructions` says <not supported>), one
 * event per fresh page touched. After a read, K pages are touched, then the channel is re-armed:
 * with rearm the K faults count toward the new arm point (the raw value is 2^64 - n + K, give or
 * take faults of the test itself), with arm they are lost (2^64 - n). The exact arithmetic is
 * tested in test_emulated_counter.c; here, that the backend wires it to the kernel's count.
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "cunit_run.h"
#include "perf_backend.h"

#define PAGES 32u
/* Faults the test itself may take between the read and the last read (stack, CUnit): bound. */
#define SLACK 16u

static struct perf_backend_ctx ctx;
static struct perf_cpu_priv priv;
static bool opened;

/* Touch @n fresh pages: n page faults. */
static void touch_fresh_pages(unsigned int n)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, (size_t)page * n, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int i;

	if (p == MAP_FAILED)
		return;
	for (i = 0; i < n; i++)
		p[(long)i * page] = 1;
	munmap((void *)p, (size_t)page * n);
}

static int open_counter(void)
{
	struct membw_backend_info info = { .size = sizeof(info) };
	struct membw_counter_setup setup = { .size = sizeof(setup), .levels = MEMBW_COUNT_USER };
	char why[PERF_WHY_MAX];

	memset(&ctx, 0, sizeof(ctx));
	memset(&priv, 0, sizeof(priv));
	if (perf_event_resolve("page-faults", &ctx.event[0], why, sizeof(why)))
		return -1;
	ctx.pid = 0;
	ctx.cpu = -1;
	ctx.channels = 1;
	ctx.sample_period = 1u << 20; /* no signal is routed (ctx.signal 0) */
	if (membw_perf_backend.probe(&ctx, &info) ||
	    membw_perf_backend.cpu_init(&ctx, 0, &priv, &setup))
		return -1;
	opened = true;
	return 0;
}

/* Events counted since the last read, as the policy derives them: raw + n (mod 2^64). */
static uint64_t since_arm(uint64_t n)
{
	uint64_t raw = 0;

	CHECK_EQ(membw_perf_backend.read(&priv, 0, &raw), 0, "read succeeds");
	return raw + n;
}

/* arm(1000), read, touch PAGES fresh pages: PAGES faults after the read. False if skipped. */
static bool arm_read_touch(void)
{
	uint64_t raw;

	if (!opened) {
		SKIP("the kernel does not count page-faults for this process");
		return false;
	}
	CHECK_EQ(membw_perf_backend.arm(&priv, 0, 1000), 0, "arm(1000)");
	CHECK_EQ(membw_perf_backend.read(&priv, 0, &raw), 0, "read after arm");
	touch_fresh_pages(PAGES);
	return true;
}

static void test_rearm_counts_events_after_read(void)
{
	uint64_t k;

	CHECK_FATAL(membw_perf_backend.rearm != NULL, "the perf backend has a rearm hook");
	if (!arm_read_touch())
		return;
	CHECK_EQ(membw_perf_backend.rearm(&priv, 0, 1000), 0, "rearm(1000)");
	k = since_arm(1000);
	CHECK(k >= PAGES && k <= PAGES + SLACK,
	      "after rearm the %u faults between the read and the rearm count: %llu counted",
	      PAGES, (unsigned long long)k);
}

static void test_arm_loses_events_after_read(void)
{
	uint64_t k;

	if (!arm_read_touch())
		return;
	CHECK_EQ(membw_perf_backend.arm(&priv, 0, 1000), 0, "arm(1000) again");
	k = since_arm(1000);
	CHECK(k < PAGES, "arm drops the %u faults since the read: %llu counted", PAGES,
	      (unsigned long long)k);
}

static void test_rearm_past_arm_point_is_due(void)
{
	if (!arm_read_touch())
		return;
	CHECK_EQ(membw_perf_backend.rearm(&priv, 0, PAGES / 2), 0, "rearm(%u)", PAGES / 2);
	CHECK_EQ(perf_backend_overflow_due(&priv, 0), 1,
		 "the arm point, %u faults after the read, was passed: due at once", PAGES / 2);
}

static int suite_perf_rearm(void)
{
	CU_pSuite s = CU_add_suite("perf backend rearm (page-faults)", NULL, NULL);

	open_counter();
	if (!s || !CU_add_test(s, "rearm counts the events after the read",
			       test_rearm_counts_events_after_read) ||
	    !CU_add_test(s, "arm loses them", test_arm_loses_events_after_read) ||
	    !CU_add_test(s, "rearm past the arm point is due", test_rearm_past_arm_point_is_due))
		return 1;
	return 0;
}

int main(void)
{
	int (*const suites[])(void) = { suite_perf_rearm };
	int status;

	if (cunit_register(suites, 1))
		return 2;
	status = cunit_run("perf-rearm");
	if (opened && membw_perf_backend.cpu_exit)
		membw_perf_backend.cpu_exit(&ctx, 0, &priv);
	return status;
}
