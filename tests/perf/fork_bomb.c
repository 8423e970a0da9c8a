/* SPDX-License-Identifier: MIT */
/*
 * Workload for the kill storm: a fork bomb with a safety cap. Every process forks as long as
 * fork() succeeds, up to DEPTH generations (at most 2^DEPTH processes if nothing limits them);
 * the first fork that fails (EAGAIN: the pids controller's pids.max, fork(2)) ends its forking.
 * Then every process touches fresh anonymous pages forever, one write each (one page fault per
 * page, as touch_pages does), until it is killed.
 * Usage: fork_bomb DEPTH     (1 .. 10)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), depth, i;
	char *end;

	if (argc != 2 || (depth = strtol(argv[1], &end, 10), *end) || depth < 1 || depth > 10) {
		fprintf(stderr, "usage: fork_bomb DEPTH (1 .. 10)\n");
		return 2;
	}
	while (depth-- > 0) {
		pid_t pid = fork();

		if (pid < 0)
			break; /* the limit: this process forks no more */
		/* Parent and child both go on forking, one generation fewer. */
	}
	for (;;) {
		volatile char *p = mmap(NULL, (size_t)(64 * page), PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("fork_bomb: mmap");
			return 1;
		}
		madvise((void *)p, (size_t)(64 * page), MADV_NOHUGEPAGE);
		for (i = 0; i < 64; i++)
			p[i * page] = 1;
		munmap((void *)p, (size_t)(64 * page));
	}
}
