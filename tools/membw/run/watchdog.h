/* SPDX-License-Identifier: MIT */
/*
 * The fail-safe of `membw run`: a watchdog process that thaws the regulated tasks once membw is
 * gone, however it went (SIGKILL included). It holds the read end of a pipe whose only writer is
 * membw; the kernel closes that end when membw dies, the watchdog reads EOF and runs
 * group_teardown(). A normal exit says "done" first, so the watchdog leaves a process group whose
 * id may already be reused alone.
 */
#ifndef MEMBW_RUN_WATCHDOG_H
#define MEMBW_RUN_WATCHDOG_H

#include <sys/types.h>

#include "group.h"

/* Name the watchdog shows in /proc/PID/comm (tests look for it). */
#define WATCHDOG_COMM "membw-watchdog"

/* Fork the watchdog, which knows no group yet. Returns its pid and the pipe's write end in
 * *@life_fd, or -errno. Call it first, before anything it would have to undo exists. */
pid_t watchdog_start(int *life_fd);

/* Tell the watchdog what @g is now (announce a cgroup before creating it, and again when the
 * program's pid is known): what it is told is what it undoes. 0 or -errno. */
int watchdog_tell(int life_fd, const struct group *g);

/* Normal end: the group is torn down already; the watchdog exits without touching it. */
void watchdog_done(int life_fd, pid_t watchdog);

#endif /* MEMBW_RUN_WATCHDOG_H */
