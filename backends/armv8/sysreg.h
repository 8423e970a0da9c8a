/* SPDX-License-Identifier: MIT */
/*
 * System-register accessors of the armv8 backend: one line per register, the only inline
 * assembly in the backend. The logic (armv8.c) calls these and never names an encoding.
 *
 * Test builds define ARMV8_FAKE_REGS: the same functions then come from tests/armv8/fake_sysreg.h,
 * backed by a simulated register file that records every access. That is the one switch between
 * hardware and the host tests.
 *
 * PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0 are reached directly (a switch over n, which folds to one
 * instruction when n is a constant), not through PMSELR_EL0 + PMXEVCNTR_EL0: PMSELR_EL0 is state
 * shared with whoever else uses the PMU (the guest's, at EL2), and direct access needs no ISB
 * between select and access. The hot hooks call them with constant n only (armv8.c's per-counter
 * code, docs/armv8-pmu.md#armv8-pmu-accessors).
 */
#ifndef MEMBW_ARMV8_SYSREG_H
#define MEMBW_ARMV8_SYSREG_H

#include <stdint.h>

/* @op(n) for every event counter number n, 0 to 30 (PMCR_EL0.N is at most 31). */
#define ARMV8_PMEVN_CASES(op) \
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15) \
	op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) op(24) op(25) op(26) op(27) op(28) op(29) op(30)

#ifdef ARMV8_FAKE_REGS
#include "fake_sysreg.h"
#else

#if !defined(__aarch64__)
#error "backends/armv8 accesses AArch64 system registers: build it with an aarch64 compiler, or define ARMV8_FAKE_REGS for the host tests"
#endif

#define ARMV8_MRS(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v))
#define ARMV8_MSR(reg, v) __asm__ volatile("msr " reg ", %0" : : "r"(v))

static inline uint64_t armv8_read_id_aa64dfr0_el1(void) { uint64_t v; ARMV8_MRS("id_aa64dfr0_el1", v); return v; }
static inline uint64_t armv8_read_id_aa64pfr0_el1(void) { uint64_t v; ARMV8_MRS("id_aa64pfr0_el1", v); return v; }
static inline uint64_t armv8_read_midr_el1(void) { uint64_t v; ARMV8_MRS("midr_el1", v); return v; }
static inline uint64_t armv8_read_ctr_el0(void) { uint64_t v; ARMV8_MRS("ctr_el0", v); return v; }
static inline uint64_t armv8_read_currentel(void) { uint64_t v; ARMV8_MRS("currentel", v); return v; }
static inline uint64_t armv8_read_pmcr_el0(void) { uint64_t v; ARMV8_MRS("pmcr_el0", v); return v; }
static inline void armv8_write_pmcr_el0(uint64_t v) { ARMV8_MSR("pmcr_el0", v); }
static inline uint64_t armv8_read_pmceid0_el0(void) { uint64_t v; ARMV8_MRS("pmceid0_el0", v); return v; }
static inline uint64_t armv8_read_pmceid1_el0(void) { uint64_t v; ARMV8_MRS("pmceid1_el0", v); return v; }
static inline void armv8_write_pmcntenset_el0(uint64_t v) { ARMV8_MSR("pmcntenset_el0", v); }
static inline void armv8_write_pmcntenclr_el0(uint64_t v) { ARMV8_MSR("pmcntenclr_el0", v); }
static inline void armv8_write_pmintenset_el1(uint64_t v) { ARMV8_MSR("pmintenset_el1", v); }
static inline void armv8_write_pmintenclr_el1(uint64_t v) { ARMV8_MSR("pmintenclr_el1", v); }
static inline uint64_t armv8_read_pmovsset_el0(void) { uint64_t v; ARMV8_MRS("pmovsset_el0", v); return v; }
static inline void armv8_write_pmovsclr_el0(uint64_t v) { ARMV8_MSR("pmovsclr_el0", v); }
static inline void armv8_write_pmovsset_el0(uint64_t v) { ARMV8_MSR("pmovsset_el0", v); }
static inline uint64_t armv8_read_pmuserenr_el0(void) { uint64_t v; ARMV8_MRS("pmuserenr_el0", v); return v; }
static inline void armv8_write_pmuserenr_el0(uint64_t v) { ARMV8_MSR("pmuserenr_el0", v); }
/* EL2 only: an access from EL1 is UNDEFINED, so the logic reads CurrentEL before touching it. */
static inline uint64_t armv8_read_mdcr_el2(void) { uint64_t v; ARMV8_MRS("mdcr_el2", v); return v; }
static inline void armv8_write_mdcr_el2(uint64_t v) { ARMV8_MSR("mdcr_el2", v); }
/* Context synchronization: a direct write to a PMU control register is only guaranteed to affect
 * counting (an indirect read) after an ISB. */
static inline void armv8_isb(void) { __asm__ volatile("isb" : : : "memory"); }

/* @n must be below PMCR_EL0.N (checked by the caller); other values read 0 and write nothing. */
static inline __attribute__((always_inline)) uint64_t armv8_read_pmevcntr_el0(unsigned int n)
{
	uint64_t v = 0;

	switch (n) {
#define ARMV8_CASE(i) case i: ARMV8_MRS("pmevcntr" #i "_el0", v); break;
	ARMV8_PMEVN_CASES(ARMV8_CASE)
#undef ARMV8_CASE
	}
	return v;
}

static inline __attribute__((always_inline)) void armv8_write_pmevcntr_el0(unsigned int n, uint64_t v)
{
	switch (n) {
#define ARMV8_CASE(i) case i: ARMV8_MSR("pmevcntr" #i "_el0", v); break;
	ARMV8_PMEVN_CASES(ARMV8_CASE)
#undef ARMV8_CASE
	}
}

static inline void armv8_write_pmevtyper_el0(unsigned int n, uint64_t v)
{
	switch (n) {
#define ARMV8_CASE(i) case i: ARMV8_MSR("pmevtyper" #i "_el0", v); break;
	ARMV8_PMEVN_CASES(ARMV8_CASE)
#undef ARMV8_CASE
	}
}

#endif /* ARMV8_FAKE_REGS */

#endif /* MEMBW_ARMV8_SYSREG_H */
