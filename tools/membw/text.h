/* SPDX-License-Identifier: MIT */
/* Small text helpers shared by the command line and the scenario reader. */
#ifndef MEMBW_TOOL_TEXT_H
#define MEMBW_TOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A whole number written in decimal ("010" is ten) or in hex with a 0x prefix; no sign, no
 * spaces, nothing after it. False if @s is not one or does not fit in 64 bits.
 */
bool text_parse_whole_number(const char *s, uint64_t *out);

/*
 * CPU lists: decimal CPU numbers and LOW-HIGH ranges separated by commas, "0-3,8", as scenario
 * files, `membw conformance --cpus` and the kernel's /sys/devices/system/cpu/online (with a
 * newline at the end: docs/conformance.md) write them. Numbers are digits only (no sign, no
 * space, no 0x), and each must be below a bound the caller gives.
 */

/* Why text_parse_cpu_list() refused a list. */
enum text_cpus_why {
	TEXT_CPUS_OK,           /* not refused */
	TEXT_CPUS_EMPTY,        /* an element with nothing in it: "", ",", "1,,2", "1," */
	TEXT_CPUS_NOT_A_NUMBER, /* an element, or what follows its '-', not a digit: "-1", "1-", "x" */
	TEXT_CPUS_ABOVE_BOUND,  /* a number at or above the bound, however many digits it has */
	TEXT_CPUS_BACKWARDS,    /* a range LOW-HIGH with HIGH below LOW: "3-1" */
	TEXT_CPUS_UNEXPECTED,   /* an element followed by neither a comma nor the end: "0x", "1-2-3" */
	TEXT_CPUS_REFUSED,      /* the caller's function refused an element */
};

/* Where and why a CPU list was refused; offsets count bytes from the list's start. */
struct text_cpus_error {
	enum text_cpus_why why;
	size_t token; /* where the element at fault starts */
	size_t at;    /* the byte at fault: the number's first digit, or the unexpected byte */
	bool high;    /* the fault is in a range's HIGH, after the '-' */
};

/* Spaces may come before each element: "0-1, 4" (scenario files). */
#define TEXT_CPUS_SPACES 1u
/* One newline may end the list: "0-3,5\n" (sysfs files). */
#define TEXT_CPUS_NEWLINE 2u

/*
 * A caller's function for text_parse_cpu_list(): the CPUs @lo .. @hi (inclusive) of one element,
 * in the order the list names them. 0 to go on; anything else stops the reading (the function
 * keeps in @ctx what its caller needs to know of the refusal).
 */
typedef int (*text_cpus_fn)(void *ctx, unsigned int lo, unsigned int hi);

/*
 * Read the CPU list @s, every number below @bound (flags: TEXT_CPUS_SPACES, TEXT_CPUS_NEWLINE),
 * calling @each (if not NULL) with @ctx for every element as soon as it is read, before what
 * follows it is looked at. Duplicates are passed on as written: a caller that refuses them keeps
 * its own set. 0, or -1 with *@err saying where and why (text_cpus_explain() words it); the
 * elements before the fault have been passed to @each by then.
 */
int text_parse_cpu_list(const char *s, unsigned int bound, unsigned int flags, text_cpus_fn each,
			void *ctx, struct text_cpus_error *err);

/*
 * One element, "N" or "N-M", alone in @s, below @bound, into *@lo and *@hi. 0, or -1 (@lo and @hi
 * untouched); its one caller, a section title, words its own error.
 */
int text_parse_cpu_range(const char *s, unsigned int bound, unsigned int *lo, unsigned int *hi);

/*
 * @err (from reading @s with @bound) in words into @buf (@size bytes), e.g. "'5-3' runs
 * backwards". Empty for TEXT_CPUS_OK and TEXT_CPUS_REFUSED, which the caller words itself.
 */
void text_cpus_explain(const char *s, unsigned int bound, const struct text_cpus_error *err,
		       char *buf, size_t size);

/*
 * Replace every byte of @s that is not printable ASCII with '?', so that an error message quoting
 * a binary file or argument cannot drive the terminal.
 */
void text_make_printable(char *s);

#endif /* MEMBW_TOOL_TEXT_H */
