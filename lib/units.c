/* SPDX-License-Identifier: MIT */
/*
 * Human units: rates and durations, parsed and formatted with exact integer arithmetic only,
 * because this file also runs in the kernel module and at EL2 (no libc, no floating point).
 */
#include <membw/units.h>
#include <membw/errors.h>

#define MAX_FRAC_DIGITS 18
/* Not UINT64_MAX: kernel headers are not guaranteed to define it. */
#define MAX_U64 ((uint64_t)~(uint64_t)0)

/* A parsed decimal "ip.frac", where frac / den is the fraction (den = 10^digits). */
struct number {
	uint64_t ip;
	uint64_t frac;
	uint64_t den;
	bool too_big;
};

/* A multiplier base^exp: 10^3k for decimal prefixes and durations, 2^10k for binary ones. */
struct scale {
	uint32_t base;
	uint32_t exp;
};

/* Output cursor that keeps a NUL-terminated prefix when the buffer is too small. */
struct out {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

static int set_why(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_spaces(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/* *v = *v * m + add, or false if that exceeds 64 bits. */
static bool mul_add(uint64_t *v, uint64_t m, uint64_t add)
{
	if (m && *v > (MAX_U64 - add) / m)
		return false;
	*v = *v * m + add;
	return true;
}

static int parse_fraction(const char **sp, struct number *n, const char **why)
{
	const char *s = *sp;
	unsigned int digits;

	if (!is_digit(*s))
		return set_why(why, "expected a digit after the decimal point", -MEMBW_EINVAL);
	for (digits = 0; is_digit(*s); s++, digits++) {
		if (digits == MAX_FRAC_DIGITS)
			return set_why(why, "too many digits after the decimal point",
				       -MEMBW_EINVAL);
		n->frac = n->frac * 10 + (uint64_t)(*s - '0');
		n->den *= 10;
	}
	*sp = s;
	return 0;
}

/* Reads "[spaces]digits[.digits][spaces]"; an integer part too big for 64 bits is noted. */
static int parse_number(const char **sp, struct number *n, const char *neg, const char **why)
{
	const char *s = skip_spaces(*sp);
	int err;

	if (*s == '\0')
		return set_why(why, "empty input", -MEMBW_EINVAL);
	if (*s == '-')
		return set_why(why, neg, -MEMBW_EINVAL);
	if (*s == '+')
		return set_why(why, "a sign is not allowed", -MEMBW_EINVAL);
	if (!is_digit(*s) && !(*s == '.' && is_digit(s[1])))
		return set_why(why, "expected a number", -MEMBW_EINVAL);

	n->ip = 0;
	n->frac = 0;
	n->den = 1;
	n->too_big = false;
	for (; is_digit(*s); s++)
		if (!n->too_big && !mul_add(&n->ip, 10, (uint64_t)(*s - '0')))
			n->too_big = true;
	if (*s == '.') {
		s++;
		err = parse_fraction(&s, n, why);
		if (err)
			return err;
	}
	*sp = skip_spaces(s);
	return 0;
}

/*
 * floor(frac / den * base^exp) by long division in base @base: the remainder stays below
 * den <= 10^18, so remainder * 10 never exceeds 64 bits and no 128-bit helper is needed.
 */
static uint64_t scale_fraction(uint64_t frac, uint64_t den, struct scale sc)
{
	uint64_t q = 0, r = frac;
	uint32_t i;

	for (i = 0; i < sc.exp; i++) {
		r *= sc.base;
		q = q * sc.base + r / den;
		r %= den;
	}
	return q;
}

/*
 * The value n * base^exp, rounded down. A non-zero value that rounds down to zero is refused
 * (@tiny says why): zero comes only from a number written as zero, never from rounding.
 */
static int apply_scale(const struct number *n, struct scale sc, uint64_t *res, const char *tiny,
		       const char **why)
{
	uint64_t v = n->ip, f = scale_fraction(n->frac, n->den, sc);
	uint32_t i;

	if (n->too_big)
		return set_why(why, "value too large for 64 bits", -MEMBW_ERANGE);
	for (i = 0; i < sc.exp; i++)
		if (!mul_add(&v, sc.base, 0))
			return set_why(why, "value too large for 64 bits", -MEMBW_ERANGE);
	if (!mul_add(&v, 1, f))
		return set_why(why, "value too large for 64 bits", -MEMBW_ERANGE);
	if (v == 0 && (n->ip || n->frac))
		return set_why(why, tiny, -MEMBW_ERANGE);
	*res = v;
	return 0;
}

/* 1 for k or K, 2 for M, 3 for G, 4 for T, 5 for P, 6 for E, 0 for anything else. */
static uint32_t prefix_power(char c)
{
	static const char prefixes[] = "KMGTPE";
	uint32_t i;

	if (c == 'k')
		return 1;
	for (i = 0; prefixes[i]; i++)
		if (c == prefixes[i])
			return i + 1;
	return 0;
}

/* Reads "[prefix[i]][B][/s]"; an empty unit means plain bytes per second. */
static int parse_rate_unit(const char **sp, struct scale *sc, const char **why)
{
	const char *s = *sp;
	uint32_t p = prefix_power(*s);

	if (*s == 'm' || *s == 'g' || *s == 't' || *s == 'p' || *s == 'e')
		return set_why(why, "prefixes other than k are upper case", -MEMBW_EINVAL);
	if (p)
		s++;
	sc->base = p && *s == 'i' ? 2 : 10;
	sc->exp = sc->base == 2 ? 10 * p : 3 * p;
	if (sc->base == 2)
		s++;
	if (*s == 'b')
		return set_why(why, "rates are in bytes: use B, not b", -MEMBW_EINVAL);
	if (*s == 'B')
		s++;
	if (*s == '/') {
		if (s[1] != 's')
			return set_why(why, "rates are per second: use /s", -MEMBW_EINVAL);
		s += 2;
	}
	*sp = s;
	return 0;
}

/* Reads "ns", "us", "ms" or "s" as a power of ten of nanoseconds. */
static int parse_time_unit(const char **sp, struct scale *sc, const char **why)
{
	static const char lead[] = "num";
	const char *s = *sp;
	uint32_t i;

	sc->base = 10;
	if (*s == '\0')
		return set_why(why, "missing unit: use ns, us, ms or s", -MEMBW_EINVAL);
	if (*s == 's') {
		sc->exp = 9;
		*sp = s + 1;
		return 0;
	}
	for (i = 0; lead[i]; i++) {
		if (*s == lead[i] && s[1] == 's') {
			sc->exp = 3 * i;
			*sp = s + 2;
			return 0;
		}
	}
	return set_why(why, "unknown unit", -MEMBW_EINVAL);
}

/* Is @text @word, give or take surrounding spaces? */
static bool is_word(const char *text, const char *word)
{
	text = skip_spaces(text);
	while (*word && *text == *word) {
		text++;
		word++;
	}
	return !*word && *skip_spaces(text) == '\0';
}

static int check_end(const char *s, const char **why)
{
	if (*s != '\0' && !is_space(*s))
		return set_why(why, "unknown unit", -MEMBW_EINVAL);
	if (*skip_spaces(s) != '\0')
		return set_why(why, "unexpected text after the unit", -MEMBW_EINVAL);
	return 0;
}

/* A number, a unit read by @unit, nothing after: the result into *@out, which an error leaves. */
static int parse_quantity(const char *text, uint64_t *out, const char *negative,
			  const char *tiny, int (*unit)(const char **sp, struct scale *sc, const char **why),
			  const char **why)
{
	struct number n;
	struct scale sc;
	uint64_t v;
	int err;

	err = parse_number(&text, &n, negative, why);
	if (!err)
		err = unit(&text, &sc, why);
	if (!err)
		err = check_end(text, why);
	if (!err)
		err = apply_scale(&n, sc, &v, tiny, why);
	if (err)
		return err;
	*out = v;
	return set_why(why, NULL, 0);
}

int membw_parse_rate(const char *text, uint64_t *bps, const char **why)
{
	if (!text || !bps)
		return set_why(why, "null pointer", -MEMBW_EINVAL);
	if (is_word(text, "unlimited")) {
		*bps = MEMBW_UNLIMITED;
		return set_why(why, NULL, 0);
	}
	return parse_quantity(text, bps, "negative rate",
			      "not zero but below 1 B/s, the smallest non-zero rate",
			      parse_rate_unit, why);
}

int membw_parse_duration(const char *text, uint64_t *ns, const char **why)
{
	if (!text || !ns)
		return set_why(why, "null pointer", -MEMBW_EINVAL);
	return parse_quantity(text, ns, "negative duration",
			      "not zero but below 1 ns, the smallest non-zero duration",
			      parse_time_unit, why);
}

static void put_char(struct out *o, char c)
{
	if (o->full || o->pos + 1 >= o->len) {
		o->full = true;
		return;
	}
	o->buf[o->pos++] = c;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static void put_uint(struct out *o, uint64_t v)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_char(o, tmp[--n]);
}

static unsigned int count_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Writes up to @digits fraction digits of rem / unit, truncated, without trailing zeros. */
static void put_fraction(struct out *o, uint64_t rem, uint64_t unit, unsigned int digits)
{
	char tmp[2];
	unsigned int i;
	uint64_t f;

	for (i = 0; i < digits; i++)
		unit /= 10;
	f = rem / unit;
	while (digits && f % 10 == 0) {
		f /= 10;
		digits--;
	}
	if (!digits)
		return;
	for (i = digits; i; i--) {
		tmp[i - 1] = (char)('0' + f % 10);
		f /= 10;
	}
	put_char(o, '.');
	for (i = 0; i < digits; i++)
		put_char(o, tmp[i]);
}

static int start_out(struct out *o, char *buf, size_t len)
{
	if (!buf)
		return -MEMBW_EINVAL;
	if (!len)
		return -MEMBW_ERANGE;
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	o->full = false;
	return 0;
}

static int finish_out(struct out *o)
{
	o->buf[o->pos] = '\0';
	return o->full ? -MEMBW_ERANGE : (int)o->pos;
}

/* Three significant digits of @v in units of 1000^k; @top is the last index of @names. */
static int format_scaled(struct out *o, uint64_t v, const char *const *names, unsigned int top)
{
	uint64_t unit = 1;
	unsigned int k = 0, ipd;

	while (k < top && v / unit >= 1000) {
		unit *= 1000;
		k++;
	}
	put_uint(o, v / unit);
	ipd = count_digits(v / unit);
	if (k && ipd < 3)
		put_fraction(o, v % unit, unit, 3 - ipd);
	put_char(o, ' ');
	put_str(o, names[k]);
	return finish_out(o);
}

int membw_format_rate(char *buf, size_t len, uint64_t bps)
{
	static const char *const names[] = {
		"B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s", "EB/s",
	};
	struct out o;
	int err = start_out(&o, buf, len);

	if (err)
		return err;
	if (bps == MEMBW_UNLIMITED) {
		put_str(&o, "unlimited");
		return finish_out(&o);
	}
	return format_scaled(&o, bps, names, 6);
}

int membw_format_duration(char *buf, size_t len, uint64_t ns)
{
	static const char *const names[] = { "ns", "us", "ms", "s" };
	struct out o;
	int err = start_out(&o, buf, len);

	if (err)
		return err;
	return format_scaled(&o, ns, names, 3);
}
