/* SPDX-License-Identifier: MIT */
/* `membw conformance`'s command line and online CPUs file, parsed apart from the command so that
 * they can be tested alone. */
#ifndef MEMBW_TOOL_CONFORMANCE_ARGS_H
#define MEMBW_TOOL_CONFORMANCE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPUs --cpus may name: 0 .. CONFORMANCE_MAX_CPUS - 1. */
#define CONFORMANCE_MAX_CPUS 4096

struct conformance_options {
	const char *event; /* "default" unless --event */
	const char *cpus;  /* the --cpus list as given (conformance_parse_cpus()), or NULL */
	uint64_t skid;     /* 0: the workload's default; else 1 .. 2^40 */
	bool json;
};

/*
 * Read argv[1 .. argc - 1] into @o. Returns 0 to go on, -1 after printing the usage to stdout
 * (-h or --help), or EXIT_BAD_INPUT after printing "membw conformance: ..." to stderr. Nothing
 * else is done: no file is opened, nothing is run.
 */
int conformance_parse_args(int argc, char **argv, struct conformance_options *o);

/*
 * The CPU list @s ("0-3,6": decimal numbers and LOW-HIGH ranges, comma-separated) into @set
 * (CONFORMANCE_MAX_CPUS entries; the CPUs named are set to true); every one must be true in
 * @online. 0, or EXIT_BAD_INPUT after the usage error on stderr (@set partly written).
 */
int conformance_parse_cpus(const char *s, bool *set, const bool *online);

/*
 * @text, the kernel's /sys/devices/system/cpu/online ("0-3,5" and a newline: docs/conformance.md),
 * into @online (CONFORMANCE_MAX_CPUS entries, every one written); online CPUs from
 * CONFORMANCE_MAX_CPUS up are left out, as --cpus cannot name them. 0, or -1 with the reason in
 * @why (@whylen bytes) and @online untouched.
 */
int conformance_parse_online(const char *text, bool *online, char *why, size_t whylen);

/*
 * The event @name as perf_event_resolve() takes it, in *@code: "raw:0x1b7" is "0x1b7" (a raw code
 * is raw:0x and hex digits), any other name itself. 0, or EXIT_BAD_INPUT after the usage error.
 */
int conformance_event_code(const char *name, const char **code);

#endif /* MEMBW_TOOL_CONFORMANCE_ARGS_H */
