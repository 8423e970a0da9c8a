/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

bool text_parse_whole_number(const char *s, uint64_t *out)
{
	int base = 10;
	const char *digits = s;
	char *end;
	unsigned long long x;

	/* strtoull's base 0 would read a leading 0 as octal; nobody writing "cores = 010" means 8. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = s + 2;
	}
	/*
	 * strtoull accepts leading spaces and a sign, "0x" with no digits, and in base 16 a 0x of
	 * its own after ours ("0x0x10"): none of them here.
	 */
	if (!((*digits >= '0' && *digits <= '9') ||
	      (base == 16 && ((*digits >= 'a' && *digits <= 'f') ||
			      (*digits >= 'A' && *digits <= 'F')))))
		return false;
	if (base == 16 && (digits[1] == 'x' || digits[1] == 'X'))
		return false;
	errno = 0;
	x = strtoull(digits, &end, base);
	if (*end || errno == ERANGE)
		return false;
	*out = x;
	return true;
}

/* Record a fault at @at of the element that starts at @e->token. */
static bool cpus_fault(struct text_cpus_error *e, enum text_cpus_why why, size_t at, bool high)
{
	e->why = why;
	e->at = at;
	e->high = high;
	return false;
}

/* The number at s[*i]: digits only, below @bound. */
static bool cpus_number(const char *s, size_t *i, unsigned int bound, bool high, unsigned int *out,
			struct text_cpus_error *e)
{
	unsigned long long v = 0; /* stops growing at @bound: at most 10 * 2^32 */
	size_t start = *i;

	if (s[*i] < '0' || s[*i] > '9')
		return cpus_fault(e, TEXT_CPUS_NOT_A_NUMBER, start, high);
	for (; s[*i] >= '0' && s[*i] <= '9'; (*i)++)
		if (v < bound)
			v = v * 10 + (unsigned int)(s[*i] - '0');
	if (v >= bound)
		return cpus_fault(e, TEXT_CPUS_ABOVE_BOUND, start, high);
	*out = (unsigned int)v;
	return true;
}

/* "N" or "N-M" at s[*i], which starts e->token. */
static bool cpus_element(const char *s, size_t *i, unsigned int bound, unsigned int *lo,
			 unsigned int *hi, struct text_cpus_error *e)
{
	size_t high;

	if (!cpus_number(s, i, bound, false, lo, e))
		return false;
	*hi = *lo;
	if (s[*i] != '-')
		return true;
	high = ++*i;
	if (!cpus_number(s, i, bound, true, hi, e))
		return false;
	if (*hi < *lo)
		return cpus_fault(e, TEXT_CPUS_BACKWARDS, high, true);
	return true;
}

/* The list ends at s[i]: its NUL, or with TEXT_CPUS_NEWLINE a newline just before it. */
static bool cpus_end(const char *s, size_t i, unsigned int flags)
{
	return !s[i] || ((flags & TEXT_CPUS_NEWLINE) && s[i] == '\n' && !s[i + 1]);
}

int text_parse_cpu_list(const char *s, unsigned int bound, unsigned int flags, text_cpus_fn each,
			void *ctx, struct text_cpus_error *err)
{
	unsigned int lo, hi;
	size_t i = 0;

	memset(err, 0, sizeof(*err));
	for (;;) {
		while ((flags & TEXT_CPUS_SPACES) && s[i] == ' ')
			i++;
		err->token = i;
		if (s[i] == ',' || cpus_end(s, i, flags)) {
			cpus_fault(err, TEXT_CPUS_EMPTY, i, false);
			return -1;
		}
		if (!cpus_element(s, &i, bound, &lo, &hi, err))
			return -1;
		if (each && each(ctx, lo, hi)) {
			cpus_fault(err, TEXT_CPUS_REFUSED, err->token, false);
			return -1;
		}
		if (cpus_end(s, i, flags))
			return 0;
		if (s[i] != ',') {
			cpus_fault(err, TEXT_CPUS_UNEXPECTED, i, false);
			return -1;
		}
		i++;
	}
}

int text_parse_cpu_range(const char *s, unsigned int bound, unsigned int *lo, unsigned int *hi)
{
	struct text_cpus_error e = { 0 };
	unsigned int a, b;
	size_t i = 0;

	if (!cpus_element(s, &i, bound, &a, &b, &e) || s[i])
		return -1;
	*lo = a;
	*hi = b;
	return 0;
}

void text_cpus_explain(const char *s, unsigned int bound, const struct text_cpus_error *err,
		       char *buf, size_t size)
{
	int n = (int)strcspn(s + err->token, ",\n"); /* the element, up to its comma or newline */
	const char *t = s + err->token;
	unsigned char c = (unsigned char)s[err->at];

	switch (err->why) {
	case TEXT_CPUS_EMPTY:
		if (cpus_end(s, 0, TEXT_CPUS_NEWLINE))
			snprintf(buf, size, "the list is empty");
		else
			snprintf(buf, size, "an empty element at byte %zu", err->token + 1);
		break;
	case TEXT_CPUS_NOT_A_NUMBER:
		snprintf(buf, size, err->high ? "'%.*s' has no CPU number after its '-'"
					      : "'%.*s' does not start with a CPU number", n, t);
		break;
	case TEXT_CPUS_ABOVE_BOUND:
		snprintf(buf, size, "'%.*s': CPU %.*s is not below %u", n, t,
			 (int)strspn(s + err->at, "0123456789"), s + err->at, bound);
		break;
	case TEXT_CPUS_BACKWARDS:
		snprintf(buf, size, "'%.*s' runs backwards (LOW-HIGH needs LOW <= HIGH)", n, t);
		break;
	case TEXT_CPUS_UNEXPECTED:
		if (c >= 0x20 && c < 0x7f)
			snprintf(buf, size, "'%.*s': unexpected '%c' after a CPU number or range", n,
				 t, c);
		else
			snprintf(buf, size, "'%.*s': unexpected byte 0x%02x after a CPU number or "
				 "range", n, t, c);
		break;
	default:
		snprintf(buf, size, "%s", "");
		break;
	}
}

void text_make_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}
