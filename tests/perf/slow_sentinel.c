// SPDX-License-Identifier: MIT
/*
 * A preload library for tests/perf/sentinel-race: the watchdog of `membw run` (the process named
 * membw-watchdog: a fork of membw, so the library is in it too) waits 300 ms before each fork(),
 * which in the watchdog is only the sentinel's. That widens, on demand, the window in which a
 * --signals program would have no sentinel in its process group if membw let it run before the
 * watchdog said the sentinel was there (docs/run.md, "The sentinel").
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

pid_t fork(void)
{
	static pid_t (*real_fork)(void);
	char name[16] = "";

	if (!real_fork)
		real_fork = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
	if (prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, "membw-watchdog") == 0) {
		struct timespec pause = { .tv_sec = 0, .tv_nsec = 300000000 };

		while (nanosleep(&pause, &pause) != 0)
			;
	}
	return real_fork();
}
