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
SYSREG_RW(pmccntr_el0, "pmccntr_el0")
SYSREG_RW(pmxevtyper_el0, "pmxevtyper_el0")
SYSREG_RW(pmcntenset_el0, "pmcntenset_el0")
SYSREG_RW(pmcntenclr_el0, "pmcntenclr_el0")
SYSREG_RW(pmovsset_el0, "pmovsset_el0")
SYSREG_RW(pmovsclr_el0, "pmovsclr_el0")
SYSREG_RW(pmswinc_el0, "pmswinc_el0")
SYSREG_RW(pmceid0_el0, "pmceid0_el0")
SYSREG_RW(pmceid1_el0, "pmceid1_el0")
SYSREG_RW(pmuserenr_el0, "pmuserenr_el0")
SYSREG_RW(pmccfiltr_el0, "pmccfiltr_el0")
SYSREG_RW(elr_el1, "elr_el1")
SYSREG_RW(spsr_el1, "spsr_el1")

/* HCR_EL2 */
#define HCR_FMO (1ull << 3)  /* physical FIQs to EL2 */
#define HCR_IMO (1ull << 4)  /* physical IRQs to EL2 (PSTATE.I at EL1/EL0 does not mask them) */
#define HCR_AMO (1ull << 5)  /* SErrors to EL2 */
#define HCR_TSC (1ull << 19) /* SMC at EL1 traps to EL2 (EC 0x17) */
#define HCR_HCD (1ull << 29) /* HVC disabled when 1: we keep it 0 so HVC at EL1 traps to EL2 */
#define HCR_RW (1ull << 31)  /* EL1 is AArch64 */

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1full /* [4:0] counters below HPMN are EL1's */
#define MDCR_TPMCR (1ull << 5) /* EL0/EL1 accesses to PMCR_EL0 trap to EL2 (EC 0x18) */
#define MDCR_TPM (1ull << 6)   /* EL0/EL1 accesses to every PMU register trap to EL2 */
#define MDCR_HPME (1ull << 7)  /* enables the counters >= HPMN */
#define MDCR_HPMD (1ull << 17) /* prohibits counting at EL2 in counters < HPMN (FEAT_PMUv3p1) */

/* PMCR_EL0: E [0], P [1] (reset event counters), C [2] (reset the cycle counter), D [3], X [4],
 * DP [5], LC [6], LP [7], N [15:11] (read-only). */
#define PMCR_E (1ull << 0)
#define PMCR_P (1ull << 1)
#define PMCR_C (1ull << 2)
#define PMCR_D (1ull << 3)
#define PMCR_X (1ull << 4)
#define PMCR_DP (1ull << 5)
#define PMCR_LC (1ull << 6)
#define PMCR_LP (1ull << 7)
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK 0x1full

/* ESR_EL2: EC [31:26] (ESR_EC_SHIFT/MASK in sysreg.h), ISS [24:0]; HVC/SMC: imm16 = ISS [15:0] */
#define ESR_EC_HVC64 0x16ull
#define ESR_EC_SMC64 0x17ull
#define ESR_EC_SYSREG 0x18ull /* MSR/MRS trapped: ISS = Op0 [21:20] Op2 [19:17] Op1 [16:14]
			       * CRn [13:10] Rt [9:5] CRm [4:1] Direction [0] (1 = read) */
#define ESR_EC_UNKNOWN 0x00ull /* "unknown reason": what an undefined instruction reports */
#define ESR_IL (1ull << 25)    /* 32-bit instruction */
#define ESR_SYSREG_RT(iss) (((iss) >> 5) & 0x1fu)
#define ESR_SYSREG_IS_READ(iss) (((iss) & 1u) != 0)
/* A trapped register's name as its ISS encodes it (Rt and Direction masked out) */
#define ESR_SYSREG_ID_MASK 0x3ffc1eull
#define SYSREG_ID(op0, op1, crn, crm, op2)                                                        \
	(((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) | ((uint64_t)(op1) << 14) |            \
	 ((uint64_t)(crn) << 10) | ((uint64_t)(crm) << 1))
#define ESR_SYSREG_OP0(iss) (((iss) >> 20) & 3u)
#define ESR_SYSREG_OP2(iss) (((iss) >> 17) & 7u)
#define ESR_SYSREG_OP1(iss) (((iss) >> 14) & 7u)
#define ESR_SYSREG_CRN(iss) (((iss) >> 10) & 0xfu)
#define ESR_SYSREG_CRM(iss) (((iss) >> 1) & 0xfu)
/* The PMU registers (Arm ARM D13 / "Performance Monitors registers", AArch64 encodings) */
#define ID_PMCR_EL0 SYSREG_ID(3, 3, 9, 12, 0)
#define ID_PMCNTENSET_EL0 SYSREG_ID(3, 3, 9, 12, 1)
#define ID_PMCNTENCLR_EL0 SYSREG_ID(3, 3, 9, 12, 2)
#define ID_PMOVSCLR_EL0 SYSREG_ID(3, 3, 9, 12, 3)
#define ID_PMSWINC_EL0 SYSREG_ID(3, 3, 9, 12, 4)
#define ID_PMSELR_EL0 SYSREG_ID(3, 3, 9, 12, 5)
#define ID_PMCEID0_EL0 SYSREG_ID(3, 3, 9, 12, 6)
#define ID_PMCEID1_EL0 SYSREG_ID(3, 3, 9, 12, 7)
#define ID_PMCCNTR_EL0 SYSREG_ID(3, 3, 9, 13, 0)
#define ID_PMXEVTYPER_EL0 SYSREG_ID(3, 3, 9, 13, 1)
#define ID_PMXEVCNTR_EL0 SYSREG_ID(3, 3, 9, 13, 2)
#define ID_PMUSERENR_EL0 SYSREG_ID(3, 3, 9, 14, 0)
#define ID_PMINTENSET_EL1 SYSREG_ID(3, 0, 9, 14, 1)
#define ID_PMINTENCLR_EL1 SYSREG_ID(3, 0, 9, 14, 2)
#define ID_PMOVSSET_EL0 SYSREG_ID(3, 3, 9, 14, 3)
/* PMEVCNTR<n>_EL0 = (3, 3, 14, 8 + n / 8, n % 8), PMEVTYPER<n>_EL0 = (3, 3, 14, 12 + n / 8,
 * n % 8); n = 31 of the type registers is PMCCFILTR_EL0. */
#define PMU_CYCLE_COUNTER 31u
#define ESR_IMM16_MASK 0xffffull

/* SPSR_EL2 for entering a guest: M[3:0] = 0b0101 (EL1h), D, A, I, F masked [9:6] */
#define SPSR_EL1H_MASKED 0x3c5ull
/* SPSR M[3:0]: where the exception came from (Arm ARM, SPSR_EL2) */
#define SPSR_M_MASK 0xfull
#define SPSR_M_EL1T 0x4ull
#define SPSR_M_EL1H 0x5ull
#define SPSR_M_AARCH32 (1ull << 4) /* M[4]: the exception came from AArch32 */
/* VBAR_EL1 offsets of the synchronous vectors (Arm ARM D1.10.2) */
#define VECTOR_CURRENT_SP0 0x000ull
#define VECTOR_CURRENT_SPX 0x200ull
#define VECTOR_LOWER_A64 0x400ull
#define VECTOR_LOWER_A32 0x600ull

/* SCTLR_EL1 with only its RES1 bits: MMU, caches and alignment checks off, little-endian. */
#define SCTLR_EL1_RES1 0x30d00800ull

/* CPTR_EL2 with HCR_EL2.E2H = 0 (Arm ARM DDI 0487K.a D23.2.34; Linux's nVHE CPTR_EL2 RES1
 * mask was corrected to the same in 2024): RES1 = bit 13, bit 9, bits [7:0]; TZ [8] traps SVE,
 * TFP [10] traps FP/SIMD, TSM [12] traps SME (FEAT_SME; RES1 only without it), TCPAC [31].
 * All traps off: each guest has its CPU to itself, so its FP/SVE/SME state needs no switching,
 * and CPACR_EL1 (the guest's own) still decides. Bits 8 and 12 set (0x33ff, as before) trapped
 * a guest's SVE instruction to EL2, which then panicked the machine. */
#define CPTR_EL2_RES1 ((1ull << 13) | (1ull << 9) | 0xffull)
#define CPTR_EL2_NO_TRAPS CPTR_EL2_RES1
/* CNTHCTL_EL2 (E2H = 0): EL1PCTEN [0], EL1PCEN [1]: EL1 may read the physical count. */
#define CNTHCTL_EL1_PHYS_ACCESS 0x3ull

/* MPIDR_EL1.Aff0 [7:0] */
#define MPIDR_AFF0_MASK 0xffull

#endif /* HYP_EL2_H */
