/* SPDX-License-Identifier: MIT */
/*
 * kmod/control_apply.c, compiled unchanged, against a policy that records every change and
 * fails the change it is told to: a command is applied whole or not at all (README: "a bad write
 * ... changes nothing"), and a failure names the CPU or group it happened at.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include <membw/errors.h>

#include "check.h"
#include "control_parse.h"
#include "fake_policy.h"

#define NCPUS 4u
#define NDOMAINS (2 * NCPUS)

static struct kctl_env env4 = {
	.ncpus = NCPUS, .nchannels = 2, .mask_bits = NCPUS, .period_ns = 1000000, .line_size = 64,
};

/* The module's side: what control.c keeps. */
static uint32_t cpu_domain[NCPUS];
static bool cpu_realtime[NCPUS];
static uint64_t saved[NCPUS][MEMBW_NCHANNELS];
static struct kctl_state st = { &env4, cpu_domain, cpu_realtime, saved };

static uint64_t rates[NCPUS];
static bool cpus[NCPUS];
static struct kctl_cmd cmd;

/* A fresh module: every CPU in its own domain with distinct budgets; no failure planned. */
static void fresh(void)
{
	unsigned int i;

	memset(&fake_policy, 0, sizeof(fake_policy));
	for (i = 0; i < NDOMAINS; i++) {
		fake_policy.budget[i][0] = 1000000 + i;
		fake_policy.budget[i][1] = 2000000 + i;
	}
	for (i = 0; i < NCPUS; i++) {
		fake_policy.domain[i] = i;
		cpu_domain[i] = i;
		cpu_realtime[i] = false;
	}
}

/* Parse @text for @file (must be accepted), then apply it with change @fail_at failing. */
static int apply(enum kctl_file file, const char *text, unsigned int fail_at,
		 struct kctl_failure *fail)
{
	char buf[128], why[KCTL_WHY_MAX];

	strcpy(buf, text);
	cmd.rates = rates;
	cmd.cpus = cpus;
	CHECK_FATAL(kctl_parse(file, buf, strlen(buf), 0, &env4, &cmd, why, sizeof(why)) == 0,
		    "'%s' parses (%s)", text, why);
	fake_policy.changes = 0;
	fake_policy.fail_at = fail_at;
	return kctl_apply(&cmd, &st, &fake_ops, fail);
}

static void test_limits_whole_or_nothing(void)
{
	struct kctl_failure fail;
	struct fake_policy before;

	fresh();
	CHECK(apply(KCTL_READ_LIMIT, "64000 128000", 0, &fail) == 0, "two CPUs set");
	CHECK(fake_policy.budget[0][0] == 64000 && fake_policy.budget[1][0] == 128000, "read budgets set");
	CHECK(fake_policy.budget[0][1] == 2000000 && fake_policy.budget[2][0] == 1000002,
	      "write budgets and CPUs past the list keep theirs");
	before = fake_policy;
	CHECK(apply(KCTL_READ_LIMIT, "mb 1 2 3 4", 3, &fail) == -MEMBW_EAGAIN,
	      "the third CPU's change fails");
	CHECK(memcmp(fake_policy.budget, before.budget, sizeof(fake_policy.budget)) == 0,
	      "every budget as before (CPUs 0 and 1 put back)");
	CHECK(!fail.at_group && fail.index == 2, "the failure names cpu2 (named cpu%u)", fail.index);
	CHECK_EQ(fail.undo_err, 0, "the undo worked");
}

/* A new group whose third CPU cannot be moved: nothing changes, and cpu2 is named. */
static void test_group_whole_or_nothing(void)
{
	struct kctl_failure fail;
	struct fake_policy before;

	fresh();
	before = fake_policy;
	/* changes: 1 group budget, 2 cpu0, 3 cpu1, 4 cpu2 */
	CHECK(apply(KCTL_DOMAINS, "group 0 cpus 0-2 read 800MB/s", 4, &fail) == -MEMBW_EAGAIN,
	      "cpu2's move fails");
	CHECK(memcmp(fake_policy.domain, before.domain, sizeof(fake_policy.domain)) == 0,
	      "the policy has every CPU where it was (cpu0 in %u, cpu1 in %u)", fake_policy.domain[0],
	      fake_policy.domain[1]);
	CHECK_EQ(fake_policy.budget[NCPUS][0], before.budget[NCPUS][0], "group 0's budget as before");
	CHECK(cpu_domain[0] == 0 && cpu_domain[1] == 1 && cpu_domain[2] == 2,
	      "the module's record as before");
	CHECK(!fail.at_group && fail.index == 2, "the failure names cpu2 (named %s%u)",
	      fail.at_group ? "group " : "cpu", fail.index);
	CHECK_EQ(fail.undo_err, 0, "the undo worked");
	/* the group budget itself failing: nothing moved */
	fresh();
	CHECK(apply(KCTL_DOMAINS, "group 1 cpus 3 read 1GB/s", 1, &fail) == -MEMBW_EAGAIN,
	      "the group's budget fails");
	CHECK(fail.at_group && fail.index == 1, "the failure names group 1");
	CHECK(fake_policy.domain[3] == 3 && cpu_domain[3] == 3, "cpu3 not moved");
}

static void test_group_then_ungroup(void)
{
	struct kctl_failure fail;

	fresh();
	CHECK(apply(KCTL_DOMAINS, "group 1 cpus 1-2 read 1GB/s write 500MB/s", 0, &fail) == 0,
	      "group 1 made");
	CHECK(fake_policy.budget[NCPUS + 1][0] == 1000000000 && fake_policy.budget[NCPUS + 1][1] == 500000000,
	      "group 1's budgets");
	CHECK(fake_policy.domain[1] == NCPUS + 1 && fake_policy.domain[2] == NCPUS + 1 && fake_policy.domain[0] == 0,
	      "cpu1 and cpu2 in group 1's domain");
	CHECK(cpu_domain[1] == NCPUS + 1 && cpu_domain[2] == NCPUS + 1, "and so recorded");
	CHECK(apply(KCTL_DOMAINS, "group 1 cpus 2-3 read 1GB/s", 0, &fail) == 0, "group 1 moved");
	CHECK(fake_policy.domain[1] == 1 && fake_policy.domain[2] == NCPUS + 1 && fake_policy.domain[3] == NCPUS + 1,
	      "cpu1 back in its own domain, cpu3 joined");
	/* ungroup failing at its second move (cpu3): cpu2 stays in the group */
	CHECK(apply(KCTL_DOMAINS, "group 1 none", 2, &fail) == -MEMBW_EAGAIN, "ungroup fails");
	CHECK(fake_policy.domain[2] == NCPUS + 1 && fake_policy.domain[3] == NCPUS + 1, "both still grouped");
	CHECK(!fail.at_group && fail.index == 3, "the failure names cpu3 (named cpu%u)",
	      fail.index);
	CHECK(apply(KCTL_DOMAINS, "group 1 none", 0, &fail) == 0, "ungroup");
	CHECK(fake_policy.domain[2] == 2 && fake_policy.domain[3] == 3 && cpu_domain[2] == 2 && cpu_domain[3] == 3,
	      "own domains again");
}

static void test_realtime(void)
{
	struct kctl_failure fail;

	fresh();
	CHECK(apply(KCTL_CONTROL, "realtime 2 on", 0, &fail) == 0, "cpu2 real-time");
	CHECK(fake_policy.domain[2] == MEMBW_NO_DOMAIN && cpu_realtime[2], "in no domain");
	CHECK(apply(KCTL_DOMAINS, "group 0 cpus 2 read 1GB/s", 0, &fail) == 0, "grouped anyway");
	CHECK(fake_policy.domain[2] == MEMBW_NO_DOMAIN && cpu_domain[2] == NCPUS,
	      "still in no domain, recorded in group 0");
	CHECK(apply(KCTL_CONTROL, "realtime 2 off", 1, &fail) == -MEMBW_EAGAIN, "off fails");
	CHECK(cpu_realtime[2] && fake_policy.domain[2] == MEMBW_NO_DOMAIN, "still real-time");
	CHECK(apply(KCTL_CONTROL, "realtime 2 on", 1, &fail) == -MEMBW_EAGAIN,
	      "on again, failing");
	CHECK(cpu_realtime[2], "a failed 'on' of a real-time CPU leaves it real-time");
	CHECK(apply(KCTL_CONTROL, "realtime 2 off", 0, &fail) == 0, "off");
	CHECK(!cpu_realtime[2] && fake_policy.domain[2] == NCPUS, "back in group 0's domain");
	CHECK(apply(KCTL_CONTROL, "exclusive 1", 0, &fail) == 0 && fake_policy.sharing == 1, "spare");
	CHECK(apply(KCTL_CONTROL, "reclaim on", 0, &fail) == 0 && fake_policy.reclaim, "reclaim");
}

int suite_control_apply(void);
int suite_control_apply(void)
{
	CU_pSuite s = CU_add_suite("kmod control apply", NULL, NULL);

	if (!s || !CU_add_test(s, "limits: all or nothing", test_limits_whole_or_nothing) ||
	    !CU_add_test(s, "group: all or nothing", test_group_whole_or_nothing) ||
	    !CU_add_test(s, "group, move, ungroup", test_group_then_ungroup) ||
	    !CU_add_test(s, "real-time CPUs", test_realtime))
		return -1;
	return 0;
}
