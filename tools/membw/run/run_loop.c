/* SPDX-License-Identifier: MIT */
/* The one event loop of `membw run` (see run.h), and the signalfd it reads. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "run.h"

int run_signalfd(sigset_t *old_mask)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGIO); /* sent instead of the real-time signal if its queue is full */
	sigaddset(&set, RUN_OVERFLOW_SIGNAL);
	if (sigprocmask(SIG_BLOCK, &set, old_mask)) {
		perror("membw run: sigprocmask");
		return -1;
	}
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		perror("membw run: signalfd");
		sigprocmask(SIG_SETMASK, old_mask, NULL);
	}
	return fd;
}

void run_signalfd_close(int fd, const sigset_t *old_mask)
{
	struct signalfd_siginfo si[16];

	/*
	 * Whatever is still pending would be delivered by the unblocking, and an overflow signal's
	 * or SIGIO's default action is to terminate: read it away first. fd is non-blocking.
	 */
	while (read(fd, si, sizeof(si)) > 0)
		;
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	close(fd);
}

/* The exec's errno, or EOF (exec done, or the child died before it). */
static void read_exec_outcome(struct run_loop *l)
{
	if (read(l->exec_fd, &l->exec_errno, sizeof(l->exec_errno)) !=
	    (ssize_t)sizeof(l->exec_errno))
		l->exec_errno = 0;
	else
		fprintf(stderr, "membw run: cannot run '%s': %s\n", l->prog_name,
			strerror(l->exec_errno));
	close(l->exec_fd);
	l->exec_fd = -1;
}

/* The watchdog writes nothing after the sentinel's byte, which run_tree() read before the
 * program ran: its socket readable or hung up means it is gone. Without it
 * nothing would resume the program if membw died: resume it now and stop regulating. */
static void watchdog_gone(struct run_loop *l)
{
	regulator_stop(l->r);
	if (l->release)
		l->release(l->release_ctx);
	fprintf(stderr, "membw run: the watchdog (pid %d) is gone; %s released, no longer "
			"regulated\n", (int)l->watchdog, l->prog_name);
	close(l->life_fd);
	l->life_fd = -1;
	l->regulating = false;
	while (waitpid(l->watchdog, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Signals read from the signalfd: true when the loop is done. */
static bool on_signals(struct run_loop *l)
{
	struct signalfd_siginfo si[64];
	ssize_t n = read(l->sfd, si, sizeof(si));
	bool overflow = false, done = false;

	for (int i = 0; n > 0 && i < (int)(n / (ssize_t)sizeof(si[0])); i++) {
		int sig = (int)si[i].ssi_signo;

		if (sig == RUN_OVERFLOW_SIGNAL || sig == SIGIO)
			overflow = true;
		else if (sig == SIGCHLD)
			; /* reaped below */
		else if (l->pid > 0)
			kill(l->pid, sig); /* ^C, TERM, HUP, QUIT: the program decides */
		else
			done = true; /* no program: they end the run */
	}
	if (overflow && l->regulating)
		regulator_on_overflow(l->r);
	if (l->pid > 0 && waitpid(l->pid, &l->status, WNOHANG) == l->pid)
		done = true;
	return done;
}

void run_loop(struct run_loop *l)
{
	bool done = false;

	l->regulating = true;
	/* Nothing blocks outside this loop: the exec's outcome, the watchdog's death and signals
	 * are all events (a program held before its exec must not hold membw too). poll() skips
	 * a descriptor of -1. */
	while (!done) {
		struct pollfd fds[4] = { { .fd = l->r->timer_fd, .events = POLLIN },
					 { .fd = l->sfd, .events = POLLIN },
					 { .fd = l->exec_fd, .events = POLLIN },
					 { .fd = l->life_fd, .events = POLLIN } };

		if (poll(fds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("membw run: poll");
			break;
		}
		if (fds[0].revents & POLLIN) {
			regulator_on_timer(l->r);
			if (l->end_ns && run_now_ns() >= l->end_ns)
				done = true;
		}
		if (fds[2].revents)
			read_exec_outcome(l);
		if (fds[3].revents)
			watchdog_gone(l);
		if (fds[1].revents & POLLIN && on_signals(l))
			done = true;
	}
}

int run_exit_status(const struct run_loop *l)
{
	if (l->exec_errno)
		return l->exec_errno == ENOENT ? 127 : 126;
	if (l->pid <= 0)
		return 0;
	if (WIFEXITED(l->status))
		return WEXITSTATUS(l->status);
	if (WIFSIGNALED(l->status))
		return 128 + WTERMSIG(l->status);
	return EXIT_RUN_FAILED;
}
