/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the memtalk guest driver's device on a host, for the Python agent tests: loaded
 * with LD_PRELOAD, it answers open() of the path in MEMBW_MEMTALK_DEV (when MEMBW_LOOPBACK is set)
 * with a descriptor of /dev/null, and ioctl() on that descriptor the way the driver does
 * (include/membw/memtalk_dev.h): each request becomes memtalk calls (the real encoders) answered
 * by the real host dispatcher over a real policy: one VM in domain 0 (CPU 0), budgets 100 MB/s
 * per channel, cap 1 GB/s, floor 10 MB/s. So libmembw-agent.so, unchanged, runs end to end.
 * Built by tests/test_agent.py; not part of any library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <membw/membw.h>
#include <membw/memtalk_dev.h>
#include <membw/memtalk_host.h>

static int fake_fd = -1;
static struct membw *m;
static struct membw_memtalk_host *host;
static _Alignas(64) unsigned char policy_mem[MEMBW_STORAGE_SIZE(1, 1, 16)];
static _Alignas(64) unsigned char host_mem[MEMBW_MEMTALK_HOST_SIZE(1)];

static int probe(void *ctx, struct membw_backend_info *info)
{
	(void)ctx;
	info->channels = 2;
	info->counter_bits = 32;
	info->line_size = 64;
	info->levels = MEMBW_COUNT_ALL;
	return 0;
}
static int cpu_init(void *ctx, uint32_t cpu, void *priv, const struct membw_counter_setup *s)
{
	(void)ctx, (void)cpu, (void)priv, (void)s;
	return 0;
}
static int arm(void *priv, uint32_t ch, uint64_t n)
{
	(void)priv, (void)ch, (void)n;
	return 0;
}
static int read_counter(void *priv, uint32_t ch, uint64_t *v)
{
	(void)priv, (void)ch;
	*v = 0;
	return 0;
}
static void stop(void *priv, uint32_t ch)
{
	(void)priv, (void)ch;
}
static void nothing(void *ctx, uint32_t cpu)
{
	(void)ctx, (void)cpu;
}

static const struct membw_backend backend = {
	.abi_version = 1, .size = sizeof(backend), .name = "loopback", .priv_size = 16,
	.probe = probe, .cpu_init = cpu_init, .arm = arm, .read = read_counter, .stop = stop,
};

static int setup(void)
{
	struct membw_env env = { .size = sizeof(env), .throttle = nothing, .unthrottle = nothing };
	struct membw_memtalk_host_config hc = { .size = sizeof(hc), .nvms = 1, .burst = 1 };
	struct membw_memtalk_vm_limits vm = { .domain = 0, .cap_bps = { 1000000000, 1000000000 },
					      .floor_bps = { 10000000, 10000000 } };
	struct membw_config cfg;
	uint64_t next;

	if (host)
		return 0;
	membw_config_init(&cfg);
	cfg.ndomains = 1;
	if (membw_init(&m, policy_mem, sizeof(policy_mem), &cfg, &backend, NULL, &env) ||
	    membw_domain_set_budget(m, 0, 100000000, 100000000) || membw_cpu_set_domain(m, 0, 0) ||
	    membw_cpu_online(m, 0, 0, &next) || membw_tick(m, 0, next, &next))
		return -1;
	return membw_memtalk_host_init(&host, host_mem, sizeof(host_mem), m, &hc, &vm);
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	const char *dev = getenv("MEMBW_MEMTALK_DEV");
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = (mode_t)va_arg(ap, unsigned int);
	va_end(ap);
	if (!real_open)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	if (getenv("MEMBW_LOOPBACK") && dev && !strcmp(path, dev)) {
		if (setup()) {
			errno = EIO;
			return -1;
		}
		fake_fd = real_open("/dev/null", O_RDWR | O_CLOEXEC);
		return fake_fd;
	}
	return real_open(path, flags, mode);
}

/* One memtalk call of VM 0; the status and r1 go to the request's header. */
static void call(struct membw_memtalk_regs *r, __s64 *status, __u64 *detail)
{
	membw_memtalk_host_dispatch(host, 0, r, 0);
	*status = (__s64)r->r[0];
	*detail = *status ? r->r[1] : 0;
}

static void get_budget(struct membw_memtalk_dev_budget *b)
{
	uint32_t ch;

	for (ch = 0; ch < 2; ch++) {
		struct membw_memtalk_regs r;

		membw_memtalk_encode_get_budget(&r, 0, ch);
		call(&r, &b->status, &b->detail);
		if (b->status)
			return;
		b->budget_bps[ch] = r.r[1];
		b->cap_bps[ch] = r.r[2];
		b->floor_bps[ch] = r.r[3];
	}
}

int ioctl(int fd, unsigned long cmd, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	struct membw_memtalk_regs r;
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (fd != fake_fd || fd < 0)
		return real_ioctl(fd, cmd, arg);
	if (cmd == MEMBW_MEMTALK_IOC_INFO) {
		struct membw_memtalk_dev_info *i = arg;

		membw_memtalk_encode_version(&r, 0);
		call(&r, &i->status, &i->detail);
		i->present = 1;
		i->host_version = (uint32_t)r.r[1];
		i->functions = (uint32_t)r.r[3];
		strcpy(i->conduit, "loopback");
		return 0;
	}
	if (cmd == MEMBW_MEMTALK_IOC_GET_BUDGET) {
		get_budget(arg);
		return 0;
	}
	if (cmd == MEMBW_MEMTALK_IOC_SET_BUDGET) {
		struct membw_memtalk_dev_set *s = arg;
		struct membw_memtalk_dev_budget b = { .size = sizeof(b) };

		get_budget(&b);
		membw_memtalk_encode_set_budget(
			&r, 0, s->flags & MEMBW_MEMTALK_DEV_SET_READ ? s->read_bps : b.budget_bps[0],
			s->flags & MEMBW_MEMTALK_DEV_SET_WRITE ? s->write_bps : b.budget_bps[1]);
		call(&r, &s->status, &s->detail);
		if (!s->status) {
			s->read_bps = r.r[1];
			s->write_bps = r.r[2];
		}
		return 0;
	}
	if (cmd == MEMBW_MEMTALK_IOC_GET_STATS) {
		struct membw_memtalk_dev_stats *st = arg;
		__u64 *out[4][3] = {
			{ &st->sequence, &st->periods, &st->period_ns },
			{ &st->throttled_ns, &st->throttle_count, &st->missed_periods },
			{ &st->used_bytes[0], &st->allowance_bytes[0], &st->overshoot_bytes[0] },
			{ &st->used_bytes[1], &st->allowance_bytes[1], &st->overshoot_bytes[1] },
		};
		uint32_t page, k;

		for (page = 0; page < 4; page++) {
			membw_memtalk_encode_get_stats(&r, 0, page);
			call(&r, &st->status, &st->detail);
			if (st->status)
				return 0;
			for (k = 0; k < 3; k++)
				*out[page][k] = r.r[k + 1];
		}
		return 0;
	}
	errno = ENOTTY;
	return -1;
}
