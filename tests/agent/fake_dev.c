/* SPDX-License-Identifier: MIT */
/*
 * A fake /dev/membw_memtalk for the agent library's host tests. The test binary is linked with
 * -Wl,--wrap=open -Wl,--wrap=ioctl, so the library's open() and ioctl() come here: an open of the
 * fake path answers with a descriptor of a scratch file (or the errno the test chose), and an
 * ioctl on that descriptor plays the driver: it checks the header the library filled in and
 * answers what the test put in `fake`. Everything else goes to the real calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_dev.h"

struct fake_dev fake;

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long cmd, ...);
int __wrap_open(const char *path, int flags, ...);
int __wrap_ioctl(int fd, unsigned long cmd, ...);

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	if (strcmp(path, FAKE_DEV_PATH)) {
		int fd = __real_open(path, flags, mode);

		if (fd == fake.fd) /* the fake's closed descriptor number, reused */
			fake.fd = -1;
		return fd;
	}
	fake.opens++;
	fake.open_flags = flags;
	if (fake.open_errno) {
		errno = fake.open_errno;
		return -1;
	}
	fake.fd = __real_open("/dev/null", O_RDONLY);
	return fake.fd;
}

/* What the structure's header says; every device structure starts with it. */
struct fake_hdr {
	uint32_t size;
	uint32_t version;
	int64_t status;
	uint64_t detail;
};

int __wrap_ioctl(int fd, unsigned long cmd, ...)
{
	struct fake_hdr *hdr;
	size_t want = 0;
	va_list ap;

	va_start(ap, cmd);
	hdr = va_arg(ap, struct fake_hdr *);
	va_end(ap);
	if (fd != fake.fd || fd < 0)
		return __real_ioctl(fd, cmd, hdr);
	fake.ioctls++;
	fake.cmds[fake.ioctls < FAKE_MAX_CALLS ? fake.ioctls - 1 : FAKE_MAX_CALLS - 1] = cmd;
	if (fake.eintr) {
		fake.eintr--;
		errno = EINTR;
		return -1;
	}
	switch (cmd) {
	case MEMBW_MEMTALK_IOC_INFO:
		want = sizeof(struct membw_memtalk_dev_info);
		break;
	case MEMBW_MEMTALK_IOC_SET_BUDGET:
		want = sizeof(struct membw_memtalk_dev_set);
		fake.set_in = *(struct membw_memtalk_dev_set *)hdr;
		break;
	case MEMBW_MEMTALK_IOC_GET_BUDGET:
		want = sizeof(struct membw_memtalk_dev_budget);
		break;
	case MEMBW_MEMTALK_IOC_GET_STATS:
		want = sizeof(struct membw_memtalk_dev_stats);
		break;
	default:
		errno = ENOTTY;
		return -1;
	}
	/* The driver's own checks: the library must send its size and version 1. */
	if (hdr->size != want || hdr->version != MEMBW_MEMTALK_DEV_VERSION) {
		fake.bad_headers++;
		errno = EPROTO;
		return -1;
	}
	if (fake.ioctl_errno) {
		errno = fake.ioctl_errno;
		return -1;
	}
	switch (cmd) {
	case MEMBW_MEMTALK_IOC_INFO:
		memcpy(hdr, &fake.info, want);
		break;
	case MEMBW_MEMTALK_IOC_SET_BUDGET: {
		struct membw_memtalk_dev_set *s = (struct membw_memtalk_dev_set *)hdr;

		if (!fake.status) {
			if (s->flags & MEMBW_MEMTALK_DEV_SET_READ)
				fake.budget.budget_bps[0] = s->read_bps;
			if (s->flags & MEMBW_MEMTALK_DEV_SET_WRITE)
				fake.budget.budget_bps[1] = s->write_bps;
			s->read_bps = fake.budget.budget_bps[0];
			s->write_bps = fake.budget.budget_bps[1];
		}
		break;
	}
	case MEMBW_MEMTALK_IOC_GET_BUDGET:
		memcpy(hdr, &fake.budget, want);
		break;
	case MEMBW_MEMTALK_IOC_GET_STATS:
		memcpy(hdr, &fake.stats, want);
		break;
	}
	hdr->size = (uint32_t)want;
	hdr->version = MEMBW_MEMTALK_DEV_VERSION;
	hdr->status = fake.status;
	hdr->detail = fake.status ? fake.detail : 0;
	return 0;
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.fd = -1;
	setenv(MEMBW_AGENT_DEVICE_ENV, FAKE_DEV_PATH, 1);
}
