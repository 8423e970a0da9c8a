/* SPDX-License-Identifier: MIT */
/* The command-line fuzz targets' shared part (see cli_harness.h). */
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <membw/units.h>

#include "cli_harness.h"
#include "commands.h"
#include "text.h"

static bool parsing;
static FILE *saved_out, *saved_err;

_Noreturn void cli_broken(const char *what, const char *detail)
{
	if (parsing) {
		stdout = saved_out;
		stderr = saved_err;
	}
	fprintf(stderr, "invariant broken: %s (%s)\n", what, detail ? detail : "");
	abort();
}

bool cli_split(struct cli_call *c, const char *argv0, const uint8_t *data, size_t size)
{
	size_t k, start = 0;

	memset(c, 0, sizeof(*c));
	c->buf = malloc(size + 1);
	if (!c->buf)
		return false;
	memcpy(c->buf, data, size);
	c->buf[size] = '\0';
	c->argv[0] = (char *)argv0;
	c->argc = 1;
	for (k = 0; k <= size && c->argc <= CLI_MAX_ARGS; k++)
		if (c->buf[k] == '\0') {
			c->argv[c->argc++] = c->buf + start;
			start = k + 1;
		}
	c->argv[c->argc] = NULL;
	return true;
}

void cli_capture(struct cli_call *c)
{
	saved_out = stdout;
	saved_err = stderr;
	stdout = open_memstream(&c->out, &c->outn);
	stderr = open_memstream(&c->err, &c->errn);
	if (!stdout || !stderr)
		abort();
	parsing = true;
}

void cli_release(struct cli_call *c)
{
	(void)c;
	parsing = false;
	fclose(stdout);
	fclose(stderr);
	stdout = saved_out;
	stderr = saved_err;
}

void cli_check_refused(const struct cli_call *c, int ret, const char *usage, const char *prefix,
		       const char *hint)
{
	if (ret == -1) {
		if (c->errn || strncmp(c->out, usage, strlen(usage)))
			cli_broken("--help without the usage on stdout", c->out);
	} else if (ret == EXIT_BAD_INPUT) {
		if (c->outn || strncmp(c->err, prefix, strlen(prefix)) ||
		    (hint && !strstr(c->err, hint)))
			cli_broken("a refusal without its message on stderr", c->err);
	} else {
		cli_broken("an unknown return", NULL);
	}
}

void cli_free(struct cli_call *c)
{
	free(c->out);
	free(c->err);
	free(c->buf);
}

static bool some_arg(const struct cli_call *c, const char *name, uint64_t want,
		     int (*parse)(const char *, uint64_t *, const char **))
{
	size_t n = name ? strlen(name) : 0;
	uint64_t v;
	int i;

	for (i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (name && !strncmp(a, name, n) && a[n] == '=')
			a += n + 1;
		if (!parse(a, &v, NULL) && v == want)
			return true;
	}
	return false;
}

bool cli_some_arg_is_rate(const struct cli_call *c, const char *name, uint64_t bps)
{
	return some_arg(c, name, bps, membw_parse_rate);
}

bool cli_some_arg_is_duration(const struct cli_call *c, const char *name, uint64_t ns)
{
	return some_arg(c, name, ns, membw_parse_duration);
}

static int whole_number(const char *s, uint64_t *out, const char **why)
{
	(void)why;
	return text_parse_whole_number(s, out) ? 0 : -1;
}

bool cli_some_arg_is_number(const struct cli_call *c, const char *name, uint64_t n)
{
	return some_arg(c, name, n, whole_number);
}

/*
 * The calls a parser must not make, wrapped by the linker (-Wl,--wrap=NAME turns the target's
 * calls of NAME into __wrap_NAME, and __real_NAME is the C library's).
 */
#define FORBIDDEN(what)                                                                           \
	do {                                                                                      \
		if (parsing)                                                                      \
			cli_broken("the parser " what, NULL);                                     \
	} while (0)

int __wrap_open(const char *path, int flags, ...);
int __real_openat(int dir, const char *path, int flags, ...);
int __wrap_openat(int dir, const char *path, int flags, ...);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
pid_t __real_fork(void);
pid_t __wrap_fork(void);
int __real_execve(const char *path, char *const argv[], char *const envp[]);
int __wrap_execve(const char *path, char *const argv[], char *const envp[]);
int __real_execvp(const char *file, char *const argv[]);
int __wrap_execvp(const char *file, char *const argv[]);
int __real_posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		       const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int __wrap_posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		       const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
FILE *__real_popen(const char *command, const char *mode);
FILE *__wrap_popen(const char *command, const char *mode);
int __real_system(const char *command);
int __wrap_system(const char *command);
int __real_socket(int domain, int type, int protocol);
int __wrap_socket(int domain, int type, int protocol);

int __wrap_openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	FORBIDDEN("opened a file");
	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return __real_openat(dir, path, flags, mode);
}

int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return __wrap_openat(AT_FDCWD, path, flags, mode);
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	FORBIDDEN("opened a file");
	return __real_fopen(path, mode);
}

pid_t __wrap_fork(void)
{
	FORBIDDEN("forked");
	return __real_fork();
}

int __wrap_execve(const char *path, char *const argv[], char *const envp[])
{
	FORBIDDEN("ran a program");
	return __real_execve(path, argv, envp);
}

int __wrap_execvp(const char *file, char *const argv[])
{
	FORBIDDEN("ran a program");
	return __real_execvp(file, argv);
}

int __wrap_posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		       const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	FORBIDDEN("started a process");
	return __real_posix_spawn(pid, path, fa, attr, argv, envp);
}

FILE *__wrap_popen(const char *command, const char *mode)
{
	FORBIDDEN("started a process");
	return __real_popen(command, mode);
}

int __wrap_system(const char *command)
{
	FORBIDDEN("started a process");
	return __real_system(command);
}

int __wrap_socket(int domain, int type, int protocol)
{
	FORBIDDEN("opened a socket");
	return __real_socket(domain, type, protocol);
}
