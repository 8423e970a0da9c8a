// SPDX-License-Identifier: MIT
/*
 * Throttling: a SCHED_FIFO kernel thread per CPU that, while the policy holds the CPU, stays the
 * running task (so no normal task and no lower-priority real-time task is scheduled there) and
 * waits for interrupts with the CPU's own idle instruction (WFI on arm64, STI;HLT on x86) instead
 * of spinning.
 *
 * Why this and not the alternatives (measured and documented in kmod/README.md):
 * - MemGuard's thread spins in a loop: the CPU burns power and, under a hypervisor, host time.
 * - Sleeping (schedule_timeout) lets every other task run: no throttling at all.
 * - play_idle_precise() (the kernel's idle injection) enters real cpuidle states, but idles for a
 *   fixed duration and cannot be ended early, so spare-sharing releases, proportional restarts,
 *   hotplug and rmmod would wait for the end of the slice.
 * Here every interrupt wakes the CPU (the period timer, the scheduler tick, IPIs), the thread
 * re-checks the hold and goes back to sleep once released, so a release takes effect at the
 * interrupt that decided it.
 *
 * Limits: only the shallowest idle state (WFI/HLT), never deeper cpuidle states; the time is
 * accounted as system time of the thread, not as idle; real-time tasks above the thread's
 * priority (sched_set_fifo: 50) still run, which is how a real-time task is exempted; the kernel's
 * RT throttling (sched_rt_runtime_us, 95% by default) lets normal tasks run 5% of each second even
 * on a CPU held throughout, so budgets below 5% of a CPU need sched_rt_runtime_us = -1; kernel
 * threads bound to a held CPU (kworkers, the CPU-hotplug thread) wait for the next period too.
 *
 * The hold floor (hold_floor_us, kmod/README.md "The hold floor"): no hold lasts longer than
 * period - floor without a free slice of floor in which the thread sleeps, so a zero budget can
 * never lock the shell or a kill out of a CPU. The extra running time this allows a regulated CPU
 * is at most hold_floor_us per period.
 */
#include <linux/debugfs.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>

#include "kmembw.h"

/* Wait for an interrupt with interrupts masked at the CPU: a pending one ends the wait without
 * being taken, so a release signalled just before the wait cannot be missed. Returns with
 * interrupts enabled. */
static void wait_for_interrupt(void)
{
#if defined(CONFIG_X86)
	safe_halt();
#elif defined(CONFIG_ARM64)
	dsb(sy);
	wfi();
	local_irq_enable();
#else
#error "membw.ko: add this architecture's wait-for-interrupt instruction to kmod/throttle.c"
#endif
}

/* arm64 with GIC priority masking (pseudo-NMI) masks interrupts in the GIC, and a WFI would then
 * not wake up. Debian's kernels are built without it; refuse to load where it is on. */
int kmembw_throttle_supported(void)
{
#if defined(CONFIG_ARM64) && defined(CONFIG_ARM64_PSEUDO_NMI)
	if (system_uses_irq_prio_masking())
		return -EOPNOTSUPP;
#endif
	return 0;
}

/*
 * The cap timer, on the held CPU (pinned): marks the hold as having reached the cap, and its
 * interrupt ends the hold's WFI/HLT, so hold_cpu() sees the mark without reading the clock.
 */
static enum hrtimer_restart cap_expired(struct hrtimer *timer)
{
	WRITE_ONCE(container_of(timer, struct kmembw_cpu, cap_timer)->cap_reached, true);
	return HRTIMER_NORESTART;
}

/*
 * Hold the CPU while the policy says so, but never longer than kmembw.hold_cap_ns at a stretch
 * (period - hold_floor_us; kmod/README.md "The hold floor"): a hold that reaches the cap ends with
 * a free slice of hold_floor_us in which the thread sleeps and every other task may run, then the
 * hold resumes if it is still on. Returns with interrupts enabled.
 */
static void hold_cpu(struct kmembw_cpu *pc)
{
	u64 cap = kmembw.hold_cap_ns;
	u64 start, end;
	bool capped = false;

	/* Start holding with interrupts off, so that a release cannot fall between the check and the
	 * "holding" mark: every decided throttle is then either held or released unheld, not both. */
	local_irq_disable();
	if (!READ_ONCE(pc->hold)) {
		local_irq_enable();
		return;
	}
	WRITE_ONCE(pc->holding, true);
	WRITE_ONCE(pc->holds, pc->holds + 1);
	WRITE_ONCE(pc->cap_reached, false);
	start = ktime_get_ns();
	if (cap)
		hrtimer_start(&pc->cap_timer, ns_to_ktime(start + cap), HRTIMER_MODE_ABS_PINNED_HARD);
	local_irq_enable();
	while (READ_ONCE(pc->hold) && !kthread_should_stop()) {
		local_irq_disable();
		if (READ_ONCE(pc->cap_reached)) {
			local_irq_enable();
			capped = true;
			break;
		}
		if (READ_ONCE(pc->hold) && !need_resched()) {
			wait_for_interrupt();
			WRITE_ONCE(pc->hold_wakeups, pc->hold_wakeups + 1);
		} else {
			local_irq_enable();
		}
		/* Lets a higher-priority real-time task run, and reports an RCU quiescent state. */
		cond_resched();
	}
	if (cap)
		hrtimer_cancel(&pc->cap_timer);
	/* A hold cut at the cap stays "holding" through its free slice (the thread took it). */
	if (!capped) {
		local_irq_disable();
		WRITE_ONCE(pc->holding, false);
		local_irq_enable();
	}
	end = ktime_get_ns();
	WRITE_ONCE(pc->held_ns, pc->held_ns + (end - start));
	if (capped) {
		pc->free_until_ns = end + kmembw.hold_floor_ns;
		WRITE_ONCE(pc->free_slices, pc->free_slices + 1);
	}
}

static int throttle_thread(void *data)
{
	struct kmembw_cpu *pc = data;
	bool woken = false;

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!READ_ONCE(pc->hold)) {
			WRITE_ONCE(pc->holding, false);
			if (woken)
				WRITE_ONCE(pc->empty_wakeups, pc->empty_wakeups + 1);
			schedule();
			woken = true;
			continue;
		}
		woken = false;
		if (ktime_get_ns() < pc->free_until_ns) {
			/* In a free slice: a throttle's wake-up ends this sleep early; sleep again for
			 * the rest of the slice. */
			ktime_t until = ns_to_ktime(pc->free_until_ns);

			schedule_hrtimeout(&until, HRTIMER_MODE_ABS);
			continue;
		}
		__set_current_state(TASK_RUNNING);
		hold_cpu(pc);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

int kmembw_throttle_start(struct kmembw_cpu *pc)
{
	struct task_struct *t;

	WRITE_ONCE(pc->hold, false);
	WRITE_ONCE(pc->holding, false);
	pc->free_until_ns = 0;
	hrtimer_init(&pc->cap_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_HARD);
	pc->cap_timer.function = cap_expired;
	t = kthread_create_on_cpu(throttle_thread, pc, pc->cpu, KMEMBW_NAME "/%u");
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	sched_set_fifo(t);
	pc->thread = t;
	wake_up_process(t);
	return 0;
}

void kmembw_throttle_stop(struct kmembw_cpu *pc)
{
	WRITE_ONCE(pc->hold, false);
	if (pc->thread)
		kthread_stop(pc->thread);
	pc->thread = NULL;
}

/* env.throttle: on @cpu, interrupts off. The woken thread preempts the current task as the
 * interrupt returns. */
void kmembw_throttle(void *ctx, unsigned int cpu)
{
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

	(void)ctx;
	if (READ_ONCE(kmembw.stopping) || !pc->thread)
		return;
	WRITE_ONCE(pc->throttles, pc->throttles + 1);
	/* How far into the period (which ends at the next tick) the policy decided it. */
	WRITE_ONCE(pc->throttle_offset_ns, pc->throttle_offset_ns +
		   (u64)max_t(s64, 0, (s64)(ktime_get_ns() + kmembw.period_ns - pc->next_tick_ns)));
	WRITE_ONCE(pc->hold, true);
	wake_up_process(pc->thread);
}

/* env.unthrottle: on @cpu, interrupts off. The thread sees it when this interrupt returns. */
void kmembw_unthrottle(void *ctx, unsigned int cpu)
{
	struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

	(void)ctx;
	if (READ_ONCE(pc->hold) && !READ_ONCE(pc->holding))
		WRITE_ONCE(pc->released_unheld, pc->released_unheld + 1);
	WRITE_ONCE(pc->hold, false);
}

static void wake_up_here(void *info)
{
	(void)info;
}

/* rmmod: no CPU may stay held while the hotplug threads that take the CPUs down wait to run. */
void kmembw_release_all(void)
{
	unsigned int cpu;

	WRITE_ONCE(kmembw.stopping, true);
	for_each_possible_cpu(cpu) {
		if (cpu < kmembw.ncpus)
			WRITE_ONCE(per_cpu_ptr(kmembw.pcpu, cpu)->hold, false);
	}
	/* An interrupt on every CPU ends each held thread's wait; it then sees the release. */
	on_each_cpu(wake_up_here, NULL, 1);
}

/* debugfs "threads": what the throttle threads did, one line per CPU, key=value. */
static int threads_show(struct seq_file *s, void *unused)
{
	unsigned int cpu;

	(void)unused;
	seq_printf(s, "# hold_floor_ns=%llu hold_cap_ns=%llu; throttles: holds the policy decided, "
		   "holds: the thread held, released_unheld: released before the thread held, "
		   "throttle_offset_ns: sum of the times into their periods the throttles were "
		   "decided\n",
		   kmembw.hold_floor_ns, kmembw.hold_cap_ns);
	for (cpu = 0; cpu < kmembw.ncpus; cpu++) {
		struct kmembw_cpu *pc = per_cpu_ptr(kmembw.pcpu, cpu);

		seq_printf(s, "cpu=%u throttles=%llu holds=%llu released_unheld=%llu "
			   "empty_wakeups=%llu free_slices=%llu held_ns=%llu wakeups=%llu "
			   "throttle_offset_ns=%llu\n", cpu,
			   READ_ONCE(pc->throttles), READ_ONCE(pc->holds),
			   READ_ONCE(pc->released_unheld), READ_ONCE(pc->empty_wakeups),
			   READ_ONCE(pc->free_slices), READ_ONCE(pc->held_ns),
			   READ_ONCE(pc->hold_wakeups), READ_ONCE(pc->throttle_offset_ns));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(threads);

/* After kmembw_control_create(): the file lives in membw's debugfs directory. */
void kmembw_throttle_debugfs(void)
{
	debugfs_create_file("threads", 0400, kmembw.dir, NULL, &threads_fops);
}
