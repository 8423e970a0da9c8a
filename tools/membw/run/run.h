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

#endif
