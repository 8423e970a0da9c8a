/* SPDX-License-Identifier: MIT */
/* A small printf formatter (no floating point): the subset listed in platform.h. */
#include "platform.h"

struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_unsigned(struct sink *s, unsigned long long v, unsigned int base, unsigned int width,
			 char pad)
{
	char digits[24];
	unsigned int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);

		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (width > n) {
		put(s, pad);
		width--;
	}
	while (n)
		put(s, digits[--n]);
}

size_t pf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size, 0 };

	for (; *fmt; fmt++) {
		unsigned int width = 0, longs = 0;
		char pad = ' ';
		unsigned long long u;
		long long i;
		const char *str;

		if (*fmt != '%') {
			put(&s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			i = longs ? va_arg(ap, long long) : va_arg(ap, int);
			if (i < 0) {
				put(&s, '-');
				u = (unsigned long long)-(i + 1) + 1;
			} else {
				u = (unsigned long long)i;
			}
			put_unsigned(&s, u, 10, width, pad);
			break;
		case 'u':
		case 'x':
			u = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_unsigned(&s, u, *fmt == 'u' ? 10 : 16, width, pad);
			break;
		case 'p':
			put(&s, '0');
			put(&s, 'x');
			put_unsigned(&s, (uintptr_t)va_arg(ap, void *), 16, width, pad);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (*str)
				put(&s, *str++);
			break;
		case 'c':
			put(&s, (char)va_arg(ap, int));
			break;
		case '%':
			put(&s, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&s, '%');
			put(&s, *fmt);
			break;
		}
	}
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len;
}
