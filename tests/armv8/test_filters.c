/* SPDX-License-Identifier: MIT */
/*
 * Counted levels -> PMEVTYPER<n>_EL0, against values derived by hand from the Arm ARM
 * (DDI 0487, PMEVTYPER<n>_EL0; the same bits in the A53 register reference, e.g. AMD/Xilinx
 * UG1087 EVTYPER<n>_EL0):
 *   bit 31 P   = 1: do not count EL1                -> 0x80000000
 *   bit 30 U   = 1: do not count EL0                -> 0x40000000
 *   bit 27 NSH = 1: count EL2 (Non-secure; with SH = 0 also Secure EL2 where FEAT_SEL2 is)
 *                                                -> 0x08000000
 *   bits 29 NSK, 28 NSU, 26 M stay 0 (Non-secure EL1/EL0 follow P/U; EL3 counts iff P = 0)
 *   bits [15:0] event number; 0x17 is L2D_CACHE_REFILL (Arm ARM common events).
 * Cross-check, not the source: docs/armv8-pmu.md#armv8-pmu-libpfm4 records libpfm4's raw code for a
 * user-only L2D_CACHE_REFILL as 0x48000017, its own convention (P and U swapped, bit 27 inverted);
 * applying those two changes to our user-only 0x80000017 gives 0x40000017 ^ 0x08000000 =
 * 0x48000017.
 */
#include <CUnit/CUnit.h>

#include "helpers.h"

#define L2D_CACHE_REFILL 0x17u

static const struct {
	uint32_t levels;
	uint32_t golden;
	const char *derivation;
} goldens[] = {
	{ MEMBW_COUNT_USER, 0x80000017u, "EL0 only: P=1 (EL1 out), U=0, NSH=0 -> 0x80000000 | 0x17" },
	{ MEMBW_COUNT_KERNEL, 0x40000017u, "EL1 only: P=0, U=1 (EL0 out), NSH=0 -> 0x40000000 | 0x17" },
	{ MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, 0x00000017u, "EL0+EL1: P=0, U=0, NSH=0 -> 0x17" },
	{ MEMBW_COUNT_HYP, 0xC8000017u,
	  "EL2 only: P=1, U=1, NSH=1 -> 0x80000000 + 0x40000000 + 0x08000000 | 0x17" },
	{ MEMBW_COUNT_USER | MEMBW_COUNT_HYP, 0x88000017u, "EL0+EL2: P=1, U=0, NSH=1 -> 0x88000000 | 0x17" },
	{ MEMBW_COUNT_KERNEL | MEMBW_COUNT_HYP, 0x48000017u, "EL1+EL2: P=0, U=1, NSH=1 -> 0x48000000 | 0x17" },
	{ MEMBW_COUNT_ALL, 0x08000017u, "EL0+EL1+EL2: P=0, U=0, NSH=1 -> 0x08000000 | 0x17" },
};

static void test_every_level_combination(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		t_reset_el1(0, 2);
		if (!t_ready(goldens[i].levels, L2D_CACHE_REFILL, 0))
			return;
		CHECK(fake.evtyper[0] == goldens[i].golden, "%s", goldens[i].derivation);
	}
}

static void test_both_channels_get_the_filter(void)
{
	t_reset_el1(0, 2);
	if (!t_ready(MEMBW_COUNT_KERNEL, L2D_CACHE_REFILL, 0x18))
		return;
	CHECK(fake.evtyper[1] == 0x40000018u,
	      "write channel, EL1 only, L2D_CACHE_WB: U=1 -> 0x40000000 | 0x18");
}

static void test_sw_incr_is_reachable_as_event_zero(void)
{
	t_reset_el1(0, 2);
	fake.evtyper[0] = 0xFFFFu; /* so that a write of event 0 is visible */
	if (!t_ready(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, ARMV8_EVENT(0), 0))
		return;
	CHECK(fake.evtyper[0] == 0x00000000u, "SW_INCR (0x00) at EL0+EL1 sets no bit: 0x00000000");
}

static void test_filters_count_what_they_say(void)
{
	/* The fake admits EL0 iff U=0, EL1 iff P=0, EL2 iff NSH=1 (Arm ARM, Non-secure, no EL3). */
	t_reset_el1(0, 2);
	if (!t_ready(MEMBW_COUNT_USER, L2D_CACHE_REFILL, 0))
		return;
	CHECK_FATAL(membw_armv8_backend.arm(priv, MEMBW_CH_READ, 1000) == 0, "arm(1000) succeeds");
	fake_events(L2D_CACHE_REFILL, 0, 5);
	fake_events(L2D_CACHE_REFILL, 1, 7);
	fake_events(L2D_CACHE_REFILL, 2, 11);
	CHECK(fake.evcntr[0] == 0x100000000ull - 1000 + 5,
	      "a user-only counter armed for 1000 reads 2^32 - 1000 + 5 after 5 EL0, 7 EL1, 11 EL2 events");
}

static void test_refused_levels(void)
{
	t_reset_el1(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	fake_log_clear();
	CHECK(t_init(0, L2D_CACHE_REFILL, 0) == -MEMBW_EOPNOTSUPP, "no level at all is refused");
	CHECK(t_init(1u << 3, L2D_CACHE_REFILL, 0) == -MEMBW_EOPNOTSUPP, "an unknown level bit is refused");
	CHECK(fake_count_accesses(FR_PMEVTYPER, true) == 0, "a refused cpu_init writes no PMEVTYPER");
	fake.id_aa64pfr0 = 0; /* no EL2 */
	CHECK(t_init(MEMBW_COUNT_HYP, L2D_CACHE_REFILL, 0) == -MEMBW_EOPNOTSUPP,
	      "EL2 counting is refused on a CPU without EL2");
	CHECK(armv8_cpu_reason(priv) != NULL, "a refusal leaves a reason in the CPU's own state");
	CHECK(ctx.reason == NULL, "a CPU's refusal leaves probe's reason (none) as it was");
}

/* Two CPUs refusing for different reasons each keep their own (one shared field would keep only
 * the last one). */
static void test_refusal_reasons_per_cpu(void)
{
	static _Alignas(16) unsigned char other[512];
	struct membw_counter_setup none = { .size = sizeof(none), .levels = 0 };
	struct membw_counter_setup hyp = { .size = sizeof(hyp), .levels = MEMBW_COUNT_HYP };
	const char *first;

	CHECK_FATAL(sizeof(other) >= membw_armv8_backend.priv_size, "room for a second CPU's state");
	t_reset_el1(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(membw_armv8_backend.cpu_init(&ctx, 0, priv, &none) == -MEMBW_EOPNOTSUPP,
	      "CPU 0: no level at all is refused");
	first = armv8_cpu_reason(priv);
	fake.id_aa64pfr0 = 0; /* no EL2 */
	CHECK(membw_armv8_backend.cpu_init(&ctx, 1, other, &hyp) == -MEMBW_EOPNOTSUPP,
	      "CPU 1: EL2 counting without EL2 is refused");
	CHECK(first != NULL && armv8_cpu_reason(priv) == first,
	      "CPU 0 keeps its own reason after CPU 1 refused");
	CHECK(armv8_cpu_reason(other) != NULL && armv8_cpu_reason(other) != first,
	      "CPU 1 has a reason of its own, a different one");
	CHECK(armv8_cpu_reason(NULL) == NULL, "no state, no reason");
}

static void test_levels_reported(void)
{
	t_reset_el1(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(info.levels == MEMBW_COUNT_ALL, "with EL2 implemented, EL0, EL1 and EL2 can be selected");
	t_reset_el1(0, 2);
	fake.id_aa64pfr0 = 0; /* no EL2: NSH is RES0 */
	CHECK_FATAL(t_probe() == 0, "probe succeeds without EL2");
	CHECK(info.levels == (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL),
	      "without EL2 only EL0 and EL1 can be selected");
}

int armv8_filters_suite(void);
int armv8_filters_suite(void)
{
	CU_pSuite s = CU_add_suite("armv8 filters", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "every level combination vs hand-derived PMEVTYPER", test_every_level_combination) ||
	    !CU_add_test(s, "the write-back channel gets the same filter", test_both_channels_get_the_filter) ||
	    !CU_add_test(s, "ARMV8_EVENT(0) selects SW_INCR", test_sw_incr_is_reachable_as_event_zero) ||
	    !CU_add_test(s, "a user-only counter counts EL0 events only", test_filters_count_what_they_say) ||
	    !CU_add_test(s, "empty, unknown and EL2-less levels are refused", test_refused_levels) ||
	    !CU_add_test(s, "each CPU keeps its own refusal reason", test_refusal_reasons_per_cpu) ||
	    !CU_add_test(s, "levels reported follow EL2's presence", test_levels_reported))
		return CU_get_error();
	return 0;
}
