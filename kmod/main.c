// SPDX-License-Identifier: MIT
/*
 * membw.ko: the libmembw policy (lib/, compiled unchanged) in the Linux kernel. This file owns the
 * module parameters, the policy instance and the hotplug state; cpu.c the per-CPU machinery,
 * perf_backend.c the counters, throttle.c the throttle threads, control.c the debugfs files.
 */
#include <linux/cache.h>
#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "kmembw.h"

struct kmembw kmembw;

static unsigned int period_us = 1000;
module_param(period_us, uint, 0444);
MODULE_PARM_DESC(period_us, "Regulation period in microseconds, 100..1000000 (default 1000)");

static char *read_event = "llc-read-misses";
module_param(read_event, charp, 0444);
MODULE_PARM_DESC(read_event, "Event counting line refills: llc-read-misses (default), "
		 "cache-misses, cache-references, cpu-cycles, instructions, cpu-clock, a raw "
		 "PMU code as raw:0x17 or r17, default, or an event of this CPU's table (Arm "
		 "mnemonics on arm64, Intel names on x86-64)");

static char *write_event = "none";
module_param(write_event, charp, 0444);
MODULE_PARM_DESC(write_event, "Event counting line write-backs (same names as read_event), or "
		 "none (default): write budgets are then refused");

static char *count = "user,kernel";
module_param(count, charp, 0444);
MODULE_PARM_DESC(count, "Privilege levels counted: user, kernel or user,kernel (default)");

static bool qemu_nudge;
module_param(qemu_nudge, bool, 0444);
MODULE_PARM_DESC(qemu_nudge, "QEMU guests only: a second counter per channel so QEMU raises "
		 "overflow interrupts on time (default off; never needed on hardware)");

/* kmod/README.md "The hold floor": why a hold never takes a whole period, and what it costs. */
static unsigned int hold_floor_us = 50;
module_param(hold_floor_us, uint, 0444);
MODULE_PARM_DESC(hold_floor_us, "Time in microseconds that the throttle thread leaves to other "
		 "tasks after holding a CPU for period_us - hold_floor_us without a break, so that a "
		 "zero or tiny budget cannot lock out a shell or a kill; 0 .. period_us - 1, 0 = never "
		 "(default 50)");

static int parse_levels(const char *text, u32 *levels)
{
	if (!strcmp(text, "user"))
		*levels = MEMBW_COUNT_USER;
	else if (!strcmp(text, "kernel"))
		*levels = MEMBW_COUNT_KERNEL;
	else if (!strcmp(text, "user,kernel") || !strcmp(text, "kernel,user"))
		*levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	else
		return -EINVAL;
	return 0;
}

static void fill_attr(struct perf_event_attr *attr, u32 levels)
{
	attr->size = sizeof(*attr);
	attr->pinned = 1;
	attr->disabled = 0;
	/* No overflow until the policy arms the counter: a period no run reaches. */
	attr->sample_period = 1ull << 62;
	attr->exclude_user = !(levels & MEMBW_COUNT_USER);
	attr->exclude_kernel = !(levels & MEMBW_COUNT_KERNEL);
	attr->exclude_hv = 1;
}

/* Does the event exist on this machine? Create it on the current CPU and drop it again. */
static int try_event(struct perf_event_attr *attr)
{
	struct perf_event *ev;
	int cpu = get_cpu();

	put_cpu();
	ev = perf_event_create_kernel_counter(attr, cpu, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return (int)PTR_ERR(ev);
	perf_event_release_kernel(ev);
	return 0;
}

static int setup_events(u32 levels)
{
	static const char *const names[] = { "read_event", "write_event" };
	const char *values[MEMBW_NCHANNELS] = { read_event, write_event };
	unsigned int ch;
	int err;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		struct perf_event_attr *attr = &kmembw.attr[ch];

		memset(attr, 0, sizeof(*attr));
		kmembw.event_name[ch] = values[ch];
		if (kmembw_event_parse(values[ch], attr, &kmembw.hrtimer_event[ch])) {
			pr_err(KMEMBW_NAME ": %s='%s' refused (the reason is logged above; modinfo "
			       "membw lists the names)\n", names[ch], values[ch]);
			return -EINVAL;
		}
		if (attr->type == PERF_TYPE_MAX) {
			if (ch == MEMBW_CH_READ) {
				pr_err(KMEMBW_NAME ": read_event must name an event\n");
				return -EINVAL;
			}
			break;
		}
		fill_attr(attr, levels);
		err = try_event(attr);
		if (err) {
			pr_err(KMEMBW_NAME ": %s='%s' cannot be counted here (error %d); choose another "
			       "event%s\n", names[ch], values[ch], err,
			       ch ? " or write_event=none" : "");
			return err;
		}
	}
	kmembw.nchannels = kmembw.attr[MEMBW_CH_WRITE].type == PERF_TYPE_MAX ? 1 : 2;
	return 0;
}

static u32 probe_line_size(void)
{
#ifdef CONFIG_ARM64
	/* CTR_EL0.CWG through the kernel; 0 when the register does not say. */
	int line = cache_line_size();

	if (line >= 16 && line <= 4096 && !(line & (line - 1)))
		return (u32)line;
#endif
	return KMEMBW_DEFAULT_LINE;
}

static int create_policy(u32 levels)
{
	struct membw_config cfg;
	struct membw_env env = {
		.size = sizeof(env),
		.ctx = &kmembw,
		.throttle = kmembw_throttle,
		.unthrottle = kmembw_unthrottle,
		.kick_all = kmembw_kick_all,
	};
	size_t size;
	unsigned int cpu;
	int err;

	membw_config_init(&cfg);
	cfg.ncpus = kmembw.ncpus;
	cfg.ndomains = kmembw.ndomains;
	cfg.period_ns = kmembw.period_ns;
	cfg.levels = levels;
	size = membw_storage_size(kmembw.ncpus, kmembw.ndomains, membw_kperf_backend.priv_size);
	if (!size)
		return -EINVAL;
	kmembw.storage = kvzalloc(size + MEMBW_STORAGE_ALIGN, GFP_KERNEL);
	if (!kmembw.storage)
		return -ENOMEM;
	err = membw_init(&kmembw.m, PTR_ALIGN(kmembw.storage, MEMBW_STORAGE_ALIGN), size, &cfg,
			 &membw_kperf_backend, &kmembw, &env);
	if (err) {
		pr_err(KMEMBW_NAME ": the policy refused the configuration: %s\n",
		       membw_strerror(err));
		kvfree(kmembw.storage);
		kmembw.storage = NULL;
		return err;
	}
	/* Domain c is CPU c's own (read_limit/write_limit); domains ncpus.. are shared groups. */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++)
		membw_cpu_set_domain(kmembw.m, cpu, cpu);
	return 0;
}

static int __init kmembw_init(void)
{
	unsigned int cpu;
	u32 levels;
	int err;

	mutex_init(&kmembw.control_lock);
	if (period_us < MEMBW_PERIOD_MIN_NS / 1000 || period_us > MEMBW_PERIOD_MAX_NS / 1000) {
		pr_err(KMEMBW_NAME ": period_us=%u is outside 100..1000000\n", period_us);
		return -EINVAL;
	}
	kmembw.period_ns = (u64)period_us * 1000;
	if (hold_floor_us >= period_us) {
		pr_err(KMEMBW_NAME ": hold_floor_us=%u must be below period_us=%u (0 turns the floor "
		       "off)\n", hold_floor_us, period_us);
		return -EINVAL;
	}
	kmembw.hold_floor_ns = (u64)hold_floor_us * 1000;
	kmembw.hold_cap_ns = hold_floor_us ? kmembw.period_ns - kmembw.hold_floor_ns : 0;
	if (parse_levels(count, &levels)) {
		pr_err(KMEMBW_NAME ": count='%s': use user, kernel or user,kernel\n", count);
		return -EINVAL;
	}
	err = kmembw_throttle_supported();
	if (err) {
		pr_err(KMEMBW_NAME ": GIC priority masking (pseudo-NMI) is on: the throttle thread "
		       "cannot wait for interrupts; boot with irqchip.gicv3_pseudo_nmi=0\n");
		return err;
	}
	err = setup_events(levels);
	if (err)
		return err;
	kmembw.nudge = qemu_nudge;
	kmembw.line_size = probe_line_size();
	kmembw.ncpus = nr_cpu_ids;
	kmembw.ndomains = 2 * nr_cpu_ids;
	kmembw.pcpu = alloc_percpu(struct kmembw_cpu);
	if (!kmembw.pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		kmembw_cpu_init_percpu(per_cpu_ptr(kmembw.pcpu, cpu), cpu);
	err = create_policy(levels);
	if (err)
		goto fail_percpu;
	err = kmembw_control_create();
	if (err)
		goto fail_policy;
	kmembw_throttle_debugfs();
	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "membw:online", kmembw_cpu_up,
				kmembw_cpu_down);
	if (err < 0)
		goto fail_control;
	kmembw.hp_state = err;
	pr_info(KMEMBW_NAME ": regulating %u CPUs, period %u us, hold floor %u us, read event %s, "
		"write event %s, line %u bytes%s\n", num_online_cpus(), period_us, hold_floor_us,
		read_event, kmembw.nchannels > 1 ? write_event : "none", kmembw.line_size,
		kmembw.nudge ? ", QEMU overflow nudge on" : "");
	return 0;

fail_control:
	kmembw_control_remove();
fail_policy:
	kvfree(kmembw.storage);
fail_percpu:
	free_percpu(kmembw.pcpu);
	return err;
}

static void flush_ipis(void *info)
{
	(void)info;
}

static void __exit kmembw_exit(void)
{
	kmembw_control_remove();
	kmembw_release_all();
	cpuhp_remove_state(kmembw.hp_state);
	/* A kick IPI queued before the CPUs went down is processed before this one returns. */
	on_each_cpu(flush_ipis, NULL, 1);
	kvfree(kmembw.storage);
	free_percpu(kmembw.pcpu);
	pr_info(KMEMBW_NAME ": unloaded, every CPU released\n");
}

module_init(kmembw_init);
module_exit(kmembw_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("libmembw memory-bandwidth regulation (MemGuard-compatible debugfs control)");
