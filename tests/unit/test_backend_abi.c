/* SPDX-License-Identifier: MIT */
/*
 * The backend ABI's versions (include/membw/backend.h): version 1 and 2 backends keep working,
 * version 2 hooks are called where their contract says (cpu_exit when a CPU leaves, rearm right
 * after a read), version 3's direct reader replaces read in ticks and overflows when a backend
 * hands one and is left alone when it refuses, and a CPU that fails to come online leaves no
 * counter running.
 */
#include <CUnit/CUnit.h>
#include <stddef.h>

#include "fixture.h"

#define RATE_1000 64000000ull /* 1000 lines of 64 bytes per 1 ms period */

static struct fx f;
static struct membw_backend be;

/* Fixture on a copy of the test backend that the test may edit first; @channels counters. */
static void begin_channels(struct membw_backend *b, uint32_t channels)
{
	fx_config(&f, 1, 1);
	f.tb.channels = channels;
	f.be = b;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
}

static void begin_with(struct membw_backend *b)
{
	begin_channels(b, 2);
}

/* membw_init()'s answer for the test backend with @abi_version and @size. */
static int init_as(uint32_t abi_version, uint32_t size)
{
	int err;

	be = tb_backend;
	be.abi_version = abi_version;
	be.size = size;
	fx_config(&f, 1, 1);
	f.be = &be;
	err = fx_start(&f);
	fx_stop(&f);
	return err;
}

static void test_versions_accepted_and_refused(void)
{
	const uint32_t v1_size = offsetof(struct membw_backend, cpu_exit);

	CU_ASSERT_EQUAL(init_as(MEMBW_BACKEND_ABI_VERSION + 1, sizeof(be)), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(init_as(0, sizeof(be)), -MEMBW_EINVAL);
	/* each version must cover its own hooks; an older one is accepted with its own size */
	CU_ASSERT_EQUAL(init_as(3, offsetof(struct membw_backend, direct_reader)), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(init_as(3, sizeof(be)), 0);
	CU_ASSERT_EQUAL(init_as(2, offsetof(struct membw_backend, rearm)), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(init_as(2, offsetof(struct membw_backend, direct_reader)), 0);
	CU_ASSERT_EQUAL(init_as(2, sizeof(be)), 0);
	CU_ASSERT_EQUAL(init_as(1, v1_size), 0);
	CU_ASSERT_EQUAL(init_as(1, v1_size - 1), -MEMBW_EINVAL);
}

/* A version 1 backend's struct ends at stop: whatever lies beyond is never called. */
static void test_v1_backend_gets_no_v2_hook(void)
{
	be = tb_backend;
	be.abi_version = 1;
	be.size = offsetof(struct membw_backend, cpu_exit);
	begin_with(&be);
	tb_cpu(f.m, 0)->exits = 0;
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	fx_count(&f, 0, MEMBW_CH_READ, 10);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->rearms[MEMBW_CH_READ], 0);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->exits, 0);
	fx_stop(&f);
}

static void test_cpu_exit_once_per_offline(void)
{
	be = tb_backend;
	begin_with(&be);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->exits, 0);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->exits, 1);
	CU_ASSERT_FALSE(tb_cpu(f.m, 0)->running[MEMBW_CH_READ]);
	CU_ASSERT_FALSE(tb_cpu(f.m, 0)->running[MEMBW_CH_WRITE]);
	/* not online: nothing to release a second time */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), -MEMBW_ENODEV);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->exits, 1);
	fx_stop(&f);
}

/* cpu_init failed: the backend cleaned up itself; cpu_exit is only for a successful cpu_init. */
static void test_no_cpu_exit_after_failed_cpu_init(void)
{
	be = tb_backend;
	begin_with(&be);
	f.tb.init_err = -MEMBW_ENODEV;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), -MEMBW_ENODEV);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->exits, 0);
	fx_stop(&f);
}

/*
 * The write channel's arm starts its counter and then fails (its interrupt enable did not take):
 * the failed online must stop every channel, the failing one included, and give cpu_init's
 * resources back. A retry then starts from clean state.
 */
static void test_failed_online_leaves_nothing_running(void)
{
	struct tb_cpu *t;

	be = tb_backend;
	begin_with(&be);
	f.tb.arm_fail_mask = 1u << MEMBW_CH_WRITE;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), -MEMBW_EIO);
	t = tb_cpu(f.m, 0);
	CU_ASSERT_FALSE(t->running[MEMBW_CH_READ]);
	CU_ASSERT_FALSE(t->running[MEMBW_CH_WRITE]);
	CU_ASSERT_EQUAL(t->stops[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->stops[MEMBW_CH_WRITE], 1);
	CU_ASSERT_EQUAL(t->exits, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).state, 0);
	/* an overflow now (a late interrupt) finds nothing armed */
	CU_ASSERT_EQUAL(membw_overflow(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, 0);

	f.tb.arm_fail_mask = 0;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_stop(&f);
}

/*
 * Events counted while the policy goes from its read to its arm (tb::arm_window per arm): with
 * rearm they are charged to the new period, so the periods' use adds up to every event counted;
 * with arm alone each period start loses them.
 */
static uint64_t used_after_periods(bool with_rearm, uint64_t *counted)
{
	uint64_t used;
	int p;

	be = tb_backend;
	if (!with_rearm)
		be.rearm = NULL;
	begin_channels(&be, 1); /* one channel: every window is on the read counter */
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	f.tb.arm_window = 3;
	*counted = 0;
	for (p = 0; p < 10; p++) {
		fx_count(&f, 0, MEMBW_CH_READ, 100);
		*counted += 100;
		CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	}
	used = fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used;
	*counted += f.tb.window_total;
	fx_stop(&f);
	return used;
}

static void test_rearm_loses_nothing_between_read_and_arm(void)
{
	uint64_t counted, used = used_after_periods(true, &counted);

	/* the window of the last period start is counted in the period still open */
	CU_ASSERT_EQUAL(used + 3, counted);
	CU_ASSERT_EQUAL(counted, 10 * 100 + 10 * 3);
}

static void test_arm_fallback_loses_the_window(void)
{
	uint64_t counted, used = used_after_periods(false, &counted);

	CU_ASSERT_EQUAL(used, 10 * 100);
	CU_ASSERT_EQUAL(counted, 10 * 100 + 10 * 3);
}

/* rearm is asked for only right after a read: online's first arms are plain arms. */
static void test_rearm_only_after_a_read(void)
{
	struct tb_cpu *t;

	be = tb_backend;
	begin_with(&be);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	t = tb_cpu(f.m, 0);
	CU_ASSERT_EQUAL(t->rearms[MEMBW_CH_READ], 0);
	CU_ASSERT_TRUE(t->arms[MEMBW_CH_READ] >= 1);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(t->rearms[MEMBW_CH_READ], 1);
	fx_stop(&f);
}

/*
 * Version 3: the direct reader. tb::direct_extra events are counted right before each direct
 * read, so the periods' use tells which reader the policy called: read() would not see them.
 */
static struct tb_cpu *begin_direct(uint32_t abi_version, uint32_t size, uint32_t channels)
{
	be = tb_backend;
	be.abi_version = abi_version;
	be.size = size;
	be.direct_reader = tb_direct_reader;
	begin_channels(&be, channels);
	f.tb.direct_extra = 5;
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	return tb_cpu(f.m, 0);
}

/* One period with 100 events counted on each channel: what the tick charged to @ch. */
static uint64_t used_in_one_period(unsigned int ch)
{
	unsigned int c;

	for (c = 0; c < f.tb.channels; c++)
		fx_count(&f, 0, c, 100);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	return fx_stats(&f, 0).totals.ch[ch].used;
}

static void test_direct_reader_at_tick(void)
{
	struct tb_cpu *t = begin_direct(MEMBW_BACKEND_ABI_VERSION, sizeof(be), 2);

	CU_ASSERT_EQUAL(t->direct_asks, 2); /* once per channel, after cpu_init */
	CU_ASSERT_EQUAL(used_in_one_period(MEMBW_CH_READ), 105);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_WRITE].used, 105);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_WRITE], 1);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ] + t->reads[MEMBW_CH_WRITE], 0);
	/* rearm counted from the direct read: the next period sees exactly its own events */
	CU_ASSERT_EQUAL(t->rearms[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(used_in_one_period(MEMBW_CH_READ), 2 * 105);
	fx_stop(&f);
}

/*
 * 990 of the budget's 1000 events counted, no overflow yet; the direct reader sees 10 more. An
 * overflow then reached the arm point only if the policy read through the direct reader (read()
 * says 990: a spurious overflow). @known: membw_overflow_channels() (the backend says which
 * channel), else membw_overflow().
 */
static void direct_reader_at_overflow(bool known)
{
	struct tb_cpu *t = begin_direct(MEMBW_BACKEND_ABI_VERSION, sizeof(be), 1);
	struct membw_cpu_stats st;

	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 990));
	f.tb.direct_extra = 10;
	CU_ASSERT_EQUAL(known ? membw_overflow_channels(f.m, 0, f.now, 1u << MEMBW_CH_READ)
			      : membw_overflow(f.m, 0, f.now), 0);
	st = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(st.totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(st.totals.throttle_count, 1);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 0);
	fx_stop(&f);
}

static void test_direct_reader_at_overflow(void)
{
	direct_reader_at_overflow(false);
}

static void test_direct_reader_at_known_overflow(void)
{
	direct_reader_at_overflow(true);
}

/* A version 2 backend's struct ends at rearm: a direct_reader beyond it is never asked. */
static void test_v2_backend_gets_no_direct_reader(void)
{
	struct tb_cpu *t = begin_direct(2, offsetof(struct membw_backend, direct_reader), 2);

	CU_ASSERT_EQUAL(t->direct_asks, 0);
	CU_ASSERT_EQUAL(used_in_one_period(MEMBW_CH_READ), 100);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], 0);
	CU_ASSERT_EQUAL(t->rearms[MEMBW_CH_READ], 1);
	fx_stop(&f);
}

/*
 * CPU 0, online: a tick and then an overflow both go through read (100 events in the period, not
 * the direct reader's 105), and the direct reader is never called.
 */
static void expect_read_hook_used(const struct tb_cpu *t)
{
	CU_ASSERT_EQUAL(used_in_one_period(MEMBW_CH_READ), 100);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_WRITE], 1);
	CU_ASSERT_EQUAL(t->rearms[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 2);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ] + t->direct_reads[MEMBW_CH_WRITE], 0);
}

/* Version 3 with the hook NULL: read as before. */
static void test_v3_without_direct_reader(void)
{
	be = tb_backend;
	begin_with(&be);
	f.tb.direct_extra = 5;
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	expect_read_hook_used(tb_cpu(f.m, 0));
	fx_stop(&f);
}

/* The hook refuses, or hands no function: the CPU comes online and the policy calls read. */
static void direct_reader_refused(int err, bool none)
{
	struct tb_cpu *t;

	be = tb_backend;
	be.direct_reader = tb_direct_reader;
	begin_with(&be);
	f.tb.direct_err = err;
	f.tb.direct_none = none;
	f.tb.direct_extra = 5;
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	t = tb_cpu(f.m, 0);
	CU_ASSERT_EQUAL(t->direct_asks, 2);
	expect_read_hook_used(t);
	fx_stop(&f);
}

static void test_direct_reader_error_means_read(void)
{
	direct_reader_refused(-MEMBW_EOPNOTSUPP, false);
}

static void test_direct_reader_without_function_means_read(void)
{
	direct_reader_refused(0, true);
}

/*
 * Asked again after each cpu_init: a CPU brought back online after a refusal uses the reader it
 * is handed now, and one that loses it goes back to read.
 */
static void test_direct_reader_asked_at_each_online(void)
{
	struct tb_cpu *t = begin_direct(MEMBW_BACKEND_ABI_VERSION, sizeof(be), 1);
	uint64_t reads, direct;

	/* offline closes the period with a last read: still the direct one */
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], 1);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 0);
	f.tb.direct_err = -MEMBW_EOPNOTSUPP;
	CU_ASSERT_EQUAL_FATAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(t->direct_asks, 2);
	CU_ASSERT_EQUAL(t->inits, 2);
	direct = t->direct_reads[MEMBW_CH_READ];
	fx_count(&f, 0, MEMBW_CH_READ, 100);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], direct);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], 1);

	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	f.tb.direct_err = 0;
	CU_ASSERT_EQUAL_FATAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(t->direct_asks, 3);
	reads = t->reads[MEMBW_CH_READ];
	fx_count(&f, 0, MEMBW_CH_READ, 100);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(t->direct_reads[MEMBW_CH_READ], direct + 1);
	CU_ASSERT_EQUAL(t->reads[MEMBW_CH_READ], reads);
	fx_stop(&f);
}

int suite_backend_abi(void)
{
	CU_pSuite s = CU_add_suite("backend ABI", NULL, NULL);

	if (!s || !CU_add_test(s, "versions 1..3 accepted, others refused",
			       test_versions_accepted_and_refused) ||
	    !CU_add_test(s, "a version 1 backend gets no version 2 hook",
			 test_v1_backend_gets_no_v2_hook) ||
	    !CU_add_test(s, "cpu_exit once per offline", test_cpu_exit_once_per_offline) ||
	    !CU_add_test(s, "no cpu_exit after a failed cpu_init",
			 test_no_cpu_exit_after_failed_cpu_init) ||
	    !CU_add_test(s, "a failed online leaves no counter running",
			 test_failed_online_leaves_nothing_running) ||
	    !CU_add_test(s, "rearm: nothing lost between read and arm",
			 test_rearm_loses_nothing_between_read_and_arm) ||
	    !CU_add_test(s, "arm fallback: the read-to-arm window is lost",
			 test_arm_fallback_loses_the_window) ||
	    !CU_add_test(s, "rearm only right after a read", test_rearm_only_after_a_read) ||
	    !CU_add_test(s, "direct reader: the tick reads through it",
			 test_direct_reader_at_tick) ||
	    !CU_add_test(s, "direct reader: membw_overflow reads through it",
			 test_direct_reader_at_overflow) ||
	    !CU_add_test(s, "direct reader: membw_overflow_channels reads through it",
			 test_direct_reader_at_known_overflow) ||
	    !CU_add_test(s, "a version 2 backend is never asked for a direct reader",
			 test_v2_backend_gets_no_direct_reader) ||
	    !CU_add_test(s, "version 3 without a direct reader reads with read",
			 test_v3_without_direct_reader) ||
	    !CU_add_test(s, "direct reader refused: read", test_direct_reader_error_means_read) ||
	    !CU_add_test(s, "direct reader without a function: read",
			 test_direct_reader_without_function_means_read) ||
	    !CU_add_test(s, "direct reader asked again at each online",
			 test_direct_reader_asked_at_each_online))
		return -1;
	return 0;
}
