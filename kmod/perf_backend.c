// SPDX-License-Identifier: MIT
/*
 * The counter backend of membw.ko: kernel perf events, one per channel per CPU, created by cpu.c
 * in sleepable context before the policy takes the CPU.
 *
 * Counting model offered to the policy: a 64-bit counter that arm(n) presets to 2^64 - n. perf
 * keeps a cumulative 64-bit count per event; we remember the count at each arm and report
 * count - count_at_arm - n (backends/perf/emulated_counter.h, shared with the userspace perf
 * backend). The count at arm time is exact because the event is stopped while it is re-armed.
 *
 * rearm(n), the fused read-and-re-arm: the base becomes the cumulative count the channel's last
 * read saw, so the events between that read and the rearm stay counted (arm drops them); the
 * hardware period is set to the events still left to the arm point (1 if it was passed: the
 * interrupt comes with the next event, not at once). The cumulative count is never reset, so
 * nothing is lost between the read and the stop; what remains uncounted is what the stopped
 * counter misses between pmu->stop and pmu->start (a few instructions of our own, on this CPU
 * with interrupts off), the same window as arm's.
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
#include "backends/perf/emulated_counter.h"

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
	struct emulated_counter ec[MEMBW_NCHANNELS];
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
		emulated_counter_arm(&p->ec[ch], event_count(pc->ev[ch]), 0);
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

/*
 * arm() (@from_last_read false: the @events-th event from now) and rearm() (true: the @events-th
 * event after the last read, see the top of this file) share everything but where the emulated
 * counter's base is: the hardware period is the events left to the arm point (at least 1, at
 * most PERF_PERIOD_MAX; for arm() that is @events, which backend.h keeps >= 1).
 */
static int program(struct perf_priv *p, unsigned int channel, uint64_t events,
		   bool from_last_read)
{
	struct perf_event *ev = p->ev[channel];
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, p->cpu);
	struct emulated_counter *ec = &p->ec[channel];
	bool in_handler;
	u64 count;

	if (!event_here(ev))
		return -MEMBW_EIO;
	in_handler = kmembw.hrtimer_event[channel] && (pc->in_handler & (1u << channel));
	if (!in_handler)
		ev->pmu->stop(ev, PERF_EF_UPDATE);
	count = in_handler ? event_count(ev) : local64_read(&ev->count);
	if (from_last_read)
		emulated_counter_rearm(ec, events);
	else
		emulated_counter_arm(ec, count, events);
	ev->hw.sample_period = clamp_t(u64, emulated_counter_left(ec, count), 1, PERF_PERIOD_MAX);
	if (in_handler)
		return 0;
	local64_set(&ev->hw.period_left, 0);
	ev->pmu->start(ev, PERF_EF_RELOAD);
	if (p->nudge[channel] && event_here(p->nudge[channel]))
		rearm(p->nudge[channel], ev->hw.sample_period + 1);
	return 0;
}

static int perf_arm(void *priv, unsigned int channel, uint64_t events)
{
	return program(priv, channel, events, false);
}

static int perf_rearm(void *priv, unsigned int channel, uint64_t events)
{
	return program(priv, channel, events, true);
}

static int perf_read(void *priv, unsigned int channel, uint64_t *value)
{
	struct perf_priv *p = priv;
	struct perf_event *ev = p->ev[channel];

	if (!event_here(ev))
		return -MEMBW_EIO;
	*value = emulated_counter_read(&p->ec[channel], event_count(ev));
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
	emulated_counter_disarm(&p->ec[channel]);
}

/*
 * The policy is done with the CPU (membw_cpu_offline(), interrupts off): the backend lets go of
 * the events. Releasing them (perf_event_release_kernel) sleeps, so cpu.c does it afterwards,
 * with interrupts on; from here on nothing in the backend can reach them.
 */
static void perf_cpu_exit(void *ctx, uint32_t cpu, void *priv)
{
	struct perf_priv *p = priv;
	unsigned int ch;

	(void)ctx;
	(void)cpu;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		p->ev[ch] = NULL;
		p->nudge[ch] = NULL;
		emulated_counter_disarm(&p->ec[ch]);
	}
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
	.cpu_exit = perf_cpu_exit,
	.rearm = perf_rearm,
};
