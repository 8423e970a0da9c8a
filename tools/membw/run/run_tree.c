/* SPDX-License-Identifier: MIT */
/*
 * `membw run -- PROG`: regulate PROG and everything it starts. The order matters for the
 * fail-safe: the group and the watchdog exist before the program is released, so nothing can be
 * stopped that the watchdog does not know how to resume.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "group.h"
#include "run.h"
#include "watchdog.h"

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

static void release_hook(void *ctx)
{
	group_teardown(ctx);
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

/* Everything after the signalfd exists: run_tree() closes it and restores the mask on every path.
 * Every exit after the watchdog goes through out:, which gives back what was taken so far. */
static int regulate_tree(const struct run_options *opt, struct regulator *r, int sfd,
			 const sigset_t *old_mask)
{
	struct run_loop loop = { .exec_fd = -1, .life_fd = -1 };
	struct group g;
	char why[256];
	int go[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, err, rc = EXIT_RUN_FAILED;
	pid_t pid = -1;
	bool rt, foreground = false, started = false;

	/* The watchdog comes first, and hears of each thing before it exists. */
	loop.watchdog = watchdog_start(&loop.life_fd);
	if (loop.watchdog < 0) {
		fprintf(stderr, "membw run: cannot start the watchdog: %s\n",
			strerror(-loop.watchdog));
		return EXIT_RUN_FAILED;
	}
	group_prepare(&g, opt->signals_only, announce, &loop.life_fd, why, sizeof(why));
	if (why[0] && !opt->quiet)
		fprintf(stderr, "membw run: %s\n", why);
	if (opt->max_pids &&
	    group_limit_pids(&g, opt->max_pids, announce, &loop.life_fd, why, sizeof(why))) {
		fprintf(stderr, "membw run: --max-pids %lu: %s\n", opt->max_pids, why);
		goto out;
	}
	if (pipe2(go, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
		perror("membw run: pipe");
		goto out;
	}
	foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	pid = fork();
	if (pid < 0) {
		perror("membw run: fork");
		goto out;
	}
	if (pid == 0)
		child(opt, old_mask, go, err_pipe, foreground);
	close(go[0]);
	close(err_pipe[1]);
	go[0] = err_pipe[1] = -1;
	setpgid(pid, pid); /* also here: whichever runs first, the group exists before use */
	g.leader = pid;
	watchdog_tell(loop.life_fd, &g);
	err = group_add_pids(&g, pid);
	if (err) {
		fprintf(stderr, "membw run: --max-pids: cannot move the program into %s: %s\n",
			g.pids_dir, strerror(-err));
		goto out;
	}
	if (group_add(&g, pid)) {
		fprintf(stderr, "membw run: cannot move the program into %s; using signals\n", g.dir);
		group_fall_back_to_signals(&g);
		watchdog_tell(loop.life_fd, &g);
	}
	if (g.kind == GROUP_SIGNALS) {
		err = watchdog_await_sentinel(loop.life_fd, sfd);
		if (err) {
			fprintf(stderr, "membw run: %s; %s was not started\n",
				err == -EINTR ? "interrupted before the program ran"
				: err == -EAGAIN ? "the watchdog could not put its sentinel into the "
						   "program's process group (it keeps a stopped program "
						   "from the SIGHUP of an orphaned group)"
				: "the watchdog is gone", opt->prog[0]);
			goto out;
		}
	}
	r->ops.throttle = freeze_hook;
	r->ops.unthrottle = thaw_hook;
	r->ops.ctx = &g;
	r->pctx.pid = pid;
	r->pctx.cpu = -1;
	r->pctx.inherit = true;
	if (regulator_start(r))
		goto out;
	started = true;
	rt = run_realtime();
	if (!opt->quiet)
		fprintf(stderr, "membw run: regulating %s (pid %d) by %s; membw runs %s\n",
			opt->prog[0], (int)pid, group_kind_name(&g),
			rt ? "at SCHED_FIFO priority " RUN_RT_PRIORITY_TEXT
			   : "unprivileged at normal priority (overflows are seen later)");
	if (write(go[1], "g", 1) != 1)
		perror("membw run: releasing the program");
	close(go[1]);
	go[1] = -1;

	loop.r = r;
	loop.sfd = sfd;
	loop.pid = pid;
	loop.exec_fd = err_pipe[0];
	err_pipe[0] = -1; /* the loop's now */
	loop.release = release_hook;
	loop.release_ctx = &g;
	loop.prog_name = opt->prog[0];
	run_loop(&loop);
	rc = run_exit_status(&loop);
	pid = -1; /* reaped */
out:
	if (pid > 0) {
		/* Held before its exec (the go pipe's write end is still ours): it never ran. */
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (foreground)
		give_terminal(getpgrp());
	regulator_stop(r);
	group_teardown(&g);
	watchdog_done(loop.life_fd, loop.watchdog);
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	if (loop.exec_fd >= 0)
		close(loop.exec_fd);
	if (opt->stats && started)
		regulator_report(r, stderr, true);
	free(r->storage);
	return rc;
}

int run_tree(const struct run_options *opt)
{
	struct regulator r;
	sigset_t old_mask;
	int sfd, rc;

	memset(&r, 0, sizeof(r));
	r.timer_fd = -1;
	if (regulator_events(&r, opt, &rc))
		return rc;
	sfd = run_signalfd(&old_mask);
	if (sfd < 0)
		return EXIT_RUN_FAILED;
	rc = regulate_tree(opt, &r, sfd, &old_mask);
	run_signalfd_close(sfd, &old_mask);
	return rc;
}
