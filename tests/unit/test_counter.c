/* SPDX-License-Identifier: MIT */
/*
 * Counter handling. The counting model of backend.h: arm(n) presets a w-bit counter to 2^w - n,
 * and the events since the arm are (raw + n) mod 2^w; the policy never arms more than 2^(w-1)
 * events at a time (a longer stretch, or a count-only channel, is re-armed at each overflow), so
 * a reading up to half the range past the arm point is understood. Checked for 16-, 32- and
 * 64-bit counters,
 * together with the defined behaviour for odd hardware: overflows on CPUs that are not online,
 * spurious interrupts, counters overwritten by someone else, budgets wider than the counter, and
 * backend hooks that fail.
 *
 * Budget unless a test says otherwise: 64 MB/s at 1 ms with 64-byte lines
 * = 64e6 B/s * 1e-3 s / 64 B = 1000 lines per period, in a domain of one CPU (one chunk).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "fixture.h"

#define RATE_1000 64000000ull /* bytes/s that make 1000 lines per 1 ms period */

static struct fx f;

/* Policy on f (fx_config'd, f.tb possibly edited): CPU i alone in domain i, read budget @bps. */
static void begin(uint64_t bps, bool online)
{
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	for (i = 0; i < f.cfg.ncpus; i++) {
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, i, bps, MEMBW_UNLIMITED), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, i, i), 0);
	}
	if (online)
		CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
}

static void start(unsigned int ncpus, uint64_t bps)
{
	fx_config(&f, ncpus, ncpus);
	begin(bps, true);
}

static size_t anomalies_of(uint32_t kind, unsigned int cpu)
{
	size_t i, n = 0;

	for (i = 0; i < f.log.n; i++)
		if (f.log.rec[i].type == MEMBW_TRACE_ANOMALY && f.log.rec[i].source == kind &&
		    f.log.rec[i].cpu == cpu)
			n++;
	return n;
}

/* Is @b the snapshot @a with nothing changed but spurious_overflows + 1? */
static bool only_spurious_grew(struct membw_cpu_stats a, struct membw_cpu_stats b)
{
	if (b.totals.spurious_overflows != a.totals.spurious_overflows + 1)
		return false;
	b.totals.spurious_overflows = a.totals.spurious_overflows;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* ---- overflows that find no counter at its arm point ------------------------------------- */

static void test_overflow_on_never_online_cpu(void)
{
	struct membw_cpu_stats before;
	size_t nlog;

	fx_config(&f, 2, 2);
	begin(RATE_1000, false);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	before = fx_stats(&f, 1);
	nlog = f.log.n;
	CU_ASSERT_EQUAL(membw_overflow(f.m, 1, f.now), 0);
	CU_ASSERT_TRUE(only_spurious_grew(before, fx_stats(&f, 1)));
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.spurious_overflows, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.anomalies, 0);
	/* exactly one trace event: the spurious-overflow anomaly */
	CU_ASSERT_EQUAL(f.log.n, nlog + 1);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_SPURIOUS_OVERFLOW, 1), 1);
	CU_ASSERT_EQUAL(f.cpu[1].throttle_calls, 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->arms[MEMBW_CH_READ], 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->inits, 0);
	/* the online neighbour is untouched */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

static void test_overflow_on_offline_cpu(void)
{
	struct membw_cpu_stats before;
	size_t nlog;

	start(1, RATE_1000);
	fx_count(&f, 0, MEMBW_CH_READ, 300);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), 0);
	before = fx_stats(&f, 0);
	nlog = f.log.n;
	CU_ASSERT_EQUAL(membw_overflow(f.m, 0, f.now), 0);
	CU_ASSERT_TRUE(only_spurious_grew(before, fx_stats(&f, 0)));
	CU_ASSERT_EQUAL(fx_stats(&f, 0).state, 0);
	CU_ASSERT_EQUAL(f.log.n, nlog + 1);
	CU_ASSERT_EQUAL(f.log.rec[nlog].type, MEMBW_TRACE_ANOMALY);
	CU_ASSERT_EQUAL(f.log.rec[nlog].source, MEMBW_ANOMALY_SPURIOUS_OVERFLOW);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	CU_ASSERT_FALSE(tb_cpu(f.m, 0)->running[MEMBW_CH_READ]);
	fx_stop(&f);
}

static void test_overflow_below_arm_point_is_spurious(void)
{
	struct membw_cpu_stats before;
	uint64_t arms, value;

	start(1, RATE_1000);
	/* 500 of 1000: no wrap, no pending overflow; the interrupt comes anyway */
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 500));
	arms = tb_cpu(f.m, 0)->arms[MEMBW_CH_READ];
	value = tb_cpu(f.m, 0)->value[MEMBW_CH_READ];
	before = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(membw_overflow(f.m, 0, f.now), 0);
	CU_ASSERT_TRUE(only_spurious_grew(before, fx_stats(&f, 0)));
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_SPURIOUS_OVERFLOW, 0), 1);
	/* the arm is unchanged: not re-armed, raw untouched, still 1000 - 500 = 500 to go */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->arms[MEMBW_CH_READ], arms);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], value);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 500);
	/* and the real arm point still throttles at 500 + 500 = 1000 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 500), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1000);
	fx_stop(&f);
}

static void test_counter_reading_less_than_expected_is_spurious(void)
{
	struct membw_cpu_stats before;
	uint64_t arms;

	start(1, RATE_1000);
	/* the overflow is raised ... */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000));
	/* ... but the counter reads 2^32 - 1 = 4294967295, i.e. (4294967295 + 1000) mod 2^32 = 999
	 * events since the arm: one short of it */
	tb_cpu(f.m, 0)->value[MEMBW_CH_READ] = 4294967295ull;
	arms = tb_cpu(f.m, 0)->arms[MEMBW_CH_READ];
	before = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_TRUE(only_spurious_grew(before, fx_stats(&f, 0)));
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->arms[MEMBW_CH_READ], arms);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 4294967295ull);
	/* one more event reaches the arm point: 999 + 1 = 1000 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_stop(&f);
}

/* ---- the counting model at each width ---------------------------------------------------- */

static void test_arm_presets_32_bit_counter(void)
{
	start(1, RATE_1000);
	/* 2^32 - 1000 = 4294967296 - 1000 = 4294966296 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 4294966296ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	fx_stop(&f);
}

static void test_count_across_32_bit_wrap(void)
{
	start(1, RATE_1000);
	/* 4294966296 + 1007 = 2^32 + 7: wraps to 7, overflow raised at the 1000th event */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1007));
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 7);
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* (7 + 1000) mod 2^32 = 1007 events at the throttle */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1007);
	/* counted on while throttled: 1007 + 50 = 1057, overshoot 1057 - 1000 = 57 */
	tb_count(f.m, 0, MEMBW_CH_READ, 50);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->used, 1057);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1057);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 57);
	fx_stop(&f);
}

static void test_count_only_channel_wraps_exactly_32_bit(void)
{
	start(1, RATE_1000);
	/* write channel unlimited: armed for the most an arm may cover, 2^31 = 2147483648 events,
	 * raw = 2^32 - 2^31 = 2147483648 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_WRITE], 2147483648ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_WRITE], 2147483648ull);
	/* each 2^31 events wrap it and it is re-armed for 2^31 more; then 705032704:
	 * 2 * 2147483648 + 705032704 = 4294967296 + 705032704 = 5000000000 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 2147483648ull), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_WRITE], 2147483648ull);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 2147483648ull), 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_WRITE, 705032704ull), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_WRITE].used, 5000000000ull);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	fx_stop(&f);
}

static void test_arm_presets_64_bit_counter(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 64;
	begin(RATE_1000, true);
	/* 2^64 - 1000 = 18446744073709551616 - 1000 = 18446744073709550616 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 18446744073709550616ull);
	/* count-only write channel: armed for 2^63 = 9223372036854775808,
	 * raw = 2^64 - 2^63 = 9223372036854775808 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_WRITE], 9223372036854775808ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_WRITE], 9223372036854775808ull);
	fx_stop(&f);
}

static void test_count_across_64_bit_wrap(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 64;
	begin(RATE_1000, true);
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 999));
	CU_ASSERT_FALSE(f.cpu[0].held);
	/* (2^64 - 1000) + 1007 = 2^64 + 7: wraps to 7 */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 8));
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 7);
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* (7 + 1000) mod 2^64 = 1007; plus 50 while throttled = 1057, overshoot 57 */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 1007);
	tb_count(f.m, 0, MEMBW_CH_READ, 50);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1057);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 57);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 18446744073709550616ull);
	fx_stop(&f);
}

/* ---- budgets against the counter width ---------------------------------------------------- */

static void test_budget_beyond_16_bit_counter(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	/* 6.4 GB/s at 1 ms, 64-byte lines: 6.4e9 * 1e-3 / 64 = 100000 lines > 2^16 - 1 = 65535 */
	begin(6400000000ull, true);
	CU_ASSERT_EQUAL(fx_events_for(&f, 6400000000ull), 100000);
	/* an arm covers at most 2^15 = 32768 events: raw = 2^16 - 32768 = 32768 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 32768);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 32768);
	/* the first overflow does not throttle: 100000 - 32768 = 67232 left, next arm 32768 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 32768), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 32768);
	/* nor the second: at 65536, 100000 - 65536 = 34464 left, next arm 32768 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 32768), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 32768);
	/* nor the third: at 98304, 100000 - 98304 = 1696 left; raw = 65536 - 1696 = 63840 */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 32768), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1696);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 63840);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1695), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	/* the fourth, at 98304 + 1696 = 100000, throttles */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 100000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 100000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].allowance, 100000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 32768);
	fx_stop(&f);
}

/* Count on @cpu/@ch so that each overflow is raised and then delivered @late events later, until
 * the CPU is held or @total events are counted. Returns the events counted. */
static uint64_t count_late(unsigned int cpu, unsigned int ch, uint64_t late, uint64_t total)
{
	uint64_t n = 0, k;

	while (!f.cpu[cpu].held && n < total) {
		k = tb_until_overflow(f.m, cpu, ch) + late;
		if (k > total - n)
			k = total - n;
		tb_count(f.m, cpu, ch, k);
		CU_ASSERT_EQUAL(fx_deliver(&f, cpu), 0);
		n += k;
	}
	return n;
}

static void test_late_overflows_beyond_16_bit_budget(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(6400000000ull, true); /* 100000 lines, more than the counter holds */
	/* every interrupt comes 9 events after the arm point: none may pass for spurious, the
	 * remainder is charged at each re-arm, and the last arm point is the budget, 100000:
	 * the CPU stops at 100000 + 9 = 100009 */
	CU_ASSERT_EQUAL(count_late(0, MEMBW_CH_READ, 9, 1000000), 100009);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 100009);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 100009);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 9);
	fx_stop(&f);
}

static void test_late_overflows_on_count_only_16_bit(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(RATE_1000, true); /* write-backs unlimited: counted only */
	/* 1000000 write-backs, each wrap interrupt delivered 9 events late: all counted */
	CU_ASSERT_EQUAL(count_late(0, MEMBW_CH_WRITE, 9, 1000000), 1000000);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_WRITE].used, 1000000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 0);
	fx_stop(&f);
}

/* The largest budget: MEMBW_MAX_EVENTS_PER_PERIOD = 2^32 - 2 = 4294967294 lines, which is
 * 4294967294 * 64 B / 1e-3 s = 274877906816000 B/s. */
#define RATE_MAX 274877906816000ull

static void test_largest_budget_on_64_bit_counter(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 64;
	begin(RATE_MAX, true);
	CU_ASSERT_EQUAL(fx_events_for(&f, RATE_MAX), 4294967294ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 4294967294ull);
	/* 2^64 - 4294967294 = 18446744073709551616 - 4294967294 = 18446744069414584322 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 18446744069414584322ull);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 4294967293ull), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 4294967294ull);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 0);
	fx_stop(&f);
}

static void test_largest_budget_on_32_bit_counter(void)
{
	start(1, RATE_MAX);
	/* more than an arm covers on 32 bits: 2^31 = 2147483648 first, raw 2^32 - 2^31 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 2147483648ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 2147483648ull);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 2147483648ull), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	/* then the rest: 4294967294 - 2147483648 = 2147483646, raw = 2^32 - 2147483646
	 * = 2147483650 */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 2147483646ull);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 2147483650ull);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 2147483645ull), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 4294967294ull);
	fx_stop(&f);
}

/* ---- counters overwritten by someone else ------------------------------------------------- */

static void test_overwritten_counter_counts_zero(void)
{
	const struct membw_trace_record *ev;

	start(1, RATE_1000);
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 300));
	/* someone writes 2^31 + 1 = 2147483649: (2147483649 + 1000) mod 2^32 = 2147484649 events
	 * since the arm, 2147484649 - 1000 = 2147483649 past the arm point > 2^31 (half the
	 * range) */
	tb_cpu(f.m, 0)->value[MEMBW_CH_READ] = 2147483649ull;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 1);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_COUNTER_JUMP, 0), 1);
	/* the stretch since the arm (the 300 included) counts as 0 events */
	ev = fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ);
	CU_ASSERT_EQUAL(ev->used, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 0);
	/* the next period is regulated normally: 1000 again, throttle at the 1000th */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 4294966296ull);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->used, 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 1);
	fx_stop(&f);
}

static void test_overwritten_counter_then_overflow(void)
{
	start(1, RATE_1000);
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 300));
	/* overwritten with 3000000000 and the interrupt taken: (3000000000 + 1000) mod 2^32 =
	 * 3000001000 since the arm, 3000001000 - 1000 = 3000000000 past it > 2^31 = 2147483648 */
	tb_cpu(f.m, 0)->value[MEMBW_CH_READ] = 3000000000ull;
	tb_cpu(f.m, 0)->pending[MEMBW_CH_READ] = true;
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_COUNTER_JUMP, 0), 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 1);
	/* counted as 0 events, so no counter is at its arm point */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 1);
	/* re-armed at once for the same point: regulated again in this very period */
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 999), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	/* the 300 before the overwrite are lost, the 1000 after it counted; one anomaly in all */
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->used, 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 1);
	/* and the next period is regulated as usual */
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_stop(&f);
}

static void test_exactly_half_range_past_arm_is_believed(void)
{
	start(1, RATE_1000);
	/* raw 2^31 = 2147483648: (2147483648 + 1000) mod 2^32 = 2147484648 events since the arm,
	 * 2147483648 past it: exactly half the range, not more, so it is taken as counted */
	tb_cpu(f.m, 0)->value[MEMBW_CH_READ] = 2147483648ull;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 2147484648ull);
	/* overshoot 2147484648 - 1000 = 2147483648 */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 2147483648ull);
	fx_stop(&f);
}

/* ---- the backend says which counter overflowed (membw_overflow_channels) ----------------- */

/* Deliver @cpu's overflow as a backend that knows the flags does: the mask of pending channels. */
static int deliver_known(unsigned int cpu)
{
	struct tb_cpu *t = tb_cpu(f.m, cpu);
	uint32_t mask = 0;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (t->pending[ch])
			mask |= 1u << ch;
		t->pending[ch] = false;
	}
	return membw_overflow_channels(f.m, cpu, f.now, mask);
}

static void test_known_overflow_past_half_range_is_charged(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(RATE_1000, true);
	/* 1000 to the arm point, then 40000 more before the handler reads: 40000 past the arm
	 * point, more than half the 65536 range (32768). A reading alone would call that an
	 * overwritten counter; the backend's flag says it is a late interrupt. */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000 + 40000));
	CU_ASSERT_EQUAL(deliver_known(0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 41000);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_LATE_WRAP, 0), 1);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_COUNTER_JUMP, 0), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 41000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 40000);
	fx_stop(&f);
}

/* The same reading through membw_overflow(), which must guess: a counter jump, 0 events. */
static void test_guessed_overflow_past_half_range_is_a_jump(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(RATE_1000, true);
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000 + 40000));
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_COUNTER_JUMP, 0), 1);
	fx_stop(&f);
}

static void test_known_overflow_below_arm_point_is_a_whole_wrap(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(RATE_1000, true);
	/* armed for 1000: preset 65536 - 1000 = 64536. 65536 + 500 = 66036 events later the raw
	 * value is (64536 + 66036) mod 65536 = 65036, which reads (65036 + 1000) mod 65536 = 500
	 * events since the arm: below the arm point although the flag says it was passed, so the
	 * counter went a whole range further. Charged 500 + 65536 = 66036, every event. */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 66036));
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_READ], 65036);
	CU_ASSERT_EQUAL(deliver_known(0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 66036);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_LATE_WRAP, 0), 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	fx_stop(&f);
}

/* counter_since_past() tests since - armed >= half in one compare; exactly half is on time. */
static void test_known_overflow_exactly_half_range_past_is_on_time(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(RATE_1000, true);
	/* 1000 to the arm point, then 32768 more: exactly half the 65536 range past it, which a
	 * reading still tells from one before it. Charged as counted, no anomaly. */
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000 + 32768));
	CU_ASSERT_EQUAL(deliver_known(0), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 33768);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_LATE_WRAP, 0), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 33768);
	fx_stop(&f);
}

/*
 * The one compare's corner: a 64-bit count-only arm is for 2^63, half the range, so a reading of
 * 0 events since it gives since - armed = 2^64 - 2^63 = half. The backend says the counter passed
 * its arm point, so that is a whole wrap: an anomaly, and the arm charged, as before the compare
 * was one.
 */
static void test_known_overflow_64_bit_whole_wrap_at_half(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 64;
	begin(RATE_1000, true);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_WRITE], 9223372036854775808ull);
	/* the preset 2^64 - 2^63 = 2^63 read back unchanged: 0 events since the arm */
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->value[MEMBW_CH_WRITE], 9223372036854775808ull);
	CU_ASSERT_EQUAL(membw_overflow_channels(f.m, 0, f.now, 1u << MEMBW_CH_WRITE), 0);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_LATE_WRAP, 0), 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_WRITE].used, 9223372036854775808ull);
	fx_stop(&f);
}

/* Only the named channels are read; a mask naming nothing armed is spurious. */
static void test_known_overflow_reads_only_named_channels(void)
{
	struct tb_cpu *t;
	struct membw_cpu_stats before;
	uint64_t write_arms;

	start(1, RATE_1000);
	t = tb_cpu(f.m, 0);
	before = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(membw_overflow_channels(f.m, 0, f.now, 0), 0);
	CU_ASSERT_TRUE(only_spurious_grew(before, fx_stats(&f, 0)));
	/* the write channel at its arm point is not looked at when only reads are named */
	write_arms = t->arms[MEMBW_CH_WRITE];
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000));
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_WRITE, 1ull << 31)); /* at a count-only arm point */
	CU_ASSERT_EQUAL(membw_overflow_channels(f.m, 0, f.now, MEMBW_CH_READ_BIT), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(t->arms[MEMBW_CH_WRITE], write_arms); /* not read, not re-armed */
	fx_stop(&f);
}

/* ---- a throttle leaves the counter running ---------------------------------------------- */

static void test_throttle_does_not_rearm(void)
{
	struct tb_cpu *t;
	uint64_t arms;

	start(1, RATE_1000);
	t = tb_cpu(f.m, 0);
	arms = t->arms[MEMBW_CH_READ];
	/* the 1000th event wraps the counter armed for 1000: the overflow throttles */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(t->arms[MEMBW_CH_READ], arms); /* no arm call for the throttle */
	/* 2^32 - 1000 + 1000 wrapped to 0: the counter goes on from there */
	CU_ASSERT_EQUAL(t->value[MEMBW_CH_READ], 0);
	/* 300 more while held (interrupt latency, a DMA burst): no second interrupt, and the
	 * period closes with 1300 used, 300 past the budget */
	CU_ASSERT_FALSE(tb_count(f.m, 0, MEMBW_CH_READ, 300));
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1300);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].overshoot, 300);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 0);
	/* the new period arms for its budget again */
	CU_ASSERT_EQUAL(t->arms[MEMBW_CH_READ], arms + 1);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

/* A backend that interrupts again for a channel already dealt with: spurious, and re-armed
 * count-only so that it stops. */
static void test_repeat_overflow_after_throttle_is_spurious(void)
{
	struct membw_cpu_stats before;
	struct tb_cpu *t;
	uint64_t arms;

	start(1, RATE_1000);
	t = tb_cpu(f.m, 0);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	arms = t->arms[MEMBW_CH_READ];
	tb_count(f.m, 0, MEMBW_CH_READ, 20);
	before = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(membw_overflow(f.m, 0, f.now), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows,
			before.totals.spurious_overflows + 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.throttle_count, before.totals.throttle_count);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 1);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* re-armed count-only (half the 32-bit range), from the 1020 counted so far */
	CU_ASSERT_EQUAL(t->arms[MEMBW_CH_READ], arms + 1);
	CU_ASSERT_EQUAL(t->armed[MEMBW_CH_READ], 1ull << 31);
	tb_count(f.m, 0, MEMBW_CH_READ, 5);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1025);
	fx_stop(&f);
}

/* ---- backend failures --------------------------------------------------------------------- */

static void test_read_error_at_tick(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	f.tb.read_err = -MEMBW_EIO;
	CU_ASSERT_EQUAL(fx_next_period(&f), -MEMBW_EIO);
	/* the period still advanced (1000 -> 1001) and was accounted */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.periods, 1);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).epoch, 1001);
	/* not left held: the new period started with a full budget */
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_THROTTLED);
	CU_ASSERT_EQUAL(f.cpu[0].unthrottle_calls, 1);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	/* both channels are armed and read at period end: two failed reads, two anomalies */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 2);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_BACKEND_ERROR, 0), 2);
	/* the 1000 accounted when it was throttled stay accounted */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1000);
	/* and the next period is regulated normally once reads work */
	f.tb.read_err = 0;
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].bad_calls, 0);
	fx_stop(&f);
}

static void test_arm_error_at_tick(void)
{
	start(1, RATE_1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	f.tb.arm_err = -MEMBW_EIO;
	CU_ASSERT_EQUAL(fx_next_period(&f), -MEMBW_EIO);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.periods, 1);
	/* left running, unthrottled */
	CU_ASSERT_FALSE(f.cpu[0].held);
	/* both channels are re-armed at period start, both arms failed */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 2);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_BACKEND_ERROR, 0), 2);
	f.tb.arm_err = 0;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1000), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	fx_stop(&f);
}

static void test_arm_error_at_online(void)
{
	struct membw_domain_stats d = { .size = sizeof(d) };

	fx_config(&f, 1, 1);
	begin(RATE_1000, false);
	f.tb.arm_err = -MEMBW_EIO;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), -MEMBW_EIO);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_ONLINE);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).state, 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].bad_calls, 0);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 0, &d), 0);
	CU_ASSERT_EQUAL(d.nonline, 0);
	CU_ASSERT_EQUAL(membw_tick(f.m, 0, f.now, NULL), -MEMBW_ENODEV);
	/* a later attempt, once the hardware behaves, works */
	f.tb.arm_err = 0;
	f.now += f.cfg.period_ns;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_FALSE(f.cpu[0].held);
	fx_stop(&f);
}

/* A failed online takes no budget: a retry in the same period gets all of it. */
static void test_arm_error_at_online_takes_no_budget(void)
{
	fx_config(&f, 1, 1);
	begin(RATE_1000, false);
	f.tb.arm_err = -MEMBW_EIO;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), -MEMBW_EIO);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].budget, 0);
	CU_ASSERT_EQUAL(fx_events(&f, MEMBW_TRACE_GRANT, 0), 0);
	f.tb.arm_err = 0;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].budget, 1000);
	fx_stop(&f);
}

static void test_cpu_init_error_at_online(void)
{
	fx_config(&f, 1, 1);
	begin(RATE_1000, false);
	f.tb.init_err = -MEMBW_ENODEV;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), -MEMBW_ENODEV);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).state, 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->arms[MEMBW_CH_READ], 0);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 0, f.now), -MEMBW_ENODEV);
	f.tb.init_err = 0;
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 0, f.now, NULL), 0);
	CU_ASSERT_TRUE(fx_stats(&f, 0).state & MEMBW_CPU_ONLINE);
	fx_stop(&f);
}

static void test_read_error_during_overflow(void)
{
	start(1, RATE_1000);
	CU_ASSERT_TRUE(tb_count(f.m, 0, MEMBW_CH_READ, 1000));
	f.tb.read_err = -MEMBW_EIO;
	CU_ASSERT_EQUAL(fx_deliver(&f, 0), -MEMBW_EIO);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(f.cpu[0].throttle_calls, 0);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_THROTTLED);
	/* not spurious: the interrupt could not be examined */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	/* both armed channels were read, both failed */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 2);
	/* at period end reads work again: (0 + 1000) mod 2^32 = 1000 counted */
	f.tb.read_err = 0;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].used, 1000);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 1000);
	fx_stop(&f);
}

static void test_arm_error_at_rearm_leaves_cpu_running(void)
{
	fx_config(&f, 1, 1);
	f.tb.counter_bits = 16;
	begin(6400000000ull, true); /* 100000 lines, first arm 2^15 = 32768 (see above) */
	f.tb.arm_err = -MEMBW_EIO;
	/* the re-arm for the next 32768 fails */
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 32768), -MEMBW_EIO);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.anomalies, 1);
	CU_ASSERT_EQUAL(anomalies_of(MEMBW_ANOMALY_BACKEND_ERROR, 0), 1);
	f.tb.arm_err = 0;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 32768);
	fx_stop(&f);
}

int suite_counter(void)
{
	CU_pSuite s = CU_add_suite("counter", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "overflow on a never-online CPU is spurious",
			 test_overflow_on_never_online_cpu) ||
	    !CU_add_test(s, "overflow on an offline CPU is spurious",
			 test_overflow_on_offline_cpu) ||
	    !CU_add_test(s, "overflow below the arm point is spurious, arm kept",
			 test_overflow_below_arm_point_is_spurious) ||
	    !CU_add_test(s, "counter reading less than expected is spurious",
			 test_counter_reading_less_than_expected_is_spurious) ||
	    !CU_add_test(s, "32-bit arm presets 2^32 - n", test_arm_presets_32_bit_counter) ||
	    !CU_add_test(s, "32-bit wrap counted exactly", test_count_across_32_bit_wrap) ||
	    !CU_add_test(s, "32-bit count-only channel wraps exactly",
			 test_count_only_channel_wraps_exactly_32_bit) ||
	    !CU_add_test(s, "64-bit arm presets 2^64 - n", test_arm_presets_64_bit_counter) ||
	    !CU_add_test(s, "64-bit wrap counted exactly", test_count_across_64_bit_wrap) ||
	    !CU_add_test(s, "budget beyond a 16-bit counter", test_budget_beyond_16_bit_counter) ||
	    !CU_add_test(s, "late overflows, budget beyond a 16-bit counter",
			 test_late_overflows_beyond_16_bit_budget) ||
	    !CU_add_test(s, "late overflows, count-only 16-bit channel",
			 test_late_overflows_on_count_only_16_bit) ||
	    !CU_add_test(s, "largest budget on a 64-bit counter",
			 test_largest_budget_on_64_bit_counter) ||
	    !CU_add_test(s, "largest budget on a 32-bit counter",
			 test_largest_budget_on_32_bit_counter) ||
	    !CU_add_test(s, "overwritten counter counts 0, recovers next period",
			 test_overwritten_counter_counts_zero) ||
	    !CU_add_test(s, "overwritten counter, then overflow",
			 test_overwritten_counter_then_overflow) ||
	    !CU_add_test(s, "exactly half the range past the arm is believed",
			 test_exactly_half_range_past_arm_is_believed) ||
	    !CU_add_test(s, "a throttle does not re-arm; counting goes on past the wrap",
			 test_throttle_does_not_rearm) ||
	    !CU_add_test(s, "a repeated overflow after a throttle is spurious",
			 test_repeat_overflow_after_throttle_is_spurious) ||
	    !CU_add_test(s, "known overflow past half the range is charged, not a jump",
			 test_known_overflow_past_half_range_is_charged) ||
	    !CU_add_test(s, "guessed overflow past half the range is a jump",
			 test_guessed_overflow_past_half_range_is_a_jump) ||
	    !CU_add_test(s, "known overflow reading below the arm point is a whole wrap",
			 test_known_overflow_below_arm_point_is_a_whole_wrap) ||
	    !CU_add_test(s, "known overflow exactly half the range past is on time",
			 test_known_overflow_exactly_half_range_past_is_on_time) ||
	    !CU_add_test(s, "known 64-bit overflow reading 0 at a half-range arm is a whole wrap",
			 test_known_overflow_64_bit_whole_wrap_at_half) ||
	    !CU_add_test(s, "known overflow reads only the named channels",
			 test_known_overflow_reads_only_named_channels) ||
	    !CU_add_test(s, "read error at tick", test_read_error_at_tick) ||
	    !CU_add_test(s, "arm error at tick", test_arm_error_at_tick) ||
	    !CU_add_test(s, "arm error at online", test_arm_error_at_online) ||
	    !CU_add_test(s, "arm error at online takes no budget",
			 test_arm_error_at_online_takes_no_budget) ||
	    !CU_add_test(s, "cpu_init error at online", test_cpu_init_error_at_online) ||
	    !CU_add_test(s, "read error during overflow", test_read_error_during_overflow) ||
	    !CU_add_test(s, "arm error at re-arm", test_arm_error_at_rearm_leaves_cpu_running))
		return -1;
	return 0;
}
