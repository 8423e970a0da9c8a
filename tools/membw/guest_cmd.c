/* SPDX-License-Identifier: MIT */
/*
 * `membw guest`: inside a VM, ask the hypervisor for memory bandwidth through the memtalk guest
 * driver (kmod/guest/, membw_memtalk.ko) and read back the budget, the host's cap and statistics.
 * The module does the calls; this command validates the rates first, writes the module's budget
 * file and turns its answers and refusals into readable text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <membw/units.h>

#include "commands.h"

#define GUEST_DEFAULT_DIR "/sys/kernel/debug/membw_memtalk"
/* Every file of the module is a few lines; more than this is not the module's file. */
#define GUEST_FILE_MAX 2048

static void guest_usage(FILE *out)
{
	fprintf(out,
		"Usage: membw guest status\n"
		"       membw guest set RATE [--write RATE]\n"
		"       membw guest stats\n"
		"\nAsk the hypervisor for this VM's memory bandwidth (memtalk, docs/memtalk.md)\n"
		"through the membw_memtalk kernel module (kmod/guest/). Needs root.\n"
		"\nCommands:\n"
		"  status               is memtalk there; budget, host cap and floor per channel\n"
		"  set RATE             set the read budget to RATE; the write-back budget stays\n"
		"  set RATE --write W   set the read budget to RATE and the write-back budget to W\n"
		"  stats                the host's statistics for this VM (a fresh snapshot)\n"
		"\nRATE: bytes per second, e.g. 500MB/s (MB = 10^6 B), 1.5GiB/s, 800M, unlimited.\n"
		"\nEnvironment:\n"
		"  MEMBW_MEMTALK_DIR    the module's directory (default " GUEST_DEFAULT_DIR ")\n"
		"\nExit status: 0 done; 1 module not loaded, memtalk not present, or refused by the\n"
		"host; 2 bad command line.\n");
}

static const char *guest_dir(void)
{
	const char *dir = getenv("MEMBW_MEMTALK_DIR");

	return dir && *dir ? dir : GUEST_DEFAULT_DIR;
}

/* Is the module there and may we use it? Prints why not. */
static int guest_check_module(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EACCES) {
		fprintf(stderr, "membw guest: permission denied on %s: run as root\n", dir);
		return EXIT_RUN_FAILED;
	}
	fprintf(stderr,
		"membw guest: the membw_memtalk module is not loaded (no %s): load it with "
		"'insmod membw_memtalk.ko' (built by make check-kmod-guest), and mount debugfs at "
		"/sys/kernel/debug if it is not\n",
		dir);
	return EXIT_RUN_FAILED;
}

/* Open DIR/NAME with @flags: the descriptor, or minus an errno value (ENAMETOOLONG when the
 * path does not fit). */
static int guest_open(const char *dir, const char *name, int flags)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd;

	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

/* Read DIR/NAME into @buf (NUL-terminated); 0 or an errno value. */
static int guest_read(const char *dir, const char *name, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;
	int fd = guest_open(dir, name, O_RDONLY), err = 0;

	if (fd < 0)
		return -fd;
	while (used + 1 < size && (n = read(fd, buf + used, size - 1 - used)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return err;
}

/* Write @text to DIR/NAME in one write(); 0 or the errno value the module refused it with. */
static int guest_write(const char *dir, const char *name, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd = guest_open(dir, name, O_WRONLY), err = 0;

	if (fd < 0)
		return -fd;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

/* The text after "@key" on the line of @text that starts with it, up to the newline. */
static void guest_line_after(const char *text, const char *key, char *out, size_t size)
{
	const char *p = text;
	size_t klen = strlen(key), n;

	out[0] = '\0';
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen))
			continue;
		p += klen;
		n = strcspn(p, "\n");
		if (n >= size)
			n = size - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return;
	}
}

/* "key=VALUE" in @line, VALUE a rate in bytes/s, written out with its unit into @out. */
static void guest_rate_field(const char *line, const char *key, char *out, size_t size)
{
	char pat[64], value[32];
	const char *p;
	size_t n;
	uint64_t bps;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p) {
		snprintf(out, size, "?");
		return;
	}
	p += strlen(pat);
	n = strcspn(p, " \n");
	if (n >= sizeof(value))
		n = sizeof(value) - 1;
	memcpy(value, p, n);
	value[n] = '\0';
	if (membw_parse_rate(value, &bps, NULL) == 0)
		membw_format_rate(out, size, bps);
	else
		snprintf(out, size, "%s (not a rate)", value);
}

/* The budget file, one readable line per channel. */
static int guest_print_budget(const char *dir)
{
	static const char *const channels[] = { "read", "write" };
	char text[GUEST_FILE_MAX], line[256];
	size_t i;
	int err = guest_read(dir, "budget", text, sizeof(text));

	if (err) {
		fprintf(stderr, "membw guest: reading %s/budget: %s\n", dir, strerror(err));
		return EXIT_RUN_FAILED;
	}
	for (i = 0; i < sizeof(channels) / sizeof(channels[0]); i++) {
		char budget[64], cap[64], floor_[64], key[16];

		snprintf(key, sizeof(key), "%s ", channels[i]);
		guest_line_after(text, key, line + 1, sizeof(line) - 1);
		line[0] = ' ';
		guest_rate_field(line, "budget_bytes_per_s", budget, sizeof(budget));
		guest_rate_field(line, "cap_bytes_per_s", cap, sizeof(cap));
		guest_rate_field(line, "floor_bytes_per_s", floor_, sizeof(floor_));
		printf("%-6s budget %s, host cap %s, floor %s\n", channels[i], budget, cap, floor_);
	}
	return 0;
}

/* Prints "memtalk not present (...)" from the status file if that is the case; 1 if it is. */
static int guest_report_absent(const char *dir)
{
	char text[GUEST_FILE_MAX], reason[512];

	if (guest_read(dir, "status", text, sizeof(text)))
		return 0;
	guest_line_after(text, "memtalk not present ", reason, sizeof(reason));
	if (!reason[0])
		return 0;
	fprintf(stderr, "membw guest: memtalk not present %s: no hypervisor answers memtalk "
			"calls in this VM\n",
		reason);
	return 1;
}

static int guest_status(const char *dir)
{
	char text[GUEST_FILE_MAX];
	int err = guest_read(dir, "status", text, sizeof(text));

	if (err) {
		fprintf(stderr, "membw guest: reading %s/status: %s\n", dir, strerror(err));
		return EXIT_RUN_FAILED;
	}
	fputs(text, stdout);
	if (guest_report_absent(dir))
		return EXIT_RUN_FAILED;
	return guest_print_budget(dir);
}

static int guest_stats(const char *dir)
{
	char text[GUEST_FILE_MAX], why[512];
	int err;

	if (guest_report_absent(dir))
		return EXIT_RUN_FAILED;
	err = guest_read(dir, "stats", text, sizeof(text));
	if (err) {
		char status[GUEST_FILE_MAX];

		why[0] = '\0';
		if (!guest_read(dir, "status", status, sizeof(status)))
			guest_line_after(status, "last_error: ", why, sizeof(why));
		fprintf(stderr, "membw guest: reading the statistics: %s%s%s\n", strerror(err),
			why[0] ? ": " : "", why);
		return EXIT_RUN_FAILED;
	}
	fputs(text, stdout);
	return 0;
}

/* "unlimited" or the rate in bytes/s: what the module's budget file reads. */
static void guest_rate_text(char *out, size_t size, uint64_t bps)
{
	if (bps == MEMBW_UNLIMITED)
		snprintf(out, size, "unlimited");
	else
		snprintf(out, size, "%llu", (unsigned long long)bps);
}

static int guest_parse(const char *what, const char *text, uint64_t *bps)
{
	const char *why = NULL;

	if (membw_parse_rate(text, bps, &why) == 0)
		return 0;
	fprintf(stderr, "membw guest: bad %s rate '%s': %s (e.g. 500MB/s, 1.5GiB/s, unlimited)\n",
		what, text, why ? why : "not a rate");
	return EXIT_BAD_INPUT;
}

static int guest_set(const char *dir, int argc, char **argv)
{
	char request[128], rd[24], wr[24], why[512];
	const char *read_text = NULL, *write_text = NULL;
	uint64_t read_bps = 0, write_bps = 0;
	int i, err;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			guest_usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--write")) {
			if (i + 1 >= argc || write_text) {
				fprintf(stderr, "membw guest: --write needs one RATE (membw guest "
						"--help)\n");
				return EXIT_BAD_INPUT;
			}
			write_text = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' &&
								 argv[i][1] <= '9')) {
			fprintf(stderr, "membw guest: unknown option '%s' (membw guest --help)\n",
				argv[i]);
			return EXIT_BAD_INPUT;
		} else if (!read_text) {
			read_text = argv[i];
		} else {
			fprintf(stderr, "membw guest: set takes one RATE, got '%s' too (membw guest "
					"--help)\n", argv[i]);
			return EXIT_BAD_INPUT;
		}
	}
	if (!read_text) {
		fprintf(stderr, "membw guest: set needs a RATE, e.g. membw guest set 500MB/s\n");
		return EXIT_BAD_INPUT;
	}
	if ((err = guest_parse("read", read_text, &read_bps)) ||
	    (write_text && (err = guest_parse("write", write_text, &write_bps))))
		return err;
	err = guest_check_module(dir);
	if (err)
		return err;

	guest_rate_text(rd, sizeof(rd), read_bps);
	guest_rate_text(wr, sizeof(wr), write_bps);
	if (write_text)
		snprintf(request, sizeof(request), "read=%s write=%s\n", rd, wr);
	else
		snprintf(request, sizeof(request), "read=%s\n", rd);
	err = guest_write(dir, "budget", request);
	if (err == ENODEV && guest_report_absent(dir))
		return EXIT_RUN_FAILED;
	if (err) {
		char status[GUEST_FILE_MAX];

		why[0] = '\0';
		if (!guest_read(dir, "status", status, sizeof(status)))
			guest_line_after(status, "last_error: ", why, sizeof(why));
		fprintf(stderr, "membw guest: the budget was not changed: %s%s%s\n",
			strerror(err), why[0] ? ": " : "", why);
		return EXIT_RUN_FAILED;
	}
	return guest_print_budget(dir);
}

int guest_main(int argc, char **argv)
{
	const char *dir = guest_dir();
	int err;

	if (argc < 2) {
		guest_usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		guest_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "set"))
		return guest_set(dir, argc - 2, argv + 2);
	if (strcmp(argv[1], "status") && strcmp(argv[1], "stats")) {
		fprintf(stderr, "membw guest: unknown command '%s'; expected status, set or stats "
				"(membw guest --help)\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	if (argc > 2) {
		fprintf(stderr, "membw guest %s takes no arguments, got '%s'\n", argv[1], argv[2]);
		return EXIT_BAD_INPUT;
	}
	err = guest_check_module(dir);
	if (err)
		return err;
	return strcmp(argv[1], "status") ? guest_stats(dir) : guest_status(dir);
}
