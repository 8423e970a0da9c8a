/* SPDX-License-Identifier: MIT */
/*
 * `membw run --cpu N`: regulate everything that runs on CPU N. A per-CPU counter counts it; a
 * throttle thread pinned to N at SCHED_FIFO priority 98 takes the CPU from every normal task
 * while the CPU is throttled, and the runtime thread, pinned to N at priority 99, preempts it at
 * each period timer and overflow.
 *
 * How the throttle thread idles: it must stay runnable (a sleeping thread gives the CPU back),
 * so it waits in the lowest-power instruction user mode may execute: WFE on arm64 (woken by the
 * generic timer's event stream, which Linux enables at 10 kHz -- ASSUMPTION: the kernel's
 * CONFIG_ARM_ARCH_TIMER_EVTSTREAM is on, as in Debian's kernels), TPAUSE on x86 with WAITPKG
 * (CPUID.(EAX=7,ECX=0):ECX[5], Intel SDM vol. 2), otherwise PAUSE, which still spins, at reduced
 * power: on such x86 machines this mode spins. Linux's RT throttling
 * (kernel.sched_rt_runtime_us, 0.95 s of each 1 s by default) still gives normal tasks 5 %.
 */
#define _GNU_SOURCE
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "commands.h"
#include "run.h"

struct holder {
	int cpu;
	int wake_fd; /* eventfd: "you are throttled" */
	atomic_bool throttled;
	atomic_bool quit;
	bool waitpkg;
};

static bool has_waitpkg(void)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (c >> 5) & 1u;
#else
	return false;
#endif
}

static void idle_hint(const struct holder *h)
{
#if defined(__aarch64__)
	(void)h;
	__asm__ volatile("wfe" ::: "memory");
#elif defined(__x86_64__)
	if (h->waitpkg) {
		/* TPAUSE r32 (66 0F AE /6) with EDX:EAX a TSC deadline about 100k cycles on, C0.2. */
		unsigned int lo, hi;
		unsigned long long tsc;

		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		tsc = ((unsigned long long)hi << 32 | lo) + 100000;
		__asm__ volatile(".byte 0x66, 0x0f, 0xae, 0xf1" /* tpause %ecx */
				 ::"c"(0), "a"((unsigned int)tsc), "d"((unsigned int)(tsc >> 32))
				 : "memory", "cc");
	} else {
		__builtin_ia32_pause();
	}
#else
	(void)h;
#endif
}

static int pin_fifo(int cpu, int prio)
{
	cpu_set_t set;
	struct sched_param sp = { .sched_priority = prio };

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		return -errno;
	return 0;
}

static void *holder_main(void *arg)
{
	struct holder *h = arg;
	uint64_t v;

	if (pin_fifo(h->cpu, 98))
		return NULL;
	while (!atomic_load(&h->quit)) {
		if (read(h->wake_fd, &v, sizeof(v)) < 0 && errno != EINTR)
			break;
		while (atomic_load(&h->throttled) && !atomic_load(&h->quit))
			idle_hint(h);
	}
	return NULL;
}

static void hold(void *ctx)
{
	struct holder *h = ctx;
	uint64_t one = 1;

	atomic_store(&h->throttled, true);
	if (write(h->wake_fd, &one, sizeof(one)) < 0)
		atomic_store(&h->throttled, false);
}

static void release(void *ctx)
{
	struct holder *h = ctx;

	atomic_store(&h->throttled, false);
}

int run_cpu(const struct run_options *opt)
{
	struct regulator r;
	struct holder h;
	pthread_t thread;
	sigset_t old_mask;
	struct run_loop loop = { .exec_fd = -1, .life_fd = -1 };
	int sfd, rc, err;
	pid_t pid = -1;
	bool started = false, holding = false;

	memset(&r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	r.timer_fd = -1;
	h.wake_fd = -1;
	if (opt->cpu >= CPU_SETSIZE || opt->cpu >= sysconf(_SC_NPROCESSORS_CONF)) {
		fprintf(stderr, "membw run: --cpu %d: this machine has CPUs 0 .. %ld\n", opt->cpu,
			sysconf(_SC_NPROCESSORS_CONF) - 1);
		return EXIT_BAD_INPUT;
	}
	if (regulator_events(&r, opt, &rc))
		return rc;
	err = pin_fifo(opt->cpu, 99);
	if (err == -EPERM) {
		fprintf(stderr, "membw run: --cpu needs privileges: a SCHED_FIFO thread (root, or "
				"CAP_SYS_NICE) and a per-CPU counter (root, or CAP_PERFMON, or "
				"kernel.perf_event_paranoid <= 0); run it as root\n");
		return EXIT_RUN_FAILED;
	}
	if (err) {
		fprintf(stderr, "membw run: --cpu %d: cannot run there: %s\n", opt->cpu,
			strerror(-err));
		return EXIT_RUN_FAILED;
	}
	sfd = run_signalfd(&old_mask);
	if (sfd < 0)
		return EXIT_RUN_FAILED;
	/* From here on every exit goes through out:, which gives back what was taken so far. */
	rc = EXIT_RUN_FAILED;
	h.cpu = opt->cpu;
	h.waitpkg = has_waitpkg();
	h.wake_fd = eventfd(0, EFD_CLOEXEC);
	if (h.wake_fd < 0)
		err = errno;
	else
		err = pthread_create(&thread, NULL, holder_main, &h); /* an errno, not -1 */
	if (err) {
		fprintf(stderr, "membw run: cannot start the throttle thread: %s\n", strerror(err));
		goto out;
	}
	holding = true;
	r.ops.throttle = hold;
	r.ops.unthrottle = release;
	r.ops.ctx = &h;
	r.pctx.pid = -1;
	r.pctx.cpu = opt->cpu;
	r.pctx.inherit = false;
	if (regulator_start(&r))
		goto out;
	started = true;
	if (opt->prog) {
		pid = fork();
		if (pid == 0) {
			struct sched_param sp = { .sched_priority = 0 };
			cpu_set_t all;

			/* The program is an ordinary task again, free to run anywhere. */
			sched_setscheduler(0, SCHED_OTHER, &sp);
			CPU_ZERO(&all);
			for (int c = 0; c < CPU_SETSIZE && c < sysconf(_SC_NPROCESSORS_CONF); c++)
				CPU_SET(c, &all);
			sched_setaffinity(0, sizeof(all), &all);
			sigprocmask(SIG_SETMASK, &old_mask, NULL);
			execvp(opt->prog[0], opt->prog);
			fprintf(stderr, "membw run: cannot run '%s': %s\n", opt->prog[0],
				strerror(errno));
			_exit(errno == ENOENT ? 127 : 126);
		}
		if (pid < 0) {
			/* Without this the loop would take pid -1 for "no program" and hold the
			 * CPU until a signal came. */
			perror("membw run: fork");
			goto out;
		}
	}
	if (!opt->quiet)
		fprintf(stderr, "membw run: regulating CPU %d (throttle thread idles with %s)\n",
			opt->cpu,
#if defined(__aarch64__)
			"WFE"
#else
			h.waitpkg ? "TPAUSE" : "PAUSE: it spins, at reduced power"
#endif
		);
	loop.r = &r;
	loop.sfd = sfd;
	loop.pid = pid;
	loop.end_ns = opt->duration_ns ? run_now_ns() + opt->duration_ns : 0;
	loop.prog_name = opt->prog ? opt->prog[0] : "CPU";
	run_loop(&loop);
	rc = run_exit_status(&loop);
out:
	regulator_stop(&r);
	if (holding) {
		uint64_t one = 1;

		atomic_store(&h.quit, true);
		atomic_store(&h.throttled, false);
		if (write(h.wake_fd, &one, sizeof(one)) < 0)
			perror("membw run: stopping the throttle thread");
		pthread_join(thread, NULL);
	}
	if (opt->stats && started)
		regulator_report(&r, stderr, true);
	free(r.storage);
	if (h.wake_fd >= 0)
		close(h.wake_fd);
	/* After regulator_stop(): no counter can raise an overflow signal any more. */
	run_signalfd_close(sfd, &old_mask);
	return rc;
}
