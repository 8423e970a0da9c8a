/* SPDX-License-Identifier: MIT */
/* The watchdog of `membw run` (see watchdog.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "watchdog.h"

/* One write of at most PIPE_BUF bytes is atomic (pipe(7)): a message is never torn. */
struct message {
	char kind; /* 'G' the group as it is now, 'D' done */
	int32_t kind_of_group, leader;
	char dir[GROUP_PATH_MAX], parent_procs[GROUP_PATH_MAX];
};

_Static_assert(sizeof(struct message) <= 4096, "a message fits in PIPE_BUF");

static void watch(int fd)
{
	struct group g;
	sigset_t none;
	int other;

	struct message msg;
	ssize_t n;
	size_t got = 0;

	memset(&g, 0, sizeof(g));
	g.kind = GROUP_NONE;
	g.freeze_fd = -1;
	/* Nothing of membw's but the pipe: no counter, timer or signalfd stays open because of the
	 * watchdog, and no signal stays blocked. */
	for (other = 3; other < 1024; other++)
		if (other != fd)
			close(other);
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
		if (msg.kind == 'D')
			_exit(0);
		if (msg.kind == 'G') {
			g.kind = (enum group_kind)msg.kind_of_group;
			g.leader = msg.leader;
			memcpy(g.dir, msg.dir, sizeof(g.dir));
			memcpy(g.parent_procs, msg.parent_procs, sizeof(g.parent_procs));
		}
	}
	group_teardown(&g);
	_exit(0);
}

pid_t watchdog_start(int *life_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
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
	close(p[0]);
	*life_fd = p[1];
	return pid;
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
	return write(life_fd, &msg, sizeof(msg)) == (ssize_t)sizeof(msg) ? 0 : -errno;
}

void watchdog_done(int life_fd, pid_t watchdog)
{
	struct message msg;

	memset(&msg, 0, sizeof(msg));
	msg.kind = 'D';
	if (write(life_fd, &msg, sizeof(msg)) < 0) {
		/* the watchdog is gone already; closing the pipe below is all there is to do */
	}
	close(life_fd);
	while (waitpid(watchdog, NULL, 0) < 0 && errno == EINTR)
		;
}
