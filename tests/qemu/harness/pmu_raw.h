/* SPDX-License-Identifier: MIT */
/*
 * Raw PMUv3 register access for the substrate checks and the conformance driver (which makes
 * SW_INCR events by writing PMSWINC_EL0, as software on a real CPU would). Not the backend under
 * test: the backend (backends/armv8) has its own accessors. Bits from the Arm ARM (DDI 0487)
 * D13 "The Performance Monitors Extension" register descriptions.
 */
#ifndef QEMU_PMU_RAW_H
#define QEMU_PMU_RAW_H

#include <stdbool.h>
#include <stdint.h>

#define PMU_RAW_RW(fn, reg)                                                                        \
	static inline uint64_t pmu_read_##fn(void)                                                 \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mrs %0, " reg : "=r"(v));                                        \
		return v;                                                                          \
	}                                                                                          \
	static inline void pmu_write_##fn(uint64_t v)                                              \
	{                                                                                          \
		__asm__ volatile("msr " reg ", %0\n\tisb" ::"r"(v) : "memory");                    \
	}

PMU_RAW_RW(pmcr, "pmcr_el0")
PMU_RAW_RW(pmcntenset, "pmcntenset_el0")
PMU_RAW_RW(pmcntenclr, "pmcntenclr_el0")
PMU_RAW_RW(pmintenset, "pmintenset_el1")
PMU_RAW_RW(pmintenclr, "pmintenclr_el1")
PMU_RAW_RW(pmovsset, "pmovsset_el0")
PMU_RAW_RW(pmovsclr, "pmovsclr_el0")
PMU_RAW_RW(pmswinc, "pmswinc_el0")
PMU_RAW_RW(pmselr, "pmselr_el0")
PMU_RAW_RW(pmxevtyper, "pmxevtyper_el0")
PMU_RAW_RW(pmxevcntr, "pmxevcntr_el0")
PMU_RAW_RW(id_aa64dfr0, "id_aa64dfr0_el1")
PMU_RAW_RW(midr, "midr_el1")
PMU_RAW_RW(pmceid0, "pmceid0_el0")
PMU_RAW_RW(mdcr_el2, "mdcr_el2") /* EL2 only */

/* PMCR_EL0 */
#define PMCR_E (1ull << 0)
#define PMCR_P (1ull << 1)
#define PMCR_LP (1ull << 7)
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK 0x1full
/* MDCR_EL2: HPMN [4:0] (counters >= HPMN are EL2's), HPME [7] (they count) */
#define MDCR_EL2_HPMN_MASK 0x1full
#define MDCR_EL2_HPME (1ull << 7)
/* PMEVTYPER<n>_EL0 filter bits: P [31] excludes EL1, U [30] excludes EL0, NSH [27] includes EL2 */
#define PMEVTYPER_EXCLUDE_EL1 (1ull << 31)
#define PMEVTYPER_EXCLUDE_EL0 (1ull << 30)
#define PMEVTYPER_INCLUDE_EL2 (1ull << 27)
/* Common event numbers (Arm ARM common-event list) */
#define PMU_EVENT_SW_INCR 0x00u
#define PMU_EVENT_INST_RETIRED 0x08u
#define PMU_EVENT_CPU_CYCLES 0x11u
/* PMCEID0_EL0 bit e (e < 0x20): common event e is implemented */
static inline bool pmu_raw_implements(unsigned int event)
{
	return event < 0x20u && ((pmu_read_pmceid0() >> event) & 1u);
}

/* ID_AA64DFR0_EL1.PMUVer [11:8]: 0 none, 1 PMUv3, 4 v3p1, 5 v3p4, 6 v3p5, 7 v3p7, 0xf IMP DEF */
#define ID_AA64DFR0_PMUVER_SHIFT 8
#define ID_AA64DFR0_PMUVER_MASK 0xfull
#define PMUVER_V3P5 6u

static inline unsigned int pmu_raw_version(void)
{
	return (unsigned int)(pmu_read_id_aa64dfr0() >> ID_AA64DFR0_PMUVER_SHIFT) &
	       ID_AA64DFR0_PMUVER_MASK;
}

static inline unsigned int pmu_raw_counters(void)
{
	return (unsigned int)(pmu_read_pmcr() >> PMCR_N_SHIFT) & PMCR_N_MASK;
}

static inline void pmu_raw_set_type(unsigned int n, uint64_t type)
{
	pmu_write_pmselr(n);
	pmu_write_pmxevtyper(type);
}

static inline void pmu_raw_set_count(unsigned int n, uint64_t v)
{
	pmu_write_pmselr(n);
	pmu_write_pmxevcntr(v);
}

static inline uint64_t pmu_raw_count(unsigned int n)
{
	pmu_write_pmselr(n);
	return pmu_read_pmxevcntr();
}

#endif /* QEMU_PMU_RAW_H */
