/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: membw_parse_rate() and membw_parse_duration() against a reference parser
 * written here in a different way (hosted C: strspn/strtoull on the digit groups, the value as
 * an exact 128-bit product), agreeing on accept or refuse, on the error code and on the value.
 * Also: an error leaves the output unchanged and gives a reason, success gives none, and every
 * string membw_format_rate()/membw_format_duration() writes parses back to at most its value.
 * A broken invariant aborts with "invariant broken: ...".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/errors.h>
#include <membw/units.h>

#define SENTINEL UINT64_C(0xa5a5a5a5a5a5a5a5)
#define SPACES " \t\n\v\f\r"

typedef unsigned __int128 u128;

static void broken(const char *what, const char *text, long long a, long long b)
{
	fprintf(stderr, "invariant broken: %s for input '%s' (%lld vs %lld)\n", what, text, a, b);
	abort();
}

/* The reference's result: 0 or a negative MEMBW_ error code, and the value. */
struct ref {
	int err;
	uint64_t v;
};

static struct ref refuse(int err)
{
	struct ref r = { err, 0 };

	return r;
}

/* floor((ip + frac / 10^fdigits) * mult), or ERANGE if not in 64 bits or non-zero below one. */
static struct ref ref_value(const char *ip, size_t ipn, const char *fp, size_t fpn, uint64_t mult)
{
	char buf[32];
	uint64_t i = 0, f = 0, den = 1;
	u128 v;
	size_t k;

	while (ipn && *ip == '0') {
		ip++;
		ipn--;
	}
	if (ipn > 20)
		return refuse(-MEMBW_ERANGE);
	if (ipn) {
		memcpy(buf, ip, ipn);
		buf[ipn] = '\0';
		errno = 0;
		i = strtoull(buf, NULL, 10);
		if (errno == ERANGE)
			return refuse(-MEMBW_ERANGE);
	}
	if (fpn) {
		memcpy(buf, fp, fpn);
		buf[fpn] = '\0';
		f = strtoull(buf, NULL, 10);
		for (k = 0; k < fpn; k++)
			den *= 10;
	}
	v = (u128)i * mult + (u128)f * mult / den;
	if (v > UINT64_MAX)
		return refuse(-MEMBW_ERANGE);
	if (v == 0 && (i || f))
		return refuse(-MEMBW_ERANGE);
	return (struct ref){ 0, (uint64_t)v };
}

static uint64_t pow_u64(uint64_t b, unsigned int e)
{
	uint64_t r = 1;

	while (e--)
		r *= b;
	return r;
}

/* "[spaces]digits[.digits][spaces]UNIT[spaces]" where @unit returns the multiplier, or 0. */
static struct ref ref_parse(const char *text, uint64_t (*unit)(const char *u, size_t n))
{
	const char *s = text + strspn(text, SPACES), *ip, *fp = NULL, *u;
	size_t ipn, fpn = 0, un;
	uint64_t mult;

	ip = s;
	ipn = strspn(s, "0123456789");
	s += ipn;
	if (*s == '.') {
		fp = s + 1;
		fpn = strspn(fp, "0123456789");
		if (!fpn || fpn > 18)
			return refuse(-MEMBW_EINVAL);
		s = fp + fpn;
	}
	if (!ipn && !fpn)
		return refuse(-MEMBW_EINVAL);
	s += strspn(s, SPACES);
	u = s;
	un = strcspn(s, SPACES);
	if (u[un + strspn(u + un, SPACES)] != '\0')
		return refuse(-MEMBW_EINVAL);
	mult = unit(u, un);
	if (!mult)
		return refuse(-MEMBW_EINVAL);
	return ref_value(ip, ipn, fp, fpn, mult);
}

/* Rate units: [k|K|M|G|T|P|E[i]][B][/s], written out as a table of every spelling. */
static uint64_t rate_unit(const char *u, size_t n)
{
	static const char *const prefixes[] = { "", "K", "M", "G", "T", "P", "E" };
	static const char *const tails[] = { "", "B", "/s", "B/s" };
	char spelled[8];
	unsigned int p, bin, t;

	for (p = 0; p < 7; p++)
		for (bin = 0; bin < 2; bin++)
			for (t = 0; t < 4; t++) {
				if (bin && !p)
					continue;
				snprintf(spelled, sizeof(spelled), "%s%s%s", prefixes[p],
					 bin ? "i" : "", tails[t]);
				if (p == 1 && n && u[0] == 'k')
					spelled[0] = 'k';
				if (strlen(spelled) == n && !memcmp(spelled, u, n))
					return bin ? pow_u64(2, 10 * p) : pow_u64(10, 3 * p);
			}
	return 0;
}

static uint64_t time_unit(const char *u, size_t n)
{
	static const char *const names[] = { "ns", "us", "ms", "s" };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], u, n))
			return pow_u64(1000, i);
	return 0;
}

static int is_unlimited(const char *text)
{
	const char *s = text + strspn(text, SPACES);

	return !strncmp(s, "unlimited", 9) && s[9 + strspn(s + 9, SPACES)] == '\0';
}

static void check(const char *text, int rate)
{
	struct ref r;
	uint64_t v = SENTINEL, back = SENTINEL;
	const char *why = "unset";
	char buf[MEMBW_FORMAT_MAX];
	int err;

	if (rate) {
		r = is_unlimited(text) ? (struct ref){ 0, MEMBW_UNLIMITED } :
					 ref_parse(text, rate_unit);
		err = membw_parse_rate(text, &v, &why);
	} else {
		r = ref_parse(text, time_unit);
		err = membw_parse_duration(text, &v, &why);
	}
	if (err != r.err)
		broken(rate ? "rate: error code differs from the reference" :
			      "duration: error code differs from the reference", text, err, r.err);
	if (err) {
		if (v != SENTINEL)
			broken("an error changed the output", text, (long long)v, 0);
		if (!why || !*why)
			broken("an error without a reason", text, err, 0);
		return;
	}
	if (why)
		broken("success with a reason", text, 0, 0);
	if (v != r.v)
		broken(rate ? "rate differs from the reference" :
			      "duration differs from the reference", text, (long long)v,
		       (long long)r.v);
	/* What the formatter writes parses back, never above the value (three digits, truncated). */
	if (rate ? membw_format_rate(buf, sizeof(buf), v) < 0 :
		   membw_format_duration(buf, sizeof(buf), v) < 0)
		broken("the formatter refused a parsed value", text, (long long)v, 0);
	if ((rate ? membw_parse_rate(buf, &back, NULL) : membw_parse_duration(buf, &back, NULL)) ||
	    back > v || (v && !back))
		broken("a formatted value does not parse back to at most itself", buf,
		       (long long)back, (long long)v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check(text, 1);
	check(text, 0);
	free(text);
	return 0;
}
