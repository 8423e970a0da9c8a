/* SPDX-License-Identifier: MIT */
/*
 * The fail-safe of `membw run`: a watchdog process that thaws the regulated tasks once membw is
 * gone, however it went (SIGKILL included, of membw alone or of its whole process group: the
 * watchdog has a process group of its own). It holds one end of a socket pair whose other end
 * only membw holds (the program closes its copy right after fork); the kernel closes that end
 * when membw dies, the watchdog reads EOF and runs group_teardown(). membw polls its end in
 * turn: when the watchdog dies first, membw releases the program and stops regulating it. A
 * normal exit says "done" first, so the watchdog leaves a process group whose id may already be
 * reused alone. The watchdog writes one byte in its life, with signals, before the program runs
 * (watchdog_await_sentinel()); after that, its end readable means it is gone.
 */
#ifndef MEMBW_RUN_WATCHDOG_H
#define MEMBW_RUN_WATCHDOG_H

#include <sys/types.h>

#include "group.h"

/* Name the watchdog shows in /proc/PID/comm (tests look for it). */
#define WATCHDOG_COMM "membw-watchdog"
/* With signals: the watchdog's child that keeps the program's process group from being orphaned
 * while membw is gone and the program still stopped (see watchdog.c). */
#define WATCHDOG_SENTINEL_COMM "membw-sentinel"

/* Fork the watchdog, which knows no group yet. Returns its pid and the pipe's write end in
 * *@life_fd, or -errno. Call it first, before anything it would have to undo exists. */
pid_t watchdog_start(int *life_fd);

/* Tell the watchdog what @g is now (announce a cgroup before creating it, and again when the
 * program's pid is known): what it is told is what it undoes. 0 or -errno. */
int watchdog_tell(int life_fd, const struct group *g);

/* What the watchdog answers, once, to the first description of a signals group with its leader:
 * its sentinel is a member of the program's process group, or could not be made one. */
#define WATCHDOG_SENTINEL_IN 'S'
#define WATCHDOG_SENTINEL_FAILED 'F'

/*
 * With signals, before the program may run: wait until the watchdog says its sentinel is in the
 * program's process group. Until then membw's death (SIGKILL right after the program's exec)
 * could orphan the group while the program is stopped, and the kernel's SIGHUP would kill it.
 * Polls @sfd (membw's signalfd) too, so that ^C, TERM, HUP or QUIT end the wait: nothing blocks
 * outside an event loop. 0; -EINTR for such a signal; -EAGAIN if the watchdog could not place
 * the sentinel; -EPIPE if the watchdog is gone; or -errno of poll.
 */
int watchdog_await_sentinel(int life_fd, int sfd);

/* Close every descriptor from 3 up except @keep1 and @keep2 (-1: none); for a freshly forked
 * child, so it holds nothing of membw's (above all not the watchdog's socket). */
void watchdog_close_all_but(int keep1, int keep2);

/* Normal end: the group is torn down already; the watchdog exits without touching it. Does
 * nothing when @life_fd is -1 (the watchdog died and was reaped). */
void watchdog_done(int life_fd, pid_t watchdog);

#endif /* MEMBW_RUN_WATCHDOG_H */
