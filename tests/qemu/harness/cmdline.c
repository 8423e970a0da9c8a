/* SPDX-License-Identifier: MIT */
#include "cmdline.h"
#include "platform.h"

static char line[512];
static bool loaded;

static const char *get_line(void)
{
	if (!loaded) {
		if (semihost_cmdline(line, sizeof(line)))
			line[0] = '\0';
		loaded = true;
	}
	return line;
}

bool cmdline_get(const char *key, char *val, size_t size)
{
	const char *p = get_line();
	size_t klen = strlen(key);

	while (*p) {
		while (*p == ' ')
			p++;
		if (!memcmp(p, key, klen) && p[klen] == '=') {
			size_t n = 0;

			p += klen + 1;
			while (p[n] && p[n] != ' ' && n + 1 < size) {
				val[n] = p[n];
				n++;
			}
			val[n] = '\0';
			return true;
		}
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

uint64_t cmdline_u64(const char *key, uint64_t fallback)
{
	char val[32];
	uint64_t v = 0;
	const char *p;

	if (!cmdline_get(key, val, sizeof(val)))
		return fallback;
	/* Hexadecimal with 0x (event numbers are written so in the manuals), else decimal. */
	if (val[0] == '0' && val[1] == 'x') {
		if (strlen(val) < 3 || strlen(val) > 18)
			platform_panic("command line: %s=%s needs 1 to 16 hex digits after 0x", key, val);
		for (p = val + 2; *p; p++) {
			unsigned int digit;

			if (*p >= '0' && *p <= '9')
				digit = (unsigned int)(*p - '0');
			else if (*p >= 'a' && *p <= 'f')
				digit = (unsigned int)(*p - 'a') + 10u;
			else if (*p >= 'A' && *p <= 'F')
				digit = (unsigned int)(*p - 'A') + 10u;
			else
				platform_panic("command line: %s=%s is not a hexadecimal number", key, val);
			v = v << 4 | digit;
		}
		return v;
	}
	if (!val[0])
		platform_panic("command line: %s= needs a decimal number (or 0x and hex digits)", key);
	for (p = val; *p; p++) {
		if (*p < '0' || *p > '9')
			platform_panic("command line: %s=%s is not a decimal number (or 0x and hex digits)", key, val);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	return v;
}

bool cmdline_icount(void)
{
	char val[32];

	return cmdline_get("icount", val, sizeof(val)) && !memcmp(val, "shift=", 6);
}
