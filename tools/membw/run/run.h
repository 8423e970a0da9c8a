/* SPDX-License-Identifier: MIT */
/* The two ways `membw run` regulates: a program's process tree, or everything on one CPU. */
#ifndef MEMBW_RUN_RUN_H
#define MEMBW_RUN_RUN_H

#include "regulator.h"

/* Each returns the exit status of `membw run`. */
int run_tree(const struct run_options *opt);
int run_cpu(const struct run_options *opt);

/*
 * The runtime sees an overflow only when the scheduler runs it: at normal priority on a busy
 * machine that is hundreds of microseconds late, and the program keeps counting meanwhile.
 * Measured here (2 vCPUs, load 3, page-fault workload at 40 MB/s, 10 ms periods): largest
 * overshoot 100-250 events per period at normal priority, 7-17 at SCHED_FIFO 10.
 */
#define RUN_RT_PRIORITY 10
#define RUN_RT_PRIORITY_TEXT "10"

/* Move the calling thread to SCHED_FIFO RUN_RT_PRIORITY if allowed; true if it is there. */
bool run_realtime(void);

/* Block the signals the runtime reads from a signalfd; returns the fd or -1 (explained, and
 * the mask as it was). */
int run_signalfd(sigset_t *old_mask);

/* Undo run_signalfd() once nothing raises the runtime's signals any more: drop what is pending,
 * restore @old_mask, close @fd. */
void run_signalfd_close(int fd, const sigset_t *old_mask);

/*
 * The one event loop of both ways of running. What differs is data: a descriptor of -1 is not
 * watched, a pid of -1 means no program, an end time of 0 means none.
 */
struct run_loop {
	struct regulator *r; /* started; its timer is watched */
	int sfd;             /* from run_signalfd() */
	pid_t pid;           /* the program: signals are passed on, its end ends the run; or -1,
			      * and a signal ends the run */
	uint64_t end_ns;     /* CLOCK_MONOTONIC time to stop at (--cpu --duration), or 0 */
	int exec_fd;         /* read end of the pipe the child writes its exec errno to, or -1;
			      * the loop closes it and sets -1 */
	int life_fd;         /* membw's end of the watchdog's socket, or -1; when the watchdog
			      * dies the loop stops the regulator, calls release, closes it and
			      * sets -1 */
	pid_t watchdog;
	void (*release)(void *ctx); /* resume the program (the watchdog is gone); may be NULL */
	void *release_ctx;
	const char *prog_name; /* for messages */
	/* Out. */
	bool regulating;     /* false once the watchdog died */
	int status;          /* the program's wait status */
	int exec_errno;      /* the exec's error, or 0 */
};

/* Run until the program ends (or end_ns passes, or a signal arrives when there is no program). */
void run_loop(struct run_loop *l);

/* The exit status of `membw run` for what run_loop() saw: 127/126 for an exec failure, the
 * program's status (128 + N for a signal), 0 with no program. */
int run_exit_status(const struct run_loop *l);

#endif
