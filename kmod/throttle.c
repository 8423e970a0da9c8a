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
 */
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/sched.h>
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

static void hold_cpu(struct kmembw_cpu *pc)
{
	u64 start = ktime_get_ns();

	pc->holds++;
	while (READ_ONCE(pc->hold) && !kthread_should_stop()) {
		local_irq_disable();
		if (READ_ONCE(pc->hold) && !need_resched()) {
			wait_for_interrupt();
			WRITE_ONCE(pc->hold_wakeups, pc->hold_wakeups + 1);
		} else {
			local_irq_enable();
		}
		/* Lets a higher-priority real-time task run, and reports an RCU quiescent state. */
		cond_resched();
	}
	pc->held_ns += ktime_get_ns() - start;
}

static int throttle_thread(void *data)
{
	struct kmembw_cpu *pc = data;

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!READ_ONCE(pc->hold)) {
			schedule();
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
	WRITE_ONCE(pc->hold, true);
	wake_up_process(pc->thread);
}

/* env.unthrottle: on @cpu, interrupts off. The thread sees it when this interrupt returns. */
void kmembw_unthrottle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	WRITE_ONCE(per_cpu_ptr(kmembw.pcpu, cpu)->hold, false);
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
