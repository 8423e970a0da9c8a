/* SPDX-License-Identifier: MIT */
/*
 * tools/membw/text.c's CPU-list reader, on lists and expected CPUs written by hand: what each
 * accepted list names (in its order), and for each refused one which element, which byte and why.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "text.h"

static char seen[512];      /* the CPUs passed to the function, "0 1 2", in order */
static int refuse_at = -1;  /* the element (0, 1, ..) the function refuses; -1 none */
static int element;

static int collect(void *ctx, unsigned int lo, unsigned int hi)
{
	unsigned int c;
	size_t n;

	(void)ctx;
	if (element++ == refuse_at)
		return 1;
	for (c = lo; c <= hi; c++) {
		n = strlen(seen);
		snprintf(seen + n, sizeof(seen) - n, "%s%u", n ? " " : "", c);
	}
	return 0;
}

static int parse(const char *s, unsigned int bound, unsigned int flags, struct text_cpus_error *e)
{
	seen[0] = '\0';
	element = 0;
	return text_parse_cpu_list(s, bound, flags, collect, NULL, e);
}

/* @s is accepted and names the CPUs @cpus ("0 1 2 3 5"). */
static void accepted(const char *s, unsigned int bound, unsigned int flags, const char *cpus)
{
	struct text_cpus_error e;

	CHECK_EQ(parse(s, bound, flags, &e), 0, "'%s' (bound %u, flags %u) is accepted", s, bound,
		 flags);
	CHECK(!strcmp(seen, cpus), "'%s' names CPUs '%s' (got '%s')", s, cpus, seen);
}

/*
 * @s is refused for @why at byte @at, in the element @token .. + @len (which text_cpus_explain()
 * quotes first, for every why but TEXT_CPUS_EMPTY, whose element is empty), @high or not.
 */
static void refused(const char *s, unsigned int bound, unsigned int flags, enum text_cpus_why why,
		    size_t token, size_t len, size_t at, bool high)
{
	struct text_cpus_error e;
	char words[200], quote[64];

	CHECK_EQ(parse(s, bound, flags, &e), -1, "'%s' (bound %u, flags %u) is refused", s, bound,
		 flags);
	CHECK_EQ(e.why, why, "'%s': why", s);
	CHECK_EQ(e.token, token, "'%s': the element's offset", s);
	CHECK_EQ(e.at, at, "'%s': the byte at fault", s);
	CHECK_EQ(e.high, high, "'%s': in a range's HIGH", s);
	if (why == TEXT_CPUS_EMPTY) {
		CHECK_EQ(len, 0, "'%s': an empty element has no length (the table)", s);
		return;
	}
	text_cpus_explain(s, bound, &e, words, sizeof(words));
	snprintf(quote, sizeof(quote), "'%.*s'", (int)len, s + token);
	CHECK(!strncmp(words, quote, strlen(quote)), "'%s': the words quote the element %s (got %s)",
	      s, quote, words);
}

/* The words text_cpus_explain() gives for @s. */
static void explained(const char *s, unsigned int bound, unsigned int flags, const char *words)
{
	struct text_cpus_error e;
	char buf[200];

	parse(s, bound, flags, &e);
	text_cpus_explain(s, bound, &e, buf, sizeof(buf));
	CHECK(!strcmp(buf, words), "'%s' is explained as '%s' (got '%s')", s, words, buf);
}

static void test_lists_name_their_cpus(void)
{
	accepted("0", 4, 0, "0");
	accepted("0-3,8", 16, 0, "0 1 2 3 8");
	accepted("3,1", 4, 0, "3 1");
	accepted("2,2", 4, 0, "2 2");
	accepted("5-5", 8, 0, "5");
	accepted("007", 8, 0, "7");
	accepted("4095", 4096, 0, "4095");
	accepted("4094-4095,0", 4096, 0, "4094 4095 0");
	accepted("0-1, 4", 8, TEXT_CPUS_SPACES, "0 1 4");
	accepted("  2", 8, TEXT_CPUS_SPACES, "2");
	/* /sys/devices/system/cpu/online: "0-3,5" and a newline. */
	accepted("0-3,5\n", 8, TEXT_CPUS_NEWLINE, "0 1 2 3 5");
	accepted("0-3,5", 8, TEXT_CPUS_NEWLINE, "0 1 2 3 5");
}

static void test_bad_lists_say_where_and_why(void)
{
	refused("", 8, 0, TEXT_CPUS_EMPTY, 0, 0, 0, false);
	refused(",", 8, 0, TEXT_CPUS_EMPTY, 0, 0, 0, false);
	refused("1,,2", 8, 0, TEXT_CPUS_EMPTY, 2, 0, 2, false);
	CHECK(!strcmp(seen, "1"), "'1,,2': CPU 1 was passed on before the fault (got '%s')", seen);
	refused("1,", 8, 0, TEXT_CPUS_EMPTY, 2, 0, 2, false);
	refused("3-1", 8, 0, TEXT_CPUS_BACKWARDS, 0, 3, 2, true);
	refused("1-", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 0, 2, 2, true);
	refused("0-", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 0, 2, 2, true);
	refused("-1", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 0, 2, 0, false);
	refused("+1", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 0, 2, 0, false);
	refused(" 1", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 0, 2, 0, false);
	refused("0-1, 4", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 4, 2, 4, false);
	refused("0,1-x", 8, 0, TEXT_CPUS_NOT_A_NUMBER, 2, 3, 4, true);
	refused("99999999999999999999", 4096, 0, TEXT_CPUS_ABOVE_BOUND, 0, 20, 0, false);
	refused("0-99999999999999999999", 4096, 0, TEXT_CPUS_ABOVE_BOUND, 0, 22, 2, true);
	refused("4096", 4096, 0, TEXT_CPUS_ABOVE_BOUND, 0, 4, 0, false);
	refused("1,8", 8, 0, TEXT_CPUS_ABOVE_BOUND, 2, 1, 2, false);
	refused("0-8", 8, 0, TEXT_CPUS_ABOVE_BOUND, 0, 3, 2, true);
	refused("0x", 8, 0, TEXT_CPUS_UNEXPECTED, 0, 2, 1, false);
	refused("1-2-3", 8, 0, TEXT_CPUS_UNEXPECTED, 0, 5, 3, false);
	refused("0 ,1", 8, TEXT_CPUS_SPACES, TEXT_CPUS_UNEXPECTED, 0, 2, 1, false);
	refused("0, ,1", 8, TEXT_CPUS_SPACES, TEXT_CPUS_EMPTY, 3, 0, 3, false);
	/* The newline: only with TEXT_CPUS_NEWLINE, once, at the very end. */
	refused("0-3,5\n", 8, 0, TEXT_CPUS_UNEXPECTED, 4, 1, 5, false);
	refused("0-3,5\n\n", 8, TEXT_CPUS_NEWLINE, TEXT_CPUS_UNEXPECTED, 4, 1, 5, false);
	refused("0\n1", 8, TEXT_CPUS_NEWLINE, TEXT_CPUS_UNEXPECTED, 0, 1, 1, false);
	refused("\n", 8, TEXT_CPUS_NEWLINE, TEXT_CPUS_EMPTY, 0, 0, 0, false);
	refused("0,\n", 8, TEXT_CPUS_NEWLINE, TEXT_CPUS_EMPTY, 2, 0, 2, false);
}

static void test_the_function_can_refuse(void)
{
	struct text_cpus_error e;

	refuse_at = 1;
	CHECK_EQ(parse("0-1,5,6", 8, 0, &e), -1, "the second element refused");
	refuse_at = -1;
	CHECK_EQ(e.why, TEXT_CPUS_REFUSED, "why: refused");
	CHECK_EQ(e.token, 4, "the element refused");
	CHECK(!strcmp(seen, "0 1"), "only the first element passed on (got '%s')", seen);
	CHECK_EQ(text_parse_cpu_list("0-3", 4, 0, NULL, NULL, &e), 0, "no function: checked only");
	CHECK_EQ(text_parse_cpu_list("0-4", 4, 0, NULL, NULL, &e), -1, "no function: still checked");
}

/* A [core N-M] title: one element alone; what a list refuses, and a second element. */
static void test_one_range(void)
{
	unsigned int lo = 99, hi = 99;

	CHECK_EQ(text_parse_cpu_range("3", 8, &lo, &hi), 0, "'3'");
	CHECK(lo == 3 && hi == 3, "'3' is 3 .. 3 (got %u .. %u)", lo, hi);
	CHECK_EQ(text_parse_cpu_range("0-7", 8, &lo, &hi), 0, "'0-7'");
	CHECK(lo == 0 && hi == 7, "'0-7' is 0 .. 7 (got %u .. %u)", lo, hi);
	CHECK_EQ(text_parse_cpu_range("0,1", 8, &lo, &hi), -1, "'0,1' is no range");
	CHECK_EQ(text_parse_cpu_range("3-1", 8, &lo, &hi), -1, "'3-1' runs backwards");
	CHECK_EQ(text_parse_cpu_range("", 8, &lo, &hi), -1, "'' is empty");
	CHECK_EQ(text_parse_cpu_range("8", 8, &lo, &hi), -1, "'8' is not below 8");
	CHECK_EQ(text_parse_cpu_range("0-8", 8, &lo, &hi), -1, "'0-8': 8 is not below 8");
	CHECK_EQ(text_parse_cpu_range(" 1", 8, &lo, &hi), -1, "' 1' does not start with a digit");
	CHECK_EQ(text_parse_cpu_range("1-", 8, &lo, &hi), -1, "'1-' has no HIGH");
	CHECK_EQ(text_parse_cpu_range("1\n", 8, &lo, &hi), -1, "'1' and a newline");
	CHECK(lo == 0 && hi == 7, "a refused range leaves lo and hi alone (got %u .. %u)", lo, hi);
}

static void test_errors_in_words(void)
{
	explained("", 8, 0, "the list is empty");
	explained("\n", 8, TEXT_CPUS_NEWLINE, "the list is empty");
	explained("1,,2", 8, 0, "an empty element at byte 3");
	explained("3-1,5", 8, 0, "'3-1' runs backwards (LOW-HIGH needs LOW <= HIGH)");
	explained("0,1-", 8, 0, "'1-' has no CPU number after its '-'");
	explained("-1", 8, 0, "'-1' does not start with a CPU number");
	explained("99999999999999999999", 4096, 0,
		  "'99999999999999999999': CPU 99999999999999999999 is not below 4096");
	explained("0-9,1", 8, 0, "'0-9': CPU 9 is not below 8");
	explained("0x", 8, 0, "'0x': unexpected 'x' after a CPU number or range");
	explained("0\t", 8, 0, "'0\t': unexpected byte 0x09 after a CPU number or range");
}

int suite_text(void)
{
	CU_pSuite s = CU_add_suite("text: CPU lists", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "lists name their CPUs", test_lists_name_their_cpus);
	CU_add_test(s, "bad lists say where and why", test_bad_lists_say_where_and_why);
	CU_add_test(s, "the caller's function can refuse", test_the_function_can_refuse);
	CU_add_test(s, "one range", test_one_range);
	CU_add_test(s, "errors in words", test_errors_in_words);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
