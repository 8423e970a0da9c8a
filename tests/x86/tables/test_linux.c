/* SPDX-License-Identifier: MIT */
/*
 * Our event numbers against Linux perf's x86 event lists (tools/perf/pmu-events/arch/x86/ of
 * Debian's linux-source 6.1; the make rule extracts it and names it in MEMBW_LINUX_PMU_EVENTS).
 * Each generation's directory holds JSON arrays of events with "EventName", "EventCode" and
 * "UMask" (absent: 0); mapfile.csv maps "GenuineIntel-6-<model>[-<steppings>]" to the directory,
 * and the test checks that it maps our models there. Then the table suite (test_tables.c).
 */
#include "x86_refs.h"

#include <CUnit/CUnit.h>
#include "cunit_run.h"
#include "events.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int suite_x86_tables(void);

static const char *dir;

/* name -> code (event | umask << 8) of every event in @path's directory; NULL if unreadable. */
static json_t *load(const char *sub)
{
	char path[4096];
	json_t *all = json_object();
	DIR *d;
	struct dirent *de;
	unsigned int files = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	d = opendir(path);
	if (!d || !all) {
		if (d)
			closedir(d);
		json_decref(all);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name), i;
		char file[8192];
		json_t *doc, *ev;

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		doc = json_load_file(file, 0, NULL);
		if (!json_is_array(doc)) {
			json_decref(doc);
			continue;
		}
		files++;
		json_array_foreach(doc, i, ev) {
			const char *name = json_string_value(json_object_get(ev, "EventName"));
			const char *code = json_string_value(json_object_get(ev, "EventCode"));
			const char *umask = json_string_value(json_object_get(ev, "UMask"));

			if (name && code && !strchr(code, ','))
				json_object_set_new(all, name, json_integer(strtol(code, NULL, 16) |
									   (umask ? strtol(umask, NULL, 16) : 0) << 8));
		}
		json_decref(doc);
	}
	closedir(d);
	if (!files) {
		json_decref(all);
		return NULL;
	}
	return all;
}

static void test_mapfile(void)
{
	static const struct {
		const char *key, *sub;
	} want[] = {
		{ "GenuineIntel-6-55-[01234]", "skylakex" }, { "GenuineIntel-6-55-[56789ABCDEF]", "cascadelakex" },
		{ "GenuineIntel-6-6[AC]", "icelakex" },	     { "GenuineIntel-6-8F", "sapphirerapids" },
	};
	char path[4096], line[512];
	unsigned int i, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/mapfile.csv", dir);
	f = fopen(path, "r");
	CHECK(f != NULL, "Linux's x86 mapfile.csv is readable (%s)", path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < 4; i++) {
			char expect[128];

			snprintf(expect, sizeof(expect), "%s,", want[i].key);
			if (strncmp(line, expect, strlen(expect)) == 0 && strstr(line, want[i].sub))
				found |= 1u << i;
		}
	fclose(f);
	for (i = 0; i < 4; i++)
		CHECK(found & (1u << i), "mapfile.csv maps %s to %s, as our tables assume", want[i].key,
		      want[i].sub);
}

static void test_rows_agree(void)
{
	unsigned int n, t, r, i;
	const struct x86_core *const *all = x86_core_tables(&n);

	for (t = 0; t < n; t++)
		for (r = 0; r < X86_NREFS; r++) {
			json_t *theirs;
			unsigned int agreed = 0;

			if (strcmp(all[t]->name, x86_refs[r].core) != 0 || !x86_refs[r].linux)
				continue;
			theirs = load(x86_refs[r].linux);
			CHECK(theirs != NULL, "Linux's %s list is readable", x86_refs[r].linux);
			if (!theirs)
				continue;
			for (i = 0; i < all[t]->nevents; i++) {
				const struct x86_event *e = &all[t]->events[i];
				json_t *c = json_object_get(theirs, e->name);

				CHECK(c != NULL, "Linux %s lists %s", x86_refs[r].linux, e->name);
				if (!c)
					continue;
				CHECK(json_integer_value(c) == e->code, "%s %s: ours 0x%04X, Linux 0x%04llX",
				      all[t]->name, e->name, e->code, (unsigned long long)json_integer_value(c));
				agreed += json_integer_value(c) == e->code;
			}
			printf("\n  %s (Linux %s): %u of %u rows agree", all[t]->name, x86_refs[r].linux,
			       agreed, all[t]->nevents);
			json_decref(theirs);
		}
	printf("\n");
}

int main(void)
{
	CU_pSuite s;

	dir = getenv("MEMBW_LINUX_PMU_EVENTS");
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (suite_x86_tables() != 0)
		return 2;
	s = CU_add_suite("x86 event codes vs Linux perf's lists", NULL, NULL);
	if (!s || !CU_add_test(s, "mapfile", test_mapfile) || !CU_add_test(s, "rows agree", test_rows_agree))
		return 2;
	if (!dir || !*dir)
		fprintf(stderr, "MEMBW_LINUX_PMU_EVENTS is not set: it must name Linux's tools/perf/pmu-events/arch/x86\n");
	return cunit_run("x86-events (tables, Linux perf lists)");
}
