/* SPDX-License-Identifier: MIT */
/* `membw guest`'s command line (see guest_args.h): no device is opened, nothing is asked. */
#include <stdio.h>
#include <string.h>

#include <membw/agent.h>
#include <membw/units.h>

#include "commands.h"
#include "guest_args.h"

static void guest_usage(FILE *out)
{
	fprintf(out,
		"Usage: membw guest status\n"
		"       membw guest set RATE [--write RATE]\n"
		"       membw guest stats\n"
		"\nAsk the hypervisor for this VM's memory bandwidth (memtalk, docs/memtalk.md)\n"
		"through the membw_memtalk kernel module's device " MEMBW_AGENT_DEVICE " (kmod/guest/).\n"
		"Needs access to the device: root, or the group the administrator gave it.\n"
		"\nCommands:\n"
		"  status               is memtalk there; budget, host cap and floor per channel\n"
		"  set RATE             set the read budget to RATE; the write-back budget stays\n"
		"  set RATE --write W   set the read budget to RATE and the write-back budget to W\n"
		"  stats                the host's statistics for this VM (a fresh snapshot)\n"
		"\nRATE: bytes per second, e.g. 500MB/s (MB = 10^6 B), 1.5GiB/s, 800M, unlimited.\n"
		"\nEnvironment:\n"
		"  " MEMBW_AGENT_DEVICE_ENV "    the device (default " MEMBW_AGENT_DEVICE ")\n"
		"\nExit status: 0 done; 1 module not loaded, no access, memtalk not present, or refused\n"
		"by the host; 2 bad command line.\n");
}

static int guest_parse(const char *what, const char *text, uint64_t *bps)
{
	const char *why = NULL;

	if (membw_parse_rate(text, bps, &why))
		why = why ? why : "not a rate";
	else if (*bps == MEMBW_AGENT_KEEP)
		why = "2^64 - 2 B/s is no budget any host can enforce";
	else if (*bps == 0) /* docs/memtalk.md: a CPU with a zero budget could never raise it */
		why = "a zero budget would hold this VM's CPUs, this one too, until the host's "
		      "administrator let them out; give a rate above 0, e.g. 1MB/s";
	else
		return 0;
	fprintf(stderr, "membw guest: bad %s rate '%s': %s (e.g. 500MB/s, 1.5GiB/s, unlimited)\n",
		what, text, why);
	return EXIT_BAD_INPUT;
}

static int guest_parse_set(int argc, char **argv, struct guest_options *o)
{
	const char *read_text = NULL, *write_text = NULL;
	int i, err;

	o->read_bps = 0;
	o->write_bps = MEMBW_AGENT_KEEP;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			guest_usage(stdout);
			return -1;
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
	if ((err = guest_parse("read", read_text, &o->read_bps)) ||
	    (write_text && (err = guest_parse("write", write_text, &o->write_bps))))
		return err;
	return 0;
}

int guest_parse_args(int argc, char **argv, struct guest_options *o)
{
	if (argc < 2) {
		guest_usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		guest_usage(stdout);
		return -1;
	}
	if (!strcmp(argv[1], "set")) {
		o->command = GUEST_SET;
		return guest_parse_set(argc - 2, argv + 2, o);
	}
	if (strcmp(argv[1], "status") && strcmp(argv[1], "stats")) {
		fprintf(stderr, "membw guest: unknown command '%s'; expected status, set or stats "
				"(membw guest --help)\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	if (argc > 2) {
		fprintf(stderr, "membw guest %s takes no arguments, got '%s'\n", argv[1], argv[2]);
		return EXIT_BAD_INPUT;
	}
	o->command = strcmp(argv[1], "status") ? GUEST_STATS : GUEST_STATUS;
	return 0;
}
