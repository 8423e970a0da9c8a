/* SPDX-License-Identifier: MIT */
/*
 * The guest-agent library (agent/agent.c) against a fake device (fake_dev.c): every memtalk status
 * becomes its own code, the device's errno values become theirs, arguments are checked before
 * anything is sent, and what is sent is what docs/memtalk.md ("The guest-agent API") specifies.
 *
 * Golden values: the memtalk statuses are docs/memtalk.md §4's table (NOT_SUPPORTED -1 is SMCCC's
 * own value; -2 is SMCCC's NOT_REQUIRED, which memtalk never returns); the library's codes are
 * agent.h's rule "code = 100 - status", written out here as numbers.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fake_dev.h"

/* The sizes docs/memtalk.md §6.2 gives, added up from its field tables by hand. */
_Static_assert(sizeof(struct membw_memtalk_dev_info) == 216, "INFO structure: 216 bytes");
_Static_assert(sizeof(struct membw_memtalk_dev_set) == 48, "SET_BUDGET structure: 48 bytes");
_Static_assert(sizeof(struct membw_memtalk_dev_budget) == 72, "GET_BUDGET structure: 72 bytes");
_Static_assert(sizeof(struct membw_memtalk_dev_stats) == 120, "GET_STATS structure: 120 bytes");

static void test_every_status_is_its_own_error(void)
{
	static const struct {
		int64_t status;
		int code;
		const char *name;
	} table[] = {
		{ -1, -101, "NOT_SUPPORTED" }, { -3, -103, "INVALID_PARAMETER" },
		{ -4, -104, "BAD_VERSION" },   { -5, -105, "DENIED" },
		{ -6, -106, "RANGE" },         { -7, -107, "RATE_LIMITED" },
		{ -8, -108, "BUSY" },          { -9, -109, "HOST_ERROR" },
	};
	size_t i, j;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		fake_reset();
		fake.budget.budget_bps[0] = 7;
		fake.status = table[i].status;
		fake.detail = 12345;
		CHECK_EQ(membw_set_budget(1000000, MEMBW_AGENT_KEEP), table[i].code,
			 "SET_BUDGET answered %s (%lld) returns %d", table[i].name,
			 (long long)table[i].status, table[i].code);
		CHECK_EQ(fake.budget.budget_bps[0], 7, "%s left the fake's budget alone",
			 table[i].name);
		fake.status = table[i].status;
		CHECK_EQ(membw_get_stats(&(struct membw_agent_stats){ .size = sizeof(struct
						membw_agent_stats) }),
			 table[i].code, "GET_STATS answered %s returns %d too", table[i].name,
			 table[i].code);
		for (j = 0; j < i; j++)
			CHECK(table[j].code != table[i].code, "%s and %s have different codes",
			      table[j].name, table[i].name);
	}
	CHECK_EQ(-MEMBW_AGENT_ENOTSUPPORTED, -101, "agent.h: NOT_SUPPORTED is 101");
	CHECK_EQ(-MEMBW_AGENT_EDENIED, -105, "agent.h: DENIED is 105");
	CHECK_EQ(-MEMBW_AGENT_EHOST, -109, "agent.h: HOST_ERROR is 109");
}

static void test_detail_carries_the_answers_r1(void)
{
	fake_reset();
	fake.status = -7; /* RATE_LIMITED: r1 = ns until the call would be accepted */
	fake.detail = 999000000000ull;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_ERATELIMITED, "rate-limited");
	CHECK_EQ(membw_agent_detail(), 999000000000ull, "detail: 999 s to wait, in ns");
	fake.status = -4; /* BAD_VERSION: r1 = the host's version word */
	fake.detail = 0x00020000;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_EVERSION, "bad version");
	CHECK_EQ(membw_agent_detail(), 0x00020000, "detail: the host's version word 2.0");
	fake.status = -5; /* DENIED defines no r1: the version word left by the call before goes */
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_EDENIED, "denied");
	CHECK_EQ(membw_agent_detail(), 0, "DENIED has no detail");
	fake.status = -9; /* HOST_ERROR: r1 = the host's errno */
	fake.detail = 5;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_EHOST, "host error");
	CHECK_EQ(membw_agent_detail(), 5, "detail: the host's errno 5");
	/* The success follows a non-zero detail, so "cleared" is seen, not inherited. */
	fake.status = 0;
	fake.detail = 77;
	CHECK_EQ(membw_set_budget(1, 2), 0, "accepted");
	CHECK_EQ(membw_agent_detail(), 0, "a success clears the detail");
}

static void test_undefined_statuses_are_badstatus(void)
{
	static const int64_t odd[] = { -2, -10, 1, INT64_MIN, INT64_MAX };
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		fake_reset();
		fake.status = odd[i];
		CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_EBADSTATUS,
			 "status %lld is no memtalk v1 status", (long long)odd[i]);
		CHECK_EQ(membw_agent_detail(), (uint64_t)odd[i], "detail is the status %lld",
			 (long long)odd[i]);
	}
}

static void test_set_sends_flags_and_rates(void)
{
	fake_reset();
	fake.budget.budget_bps[1] = MEMBW_AGENT_UNLIMITED;
	CHECK_EQ(membw_set_budget(500000000, MEMBW_AGENT_KEEP), 0, "set read, keep write");
	CHECK_EQ(fake.set_in.flags, MEMBW_MEMTALK_DEV_SET_READ, "only the read flag is sent");
	CHECK_EQ(fake.set_in.read_bps, 500000000, "read 500 MB/s sent in bytes/s");
	CHECK_EQ(fake.set_in.reserved, 0, "reserved is 0");
	CHECK(fake.open_flags & O_RDWR, "SET_BUDGET opens the device for writing");
	CHECK(fake.open_flags & O_CLOEXEC, "the descriptor is close-on-exec");
	CHECK_EQ(fake.bad_headers, 0, "size and version as the driver expects");
	CHECK_EQ(fake.budget.budget_bps[1], MEMBW_AGENT_UNLIMITED, "write budget kept");

	CHECK_EQ(membw_set_budget(MEMBW_AGENT_KEEP, 200000000), 0, "keep read, set write");
	CHECK_EQ(fake.set_in.flags, MEMBW_MEMTALK_DEV_SET_WRITE, "only the write flag is sent");
	CHECK_EQ(membw_set_budget(MEMBW_AGENT_UNLIMITED, 0), 0, "unlimited read, 0 write");
	CHECK_EQ(fake.set_in.flags, MEMBW_MEMTALK_DEV_SET_READ | MEMBW_MEMTALK_DEV_SET_WRITE,
		 "both flags");
	CHECK_EQ(fake.set_in.read_bps, UINT64_MAX, "unlimited is 2^64 - 1");
	CHECK_EQ(fake.set_in.write_bps, 0, "0 B/s is sent as 0");
	CHECK_EQ(fake.opens, 3, "one open per call");

	fake_reset();
	CHECK_EQ(membw_set_budget(MEMBW_AGENT_KEEP, MEMBW_AGENT_KEEP), -MEMBW_AGENT_EINVAL,
		 "keeping both channels is nothing to do");
	CHECK_EQ(fake.opens, 0, "refused before the device is opened");
	CHECK_EQ(MEMBW_AGENT_KEEP, UINT64_MAX - 1, "KEEP is 2^64 - 2");
}

static void test_get_budget(void)
{
	uint64_t r = 1, w = 2;

	fake_reset();
	fake.budget.budget_bps[0] = 300000000;
	fake.budget.budget_bps[1] = MEMBW_AGENT_UNLIMITED;
	CHECK_EQ(membw_get_budget(&r, &w), 0, "get budget");
	CHECK_EQ(r, 300000000, "read budget");
	CHECK_EQ(w, UINT64_MAX, "write budget unlimited");
	CHECK_EQ(fake.cmds[0], MEMBW_MEMTALK_IOC_GET_BUDGET, "one GET_BUDGET ioctl");
	CHECK_EQ(fake.open_flags & O_ACCMODE, O_RDONLY, "a read-only open is enough");
	r = 9;
	CHECK_EQ(membw_get_budget(NULL, &w), 0, "read pointer may be NULL");
	CHECK_EQ(membw_get_budget(NULL, NULL), -MEMBW_AGENT_EINVAL, "both NULL");
	fake.status = -8;
	CHECK_EQ(membw_get_budget(&r, &w), -MEMBW_AGENT_EBUSY, "busy");
	CHECK_EQ(r, 9, "read output unchanged on error");
}

static void test_get_stats(void)
{
	struct membw_agent_stats s;

	fake_reset();
	fake.stats.sequence = 3;
	fake.stats.periods = 12000;
	fake.stats.period_ns = 1000000;
	fake.stats.throttled_ns = 5100000;
	fake.stats.throttle_count = 51;
	fake.stats.missed_periods = 2;
	fake.stats.used_bytes[0] = 640;
	fake.stats.allowance_bytes[1] = 64;
	fake.stats.overshoot_bytes[1] = 128;
	memset(&s, 0xEE, sizeof(s));
	s.size = sizeof(s) - 1;
	CHECK_EQ(membw_get_stats(&s), -MEMBW_AGENT_EINVAL, "size one byte short");
	CHECK_EQ(s.sequence, 0xEEEEEEEEEEEEEEEEull, "unchanged after the refusal");
	CHECK_EQ(fake.opens, 0, "nothing opened");
	CHECK_EQ(membw_get_stats(NULL), -MEMBW_AGENT_EINVAL, "NULL");
	s.size = sizeof(s);
	CHECK_EQ(membw_get_stats(&s), 0, "stats");
	CHECK(s.sequence == 3 && s.periods == 12000 && s.period_ns == 1000000 &&
		      s.throttled_ns == 5100000 && s.throttle_count == 51 && s.missed_periods == 2,
	      "snapshot fields copied");
	CHECK(s.used_bytes[0] == 640 && s.allowance_bytes[1] == 64 && s.overshoot_bytes[1] == 128 &&
		      s.used_bytes[1] == 0,
	      "per-channel bytes copied");
	CHECK_EQ(s.size, sizeof(s), "size kept");
	CHECK_EQ(s.reserved, 0, "reserved 0");
}

static void test_status_present_and_absent(void)
{
	struct membw_agent_info info;

	fake_reset();
	fake.info.present = 1;
	fake.info.host_version = 0x00010000;
	fake.info.functions = 0xf;
	strcpy(fake.info.conduit, "loopback");
	fake.budget.budget_bps[0] = 1000000000;
	fake.budget.cap_bps[0] = 1000000000;
	fake.budget.floor_bps[0] = 1000000;
	fake.budget.budget_bps[1] = MEMBW_AGENT_UNLIMITED;
	fake.budget.cap_bps[1] = MEMBW_AGENT_UNLIMITED;
	memset(&info, 0xEE, sizeof(info));
	info.size = sizeof(info);
	CHECK_EQ(membw_agent_status(&info), 0, "status, present");
	CHECK(info.present == 1 && info.version == 0x00010000 && info.base == 0 &&
		      info.functions == 0xf && info.interface == 1,
	      "present 1.0, base 0, functions 0xf, interface 1");
	CHECK(info.cap_bps[0] == 1000000000 && info.floor_bps[0] == 1000000 &&
		      info.budget_bps[0] == 1000000000 && info.cap_bps[1] == UINT64_MAX &&
		      info.floor_bps[1] == 0,
	      "caps, floors and budgets from GET_BUDGET");
	CHECK(!strcmp(info.conduit, "loopback") && info.reason[0] == '\0', "conduit, no reason");
	CHECK(fake.cmds[0] == MEMBW_MEMTALK_IOC_INFO && fake.cmds[1] == MEMBW_MEMTALK_IOC_GET_BUDGET,
	      "INFO then GET_BUDGET");

	fake_reset();
	strcpy(fake.info.conduit, "none");
	memset(fake.info.reason, 'x', sizeof(fake.info.reason)); /* not NUL-ended */
	memset(&info, 0xEE, sizeof(info));
	info.size = sizeof(info);
	CHECK_EQ(membw_agent_status(&info), 0, "status succeeds when absent");
	CHECK(info.present == 0 && info.version == 0 && info.cap_bps[0] == 0, "absent: zeros");
	CHECK_EQ(strlen(info.reason), sizeof(info.reason) - 1, "reason cut and NUL-ended");
	CHECK_EQ(fake.ioctls, 1, "absent: no GET_BUDGET");
	info.size = 4;
	CHECK_EQ(membw_agent_status(&info), -MEMBW_AGENT_EINVAL, "size too small");
}

static void test_device_errors(void)
{
	char path[] = "/tmp/membw-agent-test-XXXXXX";
	uint64_t r;
	int fd;

	fake_reset();
	fake.open_errno = ENOENT;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_ENODEV, "no node: driver not loaded");
	fake.open_errno = EACCES;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_EACCES, "EACCES: not in the group");
	fake.open_errno = EMFILE;
	CHECK_EQ(membw_set_budget(1, 2), -MEMBW_AGENT_ESYSTEM, "EMFILE is a system error");
	CHECK_EQ(membw_agent_detail(), EMFILE, "detail: errno EMFILE");
	fake.open_errno = 0;
	fake.ioctl_errno = ENODEV;
	CHECK_EQ(membw_get_budget(&r, NULL), -MEMBW_AGENT_EABSENT, "ENODEV: memtalk not present");
	fake.ioctl_errno = EPROTO;
	CHECK_EQ(membw_get_budget(&r, NULL), -MEMBW_AGENT_EDRIVER, "EPROTO: other interface");
	fake.ioctl_errno = 0;
	fake.eintr = 2;
	fake.ioctls = 0;
	CHECK_EQ(membw_get_budget(&r, NULL), 0, "EINTR is retried");
	CHECK_EQ(fake.ioctls, 3, "two interrupted ioctls and the one that worked");

	/* A real file that is not the device: its ioctl answers ENOTTY. */
	fd = mkstemp(path);
	CHECK_FATAL(fd >= 0, "scratch file %s", path);
	close(fd);
	setenv(MEMBW_AGENT_DEVICE_ENV, path, 1);
	CHECK_EQ(membw_get_budget(&r, NULL), -MEMBW_AGENT_EDRIVER, "a regular file: not the device");
	unlink(path);
	CHECK_EQ(membw_get_budget(&r, NULL), -MEMBW_AGENT_ENODEV, "a missing file: no device");
	unsetenv(MEMBW_AGENT_DEVICE_ENV);
	if (access(MEMBW_AGENT_DEVICE, F_OK))
		CHECK_EQ(membw_get_budget(&r, NULL), -MEMBW_AGENT_ENODEV,
			 "unset: the default " MEMBW_AGENT_DEVICE " is missing here");
}

static void test_strerror(void)
{
	static const int codes[] = {
		MEMBW_AGENT_EINVAL,	  MEMBW_AGENT_ENODEV,	   MEMBW_AGENT_EACCES,
		MEMBW_AGENT_EABSENT,	  MEMBW_AGENT_EDRIVER,	   MEMBW_AGENT_ESYSTEM,
		MEMBW_AGENT_ENOTSUPPORTED, MEMBW_AGENT_EPARAMETER, MEMBW_AGENT_EVERSION,
		MEMBW_AGENT_EDENIED,	  MEMBW_AGENT_ERANGE,	   MEMBW_AGENT_ERATELIMITED,
		MEMBW_AGENT_EBUSY,	  MEMBW_AGENT_EHOST,	   MEMBW_AGENT_EBADSTATUS,
	};
	size_t i, j;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *t = membw_agent_strerror(-codes[i]);

		CHECK(t && strcmp(t, "unknown error"), "code %d has a message", codes[i]);
		CHECK(t == membw_agent_strerror(codes[i]), "code %d: either sign", codes[i]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(t, membw_agent_strerror(codes[j])), "codes %d and %d differ",
			      codes[i], codes[j]);
	}
	CHECK(!strcmp(membw_agent_strerror(0), "success"), "0 is success");
	CHECK(!strcmp(membw_agent_strerror(-102), "unknown error"), "102 is unknown");
	CHECK(strstr(membw_agent_strerror(-MEMBW_AGENT_EDENIED), "floor..cap") != NULL,
	      "DENIED names floor..cap");
}

int suite_agent(void);
int suite_agent(void)
{
	CU_pSuite s = CU_add_suite("agent", NULL, NULL);

	if (!s || !CU_add_test(s, "every status is its own error", test_every_status_is_its_own_error) ||
	    !CU_add_test(s, "detail carries r1", test_detail_carries_the_answers_r1) ||
	    !CU_add_test(s, "undefined statuses", test_undefined_statuses_are_badstatus) ||
	    !CU_add_test(s, "set sends flags and rates", test_set_sends_flags_and_rates) ||
	    !CU_add_test(s, "get budget", test_get_budget) ||
	    !CU_add_test(s, "get stats", test_get_stats) ||
	    !CU_add_test(s, "status present and absent", test_status_present_and_absent) ||
	    !CU_add_test(s, "device errors", test_device_errors) ||
	    !CU_add_test(s, "strerror", test_strerror))
		return -1;
	return 0;
}
