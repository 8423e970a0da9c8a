/* SPDX-License-Identifier: MIT */
/*
 * `membw conformance`'s reading of /sys/devices/system/cpu/online (conformance_parse_online(),
 * tools/membw/conformance/conformance_args.c) on file contents written by hand in the kernel's
 * format (docs/conformance.md): which CPUs each makes online, and what is refused with which
 * reason, leaving the set as it was.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "conformance_args.h"
#include "cunit_run.h"

static bool online[CONFORMANCE_MAX_CPUS];
static char why[200];

/* @text makes online exactly the CPUs @lo .. @hi and @extra (if below 4096). */
static void online_are(const char *text, unsigned int lo, unsigned int hi, unsigned int extra)
{
	unsigned int c, wrong = 0, first = 0;

	memset(online, 1, sizeof(online));
	if (!CHECK_EQ(conformance_parse_online(text, online, why, sizeof(why)), 0,
		      "'%s' is read (%s)", text, why))
		return;
	for (c = 0; c < CONFORMANCE_MAX_CPUS; c++)
		if (online[c] != ((c >= lo && c <= hi) || c == extra) && !wrong++)
			first = c;
	CHECK_EQ(wrong, 0, "'%s': CPUs %u .. %u and %u online, no other (first wrong: CPU %u)",
		 text, lo, hi, extra, first);
}

/* @text is refused with @reason, and online[] is left as it was. */
static void refused(const char *text, const char *reason)
{
	unsigned int c, changed = 0;

	memset(online, 0, sizeof(online));
	online[7] = true;
	CHECK_EQ(conformance_parse_online(text, online, why, sizeof(why)), -1, "'%s' is refused",
		 text);
	CHECK(!strcmp(why, reason), "'%s': reason '%s' (got '%s')", text, reason, why);
	for (c = 0; c < CONFORMANCE_MAX_CPUS; c++)
		changed += online[c] != (c == 7);
	CHECK_EQ(changed, 0, "'%s': online[] unchanged", text);
}

static void test_the_kernels_lists(void)
{
	online_are("0-3,5\n", 0, 3, 5);
	online_are("0\n", 0, 0, 0);
	online_are("0-1\n", 0, 1, 1);
	online_are("2,0-1\n", 0, 2, 2);
	online_are("0-3,5", 0, 3, 5); /* no newline: still the list */
}

/* CPUs from 4096 up are left out, however the list names them. */
static void test_cpus_above_4095_left_out(void)
{
	online_are("0-5000\n", 0, 4095, 4095);
	online_are("0-4095,4096-5000\n", 0, 4095, 4095);
	online_are("0-9,4100\n", 0, 9, 9);
	online_are("4094,4100-4200\n", 4094, 4094, 4094);
}

/* What the kernel never writes is refused, with the reason. */
static void test_what_the_kernel_never_writes(void)
{
	refused("", "the list is empty");
	refused("\n", "the list is empty");
	refused("3-1\n", "'3-1' runs backwards (LOW-HIGH needs LOW <= HIGH)");
	refused("0-\n", "'0-' has no CPU number after its '-'");
	refused(" 1\n", "' 1' does not start with a CPU number");
	refused("0-3,5\n\n", "'5': unexpected byte 0x0a after a CPU number or range");
	refused("0,,2\n", "an empty element at byte 3");
	refused("0\x01\n", "'0?': unexpected byte 0x01 after a CPU number or range");
	refused("99999999999\n", "'99999999999': CPU 99999999999 is not below 4294967295");
}

static int suite_online(void)
{
	CU_pSuite s = CU_add_suite("conformance: the online CPUs file", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "the kernel's lists", test_the_kernels_lists);
	CU_add_test(s, "CPUs above 4095 left out", test_cpus_above_4095_left_out);
	CU_add_test(s, "what the kernel never writes", test_what_the_kernel_never_writes);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}

int main(void)
{
	static int (*const suites[])(void) = { suite_online };
	int err = cunit_register(suites, 1);

	return err ? err : cunit_run("conformance-args");
}
