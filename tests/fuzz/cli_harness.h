/* SPDX-License-Identifier: MIT */
/*
 * What the command-line fuzz targets share (tests/fuzz/fuzz_cli*.c): the input as an argument
 * vector, the parser's stdout and stderr captured in memory, and any file opened or process
 * started while the parser runs caught as a broken invariant: a parser acts on nothing.
 *
 * The catching needs the target linked with CLI_HARNESS_WRAP's -Wl,--wrap options (mk/fuzz.mk):
 * each wrapped call aborts between cli_capture() and cli_release(), and is the C library's own
 * outside them (libFuzzer reads and writes its corpus with them).
 */
#ifndef MEMBW_FUZZ_CLI_HARNESS_H
#define MEMBW_FUZZ_CLI_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_ARGS 16

struct cli_call {
	char *buf;                      /* the input, NUL-terminated */
	char *argv[CLI_MAX_ARGS + 2];   /* argv[0] is the command's name; NULL at argv[argc] */
	int argc;
	char *out, *err;                /* what the parser printed on stdout and stderr */
	size_t outn, errn;
};

/*
 * Split @data at NUL bytes into at most CLI_MAX_ARGS arguments after @argv0. False if there is
 * no memory (the input is then skipped).
 */
bool cli_split(struct cli_call *c, const char *argv0, const uint8_t *data, size_t size);

/* From here to cli_release(): stdout and stderr go to c->out and c->err, and a file opened or a
 * process started is a broken invariant. */
void cli_capture(struct cli_call *c);
void cli_release(struct cli_call *c);

/*
 * A parser's return @ret other than 0: -1 (--help) with the text starting @usage on stdout and
 * nothing on stderr, or EXIT_BAD_INPUT with nothing on stdout and a message starting @prefix and
 * holding @hint (unless NULL) on stderr; anything else is a broken invariant.
 */
void cli_check_refused(const struct cli_call *c, int ret, const char *usage, const char *prefix,
		       const char *hint);

void cli_free(struct cli_call *c);

/* Report a broken invariant ("invariant broken: ...", as tests/fuzz/run looks for) and abort. */
_Noreturn void cli_broken(const char *what, const char *detail);

/* True if some argument of @c reads as the rate @bps (membw_parse_rate()), whole or after
 * "@name=" (@name may be NULL). */
bool cli_some_arg_is_rate(const struct cli_call *c, const char *name, uint64_t bps);

/* The same for a duration (membw_parse_duration()). */
bool cli_some_arg_is_duration(const struct cli_call *c, const char *name, uint64_t ns);

/* The same for a whole number (text_parse_whole_number()). */
bool cli_some_arg_is_number(const struct cli_call *c, const char *name, uint64_t n);

#endif /* MEMBW_FUZZ_CLI_HARNESS_H */
