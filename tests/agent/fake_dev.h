/* SPDX-License-Identifier: MIT */
/* The fake membw_memtalk device of the agent library's host tests (fake_dev.c). */
#ifndef MEMBW_TEST_FAKE_DEV_H
#define MEMBW_TEST_FAKE_DEV_H

#include <stdint.h>

#include <membw/agent.h>
#include <membw/memtalk_dev.h>

/* The path the tests point MEMBW_MEMTALK_DEV at; no such file exists. */
#define FAKE_DEV_PATH "/nonexistent/fake-membw-memtalk"
#define FAKE_MAX_CALLS 8

struct fake_dev {
	/* What the test sets. */
	int open_errno;  /* open() fails with this errno */
	int ioctl_errno; /* a well-formed ioctl fails with this errno */
	int eintr;       /* this many ioctls fail with EINTR first */
	int64_t status;  /* the host's memtalk status in every answer */
	uint64_t detail; /* the answer's r1 when status is not 0 */
	struct membw_memtalk_dev_info info;
	struct membw_memtalk_dev_budget budget;
	struct membw_memtalk_dev_stats stats;
	/* What the library did. */
	int fd;
	unsigned int opens, ioctls, bad_headers;
	int open_flags;
	unsigned long cmds[FAKE_MAX_CALLS];
	struct membw_memtalk_dev_set set_in;
};

extern struct fake_dev fake;

/* Forget everything and point the library at the fake device. */
void fake_reset(void);

#endif
