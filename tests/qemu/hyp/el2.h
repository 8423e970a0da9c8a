/* SPDX-License-Identifier: MIT */
/*
 * The EL2 system registers the test hypervisor programs, one accessor each, and their fields.
 * Field values are from the Arm ARM (DDI 0487) register descriptions, named as there.
 */
#ifndef HYP_EL2_H
#define HYP_EL2_H

#include <stdint.h>

#include "sysreg.h" /* the platform's SYSREG_RW, isb(), dsb_sy() */

SYSREG_RW(hcr_el2, "hcr_el2")
SYSREG_RW(mdcr_el2, "mdcr_el2")
SYSREG_RW(elr_el2, "elr_el2")
SYSREG_RW(spsr_el2, "spsr_el2")
SYSREG_RW(tpidr_el2, "tpidr_el2")
SYSREG_RW(vbar_el1, "vbar_el1")
SYSREG_RW(sctlr_el1, "sctlr_el1")
SYSREG_RW(vbar_el2, "vbar_el2")
SYSREG_RW(vmpidr_el2, "vmpidr_el2")
SYSREG_RW(cptr_el2, "cptr_el2")
SYSREG_RW(hstr_el2, "hstr_el2")
SYSREG_RW(cnthctl_el2, "cnthctl_el2")
SYSREG_RW(cntvoff_el2, "cntvoff_el2")
SYSREG_RW(pmcr_el0, "pmcr_el0")
SYSREG_RW(pmselr_el0, "pmselr_el0")
SYSREG_RW(pmxevcntr_el0, "pmxevcntr_el0")

/* HCR_EL2 */
#define HCR_FMO (1ull << 3)  /* physical FIQs to EL2 */
#define HCR_IMO (1ull << 4)  /* physical IRQs to EL2 (PSTATE.I at EL1/EL0 does not mask them) */
#define HCR_AMO (1ull << 5)  /* SErrors to EL2 */
#define HCR_TSC (1ull << 19) /* SMC at EL1 traps to EL2 (EC 0x17) */
#define HCR_HCD (1ull << 29) /* HVC disabled when 1: we keep it 0 so HVC at EL1 traps to EL2 */
#define HCR_RW (1ull << 31)  /* EL1 is AArch64 */

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1full /* [4:0] counters below HPMN are EL1's */
#define MDCR_HPME (1ull << 7)  /* enables the counters >= HPMN */
#define MDCR_HPMD (1ull << 17) /* prohibits counting at EL2 in counters < HPMN (FEAT_PMUv3p1) */

/* PMCR_EL0.N [15:11] */
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK 0x1full

/* ESR_EL2: EC [31:26] (ESR_EC_SHIFT/MASK in sysreg.h), ISS [24:0]; HVC/SMC: imm16 = ISS [15:0] */
#define ESR_EC_HVC64 0x16ull
#define ESR_EC_SMC64 0x17ull
#define ESR_IMM16_MASK 0xffffull

/* SPSR_EL2 for entering a guest: M[3:0] = 0b0101 (EL1h), D, A, I, F masked [9:6] */
#define SPSR_EL1H_MASKED 0x3c5ull

/* SCTLR_EL1 with only its RES1 bits: MMU, caches and alignment checks off, little-endian. */
#define SCTLR_EL1_RES1 0x30d00800ull

/* CPTR_EL2 (E2H = 0): RES1 bits [13:12], [9:0]; TFP [10] = 0 (no FP/SIMD trap). */
#define CPTR_EL2_NO_TRAPS 0x33ffull
/* CNTHCTL_EL2 (E2H = 0): EL1PCTEN [0], EL1PCEN [1]: EL1 may read the physical count. */
#define CNTHCTL_EL1_PHYS_ACCESS 0x3ull

/* MPIDR_EL1.Aff0 [7:0] */
#define MPIDR_AFF0_MASK 0xffull

#endif /* HYP_EL2_H */
