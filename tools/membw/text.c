/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

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

void text_make_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}
