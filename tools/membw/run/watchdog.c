/* SPDX-License-Identifier: MIT */
/* The watchdog of `membw run` (see watchdog.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "watchdog.h"

/* A message may arrive in pieces; watch() reads until it has a whole one. */
struct message {
	char kind; /* 'G' the group as it is now, 'D' done */
	int32_t kind_of_group, leader;
	char dir[GROUP_PATH_MAX], parent_procs[GROUP_PATH_MAX];
	char pids_dir[GROUP_PATH_MAX], pids_parent_procs[GROUP_PATH_MAX];
};

/*
 * With signals, membw's death would orphan the program's process group (no member left with a
 * parent in another group of the same session, POSIX "orphaned process group"); if a member is
 * stopped then, the kernel sends it SIGHUP, which kills a program that does not catch it. The
 * sentinel prevents that: it sits in the program's group, a child of the watchdog (another group
 * of the same session), until the watchdog has resumed everything, and then dies. Returns its
 * pid once it is a member of @pgrp, or -1.
 */
static pid_t start_sentinel(pid_t pgrp)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid > 0) {
		/* Also here, as a shell does for a job: on return the sentinel is a member,
		 * whichever of the two ran first, and membw may be told so. */
		if (setpgid(pid, pgrp) && getpgid(pid) != pgrp) {
			kill(pid, SIGKILL);
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* never outlives the watchdog */
	prctl(PR_SET_NAME, WATCHDOG_SENTINEL_COMM, 0, 0, 0);
	if (setpgid(0, pgrp) && getpgid(0) != pgrp)
		_exit(1);
	for (;;)
		pause(); /* SIGINT, TERM, HUP, QUIT ignored, as in the watchdog */
}

static void stop_sentinel(pid_t *sentinel)
{
	if (*sentinel <= 0)
		return;
	kill(*sentinel, SIGKILL);
	while (waitpid(*sentinel, NULL, 0) < 0 && errno == EINTR)
		;
	*sentinel = -1;
}

static void watch(int fd)
{
	struct group g;
	sigset_t none;
	pid_t sentinel = -1;
	struct message msg;
	ssize_t n;
	size_t got = 0;

	memset(&g, 0, sizeof(g));
	g.kind = GROUP_NONE;
	g.freeze_fd = -1;
	/* Its own process group: `kill -- -PGID` of membw's group (timeout -s KILL, kill %1) does
	 * not reach it. Nothing of membw's but the socket: no counter, timer or signalfd stays open
	 * because of the watchdog, and no signal stays blocked. */
	setpgid(0, 0);
	watchdog_close_all_but(fd, -1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, WATCHDOG_COMM, 0, 0, 0);
	/* A terminal's ^C or a hang-up reaches membw's whole process group: survive it, to clean
	 * up after membw. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		n = read(fd, (char *)&msg + got, sizeof(msg) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EOF: membw is gone */
		got += (size_t)n;
		if (got < sizeof(msg))
			continue;
		got = 0;
		if (msg.kind == 'D') {
			stop_sentinel(&sentinel);
			_exit(0);
		}
		if (msg.kind == 'G') {
			g.kind = (enum group_kind)msg.kind_of_group;
			g.leader = msg.leader;
			memcpy(g.dir, msg.dir, sizeof(g.dir));
			memcpy(g.parent_procs, msg.parent_procs, sizeof(g.parent_procs));
			memcpy(g.pids_dir, msg.pids_dir, sizeof(g.pids_dir));
			memcpy(g.pids_parent_procs, msg.pids_parent_procs,
			       sizeof(g.pids_parent_procs));
			if (g.kind == GROUP_SIGNALS && g.leader > 0 && sentinel < 0) {
				/* The one byte the watchdog ever writes (watchdog_await_sentinel()). */
				char said;

				sentinel = start_sentinel(g.leader);
				said = sentinel > 0 ? WATCHDOG_SENTINEL_IN : WATCHDOG_SENTINEL_FAILED;
				if (send(fd, &said, 1, MSG_NOSIGNAL) != 1) {
					/* membw is gone: EOF follows, and the teardown */
				}
			}
		}
	}
	group_teardown(&g);
	stop_sentinel(&sentinel); /* after the resume: no member is stopped when the group is
				   * orphaned, so the kernel sends no SIGHUP */
	_exit(0);
}

void watchdog_close_all_but(int keep1, int keep2)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
	/* Anything above 1023 as well, where the kernel has close_range(2) (5.9). */
	(void)!close_range(1024, ~0U, 0);
}

pid_t watchdog_start(int *life_fd)
{
	int p[2];
	pid_t pid;

	/* A socket, not a pipe: membw writes with MSG_NOSIGNAL (a dead watchdog is an error to
	 * handle, not a SIGPIPE that kills membw), and polls its end to see the watchdog die. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		close(p[1]);
		watch(p[0]);
	}
	/* Also here: whichever runs first, the watchdog has its own group before membw goes on. */
	setpgid(pid, pid);
	close(p[0]);
	*life_fd = p[1];
	return pid;
}

int watchdog_await_sentinel(int life_fd, int sfd)
{
	for (;;) {
		struct pollfd fds[2] = { { .fd = life_fd, .events = POLLIN },
					 { .fd = sfd, .events = POLLIN } };
		char said;
		ssize_t n;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si[16];
			ssize_t got = read(sfd, si, sizeof(si));

			for (int i = 0; got > 0 && i < (int)(got / (ssize_t)sizeof(si[0])); i++) {
				int sig = (int)si[i].ssi_signo;

				if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
					return -EINTR;
			}
		}
		if (!fds[0].revents)
			continue;
		n = read(life_fd, &said, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 1 && said == WATCHDOG_SENTINEL_IN)
			return 0;
		return n == 1 ? -EAGAIN : -EPIPE;
	}
}

int watchdog_tell(int life_fd, const struct group *g)
{
	struct message msg;

	memset(&msg, 0, sizeof(msg));
	msg.kind = 'G';
	msg.kind_of_group = (int32_t)g->kind;
	msg.leader = (int32_t)g->leader;
	memcpy(msg.dir, g->dir, sizeof(msg.dir));
	memcpy(msg.parent_procs, g->parent_procs, sizeof(msg.parent_procs));
	memcpy(msg.pids_dir, g->pids_dir, sizeof(msg.pids_dir));
	memcpy(msg.pids_parent_procs, g->pids_parent_procs, sizeof(msg.pids_parent_procs));
	if (life_fd < 0)
		return -EPIPE;
	return send(life_fd, &msg, sizeof(msg), MSG_NOSIGNAL) == (ssize_t)sizeof(msg) ? 0 : -errno;
}

void watchdog_done(int life_fd, pid_t watchdog)
{
	struct message msg;

	if (life_fd < 0)
		return; /* gone already, and reaped */
	memset(&msg, 0, sizeof(msg));
	msg.kind = 'D';
	if (send(life_fd, &msg, sizeof(msg), MSG_NOSIGNAL) < 0) {
		/* the watchdog is gone already; closing the pipe below is all there is to do */
	}
	close(life_fd);
	while (waitpid(watchdog, NULL, 0) < 0 && errno == EINTR)
		;
}
