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

/* The unified (v2) hierarchy's mount point, from /proc/self/mountinfo. */
static int cgroup2_mount(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		char mnt[GROUP_PATH_MAX], *sep = strstr(line, " - ");

		/* id parent major:minor root mount-point ... - fstype source options */
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1 && strlen(mnt) < len) {
			strcpy(out, mnt);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* Our own v2 cgroup path ("0::/path" in /proc/self/cgroup). */
static int own_cgroup(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[GROUP_PATH_MAX + 8];
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line + 3) < len) {
			strcpy(out, line + 3);
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
	if (force_signals || cgroup2_mount(mnt, sizeof(mnt)) || own_cgroup(own, sizeof(own)))
		return;
	if (!strcmp(own, "/"))
		own[0] = '\0';
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

void group_teardown(struct group *g)
{
	char path[GROUP_PATH_MAX + 32];
	FILE *f;
	int pid, tries;

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
	/* Tasks the program left behind go on running where membw itself runs. */
	for (tries = 0; tries < 100; tries++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", g->dir);
		f = fopen(path, "r");
		if (f) {
			char num[24];

			while (fscanf(f, "%d", &pid) == 1) {
				snprintf(num, sizeof(num), "%d", pid);
				write_text(g->parent_procs, num);
			}
			fclose(f);
		}
		if (rmdir(g->dir) == 0 || errno == ENOENT)
			break;
		usleep(1000); /* a task in the middle of exiting still holds the group */
	}
	g->kind = GROUP_NONE;
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
