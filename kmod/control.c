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
 * Every write is parsed and validated in full before anything changes: a bad one returns -EINVAL
 * (and says why in the kernel log) and changes nothing. One command per write() (copy_write()).
 */
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kmembw.h"

#define CONTROL_MAX_WRITE 4096

/* Domain of each CPU as last assigned here (its own c, or ncpus + group), and whether it is
 * real-time (then the policy has it in no domain: counted, never throttled). */
static u32 *cpu_domain;
static bool *cpu_realtime;

/* Tell the policy where @cpu belongs now: its domain, or none while it is real-time. */
static int policy_assign(unsigned int cpu, u32 domain, bool realtime)
{
	return membw_cpu_set_domain(kmembw.m, cpu, realtime ? MEMBW_NO_DOMAIN : domain);
}

static char *next_token(char **cursor)
{
	char *s = skip_spaces(*cursor);
	char *end;

	if (!*s)
		return NULL;
	end = s;
	while (*end && !isspace(*end))
		end++;
	if (*end)
		*end++ = '\0';
	*cursor = end;
	return s;
}

static int refuse(const char *file, const char *why, const char *token)
{
	pr_info_ratelimited(KMEMBW_NAME ": %s: %s%s%s%s; nothing changed\n", file, why,
			    token ? " ('" : "", token ? token : "", token ? "')" : "");
	return -EINVAL;
}

/*
 * One command per write(), whole: a write at a file position other than 0 is the continuation
 * of an earlier write on the same open file (a command split over two write() calls, which
 * parsed on its own would mean something else: "mb 1" then "00"), and is refused, as is a write
 * with a NUL byte in it (the parser would stop there and ignore the rest). Accepted writes move
 * the position past themselves, so a second write() on the same descriptor is a continuation.
 * A refusal is logged for @file (refuse()).
 */
static char *copy_write(const char *file, const char __user *ubuf, size_t len, loff_t *pos)
{
	char *buf;

	if (*pos != 0)
		return ERR_PTR(refuse(file, "one command per write: continue no earlier write "
				      "(reopen the file for the next command)", NULL));
	if (len == 0 || len >= CONTROL_MAX_WRITE)
		return ERR_PTR(refuse(file, "write 1 to 4095 bytes", NULL));
	buf = memdup_user_nul(ubuf, len);
	if (!IS_ERR(buf) && strlen(buf) != len) {
		kfree(buf);
		return ERR_PTR(refuse(file, "the command has a NUL byte in it: write text only",
				      NULL));
	}
	return buf;
}

/* A write taken whole: the position moves past it, so that a further write() on the same open
 * file is seen as a continuation (copy_write() refuses it). */
static ssize_t accepted(loff_t *pos, size_t len)
{
	*pos += len;
	return (ssize_t)len;
}

/* Can @bps be a budget on @channel? The same conversion the policy will make. */
static int check_rate(unsigned int channel, u64 bps, const char **why)
{
	u64 events;
	int err;

	if (channel == MEMBW_CH_WRITE && bps != MEMBW_UNLIMITED && kmembw.nchannels < 2) {
		*why = "no write-back event was configured (write_event=none): only 'unlimited' fits";
		return -EINVAL;
	}
	if (bps == MEMBW_UNLIMITED || bps == 0)
		return 0;
	err = membw_bps_to_events(bps, kmembw.period_ns, kmembw.line_size, &events);
	if (err)
		*why = "rate is below one line per period or above the largest budget";
	return err ? -EINVAL : 0;
}

static int parse_rate_token(const char *tok, bool mib, u64 *bps, const char **why)
{
	char text[64];

	if (!mib)
		return membw_parse_rate(tok, bps, why) ? -EINVAL : 0;
	/* ASSUMPTION: MemGuard's "mb" values are MiB/s (docs/memguard.md#memguard-units: it
	 * treats MB as 2^20 bytes); 0 blocks the CPU, as a zero rate does everywhere in
	 * libmembw. The number is read by lib/units.c's grammar (no sign, no hex), as
	 * "<value>MiB/s": one number grammar for every rate. */
	if (snprintf(text, sizeof(text), "%sMiB/s", tok) >= (int)sizeof(text)) {
		*why = "expected a number of MiB/s after 'mb'";
		return -EINVAL;
	}
	return membw_parse_rate(text, bps, why) ? -EINVAL : 0;
}

static ssize_t limit_write(struct file *file, const char __user *ubuf, size_t len, loff_t *pos,
			   unsigned int channel)
{
	const char *name = channel ? "write_limit" : "read_limit";
	u64 *rates, (*old)[MEMBW_NCHANNELS];
	char *buf, *cursor, *tok;
	const char *why = NULL;
	unsigned int n = 0, cpu, i;
	bool mib = false;
	int err = 0;

	buf = copy_write(name, ubuf, len, pos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	rates = kcalloc(kmembw.ncpus, sizeof(*rates), GFP_KERNEL);
	old = kcalloc(kmembw.ncpus, sizeof(*old), GFP_KERNEL);
	if (!rates || !old) {
		kfree(rates);
		kfree(old);
		kfree(buf);
		return -ENOMEM;
	}
	cursor = buf;
	tok = next_token(&cursor);
	if (tok && !strcmp(tok, "mb")) {
		mib = true;
		tok = next_token(&cursor);
	}
	for (; tok; tok = next_token(&cursor)) {
		if (n >= kmembw.ncpus) {
			err = refuse(name, "more values than CPUs", tok);
			goto out;
		}
		if (parse_rate_token(tok, mib, &rates[n], &why) || check_rate(channel, rates[n], &why)) {
			err = refuse(name, why, tok);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		err = refuse(name, "expected 'mb <v0> <v1> ...' or '<rate0> <rate1> ...'", NULL);
		goto out;
	}
	/* All or nothing: read every budget first (the only step that can fail on a sound policy),
	 * then set them; should a set still fail (a policy bug), put back the ones already set. */
	mutex_lock(&kmembw.control_lock);
	for (cpu = 0; cpu < n; cpu++) {
		err = membw_domain_get_budget(kmembw.m, cpu, &old[cpu][0], &old[cpu][1]);
		if (err)
			break;
	}
	for (i = 0; i < n && !err; i++) {
		u64 budget[MEMBW_NCHANNELS] = { old[i][0], old[i][1] };

		budget[channel] = rates[i];
		err = membw_domain_set_budget(kmembw.m, i, budget[0], budget[1]);
		if (err) {
			cpu = i;
			while (i--) /* put back the CPUs already set */
				membw_domain_set_budget(kmembw.m, i, old[i][0], old[i][1]);
		}
	}
	mutex_unlock(&kmembw.control_lock);
	if (err) /* validated above: only a policy bug gets here */
		pr_err(KMEMBW_NAME ": %s: policy error %s at cpu%u; nothing changed\n", name,
		       membw_strerror(err), cpu);
out:
	kfree(old);
	kfree(rates);
	kfree(buf);
	return err ? -EINVAL : accepted(pos, len);
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

	mutex_lock(&kmembw.control_lock); /* cpu_domain[] */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		u64 budget[MEMBW_NCHANNELS];

		if (membw_domain_get_budget(kmembw.m, cpu, &budget[0], &budget[1]))
			continue;
		seq_printf(s, "cpu=%u", cpu);
		show_rate(s, budget[channel]);
		if (cpu_domain[cpu] != cpu)
			seq_printf(s, " in_group=%u", cpu_domain[cpu] - kmembw.ncpus);
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

static ssize_t read_limit_write(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	return limit_write(f, u, n, p, MEMBW_CH_READ);
}

static ssize_t write_limit_write(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	return limit_write(f, u, n, p, MEMBW_CH_WRITE);
}

static const char *const sharing_names[] = { "none", "spare", "proportional" };

static int control_show(struct seq_file *s, void *unused)
{
	struct membw_config cfg = { .size = sizeof(cfg) };
	unsigned int cpu;
	bool any = false;

	if (membw_get_config(kmembw.m, &cfg))
		return -EIO;
	seq_printf(s, "reclaim %s\n", cfg.reclaim ? "on" : "off");
	seq_printf(s, "sharing %s\n", cfg.sharing < ARRAY_SIZE(sharing_names) ?
		   sharing_names[cfg.sharing] : "?");
	seq_printf(s, "period_ns %llu\n", kmembw.period_ns);
	seq_printf(s, "line_size_bytes %u\n", kmembw.line_size);
	seq_printf(s, "read_event %s\n", kmembw.event_name[MEMBW_CH_READ]);
	seq_printf(s, "write_event %s\n", kmembw.nchannels > 1 ?
		   kmembw.event_name[MEMBW_CH_WRITE] : "none");
	seq_puts(s, "realtime_cpus");
	mutex_lock(&kmembw.control_lock); /* cpu_realtime[] */
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		if (cpu_realtime[cpu]) {
			seq_printf(s, " %u", cpu);
			any = true;
		}
	}
	mutex_unlock(&kmembw.control_lock);
	seq_puts(s, any ? "\n" : " none\n");
	return 0;
}

static int parse_on_off(const char *tok, u32 *on)
{
	if (!tok)
		return -EINVAL;
	if (!strcmp(tok, "on") || !strcmp(tok, "1"))
		*on = 1;
	else if (!strcmp(tok, "off") || !strcmp(tok, "0"))
		*on = 0;
	else
		return -EINVAL;
	return 0;
}

static ssize_t control_write(struct file *file, const char __user *ubuf, size_t len, loff_t *pos)
{
	char *buf, *cursor, *cmd, *arg, *arg2;
	unsigned int i, cpu;
	u32 v;
	int err = -EINVAL;

	buf = copy_write("control", ubuf, len, pos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	cursor = buf;
	cmd = next_token(&cursor);
	arg = next_token(&cursor);
	arg2 = next_token(&cursor);
	mutex_lock(&kmembw.control_lock);
	if (!cmd) {
		refuse("control", "empty command", NULL);
	} else if (!strcmp(cmd, "reclaim") && !arg2) {
		if (parse_on_off(arg, &v))
			refuse("control", "use 'reclaim on' or 'reclaim off'", arg);
		else
			err = membw_set_reclaim(kmembw.m, v);
	} else if ((!strcmp(cmd, "sharing") || !strcmp(cmd, "exclusive")) && arg && !arg2) {
		for (i = 0; i < ARRAY_SIZE(sharing_names); i++) {
			if (!strcmp(arg, sharing_names[i]) || (arg[0] == '0' + i && !arg[1]))
				break;
		}
		if (i == ARRAY_SIZE(sharing_names))
			refuse("control", "use 'sharing none|spare|proportional' or 'exclusive 0|1|2'",
			       arg);
		else
			err = membw_set_sharing(kmembw.m, i);
	} else if (!strcmp(cmd, "realtime") && arg && arg2 && !next_token(&cursor)) {
		if (kstrtouint(arg, 10, &cpu) || cpu >= kmembw.ncpus)
			refuse("control", "'realtime <cpu> on|off': no such CPU", arg);
		else if (parse_on_off(arg2, &v))
			refuse("control", "'realtime <cpu> on|off'", arg2);
		else {
			err = policy_assign(cpu, cpu_domain[cpu], v);
			if (!err)
				cpu_realtime[cpu] = v;
		}
	} else {
		refuse("control", "unknown command: use reclaim, sharing, exclusive or realtime", cmd);
	}
	mutex_unlock(&kmembw.control_lock);
	kfree(buf);
	return err ? -EINVAL : accepted(pos, len);
}

static int domains_show(struct seq_file *s, void *unused)
{
	unsigned int g, cpu;

	mutex_lock(&kmembw.control_lock); /* cpu_domain[] */
	for (g = 0; g < kmembw.ncpus; g++) {
		struct membw_domain_stats st = { .size = sizeof(st) };
		u32 domain = kmembw.ncpus + g;
		bool first = true;

		if (membw_domain_get_stats(kmembw.m, domain, &st) || st.ncpus == 0)
			continue;
		seq_printf(s, "group=%u cpus=", g);
		for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
			if (cpu_domain[cpu] == domain) {
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

/* "group <g> cpus <list> read <rate> [write <rate>]" or "group <g> none". */
static ssize_t domains_write(struct file *file, const char __user *ubuf, size_t len, loff_t *pos)
{
	char *buf, *cursor, *tok;
	cpumask_var_t cpus;
	u64 rate[MEMBW_NCHANNELS] = { MEMBW_UNLIMITED, MEMBW_UNLIMITED };
	const char *why = NULL;
	unsigned int g, cpu, ch;
	bool dissolve = false, have_cpus = false, have_read = false;
	u32 domain;
	int err = -EINVAL;

	buf = copy_write("domains", ubuf, len, pos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL)) {
		kfree(buf);
		return -ENOMEM;
	}
	cursor = buf;
	tok = next_token(&cursor);
	if (!tok || strcmp(tok, "group")) {
		refuse("domains", "expected 'group <g> cpus <list> read <rate> [write <rate>]'", tok);
		goto out;
	}
	tok = next_token(&cursor);
	if (!tok || kstrtouint(tok, 10, &g) || g >= kmembw.ncpus) {
		refuse("domains", "group number must be 0 .. number of CPUs - 1", tok);
		goto out;
	}
	domain = kmembw.ncpus + g;
	while ((tok = next_token(&cursor))) {
		char *val;

		if (!strcmp(tok, "none")) {
			dissolve = true;
			continue;
		}
		val = next_token(&cursor);
		if (!val) {
			refuse("domains", "missing value after", tok);
			goto out;
		}
		if (!strcmp(tok, "cpus")) {
			if (cpulist_parse(val, cpus) || cpumask_empty(cpus) ||
			    cpumask_last(cpus) >= kmembw.ncpus) {
				refuse("domains", "cpus takes a list of existing CPUs like 1-2,4", val);
				goto out;
			}
			have_cpus = true;
		} else if (!strcmp(tok, "read") || !strcmp(tok, "write")) {
			ch = tok[0] == 'w' ? MEMBW_CH_WRITE : MEMBW_CH_READ;
			if (parse_rate_token(val, false, &rate[ch], &why) ||
			    check_rate(ch, rate[ch], &why)) {
				refuse("domains", why, val);
				goto out;
			}
			have_read |= ch == MEMBW_CH_READ;
		} else {
			refuse("domains", "unknown keyword: use cpus, read, write or none", tok);
			goto out;
		}
	}
	if (dissolve == (have_cpus || have_read) || (!dissolve && !(have_cpus && have_read))) {
		refuse("domains", "give either 'none' or both 'cpus <list>' and 'read <rate>'", NULL);
		goto out;
	}
	mutex_lock(&kmembw.control_lock);
	err = 0;
	if (!dissolve)
		err = membw_domain_set_budget(kmembw.m, domain, rate[0], rate[1]);
	for (cpu = 0; cpu < kmembw.ncpus && !err; cpu++) {
		u32 to;

		if (dissolve)
			to = cpu_domain[cpu] == domain ? cpu : cpu_domain[cpu];
		else if (cpumask_test_cpu(cpu, cpus))
			to = domain;
		else
			to = cpu_domain[cpu] == domain ? cpu : cpu_domain[cpu];
		if (to == cpu_domain[cpu])
			continue;
		err = policy_assign(cpu, to, cpu_realtime[cpu]);
		if (!err)
			cpu_domain[cpu] = to;
	}
	mutex_unlock(&kmembw.control_lock);
	if (err) /* validated above: only a policy bug gets here */
		pr_err(KMEMBW_NAME ": domains: policy error %s\n", membw_strerror(err));
out:
	free_cpumask_var(cpus);
	kfree(buf);
	return err ? -EINVAL : accepted(pos, len);
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
		domain = cpu_domain[cpu];
		realtime = cpu_realtime[cpu];
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

SHOW_FOPS(read_limit, read_limit_write);
SHOW_FOPS(write_limit, write_limit_write);
SHOW_FOPS(control, control_write);
SHOW_FOPS(domains, domains_write);
SHOW_FOPS(usage, NULL);

int kmembw_control_create(void)
{
	unsigned int cpu;

	cpu_domain = kcalloc(kmembw.ncpus, sizeof(*cpu_domain), GFP_KERNEL);
	cpu_realtime = kcalloc(kmembw.ncpus, sizeof(*cpu_realtime), GFP_KERNEL);
	if (!cpu_domain || !cpu_realtime) {
		kfree(cpu_domain);
		kfree(cpu_realtime);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < kmembw.ncpus; cpu++)
		cpu_domain[cpu] = cpu;
	kmembw.dir = debugfs_create_dir(KMEMBW_NAME, NULL);
	if (IS_ERR(kmembw.dir)) {
		kfree(cpu_domain);
		kfree(cpu_realtime);
		return (int)PTR_ERR(kmembw.dir);
	}
	debugfs_create_file("read_limit", 0600, kmembw.dir, NULL, &read_limit_fops);
	debugfs_create_file("write_limit", 0600, kmembw.dir, NULL, &write_limit_fops);
	debugfs_create_file("control", 0600, kmembw.dir, NULL, &control_fops);
	debugfs_create_file("domains", 0600, kmembw.dir, NULL, &domains_fops);
	debugfs_create_file("usage", 0400, kmembw.dir, NULL, &usage_fops);
	return 0;
}

void kmembw_control_remove(void)
{
	debugfs_remove(kmembw.dir);
	kmembw.dir = NULL;
	kfree(cpu_domain);
	kfree(cpu_realtime);
	cpu_domain = NULL;
	cpu_realtime = NULL;
}
