/* SPDX-License-Identifier: MIT */
/*
 * Probe and cpu_init: what they read from the registers, what they report, and every refusal.
 * Facts from the Arm ARM: ID_AA64DFR0_EL1.PMUVer 0 = no PMU, 0xF = IMPLEMENTATION DEFINED (not
 * PMUv3), 1 = PMUv3, 4 = PMUv3p1, 6 = PMUv3p5 (64-bit event counters); CTR_EL0.DminLine is log2
 * of the smallest data line in 4-byte words; PMCEID0_EL0 bit i = common event i (0x00-0x1F),
 * PMCEID1_EL0 bit i = event 0x20 + i, bits [63:32] the same for 0x4000 + i (PMUv3p1).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "helpers.h"

static void test_no_pmu(void)
{
	static const uint32_t absent[] = { 0x0, 0xF };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		t_reset_el1(0, 2);
		fake_set_pmu_version(absent[i]);
		CHECK(t_probe() == -MEMBW_ENODEV, "PMUVer 0 or 0xF: probe refuses with -ENODEV");
		CHECK(fake.undefined == 0, "without a PMU, probe touches no PMU register");
		CHECK(fake_find(0, FR_PMCR, false) < 0, "without a PMU, PMCR_EL0 is not read");
		CHECK(ctx.reason != NULL, "the refusal says why in ctx.reason");
		CHECK(ctx.pmu_version == absent[i], "ctx.pmu_version shows the PMUVer read");
		CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "cpu_init after a failed probe refuses");
	}
}

static void test_pmuv3_facts(void)
{
	t_reset_el1(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds on a PMUv3 CPU");
	CHECK(info.channels == 2, "two counters and L2D_CACHE_WB implemented: two channels");
	CHECK(info.counter_bits == 32, "PMUv3 (before v3p5): 32-bit counters");
	CHECK(info.line_size == 64, "DminLine 4: 2^4 words of 4 bytes = 64-byte lines");
	CHECK(info.caps & MEMBW_CAP_LINE_SIZE_PROBED, "the line size is reported as probed");
	CHECK(info.caps & MEMBW_CAP_LATE_OVERFLOW, "the asynchronous overflow interrupt is reported as late");
	CHECK(ctx.pmu_version == 1, "ctx.pmu_version is PMUVer 1");
	CHECK(ctx.counters_total == 6, "ctx.counters_total is PMCR_EL0.N = 6");
	CHECK(ctx.midr == 0x411FD070u, "ctx.midr is MIDR_EL1");
	CHECK(ctx.first_used == 0, "the first counter used is counter 0");
	CHECK(ctx.nused == 2, "two counters are used (0 and 1)");
	CHECK(ctx.reason == NULL, "no reason after a successful probe");
	CHECK(membw_armv8_backend.priv_size <= 256, "the private state fits the tests' 256 bytes");
}

static void test_line_size(void)
{
	t_reset_el1(0, 2);
	fake.ctr = 0x3u << 16;
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(info.line_size == 32, "DminLine 3: 2^3 words of 4 bytes = 32-byte lines");
	t_reset_el1(0, 2);
	fake.ctr = (0x5u << 16) | 0x4u; /* IminLine (bits [3:0]) must not matter */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(info.line_size == 128, "DminLine 5: 2^5 words of 4 bytes = 128-byte lines");
}

static void test_widths(void)
{
	t_reset_el1(0, 2);
	fake_set_pmu_version(6);
	CHECK_FATAL(t_probe() == 0, "probe succeeds on PMUv3p5");
	CHECK(info.counter_bits == 64, "PMUv3p5: 64-bit counters");
	t_reset_el1(0, 2);
	fake_set_pmu_version(6);
	ctx.flags = ARMV8_FLAG_COUNTERS_32BIT;
	CHECK_FATAL(t_probe() == 0, "probe succeeds on PMUv3p5 with COUNTERS_32BIT");
	CHECK(info.counter_bits == 32, "PMUv3p5 with ARMV8_FLAG_COUNTERS_32BIT: 32-bit counters");
	t_reset_el1(0, 2);
	fake_set_pmu_version(4);
	CHECK_FATAL(t_probe() == 0, "probe succeeds on PMUv3p1");
	CHECK(info.counter_bits == 32, "PMUv3p1: 32-bit counters");
}

static void test_counter_budget(void)
{
	t_reset_el1(0, 1);
	CHECK_FATAL(t_probe() == 0, "one counter handed over: probe succeeds");
	CHECK(info.channels == 1, "one counter handed over: one channel");
	t_reset_el1(0, 1);
	ctx.want_channels = 2;
	CHECK(t_probe() == -MEMBW_ENODEV, "two channels wanted, one counter: -ENODEV");
	t_reset_el1(0, 1);
	ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND;
	CHECK(t_probe() == -MEMBW_ENODEV, "workaround needs two counters per channel: one is -ENODEV");
	t_reset_el1(0, 2);
	ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND;
	CHECK_FATAL(t_probe() == 0, "workaround with two counters: probe succeeds");
	CHECK(info.channels == 1, "workaround with two counters: one channel");
	t_reset_el1(2, 4);
	ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND;
	CHECK_FATAL(t_probe() == 0, "workaround with four counters: probe succeeds");
	CHECK(info.channels == 2, "workaround with four counters: two channels");
	CHECK(ctx.first_used == 2, "workaround with four counters from 2: the first used is 2");
	CHECK(ctx.nused == 4, "workaround with four counters from 2: four are used (2..5)");
	t_reset_el1(5, 2);
	CHECK(t_probe() == -MEMBW_ENODEV, "counters 5..6 with N = 6 go beyond PMCR_EL0.N: -ENODEV");
	t_reset_el1(6, 1);
	CHECK(t_probe() == -MEMBW_ENODEV, "first_counter = N is refused");
	t_reset_el1(0, 0);
	CHECK(t_probe() == -MEMBW_ENODEV, "no counter handed over: -ENODEV");
	CHECK(ctx.reason != NULL, "and the reason says what to set");
}

static void test_bad_ctx(void)
{
	t_reset_el1(0, 2);
	CHECK(membw_armv8_backend.probe(NULL, &info) == -MEMBW_EINVAL, "no ctx: -EINVAL");
	ctx.size = sizeof(ctx) - 4;
	CHECK(t_probe() == -MEMBW_EINVAL, "ctx.size too small: -EINVAL");
	t_reset_el1(0, 2);
	ctx.mode = 3;
	CHECK(t_probe() == -MEMBW_EINVAL, "unknown mode: -EINVAL");
	t_reset_el1(0, 2);
	ctx.flags = 1u << 7;
	CHECK(t_probe() == -MEMBW_EINVAL, "unknown flag: -EINVAL");
	t_reset_el1(0, 2);
	ctx.want_channels = 3;
	CHECK(t_probe() == -MEMBW_EINVAL, "want_channels 3: -EINVAL");
	CHECK(fake.nlog == 0, "a malformed ctx is refused before any register is read");
	t_reset_el1(0, 2);
	info.size = 8;
	CHECK(t_probe() == -MEMBW_EINVAL, "membw_backend_info.size too small: -EINVAL");
}

static void test_generic_defaults(void)
{
	t_reset_el1(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.fell_back == 1, "unknown core: fell_back = 1");
	CHECK(info.caps & MEMBW_CAP_GENERIC_EVENTS, "unknown core: caps say generic events");
	CHECK(ctx.core_name && strcmp(ctx.core_name, "generic (architectural events)") == 0,
	      "unknown core: core_name says generic");
	CHECK(ctx.default_event[0] == 0x17, "generic read default: L2D_CACHE_REFILL 0x17");
	CHECK(ctx.default_event[1] == 0x18, "generic write default: L2D_CACHE_WB 0x18");
	fake.cnten = fake.inten = fake.ovs = BIT(0) | BIT(1) | BIT(5); /* left over from before */
	CHECK_FATAL(t_init(MEMBW_COUNT_USER, 0, 0) == 0, "cpu_init with default events");
	CHECK((fake.evtyper[0] & 0xFFFF) == 0x17, "counter 0 counts 0x17");
	CHECK((fake.evtyper[1] & 0xFFFF) == 0x18, "counter 1 counts 0x18");
	CHECK(fake.cnten == BIT(5), "cpu_init leaves counters 0 and 1 stopped, counter 5 (not ours) alone");
	CHECK(fake.inten == BIT(5), "cpu_init leaves the interrupts of 0 and 1 disabled");
	CHECK(fake.ovs == BIT(5), "cpu_init clears the stale overflow flags of 0 and 1");
	CHECK_FATAL(t_init(MEMBW_COUNT_KERNEL, 0x13, 0x18) == 0, "cpu_init again, new event and level");
	CHECK(fake.evtyper[0] == 0x40000013u, "re-init: counter 0 now EL1-only MEM_ACCESS: 0x40000000 | 0x13");
}

static void test_architectural_fallback_chain(void)
{
	t_reset_el1(0, 2);
	fake.pmceid0 = BIT(0x03) | BIT(0x15); /* L1D refill and write-back only */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.default_event[0] == 0x03, "no 0x17: read falls back to L1D_CACHE_REFILL 0x03");
	CHECK(ctx.default_event[1] == 0x15, "no 0x18: write falls back to L1D_CACHE_WB 0x15");

	t_reset_el1(0, 2);
	fake.pmceid0 = BIT(0x03); /* no write-back event at all */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(info.channels == 1, "no write-back event: one channel");
	CHECK(ctx.default_event[1] == ARMV8_NO_EVENT, "no write-back event: default_event[1] is none");

	t_reset_el1(0, 2);
	fake.pmceid0 = BIT(0x00) | BIT(0x08); /* QEMU-like: SW_INCR, INST_RETIRED */
	ctx.want_channels = 2;
	CHECK_FATAL(t_probe() == 0, "two channels wanted: probe succeeds");
	CHECK(ctx.default_event[0] == ARMV8_NO_EVENT, "no refill event: no read default");
	CHECK(t_init(MEMBW_COUNT_USER, 0, ARMV8_EVENT(8)) == -MEMBW_EOPNOTSUPP,
	      "default read event asked for, none implemented: -EOPNOTSUPP");
	CHECK(t_init(MEMBW_COUNT_USER, ARMV8_EVENT(0), 0) == -MEMBW_EOPNOTSUPP,
	      "default write event asked for, none implemented: -EOPNOTSUPP");
	CHECK(t_init(MEMBW_COUNT_USER, ARMV8_EVENT(0), 0x08) == 0, "SW_INCR and INST_RETIRED named: accepted");
}

static const struct armv8_core test_core = {
	.name = "Test-Core", .read_event = 0x2A, .write_event = 0x2C, /* L3D refill / write-back */
};

static const struct armv8_core impdef_core = {
	.name = "Impdef-Core", .read_event = 0xC0, .write_event = 0, /* IMPLEMENTATION DEFINED read */
};

static void test_core_table_events(void)
{
	t_reset_el1(0, 2);
	fake_core = &test_core;
	fake.pmceid1 = BIT(0x2A - 0x20) | BIT(0x2C - 0x20);
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.fell_back == 0, "known core with its events implemented: fell_back = 0");
	CHECK(!(info.caps & MEMBW_CAP_GENERIC_EVENTS), "known core: caps do not say generic events");
	CHECK(strcmp(ctx.core_name, "Test-Core") == 0, "core_name is the table's name");
	CHECK(ctx.default_event[0] == 0x2A, "read default is the table's 0x2A (PMCEID1 bit 10)");
	CHECK(ctx.default_event[1] == 0x2C, "write default is the table's 0x2C (PMCEID1 bit 12)");

	t_reset_el1(0, 2);
	fake_core = &test_core; /* PMCEID1 = 0: the table's events are not implemented */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.fell_back == 1, "the table's events missing from PMCEID: fell_back = 1");
	CHECK(ctx.default_event[0] == 0x17, "and the read default is architectural 0x17");

	t_reset_el1(0, 2);
	fake_core = &impdef_core;
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.default_event[0] == 0xC0, "an IMPLEMENTATION DEFINED table event (not in PMCEID) is trusted");
	CHECK(ctx.default_event[1] == 0x18, "a core without write event gets architectural 0x18");
	CHECK(ctx.fell_back == 1, "a fallback on one channel sets fell_back");
}

static void test_event_checks(void)
{
	t_reset_el1(0, 2);
	fake.pmceid0 = ~(uint64_t)BIT(0x17) & 0xFFFFFFFFu;
	ctx.want_channels = 1;
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	fake_log_clear();
	CHECK(t_init(MEMBW_COUNT_USER, 0x17, 0) == -MEMBW_EOPNOTSUPP,
	      "0x17 with PMCEID0 bit 23 clear: -EOPNOTSUPP");
	CHECK(fake_find(0, FR_PMEVTYPER, true) < 0 && fake_find(0, FR_PMCR, true) < 0 &&
		      fake_find(0, FR_PMCNTENCLR, true) < 0,
	      "a refused event leaves the hardware untouched");
	CHECK(t_init(MEMBW_COUNT_USER, 0x13, 0) == 0, "0x13 with PMCEID0 bit 19 set: accepted");
	CHECK(t_init(MEMBW_COUNT_USER, 0x21, 0) == -MEMBW_EOPNOTSUPP, "0x21 with PMCEID1 bit 1 clear: refused");
	fake.pmceid1 = BIT(1);
	CHECK(t_init(MEMBW_COUNT_USER, 0x21, 0) == 0, "0x21 with PMCEID1 bit 1 set: accepted");
	CHECK(t_init(MEMBW_COUNT_USER, (1ull << 40) | 0x13, 0) == -MEMBW_EOPNOTSUPP,
	      "an event code with bits beyond [15:0] and EXPLICIT: refused");
	CHECK(t_init(MEMBW_COUNT_USER, 0x400, 0) == -MEMBW_EOPNOTSUPP,
	      "PMUv3 has 10-bit event numbers: 0x400 refused");
	CHECK(t_init(MEMBW_COUNT_USER, 0x13, 0x18) == -MEMBW_EOPNOTSUPP,
	      "a write event named while one channel runs: refused");
	CHECK(t_init(MEMBW_COUNT_USER, 0x4000, 0) == -MEMBW_EOPNOTSUPP, "PMUv3: 0x4000 range refused");
}

static void test_extended_events(void)
{
	t_reset_el1(0, 2);
	fake_set_pmu_version(4);
	fake.pmceid0 = 0xFFFFFFFFu | (1ull << 32) ; /* 0x4000 implemented (PMCEID0 bit 32) */
	fake.pmceid1 = 1ull << (32 + 1);            /* 0x4021 implemented (PMCEID1 bit 33) */
	ctx.want_channels = 1;
	CHECK_FATAL(t_probe() == 0, "probe succeeds on PMUv3p1");
	CHECK(t_init(MEMBW_COUNT_USER, 0x4000, 0) == 0, "0x4000 with PMCEID0 bit 32 set: accepted");
	CHECK(t_init(MEMBW_COUNT_USER, 0x4001, 0) == -MEMBW_EOPNOTSUPP, "0x4001 with PMCEID0 bit 33 clear: refused");
	CHECK(t_init(MEMBW_COUNT_USER, 0x4021, 0) == 0, "0x4021 with PMCEID1 bit 33 set: accepted");
	CHECK(t_init(MEMBW_COUNT_USER, 0x4020, 0) == -MEMBW_EOPNOTSUPP, "0x4020 with PMCEID1 bit 32 clear: refused");
	CHECK(t_init(MEMBW_COUNT_USER, 0x400, 0) == 0, "PMUv3p1: 0x400 (not in PMCEID) is taken on trust");
	CHECK(fake.evtyper[0] == (0x80000000u | 0x400), "and written as event 0x400, EL0 only");
}

static void test_el2_mode(void)
{
	t_reset_el1(0, 2);
	ctx.mode = ARMV8_MODE_EL2; /* but running at EL1 */
	CHECK(t_probe() == -MEMBW_ENODEV, "EL2 mode at EL1: -ENODEV");
	CHECK(fake.undefined == 0, "EL2 mode at EL1 does not touch MDCR_EL2");

	t_reset_el2(6, 6);
	CHECK(t_probe() == -MEMBW_ENODEV, "HPMN = N leaves EL2 no counter: -ENODEV");
	t_reset_el2(6, 0);
	CHECK(t_probe() == -MEMBW_ENODEV, "HPMN = 0 without FEAT_HPMN0: -ENODEV");
	t_reset_el2(6, 0);
	fake.id_aa64dfr0 |= 1ull << 60; /* ID_AA64DFR0_EL1.HPMN0 [63:60] = 1 */
	CHECK(t_probe() == 0 && ctx.first_used == 0, "HPMN = 0 with FEAT_HPMN0: counters from 0");

	t_reset_el2(6, 4);
	CHECK_FATAL(t_probe() == 0, "EL2 with HPMN 4 of 6: probe succeeds");
	CHECK(ctx.first_used == 4 && ctx.nused == 2, "EL2 uses counters 4 and 5 (HPMN..N-1)");
	CHECK(info.channels == 2, "two EL2 counters: two channels");
	CHECK_FATAL(t_init(MEMBW_COUNT_ALL, 0, 0) == 0, "cpu_init at EL2");
	CHECK((fake.evtyper[4] & 0xFFFF) == 0x17 && (fake.evtyper[5] & 0xFFFF) == 0x18,
	      "counters 4 and 5 get the read and write events");
	CHECK(fake.evtyper[0] == 0 && fake.evtyper[3] == 0, "counters below HPMN are untouched");

	t_reset_el2(6, 5);
	ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND;
	CHECK(t_probe() == -MEMBW_ENODEV, "one EL2 counter cannot carry the workaround: -ENODEV");
}

static void test_cpu_init_checks_its_cpu(void)
{
	t_reset_el1(0, 2);
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "cpu_init before probe: -ENODEV");
	t_reset_el1(0, 2);
	fake_set_pmu_version(6);
	CHECK_FATAL(t_probe() == 0, "probe on PMUv3p5");
	fake_set_pmu_version(1);
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV,
	      "a CPU with narrower counters than the probed one: -ENODEV");
	fake_set_pmu_version(0);
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "a CPU without PMU: -ENODEV");
}

int armv8_probe_suite(void);
int armv8_probe_suite(void)
{
	CU_pSuite s = CU_add_suite("armv8 probe and cpu_init", NULL, NULL);

	if (!s || !CU_add_test(s, "no PMUv3: clean refusal", test_no_pmu) ||
	    !CU_add_test(s, "PMUv3 facts", test_pmuv3_facts) ||
	    !CU_add_test(s, "line size from CTR_EL0.DminLine", test_line_size) ||
	    !CU_add_test(s, "32- and 64-bit counters", test_widths) ||
	    !CU_add_test(s, "counters handed over vs needed", test_counter_budget) ||
	    !CU_add_test(s, "malformed contexts", test_bad_ctx) ||
	    !CU_add_test(s, "generic core: architectural defaults", test_generic_defaults) ||
	    !CU_add_test(s, "architectural fallback chain", test_architectural_fallback_chain) ||
	    !CU_add_test(s, "core table events", test_core_table_events) ||
	    !CU_add_test(s, "requested events checked against PMCEID", test_event_checks) ||
	    !CU_add_test(s, "PMUv3p1 extended events 0x4000+", test_extended_events) ||
	    !CU_add_test(s, "EL2 mode: counters from HPMN", test_el2_mode) ||
	    !CU_add_test(s, "cpu_init checks its own CPU", test_cpu_init_checks_its_cpu))
		return CU_get_error();
	return 0;
}
