/* SPDX-License-Identifier: MIT */
/*
 * Our event numbers against an independent source: libpfm4's Arm tables (Debian's arm64
 * libpfm4; the amd64 build has no Arm tables, so this suite runs under qemu-aarch64). Only event
 * numbers are compared, never libpfm4's raw encodings (its filter bits differ from the Arm ARM's,
 * docs/armv8-pmu.md#armv8-pmu-libpfm4).
 *
 * libpfm4 4.13 has tables for the Cortex-A53 (arm_ac53), Cortex-A57 (arm_ac57) and Neoverse N1
 * (arm_n1) among our cores. Its Cortex-A53/A57 tables spell some events differently from the Arm
 * ARM; the map below pairs the names, nothing else.
 */
#include "check.h"
#include "events.h"

#include <CUnit/CUnit.h>
#include <perfmon/pfmlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MIDR_ARM(part) ((0x41u << 24) | (0xFu << 16) | ((uint32_t)(part) << 4))

/* Arm ARM mnemonic -> libpfm4's name for the same event in all three of its tables. */
static const char *const libpfm_names[][2] = {
	{ "L2D_CACHE", "L2D_CACHE_ACCESS" },
};

/* Arm ARM mnemonic -> libpfm4's name for the same event in arm_ac53 / arm_ac57. */
static const char *const older_names[][2] = {
	{ "MEM_ACCESS", "DATA_MEM_ACCESS" },
	{ "BUS_ACCESS_RD", "BUS_READ_ACCESS" },
	{ "BUS_ACCESS_WR", "BUS_WRITE_ACCESS" },
	{ "L1D_CACHE_REFILL_RD", "L1D_READ_REFILL" },
	{ "L1D_CACHE_REFILL_WR", "L1D_WRITE_REFILL" },
	{ "L1D_CACHE_WB_VICTIM", "L1D_WB_VICTIM" },
	{ "L1D_CACHE_WB_CLEAN", "L1D_WB_CLEAN_COHERENCY" },
	{ "L2D_CACHE_REFILL_RD", "L2D_READ_REFILL" },
	{ "L2D_CACHE_REFILL_WR", "L2D_WRITE_REFILL" },
	{ "L2D_CACHE_WB_VICTIM", "L2D_WB_VICTIM" },
	{ "L2D_CACHE_WB_CLEAN", "L2D_WB_CLEAN_COHERENCY" },
	{ "MEM_ACCESS_RD", "DATA_MEM_READ_ACCESS" },
	{ "MEM_ACCESS_WR", "DATA_MEM_WRITE_ACCESS" },
};

struct pfm_model {
	const char *core;	   /* our table's name */
	uint32_t midr;		   /* selects our table */
	pfm_pmu_t pmu;		   /* libpfm4's table for the same core */
	int older_names;	   /* libpfm4 uses the names in older_names[] */
	const char *const *absent; /* our rows libpfm4 does not have (NULL-terminated) */
};

/* The A53 TRM's 0xC0/0xC1 have no mnemonic; libpfm4's arm_ac53 stops at 0x87. */
static const char *const a53_absent[] = { "EXT_MEM_REQ", "EXT_MEM_REQ_NC", NULL };
static const char *const none_absent[] = { NULL };

static const struct pfm_model models[] = {
	{ "Cortex-A53", MIDR_ARM(0xD03), PFM_PMU_ARM_CORTEX_A53, 1, a53_absent },
	{ "Cortex-A57", MIDR_ARM(0xD07), PFM_PMU_ARM_CORTEX_A57, 1, none_absent },
	{ "Neoverse N1", MIDR_ARM(0xD0C), PFM_PMU_ARM_N1, 0, none_absent },
};

static int init_libpfm(void)
{
	int err = pfm_initialize();

	if (err != PFM_SUCCESS) {
		fprintf(stderr, "libpfm4: pfm_initialize failed: %s\n", pfm_strerror(err));
		return -1;
	}
	return 0;
}

static const char *libpfm_name(const struct pfm_model *m, const char *ours)
{
	unsigned int i;

	for (i = 0; i < sizeof(libpfm_names) / sizeof(libpfm_names[0]); i++)
		if (strcmp(libpfm_names[i][0], ours) == 0)
			return libpfm_names[i][1];
	if (m->older_names)
		for (i = 0; i < sizeof(older_names) / sizeof(older_names[0]); i++)
			if (strcmp(older_names[i][0], ours) == 0)
				return older_names[i][1];
	return ours;
}

/* The event number libpfm4 gives @name in @pmu's table, or -1 if it has no such event. */
static long libpfm_code(pfm_pmu_t pmu, const char *name)
{
	pfm_pmu_info_t pinfo;
	int idx;

	memset(&pinfo, 0, sizeof(pinfo));
	pinfo.size = sizeof(pinfo);
	if (pfm_get_pmu_info(pmu, &pinfo) != PFM_SUCCESS)
		return -1;
	for (idx = pinfo.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
		pfm_event_info_t einfo;

		memset(&einfo, 0, sizeof(einfo));
		einfo.size = sizeof(einfo);
		if (pfm_get_event_info(idx, PFM_OS_NONE, &einfo) != PFM_SUCCESS)
			continue;
		if (strcmp(einfo.name, name) == 0)
			return (long)einfo.code;
	}
	return -1;
}

static int listed_absent(const struct pfm_model *m, const char *name)
{
	const char *const *a;

	for (a = m->absent; *a; a++)
		if (strcmp(*a, name) == 0)
			return 1;
	return 0;
}

static void test_libpfm_has_the_tables(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		pfm_pmu_info_t pinfo;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		CHECK(pfm_get_pmu_info(models[i].pmu, &pinfo) == PFM_SUCCESS && pinfo.nevents > 0,
		      "libpfm4 has an event table for the %s", models[i].core);
	}
}

static void test_numbers_agree_with_libpfm(void)
{
	unsigned int i, r;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		const struct pfm_model *m = &models[i];
		const struct armv8_core *core = armv8_core_lookup(m->midr);
		unsigned int agreed = 0;

		CHECK(strcmp(core->name, m->core) == 0, "MIDR part selects the %s table (got %s)",
		      m->core, core->name);
		for (r = 0; r < core->nevents; r++) {
			const struct armv8_event *e = &core->events[r];
			const char *theirs = libpfm_name(m, e->name);
			long code = libpfm_code(m->pmu, theirs);

			if (listed_absent(m, e->name)) {
				CHECK(code < 0, "%s %s is listed absent from libpfm4 and is absent",
				      m->core, e->name);
				continue;
			}
			CHECK(code >= 0, "libpfm4 knows %s %s (as %s)", m->core, e->name, theirs);
			if (code < 0)
				continue;
			CHECK(code == e->code, "%s %s: ours 0x%02X, libpfm4 0x%02lX", m->core,
			      e->name, e->code, code);
			if (code == e->code)
				agreed++;
		}
		printf("\n  %s: %u of %u rows have the same number in libpfm4\n", m->core,
		       agreed, core->nevents);
	}
}

/*
 * The other direction: every bandwidth event libpfm4's table of a core has is a row of ours with
 * the same number. The bandwidth events are the cache, bus and remote-access events that see
 * lines move between a core and DRAM (numbers from the Arm ARM's common events): L2D_CACHE 0x16,
 * L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18, BUS_ACCESS 0x19, BUS_CYCLES 0x1D,
 * L2D_CACHE_ALLOCATE 0x20, L3D_CACHE_ALLOCATE 0x29, L3D_CACHE_REFILL 0x2A, L3D_CACHE 0x2B,
 * L3D_CACHE_WB 0x2C, REMOTE_ACCESS 0x31, LL_CACHE_RD 0x36, LL_CACHE_MISS_RD 0x37,
 * REMOTE_ACCESS_RD 0x38, and the read/write splits of the L2 refills and write-backs and of the
 * bus accesses (0x52, 0x53, 0x56, 0x57, 0x60, 0x61). Accesses split by direction (0x50, 0x51)
 * and TLB events are not bandwidth.
 */
static int is_bandwidth_code(uint64_t code)
{
	static const uint16_t codes[] = { 0x16, 0x17, 0x18, 0x19, 0x1D, 0x20, 0x29, 0x2A, 0x2B,
					  0x2C, 0x31, 0x36, 0x37, 0x38, 0x52, 0x53, 0x56, 0x57,
					  0x60, 0x61 };
	unsigned int i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i] == code)
			return 1;
	return 0;
}

static void test_libpfm_bandwidth_rows_are_ours(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		const struct pfm_model *m = &models[i];
		const struct armv8_core *core = armv8_core_lookup(m->midr);
		pfm_pmu_info_t pinfo;
		unsigned int seen = 0;
		int idx;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(m->pmu, &pinfo) != PFM_SUCCESS)
			continue; /* test_libpfm_has_the_tables fails for it */
		for (idx = pinfo.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
			pfm_event_info_t einfo;
			const struct armv8_event *e;

			memset(&einfo, 0, sizeof(einfo));
			einfo.size = sizeof(einfo);
			if (pfm_get_event_info(idx, PFM_OS_NONE, &einfo) != PFM_SUCCESS ||
			    !is_bandwidth_code(einfo.code))
				continue;
			e = armv8_event_by_code(core, (uint16_t)einfo.code);
			seen++;
			CHECK(e != NULL, "libpfm4's %s %s (0x%02llX) is a row of our %s table",
			      pinfo.name, einfo.name, (unsigned long long)einfo.code, m->core);
		}
		/* Else the loop above compared nothing and could not fail. */
		CHECK(seen > 0, "libpfm4's %s table has bandwidth events to compare", pinfo.name);
		printf("\n  %s: %u bandwidth events in libpfm4's table\n", m->core, seen);
	}
}

int suite_armv8_libpfm(void);
int suite_armv8_libpfm(void)
{
	CU_pSuite s = CU_add_suite("armv8 event numbers vs libpfm4", init_libpfm, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "libpfm4 has the tables", test_libpfm_has_the_tables) ||
	    !CU_add_test(s, "numbers agree", test_numbers_agree_with_libpfm) ||
	    !CU_add_test(s, "libpfm4's bandwidth rows are ours", test_libpfm_bandwidth_rows_are_ours))
		return -1;
	return 0;
}
