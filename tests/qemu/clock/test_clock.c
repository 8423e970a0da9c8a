/* SPDX-License-Identifier: MIT */
/*
 * The platform's tick/ns conversions (tests/qemu/platform/clock.h) on the host: every path (shift,
 * multiply/divide, general) against values computed by hand from the definitions
 *   ns = floor(ticks * 10^9 / f),   ticks = ceil(ns * f / 10^9),
 * and the fast paths against the general one over a spread of values.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>

#include "check.h"
#include "clock.h"
#include "cunit_run.h"

#define TWO_40 1099511627776ull

struct pair {
	uint64_t in, out;
};

static void check_to_ns(uint64_t f, const struct pair *p, unsigned int n)
{
	struct clock_conv c;
	unsigned int i;

	clock_conv_init(&c, f);
	for (i = 0; i < n; i++)
		CHECK_EQ(clock_ticks_to_ns(&c, p[i].in), p[i].out, "%llu ticks at %llu Hz in ns",
			 (unsigned long long)p[i].in, (unsigned long long)f);
}

static void check_to_ticks(uint64_t f, const struct pair *p, unsigned int n)
{
	struct clock_conv c;
	unsigned int i;

	clock_conv_init(&c, f);
	for (i = 0; i < n; i++)
		CHECK_EQ(clock_ns_to_ticks(&c, p[i].in), p[i].out,
			 "%llu ns at %llu Hz in ticks, rounded up", (unsigned long long)p[i].in,
			 (unsigned long long)f);
}

#define N(a) (unsigned int)(sizeof(a) / sizeof((a)[0]))

/* 62.5 MHz (QEMU 7.2): 16 ns per tick, the shift path. */
static void test_62_5_mhz(void)
{
	static const struct pair to_ns[] = {
		{ 0, 0 }, { 1, 16 }, { 62499999, 999999984 }, { 62500000, 1000000000 },
		{ TWO_40, 17592186044416ull },
	};
	static const struct pair to_ticks[] = {
		{ 0, 0 }, { 1, 1 }, { 15, 1 }, { 16, 1 }, { 17, 2 }, { 1000000000, 62500000 },
		{ 1000000001, 62500001 }, { UINT64_MAX, 1152921504606846976ull },
	};
	struct clock_conv c;

	clock_conv_init(&c, 62500000);
	CHECK_EQ(c.ns_per_tick, 16, "62.5 MHz: 16 ns per tick");
	CHECK_EQ(c.shift, 4, "62.5 MHz: ns to ticks is a shift by 4");
	check_to_ns(62500000, to_ns, N(to_ns));
	check_to_ticks(62500000, to_ticks, N(to_ticks));
}

/* 1 GHz: 1 ns per tick, a shift by 0. */
static void test_1_ghz(void)
{
	static const struct pair same[] = {
		{ 0, 0 }, { 1, 1 }, { 999999999, 999999999 }, { 1000000000, 1000000000 },
		{ TWO_40, TWO_40 }, { UINT64_MAX, UINT64_MAX },
	};
	struct clock_conv c;

	clock_conv_init(&c, 1000000000);
	CHECK_EQ(c.shift, 0, "1 GHz: a shift by 0");
	check_to_ns(1000000000, same, N(same));
	check_to_ticks(1000000000, same, N(same));
}

/* 50 MHz: 20 ns per tick, exact but not a power of two: the multiply/divide path. */
static void test_50_mhz(void)
{
	static const struct pair to_ns[] = {
		{ 0, 0 }, { 1, 20 }, { 49999999, 999999980 }, { 50000000, 1000000000 },
		{ TWO_40, 21990232555520ull },
	};
	static const struct pair to_ticks[] = {
		{ 0, 0 }, { 1, 1 }, { 20, 1 }, { 21, 2 }, { 1000000000, 50000000 },
		{ UINT64_MAX, 922337203685477581ull },
	};
	struct clock_conv c;

	clock_conv_init(&c, 50000000);
	CHECK_EQ(c.ns_per_tick, 20, "50 MHz: 20 ns per tick");
	CHECK_EQ(c.shift, CLOCK_NO_SHIFT, "50 MHz: no shift");
	check_to_ns(50000000, to_ns, N(to_ns));
	check_to_ticks(50000000, to_ticks, N(to_ticks));
}

/* 24 MHz: 41.67 ns per tick, the general path. ns = floor(ticks * 125 / 3),
 * ticks = ceil(ns * 3 / 125). The large ns values overflow ns * f in 64 bits (2^40 * 24 * 10^6
 * > 2^64), which the general path must avoid:
 *   2^40 ns:      1099511627776 * 3 = 3298534883328 = 125 * 26388279066 + 78, so 26388279067;
 *   2^64 - 1 ns:  18446744073709551615 * 3 = 55340232221128654845
 *                 = 125 * 442721857769029238 + 95, so 442721857769029239. */
static void test_24_mhz(void)
{
	static const struct pair to_ns[] = {
		{ 0, 0 }, { 1, 41 }, { 3, 125 }, { 23999999, 999999958 }, { 24000000, 1000000000 },
		{ TWO_40, 45812984490666ull },
	};
	static const struct pair to_ticks[] = {
		{ 0, 0 }, { 1, 1 }, { 41, 1 }, { 42, 2 }, { 125, 3 }, { 126, 4 },
		{ 1000000000, 24000000 }, { 1000000001, 24000001 }, { TWO_40, 26388279067ull },
		{ UINT64_MAX, 442721857769029239ull },
	};
	struct clock_conv c;

	clock_conv_init(&c, 24000000);
	CHECK_EQ(c.ns_per_tick, 0, "24 MHz: no whole number of ns per tick");
	check_to_ns(24000000, to_ns, N(to_ns));
	check_to_ticks(24000000, to_ticks, N(to_ticks));
}

/* 19.2 MHz: 52.08 ns per tick, the general path. ns = floor(ticks * 625 / 12),
 * ticks = ceil(ns * 12 / 625); the large ns values overflow ns * f in 64 bits:
 *   2^40 ns:      1099511627776 * 12 = 13194139533312 = 625 * 21110623253 + 187, so 21110623254;
 *   2^64 - 1 ns:  18446744073709551615 * 12 = 221360928884514619380
 *                 = 625 * 354177486215223391 + 5, so 354177486215223392. */
static void test_19_2_mhz(void)
{
	static const struct pair to_ns[] = {
		{ 0, 0 }, { 1, 52 }, { 12, 625 }, { 19199999, 999999947 }, { 19200000, 1000000000 },
		{ TWO_40, 57266230613333ull },
	};
	static const struct pair to_ticks[] = {
		{ 0, 0 }, { 1, 1 }, { 52, 1 }, { 53, 2 }, { 625, 12 }, { 626, 13 },
		{ 1000000000, 19200000 }, { TWO_40, 21110623254ull },
		{ UINT64_MAX, 354177486215223392ull },
	};

	check_to_ns(19200000, to_ns, N(to_ns));
	check_to_ticks(19200000, to_ticks, N(to_ticks));
}

/* The fast paths give what the general formulas give, for every exact frequency tried, over
 * small values, values around each second and a pseudo-random spread up to 2^63. */
static void test_fast_paths_match_general(void)
{
	static const uint64_t freqs[] = { 1000000000, 500000000, 250000000, 125000000, 100000000,
					  62500000, 50000000, 40000000, 31250000, 25000000,
					  15625000, 10000000, 1000000, 1 };
	uint64_t x = 0x9e3779b97f4a7c15ull, v;
	unsigned int i, j, bad_ns = 0, bad_ticks = 0, fast = 0;
	struct clock_conv c;

	for (i = 0; i < N(freqs); i++) {
		clock_conv_init(&c, freqs[i]);
		fast += c.ns_per_tick != 0;
		for (j = 0; j < 3000; j++) {
			if (j < 1000)
				v = j;
			else if (j < 2000)
				v = (j - 1000) / 2 * CLOCK_NS_PER_S + (j & 1 ? 1 : CLOCK_NS_PER_S - 1);
			else {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				v = x >> (1 + j % 40);
			}
			bad_ns += clock_ticks_to_ns(&c, v) !=
				  clock_ticks_to_ns_general(freqs[i], v);
			bad_ticks += clock_ns_to_ticks(&c, v) !=
				     clock_ns_to_ticks_general(freqs[i], v);
		}
	}
	CHECK_EQ(fast, N(freqs), "every frequency tried divides 10^9 (a fast path is taken)");
	CHECK_EQ(bad_ns, 0, "ticks to ns: the fast paths agree with the general formula");
	CHECK_EQ(bad_ticks, 0, "ns to ticks: the fast paths agree with the general formula");
}

static int suite_clock(void)
{
	CU_pSuite s = CU_add_suite("platform clock", NULL, NULL);

	if (!s || !CU_add_test(s, "62.5 MHz (shift)", test_62_5_mhz) ||
	    !CU_add_test(s, "1 GHz (shift by 0)", test_1_ghz) ||
	    !CU_add_test(s, "50 MHz (multiply, divide)", test_50_mhz) ||
	    !CU_add_test(s, "24 MHz (general)", test_24_mhz) ||
	    !CU_add_test(s, "19.2 MHz (general)", test_19_2_mhz) ||
	    !CU_add_test(s, "fast paths = general", test_fast_paths_match_general))
		return -1;
	return 0;
}

static int (*const suites[])(void) = { suite_clock };

int main(void)
{
	int err = cunit_register(suites, N(suites));

	return err ? err : cunit_run("platform-clock");
}
