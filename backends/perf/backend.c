/* SPDX-License-Identifier: MIT */
/*
 * The perf_event backend's hooks: probe, cpu_init, arm, read, stop, cpu_exit, rearm (see perf_backend.h for the
 * counting model and why the kernel's sample period is never changed after the counter is
 * opened).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perf_backend.h"

static int fd_of(const struct perf_cpu_priv *p, unsigned int ch)
{
	return ch < MEMBW_NCHANNELS ? p->fd[ch] - 1 : -1;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* What the kernel's errno means to someone running membw. */
static int explain_open_error(int err, const struct perf_event_choice *ev, char *why, size_t len)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case EOPNOTSUPP:
		if (ev->software) {
			snprintf(why, len, "the kernel does not count %s (errno %d)", ev->name, err);
		} else {
			snprintf(why, len,
				 "%s needs a hardware PMU, and this machine has none the kernel can use "
				 "(no 'cpu' or armv8 PMU in /sys/bus/event_source/devices: a VM "
				 "without a virtual PMU?); the software event page-faults (1 event = 1 "
				 "page of fresh memory) works instead: --event page-faults",
				 ev->name);
		}
		return -MEMBW_ENODEV;
	case EACCES:
	case EPERM:
		snprintf(why, len,
			 "not permitted to count %s: kernel-mode counting and per-CPU counting need "
			 "root or CAP_PERFMON, or kernel.perf_event_paranoid lowered (see "
			 "/proc/sys/kernel/perf_event_paranoid); --user-only counts user mode only",
			 ev->name);
		return -MEMBW_EPERM;
	case ESRCH:
		snprintf(why, len, "the task to count is gone");
		return -MEMBW_ENOENT;
	case EINVAL:
		snprintf(why, len, "the kernel refused the settings for %s (errno EINVAL: an "
			 "unsupported filter or a bad raw code?)", ev->name);
		return -MEMBW_EINVAL;
	default:
		snprintf(why, len, "perf_event_open for %s failed: %s", ev->name, strerror(err));
		return -MEMBW_EIO;
	}
}

static void fill_attr(struct perf_event_attr *a, const struct perf_event_choice *ev,
		      uint32_t levels, uint64_t period, bool inherit)
{
	*a = ev->attr;
	a->size = sizeof(*a);
	a->disabled = 1;
	a->inherit = inherit;
	a->sample_period = period;
	a->sample_type = 0;
	a->wakeup_events = 1;
	a->exclude_user = !(levels & MEMBW_COUNT_USER);
	a->exclude_kernel = !(levels & MEMBW_COUNT_KERNEL);
	a->exclude_hv = !(levels & MEMBW_COUNT_HYP);
}

int perf_event_try_open(const struct perf_event_choice *ev, uint32_t levels, char *why,
			size_t len)
{
	struct perf_event_attr a;
	int fd;

	fill_attr(&a, ev, levels, 0, false);
	fd = perf_open(&a, 0, -1);
	if (fd < 0)
		return explain_open_error(errno, ev, why, len);
	close(fd);
	if (len)
		why[0] = '\0';
	return 0;
}

static int perf_probe(void *vctx, struct membw_backend_info *info)
{
	struct perf_backend_ctx *ctx = vctx;
	struct perf_event_attr a;
	uint32_t ch;
	int fd;

	if (!ctx || !info || ctx->channels < 1 || ctx->channels > MEMBW_NCHANNELS ||
	    ctx->sample_period == 0 || (ctx->pid < 0 && ctx->cpu < 0))
		return -MEMBW_EINVAL;
	ctx->why[0] = '\0';
	for (ch = 0; ch < ctx->channels; ch++) {
		if (ctx->event[ch].line_size != ctx->event[0].line_size) {
			snprintf(ctx->why, sizeof(ctx->why),
				 "the read and write events stand for different byte counts (%u "
				 "and %u bytes per event); pick two of the same kind",
				 ctx->event[0].line_size, ctx->event[ch].line_size);
			return -MEMBW_EINVAL;
		}
		/* Opening the real counter, disabled, is the only test the kernel answers exactly. */
		fill_attr(&a, &ctx->event[ch], MEMBW_COUNT_USER, 1, ctx->inherit);
		fd = perf_open(&a, ctx->pid, ctx->cpu);
		if (fd < 0)
			return explain_open_error(errno, &ctx->event[ch], ctx->why,
						  sizeof(ctx->why));
		close(fd);
	}
	if (info->size >= sizeof(*info)) {
		info->channels = ctx->channels;
		info->counter_bits = PERF_COUNTER_BITS;
		info->line_size = ctx->event[0].line_size;
		info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
		info->caps = MEMBW_CAP_LATE_OVERFLOW | MEMBW_CAP_LINE_SIZE_PROBED;
	}
	return 0;
}

static int route_signal(int fd, const struct perf_backend_ctx *ctx)
{
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = ctx->owner_tid };

	if (ctx->signal == 0)
		return 0;
	if (fcntl(fd, F_SETOWN_EX, &owner) || fcntl(fd, F_SETSIG, ctx->signal) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC | O_NONBLOCK))
		return -1;
	return 0;
}

/* Close @vpriv's counters: a failed cpu_init, and cpu_exit. */
static void close_counters(void *vpriv)
{
	struct perf_cpu_priv *p = vpriv;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (p->fd[ch] > 0)
			close(p->fd[ch] - 1);
		p->fd[ch] = 0;
		p->running[ch] = false;
		emulated_counter_disarm(&p->ec[ch]);
		p->raised[ch] = false;
	}
}

static int perf_cpu_init(void *vctx, unsigned int cpu, void *vpriv,
			 const struct membw_counter_setup *setup)
{
	struct perf_backend_ctx *ctx = vctx;
	struct perf_cpu_priv *p = vpriv;
	struct perf_event_attr a;
	uint32_t ch;
	int fd, err;

	(void)cpu; /* one policy CPU stands for the task tree or the one CPU in ctx */
	for (ch = 0; ch < ctx->channels; ch++) {
		fill_attr(&a, &ctx->event[ch], setup->levels, ctx->sample_period, ctx->inherit);
		fd = perf_open(&a, ctx->pid, ctx->cpu);
		if (fd < 0) {
			err = explain_open_error(errno, &ctx->event[ch], ctx->why, sizeof(ctx->why));
			close_counters(p);
			return err == -MEMBW_EPERM || err == -MEMBW_EINVAL ? -MEMBW_EOPNOTSUPP : err;
		}
		p->fd[ch] = fd + 1;
		if (route_signal(fd, ctx)) {
			snprintf(ctx->why, sizeof(ctx->why), "cannot route overflow signals: %s",
				 strerror(errno));
			close_counters(p);
			return -MEMBW_ENODEV;
		}
		p->running[ch] = false;
	}
	return 0;
}

int perf_backend_count(const void *vpriv, unsigned int ch, uint64_t *count)
{
	int fd = fd_of(vpriv, ch);
	uint64_t v;

	if (fd < 0 || read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return -MEMBW_EIO;
	*count = v;
	return 0;
}

static int start(struct perf_cpu_priv *p, unsigned int ch, int fd)
{
	if (!p->running[ch]) {
		/* ENABLE reaches the inherited copies too (perf_event_for_each_child). */
		if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
			return -MEMBW_EIO;
		p->running[ch] = true;
	}
	return 0;
}

static int perf_arm(void *vpriv, unsigned int ch, uint64_t events)
{
	struct perf_cpu_priv *p = vpriv;
	uint64_t c;
	int fd = fd_of(p, ch);

	if (fd < 0 || events == 0 || perf_backend_count(p, ch, &c))
		return -MEMBW_EIO;
	emulated_counter_arm(&p->ec[ch], c, events);
	p->raised[ch] = false;
	return start(p, ch, fd);
}

/*
 * Counting from the last read: the base becomes the kernel count that read saw (the count keeps
 * running in the kernel; nothing is reset), so the events between that read and now count toward
 * the new arm point, none twice. No system call: the fixed sample period keeps signalling, and
 * perf_backend_overflow_due() reports the arm point at the first signal past it.
 */
static int perf_rearm(void *vpriv, unsigned int ch, uint64_t events)
{
	struct perf_cpu_priv *p = vpriv;
	int fd = fd_of(p, ch);

	if (fd < 0 || events == 0 || !p->running[ch])
		return -MEMBW_EIO;
	emulated_counter_rearm(&p->ec[ch], events);
	p->raised[ch] = false;
	return 0;
}

static int perf_read(void *vpriv, unsigned int ch, uint64_t *value)
{
	struct perf_cpu_priv *p = vpriv;
	uint64_t c;

	if (fd_of(p, ch) < 0)
		return -MEMBW_EIO;
	if (!p->running[ch]) {
		*value = p->frozen[ch];
		return 0;
	}
	if (perf_backend_count(p, ch, &c))
		return -MEMBW_EIO;
	/* 2^64 - n + k, by unsigned wrap-around. */
	*value = emulated_counter_read(&p->ec[ch], c);
	return 0;
}

static void perf_stop(void *vpriv, unsigned int ch)
{
	struct perf_cpu_priv *p = vpriv;
	uint64_t v;
	int fd = fd_of(p, ch);

	if (fd < 0)
		return;
	if (p->running[ch] && perf_read(p, ch, &v) == 0)
		p->frozen[ch] = v;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	p->running[ch] = false;
	emulated_counter_disarm(&p->ec[ch]);
	p->raised[ch] = false;
}

int perf_backend_overflow_due(void *vpriv, unsigned int ch)
{
	struct perf_cpu_priv *p = vpriv;
	uint64_t c;

	if (ch >= MEMBW_NCHANNELS || !p->running[ch] || p->ec[ch].armed == 0 || p->raised[ch])
		return 0;
	if (perf_backend_count(p, ch, &c))
		return -MEMBW_EIO;
	if (!emulated_counter_reached(&p->ec[ch], c))
		return 0;
	p->raised[ch] = true;
	return 1;
}

int perf_backend_fd(const void *vpriv, unsigned int ch)
{
	return fd_of(vpriv, ch);
}

static void perf_cpu_exit(void *vctx, uint32_t cpu, void *vpriv)
{
	(void)vctx;
	(void)cpu;
	close_counters(vpriv);
}

const struct membw_backend membw_perf_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "perf",
	.priv_size = sizeof(struct perf_cpu_priv),
	.probe = perf_probe,
	.cpu_init = perf_cpu_init,
	.arm = perf_arm,
	.read = perf_read,
	.stop = perf_stop,
	.cpu_exit = perf_cpu_exit,
	.rearm = perf_rearm,
};
