// SPDX-License-Identifier: MIT
/*
 * debugfs control: /sys/kernel/debug/membw/
 *   read_limit, write_limit  MemGuard syntax "mb <v0> <v1> ..." (MiB/s, as MemGuard means "MB"),
 *                            or "<r0> <r1> ..." with units ("500MB/s", "1.5GiB/s", "unlimited",
 *                            0 blocks); value i is CPU i's own budget; CPUs past the list keep
 *                            theirs.
 *   control                  "reclaim on|off", "sharing none|spare|proportional", MemGuard's
 *                            "exclusive 0|1|2" (the same three modes), "realtime <cpu> on|off".
 *   domains                  "group <g> cpus <list> read <rate> [write <rate>]" puts the CPUs
 *                            in shared group g (one budget for all of them); "group <g> none"
 *                            gives them back their own budgets.
 *   usage                    statistics, one line per CPU and per group, key=value with units.
 * With memguard_compat=1, also /sys/kernel/debug/memguard/ (MemGuard's files and formats, beside
 * membw/; kmod/README.md "MemGuard compatibility"): limit, read_limit, write_limit, share,
 * control, usage, failcnt.
 * Every write is parsed and validated in full before anything changes (control_parse.c, pure and
 * host-tested), then applied whole or not at all (control_apply.c): a bad one returns -EINVAL, says
 * why in the kernel log and changes nothing. One command per write(). This file is the kernel half:
 * copying from user space, the lock, the policy operations, the log, and the read side.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "control_parse.h"
#include "kmembw.h"

/* What commands are parsed against (env) and what the module keeps beside the policy (state:
 * each CPU's domain as last assigned here, whether it is real-time, room for an undo); the arrays
 * a command is parsed into. All under kmembw.control_lock. */
static struct kctl_env env;
static struct kctl_state state = { .env = &env };
static u64 *cmd_rates;
static bool *cmd_cpus;

static bool memguard_compat;
module_param(memguard_compat, bool, 0444);
MODULE_PARM_DESC(memguard_compat, "1: also offer MemGuard's interface, /sys/kernel/debug/memguard/ "
		 "(limit, read_limit, write_limit, share, control, usage, failcnt), beside membw/ "
		 "(default 0)");

/* MemGuard's maxbw when the module loads: its own default, 1200 MB/s (its MB is 2^20 bytes). */
#define KMEMBW_MG_MAXBW_MIB 1200ull

/* memguard/ (memguard_compat=1), and usage's previous reading: read events used and granted. */
static struct dentry *mg_dir;
static u64 (*mg_prev)[2];

static const char *const file_names[KCTL_NFILES] = {
	[KCTL_READ_LIMIT] = "read_limit",
	[KCTL_WRITE_LIMIT] = "write_limit",
	[KCTL_CONTROL] = "control",
	[KCTL_DOMAINS] = "domains",
	[KCTL_MG_LIMIT] = "memguard/limit",
	[KCTL_MG_READ_LIMIT] = "memguard/read_limit",
	[KCTL_MG_WRITE_LIMIT] = "memguard/write_limit",
	[KCTL_MG_CONTROL] = "memguard/control",
	[KCTL_MG_SHARE] = "memguard/share",
};

static int op_get_budget(void *m, u32 domain, u64 *read_bps, u64 *write_bps)
{
	return membw_domain_get_budget(m, domain, read_bps, write_bps);
}

static int op_set_budget(void *m, u32 domain, u64 read_bps, u64 write_bps)
{
	return membw_domain_set_budget(m, domain, read_bps, write_bps);
}

static int op_set_domain(void *m, u32 cpu, u32 domain)
{
	return membw_cpu_set_domain(m, cpu, domain);
}

static int op_set_reclaim(void *m, bool on)
{
	return membw_set_reclaim(m, on);
}

static int op_set_sharing(void *m, unsigned int sharing)
{
	return membw_set_sharing(m, (enum membw_sharing)sharing);
}

static int refused(enum kctl_file file, const char *why)
{
	pr_info_ratelimited(KMEMBW_NAME ": %s: %s; nothing changed\n", file_names[file], why);
	return -EINVAL;
}

/*
 * One command per write(), whole (kctl_check_write(): a write at a file position other than 0
 * continues an earlier one, and is refused). Accepted writes move the position past themselves,
 * so a second write() on the same descriptor is a continuation.
 */
static ssize_t control_file_write(enum kctl_file file, const char __user *ubuf, size_t len,
				  loff_t *pos)
{
	const struct kctl_ops ops = {
		.ctx = kmembw.m, .get_budget = op_get_budget, .set_budget = op_set_budget,
		.set_domain = op_set_domain, .set_reclaim = op_set_reclaim,
		.set_sharing = op_set_sharing,
	};
	struct kctl_failure fail;
	struct kctl_cmd cmd = { .rates = cmd_rates, .cpus = cmd_cpus };
	char why[KCTL_WHY_MAX];
	char *buf;
	int err;

	if (kctl_check_write(len, *pos, why, sizeof(why)))
		return refused(file, why);
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&kmembw.control_lock);
	err = kctl_parse(file, buf, len, *pos, &env, &cmd, why, sizeof(why));
	if (err) {
		mutex_unlock(&kmembw.control_lock);
		kfree(buf);
		return refused(file, why);
	}
	err = kctl_apply(&cmd, &state, &ops, &fail);
	mutex_unlock(&kmembw.control_lock);
	kfree(buf);
	if (err) { /* validated: only a policy bug gets here */
		pr_err(KMEMBW_NAME ": %s: policy error %s at %s%u; %s%s\n", file_names[file],
		       membw_strerror(fail.err), fail.at_group ? "group " : "cpu", fail.index,
		       fail.undo_err ? "undoing failed too, the change is partial: " :
		       "nothing changed", fail.undo_err ? membw_strerror(fail.undo_err) : "");
		return -EINVAL;
	}
	*pos += len;
	return (ssize_t)len;
}

static void show_rate(struct seq_file *s, u64 bps)
{
	char text[MEMBW_FORMAT_MAX];
	u64 events = 0;

	membw_format_rate(text, sizeof(text), bps);
	if (bps == MEMBW_UNLIMITED) {
		seq_puts(s, " bytes_per_s=unlimited events_per_period=unlimited (unlimited)");
		return;
	}
	if (bps)
		membw_bps_to_events(bps, kmembw.period_ns, kmembw.line_size, &events);
	seq_printf(s, " bytes_per_s=%llu events_per_period=%llu (%s)", bps, events, text);
}

static int limit_show(struct seq_file *s, unsigned int channel)
{
	unsigned int cpu;

	mutex_lock(&kmembw.control_lock); /* state.cpu_domain[] */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		u64 budget[MEMBW_NCHANNELS];

		if (membw_domain_get_budget(kmembw.m, cpu, &budget[0], &budget[1]))
			continue;
		seq_printf(s, "cpu=%u", cpu);
		show_rate(s, budget[channel]);
		if (state.cpu_domain[cpu] != cpu)
			seq_printf(s, " in_group=%u", state.cpu_domain[cpu] - kmembw.ncpus);
		seq_putc(s, '\n');
	}
	mutex_unlock(&kmembw.control_lock);
	return 0;
}

static int read_limit_show(struct seq_file *s, void *unused)
{
	return limit_show(s, MEMBW_CH_READ);
}

static int write_limit_show(struct seq_file *s, void *unused)
{
	return limit_show(s, MEMBW_CH_WRITE);
}

static int control_show(struct seq_file *s, void *unused)
{
	struct membw_config cfg = { .size = sizeof(cfg) };
	unsigned int cpu;
	bool any = false;

	if (membw_get_config(kmembw.m, &cfg))
		return -EIO;
	seq_printf(s, "reclaim %s\n", cfg.reclaim ? "on" : "off");
	seq_printf(s, "sharing %s\n", kctl_sharing_name(cfg.sharing));
	seq_printf(s, "period_ns %llu\n", kmembw.period_ns);
	seq_printf(s, "line_size_bytes %u\n", kmembw.line_size);
	seq_printf(s, "read_event %s\n", kmembw.event_name[MEMBW_CH_READ]);
	seq_printf(s, "write_event %s\n", kmembw.nchannels > 1 ?
		   kmembw.event_name[MEMBW_CH_WRITE] : "none");
	seq_puts(s, "realtime_cpus");
	mutex_lock(&kmembw.control_lock); /* state.cpu_realtime[] */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		if (state.cpu_realtime[cpu]) {
			seq_printf(s, " %u", cpu);
			any = true;
		}
	}
	mutex_unlock(&kmembw.control_lock);
	seq_puts(s, any ? "\n" : " none\n");
	return 0;
}

static int domains_show(struct seq_file *s, void *unused)
{
	unsigned int g, cpu;

	mutex_lock(&kmembw.control_lock); /* state.cpu_domain[] */
	for (g = 0; g < kmembw.ncpus; g++) {
		struct membw_domain_stats st = { .size = sizeof(st) };
		u32 domain = kmembw.ncpus + g;
		bool first = true;

		if (membw_domain_get_stats(kmembw.m, domain, &st) || st.ncpus == 0)
			continue;
		seq_printf(s, "group=%u cpus=", g);
		for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
			if (state.cpu_domain[cpu] == domain) {
				seq_printf(s, "%s%u", first ? "" : ",", cpu);
				first = false;
			}
		}
		seq_puts(s, " read:");
		show_rate(s, st.budget_bps[MEMBW_CH_READ]);
		seq_puts(s, " write:");
		show_rate(s, st.budget_bps[MEMBW_CH_WRITE]);
		seq_putc(s, '\n');
	}
	mutex_unlock(&kmembw.control_lock);
	return 0;
}

static void show_totals(struct seq_file *s, const struct membw_totals *t)
{
	static const char *const ch_names[] = { "read", "write" };
	unsigned int ch;

	seq_printf(s, " periods=%llu missed_periods=%llu throttle_count=%llu throttled_ns=%llu "
		   "spurious_overflows=%llu early_ticks=%llu anomalies=%llu", t->periods,
		   t->missed_periods, t->throttle_count, t->throttled_ns, t->spurious_overflows,
		   t->early_ticks, t->anomalies);
	for (ch = 0; ch < kmembw.nchannels; ch++) {
		const struct membw_channel_stats *c = &t->ch[ch];

		seq_printf(s, " %s_used_events=%llu %s_budget_events=%llu %s_allowance_events=%llu "
			   "%s_overshoot_events=%llu %s_donated_events=%llu %s_reclaimed_events=%llu "
			   "%s_borrowed_events=%llu", ch_names[ch], c->used, ch_names[ch], c->budget,
			   ch_names[ch], c->allowance, ch_names[ch], c->overshoot, ch_names[ch],
			   c->donated, ch_names[ch], c->reclaimed, ch_names[ch], c->borrowed);
	}
}

static int usage_show(struct seq_file *s, void *unused)
{
	unsigned int cpu, d;

	seq_printf(s, "# period_ns=%llu line_size_bytes=%u read_event=%s write_event=%s; *_events "
		   "are counted events (one line of line_size_bytes each), *_ns nanoseconds\n",
		   kmembw.period_ns, kmembw.line_size, kmembw.event_name[MEMBW_CH_READ],
		   kmembw.nchannels > 1 ? kmembw.event_name[MEMBW_CH_WRITE] : "none");
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		struct membw_cpu_stats st = { .size = sizeof(st) };
		struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

		u32 domain;
		bool realtime;

		if (membw_cpu_get_stats(kmembw.m, cpu, &st))
			continue;
		mutex_lock(&kmembw.control_lock);
		domain = state.cpu_domain[cpu];
		realtime = state.cpu_realtime[cpu];
		mutex_unlock(&kmembw.control_lock);
		seq_printf(s, "cpu=%u domain=%u state=%s%s%s%s%s epoch=%llu", cpu, domain,
			   st.state & MEMBW_CPU_ONLINE ? "online" : "offline",
			   st.state & MEMBW_CPU_REGULATED ? ",regulated" : "",
			   st.state & MEMBW_CPU_THROTTLED ? ",throttled" : "",
			   st.state & MEMBW_CPU_RELEASED ? ",released" : "",
			   realtime ? ",realtime" : "", st.epoch);
		show_totals(s, &st.totals);
		seq_printf(s, " thread_held_ns=%llu thread_holds=%llu thread_wakeups=%llu handler_ns=%llu "
			   "handler_calls=%llu kicks=%llu\n", READ_ONCE(pc->held_ns), READ_ONCE(pc->holds),
			   READ_ONCE(pc->hold_wakeups),
			   READ_ONCE(pc->handler_ns), READ_ONCE(pc->handler_calls),
			   READ_ONCE(pc->kicks));
	}
	for (d = kmembw.ncpus; d < kmembw.ndomains; d++) {
		struct membw_domain_stats st = { .size = sizeof(st) };

		if (membw_domain_get_stats(kmembw.m, d, &st) || st.ncpus == 0)
			continue;
		seq_printf(s, "group=%u ncpus=%u nonline=%u read_budget_events=%llu", d - kmembw.ncpus,
			   st.ncpus, st.nonline, st.budget_events[MEMBW_CH_READ]);
		show_totals(s, &st.totals);
		seq_putc(s, '\n');
	}
	return 0;
}

/* ---- memguard/: MemGuard's formats (kmod/README.md "MemGuard compatibility") ---- */

/*
 * A budget as MemGuard prints it: events per period, and MB/s (2^20 bytes) rounded up. Returns
 * the events per period (0 for an unlimited budget).
 */
static u64 mg_budget(struct seq_file *s, u64 bps)
{
	u64 events = 0;

	if (bps == MEMBW_UNLIMITED) {
		seq_puts(s, "unlimited (unlimitedMB/s");
		return 0;
	}
	if (bps)
		membw_bps_to_events(bps, kmembw.period_ns, kmembw.line_size, &events);
	seq_printf(s, "%llu (%lluMB/s", events, DIV_ROUND_UP_ULL(bps, KCTL_MIB));
	return events;
}

/* limit and share: MemGuard's first interface, with the percentage of maxbw. */
static int mg_limit_show(struct seq_file *s, void *unused)
{
	u64 maxbw = 0, events, budget[MEMBW_NCHANNELS];
	unsigned int cpu;

	mutex_lock(&kmembw.control_lock); /* env.maxbw_bps */
	membw_bps_to_events(env.maxbw_bps, kmembw.period_ns, kmembw.line_size, &maxbw);
	seq_puts(s, "cpu  |budget (MB/s,pct,weight)\n-------------------------------\n");
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		if (membw_domain_get_budget(kmembw.m, cpu, &budget[0], &budget[1]))
			continue;
		seq_printf(s, "CPU%u: ", cpu);
		events = mg_budget(s, budget[MEMBW_CH_READ]);
		if (budget[MEMBW_CH_READ] == MEMBW_UNLIMITED || !maxbw)
			seq_puts(s, ", - pct, w0)\n");
		else
			seq_printf(s, ", %llu pct, w0)\n", DIV64_U64_ROUND_UP(events * 100, maxbw));
	}
	seq_printf(s, "g_budget_max_bw: %llu MB/s, (%llu)\n", env.maxbw_bps / KCTL_MIB, maxbw);
	mutex_unlock(&kmembw.control_lock);
	return 0;
}

/* read_limit and write_limit: MemGuard's current interface ("RT?": real-time here). */
static int mg_channel_show(struct seq_file *s, unsigned int channel)
{
	u64 budget[MEMBW_NCHANNELS];
	unsigned int cpu;

	seq_puts(s, "cpu  |budget (MB/s)\t RT?\n-------------------------------\n");
	mutex_lock(&kmembw.control_lock); /* state.cpu_realtime[] */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		if (membw_domain_get_budget(kmembw.m, cpu, &budget[0], &budget[1]))
			continue;
		seq_printf(s, "CPU%u: ", cpu);
		mg_budget(s, budget[channel]);
		/* MemGuard's read_limit has a tab before the column, its write_limit a space */
		seq_printf(s, ")%s%s\n", channel == MEMBW_CH_READ ? "\t " : " ",
			   state.cpu_realtime[cpu] ? "Yes" : "No");
	}
	mutex_unlock(&kmembw.control_lock);
	return 0;
}

static int mg_read_limit_show(struct seq_file *s, void *unused)
{
	return mg_channel_show(s, MEMBW_CH_READ);
}

static int mg_write_limit_show(struct seq_file *s, void *unused)
{
	return mg_channel_show(s, MEMBW_CH_WRITE);
}

static int mg_control_show(struct seq_file *s, void *unused)
{
	struct membw_config cfg = { .size = sizeof(cfg) };
	cpumask_var_t active, throttled;
	unsigned int cpu;
	u64 maxbw;

	if (membw_get_config(kmembw.m, &cfg))
		return -EIO;
	if (!zalloc_cpumask_var(&active, GFP_KERNEL))
		return -ENOMEM;
	if (!zalloc_cpumask_var(&throttled, GFP_KERNEL)) {
		free_cpumask_var(active);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		struct membw_cpu_stats st = { .size = sizeof(st) };

		if (membw_cpu_get_stats(kmembw.m, cpu, &st))
			continue;
		if (st.state & MEMBW_CPU_ONLINE)
			cpumask_set_cpu(cpu, active);
		if (st.state & MEMBW_CPU_THROTTLED)
			cpumask_set_cpu(cpu, throttled);
	}
	mutex_lock(&kmembw.control_lock);
	maxbw = env.maxbw_bps / KCTL_MIB;
	mutex_unlock(&kmembw.control_lock);
	seq_printf(s, "maxbw: %llu (MB/s)\nreclaim: %d\nexclusive: %u\ntaskprio: 0\n", maxbw,
		   cfg.reclaim ? 1 : 0, kctl_mg_exclusive(cfg.sharing));
	seq_printf(s, "active: %*pbl\nthrottle: %*pbl\n", cpumask_pr_args(active),
		   cpumask_pr_args(throttled));
	free_cpumask_var(active);
	free_cpumask_var(throttled);
	return 0;
}

/* used * 100 / budget in read events; 0 for a CPU granted nothing (unregulated). */
static u64 mg_percent(u64 used, u64 budget)
{
	return budget ? div64_u64(used * 100, budget) : 0;
}

/*
 * MemGuard's three moving averages have no counterpart: each EWMA row shows the read
 * utilisation since the previous read of this file; <overall> since the module loaded.
 */
static int mg_usage_show(struct seq_file *s, void *unused)
{
	unsigned int cpu, row;

	mutex_lock(&kmembw.control_lock); /* mg_prev[] */
	for (row = 0; row < 3; row++) {
		seq_printf(s, "EWMA[%u]: ", row);
		for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
			struct membw_cpu_stats st = { .size = sizeof(st) };
			const struct membw_channel_stats *c = &st.totals.ch[MEMBW_CH_READ];

			if (membw_cpu_get_stats(kmembw.m, cpu, &st))
				continue;
			seq_printf(s, "%llu ", mg_percent(c->used - mg_prev[cpu][0],
							  c->budget - mg_prev[cpu][1]));
			if (row == 2) {
				mg_prev[cpu][0] = c->used;
				mg_prev[cpu][1] = c->budget;
			}
		}
		seq_putc(s, '\n');
	}
	mutex_unlock(&kmembw.control_lock);
	seq_puts(s, "<overall>----\n");
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		struct membw_cpu_stats st = { .size = sizeof(st) };

		if (!membw_cpu_get_stats(kmembw.m, cpu, &st))
			seq_printf(s, "%llu ", mg_percent(st.totals.ch[MEMBW_CH_READ].used,
							  st.totals.ch[MEMBW_CH_READ].budget));
	}
	seq_putc(s, '\n');
	return 0;
}

/* failcnt: throttled periods, read events past the allowance, periods; per CPU. */
static int mg_failcnt_show(struct seq_file *s, void *unused)
{
	static const char *const rows[] = { "throttled", "throttle_error", "total_periods" };
	unsigned int cpu, row;

	for (row = 0; row < ARRAY_SIZE(rows); row++) {
		seq_printf(s, "%s: ", rows[row]);
		for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
			struct membw_cpu_stats st = { .size = sizeof(st) };
			const struct membw_totals *t = &st.totals;

			if (membw_cpu_get_stats(kmembw.m, cpu, &st))
				continue;
			seq_printf(s, "%llu ", row == 0 ? t->throttle_count : row == 1 ?
				   t->ch[MEMBW_CH_READ].overshoot : t->periods);
		}
		seq_putc(s, '\n');
	}
	return 0;
}

/* MemGuard clears its statistics on a write to failcnt; these are cumulative: refused. */
static ssize_t mg_failcnt_write(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	pr_info_ratelimited(KMEMBW_NAME ": memguard/failcnt: the statistics are cumulative and are "
			    "not reset (subtract an earlier reading); nothing changed\n");
	return -EINVAL;
}

#define SHOW_FOPS(name, writer)                                                        \
	static int name##_open(struct inode *inode, struct file *file)                 \
	{                                                                              \
		return single_open(file, name##_show, NULL);                           \
	}                                                                              \
	static const struct file_operations name##_fops = {                            \
		.owner = THIS_MODULE,                                                  \
		.open = name##_open,                                                   \
		.read = seq_read,                                                      \
		.llseek = seq_lseek,                                                   \
		.release = single_release,                                             \
		.write = writer,                                                       \
	}

/* The writers of the four command files. */
#define CONTROL_WRITER(name, which)                                                      \
	static ssize_t name##_write(struct file *f, const char __user *u, size_t n,     \
				    loff_t *p)                                          \
	{                                                                                \
		return control_file_write(which, u, n, p);                               \
	}
CONTROL_WRITER(read_limit, KCTL_READ_LIMIT)
CONTROL_WRITER(write_limit, KCTL_WRITE_LIMIT)
CONTROL_WRITER(control, KCTL_CONTROL)
CONTROL_WRITER(domains, KCTL_DOMAINS)
CONTROL_WRITER(mg_limit, KCTL_MG_LIMIT)
CONTROL_WRITER(mg_read_limit, KCTL_MG_READ_LIMIT)
CONTROL_WRITER(mg_write_limit, KCTL_MG_WRITE_LIMIT)
CONTROL_WRITER(mg_control, KCTL_MG_CONTROL)
CONTROL_WRITER(mg_share, KCTL_MG_SHARE)

SHOW_FOPS(read_limit, read_limit_write);
SHOW_FOPS(write_limit, write_limit_write);
SHOW_FOPS(control, control_write);
SHOW_FOPS(domains, domains_write);
SHOW_FOPS(usage, NULL);
SHOW_FOPS(mg_limit, mg_limit_write);
SHOW_FOPS(mg_read_limit, mg_read_limit_write);
SHOW_FOPS(mg_write_limit, mg_write_limit_write);
SHOW_FOPS(mg_control, mg_control_write);
SHOW_FOPS(mg_usage, NULL);
SHOW_FOPS(mg_failcnt, mg_failcnt_write);

/* share reads as limit does (budgets, percentages of maxbw), as in MemGuard. */
static int mg_share_show(struct seq_file *s, void *unused)
{
	return mg_limit_show(s, unused);
}
SHOW_FOPS(mg_share, mg_share_write);

/* memguard/ beside membw/ (memguard_compat=1). */
static int mg_create(void)
{
	mg_prev = kcalloc(kmembw.ncpus, sizeof(*mg_prev), GFP_KERNEL);
	if (!mg_prev)
		return -ENOMEM;
	mg_dir = debugfs_create_dir("memguard", NULL);
	if (IS_ERR(mg_dir)) {
		int err = (int)PTR_ERR(mg_dir);

		pr_err(KMEMBW_NAME ": memguard_compat=1: cannot create debugfs memguard/ (%d; is "
		       "memguard.ko loaded?)\n", err);
		mg_dir = NULL;
		return err;
	}
	debugfs_create_file("limit", 0600, mg_dir, NULL, &mg_limit_fops);
	debugfs_create_file("read_limit", 0600, mg_dir, NULL, &mg_read_limit_fops);
	debugfs_create_file("write_limit", 0600, mg_dir, NULL, &mg_write_limit_fops);
	debugfs_create_file("share", 0600, mg_dir, NULL, &mg_share_fops);
	debugfs_create_file("control", 0600, mg_dir, NULL, &mg_control_fops);
	debugfs_create_file("usage", 0400, mg_dir, NULL, &mg_usage_fops);
	debugfs_create_file("failcnt", 0600, mg_dir, NULL, &mg_failcnt_fops);
	return 0;
}

static void control_free(void)
{
	kfree(state.cpu_domain);
	kfree(state.cpu_realtime);
	kfree(state.saved);
	kfree(cmd_rates);
	kfree(cmd_cpus);
	kfree(mg_prev);
	mg_prev = NULL;
	state.cpu_domain = NULL;
	state.cpu_realtime = NULL;
	state.saved = NULL;
	cmd_rates = NULL;
	cmd_cpus = NULL;
}

int kmembw_control_create(void)
{
	unsigned int cpu;

	state.cpu_domain = kcalloc(kmembw.ncpus, sizeof(*state.cpu_domain), GFP_KERNEL);
	state.cpu_realtime = kcalloc(kmembw.ncpus, sizeof(*state.cpu_realtime), GFP_KERNEL);
	state.saved = kcalloc(kmembw.ncpus, sizeof(*state.saved), GFP_KERNEL);
	cmd_rates = kcalloc(kmembw.ncpus, sizeof(*cmd_rates), GFP_KERNEL);
	cmd_cpus = kcalloc(kmembw.ncpus, sizeof(*cmd_cpus), GFP_KERNEL);
	if (!state.cpu_domain || !state.cpu_realtime || !state.saved || !cmd_rates || !cmd_cpus) {
		control_free();
		return -ENOMEM;
	}
	for (cpu = 0; cpu < kmembw.ncpus; cpu++)
		state.cpu_domain[cpu] = cpu;
	env = (struct kctl_env){
		.ncpus = kmembw.ncpus, .nchannels = kmembw.nchannels,
		.mask_bits = nr_cpumask_bits, .period_ns = kmembw.period_ns,
		.line_size = kmembw.line_size, .maxbw_bps = KMEMBW_MG_MAXBW_MIB * KCTL_MIB,
	};
	kmembw.dir = debugfs_create_dir(KMEMBW_NAME, NULL);
	if (IS_ERR(kmembw.dir)) {
		control_free();
		return (int)PTR_ERR(kmembw.dir);
	}
	debugfs_create_file("read_limit", 0600, kmembw.dir, NULL, &read_limit_fops);
	debugfs_create_file("write_limit", 0600, kmembw.dir, NULL, &write_limit_fops);
	debugfs_create_file("control", 0600, kmembw.dir, NULL, &control_fops);
	debugfs_create_file("domains", 0600, kmembw.dir, NULL, &domains_fops);
	debugfs_create_file("usage", 0400, kmembw.dir, NULL, &usage_fops);
	if (memguard_compat) {
		int err = mg_create();

		if (err) {
			debugfs_remove(kmembw.dir);
			kmembw.dir = NULL;
			control_free();
			return err;
		}
	}
	return 0;
}

void kmembw_control_remove(void)
{
	debugfs_remove(mg_dir);
	mg_dir = NULL;
	debugfs_remove(kmembw.dir);
	kmembw.dir = NULL;
	control_free();
}
