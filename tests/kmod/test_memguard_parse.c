/* SPDX-License-Identifier: MIT */
/*
 * MemGuard's control grammar (memguard_compat=1: /sys/kernel/debug/memguard/), case by case from
 * the command lines of MemGuard's README, in both of its versions (kmod/README.md, "MemGuard
 * compatibility"). Expected values are worked out by hand: MemGuard's MB is 2^20 bytes, so
 * "mb 900" is 900 * 1048576 = 943718400 B/s; maxbw 1200 MiB/s is 1258291200 B/s; at a 1 ms period
 * and 64-byte lines one event per period is 64000 B/s.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include <membw/errors.h>

#include "check.h"
#include "control_parse.h"

#define NCPUS 4u
#define MIB 1048576ull

static const struct kctl_env mg_env = {
	.ncpus = NCPUS, .nchannels = 2, .mask_bits = NCPUS, .period_ns = 1000000, .line_size = 64,
	.maxbw_bps = 1200 * MIB,
};

static struct kctl_cmd cmd;
static uint64_t rates[NCPUS];
static bool cpus[NCPUS];
static char why[KCTL_WHY_MAX];

static int parse_env(enum kctl_file file, const char *text, const struct kctl_env *env)
{
	static char buf[KCTL_MAX_WRITE + 1];
	size_t len = strlen(text);

	memcpy(buf, text, len + 1);
	cmd.rates = rates;
	cmd.cpus = cpus;
	return kctl_parse(file, buf, len, 0, env, &cmd, why, sizeof(why));
}

static bool accepts(enum kctl_file file, const char *text)
{
	int err = parse_env(file, text, &mg_env);

	return CHECK(err == 0, "'%s' accepted (refused: %s)", text, why);
}

static void refuses(enum kctl_file file, const char *text, const char *reason)
{
	CHECK(parse_env(file, text, &mg_env) == -MEMBW_EINVAL, "'%s' refused", text);
	CHECK(strcmp(why, reason) == 0, "'%s': reason '%s', expected '%s'", text, why, reason);
}

/* Old README: "echo mb 900 100 100 100 > limit" and "echo 70 10 10 10 > limit". */
static void test_limit(void)
{
	if (accepts(KCTL_MG_LIMIT, "mb 900 100 100 100\n")) {
		CHECK(cmd.op == KCTL_LIMITS && cmd.channel == MEMBW_CH_READ && cmd.n == 4,
		      "limit sets the read budgets of four CPUs");
		CHECK_EQ(rates[0], 943718400, "mb 900 is 900 * 2^20 B/s");
		CHECK_EQ(rates[3], 104857600, "mb 100 is 100 * 2^20 B/s");
	}
	if (accepts(KCTL_MG_LIMIT, "70 10 10 10\n")) {
		CHECK_EQ(rates[0], 880803840, "70%% of 1258291200 B/s (maxbw 1200 MiB/s)");
		CHECK_EQ(rates[1], 125829120, "10%% of 1258291200 B/s");
		CHECK_EQ(cmd.n, 4, "four values");
	}
	refuses(KCTL_MG_LIMIT, "mb 0 100\n", "MemGuard has no zero budget: give 1 MiB/s or more "
		"(membw/read_limit takes 0 to block a CPU) ('0')");
	refuses(KCTL_MG_LIMIT, "70 0\n", "without 'mb', limit takes percentages of maxbw, whole "
		"numbers 1 .. 100 ('0')");
	refuses(KCTL_MG_LIMIT, "101\n", "without 'mb', limit takes percentages of maxbw, whole "
		"numbers 1 .. 100 ('101')");
	refuses(KCTL_MG_LIMIT, "7.5\n", "without 'mb', limit takes percentages of maxbw, whole "
		"numbers 1 .. 100 ('7.5')");
	refuses(KCTL_MG_LIMIT, "mb 1 2 3 4 5\n", "more values than CPUs ('5')");
	refuses(KCTL_MG_LIMIT, "\n", "expected 'mb <MiB/s> ...' or '<percent of maxbw> ...'");
}

/* New README: "echo mb 500 500 500 500 > read_limit", "echo mb 100 100 100 100 > write_limit";
 * its source reads a number without "mb" as events per period. */
static void test_read_write_limit(void)
{
	struct kctl_env odd = mg_env;

	if (accepts(KCTL_MG_READ_LIMIT, "mb 500 500 500 500\n"))
		CHECK(cmd.channel == MEMBW_CH_READ && cmd.n == 4 && rates[3] == 524288000,
		      "read_limit: 500 * 2^20 B/s on each of four CPUs");
	if (accepts(KCTL_MG_WRITE_LIMIT, "mb 100 100 100 100\n"))
		CHECK(cmd.channel == MEMBW_CH_WRITE && cmd.n == 4 && rates[0] == 104857600,
		      "write_limit: 100 * 2^20 B/s on the write channel");
	if (accepts(KCTL_MG_READ_LIMIT, "1000 1\n"))
		CHECK(rates[0] == 64000000 && rates[1] == 64000,
		      "1000 events of 64 B per 1 ms = 64000000 B/s; 1 event = 64000 B/s");
	/* 7 events of 64 B per 0.3 ms = 1493333.3 B/s, rounded up so that it reads back as 7 */
	odd.period_ns = 300000;
	CHECK(parse_env(KCTL_MG_READ_LIMIT, "7", &odd) == 0 && rates[0] == 1493334,
	      "7 events per 300 us of 64 B lines: 1493334 B/s (got %llu)",
	      (unsigned long long)rates[0]);
	refuses(KCTL_MG_READ_LIMIT, "0\n", "without 'mb', a budget is a whole number of events per "
		"period, 1 .. 4294967294 ('0')");
	refuses(KCTL_MG_WRITE_LIMIT, "mb 0\n", "MemGuard has no zero budget: give 1 MiB/s or more "
		"(membw/read_limit takes 0 to block a CPU) ('0')");
	refuses(KCTL_MG_READ_LIMIT, "4294967295\n", "without 'mb', a budget is a whole number of "
		"events per period, 1 .. 4294967294 ('4294967295')");
}

/* Old README: "echo 1 2 4 8 > share": maxbw 1200 MiB/s in 15 parts, 80 MiB/s each. */
static void test_share(void)
{
	if (accepts(KCTL_MG_SHARE, "1 2 4 8\n")) {
		CHECK(cmd.op == KCTL_LIMITS && cmd.channel == MEMBW_CH_READ && cmd.n == 4,
		      "share sets four read budgets");
		CHECK_EQ(rates[0], 80 * MIB, "weight 1 of 15: 80 MiB/s");
		CHECK_EQ(rates[1], 160 * MIB, "weight 2 of 15: 160 MiB/s");
		CHECK_EQ(rates[2], 320 * MIB, "weight 4 of 15: 320 MiB/s");
		CHECK_EQ(rates[3], 640 * MIB, "weight 8 of 15: 640 MiB/s");
	}
	refuses(KCTL_MG_SHARE, "1 0\n", "a weight is a whole number 1 .. 1000000 ('0')");
	refuses(KCTL_MG_SHARE, "1 2 3 4 5\n", "more weights than CPUs ('5')");
	refuses(KCTL_MG_SHARE, "\n", "expected '<weight0> <weight1> ...'");
	/* 1 of 1000001 parts of 1200 MiB/s is 1258 B/s, below 64000 B/s */
	refuses(KCTL_MG_SHARE, "1 1000000\n", "this weight's part of maxbw is below one line per "
		"period: raise maxbw or the weight ('1')");
}

/* Both READMEs: maxbw, reclaim 1|0, exclusive 0|2|5 (1: last exclusive), taskprio; rt. */
static void test_control(void)
{
	struct kctl_env env = mg_env;
	struct kctl_state st = { &env, NULL, NULL, NULL };
	struct kctl_ops ops = { 0 };
	struct kctl_failure fail;

	if (accepts(KCTL_MG_CONTROL, "maxbw 2400\n")) {
		CHECK(cmd.op == KCTL_MAXBW && cmd.rate[MEMBW_CH_READ] == 2516582400ull,
		      "maxbw 2400 is 2400 * 2^20 B/s");
		CHECK(kctl_apply(&cmd, &st, &ops, &fail) == 0 && env.maxbw_bps == 2516582400ull,
		      "applied, maxbw is the module's");
		/* the next command is parsed against it: 50% of 2400 MiB/s is 1200 * 2^20 B/s */
		CHECK(parse_env(KCTL_MG_LIMIT, "50\n", &env) == 0 && rates[0] == 1258291200,
		      "50 > limit after maxbw 2400: 1258291200 B/s (got %llu)",
		      (unsigned long long)rates[0]);
	}
	if (accepts(KCTL_MG_CONTROL, "reclaim 1\n"))
		CHECK(cmd.op == KCTL_RECLAIM && cmd.on, "reclaim 1: on");
	if (accepts(KCTL_MG_CONTROL, "reclaim 0\n"))
		CHECK(cmd.op == KCTL_RECLAIM && !cmd.on, "reclaim 0: off");
	if (accepts(KCTL_MG_CONTROL, "exclusive 0\n"))
		CHECK(cmd.op == KCTL_SHARING && cmd.sharing == 0, "exclusive 0: strict, no sharing");
	if (accepts(KCTL_MG_CONTROL, "exclusive 2\n"))
		CHECK(cmd.op == KCTL_SHARING && cmd.sharing == 1, "exclusive 2: spare sharing");
	if (accepts(KCTL_MG_CONTROL, "exclusive 5\n"))
		CHECK(cmd.op == KCTL_SHARING && cmd.sharing == 2, "exclusive 5: proportional share");
	/* memguard/control and membw/control show the modes back as MemGuard's README and
	 * kmod/README.md name them */
	CHECK(kctl_mg_exclusive(0) == 0 && kctl_mg_exclusive(1) == 2 && kctl_mg_exclusive(2) == 5,
	      "sharing none, spare, proportional read back as exclusive 0, 2, 5");
	CHECK(strcmp(kctl_sharing_name(0), "none") == 0 && strcmp(kctl_sharing_name(1), "spare") == 0 &&
	      strcmp(kctl_sharing_name(2), "proportional") == 0 && strcmp(kctl_sharing_name(3), "?") == 0,
	      "sharing names: none, spare, proportional; '?' past them");
	refuses(KCTL_MG_CONTROL, "exclusive 1\n", "exclusive 1 (the last unthrottled CPU runs "
		"alone) is not implemented: use 0 (none), 2 (spare) or 5 (proportional) ('1')");
	refuses(KCTL_MG_CONTROL, "exclusive 3\n", "MemGuard's exclusive modes are 0 (none), 2 "
		"(spare sharing) and 5 (proportional share) ('3')");
	refuses(KCTL_MG_CONTROL, "taskprio 1\n", "taskprio (task priorities as weights) is not "
		"implemented: budgets are per CPU ('taskprio')");
	refuses(KCTL_MG_CONTROL, "maxbw 0\n", "maxbw takes whole MiB/s, at least one line per "
		"period ('0')");
	refuses(KCTL_MG_CONTROL, "reclaim 2\n", "use 'reclaim 1' or 'reclaim 0' ('2')");
	refuses(KCTL_MG_CONTROL, "exclusive 2 5\n", "give the command one number, like "
		"'exclusive 2' ('5')");
	refuses(KCTL_MG_CONTROL, "sharing spare\n", "unknown command: use maxbw, reclaim, "
		"exclusive or rt ('sharing')");
	/* MemGuard's current source: "rt <cpu> <val>", a CPU counted but never throttled */
	if (accepts(KCTL_MG_CONTROL, "rt 2 1\n"))
		CHECK(cmd.op == KCTL_REALTIME && cmd.cpu == 2 && cmd.on, "rt 2 1: CPU 2 real-time");
	if (accepts(KCTL_MG_CONTROL, "rt 2 0\n"))
		CHECK(cmd.op == KCTL_REALTIME && cmd.cpu == 2 && !cmd.on, "rt 2 0: regulated again");
	refuses(KCTL_MG_CONTROL, "rt 4 1\n", "'rt <cpu> 0|1': no such CPU ('4')");
	refuses(KCTL_MG_CONTROL, "rt 1\n", "use 'rt <cpu> 1' or 'rt <cpu> 0' ('rt')");
}

/* A refused write leaves the command and its array as they were. */
static void test_refusal_touches_nothing(void)
{
	uint64_t before[NCPUS] = { 1, 2, 3, 4 };

	memcpy(rates, before, sizeof(rates));
	CHECK(parse_env(KCTL_MG_LIMIT, "mb 100 200 0", &mg_env) == -MEMBW_EINVAL,
	      "'mb 100 200 0' refused");
	CHECK(memcmp(rates, before, sizeof(rates)) == 0, "no budget stored from a refused write");
	CHECK(parse_env(KCTL_MG_SHARE, "1 2 x", &mg_env) == -MEMBW_EINVAL, "'1 2 x' refused");
	CHECK(memcmp(rates, before, sizeof(rates)) == 0, "no weight stored from a refused write");
}

/* maxbw renders as MemGuard's command, which parses back to itself. */
static void test_render(void)
{
	char shown[64];
	int n;

	if (!accepts(KCTL_MG_CONTROL, "maxbw 1500"))
		return;
	n = kctl_render(&cmd, &mg_env, shown, sizeof(shown));
	CHECK(n > 0 && strcmp(shown, "maxbw 1500") == 0, "rendered '%s'", shown);
	CHECK_EQ(kctl_cmd_file(&cmd), KCTL_MG_CONTROL, "maxbw belongs to memguard/control");
}

int suite_memguard_parse(void);
int suite_memguard_parse(void)
{
	CU_pSuite s = CU_add_suite("MemGuard's control grammar", NULL, NULL);

	if (!s || !CU_add_test(s, "limit", test_limit) ||
	    !CU_add_test(s, "read_limit, write_limit", test_read_write_limit) ||
	    !CU_add_test(s, "share", test_share) ||
	    !CU_add_test(s, "control", test_control) ||
	    !CU_add_test(s, "a refusal touches nothing", test_refusal_touches_nothing) ||
	    !CU_add_test(s, "render", test_render))
		return -1;
	return 0;
}
