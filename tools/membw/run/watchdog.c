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

struct message {
	char kind; /* 'L' leader, 'D' done */
	int32_t pid;
};

static void watch(struct group g, int fd)
{
	struct message msg;
	ssize_t n;
	size_t got = 0;

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
		if (msg.kind == 'L')
			g.leader = msg.pid;
	}
	group_teardown(&g);
	_exit(0);
}

pid_t watchdog_start(const struct group *g, int *life_fd)
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
		watch(*g, p[0]);
	}
	close(p[0]);
	*life_fd = p[1];
	return pid;
}

int watchdog_tell_leader(int life_fd, pid_t leader)
{
	struct message msg;

	memset(&msg, 0, sizeof(msg));
	msg.kind = 'L';
	msg.pid = (int32_t)leader;
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
