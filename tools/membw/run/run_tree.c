/* SPDX-License-Identifier: MIT */
/*
 * `membw run -- PROG`: regulate PROG and everything it starts. The order matters for the
 * fail-safe: the group and the watchdog exist before the program is released, so nothing can be
 * stopped that the watchdog does not know how to resume.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "group.h"
#include "run.h"
#include "watchdog.h"

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

bool run_realtime(void)
{
	struct sched_param sp = { .sched_priority = RUN_RT_PRIORITY };

	/* Whoever membw forks later (nothing, by then) starts at normal priority again. */
	return sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) == 0;
}

static void announce(const struct group *g, void *arg)
{
	watchdog_tell(*(int *)arg, g);
}

static void freeze_hook(void *ctx)
{
	group_freeze(ctx);
}

static void thaw_hook(void *ctx)
{
	group_thaw(ctx);
}

/* The child: its own process group, wait for the go, exec. Reports exec errors on @err_fd. */
/* Hand the terminal's foreground to @pgrp (SIGTTOU ignored meanwhile, as a shell does). */
static void give_terminal(pid_t pgrp)
{
	void (*old)(int) = signal(SIGTTOU, SIG_IGN);

	tcsetpgrp(STDIN_FILENO, pgrp);
	signal(SIGTTOU, old);
}

static void child(const struct run_options *opt, const sigset_t *mask, const int go[2],
		  const int err_pipe[2], bool foreground)
{
	int go_fd = go[0], err_fd = err_pipe[1];
	char c;
	int e;

	/* Nothing of membw's but the two pipe ends it needs: above all not the watchdog's socket
	 * (a child frozen before its exec would keep the watchdog from ever seeing membw's death)
	 * and not the go pipe's write end (if membw dies, read() sees EOF). */
	watchdog_close_all_but(go_fd, err_fd);
	/* Its own process group (what SIGSTOP/SIGCONT reach), in the terminal's foreground if membw
	 * was there, so ^C reaches it and reading the terminal does not stop it (SIGTTIN). */
	setpgid(0, 0);
	if (foreground)
		give_terminal(getpid());
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (read(go_fd, &c, 1) != 1)
		_exit(127);
	execvp(opt->prog[0], opt->prog);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int run_tree(const struct run_options *opt)
{
	struct regulator r;
	struct group g;
	sigset_t old_mask;
	char why[256];
	int go[2], err_pipe[2], sfd, life_fd = -1, status = 0, exec_errno = 0, rc;
	pid_t pid, watchdog;
	bool done = false, rt, foreground;

	memset(&r, 0, sizeof(r));
	r.timer_fd = -1;
	if (regulator_events(&r, opt, &rc))
		return rc;
	sfd = run_signalfd(&old_mask);
	if (sfd < 0)
		return EXIT_RUN_FAILED;
	/* The watchdog comes first, and hears of each thing before it exists. */
	watchdog = watchdog_start(&life_fd);
	if (watchdog < 0) {
		fprintf(stderr, "membw run: cannot start the watchdog: %s\n", strerror(-watchdog));
		return EXIT_RUN_FAILED;
	}
	group_prepare(&g, opt->signals_only, announce, &life_fd, why, sizeof(why));
	if (why[0] && !opt->quiet)
		fprintf(stderr, "membw run: %s\n", why);
	if (pipe2(go, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
		perror("membw run: pipe");
		group_teardown(&g);
		watchdog_done(life_fd, watchdog);
		return EXIT_RUN_FAILED;
	}
	foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	pid = fork();
	if (pid < 0) {
		perror("membw run: fork");
		group_teardown(&g);
		watchdog_done(life_fd, watchdog);
		return EXIT_RUN_FAILED;
	}
	if (pid == 0)
		child(opt, &old_mask, go, err_pipe, foreground);
	close(go[0]);
	close(err_pipe[1]);
	setpgid(pid, pid); /* also here: whichever runs first, the group exists before use */
	g.leader = pid;
	watchdog_tell(life_fd, &g);
	if (group_add(&g, pid)) {
		fprintf(stderr, "membw run: cannot move the program into %s; using signals\n", g.dir);
		group_teardown(&g);
		g.kind = GROUP_SIGNALS;
		g.leader = pid;
		watchdog_tell(life_fd, &g);
	}
	r.ops.throttle = freeze_hook;
	r.ops.unthrottle = thaw_hook;
	r.ops.ctx = &g;
	r.pctx.pid = pid;
	r.pctx.cpu = -1;
	r.pctx.inherit = true;
	if (regulator_start(&r)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		regulator_stop(&r);
		group_teardown(&g);
		watchdog_done(life_fd, watchdog);
		free(r.storage);
		return EXIT_RUN_FAILED;
	}
	rt = run_realtime();
	if (!opt->quiet)
		fprintf(stderr, "membw run: regulating %s (pid %d) by %s; membw runs %s\n",
			opt->prog[0], (int)pid, group_kind_name(&g),
			rt ? "at SCHED_FIFO priority " RUN_RT_PRIORITY_TEXT
			   : "unprivileged at normal priority (overflows are seen later)");
	if (write(go[1], "g", 1) != 1)
		perror("membw run: releasing the program");
	close(go[1]);

	/* Nothing blocks outside this loop: the exec's outcome, the watchdog's death and signals
	 * are all events (a program held before its exec must not hold membw too). */
	while (!done) {
		struct pollfd fds[4] = { { .fd = r.timer_fd, .events = POLLIN },
					 { .fd = sfd, .events = POLLIN },
					 { .fd = err_pipe[0], .events = POLLIN },
					 { .fd = life_fd, .events = POLLIN } };
		struct signalfd_siginfo si[64];
		ssize_t n;
		int i;
		bool overflow = false;

		if (poll(fds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("membw run: poll");
			break;
		}
		if (fds[0].revents & POLLIN)
			regulator_on_timer(&r);
		if (fds[2].revents) {
			/* The exec's errno, or EOF (exec done, or the child died before it). */
			if (read(err_pipe[0], &exec_errno, sizeof(exec_errno)) !=
			    (ssize_t)sizeof(exec_errno))
				exec_errno = 0;
			else
				fprintf(stderr, "membw run: cannot run '%s': %s\n", opt->prog[0],
					strerror(exec_errno));
			close(err_pipe[0]);
			err_pipe[0] = -1;
		}
		if (fds[3].revents) {
			/* The watchdog never writes: readable or hung up means it is gone. Without
			 * it nothing would resume the program if membw died: resume it now and
			 * stop regulating. */
			regulator_stop(&r);
			group_teardown(&g);
			fprintf(stderr, "membw run: the watchdog (pid %d) is gone; %s released, no "
					"longer regulated\n", (int)watchdog, opt->prog[0]);
			close(life_fd);
			life_fd = -1;
			while (waitpid(watchdog, NULL, 0) < 0 && errno == EINTR)
				;
		}
		if (!(fds[1].revents & POLLIN))
			continue;
		n = read(sfd, si, sizeof(si));
		for (i = 0; n > 0 && i < (int)(n / (ssize_t)sizeof(si[0])); i++) {
			int sig = (int)si[i].ssi_signo;

			if (sig == RUN_OVERFLOW_SIGNAL || sig == SIGIO)
				overflow = true;
			else if (sig == SIGCHLD)
				; /* reaped below */
			else
				kill(pid, sig); /* ^C, TERM, HUP, QUIT: the program decides */
		}
		if (overflow && life_fd >= 0)
			regulator_on_overflow(&r);
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = true;
	}
	if (foreground)
		give_terminal(getpgrp());
	regulator_stop(&r);
	group_teardown(&g);
	watchdog_done(life_fd, watchdog);
	if (err_pipe[0] >= 0)
		close(err_pipe[0]);
	if (opt->stats)
		regulator_report(&r, stderr, true);
	free(r.storage);
	close(sfd);
	if (exec_errno)
		return exec_errno == ENOENT ? 127 : 126;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_RUN_FAILED;
}
