/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: membw.ko's control-file parser and apply layer (kmod/control_parse.c,
 * kmod/control_apply.c, compiled unchanged). Input: byte 0 picks the file and the module
 * (CPUs, channels, CPU-mask width, a write past position 0), byte 1 the period, line size, the
 * module's starting state, which policy change fails, one of MemGuard's files (memguard/,
 * bits 4-6 = 1 .. 5) and its maxbw (bit 7); the rest is the bytes written.
 * Invariants:
 *   - refused: a reason is given, and the command and its arrays are byte for byte as before;
 *   - accepted: the command is for the file written (a MemGuard limit, share or control command
 *     for membw's file of the same op), within the module's limits, and renders to a text that
 *     parses back to the same command; a MemGuard budget is never 0 or unlimited;
 *   - no rate that rounds to 0 is accepted: an accepted 0 is written with no digit 1-9, and every
 *     other finite rate is at least one line per period;
 *   - applied with one policy change failing: the policy and the module's record are exactly as
 *     before; applied without failure: the policy holds what the command says.
 * A broken invariant aborts with "invariant broken: ...".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <membw/errors.h>
#include <membw/policy.h>

#include "control_parse.h"
#include "fake_policy.h"

#define MAXCPUS FAKE_MAX_CPUS
#define SENTINEL 0xa5

static void broken(const char *what, const char *text)
{
	fprintf(stderr, "invariant broken: %s for input '%s'\n", what, text);
	abort();
}

/* ---- the text, split into words independently of the parser ---- */

static bool is_space(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xA0;
}

#define MAXWORDS 256

static unsigned int split(const char *text, size_t len, const char *words[], size_t wlen[])
{
	unsigned int n = 0;
	size_t i = 0, start;

	while (n < MAXWORDS) {
		while (i < len && is_space((unsigned char)text[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_space((unsigned char)text[i]))
			i++;
		words[n] = text + start;
		wlen[n++] = i - start;
	}
	return n;
}

/* A rate written as zero: no digit 1-9 in the word. */
static bool written_as_zero(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] >= '1' && w[i] <= '9')
			return false;
	return true;
}

static void check_rate(const struct kctl_env *env, uint64_t bps, const char *w, size_t n,
		       const char *text)
{
	uint64_t events;

	if (bps == 0 && !written_as_zero(w, n))
		broken("a non-zero rate was accepted as 0", text);
	if (bps && bps != MEMBW_UNLIMITED &&
	    (membw_bps_to_events(bps, env->period_ns, env->line_size, &events) || events == 0))
		broken("an accepted rate is below one line per period", text);
}

/* The value word after the last @key of a domains command (words from index 2), or NULL. */
static const char *last_value(const char *words[], const size_t wlen[], unsigned int n,
			      const char *key, size_t *len)
{
	const char *found = NULL;
	unsigned int i = 2;

	while (i < n) {
		if (wlen[i] == 4 && !memcmp(words[i], "none", 4)) {
			i++;
			continue;
		}
		if (i + 1 < n && wlen[i] == strlen(key) && !memcmp(words[i], key, wlen[i])) {
			found = words[i + 1];
			*len = wlen[i + 1];
		}
		i += 2;
	}
	return found;
}

/* ---- commands compared on what their op means ---- */

static bool same_cmd(const struct kctl_cmd *a, const struct kctl_cmd *b, unsigned int ncpus)
{
	if (a->op != b->op)
		return false;
	switch (a->op) {
	case KCTL_LIMITS:
		return a->channel == b->channel && a->n == b->n &&
		       !memcmp(a->rates, b->rates, a->n * sizeof(a->rates[0]));
	case KCTL_RECLAIM:
		return a->on == b->on;
	case KCTL_SHARING:
		return a->sharing == b->sharing;
	case KCTL_REALTIME:
		return a->cpu == b->cpu && a->on == b->on;
	case KCTL_GROUP:
		return a->group == b->group && a->rate[0] == b->rate[0] &&
		       a->rate[1] == b->rate[1] &&
		       !memcmp(a->cpus, b->cpus, ncpus * sizeof(a->cpus[0]));
	case KCTL_UNGROUP:
		return a->group == b->group;
	case KCTL_MAXBW:
		return a->rate[0] == b->rate[0];
	}
	return false;
}

static void check_limits(const struct kctl_cmd *c, const struct kctl_env *env, const char *text,
			 size_t len)
{
	const char *words[MAXWORDS];
	size_t wlen[MAXWORDS];
	unsigned int n = split(text, len, words, wlen), first = 0, i;

	if (c->n == 0 || c->n > env->ncpus)
		broken("a limits command for no CPU or more CPUs than exist", text);
	if (n && wlen[0] == 2 && !memcmp(words[0], "mb", 2))
		first = 1;
	if (n - first != c->n)
		broken("a limits command's value count is not the word count", text);
	for (i = 0; i < c->n; i++) {
		check_rate(env, c->rates[i], words[first + i], wlen[first + i], text);
		if (c->channel == MEMBW_CH_WRITE && env->nchannels < 2 &&
		    c->rates[i] != MEMBW_UNLIMITED)
			broken("a finite write budget without a write channel", text);
	}
}

static void check_group(const struct kctl_cmd *c, const struct kctl_env *env, const char *text,
			size_t len)
{
	const char *words[MAXWORDS], *w;
	size_t wlen[MAXWORDS], wl = 0;
	unsigned int n = split(text, len, words, wlen), i;
	bool any = false;

	if (c->group >= env->ncpus)
		broken("a group past the CPUs", text);
	if (c->op != KCTL_GROUP)
		return;
	for (i = 0; i < env->ncpus; i++)
		any |= c->cpus[i];
	if (!any)
		broken("a group of no CPU", text);
	w = last_value(words, wlen, n, "read", &wl);
	if (!w)
		broken("a group without a read rate", text);
	check_rate(env, c->rate[0], w, wl, text);
	w = last_value(words, wlen, n, "write", &wl);
	if (w)
		check_rate(env, c->rate[1], w, wl, text);
	else if (c->rate[1] != MEMBW_UNLIMITED)
		broken("a group without a write rate has a finite one", text);
	if (env->nchannels < 2 && c->rate[1] != MEMBW_UNLIMITED)
		broken("a finite write budget without a write channel", text);
}

/* ---- the module's state, and applying ---- */

struct module {
	uint32_t cpu_domain[MAXCPUS];
	bool cpu_realtime[MAXCPUS];
	uint64_t saved[MAXCPUS][MEMBW_NCHANNELS];
};

/* A starting state from @bits: some CPUs in group 0, some real-time; the policy agrees. */
static void start(struct module *mod, unsigned int ncpus, unsigned int bits)
{
	unsigned int i;

	memset(&fake_policy, 0, sizeof(fake_policy));
	memset(mod, 0, sizeof(*mod));
	for (i = 0; i < 2 * MAXCPUS; i++) {
		fake_policy.budget[i][0] = 1000000 + i;
		fake_policy.budget[i][1] = MEMBW_UNLIMITED;
	}
	for (i = 0; i < ncpus; i++) {
		mod->cpu_domain[i] = (bits >> (i % 4)) & 1 ? ncpus : i;
		mod->cpu_realtime[i] = i == ((bits >> 4) & 3);
		fake_policy.domain[i] = mod->cpu_realtime[i] ? MEMBW_NO_DOMAIN : mod->cpu_domain[i];
	}
}

static void check_apply(const struct kctl_cmd *c, const struct kctl_env *env, unsigned int bits,
			const char *text)
{
	struct kctl_env applied = *env;
	struct module mod, before_mod;
	struct fake_policy before;
	struct kctl_state st;
	struct kctl_failure fail;
	unsigned int i, ncpus = env->ncpus, fail_at = (bits >> 6) + 1;
	int err;

	/* with change fail_at (1 .. 4) failing, if there are that many: nothing changes */
	start(&mod, ncpus, bits);
	before = fake_policy;
	before_mod = mod;
	st = (struct kctl_state){ &applied, mod.cpu_domain, mod.cpu_realtime, mod.saved };
	fake_policy.fail_at = fail_at;
	err = kctl_apply(c, &st, &fake_ops, &fail);
	if (err) {
		if (err != -MEMBW_EAGAIN || fail.err != err || fail.undo_err)
			broken("apply failed otherwise than the fake policy did", text);
		fake_policy.changes = before.changes;
		fake_policy.fail_at = before.fail_at;
		if (memcmp(&fake_policy, &before, sizeof(fake_policy)) ||
		    memcmp(mod.cpu_domain, before_mod.cpu_domain, sizeof(mod.cpu_domain)) ||
		    memcmp(mod.cpu_realtime, before_mod.cpu_realtime, sizeof(mod.cpu_realtime)))
			broken("a failed apply changed something", text);
		if (fail.index >= ncpus)
			broken("a failure names no CPU or group", text);
	}
	/* without failures: the policy holds the command */
	start(&mod, ncpus, bits);
	if (kctl_apply(c, &st, &fake_ops, &fail))
		broken("apply failed with nothing failing", text);
	switch (c->op) {
	case KCTL_LIMITS:
		for (i = 0; i < c->n; i++)
			if (fake_policy.budget[i][c->channel] != c->rates[i])
				broken("a CPU's budget is not the command's", text);
		break;
	case KCTL_GROUP:
		if (fake_policy.budget[ncpus + c->group][0] != c->rate[0] ||
		    fake_policy.budget[ncpus + c->group][1] != c->rate[1])
			broken("the group's budget is not the command's", text);
		/* fall through */
	case KCTL_UNGROUP:
		for (i = 0; i < ncpus; i++) {
			bool in = mod.cpu_domain[i] == ncpus + c->group;

			if (in != (c->op == KCTL_GROUP && c->cpus[i]))
				broken("a CPU's group is not the command's", text);
			if (fake_policy.domain[i] != (mod.cpu_realtime[i] ? MEMBW_NO_DOMAIN :
					      mod.cpu_domain[i]))
				broken("the policy and the record disagree on a CPU", text);
		}
		break;
	case KCTL_REALTIME:
		if (mod.cpu_realtime[c->cpu] != c->on ||
		    fake_policy.domain[c->cpu] != (c->on ? MEMBW_NO_DOMAIN : mod.cpu_domain[c->cpu]))
			broken("a real-time change not in the policy", text);
		break;
	case KCTL_RECLAIM:
		if (fake_policy.reclaim != c->on)
			broken("reclaim not set", text);
		break;
	case KCTL_SHARING:
		if (fake_policy.sharing != c->sharing)
			broken("sharing not set", text);
		break;
	case KCTL_MAXBW:
		if (applied.maxbw_bps != c->rate[0])
			broken("maxbw not set", text);
		break;
	}
}

/* A MemGuard limit or share: every budget a positive rate of at least one line per period. */
static void check_mg_limits(const struct kctl_cmd *c, const struct kctl_env *env, const char *text)
{
	uint64_t events;
	unsigned int i;

	if (c->n == 0 || c->n > env->ncpus)
		broken("a MemGuard limits command for no CPU or more CPUs than exist", text);
	for (i = 0; i < c->n; i++)
		if (c->rates[i] == MEMBW_UNLIMITED ||
		    membw_bps_to_events(c->rates[i], env->period_ns, env->line_size, &events) ||
		    events == 0)
			broken("a MemGuard budget that is 0, unlimited or below one line", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t periods[] = { 100000, 1000000, 1000000000, 250000 };
	static const uint32_t lines[] = { 64, 32, 128, 4096 };
	static uint64_t rates[MAXCPUS], rates2[MAXCPUS], rates_before[MAXCPUS];
	static bool cpus[MAXCPUS], cpus2[MAXCPUS], cpus_before[MAXCPUS];
	struct kctl_cmd cmd, before, again;
	struct kctl_env env;
	enum kctl_file file;
	char why[KCTL_WHY_MAX], shown[KCTL_MAX_WRITE], *text, *copy;
	size_t len;
	int err, n;
	unsigned int mg;

	if (size < 2)
		return 0;
	/* data[1] bits 4-6: 1 .. 5 a MemGuard file (memguard/), otherwise membw's data[0] & 3 */
	mg = (data[1] >> 4) & 7;
	file = mg >= 1 && mg <= 5 ? (enum kctl_file)(KCTL_MG_LIMIT + mg - 1) :
				    (enum kctl_file)(data[0] & 3);
	mg = file >= KCTL_MG_LIMIT;
	env.maxbw_bps = (data[1] & 0x80) ? 1200 * 1048576ull : 64000;
	env.ncpus = ((data[0] >> 2) & 7) + 1;
	env.nchannels = (data[0] & 0x20) ? 1 : 2;
	env.mask_bits = (data[0] & 0x40) ? 64 : env.ncpus;
	env.period_ns = periods[data[1] & 3];
	env.line_size = lines[(data[1] >> 2) & 3];
	len = size - 2;
	text = malloc(len + 1);
	copy = malloc(len + 1);
	if (!text || !copy)
		abort();
	memcpy(text, data + 2, len);
	text[len] = '\0';
	memcpy(copy, text, len + 1);
	for (size_t i = 0; i < len; i++) /* for messages: the text as written, NULs shown */
		if (!copy[i])
			copy[i] = '@';

	memset(&cmd, SENTINEL, sizeof(cmd));
	memset(rates, SENTINEL, sizeof(rates));
	memset(cpus, SENTINEL, sizeof(cpus));
	cmd.rates = rates;
	cmd.cpus = cpus;
	before = cmd;
	memcpy(rates_before, rates, sizeof(rates));
	memcpy(cpus_before, cpus, sizeof(cpus));
	why[0] = '\0';
	err = kctl_parse(file, text, len, (data[0] & 0x80) ? (long long)len : 0, &env, &cmd, why,
			 sizeof(why));
	memcpy(text, data + 2, len); /* the parser cut it into words */
	if (err) {
		if (err != -MEMBW_EINVAL || !why[0])
			broken("a refusal without -MEMBW_EINVAL and a reason", copy);
		if (memcmp(&cmd, &before, sizeof(cmd)) || memcmp(rates, rates_before, sizeof(rates)) ||
		    memcmp(cpus, cpus_before, sizeof(cpus)))
			broken("a refusal changed the command", copy);
		goto out;
	}
	if (data[0] & 0x80)
		broken("a write past position 0 was accepted", copy);
	if (!mg && kctl_cmd_file(&cmd) != file)
		broken("a command for another file", copy);
	switch (cmd.op) {
	case KCTL_LIMITS:
		if (mg)
			check_mg_limits(&cmd, &env, copy);
		else
			check_limits(&cmd, &env, text, len);
		break;
	case KCTL_GROUP:
	case KCTL_UNGROUP:
		check_group(&cmd, &env, text, len);
		break;
	case KCTL_REALTIME:
		if (cmd.cpu >= env.ncpus)
			broken("a real-time CPU past the CPUs", copy);
		break;
	case KCTL_SHARING:
		if (cmd.sharing > 2)
			broken("an unknown sharing mode", copy);
		break;
	case KCTL_RECLAIM:
		break;
	case KCTL_MAXBW:
		if (!mg || cmd.rate[0] == 0 || cmd.rate[0] % 1048576)
			broken("a maxbw not in whole MiB/s, or outside memguard/control", copy);
		break;
	}
	/* rendered, it parses back to the same command (for the file kctl_cmd_file() names: a
	 * MemGuard limit or share renders as membw's read_limit/write_limit) */
	n = kctl_render(&cmd, &env, shown, sizeof(shown));
	if (n <= 0 || (size_t)n >= sizeof(shown))
		broken("an accepted command does not render", copy);
	memset(&again, 0, sizeof(again));
	again.rates = rates2;
	again.cpus = cpus2;
	if (kctl_parse(kctl_cmd_file(&cmd), shown, (size_t)n, 0, &env, &again, why, sizeof(why)))
		broken("the rendered command is refused", copy);
	if (!same_cmd(&cmd, &again, env.ncpus))
		broken("the rendered command parses to another command", copy);
	check_apply(&cmd, &env, data[1], copy);
out:
	free(text);
	free(copy);
	return 0;
}
