// SPDX-License-Identifier: MIT
/*
 * membw_memtalk.ko: the memtalk guest driver. At load it finds out, without risking an undefined
 * instruction, whether a hypervisor answers memtalk (docs/memtalk.md), and always loads; its
 * device /dev/membw_memtalk (ioctls of include/membw/memtalk_dev.h, for agents and libmembw-agent)
 * and its debugfs files (for people and scripts) set this VM's memory-bandwidth budget and read
 * the budget, the host's cap and the VM's statistics. See kmod/guest/README.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <membw/errors.h>
#include <membw/memtalk_dev.h>
#include <membw/memtalk_guest.h>

#include "memtalk_kmod.h"

static uint base = MEMBW_MEMTALK_BASE_AUTO;
module_param(base, uint, 0444);
MODULE_PARM_DESC(base, "memtalk function-number base agreed with the hypervisor (0..65264); "
		       "unset: ask the vendor range's Call UID");

#define MTK_DEBUGFS_DIR "membw_memtalk"

unsigned int mtk_call_faults;

/* Everything below is guarded by lock: each memtalk call, and the texts the files show. */
static struct {
	struct mutex lock;
	struct mtk_conduit conduit;
	struct membw_memtalk_guest guest;
	bool present;
	char absent_why[160];
	char last_error[224];
	/* The last answer and how many calls were issued: what the probe saw, for its message. */
	struct membw_memtalk_regs last_answer;
	unsigned int calls;
	struct dentry *dir;
} mtk;

/* The hook given to lib/: the architecture's conduit, with the answer kept for messages. */
static void mtk_call(struct membw_memtalk_regs *regs)
{
	mtk.conduit.call(regs);
	mtk.last_answer = *regs;
	mtk.calls++;
}

static const char *mtk_refusal(int err)
{
	switch (-err) {
	case MEMBW_EPERM:
		return "denied by the host: outside this VM's floor..cap (the budget file shows both)";
	case MEMBW_ERANGE:
		return "the host cannot enforce that rate (under one cache line per period, too "
		       "large, or a finite write budget on a host without a write-back counter)";
	case MEMBW_EAGAIN:
		return "the host is busy or limits how often this is asked: try again later";
	case MEMBW_EOPNOTSUPP:
		return "the host does not implement this memtalk call";
	case MEMBW_ENODEV:
		return "the host now speaks another memtalk major version";
	case MEMBW_EINVAL:
		return "the host refused a parameter of the call (driver and host disagree on the "
		       "ABI)";
	default:
		return "the host failed, or answered with an unknown status";
	}
}

/* Keep @fmt as the text the status file shows after "last_error:". Called with the lock held. */
static __printf(1, 2) void mtk_set_last_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(mtk.last_error, sizeof(mtk.last_error), fmt, ap);
	va_end(ap);
}

static void mtk_print_rate(struct seq_file *m, const char *key, u64 bps)
{
	if (bps == MEMBW_UNLIMITED)
		seq_printf(m, " %s=unlimited", key);
	else
		seq_printf(m, " %s=%llu", key, (unsigned long long)bps);
}

static int mtk_status_show(struct seq_file *m, void *unused)
{
	mutex_lock(&mtk.lock);
	if (mtk.present)
		seq_printf(m, "memtalk present version=%u.%u base=%u functions=0x%x conduit=%s\n",
			   mtk.guest.version >> 16, mtk.guest.version & 0xffff, mtk.guest.base,
			   mtk.guest.functions, mtk.conduit.name);
	else
		seq_printf(m, "memtalk not present (%s)\nwrites to budget are refused with "
			      "ENODEV\n", mtk.absent_why);
	seq_printf(m, "calls: issued=%u faulted=%u\n", mtk.calls, mtk_call_faults);
	seq_printf(m, "last_error: %s\n", mtk.last_error);
	mutex_unlock(&mtk.lock);
	return 0;
}

/*
 * What one open of budget or stats saw. The calls are made once, at open: seq_file runs show()
 * again whenever a reader seeks (glibc's fclose() seeks back over unread input), and a second
 * statistics snapshot would spend the host's rate limit for nothing.
 */
struct mtk_view {
	bool present;
	struct membw_memtalk_budget budget[MEMBW_NCHANNELS];
	struct membw_memtalk_stats stats;
};

static const char *const mtk_channel_names[MEMBW_NCHANNELS] = { "read", "write" };

/* Fill @v for the budget file. Called with the lock held. */
static int mtk_fetch_budget(struct mtk_view *v)
{
	unsigned int ch;
	int err;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		v->budget[ch].size = sizeof(v->budget[ch]);
		err = membw_memtalk_guest_get_budget(&mtk.guest, ch, &v->budget[ch]);
		if (err) {
			mtk_set_last_error("reading the %s budget: %s", mtk_channel_names[ch],
					   mtk_refusal(err));
			return err;
		}
	}
	return 0;
}

/* Fill @v for the stats file: one snapshot. Called with the lock held. */
static int mtk_fetch_stats(struct mtk_view *v)
{
	int err;

	v->stats.size = sizeof(v->stats);
	err = membw_memtalk_guest_get_stats(&mtk.guest, &v->stats);
	if (err)
		mtk_set_last_error("reading the statistics: %s", mtk_refusal(err));
	return err;
}

static void mtk_show_absent(struct seq_file *m, const char *what)
{
	mutex_lock(&mtk.lock);
	seq_printf(m, "memtalk not present (%s): no %s to show\n", mtk.absent_why, what);
	mutex_unlock(&mtk.lock);
}

static int mtk_budget_show(struct seq_file *m, void *unused)
{
	const struct mtk_view *v = m->private;
	unsigned int ch;

	if (!v->present) {
		mtk_show_absent(m, "budget");
		return 0;
	}
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		seq_puts(m, mtk_channel_names[ch]);
		mtk_print_rate(m, "budget_bytes_per_s", v->budget[ch].current_bps);
		mtk_print_rate(m, "cap_bytes_per_s", v->budget[ch].cap_bps);
		mtk_print_rate(m, "floor_bytes_per_s", v->budget[ch].floor_bps);
		seq_putc(m, '\n');
	}
	return 0;
}

static int mtk_stats_show(struct seq_file *m, void *unused)
{
	const struct mtk_view *v = m->private;
	const struct membw_memtalk_stats *s = &v->stats;
	unsigned int ch;

	if (!v->present) {
		mtk_show_absent(m, "statistics");
		return 0;
	}
	seq_printf(m, "sequence=%llu periods=%llu period_ns=%llu throttled_ns=%llu "
		      "throttled_periods=%llu missed_periods=%llu\n",
		   s->sequence, s->periods, s->period_ns, s->throttled_ns, s->throttle_count,
		   s->missed_periods);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		seq_printf(m, "%s used_bytes=%llu allowance_bytes=%llu overshoot_bytes=%llu\n",
			   mtk_channel_names[ch], s->used_bytes[ch], s->allowance_bytes[ch],
			   s->overshoot_bytes[ch]);
	return 0;
}

/* Open budget or stats: make the calls once if the file is opened for reading. */
static int mtk_view_open(struct file *file, int (*fetch)(struct mtk_view *v),
			 int (*show)(struct seq_file *m, void *unused))
{
	struct mtk_view *v = kzalloc(sizeof(*v), GFP_KERNEL);
	int err = 0;

	if (!v)
		return -ENOMEM;
	if (file->f_mode & FMODE_READ) {
		mutex_lock(&mtk.lock);
		v->present = mtk.present;
		if (v->present)
			err = fetch(v);
		mutex_unlock(&mtk.lock);
	}
	if (!err)
		err = single_open(file, show, v);
	if (err)
		kfree(v);
	return err;
}

static int mtk_view_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

/* Send @req; a channel it does not name keeps the budget in force. Called with the lock held. */
static int mtk_apply(const struct mtk_request *req)
{
	u64 read_bps = req->read_bps, write_bps = req->write_bps;
	int err;

	if (!req->has_read || !req->has_write) {
		struct membw_memtalk_budget kept = { .size = sizeof(kept) };
		u32 channel = req->has_read ? MEMBW_MEMTALK_CH_WRITE : MEMBW_MEMTALK_CH_READ;

		err = membw_memtalk_guest_get_budget(&mtk.guest, channel, &kept);
		if (err) {
			mtk_set_last_error("reading the %s budget to keep it: %s",
					   req->has_read ? "write" : "read", mtk_refusal(err));
			return err;
		}
		if (req->has_read)
			write_bps = kept.current_bps;
		else
			read_bps = kept.current_bps;
	}
	err = membw_memtalk_guest_set_budget(&mtk.guest, read_bps, write_bps);
	if (err) {
		mtk_set_last_error("setting the budget: %s", mtk_refusal(err));
		return err;
	}
	mtk_set_last_error("none");
	return 0;
}

static ssize_t mtk_budget_write(struct file *file, const char __user *ubuf, size_t len,
				loff_t *ppos)
{
	char text[MTK_REQUEST_MAX + 1], why[160];
	struct mtk_request req;
	int err;

	if (len > MTK_REQUEST_MAX) {
		mutex_lock(&mtk.lock);
		mtk_set_last_error("input longer than %d bytes", MTK_REQUEST_MAX);
		mutex_unlock(&mtk.lock);
		return -EINVAL;
	}
	if (copy_from_user(text, ubuf, len))
		return -EFAULT;
	text[len] = '\0';
	if (strlen(text) != len) {
		scnprintf(why, sizeof(why), "a NUL byte in the input");
		err = -EINVAL;
	} else {
		err = mtk_request_parse(text, &req, why, sizeof(why));
	}

	/* Input is judged before presence, so a typo is reported as a typo on any host. */
	mutex_lock(&mtk.lock);
	if (err) {
		mtk_set_last_error("%s", why);
	} else if (!mtk.present) {
		mtk_set_last_error("memtalk not present (%s): nothing was sent", mtk.absent_why);
		err = -ENODEV;
	} else {
		err = mtk_apply(&req);
	}
	mutex_unlock(&mtk.lock);
	return err ? err : (ssize_t)len;
}

static int mtk_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, mtk_status_show, NULL);
}

static int mtk_budget_open(struct inode *inode, struct file *file)
{
	return mtk_view_open(file, mtk_fetch_budget, mtk_budget_show);
}

static int mtk_stats_open(struct inode *inode, struct file *file)
{
	return mtk_view_open(file, mtk_fetch_stats, mtk_stats_show);
}

static const struct file_operations mtk_status_fops = {
	.owner = THIS_MODULE,
	.open = mtk_status_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations mtk_budget_fops = {
	.owner = THIS_MODULE,
	.open = mtk_budget_open,
	.read = seq_read,
	.write = mtk_budget_write,
	.llseek = seq_lseek,
	.release = mtk_view_release,
};

static const struct file_operations mtk_stats_fops = {
	.owner = THIS_MODULE,
	.open = mtk_stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = mtk_view_release,
};

/*
 * /dev/membw_memtalk: one ioctl per call (include/membw/memtalk_dev.h, docs/memtalk.md "The
 * guest-agent API"). The calls and checks are the budget file's; the host's answer goes back in
 * the structure's status and detail, so each memtalk refusal reaches the caller as itself.
 */
union mtk_dev_arg {
	struct membw_memtalk_dev_info info; /* its first four fields are every structure's */
	struct membw_memtalk_dev_set set;
	struct membw_memtalk_dev_budget budget;
	struct membw_memtalk_dev_stats stats;
};

/* Largest structure a caller may pass (docs/memtalk.md §6.2): room for later versions' fields. */
#define MTK_DEV_SIZE_MAX 4096u

/* An ioctl number without its size bits: a later, larger structure keeps the command. */
#define MTK_IOC_NOSIZE(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/*
 * The command @cmd names, whatever structure size its number encodes (docs/memtalk.md §6.2), and
 * this driver's structure size for it in *@ksize; 0 for a command this device does not know.
 */
static unsigned int mtk_dev_command(unsigned int cmd, size_t *ksize)
{
	switch (MTK_IOC_NOSIZE(cmd)) {
	case MTK_IOC_NOSIZE(MEMBW_MEMTALK_IOC_INFO):
		*ksize = sizeof(struct membw_memtalk_dev_info);
		return MEMBW_MEMTALK_IOC_INFO;
	case MTK_IOC_NOSIZE(MEMBW_MEMTALK_IOC_SET_BUDGET):
		*ksize = sizeof(struct membw_memtalk_dev_set);
		return MEMBW_MEMTALK_IOC_SET_BUDGET;
	case MTK_IOC_NOSIZE(MEMBW_MEMTALK_IOC_GET_BUDGET):
		*ksize = sizeof(struct membw_memtalk_dev_budget);
		return MEMBW_MEMTALK_IOC_GET_BUDGET;
	case MTK_IOC_NOSIZE(MEMBW_MEMTALK_IOC_GET_STATS):
		*ksize = sizeof(struct membw_memtalk_dev_stats);
		return MEMBW_MEMTALK_IOC_GET_STATS;
	default:
		return 0;
	}
}

/*
 * After a guest call returned @err: 0 if it succeeded or the host refused it (the refusal, its
 * status and r1, into @a), -EIO if it failed without an answer. Called with the lock held.
 */
static int mtk_dev_answer(union mtk_dev_arg *a, int err, unsigned int calls_before)
{
	if (!err)
		return 0;
	if (mtk.calls == calls_before || !mtk.last_answer.r[0])
		return -EIO;
	a->info.status = (s64)mtk.last_answer.r[0];
	a->info.detail = mtk.last_answer.r[1];
	return 0;
}

/* The calls of @cmd, memtalk present. Called with the lock held. */
static int mtk_dev_call(unsigned int cmd, union mtk_dev_arg *a, const struct mtk_request *req)
{
	unsigned int before = mtk.calls, ch;
	struct mtk_view *v;
	int err;

	switch (cmd) {
	case MEMBW_MEMTALK_IOC_SET_BUDGET:
		err = mtk_dev_answer(a, mtk_apply(req), before);
		if (!err && !a->set.status) {
			/* SET_BUDGET's answer: r1, r2 = the budgets stored. */
			a->set.read_bps = mtk.last_answer.r[1];
			a->set.write_bps = mtk.last_answer.r[2];
		}
		return err;
	case MEMBW_MEMTALK_IOC_GET_BUDGET:
	case MEMBW_MEMTALK_IOC_GET_STATS:
		break;
	default:
		return -ENOTTY;
	}
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	if (cmd == MEMBW_MEMTALK_IOC_GET_STATS) {
		err = mtk_dev_answer(a, mtk_fetch_stats(v), before);
		if (!err && !a->stats.status) {
			a->stats.sequence = v->stats.sequence;
			a->stats.periods = v->stats.periods;
			a->stats.period_ns = v->stats.period_ns;
			a->stats.throttled_ns = v->stats.throttled_ns;
			a->stats.throttle_count = v->stats.throttle_count;
			a->stats.missed_periods = v->stats.missed_periods;
			for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
				a->stats.used_bytes[ch] = v->stats.used_bytes[ch];
				a->stats.allowance_bytes[ch] = v->stats.allowance_bytes[ch];
				a->stats.overshoot_bytes[ch] = v->stats.overshoot_bytes[ch];
			}
		}
	} else {
		err = mtk_dev_answer(a, mtk_fetch_budget(v), before);
		for (ch = 0; !err && !a->budget.status && ch < MEMBW_NCHANNELS; ch++) {
			a->budget.budget_bps[ch] = v->budget[ch].current_bps;
			a->budget.cap_bps[ch] = v->budget[ch].cap_bps;
			a->budget.floor_bps[ch] = v->budget[ch].floor_bps;
		}
	}
	kfree(v);
	return err;
}

static long mtk_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct mtk_request req = { 0 };
	union mtk_dev_arg a;
	size_t ksize = 0;
	char why[160];
	u32 usize;
	int err;

	cmd = mtk_dev_command(cmd, &ksize);
	if (!cmd)
		return -ENOTTY;
	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	/* Size-prefixed: older callers' structures are never smaller than v1's. */
	if (usize < ksize)
		return -EINVAL;
	if (usize > MTK_DEV_SIZE_MAX)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	/* A larger structure is a newer caller's: fine if what this driver does not know is 0. */
	err = copy_struct_from_user(&a, ksize, uarg, usize);
	if (err)
		return err;
	if (a.info.version != MEMBW_MEMTALK_DEV_VERSION)
		return -EPROTO;
	a.info.status = 0;
	a.info.detail = 0;
	if (cmd == MEMBW_MEMTALK_IOC_SET_BUDGET) {
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		/* Input is judged before presence, as the budget file does. */
		err = mtk_request_from_flags(a.set.flags, a.set.reserved, a.set.read_bps,
					     a.set.write_bps, &req, why, sizeof(why));
	}

	if (mutex_lock_interruptible(&mtk.lock))
		return -ERESTARTSYS;
	if (err) {
		mtk_set_last_error("%s", why);
	} else if (cmd == MEMBW_MEMTALK_IOC_INFO) {
		a.info.present = mtk.present;
		if (mtk.present) {
			a.info.host_version = mtk.guest.version;
			a.info.base = mtk.guest.base;
			a.info.functions = mtk.guest.functions;
		} else {
			strscpy(a.info.reason, mtk.absent_why, sizeof(a.info.reason));
		}
		strscpy(a.info.conduit, mtk.conduit.name, sizeof(a.info.conduit));
	} else if (!mtk.present) {
		mtk_set_last_error("memtalk not present (%s): nothing was sent", mtk.absent_why);
		err = -ENODEV;
	} else {
		err = mtk_dev_call(cmd, &a, &req);
	}
	mutex_unlock(&mtk.lock);
	if (err)
		return err;
	a.info.size = ksize;
	return copy_to_user(uarg, &a, ksize) ? -EFAULT : 0;
}

static const struct file_operations mtk_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = mtk_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * Mode 0660, owner root, group root: an administrator grants agents the device by its group (a
 * udev rule, docs/memtalk.md), so an agent needs no root.
 */
static struct miscdevice mtk_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MEMBW_MEMTALK_DEV_NAME,
	.fops = &mtk_dev_fops,
	.mode = 0660,
};

/* Why the probe said no, from what the hypervisor answered. Called with the lock held. */
static void mtk_explain_absence(int err)
{
	s64 status = (s64)mtk.last_answer.r[0];

	if (mtk_call_faults)
		scnprintf(mtk.absent_why, sizeof(mtk.absent_why),
			  "%s raised an undefined-instruction exception: CPUID.1:ECX[31] says a "
			  "hypervisor is there, but it does not trap %s",
			  mtk.conduit.name, mtk.conduit.name);
	else if (err == -MEMBW_EOPNOTSUPP)
		scnprintf(mtk.absent_why, sizeof(mtk.absent_why),
			  "the host speaks memtalk %llu.%llu; this driver speaks %u",
			  (mtk.last_answer.r[1] >> 16) & 0xffff, mtk.last_answer.r[1] & 0xffff,
			  MEMBW_MEMTALK_VERSION_MAJOR);
	else if (base == MEMBW_MEMTALK_BASE_AUTO && mtk.calls == 1 &&
		 status == MEMBW_MEMTALK_NOT_SUPPORTED)
		scnprintf(mtk.absent_why, sizeof(mtk.absent_why),
			  "the hypervisor answered Call UID with NOT_SUPPORTED over %s",
			  mtk.conduit.name);
	else if (base == MEMBW_MEMTALK_BASE_AUTO && mtk.calls == 1)
		scnprintf(mtk.absent_why, sizeof(mtk.absent_why),
			  "the vendor hypervisor range belongs to UID words %08x %08x %08x %08x, "
			  "not memtalk's; load with base= if that hypervisor gave memtalk a window",
			  (u32)mtk.last_answer.r[0], (u32)mtk.last_answer.r[1],
			  (u32)mtk.last_answer.r[2], (u32)mtk.last_answer.r[3]);
	else
		scnprintf(mtk.absent_why, sizeof(mtk.absent_why),
			  "VERSION at base %u answered status %lld without memtalk's magic",
			  base == MEMBW_MEMTALK_BASE_AUTO ? MEMBW_MEMTALK_BASE_DEFAULT : base, status);
}

static void mtk_probe(void)
{
	int err;

	mtk_conduit_detect(&mtk.conduit);
	if (!mtk.conduit.call) {
		strscpy(mtk.absent_why, mtk.conduit.why, sizeof(mtk.absent_why));
		return;
	}
	err = membw_memtalk_guest_probe(&mtk.guest, mtk_call, base);
	if (err) {
		mtk_explain_absence(err);
		return;
	}
	mtk.present = true;
}

static int __init mtk_init(void)
{
	struct dentry *dir;
	int err;

	if (base != MEMBW_MEMTALK_BASE_AUTO && base > MEMBW_MEMTALK_BASE_MAX) {
		pr_err("base=%u is out of range: 0..%u, or leave it unset to ask the hypervisor's "
		       "Call UID\n", base, MEMBW_MEMTALK_BASE_MAX);
		return -EINVAL;
	}
	mutex_init(&mtk.lock);
	strscpy(mtk.last_error, "none", sizeof(mtk.last_error));
	mutex_lock(&mtk.lock);
	mtk_probe();
	mutex_unlock(&mtk.lock);

	/* Not KBUILD_MODNAME: the test build (membw_memtalk_loopback) keeps the same files. */
	dir = debugfs_create_dir(MTK_DEBUGFS_DIR, NULL);
	if (IS_ERR(dir)) {
		pr_err("cannot create /sys/kernel/debug/%s (error %ld): is debugfs enabled and "
		       "not locked down? Is the other build of this driver loaded?\n",
		       MTK_DEBUGFS_DIR, PTR_ERR(dir));
		mutex_destroy(&mtk.lock);
		return PTR_ERR(dir);
	}
	mtk.dir = dir;
	debugfs_create_file("status", 0444, dir, NULL, &mtk_status_fops);
	debugfs_create_file("budget", 0644, dir, NULL, &mtk_budget_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &mtk_stats_fops);

	err = misc_register(&mtk_misc);
	if (err) {
		pr_err("cannot register /dev/%s (error %d): is the other build of this driver "
		       "loaded?\n", MEMBW_MEMTALK_DEV_NAME, err);
		debugfs_remove_recursive(dir);
		mutex_destroy(&mtk.lock);
		return err;
	}

	if (mtk.present)
		pr_info("memtalk present: version %u.%u, base %u, functions 0x%x, over %s\n",
			mtk.guest.version >> 16, mtk.guest.version & 0xffff, mtk.guest.base,
			mtk.guest.functions, mtk.conduit.name);
	else
		pr_info("memtalk not present (%s); writes to the budget file are refused\n",
			mtk.absent_why);
	return 0;
}

static void __exit mtk_exit(void)
{
	/* An open device holds the module (fops owner), so no ioctl is running or can start. */
	misc_deregister(&mtk_misc);
	/* Waits for readers and writers still inside the files before they go. */
	debugfs_remove_recursive(mtk.dir);
	mutex_destroy(&mtk.lock);
}

module_init(mtk_init);
module_exit(mtk_exit);

MODULE_DESCRIPTION("memtalk guest driver: ask the hypervisor for memory bandwidth");
MODULE_LICENSE("Dual MIT/GPL");
