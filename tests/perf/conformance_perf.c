/* SPDX-License-Identifier: MIT */
/*
 * The backend conformance suite run against the perf backend on this machine's kernel, with the
 * software event page-faults (no hardware PMU is needed). A worker process makes the events: on
 * command it touches N fresh anonymous pages, one write each, which is N page faults (mmap(2):
 * anonymous memory is zero-filled on first access; MADV_NOHUGEPAGE keeps one fault per base page).
 * The counter counts the worker only, so the suite's own code never adds an event.
 *
 * Overflow interrupts are the kernel's signals (sample period 1), routed to this thread and
 * handled by a signal handler that asks the backend whether the arm point was reached. An arm
 * point reached without a signal is not counted, so a lost signal fails the suite.
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance.h"
#include "cunit_run.h"
#include "perf_backend.h"

#define OVERFLOW_SIGNAL (SIGRTMIN + 2)
/* More pages than this per count() call is refused (the full-range test asks for 2^64 - 2). */
#define MAX_PAGES_PER_CALL (1u << 20)

struct worker {
	pid_t pid;
	int cmd_fd, ack_fd;
	uint64_t overflows;
	struct perf_event_choice saved_event;
};

static struct worker worker;
static struct perf_backend_ctx pctx;

/* The worker calls the kernel directly and is not instrumented: AddressSanitizer's interceptors
 * and checks touch shadow memory (1 byte per 8), and each first touch of a shadow page would be
 * a page fault of its own. */
__attribute__((no_sanitize("address"), no_sanitize("undefined"))) static void
worker_loop(int cmd, int ack)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t n;

	while (syscall(SYS_read, cmd, &n, sizeof(n)) == (long)sizeof(n)) {
		while (n) {
			size_t chunk = n > 4096 ? 4096 : (size_t)n, i;
			long addr = syscall(SYS_mmap, NULL, chunk * (size_t)page,
					    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			volatile char *p = (volatile char *)addr;

			if (addr == -1)
				syscall(SYS_exit_group, 1);
			syscall(SYS_madvise, addr, chunk * (size_t)page, MADV_NOHUGEPAGE);
			for (i = 0; i < chunk; i++)
				p[i * (size_t)page] = 1;
			syscall(SYS_munmap, addr, chunk * (size_t)page);
			n -= chunk;
		}
		if (syscall(SYS_write, ack, "k", 1) != 1)
			syscall(SYS_exit_group, 1);
	}
	syscall(SYS_exit_group, 0);
}

static int start_worker(void)
{
	int cmd[2], ack[2];
	uint64_t warm = 3 * 4096;
	char c;

	if (pipe(cmd) || pipe(ack))
		return -1;
	worker.pid = fork();
	if (worker.pid < 0)
		return -1;
	if (worker.pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		worker_loop(cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	worker.cmd_fd = cmd[1];
	worker.ack_fd = ack[0];
	/* One round before any counter exists: the worker's own stack and code pages are in. */
	if (write(worker.cmd_fd, &warm, sizeof(warm)) != (ssize_t)sizeof(warm) ||
	    read(worker.ack_fd, &c, 1) != 1)
		return -1;
	return 0;
}

static int perf_count(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	char c;

	(void)ctx;
	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || n > MAX_PAGES_PER_CALL)
		return -MEMBW_EOPNOTSUPP;
	if (write(worker.cmd_fd, &n, sizeof(n)) != (ssize_t)sizeof(n) ||
	    read(worker.ack_fd, &c, 1) != 1)
		return -MEMBW_EIO;
	return 0;
}

static uint64_t perf_overflows(void *ctx, unsigned int cpu, void *priv, unsigned int ch)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	(void)ch;
	return worker.overflows;
}

/*
 * The "interrupt handler": runs when the kernel's signal is delivered -- while this thread waits
 * for the worker, so before count() returns -- and asks the backend whether the arm point was
 * reached, as the runtime does on each signal it reads.
 */
static void *observed_priv;

static void on_overflow_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (observed_priv && si->si_fd == perf_backend_fd(observed_priv, MEMBW_CH_READ) &&
	    perf_backend_overflow_due(observed_priv, MEMBW_CH_READ) == 1)
		worker.overflows++;
}

/*
 * The perf backend with each hook run with the signal blocked (as the policy's entry points run
 * with interrupts off), and cpu_init also starting the overflow count afresh: the suite asks for
 * overflows "since cpu_init".
 */
static struct membw_backend observed;

static void hold_signal(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, OVERFLOW_SIGNAL);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int observed_cpu_init(void *ctx, unsigned int cpu, void *priv,
			     const struct membw_counter_setup *setup)
{
	int err;

	hold_signal(true);
	observed_priv = NULL;
	worker.overflows = 0;
	err = membw_perf_backend.cpu_init(ctx, cpu, priv, setup);
	observed_priv = priv;
	hold_signal(false);
	return err;
}

static int observed_arm(void *priv, unsigned int ch, uint64_t n)
{
	int err;

	hold_signal(true);
	err = membw_perf_backend.arm(priv, ch, n);
	hold_signal(false);
	return err;
}

static int observed_read(void *priv, unsigned int ch, uint64_t *v)
{
	int err;

	hold_signal(true);
	err = membw_perf_backend.read(priv, ch, v);
	hold_signal(false);
	return err;
}

static void observed_stop(void *priv, unsigned int ch)
{
	hold_signal(true);
	membw_perf_backend.stop(priv, ch);
	hold_signal(false);
}

static void perf_set_absent(void *ctx, bool absent)
{
	(void)ctx;
	if (absent) {
		/* No PMU has this type number: perf_event_open answers ENOENT, as for a missing
		 * hardware PMU. */
		worker.saved_event = pctx.event[0];
		pctx.event[0].attr.type = 0x7ffffff0u;
		pctx.event[0].software = false;
	} else {
		pctx.event[0] = worker.saved_event;
	}
}

static struct conformance_driver driver = {
	.name = "perf, page-faults",
	.backend = &observed,
	.backend_ctx = &pctx,
	.ctx = &worker,
	.count = perf_count,
	.overflows = perf_overflows,
	.set_absent = perf_set_absent,
};

int main(void)
{
	char why[PERF_WHY_MAX];
	struct sigaction sa;
	int status, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_overflow_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(OVERFLOW_SIGNAL, &sa, NULL);
	observed = membw_perf_backend;
	observed.cpu_init = observed_cpu_init;
	observed.arm = observed_arm;
	observed.read = observed_read;
	observed.stop = observed_stop;
	if (start_worker()) {
		perror("conformance-perf: worker");
		return 2;
	}
	if (perf_event_resolve("page-faults", &pctx.event[0], why, sizeof(why))) {
		fprintf(stderr, "conformance-perf: %s\n", why);
		return 2;
	}
	pctx.pid = worker.pid;
	pctx.cpu = -1;
	pctx.channels = 1;
	pctx.sample_period = 1;
	pctx.signal = OVERFLOW_SIGNAL;
	pctx.owner_tid = gettid();
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (conformance_register(&driver)) {
		fprintf(stderr, "cannot register the suite: %s\n", CU_get_error_msg());
		return 2;
	}
	rc = cunit_run("conformance-perf");
	close(worker.cmd_fd);
	waitpid(worker.pid, &status, 0);
	return rc;
}
