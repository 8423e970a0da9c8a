/* SPDX-License-Identifier: MIT */
/*
 * membw.ko's control-file grammar (kmod/control_parse.c, compiled unchanged), case by case from
 * kmod/README.md's "debugfs" section. Expected rates are worked out by hand from the units the
 * README states: MB = 10^6 bytes, MiB (and MemGuard's "mb") = 2^20 bytes, a bare number is bytes
 * per second; at a 1 ms period and 64-byte lines one line per period is 64000 B/s.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include <membw/errors.h>

#include "check.h"
#include "control_parse.h"

#define NCPUS 4u
#define MIB 1048576ull

static const struct kctl_env env4 = {
	.ncpus = NCPUS, .nchannels = 2, .mask_bits = NCPUS, .period_ns = 1000000, .line_size = 64,
};

/* The last parse: its command (arrays included) and reason. */
static struct kctl_cmd cmd;
static uint64_t rates[NCPUS];
static bool cpus[NCPUS];
static char why[KCTL_WHY_MAX];

/* Parse @len bytes of @text as one write at @pos to @file, with @env. */
static int parse_at(enum kctl_file file, const char *text, size_t len, long long pos,
		    const struct kctl_env *env)
{
	static char buf[KCTL_MAX_WRITE + 1];

	memcpy(buf, text, len);
	buf[len] = '\0';
	cmd.rates = rates;
	cmd.cpus = cpus;
	return kctl_parse(file, buf, len, pos, env, &cmd, why, sizeof(why));
}

static int parse(enum kctl_file file, const char *text)
{
	return parse_at(file, text, strlen(text), 0, &env4);
}

/* @text to @file is accepted. */
static bool accepts(enum kctl_file file, const char *text)
{
	int err = parse(file, text);

	return CHECK(err == 0, "'%s' accepted (refused: %s)", text, why);
}

/* @text to @file is refused, with exactly @reason. */
static void refuses(enum kctl_file file, const char *text, const char *reason)
{
	CHECK(parse(file, text) == -MEMBW_EINVAL, "'%s' refused", text);
	CHECK(strcmp(why, reason) == 0, "'%s': reason '%s', expected '%s'", text, why, reason);
}

static void test_memguard_mb(void)
{
	if (!accepts(KCTL_READ_LIMIT, "mb 500 500 300 300\n"))
		return;
	CHECK_EQ(cmd.op, KCTL_LIMITS, "a limits command");
	CHECK_EQ(cmd.channel, MEMBW_CH_READ, "read_limit sets the read channel");
	CHECK_EQ(cmd.n, 4, "four values");
	CHECK_EQ(rates[0], 500 * MIB, "mb 500 is 500 MiB/s");
	CHECK_EQ(rates[1], 500 * MIB, "second value");
	CHECK_EQ(rates[2], 300 * MIB, "mb 300 is 300 MiB/s");
	CHECK_EQ(rates[3], 300 * MIB, "fourth value");
	if (accepts(KCTL_READ_LIMIT, "mb 1.5"))
		CHECK_EQ(rates[0], MIB + MIB / 2, "mb 1.5 is 1.5 MiB/s");
	if (accepts(KCTL_READ_LIMIT, "mb 100 200"))
		CHECK(cmd.n == 2 && rates[1] == 200 * MIB, "fewer values than CPUs: only those set");
	if (accepts(KCTL_READ_LIMIT, "mb 0"))
		CHECK_EQ(rates[0], 0, "mb 0 blocks the CPU");
}

static void test_rates_with_units(void)
{
	if (!accepts(KCTL_READ_LIMIT, "500MB/s unlimited 1GB/s"))
		return;
	CHECK_EQ(cmd.n, 3, "three values");
	CHECK_EQ(rates[0], 500000000, "500MB/s is 5*10^8 B/s");
	CHECK_EQ(rates[1], MEMBW_UNLIMITED, "unlimited");
	CHECK_EQ(rates[2], 1000000000, "1GB/s is 10^9 B/s");
	if (accepts(KCTL_READ_LIMIT, "1.5GiB/s\t800M  0\n"))
		CHECK(rates[0] == 1610612736ull && rates[1] == 800000000 && rates[2] == 0,
		      "1.5GiB/s = 1.5 * 2^30, 800M = 8*10^8, 0 blocks; tabs and spaces separate");
	if (accepts(KCTL_WRITE_LIMIT, "100MB/s"))
		CHECK_EQ(cmd.channel, MEMBW_CH_WRITE, "write_limit sets the write channel");
}

static void test_limit_refusals(void)
{
	refuses(KCTL_READ_LIMIT, "\n", "expected 'mb <v0> <v1> ...' or '<rate0> <rate1> ...'");
	refuses(KCTL_READ_LIMIT, "mb", "expected 'mb <v0> <v1> ...' or '<rate0> <rate1> ...'");
	refuses(KCTL_READ_LIMIT, "1GB/s 1GB/s 1GB/s 1GB/s 2GB/s", "more values than CPUs ('2GB/s')");
	/* after mb, a number of MiB/s: "unlimited" is not one */
	CHECK(parse(KCTL_READ_LIMIT, "mb unlimited") == -MEMBW_EINVAL, "'mb unlimited' refused");
	CHECK(parse(KCTL_READ_LIMIT, "mb 0x10") == -MEMBW_EINVAL, "no hex");
	CHECK(parse(KCTL_READ_LIMIT, "-5MB/s") == -MEMBW_EINVAL, "no sign");
	CHECK(parse(KCTL_READ_LIMIT, "500MB/s bogus") == -MEMBW_EINVAL, "not a rate");
	CHECK(strstr(why, "('bogus')") != NULL, "the reason quotes the bad value: %s", why);
	CHECK(parse(KCTL_READ_LIMIT, "500Mb/s") == -MEMBW_EINVAL, "bits are not bytes");
	refuses(KCTL_READ_LIMIT, "mb 1234567890123456789012345678901234567890123456789012345678901",
		"expected a number of MiB/s after 'mb' "
		"('1234567890123456789012345678901234567890123456789012345678901')");
}

/* One command per write, whole (README: a split command, a NUL byte). */
static void test_one_whole_command_per_write(void)
{
	static char big[KCTL_MAX_WRITE];

	CHECK(parse_at(KCTL_READ_LIMIT, "mb 1", 4, 0, &env4) == 0, "'mb 1' alone is a command");
	CHECK(parse_at(KCTL_READ_LIMIT, "00", 2, 4, &env4) == -MEMBW_EINVAL,
	      "'00' written after 'mb 1' on the same open file is refused");
	CHECK(strcmp(why, "one command per write: continue no earlier write (reopen the file for "
		     "the next command)") == 0, "reason: %s", why);
	CHECK(parse_at(KCTL_READ_LIMIT, "mb 100\0garbage", 14, 0, &env4) == -MEMBW_EINVAL,
	      "'mb 100<NUL>garbage' is refused");
	CHECK(strcmp(why, "the command has a NUL byte in it: write text only") == 0, "reason: %s",
	      why);
	CHECK(parse_at(KCTL_CONTROL, "reclaim on\0", 11, 0, &env4) == -MEMBW_EINVAL,
	      "a trailing NUL is a NUL too");
	CHECK(parse_at(KCTL_READ_LIMIT, "", 0, 0, &env4) == -MEMBW_EINVAL, "empty write refused");
	CHECK(strcmp(why, "write 1 to 4095 bytes") == 0, "reason: %s", why);
	memset(big, ' ', sizeof(big));
	big[0] = '0';
	CHECK(parse_at(KCTL_READ_LIMIT, big, 4095, 0, &env4) == 0, "4095 bytes are accepted");
	CHECK(parse_at(KCTL_READ_LIMIT, big, 4096, 0, &env4) == -MEMBW_EINVAL,
	      "4096 bytes are refused");
	CHECK(kctl_check_write(4, 0, why, sizeof(why)) == 0, "kctl_check_write: 4 bytes at 0");
	CHECK(kctl_check_write(4, 4, why, sizeof(why)) == -MEMBW_EINVAL,
	      "kctl_check_write: a write at position 4 continues another");
}

/* README: no sign anywhere; a non-zero rate that rounds to zero is refused, 0 only as typed. */
static void test_signs_and_rounding(void)
{
	CHECK(parse(KCTL_READ_LIMIT, "mb +5") == -MEMBW_EINVAL, "'mb +5' refused: no sign");
	CHECK(parse(KCTL_READ_LIMIT, "+5MB/s") == -MEMBW_EINVAL, "'+5MB/s' refused");
	CHECK(parse(KCTL_CONTROL, "realtime +1 on") == -MEMBW_EINVAL, "'realtime +1 on' refused");
	CHECK(parse(KCTL_DOMAINS, "group +0 none") == -MEMBW_EINVAL, "'group +0 none' refused");
	CHECK(parse(KCTL_READ_LIMIT, "0.5 0.5") == -MEMBW_EINVAL, "'0.5' B/s rounds to 0: refused");
	CHECK(parse(KCTL_READ_LIMIT, "mb 0.0000001") == -MEMBW_EINVAL,
	      "'mb 0.0000001' (0.1 B/s) refused");
	/* 1000 B/s for 1 ms is 1 byte: less than a 64-byte line, 0 events */
	refuses(KCTL_READ_LIMIT, "1000",
		"rate is below one line per period or above the largest budget ('1000')");
	CHECK(parse(KCTL_READ_LIMIT, "63999") == -MEMBW_EINVAL, "63999 B/s is 63.999 B a period");
	if (accepts(KCTL_READ_LIMIT, "64000"))
		CHECK_EQ(rates[0], 64000, "64000 B/s is one line a period: accepted");
	CHECK(parse(KCTL_DOMAINS, "group 0 cpus 1 read 0.5") == -MEMBW_EINVAL,
	      "domains: 0.5 B/s refused");
	if (accepts(KCTL_READ_LIMIT, "0.0MB/s 0"))
		CHECK(rates[0] == 0 && rates[1] == 0, "zero written as zero is 0");
}

static void test_write_channel_without_event(void)
{
	struct kctl_env one = env4;

	one.nchannels = 1;
	CHECK(parse_at(KCTL_WRITE_LIMIT, "100MB/s", 7, 0, &one) == -MEMBW_EINVAL,
	      "write_limit refuses a finite rate without a write event");
	CHECK(strcmp(why, "no write-back event was configured (write_event=none): only "
		     "'unlimited' fits ('100MB/s')") == 0, "reason: %s", why);
	CHECK(parse_at(KCTL_WRITE_LIMIT, "unlimited", 9, 0, &one) == 0, "'unlimited' fits");
	CHECK(parse_at(KCTL_READ_LIMIT, "100MB/s", 7, 0, &one) == 0, "read_limit still works");
	CHECK(parse_at(KCTL_DOMAINS, "group 0 cpus 1 read 1GB/s write 1GB/s", 37, 0, &one) ==
	      -MEMBW_EINVAL, "domains: a finite write rate needs the event too");
}

/* A refused write leaves the command and its arrays as they were. */
static void test_refusal_touches_nothing(void)
{
	struct kctl_cmd before;
	unsigned int i;

	for (i = 0; i < NCPUS; i++) {
		rates[i] = 0xAAAA + i;
		cpus[i] = i & 1;
	}
	cmd.op = KCTL_SHARING;
	cmd.n = 77;
	before = cmd;
	CHECK(parse(KCTL_READ_LIMIT, "mb 1 2 x") == -MEMBW_EINVAL, "third value is bad");
	before.rates = rates; /* parse() points them there */
	before.cpus = cpus;
	CHECK(memcmp(&before, &cmd, sizeof(cmd)) == 0, "command unchanged");
	CHECK(rates[0] == 0xAAAA && rates[1] == 0xAAAB, "rates of CPUs 0 and 1 unchanged");
	CHECK(parse(KCTL_DOMAINS, "group 0 cpus 0-3 read bad") == -MEMBW_EINVAL, "bad read rate");
	CHECK(cpus[0] == false && cpus[1] == true && cpus[2] == false, "CPU list unchanged");
}

static void test_control(void)
{
	static const struct {
		const char *text;
		enum kctl_op op;
		unsigned int value;
	} ok[] = {
		{ "reclaim on", KCTL_RECLAIM, 1 },     { "reclaim off\n", KCTL_RECLAIM, 0 },
		{ "reclaim 1", KCTL_RECLAIM, 1 },      { "reclaim 0", KCTL_RECLAIM, 0 },
		{ "sharing none", KCTL_SHARING, 0 },   { "sharing spare", KCTL_SHARING, 1 },
		{ "sharing proportional", KCTL_SHARING, 2 },
		{ "exclusive 0", KCTL_SHARING, 0 },    { "exclusive 1", KCTL_SHARING, 1 },
		{ "exclusive 2\n", KCTL_SHARING, 2 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (!accepts(KCTL_CONTROL, ok[i].text))
			continue;
		CHECK(cmd.op == ok[i].op, "'%s': op", ok[i].text);
		CHECK_EQ(ok[i].op == KCTL_RECLAIM ? cmd.on : cmd.sharing, ok[i].value, "'%s': value",
			 ok[i].text);
	}
	if (accepts(KCTL_CONTROL, "realtime 3 on"))
		CHECK(cmd.op == KCTL_REALTIME && cmd.cpu == 3 && cmd.on, "CPU 3 real-time");
	if (accepts(KCTL_CONTROL, "realtime 0 off"))
		CHECK(cmd.op == KCTL_REALTIME && cmd.cpu == 0 && !cmd.on, "CPU 0 regulated");
	refuses(KCTL_CONTROL, " \n", "empty command");
	refuses(KCTL_CONTROL, "reclaim", "use 'reclaim on' or 'reclaim off'");
	refuses(KCTL_CONTROL, "reclaim yes", "use 'reclaim on' or 'reclaim off' ('yes')");
	refuses(KCTL_CONTROL, "exclusive 3",
		"use 'sharing none|spare|proportional' or 'exclusive 0|1|2' ('3')");
	refuses(KCTL_CONTROL, "realtime 4 on", "'realtime <cpu> on|off': no such CPU ('4')");
	refuses(KCTL_CONTROL, "realtime 1 maybe", "'realtime <cpu> on|off' ('maybe')");
	refuses(KCTL_CONTROL, "maxperf 1",
		"unknown command: use reclaim, sharing, exclusive or realtime ('maxperf')");
	refuses(KCTL_CONTROL, "reclaim on now",
		"unknown command: use reclaim, sharing, exclusive or realtime ('reclaim')");
	CHECK(parse(KCTL_CONTROL, "realtime 0x1 on") == -MEMBW_EINVAL, "no hex CPU numbers");
}

static void test_domains(void)
{
	if (accepts(KCTL_DOMAINS, "group 0 cpus 1-2,3 read 800MB/s\n")) {
		CHECK(cmd.op == KCTL_GROUP && cmd.group == 0, "group 0");
		CHECK(!cpus[0] && cpus[1] && cpus[2] && cpus[3], "cpus 1-2,3 is CPUs 1, 2, 3");
		CHECK_EQ(cmd.rate[MEMBW_CH_READ], 800000000, "read 800MB/s");
		CHECK_EQ(cmd.rate[MEMBW_CH_WRITE], MEMBW_UNLIMITED, "no write rate: unlimited");
	}
	if (accepts(KCTL_DOMAINS, "group 3 cpus 0 read 800MB/s write 400MB/s")) {
		CHECK(cmd.group == 3 && cpus[0] && !cpus[1] && !cpus[2] && !cpus[3], "CPU 0 only");
		CHECK_EQ(cmd.rate[MEMBW_CH_WRITE], 400000000, "write 400MB/s");
	}
	if (accepts(KCTL_DOMAINS, "group 1 none"))
		CHECK(cmd.op == KCTL_UNGROUP && cmd.group == 1, "group 1 dissolved");
	if (accepts(KCTL_DOMAINS, "group 2 read 0 cpus 2"))
		CHECK(cmd.rate[MEMBW_CH_READ] == 0 && cpus[2], "keywords in any order; 0 blocks");
	refuses(KCTL_DOMAINS, "grp 0 none",
		"expected 'group <g> cpus <list> read <rate> [write <rate>]' ('grp')");
	refuses(KCTL_DOMAINS, "group 4 none", "group number must be 0 .. number of CPUs - 1 ('4')");
	refuses(KCTL_DOMAINS, "group", "group number must be 0 .. number of CPUs - 1");
	refuses(KCTL_DOMAINS, "group 0 cpus", "missing value after ('cpus')");
	refuses(KCTL_DOMAINS, "group 0 cpus 4 read 1GB/s",
		"cpus takes a list of existing CPUs like 1-2,4 ('4')");
	refuses(KCTL_DOMAINS, "group 0 cpus 1",
		"give either 'none' or both 'cpus <list>' and 'read <rate>'");
	refuses(KCTL_DOMAINS, "group 0 read 1GB/s",
		"give either 'none' or both 'cpus <list>' and 'read <rate>'");
	refuses(KCTL_DOMAINS, "group 0 cpus 1 read 1GB/s none",
		"give either 'none' or both 'cpus <list>' and 'read <rate>'");
	refuses(KCTL_DOMAINS, "group 0 none write 5MB/s",
		"give either 'none' or both 'cpus <list>' and 'read <rate>'");
	refuses(KCTL_DOMAINS, "group 0 colour red",
		"unknown keyword: use cpus, read, write or none ('colour')");
	/* A keyword twice: the last one won, and the first value was dropped without a word. */
	refuses(KCTL_DOMAINS, "group 0 cpus 0-1 read 1GB/s cpus 2",
		"each of cpus, read and write at most once ('cpus')");
	refuses(KCTL_DOMAINS, "group 0 cpus 1 read 1GB/s read 2GB/s",
		"each of cpus, read and write at most once ('read')");
	refuses(KCTL_DOMAINS, "group 0 cpus 1 read 1GB/s write 1GB/s write 0",
		"each of cpus, read and write at most once ('write')");
}

/*
 * CPU lists as Linux reads them (cpulist_parse(); the format of the kernel's admin guide,
 * "CPU lists": ranges, "used/group" strides, N for the last CPU of the mask, "all").
 */
static void test_cpu_lists(void)
{
	struct kctl_env wide = env4;
	char text[96];
	static const struct {
		const char *list;
		const char *set; /* '1' per CPU in the list, of 4 */
	} ok[] = {
		{ "1-2,4-4", NULL }, { "0", "1000" },	  { "3,0", "1001" },	{ "0-3", "1111" },
		{ "0-3:1/2", "1010" }, { "0-3:2/3", "1101" }, { "N", "0001" },   { "all", "1111" },
		{ "ALL", "1111" },    { "1-N", "0111" },     { ",1,,2,", "0110" }, { "0-0", "1000" },
	};
	static const char *const bad[] = { "2-1", "0-3:3/2", "0-3:1/0", "1x", "-1", "0x1", "4",
					   "0-4", ",", "0-3:0/2", "n", "1-", "1:1/2" };
	unsigned int i, c;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "group 0 cpus %s read 1GB/s", ok[i].list);
		if (!ok[i].set) {
			CHECK(parse(KCTL_DOMAINS, text) == -MEMBW_EINVAL, "'%s': CPU 4 does not exist",
			      ok[i].list);
			continue;
		}
		if (!accepts(KCTL_DOMAINS, text))
			continue;
		for (c = 0; c < NCPUS; c++)
			CHECK(cpus[c] == (ok[i].set[c] == '1'), "'%s': CPU %u", ok[i].list, c);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "group 0 cpus %s read 1GB/s", bad[i]);
		CHECK(parse(KCTL_DOMAINS, text) == -MEMBW_EINVAL, "'%s' refused", bad[i]);
	}
	/* a kernel whose CPU mask is wider than the CPUs present: N and all are past them */
	wide.mask_bits = 64;
	snprintf(text, sizeof(text), "group 0 cpus N read 1GB/s");
	CHECK(parse_at(KCTL_DOMAINS, text, strlen(text), 0, &wide) == -MEMBW_EINVAL,
	      "N is bit 63 of a 64-bit mask: no such CPU");
	snprintf(text, sizeof(text), "group 0 cpus 1-3 read 1GB/s");
	CHECK(parse_at(KCTL_DOMAINS, text, strlen(text), 0, &wide) == 0, "1-3 still fine");
}

/* The kernel's isspace(): byte 0xA0 separates words too, and so does a vertical tab. */
static void test_kernel_spaces(void)
{
	if (accepts(KCTL_READ_LIMIT, "mb\xa0" "1\v2"))
		CHECK(cmd.n == 2 && rates[0] == MIB && rates[1] == 2 * MIB, "mb, 1 and 2");
}

static void test_render_parses_back(void)
{
	static const struct {
		enum kctl_file file;
		const char *text, *rendered;
	} cases[] = {
		{ KCTL_READ_LIMIT, "1MiB/s 0 unlimited", "1048576 0 unlimited" },
		{ KCTL_READ_LIMIT, "mb 2", "2097152" },
		{ KCTL_WRITE_LIMIT, "500MB/s", "500000000" },
		{ KCTL_CONTROL, "exclusive 2", "sharing proportional" },
		{ KCTL_CONTROL, "realtime 2 1", "realtime 2 on" },
		{ KCTL_CONTROL, "reclaim 0", "reclaim off" },
		{ KCTL_DOMAINS, "group 1 cpus 0-1,3 read 1GB/s", "group 1 cpus 0,1,3 read 1000000000 write unlimited" },
		{ KCTL_DOMAINS, "group 2 none", "group 2 none" },
	};
	char out[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!accepts(cases[i].file, cases[i].text))
			continue;
		CHECK(kctl_cmd_file(&cmd) == cases[i].file, "'%s': file", cases[i].text);
		CHECK(kctl_render(&cmd, &env4, out, sizeof(out)) > 0, "'%s' renders", cases[i].text);
		CHECK(strcmp(out, cases[i].rendered) == 0, "'%s' renders as '%s', expected '%s'",
		      cases[i].text, out, cases[i].rendered);
	}
	CHECK(kctl_render(&cmd, &env4, out, 5) == -MEMBW_ERANGE, "too small a buffer: ERANGE");
}

int suite_control_parse(void);
int suite_control_parse(void)
{
	CU_pSuite s = CU_add_suite("kmod control grammar", NULL, NULL);

	if (!s || !CU_add_test(s, "MemGuard's mb", test_memguard_mb) ||
	    !CU_add_test(s, "rates with units", test_rates_with_units) ||
	    !CU_add_test(s, "limit refusals", test_limit_refusals) ||
	    !CU_add_test(s, "one whole command per write", test_one_whole_command_per_write) ||
	    !CU_add_test(s, "no sign, no rounding to 0", test_signs_and_rounding) ||
	    !CU_add_test(s, "write channel without event", test_write_channel_without_event) ||
	    !CU_add_test(s, "a refusal touches nothing", test_refusal_touches_nothing) ||
	    !CU_add_test(s, "control", test_control) ||
	    !CU_add_test(s, "domains", test_domains) ||
	    !CU_add_test(s, "CPU lists", test_cpu_lists) ||
	    !CU_add_test(s, "kernel spaces", test_kernel_spaces) ||
	    !CU_add_test(s, "render parses back", test_render_parses_back))
		return -1;
	return 0;
}
