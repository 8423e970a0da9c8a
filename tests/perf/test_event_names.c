/* SPDX-License-Identifier: MIT */
/*
 * Event-name resolution of the perf backend through the armv8 tables, on any host: the core is
 * chosen by the MIDR_EL1 value passed to perf_armv8_resolve() (the one way a test picks a core),
 * and the whole resolver (perf_event_resolve_channel) is checked for what it does on this
 * machine.
 *
 * Goldens, from the manuals:
 * - Cortex-A53 MIDR_EL1 = 0x410FD034 (Cortex-A53 MPCore TRM r0p4, MIDR_EL1: implementer 0x41
 *   Arm, variant 0, architecture 0xF, part number 0xD03, revision 4).
 * - L2D_CACHE_REFILL = 0x17, L2D_CACHE_WB = 0x18, INST_RETIRED = 0x08 (Arm ARM D7.11 common
 *   events; the A53 TRM's table 12-28 gives the same numbers).
 * - MIDR_EL1 0x000F0510: implementer 0x00 is "reserved for software use" (Arm ARM, MIDR_EL1), so
 *   no vendor's core can have it; QEMU's -cpu max reports it (implementer 0, part 'Q' = 0x51).
 * - The Cortex-A53 defaults are L2 refills / L2 write-backs because its L2 is the last cache
 *   level (A53 TRM, chapter 1: the L2 memory system is the cluster's last level).
 *
 * x86, the CPU chosen by the made-up CPUID passed to perf_x86_resolve(). Goldens are libpfm4
 * 4.13's own encodings (Debian's libpfm4), printed by pfm_get_os_event_encoding(PFM_OS_PERF_EVENT)
 * with LIBPFM_FORCE_PMU=skx/clx/icx/spr: every one came out PERF_TYPE_RAW with
 *   skx, clx, icx: LONGEST_LAT_CACHE:MISS 0x412e, L2_LINES_OUT:NON_SILENT 0x2f2,
 *                  L2_LINES_IN:ALL 0x1ff1;
 *   spr:           LONGEST_LAT_CACHE:MISS 0x412e, L2_LINES_OUT:NON_SILENT 0x226,
 *                  L2_LINES_IN:ALL 0x1f25.
 * Family/model/stepping: Linux perf's x86 mapfile.csv (GenuineIntel-6-55-[01234] skylakex,
 * -6-55-[56789ABCDEF] cascadelakex, -6-6A icelakex, -6-8F sapphirerapids). A vendor other than
 * GenuineIntel ("AuthenticAMD", family 0x19 as on this host) must be refused.
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <string.h>

#include "check.h"
#include "cunit_run.h"
#include "perf_backend.h"

#define A53_MIDR 0x410FD034u
#define SOFTWARE_IMPLEMENTER_MIDR 0x000F0510u

static struct perf_event_choice got;
static char why[PERF_WHY_MAX];

static int resolve_on(uint32_t midr, unsigned int channel, const char *name)
{
	memset(&got, 0, sizeof(got));
	why[0] = '\0';
	return perf_armv8_resolve(name, channel, midr, &got, why, sizeof(why));
}

static void test_a53_l2_refill(void)
{
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "L2D_CACHE_REFILL"), 0);
	CU_ASSERT_EQUAL_FATAL(got.attr.type, PERF_TYPE_RAW); /* A53: L2D_CACHE_REFILL is raw */
	CU_ASSERT_EQUAL(got.attr.config, 0x17); /* A53: L2D_CACHE_REFILL is event 0x17 */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.name, "Cortex-A53")); /* A53's own table, by MIDR */
	CU_ASSERT_STRING_EQUAL(got.note, ""); /* A53: no generic-table caveat */
	CU_ASSERT_FALSE(got.software); /* A53: a hardware event needs the PMU */
}

static void test_names_ignore_case_and_prefix(void)
{
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "l2d_cache_refill"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x17); /* lower case names the same event 0x17 */
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "armv8::L2D_CACHE_WB"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x18); /* armv8::L2D_CACHE_WB is event 0x18 */
}

static void test_a53_defaults(void)
{
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "default"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x17); /* A53 default read event: L2D_CACHE_REFILL */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.note, "default read event")); /* says it is the default */
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 1, "default"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x18); /* A53 default write event: L2D_CACHE_WB */
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "default-write"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x18); /* default-write on channel 0: still L2D_CACHE_WB */
	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 1, "DEFAULT-READ"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x17); /* default-read on channel 1: L2D_CACHE_REFILL */
}

static void test_unknown_core_gets_generic_table(void)
{
	CU_ASSERT_EQUAL_FATAL(resolve_on(SOFTWARE_IMPLEMENTER_MIDR, 0, "INST_RETIRED"), 0);
	CU_ASSERT_EQUAL(got.attr.type, PERF_TYPE_RAW); /* generic INST_RETIRED is raw */
	CU_ASSERT_EQUAL(got.attr.config, 0x08); /* generic INST_RETIRED is event 0x08 */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.name, "generic")); /* the name shows the generic table */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.note, "generic table")); /* with a caveat saying so */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.note, "0x000f0510")); /* naming the unknown MIDR */
	CU_ASSERT_EQUAL_FATAL(resolve_on(SOFTWARE_IMPLEMENTER_MIDR, 0, "default"), 0);
	CU_ASSERT_EQUAL(got.attr.config, 0x17); /* generic default read: L2D_CACHE_REFILL */
	CU_ASSERT_PTR_NOT_NULL(strstr(got.note, "generic table")); /* default notes generic too */
}

static void test_unknown_name_is_refused(void)
{
	got.attr.config = 0x1234;
	CU_ASSERT_EQUAL(resolve_on(A53_MIDR, 0, "NO_SUCH_EVENT"), -MEMBW_ENOENT); /* refused */
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "NO_SUCH_EVENT")); /* the message names the input */
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "`membw events`")); /* and where to look */
	/* L3D_CACHE_REFILL is in the generic table but not in the A53's (no L3 on that core). */
	CU_ASSERT_EQUAL(resolve_on(A53_MIDR, 0, "L3D_CACHE_REFILL"), -MEMBW_ENOENT); /* A53: none */
	CU_ASSERT_EQUAL(resolve_on(A53_MIDR, 0, ""), -MEMBW_EINVAL); /* empty name: bad input */
}

static void test_refusal_leaves_output_unchanged(void)
{
	struct perf_event_choice before;

	CU_ASSERT_EQUAL_FATAL(resolve_on(A53_MIDR, 0, "L2D_CACHE_REFILL"), 0);
	before = got;
	CU_ASSERT_EQUAL(perf_armv8_resolve("NO_SUCH_EVENT", 0, A53_MIDR, &got, why, sizeof(why)),
			-MEMBW_ENOENT); /* refused */
	CU_ASSERT_EQUAL(memcmp(&before, &got, sizeof(got)), 0); /* and @out left as it was */
}

static const struct perf_x86_cpu skx_cpu = { 1, 6, 0x55, 4, "GenuineIntel" };
static const struct perf_x86_cpu clx_cpu = { 1, 6, 0x55, 7, "GenuineIntel" };
static const struct perf_x86_cpu icx_cpu = { 1, 6, 0x6A, 6, "GenuineIntel" };
static const struct perf_x86_cpu spr_cpu = { 1, 6, 0x8F, 8, "GenuineIntel" };
static const struct perf_x86_cpu unknown_intel_cpu = { 1, 6, 0x01, 0, "GenuineIntel" };
static const struct perf_x86_cpu amd_cpu = { 0, 0x19, 0x01, 1, "AuthenticAMD" };

static int resolve_x86(const struct perf_x86_cpu *cpu, unsigned int channel, const char *name)
{
	memset(&got, 0, sizeof(got));
	why[0] = '\0';
	return perf_x86_resolve(name, channel, cpu, &got, why, sizeof(why));
}

/* One name on one CPU resolves to PERF_TYPE_RAW @config (libpfm4's encoding). */
static void check_x86(const struct perf_x86_cpu *cpu, unsigned int channel, const char *name,
		      uint64_t config)
{
	CHECK_EQ(resolve_x86(cpu, channel, name), 0, "%s on family 0x%x model 0x%x resolves", name,
		 cpu->family, cpu->model);
	CHECK_EQ(got.attr.type, PERF_TYPE_RAW, "%s is PERF_TYPE_RAW", name);
	CHECK_EQ(got.attr.config, config, "%s (model 0x%x, channel %u) is raw 0x%llx", name,
		 cpu->model, channel, (unsigned long long)config);
}

static void test_x86_generations(void)
{
	const struct perf_x86_cpu *skl[] = { &skx_cpu, &clx_cpu, &icx_cpu };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		check_x86(skl[i], 0, "LONGEST_LAT_CACHE.MISS", 0x412e); /* libpfm4 skx/clx/icx */
		check_x86(skl[i], 0, "l2_lines_out.non_silent", 0x2f2);   /* any case */
		check_x86(skl[i], 0, "x86::L2_LINES_IN.ALL", 0x1ff1);     /* x86:: prefix */
		check_x86(skl[i], 0, "default", 0x412e); /* read default: LONGEST_LAT_CACHE.MISS */
		CHECK(strstr(got.note, "default read event") != NULL, "the note says it is the default read event");
		check_x86(skl[i], 1, "default", 0x2f2); /* write-back default: NON_SILENT */
	}
	check_x86(&spr_cpu, 0, "LONGEST_LAT_CACHE.MISS", 0x412e); /* libpfm4 spr */
	check_x86(&spr_cpu, 0, "L2_LINES_OUT.NON_SILENT", 0x226);
	check_x86(&spr_cpu, 0, "L2_LINES_IN.ALL", 0x1f25);
	check_x86(&spr_cpu, 1, "default", 0x226);
	check_x86(&spr_cpu, 0, "default-write", 0x226);
	CHECK(strstr(got.name, "Sapphire Rapids") != NULL, "the table chosen by model 0x8F");
	/* Skylake-SP's event number is not Sapphire Rapids': the table follows the model. */
	CHECK_EQ(resolve_x86(&spr_cpu, 0, "OFFCORE_REQUESTS.ALL_DATA_RD"), -MEMBW_ENOENT, "SPR has no OFFCORE_REQUESTS.ALL_DATA_RD (DATA_RD there)");
}

static void test_x86_unknown_intel_and_amd(void)
{
	struct perf_event_choice before;

	check_x86(&unknown_intel_cpu, 0, "default", 0x412e); /* architectural LLC misses */
	CHECK(strstr(got.note, "no table") != NULL, "unknown Intel model: the note says libmembw has no table for it");
	CHECK_EQ(resolve_x86(&unknown_intel_cpu, 1, "default"), -MEMBW_ENOENT, "unknown Intel model: no write-back default");
	CHECK(strstr(why, "--write-event") != NULL, "the refusal says to name one with --write-event");

	check_x86(&skx_cpu, 0, "L2_LINES_IN.ALL", 0x1ff1);
	before = got;
	CHECK_EQ(perf_x86_resolve("default", 0, &amd_cpu, &got, why, sizeof(why)), -MEMBW_ENOENT, "AMD: default is refused");
	CHECK(strstr(why, "no Intel event table applies") != NULL, "the refusal says no Intel table applies");
	CHECK(strstr(why, "AuthenticAMD") != NULL, "the refusal names the vendor");
	CHECK(strstr(why, "rNNN") != NULL, "what to use instead: a raw code");
	CHECK(strstr(why, "cache-misses") != NULL, "or a perf name");
	CHECK_EQ(memcmp(&before, &got, sizeof(got)), 0, "refusal leaves @out as it was");
	CHECK_EQ(resolve_x86(&amd_cpu, 0, "LONGEST_LAT_CACHE.MISS"), -MEMBW_ENOENT, "AMD: an Intel table name is refused");
	CHECK(strstr(why, "is an event of the Intel") != NULL, "the refusal says the name is an Intel event");
	CHECK(strstr(why, "no Intel event table applies") != NULL, "the refusal says no Intel table applies");
	CHECK_EQ(resolve_x86(&amd_cpu, 1, "default-write"), -MEMBW_ENOENT, "AMD: default-write is refused");
	CHECK_EQ(resolve_x86(&amd_cpu, 0, "NO_SUCH_EVENT"), -MEMBW_ENOENT, "AMD: an unknown name is refused");
	CHECK(strstr(why, "NO_SUCH_EVENT") != NULL, "the refusal names the input");
	CHECK_EQ(resolve_x86(&skx_cpu, 0, ""), -MEMBW_EINVAL, "an empty name is bad input");
}

/* The whole resolver on this machine: raw codes first, then by whether an armv8 table applies. */
static void test_this_machine(void)
{
	struct perf_event_choice c;
	struct perf_x86_cpu cpu;
	uint32_t midr;
	int err;

	CU_ASSERT_EQUAL_FATAL(perf_event_resolve("r17", &c, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(c.attr.type, PERF_TYPE_RAW); /* r17 is a raw code */
	CU_ASSERT_EQUAL(c.attr.config, 0x17); /* r17 is 0x17 */
	err = perf_event_resolve("NO_SUCH_EVENT", &c, why, sizeof(why));
	CU_ASSERT_EQUAL(err, -MEMBW_ENOENT); /* unknown everywhere */
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "`membw events`")); /* says where to look */
	if (perf_running_midr(&midr) == 0) {
		/* arm64: INST_RETIRED is known (libpfm4 or the table) and is event 0x08. */
		CU_ASSERT_EQUAL_FATAL(perf_event_resolve("INST_RETIRED", &c, why, sizeof(why)), 0);
		CU_ASSERT_EQUAL(c.attr.config, 0x08); /* arm64: INST_RETIRED is 0x08 */
		return;
	}
	CU_ASSERT_EQUAL(perf_event_resolve("armv8::INST_RETIRED", &c, why, sizeof(why)),
			-MEMBW_ENOENT); /* not arm64: no armv8 table */
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "arm64 only")); /* and says why */
	if (perf_running_x86(&cpu) == 0) {
		/* x86-64: "default" and table names go through the running CPU's Intel table,
		 * exactly as perf_x86_resolve() does with this CPUID. */
		struct perf_event_choice direct;
		char why2[PERF_WHY_MAX];
		int e1 = perf_event_resolve("default", &c, why, sizeof(why));
		int e2 = perf_x86_resolve("default", 0, &cpu, &direct, why2, sizeof(why2));

		CHECK_EQ(e1, e2, "resolver and table agree on this CPU");
		if (!cpu.intel) {
			CHECK_EQ(e1, -MEMBW_ENOENT, "this AMD host: refused");
			CHECK(strstr(why, "no Intel event table applies") != NULL, "the refusal says no Intel table applies");
			CHECK_EQ(perf_event_resolve("x86::LONGEST_LAT_CACHE.MISS", &c, why,
						    sizeof(why)), -MEMBW_ENOENT,
				 "this AMD host: an Intel table name is refused");
			CHECK(strstr(why, "no Intel event table applies") != NULL, "the refusal says no Intel table applies");
		} else if (!e1) {
			CHECK_EQ(c.attr.config, direct.attr.config, "resolver and table pick the same code");
		}
		return;
	}
	CU_ASSERT_EQUAL_FATAL(perf_event_resolve("default", &c, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(c.attr.type, PERF_TYPE_HARDWARE); /* not arm64: generic cache misses */
	CU_ASSERT_EQUAL(c.attr.config, PERF_COUNT_HW_CACHE_MISSES); /* for reads */
	CU_ASSERT_PTR_NOT_NULL(strstr(c.note, "x86")); /* the note: tables for arm64 and x86-64 only */
	CU_ASSERT_EQUAL(perf_event_resolve_channel("default", 1, &c, why, sizeof(why)),
			-MEMBW_ENOENT); /* not arm64: no default write-back event */
	CU_ASSERT_EQUAL(perf_event_resolve("default-write", &c, why, sizeof(why)),
			-MEMBW_ENOENT); /* not arm64: default-write refused on channel 0 too */
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "--write-event")); /* says to name one */
}

static int suite_event_names(void)
{
	CU_pSuite s = CU_add_suite("perf event names (armv8 tables)", NULL, NULL);

	if (!s || !CU_add_test(s, "A53 L2D_CACHE_REFILL -> raw 0x17", test_a53_l2_refill) ||
	    !CU_add_test(s, "names: any case, armv8:: prefix", test_names_ignore_case_and_prefix) ||
	    !CU_add_test(s, "A53 defaults 0x17 / 0x18", test_a53_defaults) ||
	    !CU_add_test(s, "unknown core -> generic table", test_unknown_core_gets_generic_table) ||
	    !CU_add_test(s, "unknown name -> error naming membw events",
			 test_unknown_name_is_refused) ||
	    !CU_add_test(s, "refusal leaves the output unchanged",
			 test_refusal_leaves_output_unchanged) ||
	    !CU_add_test(s, "x86: skx/clx/icx/spr names -> libpfm4's codes", test_x86_generations) ||
	    !CU_add_test(s, "x86: unknown Intel model, AMD refused",
			 test_x86_unknown_intel_and_amd) ||
	    !CU_add_test(s, "the whole resolver on this machine", test_this_machine))
		return 1;
	return 0;
}

int main(void)
{
	int (*const suites[])(void) = { suite_event_names };

	if (cunit_register(suites, 1))
		return 2;
	return cunit_run("perf-event-names");
}
