/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/units.c. Expected values come from hand arithmetic on the unit definitions in
 * units.h (shown next to each value) and, in one test, from GNU coreutils numfmt.
 */
#define _POSIX_C_SOURCE 200809L	/* popen() under -std=c11 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <membw/errors.h>
#include <membw/units.h>

#define SENTINEL UINT64_C(0x5a5a5a5a5a5a5a5a)

#define ASSERT_RATE(text, expect)                                          \
	do {                                                               \
		uint64_t v_ = SENTINEL;                                    \
		CU_ASSERT_EQUAL(membw_parse_rate((text), &v_, NULL), 0);   \
		CU_ASSERT_EQUAL(v_, (uint64_t)(expect));                   \
	} while (0)

#define ASSERT_RATE_ERR(text, err)                                               \
	do {                                                                     \
		uint64_t v_ = SENTINEL;                                          \
		CU_ASSERT_EQUAL(membw_parse_rate((text), &v_, NULL), -(err));    \
	} while (0)

#define ASSERT_RATE_WHY(text, reason)                                      \
	do {                                                               \
		uint64_t v_ = SENTINEL;                                    \
		const char *why_ = NULL;                                   \
		membw_parse_rate((text), &v_, &why_);                      \
		CU_ASSERT_PTR_NOT_NULL_FATAL(why_);                        \
		CU_ASSERT_STRING_EQUAL(why_, (reason));                    \
	} while (0)

#define ASSERT_NS(text, expect)                                              \
	do {                                                                 \
		uint64_t v_ = SENTINEL;                                      \
		CU_ASSERT_EQUAL(membw_parse_duration((text), &v_, NULL), 0); \
		CU_ASSERT_EQUAL(v_, (uint64_t)(expect));                     \
	} while (0)

#define ASSERT_NS_ERR(text, err)                                                   \
	do {                                                                       \
		uint64_t v_ = SENTINEL;                                            \
		CU_ASSERT_EQUAL(membw_parse_duration((text), &v_, NULL), -(err));  \
	} while (0)

#define ASSERT_FMT_RATE(value, expect)                                           \
	do {                                                                     \
		char b_[MEMBW_FORMAT_MAX];                                       \
		CU_ASSERT_EQUAL(membw_format_rate(b_, sizeof(b_), (value)),      \
				(int)strlen(expect));                            \
		CU_ASSERT_STRING_EQUAL(b_, (expect));                            \
	} while (0)

#define ASSERT_FMT_NS(value, expect)                                             \
	do {                                                                     \
		char b_[MEMBW_FORMAT_MAX];                                       \
		CU_ASSERT_EQUAL(membw_format_duration(b_, sizeof(b_), (value)),  \
				(int)strlen(expect));                            \
		CU_ASSERT_STRING_EQUAL(b_, (expect));                            \
	} while (0)

/* ---- rates: plain numbers and prefixes ---- */

static void test_parse_rate_bare_number(void)
{
	ASSERT_RATE("0", 0);
	ASSERT_RATE("64", 64);
	ASSERT_RATE("123456789", 123456789);
}

static void test_parse_rate_bytes_only(void)
{
	ASSERT_RATE("64B", 64);
	ASSERT_RATE("64B/s", 64);
	ASSERT_RATE("64/s", 64);
}

static void test_parse_rate_decimal_prefix_bare(void)
{
	ASSERT_RATE("1k", 1000);		/* 10^3 */
	ASSERT_RATE("1K", 1000);		/* 10^3 */
	ASSERT_RATE("1M", 1000000);		/* 10^6 */
	ASSERT_RATE("1G", 1000000000);		/* 10^9 */
	ASSERT_RATE("1T", UINT64_C(1000000000000));	/* 10^12 */
	ASSERT_RATE("800M", 800000000);	/* 800 * 10^6 */
}

static void test_parse_rate_decimal_prefix_bytes(void)
{
	ASSERT_RATE("2kB", 2000);
	ASSERT_RATE("2KB", 2000);
	ASSERT_RATE("2MB", 2000000);
	ASSERT_RATE("2GB", 2000000000);
	ASSERT_RATE("2TB", UINT64_C(2000000000000));
}

static void test_parse_rate_decimal_prefix_per_second(void)
{
	ASSERT_RATE("3kB/s", 3000);
	ASSERT_RATE("3KB/s", 3000);
	ASSERT_RATE("500MB/s", 500000000);	/* 500 * 10^6 */
	ASSERT_RATE("3GB/s", 3000000000);
	ASSERT_RATE("3TB/s", UINT64_C(3000000000000));
}

static void test_parse_rate_decimal_prefix_slash_s_without_b(void)
{
	ASSERT_RATE("4k/s", 4000);
	ASSERT_RATE("4K/s", 4000);
	ASSERT_RATE("4M/s", 4000000);
	ASSERT_RATE("4G/s", 4000000000);
	ASSERT_RATE("4T/s", UINT64_C(4000000000000));
}

static void test_parse_rate_binary_prefix_bare(void)
{
	ASSERT_RATE("1Ki", 1024);			/* 2^10 */
	ASSERT_RATE("1ki", 1024);			/* k is the one lower-case prefix */
	ASSERT_RATE("1Mi", 1048576);			/* 2^20 */
	ASSERT_RATE("1Gi", 1073741824);			/* 2^30 */
	ASSERT_RATE("1Ti", UINT64_C(1099511627776));	/* 2^40 */
}

static void test_parse_rate_binary_prefix_bytes(void)
{
	ASSERT_RATE("2KiB", 2048);			/* 2 * 2^10 */
	ASSERT_RATE("2MiB", 2097152);			/* 2 * 2^20 */
	ASSERT_RATE("2GiB", 2147483648);		/* 2 * 2^30 */
	ASSERT_RATE("2TiB", UINT64_C(2199023255552));	/* 2 * 2^40 */
}

static void test_parse_rate_binary_prefix_per_second(void)
{
	ASSERT_RATE("3KiB/s", 3072);			/* 3 * 1024 */
	ASSERT_RATE("3MiB/s", 3145728);			/* 3 * 1048576 */
	ASSERT_RATE("3GiB/s", 3221225472);		/* 3 * 1073741824 */
	ASSERT_RATE("3TiB/s", UINT64_C(3298534883328));	/* 3 * 1099511627776 */
	ASSERT_RATE("3Ki/s", 3072);
	ASSERT_RATE("3Mi/s", 3145728);
	ASSERT_RATE("3Gi/s", 3221225472);
	ASSERT_RATE("3Ti/s", UINT64_C(3298534883328));
}

/* ---- rates: fractions and rounding ---- */

static void test_parse_binary_fraction(void)
{
	ASSERT_RATE("1.5GiB/s", 1610612736);		/* 1.5 * 2^30 = 1073741824 + 536870912 */
	ASSERT_RATE("0.5KiB", 512);			/* 2^10 / 2 */
	ASSERT_RATE("0.25Mi", 262144);			/* 2^20 / 4 */
	ASSERT_RATE("2.75Ti", UINT64_C(3023656976384));	/* 2 * 2^40 + 3 * 2^38 */
}

static void test_parse_decimal_fraction(void)
{
	ASSERT_RATE("1.5GB", 1500000000);
	ASSERT_RATE("2.5kB/s", 2500);
	ASSERT_RATE("0.001k", 1);				/* 10^-3 * 10^3 */
	ASSERT_RATE("0.000000000001T", 1);			/* 10^-12 * 10^12 */
	ASSERT_RATE("12.345678M", 12345678);
}

static void test_parse_leading_point_fraction(void)
{
	ASSERT_RATE(".5M", 500000);	/* 0.5 * 10^6 */
	ASSERT_RATE(".5Ki", 512);	/* 0.5 * 2^10 */
}

static void test_parse_eighteen_fraction_digits(void)
{
	/* 0.123456789012345678 * 10^12 = 123456789012.345678, truncated */
	ASSERT_RATE("0.123456789012345678T", UINT64_C(123456789012));
	/* 1 + 10^-18 bytes, truncated */
	ASSERT_RATE("1.000000000000000001", 1);
}

static void test_parse_rate_rounds_down(void)
{
	ASSERT_RATE("1.0000000001kB", 1000);		/* 1000.0000001 */
	ASSERT_RATE("1.9999B", 1);
	ASSERT_RATE("1.0009k", 1000);			/* 1000.9 */
	ASSERT_RATE("0.1Ki", 102);			/* 1024 / 10 = 102.4 */
	ASSERT_RATE("0.3Gi", 322122547);		/* 0.3 * 1073741824 = 322122547.2 */
	/* 2^40 * (1 - 10^-18) = 1099511627776 - 0.0000010995..., so one below 2^40 */
	ASSERT_RATE("0.999999999999999999Ti", UINT64_C(1099511627775));
}

/* ---- rates: whitespace ---- */

static void test_parse_rate_leading_and_trailing_spaces(void)
{
	ASSERT_RATE("  500MB/s", 500000000);
	ASSERT_RATE("500MB/s  ", 500000000);
	ASSERT_RATE("\t500MB/s\t", 500000000);
}

static void test_parse_rate_space_before_unit(void)
{
	ASSERT_RATE("500 MB/s", 500000000);
	ASSERT_RATE("500\tMB/s", 500000000);
	ASSERT_RATE("1.5   GiB", 1610612736);
}

static void test_parse_rate_trailing_newline(void)
{
	/* what `echo 500M > /sys/...` hands the kernel module */
	ASSERT_RATE("500M\n", 500000000);
}

static void test_parse_rate_space_inside_token_refused(void)
{
	ASSERT_RATE_ERR("500 M B", MEMBW_EINVAL);
	ASSERT_RATE_ERR("500MB /s", MEMBW_EINVAL);
	ASSERT_RATE_ERR("500Mi B", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5 00", MEMBW_EINVAL);
	ASSERT_RATE_ERR("1. 5M", MEMBW_EINVAL);
}

static void test_parse_rate_only_spaces_refused(void)
{
	ASSERT_RATE_ERR("   ", MEMBW_EINVAL);
}

/* ---- rates: garbage ---- */

static void test_parse_rate_empty_refused(void)
{
	ASSERT_RATE_ERR("", MEMBW_EINVAL);
}

static void test_parse_rate_garbage_refused(void)
{
	ASSERT_RATE_ERR("abc", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5 XB", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5MB/h", MEMBW_EINVAL);
	ASSERT_RATE_ERR("1..5M", MEMBW_EINVAL);
	ASSERT_RATE_ERR(".M", MEMBW_EINVAL);
	ASSERT_RATE_ERR(".", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5.", MEMBW_EINVAL);
	ASSERT_RATE_ERR("1.2.3", MEMBW_EINVAL);
	ASSERT_RATE_ERR("MB/s", MEMBW_EINVAL);
	ASSERT_RATE_ERR("0x10", MEMBW_EINVAL);
	ASSERT_RATE_ERR("1e6", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5MBs", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5MB/sec", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5MB/", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5KiKi", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5i", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5BB", MEMBW_EINVAL);
	ASSERT_RATE_ERR("1,5M", MEMBW_EINVAL);
}

static void test_parse_rate_lowercase_prefix_refused(void)
{
	ASSERT_RATE_ERR("5mB", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5g", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5tiB", MEMBW_EINVAL);
}

static void test_parse_rate_bits_refused(void)
{
	ASSERT_RATE_ERR("5Mb", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5b", MEMBW_EINVAL);
	ASSERT_RATE_ERR("5Kib/s", MEMBW_EINVAL);
}

static void test_parse_rate_bits_why(void)
{
	ASSERT_RATE_WHY("5Mb/s", "rates are in bytes: use B, not b");
}

static void test_parse_rate_unknown_unit_why(void)
{
	ASSERT_RATE_WHY("5 XB", "unknown unit");
}

static void test_parse_rate_garbage_why(void)
{
	ASSERT_RATE_WHY("abc", "expected a number");
}

static void test_parse_rate_peta_exa(void)
{
	/* 5 * 10^15 */
	ASSERT_RATE("5PB", UINT64_C(5000000000000000));
	/* 17 * 10^18 = 17000000000000000000 < 2^64 = 18446744073709551616 */
	ASSERT_RATE("17EB/s", UINT64_C(17000000000000000000));
	/* 19 * 10^18 > 2^64 */
	ASSERT_RATE_ERR("19EB", MEMBW_ERANGE);
	/* 2^50 and 15 * 2^60 = 17293822569102704640 */
	ASSERT_RATE("1PiB", UINT64_C(1125899906842624));
	ASSERT_RATE("15Ei", UINT64_C(17293822569102704640));
	/* 16 * 2^60 = 2^64 */
	ASSERT_RATE_ERR("16EiB", MEMBW_ERANGE);
	ASSERT_RATE_ERR("5pB", MEMBW_EINVAL);
}

static void test_parse_rate_too_many_fraction_digits(void)
{
	ASSERT_RATE_ERR("1.0000000000000000001", MEMBW_EINVAL);	/* 19 digits */
	ASSERT_RATE_WHY("1.0000000000000000001", "too many digits after the decimal point");
}

/* ---- rates: signs ---- */

static void test_parse_rate_negative_refused(void)
{
	ASSERT_RATE_ERR("-5MB/s", MEMBW_EINVAL);
	ASSERT_RATE_ERR("-0", MEMBW_EINVAL);
	ASSERT_RATE_ERR("  -1", MEMBW_EINVAL);
}

static void test_parse_rate_negative_why(void)
{
	const char *why = NULL;
	uint64_t v = SENTINEL;

	membw_parse_rate("-5MB/s", &v, &why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "negative"));
}

static void test_parse_rate_plus_sign_refused(void)
{
	ASSERT_RATE_ERR("+5MB/s", MEMBW_EINVAL);
}

/* ---- rates: 64-bit range ---- */

static void test_parse_rate_uint64_max_exact(void)
{
	ASSERT_RATE("18446744073709551615", UINT64_MAX);		/* 2^64 - 1 */
	ASSERT_RATE("18446744073709551.615k", UINT64_MAX);		/* same, times 10^3 */
	ASSERT_RATE("18446744073709551615.999", UINT64_MAX);		/* truncated */
	/* 2^24 * 2^40 = 2^64, minus 2^40 * 10^-18 < 1, truncated: 2^64 - 1 */
	ASSERT_RATE("16777215.999999999999999999Ti", UINT64_MAX);
	ASSERT_RATE("18446744T", UINT64_C(18446744000000000000));
}

static void test_parse_rate_just_above_uint64_max(void)
{
	ASSERT_RATE_ERR("18446744073709551616", MEMBW_ERANGE);	/* 2^64 */
	ASSERT_RATE_ERR("18446744073709551.616k", MEMBW_ERANGE);
	ASSERT_RATE_ERR("18446744073709552k", MEMBW_ERANGE);
}

static void test_parse_rate_prefix_overflow(void)
{
	ASSERT_RATE_ERR("18446745T", MEMBW_ERANGE);		/* 1.8446745 * 10^19 */
	ASSERT_RATE_ERR("19000000TB/s", MEMBW_ERANGE);
	ASSERT_RATE_ERR("16777216Ti", MEMBW_ERANGE);		/* 2^24 * 2^40 = 2^64 */
	ASSERT_RATE_ERR("17179869184Gi", MEMBW_ERANGE);		/* 2^34 * 2^30 = 2^64 */
	ASSERT_RATE_ERR("17592186044416Mi", MEMBW_ERANGE);	/* 2^44 * 2^20 = 2^64 */
}

static void test_parse_rate_huge_digit_strings(void)
{
	char big[201];

	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ASSERT_RATE_ERR("99999999999999999999", MEMBW_ERANGE);
	ASSERT_RATE_ERR("99999999999999999999.5k", MEMBW_ERANGE);
	ASSERT_RATE_ERR(big, MEMBW_ERANGE);
}

static void test_parse_rate_leading_zeros_do_not_overflow(void)
{
	ASSERT_RATE("000000000000000000000000000000000001", 1);
	ASSERT_RATE("00000000000000000000000018446744073709551615", UINT64_MAX);
}

static void test_parse_rate_overflow_why(void)
{
	ASSERT_RATE_WHY("18446744073709551616", "value too large for 64 bits");
}

/* ---- rates: outputs and reasons ---- */

static void test_parse_rate_output_unchanged_on_error(void)
{
	uint64_t v = SENTINEL;

	membw_parse_rate("abc", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
	membw_parse_rate("18446744073709551616", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
	membw_parse_rate("-5MB/s", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
	membw_parse_rate("5Mb", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
}

static void test_parse_rate_why_null_on_success(void)
{
	const char *why = "stale";
	uint64_t v;

	CU_ASSERT_EQUAL(membw_parse_rate("500MB/s", &v, &why), 0);
	CU_ASSERT_PTR_NULL(why);
}

static void test_parse_rate_why_set_on_error(void)
{
	static const char *const bad[] = { "", "abc", "5 XB", "5MB/h", "1..5M", ".M", "-1",
					   "+1", "5Mb", "5m", "99999999999999999999" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		uint64_t v;

		membw_parse_rate(bad[i], &v, &why);
		CU_ASSERT_PTR_NOT_NULL(why);
	}
}

static void test_parse_rate_null_why_allowed(void)
{
	uint64_t v = SENTINEL;

	CU_ASSERT_EQUAL(membw_parse_rate("1k", &v, NULL), 0);
	CU_ASSERT_EQUAL(membw_parse_rate("x", &v, NULL), -MEMBW_EINVAL);
}

static void test_parse_rate_null_pointers(void)
{
	uint64_t v = SENTINEL;
	const char *why = NULL;

	CU_ASSERT_EQUAL(membw_parse_rate(NULL, &v, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_parse_rate("1k", NULL, &why), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(why);
	CU_ASSERT_EQUAL(v, SENTINEL);
}

static void test_parse_rate_unlimited_word(void)
{
	/* "unlimited" is what membw_format_rate() writes for MEMBW_UNLIMITED, and parses back */
	ASSERT_RATE("unlimited", MEMBW_UNLIMITED);
	ASSERT_RATE(" unlimited\n", MEMBW_UNLIMITED);
	ASSERT_RATE_ERR("unlimitedB", MEMBW_EINVAL);
	ASSERT_RATE_ERR("Unlimited", MEMBW_EINVAL);
	ASSERT_RATE_ERR("unlim", MEMBW_EINVAL);
}

/* ---- rates: cross-check against GNU numfmt ---- */

static int numfmt_value(const char *mode, const char *arg, unsigned long long *out)
{
	char cmd[128], line[64], *end;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "LC_ALL=C numfmt %s -- '%s' 2>/dev/null", mode, arg);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(line, sizeof(line), p)) {
		pclose(p);
		return -1;
	}
	st = pclose(p);
	if (st != 0)
		return -1;
	*out = strtoull(line, &end, 10);
	return end != line ? 0 : -1;
}

static void test_parse_rate_agrees_with_numfmt(void)
{
	static const struct {
		const char *ours, *mode, *theirs;
	} rows[] = {
		{ "500M", "--from=si", "500M" },
		{ "500MB/s", "--from=si", "500M" },
		{ "2K", "--from=si", "2K" },
		{ "0.5k", "--from=si", "0.5K" },
		{ "1.5G", "--from=si", "1.5G" },
		{ "7TB/s", "--from=si", "7T" },
		{ "999999999999999999", "--from=si", "999999999999999999" },
		{ "1Ki", "--from=iec-i", "1Ki" },
		{ "1.5GiB/s", "--from=iec-i", "1.5Gi" },
		{ "0.25Mi", "--from=iec-i", "0.25Mi" },
		{ "3.75TiB", "--from=iec-i", "3.75Ti" },
		{ ".5Ki", "--from=iec-i", ".5Ki" },
		{ "640KiB/s", "--from=iec", "640K" },
	};
	size_t i;

	if (system("command -v numfmt >/dev/null 2>&1") != 0) {
		CU_FAIL("numfmt not found: install the coreutils package");
		return;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned long long want = 0;
		uint64_t got = SENTINEL;

		CU_ASSERT_EQUAL_FATAL(numfmt_value(rows[i].mode, rows[i].theirs, &want), 0);
		CU_ASSERT_EQUAL(membw_parse_rate(rows[i].ours, &got, NULL), 0);
		CU_ASSERT_EQUAL(got, (uint64_t)want);
	}
}

/* ---- durations ---- */

static void test_parse_duration_each_unit(void)
{
	ASSERT_NS("17ns", 17);
	ASSERT_NS("250us", 250000);		/* 250 * 10^3 */
	ASSERT_NS("1ms", 1000000);		/* 10^6 */
	ASSERT_NS("2s", 2000000000);		/* 2 * 10^9 */
}

static void test_parse_duration_fraction(void)
{
	ASSERT_NS("0.5ms", 500000);		/* 0.5 * 10^6 */
	ASSERT_NS("1.5s", 1500000000);
	ASSERT_NS("2.25us", 2250);
	ASSERT_NS("0.000000001s", 1);		/* 10^-9 * 10^9 */
}

static void test_parse_duration_rounds_down(void)
{
	ASSERT_NS("1.9ns", 1);
	ASSERT_NS("0.0000000015s", 1);		/* 1.5 ns */
	ASSERT_NS("1.2345678ms", 1234567);	/* 1234567.8 ns */
}

/* A non-zero value that rounds down to zero is refused; zero is only a number written as zero. */
static void test_parse_rate_below_one_refused(void)
{
	ASSERT_RATE_ERR("0.9", MEMBW_ERANGE);
	ASSERT_RATE_ERR("0.5", MEMBW_ERANGE);
	ASSERT_RATE_ERR("0.5B/s", MEMBW_ERANGE);
	ASSERT_RATE_ERR("0.000000000000000001", MEMBW_ERANGE);	/* 10^-18 B/s */
	ASSERT_RATE_ERR("0.0009k", MEMBW_ERANGE);			/* 0.9 B/s */
	ASSERT_RATE_ERR("0.0009765Ki", MEMBW_ERANGE);		/* 0.999936 B/s */
	ASSERT_RATE_WHY("0.5", "not zero but below 1 B/s, the smallest non-zero rate");
	ASSERT_RATE("0.0009766Ki", 1);				/* 1.0000384 B/s */
	ASSERT_RATE("0.001k", 1);
	ASSERT_RATE("0", 0);
	ASSERT_RATE("0.0", 0);
	ASSERT_RATE("0MB/s", 0);
	ASSERT_RATE(".000GiB/s", 0);
}

static void test_parse_duration_below_one_refused(void)
{
	uint64_t v = SENTINEL;
	const char *why = NULL;

	ASSERT_NS_ERR("0.9ns", MEMBW_ERANGE);
	ASSERT_NS_ERR("0.0009us", MEMBW_ERANGE);			/* 0.9 ns */
	ASSERT_NS_ERR("0.0000000009s", MEMBW_ERANGE);		/* 0.9 ns */
	CU_ASSERT_EQUAL(membw_parse_duration("0.5ns", &v, &why), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(v, SENTINEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "not zero but below 1 ns, the smallest non-zero duration");
	ASSERT_NS("0.001us", 1);
	ASSERT_NS("0s", 0);
	ASSERT_NS("0.00ms", 0);
}

static void test_parse_duration_whitespace(void)
{
	ASSERT_NS("250 us", 250000);
	ASSERT_NS("  1ms  ", 1000000);
	ASSERT_NS("1ms\n", 1000000);
	ASSERT_NS_ERR("1 m s", MEMBW_EINVAL);
}

static void test_parse_duration_missing_unit(void)
{
	ASSERT_NS_ERR("5", MEMBW_EINVAL);
	ASSERT_NS_ERR("5 ", MEMBW_EINVAL);
	ASSERT_NS_ERR("0", MEMBW_EINVAL);
}

static void test_parse_duration_missing_unit_why(void)
{
	const char *why = NULL;
	uint64_t v = SENTINEL;

	membw_parse_duration("5", &v, &why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "missing unit: use ns, us, ms or s");
}

static void test_parse_duration_unknown_unit(void)
{
	ASSERT_NS_ERR("5h", MEMBW_EINVAL);
	ASSERT_NS_ERR("5m", MEMBW_EINVAL);
	ASSERT_NS_ERR("5min", MEMBW_EINVAL);
	ASSERT_NS_ERR("5 sec", MEMBW_EINVAL);
	ASSERT_NS_ERR("5Ms", MEMBW_EINVAL);
	ASSERT_NS_ERR("5S", MEMBW_EINVAL);
	ASSERT_NS_ERR("5\xc2\xb5s", MEMBW_EINVAL);	/* "µs" in UTF-8 */
	ASSERT_NS_ERR("5kms", MEMBW_EINVAL);
	ASSERT_NS_ERR("5ms/s", MEMBW_EINVAL);
}

static void test_parse_duration_garbage(void)
{
	ASSERT_NS_ERR("", MEMBW_EINVAL);
	ASSERT_NS_ERR("ms", MEMBW_EINVAL);
	ASSERT_NS_ERR("1..5ms", MEMBW_EINVAL);
	ASSERT_NS_ERR(".ms", MEMBW_EINVAL);
}

static void test_parse_duration_negative(void)
{
	const char *why = NULL;
	uint64_t v = SENTINEL;

	CU_ASSERT_EQUAL(membw_parse_duration("-1ms", &v, &why), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "negative"));
}

static void test_parse_duration_range(void)
{
	ASSERT_NS("18446744073709551615ns", UINT64_MAX);
	ASSERT_NS("18446744073.709551615s", UINT64_MAX);		/* 2^64 - 1 ns */
	ASSERT_NS("18446744073s", UINT64_C(18446744073000000000));
	ASSERT_NS_ERR("18446744073709551616ns", MEMBW_ERANGE);
	ASSERT_NS_ERR("18446744073.709551616s", MEMBW_ERANGE);
	ASSERT_NS_ERR("18446744074s", MEMBW_ERANGE);
	ASSERT_NS_ERR("99999999999999999999999ms", MEMBW_ERANGE);
}

static void test_parse_duration_output_unchanged_on_error(void)
{
	uint64_t v = SENTINEL;

	membw_parse_duration("5", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
	membw_parse_duration("18446744074s", &v, NULL);
	CU_ASSERT_EQUAL(v, SENTINEL);
}

static void test_parse_duration_why_null_on_success(void)
{
	const char *why = "stale";
	uint64_t v;

	CU_ASSERT_EQUAL(membw_parse_duration("1ms", &v, &why), 0);
	CU_ASSERT_PTR_NULL(why);
}

static void test_parse_duration_null_pointers(void)
{
	uint64_t v = SENTINEL;

	CU_ASSERT_EQUAL(membw_parse_duration(NULL, &v, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_parse_duration("1ms", NULL, NULL), -MEMBW_EINVAL);
}

/* ---- formatting ---- */

static void test_format_rate_examples(void)
{
	ASSERT_FMT_RATE(1610612736, "1.61 GB/s");	/* 1.610612736 * 10^9 */
	ASSERT_FMT_RATE(500000000, "500 MB/s");
	ASSERT_FMT_RATE(64, "64 B/s");
	ASSERT_FMT_RATE(1999, "1.99 kB/s");		/* truncated, not 2.00 */
	ASSERT_FMT_RATE(0, "0 B/s");
	ASSERT_FMT_RATE(UINT64_MAX, "unlimited");
}

static void test_format_rate_each_prefix(void)
{
	ASSERT_FMT_RATE(999, "999 B/s");
	ASSERT_FMT_RATE(1000, "1 kB/s");
	ASSERT_FMT_RATE(UINT64_C(1000000), "1 MB/s");
	ASSERT_FMT_RATE(UINT64_C(1000000000), "1 GB/s");
	ASSERT_FMT_RATE(UINT64_C(1000000000000), "1 TB/s");
	ASSERT_FMT_RATE(UINT64_C(1000000000000000), "1 PB/s");
	ASSERT_FMT_RATE(UINT64_C(1000000000000000000), "1 EB/s");
	ASSERT_FMT_RATE(UINT64_MAX - 1, "18.4 EB/s");	/* 18.446744073709551614 * 10^18 */
}

static void test_format_rate_truncates(void)
{
	ASSERT_FMT_RATE(999999, "999 kB/s");		/* not 1 MB/s */
	ASSERT_FMT_RATE(12345, "12.3 kB/s");
	ASSERT_FMT_RATE(1099511627776, "1.09 TB/s");	/* 2^40 */
	ASSERT_FMT_RATE(1073741824, "1.07 GB/s");	/* 2^30 */
}

static void test_format_rate_drops_trailing_zeros(void)
{
	ASSERT_FMT_RATE(1500, "1.5 kB/s");
	ASSERT_FMT_RATE(1050, "1.05 kB/s");
	ASSERT_FMT_RATE(1009, "1 kB/s");		/* 1.009 -> 1.00 -> 1 */
	ASSERT_FMT_RATE(20000, "20 kB/s");
	ASSERT_FMT_RATE(20500, "20.5 kB/s");
}

static void test_format_duration_examples(void)
{
	ASSERT_FMT_NS(1000000, "1 ms");
	ASSERT_FMT_NS(250000, "250 us");
	ASSERT_FMT_NS(2500000000, "2.5 s");
	ASSERT_FMT_NS(17, "17 ns");
	ASSERT_FMT_NS(0, "0 ns");
}

static void test_format_duration_truncates(void)
{
	ASSERT_FMT_NS(1500, "1.5 us");
	ASSERT_FMT_NS(999999999, "999 ms");
	ASSERT_FMT_NS(1234567, "1.23 ms");
	ASSERT_FMT_NS(UINT64_C(60000000000), "60 s");
}

static void test_format_duration_beyond_largest_unit(void)
{
	/* seconds are the largest unit, so whole seconds are written in full */
	ASSERT_FMT_NS(UINT64_C(3600000000000), "3600 s");
	ASSERT_FMT_NS(UINT64_MAX, "18446744073 s");	/* (2^64 - 1) / 10^9, truncated */
}

static void test_format_max_is_enough(void)
{
	static const uint64_t vals[] = { 0, 1, 999, 1999, 123456789, UINT64_MAX - 1, UINT64_MAX };
	char buf[MEMBW_FORMAT_MAX];
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		CU_ASSERT(membw_format_rate(buf, sizeof(buf), vals[i]) > 0);
		CU_ASSERT(membw_format_duration(buf, sizeof(buf), vals[i]) > 0);
	}
}

static void test_format_zero_len_writes_nothing(void)
{
	char buf[4] = "XYZ";

	CU_ASSERT_EQUAL(membw_format_rate(buf, 0, 1000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "XYZ");
	CU_ASSERT_EQUAL(membw_format_duration(buf, 0, 1000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "XYZ");
}

static void test_format_len_one_gives_empty_string(void)
{
	char buf[4] = "XYZ";

	CU_ASSERT_EQUAL(membw_format_rate(buf, 1, 1000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

static void test_format_small_buffer_truncated_prefix(void)
{
	char buf[MEMBW_FORMAT_MAX];

	CU_ASSERT_EQUAL(membw_format_rate(buf, 4, 500000000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "500");
	CU_ASSERT_EQUAL(membw_format_rate(buf, 5, UINT64_MAX), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "unli");
	CU_ASSERT_EQUAL(membw_format_duration(buf, 4, 2500000000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "2.5");
}

static void test_format_exact_fit(void)
{
	char buf[MEMBW_FORMAT_MAX];

	/* "500 MB/s" is 8 characters: 9 bytes fit, 8 do not */
	CU_ASSERT_EQUAL(membw_format_rate(buf, 9, 500000000), 8);
	CU_ASSERT_STRING_EQUAL(buf, "500 MB/s");
	CU_ASSERT_EQUAL(membw_format_rate(buf, 8, 500000000), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "500 MB/");
	/* "17 ns" is 5 characters */
	CU_ASSERT_EQUAL(membw_format_duration(buf, 6, 17), 5);
	CU_ASSERT_EQUAL(membw_format_duration(buf, 5, 17), -MEMBW_ERANGE);
	CU_ASSERT_STRING_EQUAL(buf, "17 n");
}

static void test_format_null_buffer(void)
{
	CU_ASSERT_EQUAL(membw_format_rate(NULL, 16, 1), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_format_duration(NULL, 16, 1), -MEMBW_EINVAL);
}

/* ---- round trips ---- */

/* x with all but its three leading decimal digits set to zero */
static uint64_t three_digits(uint64_t x)
{
	uint64_t p = 1;

	while (x / p >= 1000)
		p *= 10;
	return x - x % p;
}

static uint64_t next_value(uint64_t *state)
{
	*state = *state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return *state >> (*state % 64);
}

static void test_round_trip_rate(void)
{
	uint64_t state = 1;
	int i;

	/* parse lacks P and E, so stay below 10^15 */
	for (i = 0; i < 2000; i++) {
		uint64_t x = next_value(&state) % UINT64_C(1000000000000000), y = SENTINEL;
		char buf[MEMBW_FORMAT_MAX];

		CU_ASSERT_FATAL(membw_format_rate(buf, sizeof(buf), x) > 0);
		CU_ASSERT_EQUAL(membw_parse_rate(buf, &y, NULL), 0);
		CU_ASSERT_EQUAL(y, three_digits(x));
	}
}

static void test_round_trip_duration(void)
{
	uint64_t state = 7;
	int i;

	/* below 1000 s, where three significant digits apply */
	for (i = 0; i < 2000; i++) {
		uint64_t x = next_value(&state) % UINT64_C(1000000000000), y = SENTINEL;
		char buf[MEMBW_FORMAT_MAX];

		CU_ASSERT_FATAL(membw_format_duration(buf, sizeof(buf), x) > 0);
		CU_ASSERT_EQUAL(membw_parse_duration(buf, &y, NULL), 0);
		CU_ASSERT_EQUAL(y, three_digits(x));
	}
}

static void test_round_trip_fixed_values(void)
{
	uint64_t y = SENTINEL;
	char buf[MEMBW_FORMAT_MAX];

	membw_format_rate(buf, sizeof(buf), 1610612736);
	CU_ASSERT_EQUAL(membw_parse_rate(buf, &y, NULL), 0);
	CU_ASSERT_EQUAL(y, 1610000000);			/* "1.61 GB/s" */
	membw_format_duration(buf, sizeof(buf), 2500000000);
	CU_ASSERT_EQUAL(membw_parse_duration(buf, &y, NULL), 0);
	CU_ASSERT_EQUAL(y, 2500000000);			/* "2.5 s" */
}

static const struct {
	const char *name;
	CU_TestFunc fn;
} tests[] = {
	{ "parse_rate_bare_number", test_parse_rate_bare_number },
	{ "parse_rate_bytes_only", test_parse_rate_bytes_only },
	{ "parse_rate_decimal_prefix_bare", test_parse_rate_decimal_prefix_bare },
	{ "parse_rate_decimal_prefix_bytes", test_parse_rate_decimal_prefix_bytes },
	{ "parse_rate_decimal_prefix_per_second", test_parse_rate_decimal_prefix_per_second },
	{ "parse_rate_decimal_prefix_slash_s_without_b",
	  test_parse_rate_decimal_prefix_slash_s_without_b },
	{ "parse_rate_binary_prefix_bare", test_parse_rate_binary_prefix_bare },
	{ "parse_rate_binary_prefix_bytes", test_parse_rate_binary_prefix_bytes },
	{ "parse_rate_binary_prefix_per_second", test_parse_rate_binary_prefix_per_second },
	{ "parse_binary_fraction", test_parse_binary_fraction },
	{ "parse_decimal_fraction", test_parse_decimal_fraction },
	{ "parse_leading_point_fraction", test_parse_leading_point_fraction },
	{ "parse_eighteen_fraction_digits", test_parse_eighteen_fraction_digits },
	{ "parse_rate_rounds_down", test_parse_rate_rounds_down },
	{ "parse_rate_leading_and_trailing_spaces", test_parse_rate_leading_and_trailing_spaces },
	{ "parse_rate_space_before_unit", test_parse_rate_space_before_unit },
	{ "parse_rate_trailing_newline", test_parse_rate_trailing_newline },
	{ "parse_rate_space_inside_token_refused", test_parse_rate_space_inside_token_refused },
	{ "parse_rate_only_spaces_refused", test_parse_rate_only_spaces_refused },
	{ "parse_rate_empty_refused", test_parse_rate_empty_refused },
	{ "parse_rate_garbage_refused", test_parse_rate_garbage_refused },
	{ "parse_rate_lowercase_prefix_refused", test_parse_rate_lowercase_prefix_refused },
	{ "parse_rate_bits_refused", test_parse_rate_bits_refused },
	{ "parse_rate_bits_why", test_parse_rate_bits_why },
	{ "parse_rate_unknown_unit_why", test_parse_rate_unknown_unit_why },
	{ "parse_rate_garbage_why", test_parse_rate_garbage_why },
	{ "parse_rate_peta_exa", test_parse_rate_peta_exa },
	{ "parse_rate_too_many_fraction_digits", test_parse_rate_too_many_fraction_digits },
	{ "parse_rate_negative_refused", test_parse_rate_negative_refused },
	{ "parse_rate_negative_why", test_parse_rate_negative_why },
	{ "parse_rate_plus_sign_refused", test_parse_rate_plus_sign_refused },
	{ "parse_rate_uint64_max_exact", test_parse_rate_uint64_max_exact },
	{ "parse_rate_just_above_uint64_max", test_parse_rate_just_above_uint64_max },
	{ "parse_rate_prefix_overflow", test_parse_rate_prefix_overflow },
	{ "parse_rate_huge_digit_strings", test_parse_rate_huge_digit_strings },
	{ "parse_rate_leading_zeros_do_not_overflow",
	  test_parse_rate_leading_zeros_do_not_overflow },
	{ "parse_rate_overflow_why", test_parse_rate_overflow_why },
	{ "parse_rate_output_unchanged_on_error", test_parse_rate_output_unchanged_on_error },
	{ "parse_rate_why_null_on_success", test_parse_rate_why_null_on_success },
	{ "parse_rate_why_set_on_error", test_parse_rate_why_set_on_error },
	{ "parse_rate_null_why_allowed", test_parse_rate_null_why_allowed },
	{ "parse_rate_null_pointers", test_parse_rate_null_pointers },
	{ "parse_rate_unlimited_word", test_parse_rate_unlimited_word },
	{ "parse_rate_agrees_with_numfmt", test_parse_rate_agrees_with_numfmt },
	{ "parse_duration_each_unit", test_parse_duration_each_unit },
	{ "parse_duration_fraction", test_parse_duration_fraction },
	{ "parse_duration_rounds_down", test_parse_duration_rounds_down },
	{ "parse_duration_whitespace", test_parse_duration_whitespace },
	{ "parse_duration_missing_unit", test_parse_duration_missing_unit },
	{ "parse_duration_missing_unit_why", test_parse_duration_missing_unit_why },
	{ "parse_duration_unknown_unit", test_parse_duration_unknown_unit },
	{ "parse_duration_garbage", test_parse_duration_garbage },
	{ "parse_duration_negative", test_parse_duration_negative },
	{ "parse_duration_range", test_parse_duration_range },
	{ "parse_duration_output_unchanged_on_error",
	  test_parse_duration_output_unchanged_on_error },
	{ "parse_duration_why_null_on_success", test_parse_duration_why_null_on_success },
	{ "parse_duration_null_pointers", test_parse_duration_null_pointers },
	{ "parse_rate_below_one_refused", test_parse_rate_below_one_refused },
	{ "parse_duration_below_one_refused", test_parse_duration_below_one_refused },
	{ "format_rate_examples", test_format_rate_examples },
	{ "format_rate_each_prefix", test_format_rate_each_prefix },
	{ "format_rate_truncates", test_format_rate_truncates },
	{ "format_rate_drops_trailing_zeros", test_format_rate_drops_trailing_zeros },
	{ "format_duration_examples", test_format_duration_examples },
	{ "format_duration_truncates", test_format_duration_truncates },
	{ "format_duration_beyond_largest_unit", test_format_duration_beyond_largest_unit },
	{ "format_max_is_enough", test_format_max_is_enough },
	{ "format_zero_len_writes_nothing", test_format_zero_len_writes_nothing },
	{ "format_len_one_gives_empty_string", test_format_len_one_gives_empty_string },
	{ "format_small_buffer_truncated_prefix", test_format_small_buffer_truncated_prefix },
	{ "format_exact_fit", test_format_exact_fit },
	{ "format_null_buffer", test_format_null_buffer },
	{ "round_trip_rate", test_round_trip_rate },
	{ "round_trip_duration", test_round_trip_duration },
	{ "round_trip_fixed_values", test_round_trip_fixed_values },
};

int suite_units(void)
{
	CU_pSuite suite = CU_add_suite("units", NULL, NULL);
	size_t i;

	if (!suite)
		return -1;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
