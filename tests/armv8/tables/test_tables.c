/* SPDX-License-Identifier: MIT */
/*
 * The ARMv8 event tables as data: which table a MIDR_EL1 value selects, that every table is well
 * formed, and that events are found by name without regard to case.
 *
 * Golden values and where they come from:
 * - MIDR_EL1 layout (Arm ARM, MIDR_EL1): Implementer [31:24], Variant [23:20],
 *   Architecture [19:16] (0xF: "defined by ID registers"), PartNum [15:4], Revision [3:0].
 * - Implementer 0x41 is Arm Limited ('A').
 * - Part numbers, each from its core's TRM (MIDR_EL1 description), and the same in Linux's
 *   arch/arm64/include/asm/cputype.h ARM_CPU_PART_*: Cortex-A53 0xD03, A55 0xD05, A57 0xD07,
 *   A72 0xD08, A76 0xD0B, Neoverse N1 0xD0C; Cortex-A77 0xD0D (a core we have no table for).
 * - Common event numbers (Arm ARM, common architectural and microarchitectural events):
 *   SW_INCR 0x00, INST_RETIRED 0x08, CPU_CYCLES 0x11, L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18,
 *   LL_CACHE_MISS_RD 0x37. Architectural numbers mean the same on every core, so a name that is in
 *   the generic table must carry the same number in every core's table.
 * - PMUv3 for Armv8.0 has a 10-bit evtCount field (PMEVTYPER<n>_EL0[9:0]; [15:10] only from
 *   PMUv3p1), so every event of an Armv8.0 core must be below 0x400.
 */
#include "check.h"
#include "events.h"
#include "pmu_fields.h"

#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MIDR(impl, variant, part, rev) \
	(((uint32_t)(impl) << 24) | ((uint32_t)(variant) << 20) | (0xFu << 16) | \
	 ((uint32_t)(part) << 4) | (uint32_t)(rev))

struct known_part {
	const char *name;
	uint32_t part;
};

static const struct known_part arm_parts[] = {
	{ "Cortex-A53", 0xD03 }, { "Cortex-A55", 0xD05 }, { "Cortex-A57", 0xD07 },
	{ "Cortex-A72", 0xD08 }, { "Cortex-A76", 0xD0B }, { "Neoverse N1", 0xD0C },
};

#define NPARTS (sizeof(arm_parts) / sizeof(arm_parts[0]))

/* Every table there is: one per known part, then the fallback. */
static const struct armv8_core *all_tables[NPARTS + 1];

static int collect_tables(void)
{
	unsigned int i;

	for (i = 0; i < NPARTS; i++)
		all_tables[i] = armv8_core_lookup(MIDR(0x41, 0, arm_parts[i].part, 0));
	all_tables[NPARTS] = armv8_core_lookup(0);
	return 0;
}

static void test_each_part_selects_its_table(void)
{
	/* Variant and revision are ignored: r0p0, r1p3 (a real A57), r4p1 (a real A76), rFpF. */
	static const uint32_t variant_rev[][2] = { { 0, 0 }, { 1, 3 }, { 4, 1 }, { 0xF, 0xF } };
	unsigned int i, j;

	for (i = 0; i < NPARTS; i++) {
		for (j = 0; j < 4; j++) {
			uint32_t midr = MIDR(0x41, variant_rev[j][0], arm_parts[i].part,
					     variant_rev[j][1]);
			const struct armv8_core *core = armv8_core_lookup(midr);

			CHECK(core && strcmp(core->name, arm_parts[i].name) == 0,
			      "MIDR of %s, any variant/revision, selects its table (got %s, case %u)",
			      arm_parts[i].name, core ? core->name : "NULL", j);
			CHECK(core && core->generic == 0, "%s table is not marked generic (case %u)",
			      arm_parts[i].name, j);
		}
	}
}

static void test_architecture_field_is_ignored(void)
{
	/* MIDR.Architecture reads 0xF on Armv8 cores; the lookup must not depend on it anyway. */
	uint32_t midr = MIDR(0x41, 0, 0xD03, 4) & ~0x000F0000u;

	CU_ASSERT_STRING_EQUAL_FATAL(armv8_core_lookup(midr)->name, "Cortex-A53");
}

static void test_unknown_midr_falls_back_to_generic(void)
{
	static const struct {
		uint32_t midr;
		const char *what;
	} unknown[] = {
		{ MIDR(0x41, 0, 0xD0D, 0), "Arm Cortex-A77 (no table)" },
		{ MIDR(0x51, 0, 0xD03, 0), "implementer 0x51 with the A53's part number" },
		{ MIDR(0x00, 0, 0x051, 0), "implementer 0 (software-defined, as QEMU's -cpu max)" },
		{ 0x00000000u, "all zeros" },
		{ 0xFFFFFFFFu, "all ones" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const struct armv8_core *core = armv8_core_lookup(unknown[i].midr);

		CHECK(core != NULL, "lookup of %s never returns NULL", unknown[i].what);
		if (core)
			CHECK(core->generic == 1, "%s falls back to the generic table (got %s)",
			      unknown[i].what, core->name);
	}
}

static void test_known_tables_match_on_implementer_and_part_only(void)
{
	unsigned int i;

	for (i = 0; i < NPARTS; i++) {
		CHECK(all_tables[i]->midr_mask == 0xFF00FFF0u,
		      "%s matches on Implementer [31:24] and PartNum [15:4] only",
		      all_tables[i]->name);
		CHECK(all_tables[i]->midr_value == ((0x41u << 24) | (arm_parts[i].part << 4)),
		      "%s match value is implementer 0x41 and part number 0x%03X",
		      all_tables[i]->name, arm_parts[i].part);
	}
}

static void test_rows_are_complete(void)
{
	unsigned int t, i;

	for (t = 0; t <= NPARTS; t++) {
		const struct armv8_core *core = all_tables[t];

		CHECK(core->nevents > 0 && core->events != NULL, "%s has event rows", core->name);
		CHECK(core->source && core->source[0], "%s names its source manual", core->name);
		for (i = 0; i < core->nevents; i++) {
			const struct armv8_event *e = &core->events[i];

			CHECK(e->name && e->name[0], "%s row %u has a name", core->name, i);
			CHECK(e->description && e->description[0],
			      "%s %s has a description (row %u)", core->name, e->name, i);
			CHECK(e->source && e->source[0], "%s %s cites its source table (row %u)",
			      core->name, e->name, i);
			CHECK(e->code < 0x400,
			      "%s %s fits the Armv8.0 10-bit evtCount field (row %u)", core->name,
			      e->name, i);
		}
	}
}

static void test_names_and_codes_unique(void)
{
	unsigned int t, i, j;

	for (t = 0; t <= NPARTS; t++) {
		const struct armv8_core *core = all_tables[t];

		for (i = 0; i < core->nevents; i++) {
			for (j = i + 1; j < core->nevents; j++) {
				CHECK(strcasecmp(core->events[i].name, core->events[j].name) != 0,
				      "%s: name %s appears once (second at row %u)", core->name,
				      core->events[i].name, j);
				CHECK(core->events[i].code != core->events[j].code,
				      "%s: event number of %s appears once (again at row %u)",
				      core->name, core->events[i].name, j);
			}
		}
	}
}

static void test_default_events_are_refills_and_write_backs(void)
{
	unsigned int t;

	for (t = 0; t <= NPARTS; t++) {
		const struct armv8_core *core = all_tables[t];
		const struct armv8_event *rd = armv8_event_by_code(core, core->read_event);
		const struct armv8_event *wr = armv8_event_by_code(core, core->write_event);

		CHECK(core->read_event != 0, "%s has a default read event", core->name);
		CHECK(rd != NULL, "%s default read event is a row of its own table", core->name);
		if (rd)
			CHECK(strstr(rd->name, "_REFILL") || strstr(rd->name, "_MISS"),
			      "%s default read event %s counts refills or misses", core->name,
			      rd->name);
		if (core->write_event == 0)
			continue;
		CHECK(wr != NULL, "%s default write event is a row of its own table", core->name);
		if (wr)
			CHECK(strstr(wr->name, "_WB") != NULL,
			      "%s default write event %s counts write-backs", core->name, wr->name);
	}
}

/*
 * Cortex-A76 TRM, C2.3 "PMU events" (docs/armv8-pmu.md#armv8-pmu-ll-rd): LL_CACHE_MISS_RD 0x37
 * duplicates the last level's *_REFILL_RD, and L2D_CACHE_REFILL_RD 0x52 counts the ReadUnique a
 * store miss issues. So the A76 read default is 0x37 and store refills are not lost to a _WR event.
 */
static void test_a76_read_default_counts_store_refills(void)
{
	const struct armv8_core *a76 = armv8_core_lookup(0x410FD0B0u); /* A76 TRM, MIDR_EL1 r0p0 */

	CHECK(strcmp(a76->name, "Cortex-A76") == 0, "MIDR 0x410FD0B0 selects the Cortex-A76 table");
	CHECK_EQ(a76->read_event, 0x37, "the A76 read default is LL_CACHE_MISS_RD (0x37, A76 TRM C2.3)");
	CHECK(a76->read_event != 0x53, "not L2D_CACHE_REFILL_WR, which misses ReadUnique");
}

/*
 * The read and write-back defaults per core, as documented beside each default in
 * backends/armv8/events.c and in docs/armv8-pmu.md#armv8-pmu-ll-rd (numbers: Arm ARM common
 * events, L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18, LL_CACHE_MISS_RD 0x37):
 * - A53, A57, A72 and unknown cores: L2 is the last level they know of, L2D_CACHE_REFILL.
 * - A55, A76, N1: LL_CACHE_MISS_RD, which follows the configured last level and, by each core's
 *   event descriptions, counts the ReadUnique of a store miss as a read.
 * - Write-backs everywhere: L2D_CACHE_WB (no core has a last-level write-back event).
 * A change of default must change the documentation too: this test pins it.
 */
static void test_defaults_are_the_documented_choice(void)
{
	static const struct {
		const char *core;
		uint32_t part; /* 0: the generic table (MIDR 0) */
		uint16_t read, write;
	} want[] = {
		{ "Cortex-A53", 0xD03, 0x17, 0x18 }, { "Cortex-A55", 0xD05, 0x37, 0x18 },
		{ "Cortex-A57", 0xD07, 0x17, 0x18 }, { "Cortex-A72", 0xD08, 0x17, 0x18 },
		{ "Cortex-A76", 0xD0B, 0x37, 0x18 }, { "Neoverse N1", 0xD0C, 0x37, 0x18 },
		{ "generic", 0, 0x17, 0x18 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct armv8_core *core =
			armv8_core_lookup(want[i].part ? MIDR(0x41, 0, want[i].part, 0) : 0);

		CHECK(strcmp(core->name, want[i].core) == 0, "part 0x%03X selects %s (got %s)",
		      want[i].part, want[i].core, core->name);
		CHECK(core->read_event == want[i].read, "%s read default 0x%02X (table: 0x%02X)",
		      want[i].core, want[i].read, core->read_event);
		CHECK(core->write_event == want[i].write, "%s write default 0x%02X (table: 0x%02X)",
		      want[i].core, want[i].write, core->write_event);
	}
}

/* Arm ARM, PMU event numbers: 0x00C0-0x03FF are IMPLEMENTATION DEFINED. The field says so. */
static void test_impdef_field_matches_the_number_space(void)
{
	unsigned int t, i, marked = 0;

	for (t = 0; t <= NPARTS; t++) {
		const struct armv8_core *core = all_tables[t];

		for (i = 0; i < core->nevents; i++) {
			const struct armv8_event *e = &core->events[i];
			bool in_range = e->code >= 0xC0 && e->code <= 0x3FF;

			CHECK(e->impdef == in_range, "%s %s (0x%x): impdef %u", core->name, e->name,
			      e->code, e->impdef);
			marked += e->impdef;
		}
	}
	CHECK(marked >= 2, "the A53's 0xC0/0xC1 are marked IMPLEMENTATION DEFINED (%u rows)", marked);
}

static void test_generic_table_has_arm_arm_numbers(void)
{
	static const struct {
		const char *name;
		uint16_t code;
	} common[] = {
		{ "SW_INCR", 0x00 },	      { "INST_RETIRED", 0x08 }, { "CPU_CYCLES", 0x11 },
		{ "L2D_CACHE_REFILL", 0x17 }, { "L2D_CACHE_WB", 0x18 }, { "LL_CACHE_MISS_RD", 0x37 },
	};
	const struct armv8_core *generic = all_tables[NPARTS];
	unsigned int i;

	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		const struct armv8_event *e = armv8_event_by_name(generic, common[i].name);

		CHECK(e != NULL, "generic table lists %s", common[i].name);
		if (e)
			CHECK(e->code == common[i].code,
			      "generic %s has the Arm ARM's number 0x%02X (table: 0x%02X)",
			      common[i].name, common[i].code, e->code);
	}
}

static void test_common_names_keep_their_number_on_every_core(void)
{
	const struct armv8_core *generic = all_tables[NPARTS];
	unsigned int t, i;

	for (t = 0; t < NPARTS; t++) {
		const struct armv8_core *core = all_tables[t];

		for (i = 0; i < core->nevents; i++) {
			const struct armv8_event *g =
				armv8_event_by_name(generic, core->events[i].name);

			if (!g)
				continue; /* IMPLEMENTATION DEFINED event with no common number. */
			CHECK(g->code == core->events[i].code,
			      "%s %s has the architectural number (row %u)", core->name,
			      core->events[i].name, i);
		}
	}
}

static void test_stand_in_events_everywhere(void)
{
	/* The QEMU tests count these three; every table must offer them by name. */
	static const char *const stand_ins[] = { "SW_INCR", "INST_RETIRED", "CPU_CYCLES" };
	unsigned int t, i;

	for (t = 0; t <= NPARTS; t++)
		for (i = 0; i < 3; i++)
			CHECK(armv8_event_by_name(all_tables[t], stand_ins[i]) != NULL,
			      "%s lists %s", all_tables[t]->name, stand_ins[i]);
}

static void test_by_name_ignores_case(void)
{
	const struct armv8_core *a53 = all_tables[0];
	const struct armv8_event *upper = armv8_event_by_name(a53, "L2D_CACHE_REFILL");

	CU_ASSERT_PTR_NOT_NULL_FATAL(upper);
	CU_ASSERT_EQUAL(upper->code, 0x17); /* Arm ARM: L2D_CACHE_REFILL is 0x17. */
	CU_ASSERT_PTR_EQUAL(armv8_event_by_name(a53, "l2d_cache_refill"), upper);
	CU_ASSERT_PTR_EQUAL(armv8_event_by_name(a53, "L2d_Cache_Refill"), upper);
}

static void test_by_name_rejects_near_misses(void)
{
	const struct armv8_core *a53 = all_tables[0];

	/* A prefix, an extension, other separators, and empty are all different names. */
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "L2D_CACHE_REF"));
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "L2D_CACHE_REFILLS"));
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "L2D-CACHE-REFILL"));
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, ""));
	/* '@' and '`' differ from 'A'/'a' by the case bit only, but are not letters. */
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "SW_INCR`"));
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "@W_INCR"));
	/* An event another core has: the A53's TRM lists no LL_CACHE_MISS_RD. */
	CU_ASSERT_PTR_NULL(armv8_event_by_name(a53, "LL_CACHE_MISS_RD"));
}

/* By number: L2D_CACHE_REFILL is common event 0x17 (Arm ARM) in every table. */
static void test_by_code(void)
{
	unsigned int t;

	for (t = 0; t <= NPARTS; t++) {
		const struct armv8_event *e = armv8_event_by_code(all_tables[t], 0x17);

		CHECK(e && strcmp(e->name, "L2D_CACHE_REFILL") == 0, "%s 0x17 is L2D_CACHE_REFILL",
		      all_tables[t]->name);
		CHECK(armv8_event_by_code(all_tables[t], 0x3FF) == NULL, "%s has no 0x3FF",
		      all_tables[t]->name);
	}
	CHECK(armv8_event_by_code(NULL, 0x17) == NULL, "NULL table gives NULL");
}

static void test_by_name_null_arguments(void)
{
	CU_ASSERT_PTR_NULL(armv8_event_by_name(NULL, "SW_INCR"));
	CU_ASSERT_PTR_NULL(armv8_event_by_name(all_tables[0], NULL));
}

/*
 * The resolver every user of the tables calls (the perf backend, membw.ko): the optional
 * "armv8::" prefix, the default names, any ASCII case. Goldens (Arm ARM common events):
 * L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18, LL_CACHE_MISS_RD 0x37; the A53 reads with
 * L2D_CACHE_REFILL and the A76 with LL_CACHE_MISS_RD (test_defaults_are_the_documented_choice).
 * No table lacks a write-back default, so ARMV8_RESOLVED_NO_DEFAULT cannot be reached here.
 */
static void test_resolve(void)
{
	const uint32_t a53 = MIDR(0x41, 0, 0xD03, 4), a76 = MIDR(0x41, 4, 0xD0B, 1);
	struct armv8_resolution r;

	CHECK(armv8_event_resolve("ARMV8::l2d_cache_refill", a53, 0, &r) == ARMV8_RESOLVED_EVENT &&
		      r.row->code == 0x17 && !r.is_default &&
		      strcmp(r.name, "l2d_cache_refill") == 0 && strcmp(r.core->name, "Cortex-A53") == 0,
	      "armv8::NAME, any case, is the row; the prefix is dropped from the name");
	CHECK(armv8_event_resolve("Default", a53, 0, &r) == ARMV8_RESOLVED_EVENT &&
		      r.row->code == 0x17 && r.is_default && r.channel == 0,
	      "A53: default on the read channel is L2D_CACHE_REFILL 0x17");
	CHECK(armv8_event_resolve("default", a76, 1, &r) == ARMV8_RESOLVED_EVENT &&
		      r.row->code == 0x18 && r.channel == 1,
	      "A76: default on the write-back channel is L2D_CACHE_WB 0x18");
	CHECK(armv8_event_resolve("armv8::DEFAULT-READ", a76, 1, &r) == ARMV8_RESOLVED_EVENT &&
		      r.row->code == 0x37 && r.channel == 0,
	      "A76: default-read on the write-back channel is LL_CACHE_MISS_RD 0x37");
	CHECK(armv8_event_resolve("default-write", 0, 0, &r) == ARMV8_RESOLVED_EVENT &&
		      r.row->code == 0x18 && r.channel == 1 && r.core->generic,
	      "generic table: default-write on the read channel is L2D_CACHE_WB 0x18");
	CHECK(armv8_event_resolve("LONGEST_LAT_CACHE.MISS", a53, 0, &r) == ARMV8_RESOLVED_UNKNOWN &&
		      r.row == NULL && strcmp(r.core->name, "Cortex-A53") == 0,
	      "an Intel name is unknown, with the core's table");
	CHECK(armv8_event_resolve("armv8:L2D_CACHE_REFILL", a53, 0, &r) == ARMV8_RESOLVED_UNKNOWN,
	      "one colon is no prefix");
	CHECK(armv8_event_resolve("defaults", a53, 0, &r) == ARMV8_RESOLVED_UNKNOWN && !r.is_default,
	      "a near miss of default is no default name");
}

/*
 * Where PMCEID0/1_EL0 describe an event (Arm ARM D23.2, PMCEID0_EL0 and PMCEID1_EL0: bit n of
 * PMCEID0 is common event n, bit n of PMCEID1 event 0x20 + n, and the upper words the events
 * 0x4000 + n and 0x4020 + n). CPU_CYCLES 0x11, LL_CACHE_MISS_RD 0x37 and CNT_CYCLES 0x4004 are
 * the examples; 0x40 and 0x4040 lie outside the registers (implementation-defined ranges).
 */
static void test_pmceid_bit(void)
{
	unsigned int reg = 9, bit = 99;

	CHECK(armv8_pmceid_bit(0x11, &reg, &bit) && reg == 0 && bit == 17,
	      "CPU_CYCLES 0x11 is PMCEID0 bit 17 (got %u/%u)", reg, bit);
	CHECK(armv8_pmceid_bit(0x37, &reg, &bit) && reg == 1 && bit == 23,
	      "LL_CACHE_MISS_RD 0x37 is PMCEID1 bit 23 (got %u/%u)", reg, bit);
	CHECK(armv8_pmceid_bit(0x3F, &reg, &bit) && reg == 1 && bit == 31,
	      "0x3F is PMCEID1 bit 31 (got %u/%u)", reg, bit);
	CHECK(armv8_pmceid_bit(0x4004, &reg, &bit) && reg == 0 && bit == 36,
	      "CNT_CYCLES 0x4004 is PMCEID0 bit 36 (got %u/%u)", reg, bit);
	CHECK(armv8_pmceid_bit(0x4020, &reg, &bit) && reg == 1 && bit == 32,
	      "0x4020 is PMCEID1 bit 32 (got %u/%u)", reg, bit);
	reg = 9;
	bit = 99;
	CHECK(!armv8_pmceid_bit(0x40, &reg, &bit) && reg == 9 && bit == 99,
	      "0x40 is not described, nothing written");
	CHECK(!armv8_pmceid_bit(0x4040, &reg, &bit) && !armv8_pmceid_bit(0x3FFF, &reg, &bit),
	      "0x3FFF and 0x4040 are not described");
}

int suite_armv8_tables(void);
int suite_armv8_tables(void)
{
	CU_pSuite s = CU_add_suite("armv8 event tables", collect_tables, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "each part selects its table", test_each_part_selects_its_table) ||
	    !CU_add_test(s, "impdef field matches the number space",
			 test_impdef_field_matches_the_number_space) ||
	    !CU_add_test(s, "defaults are the documented choice",
			 test_defaults_are_the_documented_choice) ||
	    !CU_add_test(s, "A76 read default counts store refills",
			 test_a76_read_default_counts_store_refills) ||
	    !CU_add_test(s, "architecture field ignored", test_architecture_field_is_ignored) ||
	    !CU_add_test(s, "unknown MIDR -> generic", test_unknown_midr_falls_back_to_generic) ||
	    !CU_add_test(s, "match on implementer+part",
			 test_known_tables_match_on_implementer_and_part_only) ||
	    !CU_add_test(s, "rows complete", test_rows_are_complete) ||
	    !CU_add_test(s, "names and codes unique", test_names_and_codes_unique) ||
	    !CU_add_test(s, "defaults are refills/write-backs",
			 test_default_events_are_refills_and_write_backs) ||
	    !CU_add_test(s, "generic has Arm ARM numbers", test_generic_table_has_arm_arm_numbers) ||
	    !CU_add_test(s, "common names keep numbers",
			 test_common_names_keep_their_number_on_every_core) ||
	    !CU_add_test(s, "stand-in events everywhere", test_stand_in_events_everywhere) ||
	    !CU_add_test(s, "by name ignores case", test_by_name_ignores_case) ||
	    !CU_add_test(s, "by name rejects near misses", test_by_name_rejects_near_misses) ||
	    !CU_add_test(s, "by name NULL arguments", test_by_name_null_arguments) ||
	    !CU_add_test(s, "by code", test_by_code) ||
	    !CU_add_test(s, "resolve a name", test_resolve) ||
	    !CU_add_test(s, "PMCEID bit of an event", test_pmceid_bit))
		return -1;
	return 0;
}
