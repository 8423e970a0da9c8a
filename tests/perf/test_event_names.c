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
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <string.h>

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

/* The whole resolver on this machine: raw codes first, then by whether an armv8 table applies. */
static void test_this_machine(void)
{
	struct perf_event_choice c;
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
	CU_ASSERT_EQUAL_FATAL(perf_event_resolve("default", &c, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(c.attr.type, PERF_TYPE_HARDWARE); /* not arm64: generic cache misses */
	CU_ASSERT_EQUAL(c.attr.config, PERF_COUNT_HW_CACHE_MISSES); /* for reads */
	CU_ASSERT_PTR_NOT_NULL(strstr(c.note, "x86")); /* the note says there is no x86 table */
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
