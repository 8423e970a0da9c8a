/* SPDX-License-Identifier: MIT */
/*
 * Our event numbers against a second independent source: the PMU event lists of Linux's perf
 * tool (tools/perf/pmu-events/arch/arm64/), read at run time from Debian's linux-source package
 * (the make rule extracts that directory from /usr/src/linux-source-*.tar.xz and names it in
 * MEMBW_LINUX_PMU_EVENTS). libpfm4, the other source, has no table for the Cortex-A55, A72 or
 * A76; these lists do.
 *
 * How the lists are read (the format, as the files themselves lay it out):
 * - mapfile.csv maps a MIDR_EL1 value (variant and revision 0, architecture 0xF) to a directory,
 *   e.g. 0x00000000410fd0b0 -> arm/cortex-a76-n1. We look our cores up by part number there, so
 *   the MIDR -> list mapping is Linux's, not ours.
 * - Each core directory holds JSON arrays of events. An event is either {"ArchStdEvent": NAME},
 *   whose number is the one common-and-microarch.json or recommended.json (same directory as
 *   mapfile.csv) gives NAME, or {"EventName": NAME, "EventCode": "0x.."} for an
 *   IMPLEMENTATION DEFINED event.
 * Only numbers are compared, never descriptions. The Cortex-A53 is not checked here: its Linux
 * list carries only the events that are not common ones (the kernel supplies those); libpfm4
 * checks the A53.
 */
#include "check.h"
#include "events.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIDR_ARM(part) ((0x41u << 24) | (0xFu << 16) | ((uint32_t)(part) << 4))
#define ENV_DIR "MEMBW_LINUX_PMU_EVENTS"

struct linux_model {
	const char *core; /* our table's name */
	uint32_t part;	  /* MIDR_EL1 part number, as in test_tables.c */
};

static const struct linux_model models[] = {
	{ "Cortex-A55", 0xD05 }, { "Cortex-A57", 0xD07 }, { "Cortex-A72", 0xD08 },
	{ "Cortex-A76", 0xD0B }, { "Neoverse N1", 0xD0C },
};

#define NMODELS (sizeof(models) / sizeof(models[0]))

static const char *events_dir;
static json_t *common_codes; /* architectural name -> event number (JSON integer) */
static const char *missing;  /* why the lists could not be read; NULL once they were */

/* "@dir/@name" into @path; 0, or -1 if it does not fit. */
static int join_path(char *path, size_t size, const char *dir, const char *name)
{
	int n = snprintf(path, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* "0x2A" -> 42; -1 if @text is not a hexadecimal number. */
static long parse_code(const char *text)
{
	char *end;
	long v;

	if (!text || !*text)
		return -1;
	v = strtol(text, &end, 16);
	return *end == '\0' && v >= 0 ? v : -1;
}

static json_t *load_array(const char *path)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);

	if (!doc) {
		fprintf(stderr, "%s:%d: not JSON: %s\n", path, err.line, err.text);
		return NULL;
	}
	if (!json_is_array(doc)) {
		fprintf(stderr, "%s: expected a JSON array of events\n", path);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/*
 * Add every event of the array in @path to @into as name -> number. Events named by
 * ArchStdEvent take their number from common_codes (NULL while that is being built).
 * Returns 0, or -1 if the file cannot be read.
 */
static int add_events(json_t *into, const char *path)
{
	json_t *doc = load_array(path), *ev;
	size_t i;

	if (!doc)
		return -1;
	json_array_foreach(doc, i, ev) {
		const char *arch = json_string_value(json_object_get(ev, "ArchStdEvent"));
		const char *name = arch ? arch : json_string_value(json_object_get(ev, "EventName"));
		long code = parse_code(json_string_value(json_object_get(ev, "EventCode")));

		if (!name)
			continue;
		if (code < 0 && arch && common_codes) {
			json_t *c = json_object_get(common_codes, arch);

			code = c ? (long)json_integer_value(c) : -1;
		}
		if (code >= 0)
			json_object_set_new(into, name, json_integer(code));
	}
	json_decref(doc);
	return 0;
}

static int init_linux_lists(void)
{
	static const char *const common_files[] = { "common-and-microarch.json",
						    "recommended.json" };
	char path[4096];
	unsigned int i;

	/*
	 * Never fails: a failed suite set-up is not counted as a failed test by every CUnit
	 * runner, so the first test asserts that the lists were read, and says why not.
	 */
	missing = NULL;
	events_dir = getenv(ENV_DIR);
	if (!events_dir || !*events_dir) {
		missing = ENV_DIR " is not set: it must name Linux's tools/perf/pmu-events/arch/arm64 "
			  "(make check-armv8-events extracts it from Debian's linux-source)";
		return 0;
	}
	common_codes = json_object();
	for (i = 0; common_codes && i < 2; i++) {
		if (join_path(path, sizeof(path), events_dir, common_files[i]) != 0 ||
		    add_events(common_codes, path) != 0) {
			missing = "the common event lists cannot be read (see above): install "
				  "linux-source and run make check-armv8-events";
			return 0;
		}
	}
	if (!common_codes)
		missing = "out of memory";
	return 0;
}

static int clean_linux_lists(void)
{
	json_decref(common_codes);
	common_codes = NULL;
	return 0;
}

/*
 * The directory mapfile.csv gives the MIDR_EL1 of @part (variant 0, revision 0), copied into
 * @dir; 0 on success, -1 if the part is not in the map.
 */
static int core_dir_for_part(uint32_t part, char *dir, size_t size)
{
	char path[4096], line[512];
	FILE *f;
	int found = -1;

	if (join_path(path, sizeof(path), events_dir, "mapfile.csv") != 0)
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *cpuid = strtok(line, ",\n"), *version = strtok(NULL, ",\n");
		char *subdir = strtok(NULL, ",\n"), *end;
		unsigned long long midr;

		if (!cpuid || !version || !subdir || cpuid[0] == '#')
			continue;
		midr = strtoull(cpuid, &end, 16);
		if (*end == '\0' && midr == MIDR_ARM(part)) {
			found = join_path(dir, size, events_dir, subdir);
			break;
		}
	}
	fclose(f);
	return found;
}

/* Every event of the core directory @dir as name -> number; NULL if it cannot be read. */
static json_t *load_core(const char *dir)
{
	json_t *events = json_object();
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned int files = 0;

	if (!d || !events) {
		if (d)
			closedir(d);
		json_decref(events);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[4096];

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (join_path(path, sizeof(path), dir, de->d_name) == 0 &&
		    add_events(events, path) == 0)
			files++;
	}
	closedir(d);
	if (files == 0) {
		json_decref(events);
		return NULL;
	}
	return events;
}

static void test_lists_were_read(void)
{
	CHECK(missing == NULL, "Linux's event lists are readable: %s", missing ? missing : "yes");
}

static void test_common_numbers_are_known(void)
{
	if (missing)
		return;
	/* The anchors every comparison rests on (Arm ARM common events; test_tables.c). */
	CHECK(json_integer_value(json_object_get(common_codes, "L2D_CACHE_WB")) == 0x18,
	      "Linux's common list gives L2D_CACHE_WB the number 0x18");
	CHECK(json_integer_value(json_object_get(common_codes, "LL_CACHE_MISS_RD")) == 0x37,
	      "Linux's common list gives LL_CACHE_MISS_RD the number 0x37");
}

static void test_numbers_agree_with_linux(void)
{
	unsigned int i, r;

	if (missing)
		return;
	for (i = 0; i < NMODELS; i++) {
		const struct linux_model *m = &models[i];
		const struct armv8_core *core = armv8_core_lookup(MIDR_ARM(m->part));
		char dir[4096];
		json_t *theirs;
		unsigned int agreed = 0;

		CHECK(strcmp(core->name, m->core) == 0, "MIDR part 0x%03X selects the %s table (got %s)",
		      m->part, m->core, core->name);
		if (core_dir_for_part(m->part, dir, sizeof(dir)) != 0) {
			CHECK(0, "Linux's mapfile.csv has the %s (part 0x%03X)", m->core, m->part);
			continue;
		}
		theirs = load_core(dir);
		CHECK(theirs != NULL, "Linux's event list for the %s (%s) can be read", m->core, dir);
		if (!theirs)
			continue;
		for (r = 0; r < core->nevents; r++) {
			const struct armv8_event *e = &core->events[r];
			json_t *code = json_object_get(theirs, e->name);

			CHECK(code != NULL, "Linux lists %s %s", m->core, e->name);
			if (!code)
				continue;
			CHECK(json_integer_value(code) == e->code, "%s %s: ours 0x%02X, Linux 0x%02llX",
			      m->core, e->name, e->code, (unsigned long long)json_integer_value(code));
			if (json_integer_value(code) == e->code)
				agreed++;
		}
		printf("\n  %s: %u of %u rows have the same number in Linux's list", m->core, agreed,
		       core->nevents);
		json_decref(theirs);
	}
	printf("\n");
}

/*
 * The generic table holds the Arm ARM's common events: every row must carry the number Linux's
 * common lists (common-and-microarch.json, recommended.json) give its name, and the bandwidth rows
 * must all be there: L2D_CACHE 0x16, BUS_CYCLES 0x1D, L2D_CACHE_ALLOCATE 0x20,
 * L3D_CACHE_ALLOCATE 0x29, L3D_CACHE 0x2B, REMOTE_ACCESS 0x31, REMOTE_ACCESS_RD 0x38 among them.
 * Linux 6.1's lists lack three common events of the Arm ARM (L3D_CACHE_WB 0x2C, LL_CACHE 0x32,
 * LL_CACHE_MISS 0x33): those rows are checked only by test_tables.c, and their absence here is
 * asserted so that a newer list that has them gets them compared.
 */
static void test_generic_numbers_agree_with_linux(void)
{
	static const char *const bandwidth[] = {
		"L2D_CACHE", "L2D_CACHE_REFILL", "L2D_CACHE_WB", "BUS_ACCESS", "BUS_CYCLES",
		"L2D_CACHE_ALLOCATE", "L3D_CACHE_ALLOCATE", "L3D_CACHE_REFILL", "L3D_CACHE",
		"L3D_CACHE_WB", "REMOTE_ACCESS", "LL_CACHE_RD", "LL_CACHE_MISS_RD", "REMOTE_ACCESS_RD",
	};
	static const char *const not_in_linux[] = { "L3D_CACHE_WB", "LL_CACHE", "LL_CACHE_MISS" };
	const struct armv8_core *generic = armv8_core_lookup(0);
	unsigned int i, j, agreed = 0, compared = 0;

	if (missing)
		return;
	CHECK(generic->generic, "MIDR 0 selects the generic table (got %s)", generic->name);
	for (i = 0; i < sizeof(bandwidth) / sizeof(bandwidth[0]); i++)
		CHECK(armv8_event_by_name(generic, bandwidth[i]) != NULL,
		      "the generic table lists %s", bandwidth[i]);
	for (i = 0; i < generic->nevents; i++) {
		const struct armv8_event *e = &generic->events[i];
		json_t *code = json_object_get(common_codes, e->name);
		int expected_absent = 0;

		for (j = 0; j < sizeof(not_in_linux) / sizeof(not_in_linux[0]); j++)
			expected_absent |= strcmp(not_in_linux[j], e->name) == 0;
		if (expected_absent) {
			CHECK(code == NULL, "Linux's common lists still lack %s (else compare it)",
			      e->name);
			continue;
		}
		CHECK(code != NULL, "Linux's common lists have generic %s", e->name);
		if (!code)
			continue;
		compared++;
		CHECK(json_integer_value(code) == e->code, "generic %s: ours 0x%02X, Linux 0x%02llX",
		      e->name, e->code, (unsigned long long)json_integer_value(code));
		agreed += json_integer_value(code) == e->code;
	}
	printf("\n  generic: %u of %u compared rows (%u in all) have Linux's number\n", agreed,
	       compared, generic->nevents);
}

int suite_armv8_linux(void);
int suite_armv8_linux(void)
{
	CU_pSuite s = CU_add_suite("armv8 event numbers vs Linux perf's lists", init_linux_lists,
				   clean_linux_lists);

	if (!s)
		return -1;
	if (!CU_add_test(s, "lists were read", test_lists_were_read) ||
	    !CU_add_test(s, "common numbers", test_common_numbers_are_known) ||
	    !CU_add_test(s, "numbers agree", test_numbers_agree_with_linux) ||
	    !CU_add_test(s, "generic numbers agree", test_generic_numbers_agree_with_linux))
		return -1;
	return 0;
}
