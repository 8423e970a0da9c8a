/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite (contract in conformance.h). Each test starts from a fresh CPU state:
 * probe, cpu_init on CPU 0, then arms, counts and reads through the backend's own hooks. Golden
 * values come from the counting model of include/membw/backend.h: arm(n) presets 2^w - n.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

#define MAX_DRIVERS 4

static const struct conformance_driver *drivers[MAX_DRIVERS];
static unsigned int ndrivers;
/* The driver of the suite running now (set by the suite's init function). */
static const struct conformance_driver *drv;

static struct membw_backend_info info;
static void *priv;
static uint64_t mask; /* 2^w - 1 */

static void skip(const char *why)
{
	printf("\n    SKIP (%s): %s ", drv->name, why);
}

/* Fresh state: probe, then cpu_init on CPU 0. Returns false (with a failed assertion) if the
 * backend refuses. */
static bool fresh(void)
{
	struct membw_counter_setup setup = { .size = sizeof(setup) };
	int err;

	free(priv);
	priv = NULL;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	err = drv->backend->probe(drv->backend_ctx, &info);
	CU_ASSERT_EQUAL_FATAL(err, 0);
	mask = info.counter_bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << info.counter_bits) - 1;
	priv = aligned_alloc(16, (drv->backend->priv_size + 15) & ~(size_t)15);
	CU_ASSERT_PTR_NOT_NULL_FATAL(priv);
	memset(priv, 0, drv->backend->priv_size);
	setup.levels = info.levels & (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL);
	if (!setup.levels)
		setup.levels = info.levels;
	memcpy(setup.event, drv->event, sizeof(setup.event));
	err = drv->backend->cpu_init(drv->backend_ctx, 0, priv, &setup);
	CU_ASSERT_EQUAL_FATAL(err, 0);
	return true;
}

static uint64_t rd(unsigned int ch)
{
	uint64_t v = ~(uint64_t)0;

	CU_ASSERT_EQUAL(drv->backend->read(priv, ch, &v), 0);
	return v;
}

static int count(unsigned int ch, uint64_t n)
{
	return drv->count(drv->ctx, 0, priv, ch, n);
}

static uint64_t ovf(unsigned int ch)
{
	return drv->overflows(drv->ctx, 0, priv, ch);
}

/* 2^w - n, the preset of arm(n), modulo 2^w. */
static uint64_t preset(uint64_t n)
{
	return (mask - n + 1) & mask;
}

static void test_probe_reports_possible_facts(void)
{
	fresh();
	CU_ASSERT(info.channels == 1 || info.channels == 2);
	CU_ASSERT(info.counter_bits >= 8 && info.counter_bits <= 64);
	CU_ASSERT(info.line_size >= 8 && info.line_size <= 4096);
	CU_ASSERT_EQUAL(info.line_size & (info.line_size - 1), 0);
	CU_ASSERT_NOT_EQUAL(info.levels, 0);
	CU_ASSERT_EQUAL(info.levels & ~(uint32_t)MEMBW_COUNT_ALL, 0);
}

static void test_probe_refuses_absent_hardware(void)
{
	struct membw_backend_info absent = { .size = sizeof(absent) };
	int err;

	if (!drv->set_absent) {
		skip("the driver cannot make the counters absent");
		return;
	}
	drv->set_absent(drv->ctx, true);
	err = drv->backend->probe(drv->backend_ctx, &absent);
	drv->set_absent(drv->ctx, false);
	CU_ASSERT(err == -MEMBW_ENODEV || err == -MEMBW_EOPNOTSUPP);
	/* ... and accepts again once the counters are back */
	CU_ASSERT_EQUAL(drv->backend->probe(drv->backend_ctx, &absent), 0);
}

static void test_arm_presets_two_to_the_w_minus_n(void)
{
	fresh();
	CU_ASSERT_EQUAL(drv->backend->arm(priv, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(1000));
}

static void test_counts_exactly(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 1000);
	if (count(MEMBW_CH_READ, 100)) {
		skip("the driver cannot make events happen");
		return;
	}
	/* 2^w - 1000 + 100 */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(900));
	count(MEMBW_CH_READ, 250);
	/* 2^w - 1000 + 350 */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(650));
}

static void test_no_overflow_one_event_short(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	count(MEMBW_CH_READ, 99);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 0);
}

static void test_overflow_with_the_nth_event(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	count(MEMBW_CH_READ, 99);
	count(MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
	/* 2^w - 100 + 100 wraps to 0 */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), 0);
}

static void test_counts_on_past_the_wrap(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	count(MEMBW_CH_READ, 105);
	/* the raw register: 105 - 100 events past the wrap */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), 5);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
}

static void test_rearm_presets_again(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	count(MEMBW_CH_READ, 100);
	CU_ASSERT_EQUAL(drv->backend->arm(priv, MEMBW_CH_READ, 50), 0);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(50));
	count(MEMBW_CH_READ, 49);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
	count(MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 2);
}

static void test_arm_one_overflows_at_once(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), mask);
	count(MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
}

static void test_full_range_arm(void)
{
	fresh();
	/* arm(2^w - 1) presets 1: the largest arm the contract allows */
	CU_ASSERT_EQUAL(drv->backend->arm(priv, MEMBW_CH_READ, mask), 0);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), 1);
	if (count(MEMBW_CH_READ, mask - 1)) {
		skip("the driver cannot make 2^w - 2 events happen");
		return;
	}
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 0);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), mask);
	count(MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
}

static void test_stopped_counter_does_not_count(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 1000);
	count(MEMBW_CH_READ, 10);
	drv->backend->stop(priv, MEMBW_CH_READ);
	count(MEMBW_CH_READ, 500);
	/* still 2^w - 1000 + 10 */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(990));
}

static void test_stopped_counter_raises_nothing(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 10);
	count(MEMBW_CH_READ, 5);
	drv->backend->stop(priv, MEMBW_CH_READ);
	count(MEMBW_CH_READ, 100);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 0);
}

static void test_arm_after_stop_counts_again(void)
{
	fresh();
	drv->backend->arm(priv, MEMBW_CH_READ, 10);
	drv->backend->stop(priv, MEMBW_CH_READ);
	CU_ASSERT_EQUAL(drv->backend->arm(priv, MEMBW_CH_READ, 20), 0);
	count(MEMBW_CH_READ, 19);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), preset(1));
	count(MEMBW_CH_READ, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
}

static void test_two_counters_count_independently(void)
{
	fresh();
	if (info.channels < 2) {
		skip("the backend has one channel");
		return;
	}
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	drv->backend->arm(priv, MEMBW_CH_WRITE, 200);
	count(MEMBW_CH_READ, 100);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_READ), 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_WRITE), 0);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_WRITE), preset(200));
	count(MEMBW_CH_WRITE, 199);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_WRITE), 0);
	count(MEMBW_CH_WRITE, 1);
	CU_ASSERT_EQUAL(ovf(MEMBW_CH_WRITE), 1);
	CU_ASSERT_EQUAL(rd(MEMBW_CH_READ), 0);
}

static void test_stopping_one_counter_leaves_the_other(void)
{
	fresh();
	if (info.channels < 2) {
		skip("the backend has one channel");
		return;
	}
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	drv->backend->arm(priv, MEMBW_CH_WRITE, 100);
	drv->backend->stop(priv, MEMBW_CH_READ);
	count(MEMBW_CH_WRITE, 30);
	/* 2^w - 100 + 30 */
	CU_ASSERT_EQUAL(rd(MEMBW_CH_WRITE), preset(70));
}

#define INIT(i)                                                                                    \
	static int init##i(void)                                                                   \
	{                                                                                          \
		drv = drivers[i];                                                                  \
		return 0;                                                                          \
	}
INIT(0)
INIT(1)
INIT(2)
INIT(3)
static int (*const inits[MAX_DRIVERS])(void) = { init0, init1, init2, init3 };

static int cleanup(void)
{
	free(priv);
	priv = NULL;
	return 0;
}

int conformance_register(const struct conformance_driver *d)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "probe reports possible facts", test_probe_reports_possible_facts },
		{ "probe refuses absent hardware", test_probe_refuses_absent_hardware },
		{ "arm(n) presets 2^w - n", test_arm_presets_two_to_the_w_minus_n },
		{ "counts exactly", test_counts_exactly },
		{ "no overflow one event short", test_no_overflow_one_event_short },
		{ "overflow with the n-th event", test_overflow_with_the_nth_event },
		{ "counts on past the wrap", test_counts_on_past_the_wrap },
		{ "re-arm presets again", test_rearm_presets_again },
		{ "arm(1) overflows with the next event", test_arm_one_overflows_at_once },
		{ "arm(2^w - 1), the full range", test_full_range_arm },
		{ "stopped counter does not count", test_stopped_counter_does_not_count },
		{ "stopped counter raises nothing", test_stopped_counter_raises_nothing },
		{ "arm after stop counts again", test_arm_after_stop_counts_again },
		{ "two counters count independently", test_two_counters_count_independently },
		{ "stopping one counter leaves the other",
		  test_stopping_one_counter_leaves_the_other },
	};
	char name[96];
	CU_pSuite s;
	size_t i;

	if (ndrivers == MAX_DRIVERS)
		return CUE_NOSUITE;
	drivers[ndrivers] = d;
	snprintf(name, sizeof(name), "conformance: %s", d->name);
	s = CU_add_suite(name, inits[ndrivers], cleanup);
	ndrivers++;
	if (!s)
		return CU_get_error();
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return CU_get_error();
	return 0;
}
