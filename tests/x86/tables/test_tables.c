/* SPDX-License-Identifier: MIT */
/*
 * The x86 event tables as data: which table a family/model/stepping selects, that rows are well
 * formed, and that the architectural events keep the SDM's numbers everywhere. Golden values:
 * Skylake-SP 6/0x55 steppings 0-4, Cascade Lake 6/0x55 steppings 5-F (Intel's and Linux's
 * mapfile.csv: GenuineIntel-6-55-[01234] / -[56789ABCDEF]); Ice Lake-SP 0x6A, Ice Lake-D 0x6C,
 * Sapphire Rapids 0x8F, Emerald Rapids 0xCF, Granite Rapids 0xAD/0xAE, Sierra Forest 0xAF (Linux
 * 6.1 intel-family.h); SDM architectural events: LLC Misses 0x2E/0x41 (code 0x412E),
 * Instructions Retired 0xC0/0x00.
 */
#include "x86_refs.h"

#include <CUnit/CUnit.h>
#include "events.h"

#include <string.h>
#include <strings.h>

static void test_lookup(void)
{
	static const struct {
		uint32_t model, stepping;
		const char *name;
	} want[] = {
		{ 0x55, 0, "Skylake-SP" },	 { 0x55, 4, "Skylake-SP" },	 { 0x55, 5, "Cascade Lake" },
		{ 0x55, 0xB, "Cascade Lake" }, { 0x6A, 0, "Ice Lake-SP" },	 { 0x6C, 1, "Ice Lake-D" },
		{ 0x8F, 8, "Sapphire Rapids" }, { 0xCF, 2, "Emerald Rapids" }, { 0xAD, 1, "Granite Rapids" },
		{ 0xAE, 1, "Granite Rapids-D" }, { 0xAF, 3, "Sierra Forest" }, { 0x3F, 2, "generic" },
		{ 0x8E, 9, "generic" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct x86_core *c = x86_core_lookup(1, 6, want[i].model, want[i].stepping);

		CHECK(c && strcmp(c->name, want[i].name) == 0, "6/0x%02X stepping %u selects %s (got %s)",
		      want[i].model, want[i].stepping, want[i].name, c ? c->name : "NULL");
	}
	CHECK(x86_core_lookup(0, 6, 0x8F, 8)->generic == 1, "a non-Intel vendor gets the generic table");
	CHECK(x86_core_lookup(1, 0xF, 0x8F, 8)->generic == 1, "family 15 model 0x8F is not Sapphire Rapids");
}

static void test_rows(void)
{
	unsigned int n, t, i, j;
	const struct x86_core *const *all = x86_core_tables(&n);

	CHECK(n == X86_NREFS, "the tests know every table (%u tables, %u known)", n, (unsigned int)X86_NREFS);
	CHECK(all[n - 1]->generic == 1, "the generic table is last");
	for (t = 0; t < n; t++) {
		const struct x86_core *c = all[t];
		const struct x86_event *rd = NULL, *wr = NULL;

		CHECK(c->name && c->source && c->nevents > 0, "%s: named, sourced, has rows", c->name);
		for (i = 0; i < c->nevents; i++) {
			const struct x86_event *e = &c->events[i];

			CHECK(e->name && e->description && e->source && strchr(e->name, '.'),
			      "%s row %u is complete and named EVENT.UMASK", c->name, i);
			if (e->code == c->read_event)
				rd = e;
			if (c->write_event && e->code == c->write_event)
				wr = e;
			for (j = i + 1; j < c->nevents; j++)
				CHECK(strcasecmp(e->name, c->events[j].name) != 0 && e->code != c->events[j].code,
				      "%s: %s appears once", c->name, e->name);
			if (strcmp(e->name, "LONGEST_LAT_CACHE.MISS") == 0)
				CHECK(e->code == 0x412E, "%s: LONGEST_LAT_CACHE.MISS is 0x2E/0x41", c->name);
			if (strcmp(e->name, "INST_RETIRED.ANY_P") == 0)
				CHECK(e->code == 0x00C0, "%s: INST_RETIRED.ANY_P is 0xC0/0x00", c->name);
		}
		CHECK(rd != NULL, "%s: the read default is a row of its table", c->name);
		CHECK(c->write_event == 0 || wr != NULL, "%s: the write default is a row of its table", c->name);
		if (wr)
			CHECK(strstr(wr->name, "LINES_OUT") != NULL, "%s: the write default counts L2 evictions", c->name);
	}
}

static void test_checked_flags_match_the_tests(void)
{
	unsigned int n, t, r, i;
	const struct x86_core *const *all = x86_core_tables(&n);

	for (t = 0; t < n; t++)
		for (r = 0; r < X86_NREFS; r++) {
			if (strcmp(all[t]->name, x86_refs[r].core) != 0)
				continue;
			for (i = 0; i < all[t]->nevents; i++) {
				uint32_t want = (x86_refs[r].pfm ? X86_CHECKED_LIBPFM4 : 0u) |
						(x86_refs[r].linux ? X86_CHECKED_LINUX : 0u);

				CHECK(all[t]->events[i].checked == want,
				      "%s %s: its checked flags say what the table tests do", all[t]->name,
				      all[t]->events[i].name);
			}
		}
}

static void test_by_name(void)
{
	const struct x86_core *spr = x86_core_lookup(1, 6, 0x8F, 0);
	const struct x86_event *e = x86_event_by_name(spr, "l2_lines_in.all");

	CHECK(e && e->code == 0x1F25, "by name, any case: SPR L2_LINES_IN.ALL is 0x25/0x1F");
	CHECK(x86_event_by_name(spr, "L2_LINES_IN") == NULL, "a prefix is another name");
	CHECK(x86_event_by_name(NULL, "x") == NULL && x86_event_by_name(spr, NULL) == NULL, "NULLs");
}

/* By code: the SDM's LLC Misses 0x2E/0x41 is code 0x412E; SPR L2_LINES_IN.ALL 0x25/0x1F. */
static void test_by_code(void)
{
	const struct x86_core *spr = x86_core_lookup(1, 6, 0x8F, 0);
	const struct x86_event *e = x86_event_by_code(spr, 0x412E);

	CHECK(e && strcmp(e->name, "LONGEST_LAT_CACHE.MISS") == 0, "SPR 0x412E is LONGEST_LAT_CACHE.MISS");
	e = x86_event_by_code(spr, 0x1F25);
	CHECK(e && strcmp(e->name, "L2_LINES_IN.ALL") == 0, "SPR 0x1F25 is L2_LINES_IN.ALL");
	CHECK(x86_event_by_code(spr, 0x4142) == NULL, "a code the table lacks gives NULL");
	CHECK(x86_event_by_code(NULL, 0x412E) == NULL, "NULL table gives NULL");
}

/* Which table has a name: Skylake-SP is the first table (x86_core_tables order) with
 * LONGEST_LAT_CACHE.MISS; an Arm mnemonic is in none. */
static void test_core_with_event(void)
{
	const struct x86_core *c = x86_core_with_event("longest_lat_cache.miss");

	CHECK(c && strcmp(c->name, x86_core_tables(NULL)[0]->name) == 0,
	      "LONGEST_LAT_CACHE.MISS (any case) is found in the first table");
	CHECK(x86_core_with_event("L2D_CACHE_REFILL") == NULL, "an Arm mnemonic is in no Intel table");
	CHECK(x86_core_with_event(NULL) == NULL, "NULL gives NULL");
}

/*
 * The resolver every user of the tables calls (the perf backend, membw.ko). Goldens: LLC Misses
 * 0x2E/0x41 = code 0x412E (SDM architectural events); L2_LINES_OUT.NON_SILENT is 0x26/0x02 =
 * 0x0226 on Sapphire Rapids and 0xF2/0x02 = 0x02F2 on Skylake-SP (Linux 6.1 perf's
 * sapphirerapids and skylakex cache.json); the architectural events have no write-back event
 * (SDM), so an unknown Intel model has no write-back default. Names are case-free ASCII and the
 * "x86::" prefix is optional (the perf backend's and membw.ko's documented syntax).
 */
static void test_resolve(void)
{
	struct x86_resolution r;

	CHECK(x86_event_resolve("X86::longest_lat_cache.miss", 1, 6, 0x8F, 8, 0, &r) ==
		      X86_RESOLVED_EVENT && r.row->code == 0x412E && !r.is_default &&
		      strcmp(r.name, "longest_lat_cache.miss") == 0,
	      "SPR: x86::NAME, any case, is the row; the prefix is dropped from the name");
	CHECK(x86_event_resolve("default", 1, 6, 0x8F, 8, 1, &r) == X86_RESOLVED_EVENT &&
		      r.row->code == 0x0226 && r.is_default && r.channel == 1,
	      "SPR: default on the write-back channel is L2_LINES_OUT.NON_SILENT 0x0226");
	CHECK(x86_event_resolve("Default-Write", 1, 6, 0x55, 4, 0, &r) == X86_RESOLVED_EVENT &&
		      r.row->code == 0x02F2 && r.channel == 1 && strcmp(r.core->name, "Skylake-SP") == 0,
	      "Skylake-SP: default-write on the read channel is still the write-back default 0x02F2");
	CHECK(x86_event_resolve("x86::DEFAULT-READ", 1, 6, 0x8F, 8, 1, &r) == X86_RESOLVED_EVENT &&
		      r.row->code == 0x412E && r.channel == 0,
	      "default-read on the write-back channel is the read default 0x412E");
	CHECK(x86_event_resolve("default", 1, 6, 0x01, 0, 1, &r) == X86_RESOLVED_NO_DEFAULT &&
		      r.core->generic && r.row == NULL && r.channel == 1,
	      "an unknown Intel model has no write-back default");
	CHECK(x86_event_resolve("default", 1, 6, 0x01, 0, 0, &r) == X86_RESOLVED_EVENT &&
		      r.row->code == 0x412E,
	      "an unknown Intel model reads LLC Misses 0x412E by default");
	CHECK(x86_event_resolve("L2D_CACHE_REFILL", 1, 6, 0x8F, 8, 0, &r) == X86_RESOLVED_UNKNOWN &&
		      r.row == NULL && strcmp(r.core->name, "Sapphire Rapids") == 0,
	      "an Arm mnemonic on Intel is unknown, with the CPU's table");
	CHECK(x86_event_resolve("x86:LONGEST_LAT_CACHE.MISS", 1, 6, 0x8F, 8, 0, &r) ==
		      X86_RESOLVED_UNKNOWN, "one colon is no prefix");
	/* Not GenuineIntel (AMD family 0x19): no table applies, whatever the model. */
	CHECK(x86_event_resolve("default", 0, 0x19, 0x01, 1, 0, &r) == X86_RESOLVED_NOT_INTEL &&
		      r.core == NULL && r.is_default,
	      "AMD: default is refused, with no table named");
	CHECK(x86_event_resolve("x86::longest_lat_cache.miss", 0, 6, 0x8F, 8, 0, &r) ==
		      X86_RESOLVED_NOT_INTEL && r.core == x86_core_tables(NULL)[0] && !r.is_default,
	      "not Intel: an Intel name is refused, naming the first table that has it");
	CHECK(x86_event_resolve("L2D_CACHE_REFILL", 0, 0x19, 0x01, 1, 0, &r) ==
		      X86_RESOLVED_UNKNOWN && r.core == NULL,
	      "not Intel: a name in no Intel table is unknown, with no table");
}

int suite_x86_tables(void);
int suite_x86_tables(void)
{
	CU_pSuite s = CU_add_suite("x86 event tables", NULL, NULL);

	if (!s || !CU_add_test(s, "lookup by family/model/stepping", test_lookup) ||
	    !CU_add_test(s, "rows well formed", test_rows) ||
	    !CU_add_test(s, "checked flags", test_checked_flags_match_the_tests) ||
	    !CU_add_test(s, "by name", test_by_name) ||
	    !CU_add_test(s, "by code", test_by_code) ||
	    !CU_add_test(s, "table with an event", test_core_with_event) ||
	    !CU_add_test(s, "resolve a name", test_resolve))
		return -1;
	return 0;
}
