/* SPDX-License-Identifier: MIT */
/*
 * One-line accessors for the system registers the platform uses (the platform's only inline
 * assembly besides platform.h's DAIF/WFI helpers). Registers are named by their encoding where
 * the assembler might not know the name (ICC_*: GICv3 system-register interface).
 */
#ifndef PLATFORM_SYSREG_H
#define PLATFORM_SYSREG_H

#include <stdint.h>

#define SYSREG_RW(fn, reg)                                                                         \
	static inline uint64_t read_##fn(void)                                                     \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mrs %0, " reg : "=r"(v));                                        \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_##fn(uint64_t v)                                                  \
	{                                                                                          \
		__asm__ volatile("msr " reg ", %0" ::"r"(v) : "memory");                           \
	}

SYSREG_RW(currentel, "CurrentEL")
SYSREG_RW(mpidr, "mpidr_el1")
SYSREG_RW(id_aa64pfr0, "id_aa64pfr0_el1")
SYSREG_RW(id_aa64dfr0, "id_aa64dfr0_el1")
SYSREG_RW(esr_el1, "esr_el1")
SYSREG_RW(esr_el2, "esr_el2")
SYSREG_RW(far_el1, "far_el1")
SYSREG_RW(far_el2, "far_el2")
SYSREG_RW(cntfrq, "cntfrq_el0")
SYSREG_RW(cntpct, "cntpct_el0")
SYSREG_RW(cntp_cval, "cntp_cval_el0")
SYSREG_RW(cntp_ctl, "cntp_ctl_el0")
SYSREG_RW(cnthp_cval, "cnthp_cval_el2")
SYSREG_RW(cnthp_ctl, "cnthp_ctl_el2")
/* GICv3 CPU interface: ICC_SRE_EL1 S3_0_C12_C12_5, ICC_SRE_EL2 S3_4_C12_C9_5,
 * ICC_PMR_EL1 S3_0_C4_C6_0, ICC_BPR1_EL1 S3_0_C12_C12_3, ICC_IGRPEN1_EL1 S3_0_C12_C12_7,
 * ICC_IAR1_EL1 S3_0_C12_C12_0, ICC_EOIR1_EL1 S3_0_C12_C12_1, ICC_CTLR_EL1 S3_0_C12_C12_4. */
SYSREG_RW(icc_sre_el1, "S3_0_C12_C12_5")
SYSREG_RW(icc_sre_el2, "S3_4_C12_C9_5")
SYSREG_RW(icc_pmr, "S3_0_C4_C6_0")
SYSREG_RW(icc_bpr1, "S3_0_C12_C12_3")
SYSREG_RW(icc_igrpen1, "S3_0_C12_C12_7")
SYSREG_RW(icc_iar1, "S3_0_C12_C12_0")
SYSREG_RW(icc_eoir1, "S3_0_C12_C12_1")
SYSREG_RW(icc_ctlr_el1, "S3_0_C12_C12_4")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

/* CurrentEL[3:2] */
#define CURRENTEL_EL_SHIFT 2
/* ID_AA64PFR0_EL1.GIC [27:24]: 1 = GICv3/v4 system-register interface implemented */
#define ID_AA64PFR0_GIC_SHIFT 24
#define ID_AA64PFR0_GIC_MASK 0xfull
/* ESR_ELx.EC [31:26] */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3full
#define ESR_EC_SVC64 0x15ull
/* CNT*_CTL: ENABLE [0], IMASK [1], ISTATUS [2] */
#define CNT_CTL_ENABLE (1ull << 0)
#define CNT_CTL_IMASK (1ull << 1)
/* ICC_SRE_ELx: SRE [0]; ICC_SRE_EL2.Enable [3] lets EL1 use ICC_SRE_EL1 */
#define ICC_SRE_SRE (1ull << 0)
#define ICC_SRE_EL2_ENABLE (1ull << 3)
/* INTID 1020..1023 are special: 1023 means nothing pending */
#define GIC_INTID_SPURIOUS 1023u

#endif /* PLATFORM_SYSREG_H */
