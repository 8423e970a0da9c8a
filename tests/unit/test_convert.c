/* SPDX-License-Identifier: MIT */
/* bytes/s -> events per period. Golden values are worked out by hand from the definition. */
#include <CUnit/CUnit.h>
#include <membw/membw.h>
#include <stdlib.h>

static uint64_t events(uint64_t bps, uint64_t period, uint32_t line)
{
	uint64_t ev = 0xDEAD;

	CU_ASSERT_EQUAL_FATAL(membw_bps_to_events(bps, period, line, &ev), 0);
	return ev;
}

static void test_decimal_megabytes(void)
{
	/* 1000 MB/s = 10^9 B/s; * 10^-3 s = 10^6 B; / 64 B = 15625 lines */
	CU_ASSERT_EQUAL(events(1000000000ull, 1000000, 64), 15625);
}

static void test_memguard_mebibytes(void)
{
	/* MemGuard's "1000 MB/s" is 1000 * 2^20 B/s: 1048576000 * 10^-3 / 64 = 16384 lines */
	CU_ASSERT_EQUAL(events(1048576000ull, 1000000, 64), 16384);
}

static void test_memguard_dram_figures(void)
{
	/* guaranteed 1.2 GB/s and peak 6 GB/s at 1 ms, 64-byte lines: 18750 and 93750 lines */
	CU_ASSERT_EQUAL(events(1200000000ull, 1000000, 64), 18750);
	CU_ASSERT_EQUAL(events(6000000000ull, 1000000, 64), 93750);
}

static void test_rounds_down(void)
{
	/* 64001 B/s over 1 s is 1000.0156 lines: 1000 */
	CU_ASSERT_EQUAL(events(64001, 1000000000, 64), 1000);
	/* 127 B/s over 1 s with 64-byte lines is 1.98 lines: 1 */
	CU_ASSERT_EQUAL(events(127, 1000000000, 64), 1);
}

static void test_line_sizes(void)
{
	/* 64 MB/s for 1 ms = 64000 B: 1000 lines of 64, 500 of 128, 2000 of 32 */
	CU_ASSERT_EQUAL(events(64000000, 1000000, 64), 1000);
	CU_ASSERT_EQUAL(events(64000000, 1000000, 128), 500);
	CU_ASSERT_EQUAL(events(64000000, 1000000, 32), 2000);
}

static void test_zero_is_zero(void)
{
	CU_ASSERT_EQUAL(events(0, 1000000, 64), 0);
}

static void test_less_than_a_line_is_range_error(void)
{
	uint64_t ev = 77;

	/* 63999 B/s for 1 ms is 63.999 B: less than one 64-byte line */
	CU_ASSERT_EQUAL(membw_bps_to_events(63999, 1000000, 64, &ev), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(ev, 77);
	/* 64000 B/s for 1 ms is exactly one line */
	CU_ASSERT_EQUAL(events(64000, 1000000, 64), 1);
}

static void test_largest_budget(void)
{
	uint64_t ev = 77;
	/* (2^32 - 2) lines * 64 B over 1 s = 274877906816 B/s: exactly the largest budget */
	uint64_t top = 0xFFFFFFFEull * 64;

	CU_ASSERT_EQUAL(events(top, 1000000000, 64), 0xFFFFFFFEull);
	CU_ASSERT_EQUAL(membw_bps_to_events(top + 64, 1000000000, 64, &ev), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(ev, 77);
}

static void test_huge_rate_does_not_wrap(void)
{
	uint64_t ev = 77;

	/* 2^64 - 2 B/s over 100 us is ~1.8e15 B, ~4.5e11 4096-byte lines: above the limit */
	CU_ASSERT_EQUAL(membw_bps_to_events(~0ull - 1, 100000, 4096, &ev), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(ev, 77);
}

static void test_unlimited(void)
{
	CU_ASSERT_EQUAL(events(MEMBW_UNLIMITED, 1000000, 64), ~0ull);
}

static void test_bad_arguments(void)
{
	uint64_t ev = 77;

	CU_ASSERT_EQUAL(membw_bps_to_events(1000, 1000000, 64, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_bps_to_events(1000, MEMBW_PERIOD_MIN_NS - 1, 64, &ev), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_bps_to_events(1000, MEMBW_PERIOD_MAX_NS + 1, 64, &ev), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_bps_to_events(1000, 1000000, 0, &ev), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_bps_to_events(1000, 1000000, 4097, &ev), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(ev, 77);
}

/* Against 128-bit arithmetic straight from the definition, over the whole input range. */
static void test_exact_against_wide_arithmetic(void)
{
	static const uint32_t lines[] = { 1, 8, 32, 64, 128, 4096 };
	unsigned int i, mismatches = 0, checked = 0;

	srand(12345);
	for (i = 0; i < 200000; i++) {
		uint64_t bps = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		uint64_t period = MEMBW_PERIOD_MIN_NS +
				  (uint64_t)rand() % (MEMBW_PERIOD_MAX_NS - MEMBW_PERIOD_MIN_NS + 1);
		uint32_t line = lines[(unsigned int)rand() % 6];
		unsigned __int128 want;
		uint64_t got = 0;
		int err;

		bps >>= (unsigned int)rand() % 64;
		want = (unsigned __int128)bps * period / 1000000000u / line;
		err = membw_bps_to_events(bps, period, line, &got);
		if ((bps && want == 0) || want > MEMBW_MAX_EVENTS_PER_PERIOD)
			mismatches += err != -MEMBW_ERANGE;
		else
			mismatches += err != 0 || got != (uint64_t)want;
		checked++;
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	CU_ASSERT_EQUAL(checked, 200000);
}

int suite_convert(void)
{
	CU_pSuite s = CU_add_suite("convert", NULL, NULL);

	if (!s || !CU_add_test(s, "1000 MB/s at 1 ms is 15625 lines", test_decimal_megabytes) ||
	    !CU_add_test(s, "MemGuard's 1000 MiB/s is 16384 lines", test_memguard_mebibytes) ||
	    !CU_add_test(s, "MemGuard DRAM figures", test_memguard_dram_figures) ||
	    !CU_add_test(s, "rounds down", test_rounds_down) ||
	    !CU_add_test(s, "line sizes", test_line_sizes) ||
	    !CU_add_test(s, "zero", test_zero_is_zero) ||
	    !CU_add_test(s, "under one line", test_less_than_a_line_is_range_error) ||
	    !CU_add_test(s, "largest budget", test_largest_budget) ||
	    !CU_add_test(s, "huge rate", test_huge_rate_does_not_wrap) ||
	    !CU_add_test(s, "unlimited", test_unlimited) ||
	    !CU_add_test(s, "bad arguments", test_bad_arguments) ||
	    !CU_add_test(s, "exact vs 128-bit", test_exact_against_wide_arithmetic))
		return -1;
	return 0;
}
