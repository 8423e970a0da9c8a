/* SPDX-License-Identifier: MIT */
/* The regulated task set: a frozen cgroup v2 child group, or SIGSTOP/SIGCONT (see group.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "group.h"

/* Whether the comma-separated @list names @word. */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/*
 * The mount point of a cgroup hierarchy, from /proc/self/mountinfo: the unified (v2) one for
 * @fstype "cgroup2", or the v1 one whose super options name @controller for "cgroup".
 */
static int cgroup_mount(const char *fstype, const char *controller, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	size_t tl = strlen(fstype);
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		char mnt[GROUP_PATH_MAX], opts[512], *sep = strstr(line, " - ");

		/* id parent major:minor root mount-point ... - fstype source super-options */
		if (!sep || strncmp(sep + 3, fstype, tl) || sep[3 + tl] != ' ')
			continue;
		if (controller && (sscanf(sep + 3, "%*s %*s %511s", opts) != 1 ||
				   !in_list(opts, controller)))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1 && strlen(mnt) < len) {
			strcpy(out, mnt);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* Our own cgroup path in a hierarchy, from /proc/self/cgroup ("ID:CONTROLLERS:PATH"): the v2
 * one ("0::/path") for @controller NULL, else the v1 one whose controllers name it; "" for the
 * root. */
static int own_cgroup(const char *controller, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[GROUP_PATH_MAX + 64];
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *path = ctl ? strchr(ctl + 1, ':') : NULL;

		if (!path)
			continue;
		*ctl++ = '\0';
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (controller ? !in_list(ctl, controller) : strcmp(line, "0") || *ctl)
			continue;
		if (strlen(path) < len) {
			strcpy(out, !strcmp(path, "/") ? "" : path);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

void group_prepare(struct group *g, bool force_signals,
		   void (*announce)(const struct group *g, void *arg), void *arg, char *why,
		   size_t len)
{
	char mnt[GROUP_PATH_MAX], own[GROUP_PATH_MAX], path[GROUP_PATH_MAX + 32];
	int n;

	memset(g, 0, sizeof(*g));
	g->freeze_fd = -1;
	g->kind = GROUP_SIGNALS;
	why[0] = '\0';
	if (force_signals || cgroup_mount("cgroup2", NULL, mnt, sizeof(mnt)) ||
	    own_cgroup(NULL, own, sizeof(own)))
		return;
	n = snprintf(g->parent_procs, sizeof(g->parent_procs), "%s%s/cgroup.procs", mnt, own);
	if (n < 0 || (size_t)n >= sizeof(g->parent_procs))
		return;
	n = snprintf(g->dir, sizeof(g->dir), "%s%s/membw-run.%d", mnt, own, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(g->dir)) {
		g->dir[0] = '\0';
		return;
	}
	if (announce) {
		g->kind = GROUP_CGROUP;
		announce(g, arg);
		g->kind = GROUP_SIGNALS;
	}
	/* Not allowed to make a group (not root, no delegation): signals, silently. */
	if (mkdir(g->dir, 0755)) {
		g->dir[0] = '\0';
		if (announce)
			announce(g, arg);
		return;
	}
	snprintf(path, sizeof(path), "%s/cgroup.freeze", g->dir);
	g->freeze_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (g->freeze_fd < 0) {
		/* A kernel older than 5.2 has no cgroup v2 freezer. */
		snprintf(why, len, "%s: no cgroup.freeze (%s); using SIGSTOP/SIGCONT", g->dir,
			 strerror(errno));
		rmdir(g->dir);
		g->dir[0] = '\0';
		if (announce)
			announce(g, arg);
		return;
	}
	g->kind = GROUP_CGROUP;
}

int group_add(struct group *g, pid_t pid)
{
	char path[GROUP_PATH_MAX + 32], num[24];

	g->leader = pid;
	if (g->kind != GROUP_CGROUP)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", g->dir);
	snprintf(num, sizeof(num), "%d", (int)pid);
	return write_text(path, num);
}

/* SIGCONT (or @sig) to @pid and every descendant, through /proc/PID/task/TID/children. */
static void signal_tree(pid_t pid, int sig, int depth)
{
	char path[64];
	DIR *tasks;
	struct dirent *t;

	if (pid <= 0 || depth > 64)
		return;
	kill(pid, sig);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return;
	while ((t = readdir(tasks))) {
		char cpath[300];
		FILE *f;
		int child;

		if (t->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children", (int)pid, t->d_name);
		f = fopen(cpath, "r");
		if (!f)
			continue;
		while (fscanf(f, "%d", &child) == 1)
			signal_tree(child, sig, depth + 1);
		fclose(f);
	}
	closedir(tasks);
}

void group_freeze(struct group *g)
{
	if (g->kind == GROUP_CGROUP) {
		(void)!pwrite(g->freeze_fd, "1", 1, 0);
	} else if (g->kind == GROUP_SIGNALS && g->leader > 0) {
		kill(-g->leader, SIGSTOP);
	}
}

void group_thaw(struct group *g)
{
	if (g->kind == GROUP_CGROUP) {
		(void)!pwrite(g->freeze_fd, "0", 1, 0);
	} else if (g->kind == GROUP_SIGNALS && g->leader > 0) {
		kill(-g->leader, SIGCONT);
	}
}

/* Hand the tasks left in @dir back to @parent_procs, then remove @dir. */
static void remove_group(const char *dir, const char *parent_procs)
{
	char path[GROUP_PATH_MAX + 32];
	FILE *f;
	int pid, tries;

	/*
	 * Tasks the program left behind go on running where membw itself runs. A task in the
	 * middle of exiting still holds the group until it is reaped, which on a loaded machine
	 * took longer than 100 ms (the kill storm saw a group left behind): retry every 1 ms for
	 * 100 ms, then every 10 ms, for at most about 5 s.
	 */
	for (tries = 0; tries < 600; tries++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		f = fopen(path, "r");
		if (f) {
			char num[24];

			while (fscanf(f, "%d", &pid) == 1) {
				snprintf(num, sizeof(num), "%d", pid);
				write_text(parent_procs, num);
			}
			fclose(f);
		}
		if (rmdir(dir) == 0 || errno == ENOENT)
			break;
		usleep(tries < 100 ? 1000 : 10000);
	}
}

/* Thaw and remove the freezer's cgroup, or resume the process group. */
static void release(struct group *g)
{
	char path[GROUP_PATH_MAX + 32];

	if (g->kind == GROUP_SIGNALS) {
		if (g->leader > 0) {
			kill(-g->leader, SIGCONT);
			signal_tree(g->leader, SIGCONT, 0);
		}
		return;
	}
	if (g->kind != GROUP_CGROUP)
		return;
	if (g->freeze_fd >= 0) {
		group_thaw(g);
		close(g->freeze_fd);
		g->freeze_fd = -1;
	} else {
		snprintf(path, sizeof(path), "%s/cgroup.freeze", g->dir);
		write_text(path, "0");
	}
	remove_group(g->dir, g->parent_procs);
	g->kind = GROUP_NONE;
}

void group_teardown(struct group *g)
{
	release(g);
	if (g->pids_dir[0]) {
		remove_group(g->pids_dir, g->pids_parent_procs);
		g->pids_dir[0] = '\0';
	}
}

void group_fall_back_to_signals(struct group *g)
{
	release(g);
	g->kind = GROUP_SIGNALS;
}

int group_limit_pids(struct group *g, unsigned long max,
		     void (*announce)(const struct group *g, void *arg), void *arg, char *why,
		     size_t len)
{
	char mnt[GROUP_PATH_MAX], own[GROUP_PATH_MAX], path[GROUP_PATH_MAX + 32], num[24];
	int n, err;

	snprintf(num, sizeof(num), "%lu", max);
	if (g->kind == GROUP_CGROUP) {
		snprintf(path, sizeof(path), "%s/pids.max", g->dir);
		err = write_text(path, num);
		if (!err)
			return 0;
		if (err != -ENOENT) {
			snprintf(why, len, "%s: %s", path, strerror(-err));
			return -1;
		}
	}
	/* No pids controller in the freezer's cgroup (or no such cgroup): the v1 hierarchy. */
	if (cgroup_mount("cgroup", "pids", mnt, sizeof(mnt)) ||
	    own_cgroup("pids", own, sizeof(own))) {
		snprintf(why, len, "no pids controller: neither in %s (enable it in the parent's "
			 "cgroup.subtree_control) nor a cgroup v1 pids hierarchy",
			 g->kind == GROUP_CGROUP ? g->dir : "a cgroup v2 group of membw's (none "
			 "with --signals or without cgroup v2)");
		return -1;
	}
	n = snprintf(g->pids_parent_procs, sizeof(g->pids_parent_procs), "%s%s/cgroup.procs", mnt,
		     own);
	if (n < 0 || (size_t)n >= sizeof(g->pids_parent_procs) ||
	    (n = snprintf(g->pids_dir, sizeof(g->pids_dir), "%s%s/membw-run.%d", mnt, own,
			  (int)getpid())) < 0 || (size_t)n >= sizeof(g->pids_dir)) {
		snprintf(why, len, "the pids hierarchy's path is too long");
		g->pids_dir[0] = '\0';
		return -1;
	}
	if (announce)
		announce(g, arg);
	if (mkdir(g->pids_dir, 0755)) {
		snprintf(why, len, "cannot create %s: %s", g->pids_dir, strerror(errno));
		g->pids_dir[0] = '\0';
		return -1;
	}
	snprintf(path, sizeof(path), "%s/pids.max", g->pids_dir);
	err = write_text(path, num);
	if (err) {
		snprintf(why, len, "%s: %s", path, strerror(-err));
		remove_group(g->pids_dir, g->pids_parent_procs);
		g->pids_dir[0] = '\0';
		return -1;
	}
	return 0;
}

int group_add_pids(struct group *g, pid_t pid)
{
	char path[GROUP_PATH_MAX + 32], num[24];

	if (!g->pids_dir[0])
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", g->pids_dir);
	snprintf(num, sizeof(num), "%d", (int)pid);
	return write_text(path, num);
}

const char *group_kind_name(const struct group *g)
{
	switch (g->kind) {
	case GROUP_CGROUP:
		return "cgroup v2 freezer";
	case GROUP_SIGNALS:
		return "SIGSTOP/SIGCONT to the process group";
	default:
		return "none";
	}
}
