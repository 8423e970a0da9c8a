/* SPDX-License-Identifier: MIT */
/*
 * PMUv3 register fields as named constants, polarity in the name (EXCLUDE vs INCLUDE). Source:
 * Arm Architecture Reference Manual for A-profile (DDI 0487), chapter D "The Performance Monitors
 * Extension" and the register descriptions of ID_AA64DFR0_EL1, PMCR_EL0, PMEVTYPER<n>_EL0,
 * PMCEID0/1_EL0, MDCR_EL2, CTR_EL0 and CurrentEL. Never modelled as C bitfields.
 */
#ifndef MEMBW_ARMV8_PMU_FIELDS_H
#define MEMBW_ARMV8_PMU_FIELDS_H

#include <stdint.h>

/* ID_AA64DFR0_EL1 */
#define ARMV8_DFR0_PMUVER_SHIFT 8
#define ARMV8_DFR0_PMUVER_MASK (0xFull << ARMV8_DFR0_PMUVER_SHIFT)
#define ARMV8_DFR0_HPMN0_SHIFT 60 /* FEAT_HPMN0: MDCR_EL2.HPMN may be 0 */
#define ARMV8_DFR0_HPMN0_MASK (0xFull << ARMV8_DFR0_HPMN0_SHIFT)
/* PMUVer values */
#define ARMV8_PMUVER_NONE 0x0u    /* no Performance Monitors Extension */
#define ARMV8_PMUVER_V3 0x1u      /* PMUv3: 10-bit event numbers */
#define ARMV8_PMUVER_V3P1 0x4u    /* 16-bit event numbers, PMCEID upper halves */
#define ARMV8_PMUVER_V3P5 0x6u    /* 64-bit event counters (PMCR_EL0.LP, MDCR_EL2.HLP) */
#define ARMV8_PMUVER_IMPDEF 0xFu  /* IMPLEMENTATION DEFINED, not PMUv3 */

/* ID_AA64PFR0_EL1: EL2 [11:8], 0 = EL2 not implemented */
#define ARMV8_PFR0_EL2_SHIFT 8
#define ARMV8_PFR0_EL2_MASK (0xFull << ARMV8_PFR0_EL2_SHIFT)

/* PMCR_EL0 */
#define ARMV8_PMCR_ENABLE (1u << 0)             /* E: event counters below HPMN count */
#define ARMV8_PMCR_LONG_EVENT_COUNTERS (1u << 7)  /* LP: overflow at 2^64 (PMUv3p5) */
#define ARMV8_PMCR_N_SHIFT 11
/* PMUSERENR_EL0: EN [0] (EL0 access to all PMU registers), SW [1] (PMSWINC), CR [2] (cycle counter
 * reads), ER [3] (event counter reads and PMSELR); docs/armv8-pmu.md#armv8-pmu-el0 */
#define ARMV8_PMUSERENR_EL0_ACCESS 0xFu
/* PMCNTEN/PMINTEN/PMOVS bit of the cycle counter PMCCNTR_EL0 */
#define ARMV8_CYCLE_COUNTER_BIT (1u << 31)
#define ARMV8_PMCR_N_MASK (0x1Fu << ARMV8_PMCR_N_SHIFT)

/*
 * PMEVTYPER<n>_EL0 (PMCCFILTR_EL0 has the same filter bits). P and U exclude, NSH includes.
 * The backend leaves NSK [29], NSU [28] and M [26] at 0 and so names no constant for them: a
 * Non-secure EL1/EL0 then counts when NSK == P / NSU == U, i.e. exactly as P/U say, and EL3 when
 * M == P, i.e. with EL1.
 */
#define ARMV8_PMEVTYPER_EXCLUDE_EL1 (1u << 31)    /* P */
#define ARMV8_PMEVTYPER_EXCLUDE_EL0 (1u << 30)    /* U */
/* NSH: EL2 counts iff 1. SH [24] stays 0, so Secure EL2 counts too where FEAT_SEL2 is (README). */
#define ARMV8_PMEVTYPER_INCLUDE_EL2 (1u << 27)    /* NSH */
#define ARMV8_PMEVTYPER_EVENT_MASK 0xFFFFu        /* evtCount[15:0] (PMUv3p1 and later) */
#define ARMV8_PMEVTYPER_EVENT_MASK_V3 0x3FFu      /* evtCount[9:0] (PMUv3, before v3p1) */

/* PMCEID0_EL0 / PMCEID1_EL0: bit i of [31:0] = common event (base + i) implemented; [63:32]
 * (PMUv3p1) cover 0x4000 + base + i. PMCEID0: base 0x00, PMCEID1: base 0x20. */
#define ARMV8_PMCEID_COMMON_LAST 0x3Fu
#define ARMV8_PMCEID_EXT_BASE 0x4000u
#define ARMV8_PMCEID_EXT_LAST 0x403Fu
#define ARMV8_PMCEID_EXT_SHIFT 32

/*
 * Where PMCEID0/1_EL0 say whether event @code is implemented: *@reg 0 (PMCEID0) or 1 (PMCEID1)
 * and *@bit 0 .. 63. 0 for a number the registers do not describe (implementation-defined and
 * other ranges), with *@reg and *@bit left alone; else 1. Used by the backend's probe and by
 * membw.ko's event check.
 */
static inline int armv8_pmceid_bit(uint32_t code, unsigned int *reg, unsigned int *bit)
{
	uint32_t idx, half;

	if (code <= ARMV8_PMCEID_COMMON_LAST) {
		idx = code;
		half = 0;
	} else if (code >= ARMV8_PMCEID_EXT_BASE && code <= ARMV8_PMCEID_EXT_LAST) {
		idx = code - ARMV8_PMCEID_EXT_BASE;
		half = ARMV8_PMCEID_EXT_SHIFT;
	} else {
		return 0;
	}
	*reg = (idx & 0x20u) ? 1u : 0u;
	*bit = half + (idx & 0x1Fu);
	return 1;
}

/* MDCR_EL2 */
#define ARMV8_MDCR_HPMN_MASK 0x1Fu          /* counters >= HPMN are reserved for EL2 */
#define ARMV8_MDCR_EL2_COUNTERS_ENABLE (1u << 7)   /* HPME: counters >= HPMN count */
#define ARMV8_MDCR_EL2_LONG_COUNTERS (1u << 26)    /* HLP: counters >= HPMN overflow at 2^64 */

/* CTR_EL0: DminLine [19:16], log2 of the smallest data cache line in 4-byte words */
#define ARMV8_CTR_DMINLINE_SHIFT 16
#define ARMV8_CTR_DMINLINE_MASK (0xFu << ARMV8_CTR_DMINLINE_SHIFT)

/* CurrentEL: EL in [3:2] */
#define ARMV8_CURRENTEL_SHIFT 2
#define ARMV8_CURRENTEL_MASK (0x3u << ARMV8_CURRENTEL_SHIFT)

/* Common events (Arm ARM, "Common event numbers") the architectural fallback uses. The event
 * tables (events.c) carry the same numbers with their citations; these name the fallback chain
 * in armv8.c, which must not depend on a table row. */
#define ARMV8_EV_L1D_CACHE_REFILL 0x03u
#define ARMV8_EV_L1D_CACHE_WB 0x15u
#define ARMV8_EV_L2D_CACHE_REFILL 0x17u
#define ARMV8_EV_L2D_CACHE_WB 0x18u

#endif /* MEMBW_ARMV8_PMU_FIELDS_H */
