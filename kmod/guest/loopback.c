// SPDX-License-Identifier: MIT
/*
 * TEST ONLY: the "loopback" conduit of membw_memtalk_loopback.ko (scripts/kmod-build --loopback memtalk).
 * No instruction is issued: each call goes straight to lib/'s memtalk host dispatcher, run inside
 * this module for one VM on a policy whose counters never count. It lets the QEMU test drive the
 * driver's "memtalk present" path (budget writes, the host's refusals, statistics, the rate
 * limit) in a real kernel where no hypervisor serves memtalk. The production module never links it.
 *
 * The host's settings are fixed here and restated in tests/kernel/memtalk-guest.sh:
 * reads only (no write-back counter), read cap 1 GB/s, read floor 1 MB/s, write cap unlimited,
 * initial read budget = the cap, rate limit one call per 1000 s with a burst of 20.
 *
 * The statuses this host never gives a correct guest (NOT_SUPPORTED, INVALID_PARAMETER,
 * BAD_VERSION, BUSY, HOST_ERROR, undefined ones) are injected through the module parameters
 * inject_status and inject_detail: the next call is answered with them instead of reaching the
 * dispatcher, so the test sees each one reach the caller.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>

#include <membw/backend.h>
#include <membw/config.h>
#include <membw/env.h>
#include <membw/errors.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>
#include <membw/policy.h>

#include "memtalk_kmod.h"

#define LOOPBACK_READ_CAP_BPS 1000000000ull  /* 1 GB/s */
#define LOOPBACK_READ_FLOOR_BPS 1000000ull   /* 1 MB/s */
#define LOOPBACK_INTERVAL_NS 1000000000000ull /* 1000 s: the largest the host accepts */
#define LOOPBACK_BURST 20u

/* A backend with one 32-bit read counter of 64-byte lines that never moves. */
static int lb_probe(void *ctx, struct membw_backend_info *info)
{
	info->channels = 1;
	info->counter_bits = 32;
	info->line_size = 64;
	info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	info->caps = 0;
	return 0;
}

static int lb_cpu_init(void *ctx, unsigned int cpu, void *priv,
		       const struct membw_counter_setup *setup)
{
	return 0;
}

static int lb_arm(void *priv, unsigned int channel, uint64_t events)
{
	return 0;
}

static int lb_read(void *priv, unsigned int channel, uint64_t *value)
{
	*value = 0;
	return 0;
}

static void lb_stop(void *priv, unsigned int channel)
{
}

static const struct membw_backend lb_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "loopback",
	.priv_size = 0,
	.probe = lb_probe,
	.cpu_init = lb_cpu_init,
	.arm = lb_arm,
	.read = lb_read,
	.stop = lb_stop,
};

/* No CPU is ever brought online, so nothing is throttled. */
static void lb_throttle(void *ctx, unsigned int cpu)
{
}

static const struct membw_env lb_env = {
	.size = sizeof(struct membw_env),
	.throttle = lb_throttle,
	.unthrottle = lb_throttle,
};

static u8 lb_policy_storage[MEMBW_STORAGE_SIZE(1, 1, 0)] __aligned(MEMBW_STORAGE_ALIGN);
static u8 lb_host_storage[MEMBW_MEMTALK_HOST_SIZE(1)] __aligned(MEMBW_MEMTALK_ALIGN);
static struct membw_memtalk_host *lb_host;

static long inject_status;
module_param(inject_status, long, 0644);
MODULE_PARM_DESC(inject_status, "TEST ONLY: answer the next call with this memtalk status");
static ulong inject_detail;
module_param(inject_detail, ulong, 0644);
MODULE_PARM_DESC(inject_detail, "TEST ONLY: r1 of the injected answer");

static void mtk_call_loopback(struct membw_memtalk_regs *regs)
{
	/* The calls run under main.c's lock; the parameter is written from sysfs at any time. */
	long injected = xchg(&inject_status, 0);

	if (injected) {
		regs->r[0] = (u64)(s64)injected;
		regs->r[1] = READ_ONCE(inject_detail);
		regs->r[2] = regs->r[3] = 0;
		return;
	}
	/* What a hypervisor does with an ID that is not memtalk's: answer NOT_SUPPORTED. */
	if (membw_memtalk_host_dispatch(lb_host, 0, regs, ktime_get_ns())) {
		regs->r[0] = (u64)(s64)MEMBW_MEMTALK_NOT_SUPPORTED;
		regs->r[1] = regs->r[2] = regs->r[3] = 0;
	}
}

void mtk_conduit_detect(struct mtk_conduit *c)
{
	static const struct membw_memtalk_vm_limits vm = {
		.domain = 0,
		.cap_bps = { LOOPBACK_READ_CAP_BPS, MEMBW_UNLIMITED },
		.floor_bps = { LOOPBACK_READ_FLOOR_BPS, 0 },
	};
	static const struct membw_memtalk_host_config hc = {
		.size = sizeof(hc),
		.nvms = 1,
		.base = MEMBW_MEMTALK_BASE_DEFAULT,
		.flags = MEMBW_MEMTALK_HOST_OWNS_RANGE,
		.min_interval_ns = LOOPBACK_INTERVAL_NS,
		.burst = LOOPBACK_BURST,
	};
	struct membw_config cfg;
	struct membw *m;
	int err;

	c->call = NULL;
	c->name = "none";
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	err = membw_init(&m, lb_policy_storage, sizeof(lb_policy_storage), &cfg, &lb_backend, NULL,
			 &lb_env);
	if (!err)
		err = membw_domain_set_budget(m, 0, LOOPBACK_READ_CAP_BPS, MEMBW_UNLIMITED);
	if (!err)
		err = membw_memtalk_host_init(&lb_host, lb_host_storage, sizeof(lb_host_storage), m,
					      &hc, &vm);
	if (err) {
		scnprintf(c->why, sizeof(c->why), "loopback host failed to start: %s",
			  membw_strerror(err));
		return;
	}
	c->call = mtk_call_loopback;
	c->name = "loopback";
	c->why[0] = '\0';
}
