/* SPDX-License-Identifier: MIT */
/* `membw events`: the events `membw run --event` can use here, memory-traffic ones marked. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "perf_backend.h"
/* After linux/perf_event.h (via perf_backend.h), so libpfm4 uses the kernel's definitions. */
#include <perfmon/pfmlib_perf_event.h>

static const char usage_text[] =
	"Usage: membw events [--all] [--memory]\n"
	"\n"
	"List the events `membw run --event NAME` can count on this machine (each is opened\n"
	"once, for user mode, to check), from libpfm4's tables of the PMUs present. Events\n"
	"marked 'mem' count memory traffic (cache lines to or from DRAM), or stand in for it\n"
	"(page faults: one event per fresh page). BYTES is what one event stands for.\n"
	"\n"
	"Options:\n"
	"  --all      also list the events that cannot be opened here, with the reason\n"
	"  --memory   only the events marked 'mem'\n"
	"  -h, --help this text\n";

int events_main(int argc, char **argv)
{
	bool all = false, memory_only = false;
	char why[PERF_WHY_MAX];
	int i, pmu, shown = 0, unusable = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "--memory")) {
			memory_only = true;
		} else {
			fprintf(stderr, "membw events: unknown option '%s'\n(membw events --help "
					"shows the options)\n",
				argv[i]);
			return EXIT_BAD_INPUT;
		}
	}
	if (pfm_initialize() != PFM_SUCCESS) {
		fprintf(stderr, "membw events: libpfm4 did not initialise\n");
		return EXIT_RUN_FAILED;
	}
	if (perf_hardware_pmu_present(why, sizeof(why)))
		printf("No hardware PMU: this machine counts software events only (%s).\n"
		       "Use --event page-faults as the stand-in for memory traffic: 1 event = one "
		       "fresh %u-byte page.\n\n",
		       "perf_event_open of cycles fails", perf_page_size());
	printf("%-48s %-3s %6s  %s\n", "NAME", "MEM", "BYTES", "DESCRIPTION");
	pfm_for_all_pmus(pmu) {
		pfm_pmu_info_t pinfo;
		int idx;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(pmu, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		for (idx = pinfo.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
			pfm_event_info_t einfo;
			struct perf_event_choice c;
			char full[PERF_NAME_MAX + 64], desc[61];
			bool mem;
			int err;

			memset(&einfo, 0, sizeof(einfo));
			einfo.size = sizeof(einfo);
			if (pfm_get_event_info(idx, PFM_OS_PERF_EVENT, &einfo) != PFM_SUCCESS)
				continue;
			if (!strcmp(pinfo.name, "perf_raw"))
				continue; /* raw codes: described in the footer */
			snprintf(full, sizeof(full), "%s::%s", pinfo.name, einfo.name);
			mem = perf_event_counts_memory(einfo.name, einfo.desc);
			if (memory_only && !mem)
				continue;
			err = perf_event_resolve(full, &c, why, sizeof(why));
			if (!err)
				err = perf_event_try_open(&c, MEMBW_COUNT_USER, why, sizeof(why));
			if (err) {
				unusable++;
				if (!all)
					continue;
			}
			snprintf(desc, sizeof(desc), "%s", einfo.desc ? einfo.desc : "");
			if (err)
				printf("%-48s %-3s %6s  (not usable here: %.60s)\n", full,
				       mem ? "mem" : "", "-", why);
			else
				printf("%-48s %-3s %6u  %s\n", full, mem ? "mem" : "", c.line_size,
				       desc);
			shown++;
		}
	}
	printf("\n%d events listed", shown);
	if (!all && unusable)
		printf(", %d more cannot be opened here (--all lists them)", unusable);
	printf(".\nRaw codes are written r1b7 (perf_raw). Names may be given without the "
	       "'pmu::' prefix.\n");
	return 0;
}
