// SPDX-License-Identifier: MIT
/*
 * The control files' grammar (kmod/README.md, "debugfs"), as a pure function: no kernel header,
 * no libc, no global. Every write is parsed and validated in full, twice: once without storing
 * anything (any refusal happens there), then again into the command, so a refusal leaves the
 * caller's command and arrays as they were.
 *
 *   read_limit, write_limit  "mb <v0> <v1> ..." (MemGuard: MiB/s) or "<rate0> <rate1> ...";
 *                            value i is CPU i's budget; CPUs past the list keep theirs.
 *   control                  "reclaim on|off", "sharing none|spare|proportional",
 *                            "exclusive 0|1|2", "realtime <cpu> on|off".
 *   domains                  "group <g> cpus <list> read <rate> [write <rate>]", "group <g> none".
 *   memguard/ (MemGuard's grammar, memguard_compat=1; kmod/README.md "MemGuard compatibility"):
 *     limit                  "mb <MiB/s> ..." or "<percent of maxbw> ..." (read budgets)
 *     read_limit, write_limit  "mb <MiB/s> ..." or "<events per period> ..."
 *     share                  "<weight> ...": maxbw divided among the CPUs listed, by weight
 *     control                "maxbw <MiB/s>", "reclaim 0|1", "exclusive 0|2|5", "rt <cpu> 0|1"
 *
 * Words are separated by what the kernel's isspace() calls space (tab, newline, vertical tab,
 * form feed, carriage return, space and byte 0xA0), so a trailing newline from echo is a
 * separator. Numbers (CPU and group numbers, rates) follow lib/units.c: no sign, no hex.
 */
#include <membw/errors.h>
#include <membw/policy.h>
#include <membw/units.h>

#include "control_parse.h"

/* The kernel's isspace() (lib/ctype.c marks 9-13, 32 and 160 as space). */
static bool kspace(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= 9 && u <= 13) || u == ' ' || u == 0xA0;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/*
 * The words of one write: [s, end) with end[0] == NUL. A word ends at a space or at a NUL, which
 * next_word() writes over the space after each word it returns; since a write with a NUL byte is
 * refused first, a second pass over the same text finds the same words.
 */
struct words {
	char *s;
	char *end;
};

/* The next word, NUL-terminated in place, or NULL at the end. */
static char *next_word(struct words *ws)
{
	char *s = ws->s, *w;

	while (s < ws->end && (kspace(*s) || !*s))
		s++;
	if (s == ws->end) {
		ws->s = s;
		return NULL;
	}
	w = s;
	while (s < ws->end && *s && !kspace(*s))
		s++;
	if (s < ws->end)
		*s++ = '\0';
	ws->s = s;
	return w;
}

/* Append @s to the NUL-terminated @buf of @len bytes, cutting it short if it does not fit. */
static void append(char *buf, size_t len, const char *s)
{
	size_t at = length(buf);

	while (*s && at + 1 < len)
		buf[at++] = *s++;
	buf[at] = '\0';
}

/* Why a write is refused: "<reason>" or "<reason> ('<word>')", the word cut to fit. */
static int refuse(char *why, size_t why_len, const char *reason, const char *word)
{
	if (!why || !why_len)
		return -MEMBW_EINVAL;
	why[0] = '\0';
	append(why, why_len, reason);
	if (word) {
		append(why, why_len, " ('");
		/* keep room for the closing "')" */
		if (why_len > 3) {
			size_t at = length(why);

			while (*word && at + 3 < why_len)
				why[at++] = *word++;
			why[at] = '\0';
		}
		append(why, why_len, "')");
	}
	return -MEMBW_EINVAL;
}

/* A CPU or group number: decimal digits only, at most UINT32_MAX. */
static bool parse_index(const char *s, unsigned int *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0xFFFFFFFFu)
			return false;
	}
	*out = (unsigned int)v;
	return true;
}

static bool parse_on_off(const char *w, bool *on)
{
	if (!w)
		return false;
	if (same(w, "on") || same(w, "1"))
		*on = true;
	else if (same(w, "off") || same(w, "0"))
		*on = false;
	else
		return false;
	return true;
}

/* A rate word, "<value>MiB/s" after "mb" (@mib); *@why on a refusal. */
static bool parse_rate_word(const char *w, bool mib, uint64_t *bps, const char **why)
{
	/* "<value>MiB/s" in 64 bytes, as snprintf() did here before */
	char text[64];
	size_t n = length(w), i;

	*why = NULL;
	if (mib) {
		/*
		 * ASSUMPTION: MemGuard's "mb" values are MiB/s (docs/memguard.md#memguard-units: it
		 * treats MB as 2^20 bytes); 0 blocks the CPU, as a zero rate does everywhere in
		 * libmembw. The number is read by lib/units.c's grammar (no sign, no hex), as
		 * "<value>MiB/s": one number grammar for every rate.
		 */
		if (n + sizeof("MiB/s") > sizeof(text)) {
			*why = "expected a number of MiB/s after 'mb'";
			return false;
		}
		for (i = 0; i < n; i++)
			text[i] = w[i];
		text[n] = '\0';
		append(text, sizeof(text), "MiB/s");
		w = text;
	}
	if (membw_parse_rate(w, bps, why)) {
		if (!*why)
			*why = "not a rate";
		return false;
	}
	return true;
}

/* Can @bps be a budget on @channel? The conversion the policy will make. */
static bool rate_fits(const struct kctl_env *env, unsigned int channel, uint64_t bps,
		      const char **why)
{
	uint64_t events;

	if (channel == MEMBW_CH_WRITE && bps != MEMBW_UNLIMITED && env->nchannels < 2) {
		*why = "no write-back event was configured (write_event=none): only 'unlimited' fits";
		return false;
	}
	if (bps == MEMBW_UNLIMITED || bps == 0)
		return true;
	if (membw_bps_to_events(bps, env->period_ns, env->line_size, &events)) {
		*why = "rate is below one line per period or above the largest budget";
		return false;
	}
	return true;
}

/* The first value of a limits write, after the word "mb" if it starts with it (*@mib). */
static char *first_value(struct words *ws, bool *mib)
{
	char *w = next_word(ws);

	*mib = w && same(w, "mb");
	return *mib ? next_word(ws) : w;
}

/* "mb <v0> <v1> ..." or "<rate0> <rate1> ...". */
static int parse_limits(struct words *ws, const struct kctl_env *env, struct kctl_cmd *c,
			char *why, size_t why_len)
{
	const char *reason;
	bool mib;
	char *w = first_value(ws, &mib);
	unsigned int n = 0;
	uint64_t bps;

	for (; w; w = next_word(ws)) {
		if (n >= env->ncpus)
			return refuse(why, why_len, "more values than CPUs", w);
		if (!parse_rate_word(w, mib, &bps, &reason) ||
		    !rate_fits(env, c->channel, bps, &reason))
			return refuse(why, why_len, reason, w);
		if (c->rates)
			c->rates[n] = bps;
		n++;
	}
	if (n == 0)
		return refuse(why, why_len, "expected 'mb <v0> <v1> ...' or '<rate0> <rate1> ...'",
			      NULL);
	c->op = KCTL_LIMITS;
	c->n = n;
	return 0;
}

/* ---- MemGuard's files (memguard_compat=1) ---- */

/* Largest weight "share" takes: sums of many stay far from overflow. */
#define KCTL_MAX_WEIGHT 1000000u

/*
 * @events lines per period as bytes/s, rounded up, so that membw_bps_to_events() (which rounds
 * down) gives @events back: bps < events * line * 10^9 / period + 1, and period <= 10^9 <=
 * 10^9 * line. events <= 2^32 and line <= 4096 keep every product below 2^63.
 */
static uint64_t events_to_bps(uint64_t events, const struct kctl_env *env)
{
	uint64_t x = events * env->line_size, q = x / env->period_ns, r = x % env->period_ns;

	return q * 1000000000ull + (r * 1000000000ull + env->period_ns - 1) / env->period_ns;
}

/* @part / @whole of @bps, rounded down, without overflow (@part <= @whole). */
static uint64_t fraction(uint64_t bps, uint64_t part, uint64_t whole)
{
	return bps / whole * part + bps % whole * part / whole;
}

/* A MemGuard number: a whole decimal number 1 .. @max ("%d" in MemGuard, without sign or 0). */
static bool parse_whole(const char *w, uint64_t max, uint64_t *out)
{
	unsigned int v;

	if (!parse_index(w, &v) || v == 0 || v > max)
		return false;
	*out = v;
	return true;
}

/* limit, read_limit, write_limit: "mb <MiB/s> ..." or percentages / events per period. */
static int parse_mg_limits(struct words *ws, enum kctl_file file, const struct kctl_env *env,
			   struct kctl_cmd *c, char *why, size_t why_len)
{
	const char *reason;
	bool mib;
	char *w = first_value(ws, &mib);
	unsigned int n = 0;
	uint64_t v, bps;

	for (; w; w = next_word(ws)) {
		if (n >= env->ncpus)
			return refuse(why, why_len, "more values than CPUs", w);
		if (mib) {
			if (!parse_rate_word(w, true, &bps, &reason))
				return refuse(why, why_len, reason, w);
			if (bps == 0)
				return refuse(why, why_len, "MemGuard has no zero budget: give 1 MiB/s "
					      "or more (membw/read_limit takes 0 to block a CPU)", w);
		} else if (file == KCTL_MG_LIMIT) {
			if (!parse_whole(w, 100, &v))
				return refuse(why, why_len, "without 'mb', limit takes percentages "
					      "of maxbw, whole numbers 1 .. 100", w);
			bps = fraction(env->maxbw_bps, v, 100);
		} else {
			if (!parse_whole(w, MEMBW_MAX_EVENTS_PER_PERIOD, &v))
				return refuse(why, why_len, "without 'mb', a budget is a whole number "
					      "of events per period, 1 .. 4294967294", w);
			bps = events_to_bps(v, env);
		}
		if (bps == 0) /* a percentage of a maxbw below 100 B/s */
			return refuse(why, why_len, "this part of maxbw is below one line per period",
				      w);
		if (!rate_fits(env, c->channel, bps, &reason))
			return refuse(why, why_len, reason, w);
		if (c->rates)
			c->rates[n] = bps;
		n++;
	}
	if (n == 0)
		return refuse(why, why_len, file == KCTL_MG_LIMIT ?
			      "expected 'mb <MiB/s> ...' or '<percent of maxbw> ...'" :
			      "expected 'mb <MiB/s> ...' or '<events per period> ...'", NULL);
	c->op = KCTL_LIMITS;
	c->n = n;
	return 0;
}

/* share: "<weight> ...": CPU i's read budget is maxbw * weight i / the sum of the weights. */
static int parse_mg_share(struct words *ws, const struct kctl_env *env, struct kctl_cmd *c,
			  char *why, size_t why_len)
{
	struct words again = *ws;
	const char *reason;
	char *w;
	unsigned int n = 0, i;
	uint64_t v, sum = 0, bps;

	for (w = next_word(ws); w; w = next_word(ws)) {
		if (n >= env->ncpus)
			return refuse(why, why_len, "more weights than CPUs", w);
		if (!parse_whole(w, KCTL_MAX_WEIGHT, &v))
			return refuse(why, why_len, "a weight is a whole number 1 .. 1000000", w);
		sum += v;
		n++;
	}
	if (n == 0)
		return refuse(why, why_len, "expected '<weight0> <weight1> ...'", NULL);
	/* the same words again (next_word() finds them after it cut them) */
	for (i = 0, w = next_word(&again); w; i++, w = next_word(&again)) {
		parse_whole(w, KCTL_MAX_WEIGHT, &v);
		bps = fraction(env->maxbw_bps, v, sum);
		if (bps == 0 || !rate_fits(env, MEMBW_CH_READ, bps, &reason))
			return refuse(why, why_len, "this weight's part of maxbw is below one line "
				      "per period: raise maxbw or the weight", w);
		if (c->rates)
			c->rates[i] = bps;
	}
	c->op = KCTL_LIMITS;
	c->n = n;
	return 0;
}

/* MemGuard's exclusive modes 0, 2, 5 as enum membw_sharing (none, spare, proportional). */
static const unsigned char mg_exclusive[] = { 0, 2, 5 };
#define NEXCLUSIVE (sizeof(mg_exclusive) / sizeof(mg_exclusive[0]))

unsigned int kctl_mg_exclusive(unsigned int sharing)
{
	return sharing < NEXCLUSIVE ? mg_exclusive[sharing] : 0;
}

static int parse_mg_control(struct words *ws, const struct kctl_env *env, struct kctl_cmd *c,
			    char *why, size_t why_len)
{
	const char *reason;
	char *cmd = next_word(ws), *arg = next_word(ws), *extra = next_word(ws);
	uint64_t v;
	unsigned int i;

	if (!cmd)
		return refuse(why, why_len, "empty command", NULL);
	if (same(cmd, "taskprio"))
		return refuse(why, why_len, "taskprio (task priorities as weights) is not "
			      "implemented: budgets are per CPU", cmd);
	if (same(cmd, "rt")) { /* MemGuard's current source: "rt <cpu> <0|1>", never throttled */
		if (!arg || !extra || next_word(ws))
			return refuse(why, why_len, "use 'rt <cpu> 1' or 'rt <cpu> 0'", cmd);
		if (!parse_index(arg, &c->cpu) || c->cpu >= env->ncpus)
			return refuse(why, why_len, "'rt <cpu> 0|1': no such CPU", arg);
		if (!parse_on_off(extra, &c->on))
			return refuse(why, why_len, "'rt <cpu> 0|1'", extra);
		c->op = KCTL_REALTIME;
		return 0;
	}
	if (!same(cmd, "maxbw") && !same(cmd, "reclaim") && !same(cmd, "exclusive"))
		return refuse(why, why_len, "unknown command: use maxbw, reclaim, exclusive or rt",
			      cmd);
	if (!arg || extra)
		return refuse(why, why_len, "give the command one number, like 'exclusive 2'",
			      extra ? extra : cmd);
	if (same(cmd, "maxbw")) {
		if (!parse_whole(arg, 0xFFFFFFFFu, &v) ||
		    !rate_fits(env, MEMBW_CH_READ, v * KCTL_MIB, &reason))
			return refuse(why, why_len, "maxbw takes whole MiB/s, at least one line "
				      "per period", arg);
		c->op = KCTL_MAXBW;
		c->rate[MEMBW_CH_READ] = v * KCTL_MIB;
		return 0;
	}
	if (same(cmd, "reclaim")) {
		if (!parse_on_off(arg, &c->on))
			return refuse(why, why_len, "use 'reclaim 1' or 'reclaim 0'", arg);
		c->op = KCTL_RECLAIM;
		return 0;
	}
	if (same(arg, "1"))
		return refuse(why, why_len, "exclusive 1 (the last unthrottled CPU runs alone) is "
			      "not implemented: use 0 (none), 2 (spare) or 5 (proportional)", arg);
	for (i = 0; i < NEXCLUSIVE; i++)
		if (arg[0] == (char)('0' + mg_exclusive[i]) && !arg[1])
			break;
	if (i == NEXCLUSIVE)
		return refuse(why, why_len, "MemGuard's exclusive modes are 0 (none), 2 (spare "
			      "sharing) and 5 (proportional share)", arg);
	c->op = KCTL_SHARING;
	c->sharing = i;
	return 0;
}

static const char *const sharing_names[] = { "none", "spare", "proportional" };
#define NSHARING (sizeof(sharing_names) / sizeof(sharing_names[0]))

const char *kctl_sharing_name(unsigned int sharing)
{
	return sharing < NSHARING ? sharing_names[sharing] : "?";
}

static int parse_control(struct words *ws, const struct kctl_env *env, struct kctl_cmd *c, char *why,
			 size_t why_len)
{
	char *cmd = next_word(ws), *arg = next_word(ws), *arg2 = next_word(ws);
	unsigned int i;

	if (!cmd)
		return refuse(why, why_len, "empty command", NULL);
	if (same(cmd, "reclaim") && !arg2) {
		if (!parse_on_off(arg, &c->on))
			return refuse(why, why_len, "use 'reclaim on' or 'reclaim off'", arg);
		c->op = KCTL_RECLAIM;
		return 0;
	}
	if ((same(cmd, "sharing") || same(cmd, "exclusive")) && arg && !arg2) {
		for (i = 0; i < NSHARING; i++) {
			if (same(arg, sharing_names[i]) || (arg[0] == (char)('0' + i) && !arg[1]))
				break;
		}
		if (i == NSHARING)
			return refuse(why, why_len,
				      "use 'sharing none|spare|proportional' or 'exclusive 0|1|2'", arg);
		c->op = KCTL_SHARING;
		c->sharing = i;
		return 0;
	}
	if (same(cmd, "realtime") && arg && arg2 && !next_word(ws)) {
		if (!parse_index(arg, &c->cpu) || c->cpu >= env->ncpus)
			return refuse(why, why_len, "'realtime <cpu> on|off': no such CPU", arg);
		if (!parse_on_off(arg2, &c->on))
			return refuse(why, why_len, "'realtime <cpu> on|off'", arg2);
		c->op = KCTL_REALTIME;
		return 0;
	}
	return refuse(why, why_len, "unknown command: use reclaim, sharing, exclusive or realtime",
		      cmd);
}

/*
 * A CPU list as the kernel's cpulist_parse() reads it (bitmap_parselist(), lib/bitmap.c):
 * regions separated by commas, each "a", "a-b", "a-b:used/group" (from every group of
 * <group> CPUs, the first <used>), "N" for the mask's last bit, "all" (any case) for 0-N.
 * Accepted only if it names at least one CPU and none at or past ncpus. Stores into @cpus
 * (ncpus entries) if not NULL.
 */
static const char *cpulist_number(const char *s, uint32_t last, uint32_t *num)
{
	uint64_t v = 0;
	const char *start = s;

	if (*s == 'N') {
		*num = last;
		return s + 1;
	}
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0xFFFFFFFFu)
			return NULL;
		s++;
	}
	if (s == start)
		return NULL;
	*num = (uint32_t)v;
	return s;
}

static bool cpulist_end_of_region(char c)
{
	return c == ',' || c == '\0' || kspace(c);
}

static bool lower_is(char c, char want)
{
	return c == want || c == (char)(want - 'a' + 'A');
}

static bool parse_cpulist(const char *s, const struct kctl_env *env, bool *cpus)
{
	uint32_t last = env->mask_bits - 1, start, end, off, group, at, i;
	bool any = false;

	if (cpus)
		for (i = 0; i < env->ncpus; i++)
			cpus[i] = false;
	for (;;) {
		while (*s == ',' || kspace(*s))
			s++;
		if (!*s)
			break;
		if (lower_is(s[0], 'a') && lower_is(s[1], 'l') && lower_is(s[2], 'l')) {
			start = 0;
			end = last;
			s += 3;
		} else {
			s = cpulist_number(s, last, &start);
			if (!s)
				return false;
			end = start;
			if (!cpulist_end_of_region(*s)) {
				if (*s != '-')
					return false;
				s = cpulist_number(s + 1, last, &end);
				if (!s)
					return false;
			}
		}
		off = group = end + 1;
		if (!cpulist_end_of_region(*s)) {
			if (*s != ':')
				return false;
			s = cpulist_number(s + 1, last, &off);
			if (!s || *s != '/')
				return false;
			s = cpulist_number(s + 1, last, &group);
			if (!s)
				return false;
		}
		if (start > end || group == 0 || off > group || end >= env->mask_bits ||
		    end >= env->ncpus)
			return false;
		for (at = start; at <= end; at += group) {
			for (i = 0; i < off && i <= end - at; i++) {
				any = true;
				if (cpus)
					cpus[at + i] = true;
			}
			if (end - at < group)
				break;
		}
	}
	return any;
}

/* "group <g> cpus <list> read <rate> [write <rate>]" or "group <g> none". */
static int parse_domains(struct words *ws, const struct kctl_env *env, struct kctl_cmd *c, char *why,
			 size_t why_len)
{
	bool none = false, have_cpus = false, have_read = false, have_write = false;
	const char *reason;
	char *w = next_word(ws), *val;
	unsigned int ch;

	c->rate[MEMBW_CH_READ] = MEMBW_UNLIMITED;
	c->rate[MEMBW_CH_WRITE] = MEMBW_UNLIMITED;
	if (!w || !same(w, "group"))
		return refuse(why, why_len,
			      "expected 'group <g> cpus <list> read <rate> [write <rate>]'", w);
	w = next_word(ws);
	if (!w || !parse_index(w, &c->group) || c->group >= env->ncpus)
		return refuse(why, why_len, "group number must be 0 .. number of CPUs - 1", w);
	while ((w = next_word(ws))) {
		if (same(w, "none")) {
			none = true;
			continue;
		}
		val = next_word(ws);
		if (!val)
			return refuse(why, why_len, "missing value after", w);
		/* A second value would replace the first, which the writer meant too. */
		if ((same(w, "cpus") && have_cpus) || (same(w, "read") && have_read) ||
		    (same(w, "write") && have_write))
			return refuse(why, why_len, "each of cpus, read and write at most once", w);
		if (same(w, "cpus")) {
			if (!parse_cpulist(val, env, c->cpus))
				return refuse(why, why_len,
					      "cpus takes a list of existing CPUs like 1-2,4", val);
			have_cpus = true;
		} else if (same(w, "read") || same(w, "write")) {
			ch = w[0] == 'w' ? MEMBW_CH_WRITE : MEMBW_CH_READ;
			if (!parse_rate_word(val, false, &c->rate[ch], &reason) ||
			    !rate_fits(env, ch, c->rate[ch], &reason))
				return refuse(why, why_len, reason, val);
			have_read |= ch == MEMBW_CH_READ;
			have_write |= ch == MEMBW_CH_WRITE;
		} else {
			return refuse(why, why_len, "unknown keyword: use cpus, read, write or none",
				      w);
		}
	}
	if (none ? (have_cpus || have_read || have_write) : !(have_cpus && have_read))
		return refuse(why, why_len,
			      "give either 'none' or both 'cpus <list>' and 'read <rate>'", NULL);
	c->op = none ? KCTL_UNGROUP : KCTL_GROUP;
	return 0;
}

int kctl_check_write(size_t len, long long pos, char *why, size_t why_len)
{
	if (pos != 0)
		return refuse(why, why_len, "one command per write: continue no earlier write "
			      "(reopen the file for the next command)", NULL);
	if (len == 0 || len >= KCTL_MAX_WRITE)
		return refuse(why, why_len, "write 1 to 4095 bytes", NULL);
	return 0;
}

int kctl_parse(enum kctl_file file, char *text, size_t len, long long pos,
	       const struct kctl_env *env, struct kctl_cmd *cmd, char *why, size_t why_len)
{
	struct kctl_cmd check;
	struct kctl_cmd *passes[2] = { &check, cmd };
	unsigned int pass;
	size_t i;
	int err = 0;

	err = kctl_check_write(len, pos, why, why_len);
	if (err)
		return err;
	for (i = 0; i < len; i++) {
		if (!text[i])
			return refuse(why, why_len, "the command has a NUL byte in it: write text only",
				      NULL);
	}
	if (!env || !cmd || !env->ncpus || env->mask_bits < env->ncpus)
		return refuse(why, why_len, "no CPUs to control", NULL);
	/*
	 * Validate first into a scratch command without arrays (every refusal happens
	 * there); then, all of it known good, parse the same words again into the command.
	 */
	check.rates = NULL;
	check.cpus = NULL;
	for (pass = 0; pass < 2 && !err; pass++) {
		struct words ws = { text, text + len };
		struct kctl_cmd *c = passes[pass];

		switch (file) {
		case KCTL_READ_LIMIT:
		case KCTL_WRITE_LIMIT:
			c->channel = file == KCTL_WRITE_LIMIT ? MEMBW_CH_WRITE : MEMBW_CH_READ;
			err = parse_limits(&ws, env, c, why, why_len);
			break;
		case KCTL_CONTROL:
			err = parse_control(&ws, env, c, why, why_len);
			break;
		case KCTL_DOMAINS:
			err = parse_domains(&ws, env, c, why, why_len);
			break;
		case KCTL_MG_LIMIT:
		case KCTL_MG_READ_LIMIT:
		case KCTL_MG_WRITE_LIMIT:
			c->channel = file == KCTL_MG_WRITE_LIMIT ? MEMBW_CH_WRITE : MEMBW_CH_READ;
			err = parse_mg_limits(&ws, file, env, c, why, why_len);
			break;
		case KCTL_MG_SHARE:
			c->channel = MEMBW_CH_READ;
			err = parse_mg_share(&ws, env, c, why, why_len);
			break;
		case KCTL_MG_CONTROL:
			err = parse_mg_control(&ws, env, c, why, why_len);
			break;
		default:
			err = refuse(why, why_len, "no such control file", NULL);
		}
	}
	if (!err && why && why_len)
		why[0] = '\0';
	return err;
}

enum kctl_file kctl_cmd_file(const struct kctl_cmd *cmd)
{
	switch (cmd->op) {
	case KCTL_LIMITS:
		return cmd->channel == MEMBW_CH_WRITE ? KCTL_WRITE_LIMIT : KCTL_READ_LIMIT;
	case KCTL_GROUP:
	case KCTL_UNGROUP:
		return KCTL_DOMAINS;
	case KCTL_MAXBW:
		return KCTL_MG_CONTROL;
	default:
		return KCTL_CONTROL;
	}
}

/* Text being rendered into buf[0 .. len - 1]; short once something did not fit. */
struct out {
	char *buf;
	size_t len;
	size_t at;
	bool short_;
};

static void put(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (o->at + 1 >= o->len) {
			o->short_ = true;
			return;
		}
		o->buf[o->at++] = *s;
	}
}

static void put_number(struct out *o, uint64_t v)
{
	char digits[21];
	unsigned int n = sizeof(digits) - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, &digits[n]);
}

static void put_rate(struct out *o, uint64_t bps)
{
	if (bps == MEMBW_UNLIMITED)
		put(o, "unlimited");
	else
		put_number(o, bps);
}

int kctl_render(const struct kctl_cmd *cmd, const struct kctl_env *env, char *buf, size_t len)
{
	struct out o = { buf, len, 0, false };
	unsigned int i;
	bool first = true;

	if (!buf || !len)
		return -MEMBW_ERANGE;
	switch (cmd->op) {
	case KCTL_LIMITS:
		for (i = 0; i < cmd->n; i++) {
			if (i)
				put(&o, " ");
			put_rate(&o, cmd->rates[i]);
		}
		break;
	case KCTL_RECLAIM:
		put(&o, cmd->on ? "reclaim on" : "reclaim off");
		break;
	case KCTL_SHARING:
		put(&o, "sharing ");
		put(&o, kctl_sharing_name(cmd->sharing));
		break;
	case KCTL_REALTIME:
		put(&o, "realtime ");
		put_number(&o, cmd->cpu);
		put(&o, cmd->on ? " on" : " off");
		break;
	case KCTL_GROUP:
	case KCTL_UNGROUP:
		put(&o, "group ");
		put_number(&o, cmd->group);
		if (cmd->op == KCTL_UNGROUP) {
			put(&o, " none");
			break;
		}
		put(&o, " cpus ");
		for (i = 0; i < env->ncpus; i++) {
			if (!cmd->cpus[i])
				continue;
			if (!first)
				put(&o, ",");
			put_number(&o, i);
			first = false;
		}
		put(&o, " read ");
		put_rate(&o, cmd->rate[MEMBW_CH_READ]);
		put(&o, " write ");
		put_rate(&o, cmd->rate[MEMBW_CH_WRITE]);
		break;
	case KCTL_MAXBW:
		put(&o, "maxbw ");
		put_number(&o, cmd->rate[MEMBW_CH_READ] / KCTL_MIB);
		break;
	}
	buf[o.at] = '\0';
	return o.short_ ? -MEMBW_ERANGE : (int)o.at;
}
