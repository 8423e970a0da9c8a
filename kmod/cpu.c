// SPDX-License-Identifier: MIT
/*
 * Per-CPU lifecycle (CPU hotplug callbacks, which also run for every CPU at load and rmmod), the
 * period timer, the overflow handler and cross-CPU kicks.
 */
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/perf_event.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>

#include "kmembw.h"

static void start_timer(struct kmembw_cpu *pc, u64 next_ns)
{
	pc->next_tick_ns = next_ns;
	hrtimer_start(&pc->timer, ns_to_ktime(next_ns), HRTIMER_MODE_ABS_PINNED_HARD);
}

/* Statistics for the overhead benchmark: two clock reads per call, written only by this CPU. */
static void account_handler(struct kmembw_cpu *pc, u64 start)
{
	WRITE_ONCE(pc->handler_ns, pc->handler_ns + (ktime_get_ns() - start));
	WRITE_ONCE(pc->handler_calls, pc->handler_calls + 1);
}

static enum hrtimer_restart period_timer(struct hrtimer *timer)
{
	struct kmembw_cpu *pc = container_of(timer, struct kmembw_cpu, timer);
	u64 now = ktime_get_ns();
	u64 next = now + kmembw.period_ns;
	int err;

	err = membw_tick(kmembw.m, pc->cpu, now, &next);
	if (err == -MEMBW_ENODEV || err == -MEMBW_EINVAL)
		return HRTIMER_NORESTART;
	pc->next_tick_ns = next;
	account_handler(pc, now);
	hrtimer_set_expires(timer, ns_to_ktime(next));
	return HRTIMER_RESTART;
}

static void overflow_now(struct kmembw_cpu *pc, unsigned int channel)
{
	u64 now = ktime_get_ns();

	pc->in_handler |= 1u << channel;
	membw_overflow(kmembw.m, pc->cpu, now);
	pc->in_handler &= ~(1u << channel);
	account_handler(pc, now);
}

/*
 * perf calls this from the PMU interrupt: a hard irq on arm64 (no pseudo-NMI), an NMI on x86, the
 * event's hrtimer for cpu-clock. In an NMI the policy must not run (it could have interrupted this
 * CPU's own timer tick, and the clock read and wake-up it needs are not NMI-safe): defer to a hard
 * irq_work, which runs as soon as the NMI returns.
 */
static void overflow_handler(struct perf_event *ev, struct perf_sample_data *data,
			     struct pt_regs *regs)
{
	struct kmembw_cpu *pc = this_cpu_ptr(kmembw.pcpu);

	(void)data;
	(void)regs;
	if (in_nmi()) {
		irq_work_queue(&pc->overflow_work);
		return;
	}
	overflow_now(pc, (unsigned int)(uintptr_t)ev->overflow_handler_context);
}

static void overflow_deferred(struct irq_work *work)
{
	struct kmembw_cpu *pc = container_of(work, struct kmembw_cpu, overflow_work);
	u64 now = ktime_get_ns();

	membw_overflow(kmembw.m, pc->cpu, now);
	account_handler(pc, now);
}

static void kick_here(struct kmembw_cpu *pc)
{
	u64 next = pc->next_tick_ns;

	if (!pc->online)
		return;
	WRITE_ONCE(pc->kicks, pc->kicks + 1);
	if (membw_kick(kmembw.m, pc->cpu, ktime_get_ns(), &next) == 0 && next != pc->next_tick_ns)
		start_timer(pc, next);
}

static void kick_irq_work(struct irq_work *work)
{
	kick_here(container_of(work, struct kmembw_cpu, kick_self));
}

static void kick_ipi(void *info)
{
	kick_here(info);
}

/* env.kick_all: called from an entry point (hard irq, interrupts off). Our own CPU is kicked
 * through irq_work (after the entry point returns), the others by an asynchronous IPI; an IPI
 * still in flight from an earlier kick serves this one too. */
void kmembw_kick_all(void *ctx, unsigned int from_cpu)
{
	unsigned int cpu;

	(void)ctx;
	for_each_online_cpu(cpu) {
		struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

		if (!READ_ONCE(pc->online))
			continue;
		if (cpu == from_cpu)
			irq_work_queue(&pc->kick_self);
		else
			smp_call_function_single_async(cpu, &pc->kick_csd);
	}
}

void kmembw_cpu_init_percpu(struct kmembw_cpu *pc, unsigned int cpu)
{
	pc->cpu = cpu;
	hrtimer_init(&pc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_HARD);
	pc->timer.function = period_timer;
	pc->overflow_work = IRQ_WORK_INIT_HARD(overflow_deferred);
	pc->kick_self = IRQ_WORK_INIT_HARD(kick_irq_work);
	INIT_CSD(&pc->kick_csd, kick_ipi, pc);
}

/* The nudge event's only job is to make QEMU look at the counters (perf_backend.c). */
static void nudge_handler(struct perf_event *ev, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	(void)ev;
	(void)data;
	(void)regs;
}

static void release_events(struct kmembw_cpu *pc)
{
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (pc->ev[ch])
			perf_event_release_kernel(pc->ev[ch]);
		if (pc->nudge[ch])
			perf_event_release_kernel(pc->nudge[ch]);
		pc->ev[ch] = NULL;
		pc->nudge[ch] = NULL;
	}
}

static int create_events(struct kmembw_cpu *pc)
{
	unsigned int ch;

	for (ch = 0; ch < kmembw.nchannels; ch++) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&kmembw.attr[ch], pc->cpu, NULL,
						      overflow_handler, (void *)(uintptr_t)ch);
		if (IS_ERR(ev)) {
			pr_err(KMEMBW_NAME ": cpu%u: cannot create the %s event '%s' (error %ld)\n",
			       pc->cpu, ch ? "write" : "read", kmembw.event_name[ch], PTR_ERR(ev));
			release_events(pc);
			return (int)PTR_ERR(ev);
		}
		pc->ev[ch] = ev;
		if (!kmembw.nudge || kmembw.hrtimer_event[ch])
			continue;
		ev = perf_event_create_kernel_counter(&kmembw.attr[ch], pc->cpu, NULL,
						      nudge_handler, NULL);
		if (IS_ERR(ev)) {
			pr_err(KMEMBW_NAME ": cpu%u: cannot create the qemu_nudge event (error %ld)\n",
			       pc->cpu, PTR_ERR(ev));
			release_events(pc);
			return (int)PTR_ERR(ev);
		}
		pc->nudge[ch] = ev;
	}
	return 0;
}

/* CPU hotplug "online" callback; runs on @cpu in its hotplug thread (sleepable). */
int kmembw_cpu_up(unsigned int cpu)
{
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);
	u64 next = 0;
	int err;

	if (cpu >= kmembw.ncpus)
		return 0;
	err = create_events(pc);
	if (err)
		return err;
	err = kmembw_throttle_start(pc);
	if (err) {
		release_events(pc);
		return err;
	}
	local_irq_disable();
	err = membw_cpu_online(kmembw.m, cpu, ktime_get_ns(), &next);
	if (!err) {
		WRITE_ONCE(pc->online, true);
		start_timer(pc, next);
	}
	local_irq_enable();
	if (err) {
		pr_err(KMEMBW_NAME ": cpu%u: the policy refused the CPU: %s\n", cpu,
		       membw_strerror(err));
		kmembw_throttle_stop(pc);
		release_events(pc);
	}
	return err;
}

/*
 * CPU hotplug "offline" callback (also rmmod), on @cpu in its hotplug thread. The policy releases
 * the CPU (unthrottle) before membw_cpu_offline() returns; from then on nothing re-arms.
 */
int kmembw_cpu_down(unsigned int cpu)
{
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

	if (cpu >= kmembw.ncpus || !pc->online)
		return 0;
	local_irq_disable();
	WRITE_ONCE(pc->online, false);
	membw_cpu_offline(kmembw.m, cpu, ktime_get_ns());
	local_irq_enable();
	hrtimer_cancel(&pc->timer);
	release_events(pc);
	irq_work_sync(&pc->overflow_work);
	irq_work_sync(&pc->kick_self);
	kmembw_throttle_stop(pc);
	return 0;
}
