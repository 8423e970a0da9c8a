// SPDX-License-Identifier: MIT
/*
 * The counter backend of membw.ko: kernel perf events, one per channel per CPU, created by cpu.c
 * in sleepable context before the policy takes the CPU.
 *
 * Counting model offered to the policy: a 64-bit counter that arm(n) presets to 2^64 - n. perf
 * keeps a cumulative 64-bit count per event; we remember the count at each arm and report
 * count - count_at_arm - n. The count at arm time is exact because the event is stopped while it
 * is re-armed.
 *
 * "Interrupt after n more events": what perf_event_period() does, done by hand because that
 * function takes the context lock and may send an IPI, which is forbidden in the PMU interrupt
 * (an NMI on x86) and in our hard-irq timer: on the local CPU with interrupts off,
 *   pmu->stop(PERF_EF_UPDATE); hw.sample_period = n; hw.period_left = 0; pmu->start(PERF_EF_RELOAD)
 * A zero period_left makes the PMU driver (arm_pmu's armpmu_event_set_period, x86's
 * x86_perf_event_set_period) load sample_period afresh, so the n-th event from now overflows.
 * Inside an overflow handler this also replaces the period the driver has just reloaded before
 * calling the handler. Drivers clamp periods longer than the counter to several wraps and only
 * report the last one, so arming 2^63 events (the policy's "count only") is fine.
 *
 * Exception: cpu-clock is driven by an hrtimer whose callback runs the overflow handler. Stopping
 * that event from its own handler cancels the hrtimer that is running the handler and hangs
 * (seen on 6.1, docs/linux-kernel.md#linux-cpu-clock-hang). There, arm() only sets
 * hw.sample_period: the callback forwards its timer by sample_period after the handler returns
 * (perf_swevent_hrtimer), so the next interrupt comes n nanoseconds later, as wanted. Outside its
 * handler cpu-clock is re-armed like any other event.
 *
 * QEMU (qemu_nudge=1, tests only): QEMU's PMU raises an event counter's overflow interrupt not at
 * the wrap but at the next PMU register access or exception-level change
 * (docs/qemu.md#qemu-late-overflow), which in a kernel means the next interrupt, often our own
 * period tick, up to a whole period late. QEMU re-checks every counter when the overflow it
 * predicted for any counter is due, so a second event on the same code and filter, armed one event
 * later, makes it notice the first one's wrap one event late. Never needed on hardware; without it
 * the lateness shows up, unhidden, as overshoot in the statistics.
 */
#include <linux/cache.h>
#include <linux/perf_event.h>
#include <linux/smp.h>

#include "kmembw.h"

/*
 * Longest period handed to perf. cpu-clock turns its period into a ktime_t (signed nanoseconds):
 * the policy's "count only" arm (up to 2^63 events) would wrap negative and fire at once, again
 * and again. 2^62 events is more than a century of any event, so nothing else changes: the policy
 * still computes with the n it asked for.
 */
#define PERF_PERIOD_MAX (1ull << 62)

struct perf_priv {
	struct perf_event *ev[MEMBW_NCHANNELS];
	struct perf_event *nudge[MEMBW_NCHANNELS];
	u64 count_at_arm[MEMBW_NCHANNELS];
	u64 armed[MEMBW_NCHANNELS];
	unsigned int cpu;
};

static bool event_here(const struct perf_event *ev)
{
	return ev && ev->state == PERF_EVENT_STATE_ACTIVE && ev->oncpu == smp_processor_id();
}

static u64 event_count(struct perf_event *ev)
{
	ev->pmu->read(ev);
	return local64_read(&ev->count);
}

static int perf_probe(void *ctx, struct membw_backend_info *info)
{
	struct kmembw *k = ctx;

	info->channels = k->nchannels;
	info->counter_bits = 64;
	info->line_size = k->line_size;
	info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	/* The overflow interrupt is taken some instructions after the event (skid, NMI or irq_work
	 * deferral): the policy charges what was counted past the arm point as overshoot. */
	info->caps = MEMBW_CAP_LATE_OVERFLOW;
#ifdef CONFIG_ARM64
	info->caps |= MEMBW_CAP_LINE_SIZE_PROBED;
#endif
	return 0;
}

static int perf_cpu_init(void *ctx, unsigned int cpu, void *priv,
			 const struct membw_counter_setup *setup)
{
	struct kmembw *k = ctx;
	struct kmembw_cpu *pc = per_cpu_ptr(k->pcpu, cpu);
	struct perf_priv *p = priv;
	unsigned int ch;

	/* Levels and events were put into the perf attributes when the events were created. */
	(void)setup;
	p->cpu = cpu;
	for (ch = 0; ch < k->nchannels; ch++) {
		if (!event_here(pc->ev[ch]))
			return -MEMBW_ENODEV;
		p->ev[ch] = pc->ev[ch];
		p->nudge[ch] = event_here(pc->nudge[ch]) ? pc->nudge[ch] : NULL;
		p->armed[ch] = 0;
		p->count_at_arm[ch] = event_count(pc->ev[ch]);
	}
	return 0;
}

static void rearm(struct perf_event *ev, u64 events)
{
	ev->pmu->stop(ev, PERF_EF_UPDATE);
	ev->hw.sample_period = min_t(u64, events, PERF_PERIOD_MAX);
	local64_set(&ev->hw.period_left, 0);
	ev->pmu->start(ev, PERF_EF_RELOAD);
}

static int perf_arm(void *priv, unsigned int channel, uint64_t events)
{
	struct perf_priv *p = priv;
	struct perf_event *ev = p->ev[channel];
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, p->cpu);

	if (!event_here(ev))
		return -MEMBW_EIO;
	if (kmembw.hrtimer_event[channel] && (pc->in_handler & (1u << channel))) {
		p->count_at_arm[channel] = event_count(ev);
		p->armed[channel] = events;
		ev->hw.sample_period = min_t(u64, events, PERF_PERIOD_MAX);
		return 0;
	}
	ev->pmu->stop(ev, PERF_EF_UPDATE);
	p->count_at_arm[channel] = local64_read(&ev->count);
	p->armed[channel] = events;
	ev->hw.sample_period = min_t(u64, events, PERF_PERIOD_MAX);
	local64_set(&ev->hw.period_left, 0);
	ev->pmu->start(ev, PERF_EF_RELOAD);
	if (p->nudge[channel] && event_here(p->nudge[channel]))
		rearm(p->nudge[channel], events + 1);
	return 0;
}

static int perf_read(void *priv, unsigned int channel, uint64_t *value)
{
	struct perf_priv *p = priv;
	struct perf_event *ev = p->ev[channel];

	if (!event_here(ev))
		return -MEMBW_EIO;
	*value = event_count(ev) - p->count_at_arm[channel] - p->armed[channel];
	return 0;
}

static void perf_stop(void *priv, unsigned int channel)
{
	struct perf_priv *p = priv;
	struct perf_event *ev = p->ev[channel];

	/* Called from membw_cpu_offline(), never from the event's own handler. */
	if (event_here(ev))
		ev->pmu->stop(ev, PERF_EF_UPDATE);
	if (event_here(p->nudge[channel]))
		p->nudge[channel]->pmu->stop(p->nudge[channel], PERF_EF_UPDATE);
	p->armed[channel] = 0;
}

const struct membw_backend membw_kperf_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "kperf",
	.priv_size = sizeof(struct perf_priv),
	.probe = perf_probe,
	.cpu_init = perf_cpu_init,
	.arm = perf_arm,
	.read = perf_read,
	.stop = perf_stop,
};
