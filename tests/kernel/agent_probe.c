/* SPDX-License-Identifier: MIT */
/*
 * membw-agent-probe: the QEMU guest test's agent (tests/kernel/memtalk-guest.sh). Calls the agent
 * library (include/membw/agent.h) once and prints its answer on one line, so the script can check
 * the exact code each memtalk status becomes.
 *
 *   membw-agent-probe [--as UID:GID] COMMAND
 *     status                  ok present=... (membw_agent_status())
 *     get                     ok read_bytes_per_s=N write_bytes_per_s=N
 *     set READ WRITE          ok; READ, WRITE in bytes/s, "unlimited" or "keep"
 *     stats                   ok sequence=N ...
 *     fd N                    GET_BUDGET by ioctl on the inherited descriptor N, not the library
 *     raw CASE                one hand-made ioctl, bypassing the library's checks, to see the
 *                             driver's: noflags, badflag, reserved, version, small, big, rdonly,
 *                             badcmd; or good (a well-formed one), newer (a newer caller's
 *                             larger structure, new fields 0); prints "errno N" or "ok status=S"
 *     exec PROGRAM ARGS...    run PROGRAM (after --as, as that user)
 *   On a refusal: "error CODE detail=D: MESSAGE", exit 1. Bad usage: exit 2.
 * --as drops to user UID with group GID as its only group before the call (the test runs as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <membw/agent.h>
#include <membw/memtalk_dev.h>

static int usage(void)
{
	fprintf(stderr, "usage: membw-agent-probe [--as UID:GID] status|get|set R W|stats|fd N|"
			"exec PROGRAM...\n");
	return 2;
}

static void print_rate(const char *key, uint64_t bps)
{
	if (bps == MEMBW_AGENT_UNLIMITED)
		printf(" %s=unlimited", key);
	else
		printf(" %s=%" PRIu64, key, bps);
}

static int rate_arg(const char *text, uint64_t *bps)
{
	char *end;

	if (!strcmp(text, "unlimited")) {
		*bps = MEMBW_AGENT_UNLIMITED;
		return 0;
	}
	if (!strcmp(text, "keep")) {
		*bps = MEMBW_AGENT_KEEP;
		return 0;
	}
	errno = 0;
	*bps = strtoull(text, &end, 10);
	return errno || end == text || *end ? -1 : 0;
}

static int answer(int err)
{
	if (!err)
		return 0;
	printf("error %d detail=%" PRIu64 ": %s\n", err, membw_agent_detail(),
	       membw_agent_strerror(err));
	return 1;
}

static int probe_status(void)
{
	struct membw_agent_info i = { .size = sizeof(i) };
	int err = membw_agent_status(&i);

	if (err)
		return answer(err);
	if (!i.present) {
		printf("ok present=0 conduit=%s reason=%s\n", i.conduit, i.reason);
		return 0;
	}
	printf("ok present=1 version=%u.%u base=%u functions=0x%x conduit=%s", i.version >> 16,
	       i.version & 0xffff, i.base, i.functions, i.conduit);
	print_rate("read_budget", i.budget_bps[MEMBW_AGENT_READ]);
	print_rate("read_cap", i.cap_bps[MEMBW_AGENT_READ]);
	print_rate("read_floor", i.floor_bps[MEMBW_AGENT_READ]);
	print_rate("write_budget", i.budget_bps[MEMBW_AGENT_WRITE]);
	print_rate("write_cap", i.cap_bps[MEMBW_AGENT_WRITE]);
	print_rate("write_floor", i.floor_bps[MEMBW_AGENT_WRITE]);
	printf("\n");
	return 0;
}

static int probe_stats(void)
{
	struct membw_agent_stats s = { .size = sizeof(s) };
	int err = membw_get_stats(&s);

	if (err)
		return answer(err);
	printf("ok sequence=%" PRIu64 " periods=%" PRIu64 " period_ns=%" PRIu64
	       " read_used_bytes=%" PRIu64 "\n",
	       s.sequence, s.periods, s.period_ns, s.used_bytes[MEMBW_AGENT_READ]);
	return 0;
}

/* GET_BUDGET on a descriptor opened by the shell: what a long-lived agent's fd sees. */
static int probe_fd(const char *text)
{
	struct membw_memtalk_dev_budget b = { .size = sizeof(b),
					      .version = MEMBW_MEMTALK_DEV_VERSION };
	int fd = atoi(text);

	if (ioctl(fd, MEMBW_MEMTALK_IOC_GET_BUDGET, &b)) {
		printf("errno %d: %s\n", errno, strerror(errno));
		return 1;
	}
	printf("ok status=%" PRId64, (int64_t)b.status);
	print_rate("read_budget", b.budget_bps[0]);
	printf("\n");
	return 0;
}

/* A SET_BUDGET (or another command) the library would never send, straight to the device. */
static int probe_raw(const char *what)
{
	struct {
		struct membw_memtalk_dev_set set;
		uint64_t tail[2];
	} a;
	unsigned long cmd = MEMBW_MEMTALK_IOC_SET_BUDGET;
	int fd, ret;

	memset(&a, 0, sizeof(a));
	a.set.size = sizeof(a.set);
	a.set.version = MEMBW_MEMTALK_DEV_VERSION;
	a.set.flags = MEMBW_MEMTALK_DEV_SET_READ;
	a.set.read_bps = 100000000;
	if (!strcmp(what, "noflags"))
		a.set.flags = 0;
	else if (!strcmp(what, "badflag"))
		a.set.flags |= 4;
	else if (!strcmp(what, "reserved"))
		a.set.reserved = 1;
	else if (!strcmp(what, "version"))
		a.set.version = 2;
	else if (!strcmp(what, "small"))
		a.set.size = sizeof(a.set) - 8;
	else if (!strcmp(what, "big")) /* a newer caller's field this driver does not know */
		a.set.size = sizeof(a), a.tail[1] = 1,
		cmd = _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 1, a);
	else if (!strcmp(what, "newer")) /* the same, its new fields 0: accepted */
		a.set.size = sizeof(a), cmd = _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 1, a);
	else if (!strcmp(what, "badcmd"))
		cmd = _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 9, struct membw_memtalk_dev_set);
	else if (strcmp(what, "rdonly") && strcmp(what, "good") && strcmp(what, "newer"))
		return usage();
	fd = open(MEMBW_AGENT_DEVICE, strcmp(what, "rdonly") ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		printf("open errno %d: %s\n", errno, strerror(errno));
		return 1;
	}
	ret = ioctl(fd, cmd, &a);
	if (ret)
		printf("errno %d: %s\n", errno, strerror(errno));
	else
		printf("ok status=%" PRId64 "\n", (int64_t)a.set.status);
	close(fd);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t r, w;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "--as")) {
		unsigned int uid, gid;
		gid_t g;

		if (sscanf(argv[2], "%u:%u", &uid, &gid) != 2)
			return usage();
		g = (gid_t)gid;
		if (setgroups(1, &g) || setgid(g) || setuid((uid_t)uid)) {
			perror("membw-agent-probe: --as");
			return 2;
		}
		i = 3;
	}
	if (i >= argc)
		return usage();
	if (!strcmp(argv[i], "status") && argc == i + 1)
		return probe_status();
	if (!strcmp(argv[i], "stats") && argc == i + 1)
		return probe_stats();
	if (!strcmp(argv[i], "get") && argc == i + 1) {
		int err = membw_get_budget(&r, &w);

		if (err)
			return answer(err);
		printf("ok");
		print_rate("read_bytes_per_s", r);
		print_rate("write_bytes_per_s", w);
		printf("\n");
		return 0;
	}
	if (!strcmp(argv[i], "set") && argc == i + 3) {
		if (rate_arg(argv[i + 1], &r) || rate_arg(argv[i + 2], &w))
			return usage();
		if (answer(membw_set_budget(r, w)))
			return 1;
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[i], "fd") && argc == i + 2)
		return probe_fd(argv[i + 1]);
	if (!strcmp(argv[i], "raw") && argc == i + 2)
		return probe_raw(argv[i + 1]);
	if (!strcmp(argv[i], "exec") && argc > i + 1) {
		execv(argv[i + 1], argv + i + 1);
		perror("membw-agent-probe: exec");
		return 2;
	}
	return usage();
}
