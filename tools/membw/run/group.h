/* SPDX-License-Identifier: MIT */
/*
 * The regulated task set of `membw run` and how it is stopped: a cgroup v2 child group frozen
 * through cgroup.freeze when the unified hierarchy is mounted and writable, SIGSTOP/SIGCONT to
 * the process group otherwise. Every call is safe from any process that knows the group (the
 * watchdog repeats thaw and teardown after membw is gone).
 */
#ifndef MEMBW_RUN_GROUP_H
#define MEMBW_RUN_GROUP_H

#include <stdbool.h>
#include <sys/types.h>

#define GROUP_PATH_MAX 512

enum group_kind { GROUP_NONE, GROUP_CGROUP, GROUP_SIGNALS };

struct group {
	enum group_kind kind;
	pid_t leader;                     /* the program's pid = its process group (signals) */
	char dir[GROUP_PATH_MAX];         /* our child cgroup, e.g. /sys/fs/cgroup/x/membw-run.123 */
	char parent_procs[GROUP_PATH_MAX]; /* where leftover tasks go back: .../x/cgroup.procs */
	int freeze_fd;                    /* open cgroup.freeze, or -1 */
	/* --max-pids where the freezer's cgroup has no pids controller: our group in the cgroup v1
	 * pids hierarchy, and where leftover tasks go back ("" when not used). */
	char pids_dir[GROUP_PATH_MAX], pids_parent_procs[GROUP_PATH_MAX];
};

/*
 * Prepare a group; @force_signals skips the cgroup. @announce (may be NULL) is called with the
 * group as it will be just before the cgroup is created, so a watchdog knows what to remove even
 * if membw dies right after. Sets kind (a cgroup was created when kind is GROUP_CGROUP); @why
 * explains a cgroup that was tried and given up ("" otherwise).
 */
void group_prepare(struct group *g, bool force_signals, void (*announce)(const struct group *g,
								      void *arg),
		   void *arg, char *why, size_t len);

/* Put @pid (the program, before it runs) in the group; its descendants follow. 0 or -errno. */
int group_add(struct group *g, pid_t pid);

/*
 * Limit the group to @max tasks (pids.max; fork() and clone() fail with EAGAIN beyond it): in
 * the freezer's cgroup when its pids controller is enabled there, else in a group of its own in
 * the cgroup v1 pids hierarchy (announced first, as in group_prepare()). Call after
 * group_prepare(), before group_add(). 0, or -1 with the reason in @why.
 */
int group_limit_pids(struct group *g, unsigned long max, void (*announce)(const struct group *g,
									  void *arg),
		     void *arg, char *why, size_t len);

/* Put @pid in the pids group of group_limit_pids() if it made one. 0 or -errno. */
int group_add_pids(struct group *g, pid_t pid);

/* The freezer's cgroup could not take the program: remove it, keep the pids limit, go on with
 * signals. */
void group_fall_back_to_signals(struct group *g);

/* Stop / resume every task of the group. Never blocks on the tasks. */
void group_freeze(struct group *g);
void group_thaw(struct group *g);

/* Thaw, hand leftover tasks back to the parent cgroup, remove our cgroups (the pids group
 * too). Idempotent. */
void group_teardown(struct group *g);

/* Human name of the mechanism, for messages. */
const char *group_kind_name(const struct group *g);

#endif /* MEMBW_RUN_GROUP_H */
