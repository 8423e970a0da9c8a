/* SPDX-License-Identifier: MIT */
/*
 * Run PROG as the child of a child subreaper (prctl(2) PR_SET_CHILD_SUBREAPER): orphans below it
 * are reparented to it rather than to init, and it reaps them. It stays in the caller's session
 * and process group, as a service manager or a container's init would (`setsid subreaper PROG`
 * makes it a session leader). Exits once it has no child left, with PROG's exit status.
 * Usage: subreaper PROG [ARGS...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t prog, pid;
	int status, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: subreaper PROG [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		perror("subreaper: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	prog = fork();
	if (prog < 0) {
		perror("subreaper: fork");
		return 1;
	}
	if (prog == 0) {
		execvp(argv[1], argv + 1);
		perror("subreaper: exec");
		_exit(127);
	}
	while ((pid = wait(&status)) > 0 || errno == EINTR)
		if (pid == prog)
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return rc;
}
