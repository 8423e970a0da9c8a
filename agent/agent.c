/* SPDX-License-Identifier: MIT */
/*
 * libmembw-agent: the guest-agent API (include/membw/agent.h) over the memtalk guest driver's
 * device (include/membw/memtalk_dev.h, docs/memtalk.md "The guest-agent API"). Each call opens the
 * device, issues one ioctl and closes it; the host's memtalk status comes back in the structure
 * and becomes this library's code 100 - status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <membw/agent.h>
#include <membw/memtalk_dev.h>

/* The detail of this thread's last error (membw_agent_detail()). */
static _Thread_local uint64_t agent_last_detail;

static int agent_fail(int code, uint64_t detail)
{
	agent_last_detail = detail;
	return -code;
}

/* Open the device for @flags: the descriptor, or a negated code. */
static int agent_open(int flags)
{
	const char *path = getenv(MEMBW_AGENT_DEVICE_ENV);
	int fd;

	if (!path || !*path)
		path = MEMBW_AGENT_DEVICE;
	do
		fd = open(path, flags | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return agent_fail(MEMBW_AGENT_ENODEV, 0);
	case EACCES:
	case EPERM:
		return agent_fail(MEMBW_AGENT_EACCES, 0);
	default:
		return agent_fail(MEMBW_AGENT_ESYSTEM, (uint64_t)errno);
	}
}

/* The host's memtalk status (and the answer's r1) as this library's result. */
static int agent_status_result(int64_t status, uint64_t detail)
{
	switch (status) {
	case 0:
		agent_last_detail = 0;
		return 0;
	case -1: /* NOT_SUPPORTED */
	case -3: /* INVALID_PARAMETER */
	case -5: /* DENIED */
	case -6: /* RANGE */
	case -8: /* BUSY */
		return agent_fail((int)(100 - status), 0);
	case -4: /* BAD_VERSION: r1 = the host's version word */
	case -7: /* RATE_LIMITED: r1 = ns until the call would be accepted */
	case -9: /* HOST_ERROR: r1 = the host's errno */
		return agent_fail((int)(100 - status), detail);
	default:
		return agent_fail(MEMBW_AGENT_EBADSTATUS, (uint64_t)status);
	}
}

/*
 * One ioctl on a freshly opened device. @arg starts with the common header (size, version,
 * status, detail), which this fills in. 0 and the host's answer in @arg, or a negated code.
 */
static int agent_ioctl(int open_flags, unsigned long cmd, void *arg, uint32_t size)
{
	struct membw_memtalk_dev_info *hdr = arg; /* every structure starts like this one */
	int fd = agent_open(open_flags), ret, err = 0;

	if (fd < 0)
		return fd;
	hdr->size = size;
	hdr->version = MEMBW_MEMTALK_DEV_VERSION;
	hdr->status = 0;
	hdr->detail = 0;
	do
		ret = ioctl(fd, cmd, arg);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		err = errno;
	close(fd);
	switch (err) {
	case 0:
		return agent_status_result(hdr->status, hdr->detail);
	case ENODEV:
		return agent_fail(MEMBW_AGENT_EABSENT, 0);
	case ENOTTY:
	case EPROTO:
	case E2BIG:
	case EINVAL:
		return agent_fail(MEMBW_AGENT_EDRIVER, (uint64_t)err);
	case EBADF:
	case EACCES:
	case EPERM:
		return agent_fail(MEMBW_AGENT_EACCES, 0);
	default:
		return agent_fail(MEMBW_AGENT_ESYSTEM, (uint64_t)err);
	}
}

MEMBW_AGENT_API int membw_set_budget(uint64_t read_bps, uint64_t write_bps)
{
	struct membw_memtalk_dev_set s;

	memset(&s, 0, sizeof(s));
	if (read_bps != MEMBW_AGENT_KEEP) {
		s.flags |= MEMBW_MEMTALK_DEV_SET_READ;
		s.read_bps = read_bps;
	}
	if (write_bps != MEMBW_AGENT_KEEP) {
		s.flags |= MEMBW_MEMTALK_DEV_SET_WRITE;
		s.write_bps = write_bps;
	}
	if (!s.flags)
		return agent_fail(MEMBW_AGENT_EINVAL, 0);
	return agent_ioctl(O_RDWR, MEMBW_MEMTALK_IOC_SET_BUDGET, &s, sizeof(s));
}

/* Both channels' budget, cap and floor. */
static int agent_budget(struct membw_memtalk_dev_budget *b)
{
	memset(b, 0, sizeof(*b));
	return agent_ioctl(O_RDONLY, MEMBW_MEMTALK_IOC_GET_BUDGET, b, sizeof(*b));
}

MEMBW_AGENT_API int membw_get_budget(uint64_t *read_bps, uint64_t *write_bps)
{
	struct membw_memtalk_dev_budget b;
	int err;

	if (!read_bps && !write_bps)
		return agent_fail(MEMBW_AGENT_EINVAL, 0);
	err = agent_budget(&b);
	if (err)
		return err;
	if (read_bps)
		*read_bps = b.budget_bps[MEMBW_AGENT_READ];
	if (write_bps)
		*write_bps = b.budget_bps[MEMBW_AGENT_WRITE];
	return 0;
}

MEMBW_AGENT_API int membw_get_stats(struct membw_agent_stats *out)
{
	struct membw_memtalk_dev_stats d;
	struct membw_agent_stats s;
	unsigned int ch;
	int err;

	if (!out || out->size < sizeof(*out))
		return agent_fail(MEMBW_AGENT_EINVAL, 0);
	memset(&d, 0, sizeof(d));
	err = agent_ioctl(O_RDONLY, MEMBW_MEMTALK_IOC_GET_STATS, &d, sizeof(d));
	if (err)
		return err;
	memset(&s, 0, sizeof(s));
	s.size = out->size;
	s.sequence = d.sequence;
	s.periods = d.periods;
	s.period_ns = d.period_ns;
	s.throttled_ns = d.throttled_ns;
	s.throttle_count = d.throttle_count;
	s.missed_periods = d.missed_periods;
	for (ch = 0; ch < MEMBW_AGENT_NCHANNELS; ch++) {
		s.used_bytes[ch] = d.used_bytes[ch];
		s.allowance_bytes[ch] = d.allowance_bytes[ch];
		s.overshoot_bytes[ch] = d.overshoot_bytes[ch];
	}
	*out = s;
	return 0;
}

/* Copy the NUL-ended text @src (at most @n bytes) into @dst of @n bytes, always NUL-ended. */
static void agent_copy_text(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

MEMBW_AGENT_API int membw_agent_status(struct membw_agent_info *out)
{
	struct membw_memtalk_dev_info d;
	struct membw_memtalk_dev_budget b;
	struct membw_agent_info info;
	unsigned int ch;
	int err;

	if (!out || out->size < sizeof(*out))
		return agent_fail(MEMBW_AGENT_EINVAL, 0);
	memset(&d, 0, sizeof(d));
	err = agent_ioctl(O_RDONLY, MEMBW_MEMTALK_IOC_INFO, &d, sizeof(d));
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.size = out->size;
	info.present = d.present ? 1 : 0;
	info.interface = MEMBW_MEMTALK_DEV_VERSION;
	agent_copy_text(info.conduit, d.conduit, sizeof(info.conduit));
	if (info.present) {
		err = agent_budget(&b);
		if (err)
			return err;
		info.version = d.host_version;
		info.base = d.base;
		info.functions = d.functions;
		for (ch = 0; ch < MEMBW_AGENT_NCHANNELS; ch++) {
			info.budget_bps[ch] = b.budget_bps[ch];
			info.cap_bps[ch] = b.cap_bps[ch];
			info.floor_bps[ch] = b.floor_bps[ch];
		}
	} else {
		agent_copy_text(info.reason, d.reason, sizeof(info.reason));
	}
	*out = info;
	return 0;
}

MEMBW_AGENT_API const char *membw_agent_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "success";
	case MEMBW_AGENT_EINVAL:
		return "invalid argument: nothing was sent";
	case MEMBW_AGENT_ENODEV:
		return "the membw_memtalk driver is not loaded (no " MEMBW_AGENT_DEVICE
		       " or the device " MEMBW_AGENT_DEVICE_ENV " names)";
	case MEMBW_AGENT_EACCES:
		return "permission denied on the membw_memtalk device: join its group or ask the "
		       "administrator (docs/memtalk.md, the guest-agent API)";
	case MEMBW_AGENT_EABSENT:
		return "memtalk not present: no hypervisor answers memtalk calls in this VM";
	case MEMBW_AGENT_EDRIVER:
		return "the device is not the membw_memtalk driver, or it speaks another interface "
		       "version";
	case MEMBW_AGENT_ESYSTEM:
		return "system error talking to the membw_memtalk device";
	case MEMBW_AGENT_ENOTSUPPORTED:
		return "the host does not implement this memtalk call (NOT_SUPPORTED)";
	case MEMBW_AGENT_EPARAMETER:
		return "the host refused a parameter of the call (INVALID_PARAMETER: driver and host "
		       "disagree on the ABI)";
	case MEMBW_AGENT_EVERSION:
		return "the host speaks another memtalk major version (BAD_VERSION)";
	case MEMBW_AGENT_EDENIED:
		return "denied by the host: outside this VM's floor..cap, or the VM is not regulated "
		       "(DENIED)";
	case MEMBW_AGENT_ERANGE:
		return "the host cannot enforce that rate: under one cache line per period, too "
		       "large, or a finite write budget on a host without a write-back counter (RANGE)";
	case MEMBW_AGENT_ERATELIMITED:
		return "the host limits how often this is asked: try again later (RATE_LIMITED)";
	case MEMBW_AGENT_EBUSY:
		return "the host is busy with another call of this VM or a change: try again (BUSY)";
	case MEMBW_AGENT_EHOST:
		return "the host's policy failed (HOST_ERROR)";
	case MEMBW_AGENT_EBADSTATUS:
		return "the host answered with a status memtalk v1 does not define";
	default:
		return "unknown error";
	}
}

MEMBW_AGENT_API uint64_t membw_agent_detail(void)
{
	return agent_last_detail;
}
