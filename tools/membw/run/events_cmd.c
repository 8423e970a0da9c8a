/* SPDX-License-Identifier: MIT */
/* `membw events`: the events `membw run --event` can use here, memory-traffic ones marked. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armv8/events.h"
#include "cli.h"
#include "commands.h"
#include "perf_backend.h"
#include "x86/events.h"
/* After linux/perf_event.h (via perf_backend.h), so libpfm4 uses the kernel's definitions. */
#include <perfmon/pfmlib_perf_event.h>

static const char usage_text[] =
	"Usage: membw events [--all] [--memory] [--x86-table GEN|all]\n"
	"\n"
	"List the events `membw run --event NAME` can count on this machine. On arm64, first\n"
	"libmembw's armv8 event table of the running core (chosen by its MIDR_EL1; the generic\n"
	"table of the Arm ARM's common events for a core without one), with the event numbers,\n"
	"whether the PMU lists them as implemented (PMCEID, through sysfs) and the defaults that\n"
	"--event default picks. Then libpfm4's events of the PMUs present (each opened once,\n"
	"for user mode, to check). On x86-64, first libmembw's Intel event table of the running\n"
	"CPU (chosen by CPUID family/model/stepping), with `event | umask << 8` codes and the\n"
	"defaults; on a CPU that is not Intel none applies, and it says so. Events marked 'mem'\n"
	"count memory traffic (cache lines to or from DRAM), or stand in for it (page faults:\n"
	"one event per fresh page). BYTES is what one event stands for.\n"
	"\n"
	"Options:\n"
	"  --all      also list the events that cannot be opened here, with the reason\n"
	"  --memory   only the events marked 'mem'\n"
	"  --x86-table GEN  list the Intel table of generation GEN instead of the running CPU's\n"
	"             (e.g. \"Sapphire Rapids\", any case), or all of them with 'all'\n"
	"  -h, --help this text\n";

/* Which common events (0x00..0x3f) an armv8 PMU implements, as the kernel lists them from
 * PMCEID0/1_EL0: it shows /sys/bus/event_source/devices/armv8_.../events/NAME ("event=0x0017") only
 * for those (drivers/perf/arm_pmuv3.c, armv8pmu_event_attr_is_visible). False: no such PMU. */
static bool read_pmceid_listed(uint64_t *listed)
{
	const char *base = "/sys/bus/event_source/devices";
	DIR *devs = opendir(base);
	struct dirent *d;
	bool found = false;

	*listed = 0;
	if (!devs)
		return false;
	while ((d = readdir(devs))) {
		char path[512];
		DIR *evs;
		struct dirent *e;

		if (strncmp(d->d_name, "armv8", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s/events", base, d->d_name);
		evs = opendir(path);
		if (!evs)
			continue;
		found = true;
		while ((e = readdir(evs))) {
			char file[800];
			unsigned int code;
			FILE *f;

			if (e->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			f = fopen(file, "r");
			if (!f)
				continue;
			if (fscanf(f, "event=%x", &code) == 1 && code < 64)
				*listed |= 1ull << code;
			fclose(f);
		}
		closedir(evs);
	}
	closedir(devs);
	return found;
}

/* The armv8 table of the core whose MIDR_EL1 is @midr. Returns the number of rows shown. */
static int list_armv8_table(uint32_t midr, bool memory_only)
{
	const struct armv8_core *core = armv8_core_lookup(midr);
	uint64_t listed;
	bool have_pmu = read_pmceid_listed(&listed);
	unsigned int i;
	int shown = 0;

	printf("armv8 event table: %s (MIDR_EL1 0x%08x), from %s\n", core->name,
	       (unsigned int)midr, core->source);
	if (core->generic)
		printf("Note: libmembw has no table for this core, so this is the generic table of "
		       "the Arm ARM's\ncommon events; the core may not implement all of them (an "
		       "unimplemented event counts 0).\n");
	if (!have_pmu)
		printf("Note: no armv8 PMU in /sys/bus/event_source/devices, so PMCEID is unknown "
		       "('?').\n");
	printf("%-24s %-6s %-3s %-6s %-7s %6s  %s\n", "NAME", "CODE", "MEM", "PMCEID", "DEFAULT",
	       "BYTES", "DESCRIPTION");
	for (i = 0; i < core->nevents; i++) {
		const struct armv8_event *ev = &core->events[i];
		bool mem = perf_event_counts_memory(ev->name, ev->description);
		const char *pmceid, *deflt;

		if (memory_only && !mem)
			continue;
		/* PMCEID0/1 describe the common events 0x00..0x3f only (and 0x4000..0x403f). */
		pmceid = !have_pmu || ev->code >= 64 ? "?"
			 : (listed >> ev->code) & 1 ? "yes"
						    : "no";
		deflt = ev->code == core->read_event    ? "read"
			: ev->code == core->write_event ? "write"
							: "";
		printf("%-24s 0x%04x %-3s %-6s %-7s %6u  %.60s\n", ev->name, (unsigned int)ev->code,
		       mem ? "mem" : "", pmceid, deflt, perf_cache_line_size(), ev->description);
		shown++;
	}
	printf("\n%d table events listed. Give them as --event NAME (libpfm4 is asked first, then "
	       "this table)\nor armv8::NAME (this table only); --event default is the 'read' "
	       "one, --write-event\ndefault-write the 'write' one. PMCEID 'no': the PMU does not "
	       "implement it (it would count 0).\n\n",
	       shown);
	return shown;
}

/* One Intel table. @running: it is the running CPU's (its names resolve here). */
static int list_x86_table(const struct x86_core *core, bool running, bool memory_only)
{
	unsigned int i;
	int shown = 0;

	printf("x86 event table: %s", core->name);
	if (!core->generic)
		printf(" (Intel family 0x%x model 0x%x, steppings 0x%x-0x%x)",
		       (unsigned int)core->family, (unsigned int)core->model,
		       (unsigned int)core->stepping_min, (unsigned int)core->stepping_max);
	printf(", from %s%s\n", core->source, running ? "" : " [not this CPU's: for reference]");
	if (core->generic)
		printf("Note: the architectural events, for an Intel CPU libmembw has no table for; "
		       "CPUID.0AH:EBX may mark some unavailable.\n");
	printf("%-40s %-6s %-3s %-7s %6s  %s\n", "NAME", "CODE", "MEM", "DEFAULT", "BYTES",
	       "DESCRIPTION");
	for (i = 0; i < core->nevents; i++) {
		const struct x86_event *ev = &core->events[i];
		bool mem = perf_event_counts_memory(ev->name, ev->description);
		const char *deflt = ev->code == core->read_event    ? "read"
				    : ev->code == core->write_event ? "write"
								    : "";

		if (memory_only && !mem)
			continue;
		printf("%-40s 0x%04x %-3s %-7s %6u  %.60s\n", ev->name, (unsigned int)ev->code,
		       mem ? "mem" : "", deflt, perf_cache_line_size(), ev->description);
		shown++;
	}
	printf("\n%d table events listed (CODE = event | umask << 8, perf's raw config).", shown);
	if (running)
		printf(" Give them as --event NAME\nor x86::NAME (this table only); --event default "
		       "is the 'read' one, --write-event\ndefault-write the 'write' one.");
	printf("\n\n");
	return shown;
}

/* The x86 part of `membw events`: @gen NULL for the running CPU's table, "all", or a name. */
static int list_x86(const char *gen, bool memory_only)
{
	const struct x86_core *const *all;
	struct perf_x86_cpu cpu;
	bool have_cpu = perf_running_x86(&cpu) == 0;
	const struct x86_core *mine = NULL;
	unsigned int n, i;
	int found = 0;

	if (have_cpu && cpu.intel)
		mine = x86_core_lookup(1, cpu.family, cpu.model, cpu.stepping);
	if (!gen) {
		if (mine) {
			list_x86_table(mine, true, memory_only);
			return 0;
		}
		printf("No Intel event table applies here (%s family 0x%x model 0x%x is not "
		       "GenuineIntel): --event default\nand the Intel names are refused. Use a raw "
		       "code for this CPU's PMU (rNNN) or a perf name\n(cache-misses, page-faults); "
		       "--x86-table all lists the Intel tables for reference.\n\n",
		       cpu.vendor, (unsigned int)cpu.family, (unsigned int)cpu.model);
		return 0;
	}
	all = x86_core_tables(&n);
	for (i = 0; i < n; i++) {
		if (strcasecmp(gen, "all") && strcasecmp(gen, all[i]->name))
			continue;
		list_x86_table(all[i], all[i] == mine, memory_only);
		found++;
	}
	return found ? 0 : -1;
}

/* Is @gen "all" or a table's name? If not, says which names are. */
static bool x86_table_known(const char *gen)
{
	const struct x86_core *const *all;
	unsigned int n, i;

	all = x86_core_tables(&n);
	for (i = 0; i < n; i++)
		if (!strcasecmp(gen, all[i]->name))
			return true;
	if (!strcasecmp(gen, "all"))
		return true;
	fprintf(stderr, "membw events: --x86-table: no Intel table named '%s'; the tables are:",
		gen);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s \"%s\"", i ? "," : "", all[i]->name);
	fprintf(stderr, ", or all\n");
	return false;
}

int events_main(int argc, char **argv)
{
	bool all = false, memory_only = false, have_midr;
	const char *x86_gen = NULL;
	struct perf_x86_cpu x86_cpu;
	uint32_t midr;
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
		} else if (!strcmp(argv[i], "--x86-table")) {
			if (i + 1 >= argc)
				return cli_usage_error("events", "--x86-table needs a generation "
							   "name or 'all'");
			x86_gen = argv[++i];
			if (!x86_table_known(x86_gen))
				return EXIT_BAD_INPUT;
		} else {
			return cli_usage_error("events", "unknown option '%s'", argv[i]);
		}
	}
	if (perf_hardware_pmu_present(why, sizeof(why)))
		printf("No hardware PMU: this machine counts software events only (%s).\n"
		       "Use --event page-faults as the stand-in for memory traffic: 1 event = one "
		       "fresh %u-byte page.\n\n",
		       "perf_event_open of cycles fails", perf_page_size());
	have_midr = perf_running_midr(&midr) == 0;
	if (have_midr && !x86_gen)
		list_armv8_table(midr, memory_only);
	else if (x86_gen || perf_running_x86(&x86_cpu) == 0) {
		if (list_x86(x86_gen, memory_only))
			return EXIT_BAD_INPUT;
	} else
		printf("No event table of libmembw applies (neither arm64 nor x86-64); the events "
		       "below are libpfm4's.\n\n");
	if (pfm_initialize() != PFM_SUCCESS) {
		fprintf(stderr, "membw events: libpfm4 did not initialise%s\n",
			have_midr ? " (the armv8 table above is usable)" : "");
		return have_midr ? 0 : EXIT_RUN_FAILED;
	}
	printf("libpfm4 events:\n");
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
