/* SPDX-License-Identifier: MIT */
/*
 * A simulated PMUv3 register file for the host tests of backends/armv8. With ARMV8_FAKE_REGS
 * defined, backends/armv8/sysreg.h includes this header instead of its inline assembly, so the
 * backend's logic runs unchanged against `fake`.
 *
 * Model (Arm ARM, D-chapter "The Performance Monitors Extension", Non-secure state, no EL3):
 * - PMCEID, ID registers, CTR_EL0 and MIDR_EL1 read what the test put there;
 * - PMCR_EL0.N reads MDCR_EL2.HPMN from EL1 when EL2 is implemented, else `n`; LP is RES0
 *   before PMUv3p5; P (write 1) zeroes the event counters;
 * - event counters >= HPMN are EL2's: enabled by MDCR_EL2.HPME and 64-bit by MDCR_EL2.HLP,
 *   the others by PMCR_EL0.E and PMCR_EL0.LP; from EL1 they are out of reach;
 * - before PMUv3p5 a counter holds 32 bits; from PMUv3p5 it holds 64 and overflows at 2^32 or
 *   2^64 depending on LP/HLP;
 * - the overflow interrupt is asserted while some counter has its PMOVS and PMINTEN bits set
 *   and is enabled (PMCR.E or HPME).
 * Every access is appended to `fake.log`; an access the hardware would trap (any PMU register
 * without a PMU, MDCR_EL2 below EL2, a counter index out of reach) counts in `fake.undefined`.
 */
#ifndef MEMBW_TEST_FAKE_SYSREG_H
#define MEMBW_TEST_FAKE_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

enum fake_reg {
	FR_ID_AA64DFR0,
	FR_ID_AA64PFR0,
	FR_MIDR,
	FR_CTR,
	FR_CURRENTEL,
	FR_PMCR,
	FR_PMCEID0,
	FR_PMCEID1,
	FR_PMCNTENSET,
	FR_PMCNTENCLR,
	FR_PMINTENSET,
	FR_PMINTENCLR,
	FR_PMOVSSET,
	FR_PMOVSCLR,
	FR_MDCR_EL2,
	FR_PMEVCNTR,
	FR_PMEVTYPER,
	FR_ISB,
	FR_PMUSERENR,
};

struct fake_access {
	enum fake_reg reg;
	bool write;
	unsigned int index; /* PMEVCNTR/PMEVTYPER: n */
	uint64_t value;     /* written, or read */
};

#define FAKE_LOG_MAX 1024u
#define FAKE_COUNTERS 31u

struct fake_cpu {
	/* Fixed facts, set by the test (fake_reset() gives a Cortex-A57-like PMUv3 CPU at EL1). */
	uint64_t id_aa64dfr0, id_aa64pfr0, midr, ctr, pmceid0, pmceid1;
	unsigned int el; /* exception level the code runs at: 1 or 2 */
	unsigned int n;  /* event counters implemented (PMCR_EL0.N as EL2 reads it) */
	/* Register state. */
	uint64_t pmcr; /* without N, which reads are given */
	uint64_t mdcr_el2;
	uint64_t evcntr[FAKE_COUNTERS], evtyper[FAKE_COUNTERS];
	uint32_t cnten, inten, ovs;
	uint64_t pmuserenr; /* EN [0], SW [1], CR [2], ER [3]: EL0 access (reset value UNKNOWN) */
	/* What happened. */
	struct fake_access log[FAKE_LOG_MAX];
	unsigned int nlog;
	unsigned int undefined;
};

extern struct fake_cpu fake;

/* Cortex-A57-like: PMUv3 (PMUVer 1), EL2 implemented, 6 counters, 64-byte lines (DminLine 4),
 * PMCEID0 = every common event 0x00-0x1F, PMCEID1 = none, running at EL1, all counters 0,
 * MDCR_EL2.HPMN = 6, empty log. */
void fake_reset(void);
void fake_set_pmu_version(uint32_t pmuver);
void fake_log_clear(void);

/* Index in fake.log of the first access at or after @from to @reg (with @write); -1 if none. */
int fake_find(unsigned int from, enum fake_reg reg, bool write);
/* Like fake_find, also matching the PMEVCNTR/PMEVTYPER index. */
int fake_find_index(unsigned int from, enum fake_reg reg, bool write, unsigned int index);
/* Accesses to @reg (with @write) in the log. */
unsigned int fake_count_accesses(enum fake_reg reg, bool write);

/* @n events of number @event happen at exception level @el (0, 1, 2): every enabled counter of
 * that event whose filter admits @el counts them, wraps set PMOVS. */
void fake_events(uint16_t event, unsigned int el, uint64_t n);
/* Is the PMU overflow interrupt asserted? */
bool fake_irq(void);

/* The accessors of backends/armv8/sysreg.h, on the register file above. */
uint64_t armv8_read_id_aa64dfr0_el1(void);
uint64_t armv8_read_id_aa64pfr0_el1(void);
uint64_t armv8_read_midr_el1(void);
uint64_t armv8_read_ctr_el0(void);
uint64_t armv8_read_currentel(void);
uint64_t armv8_read_pmcr_el0(void);
void armv8_write_pmcr_el0(uint64_t v);
uint64_t armv8_read_pmceid0_el0(void);
uint64_t armv8_read_pmceid1_el0(void);
void armv8_write_pmcntenset_el0(uint64_t v);
void armv8_write_pmcntenclr_el0(uint64_t v);
void armv8_write_pmintenset_el1(uint64_t v);
void armv8_write_pmintenclr_el1(uint64_t v);
uint64_t armv8_read_pmovsset_el0(void);
void armv8_write_pmovsclr_el0(uint64_t v);
void armv8_write_pmovsset_el0(uint64_t v);
uint64_t armv8_read_pmuserenr_el0(void);
void armv8_write_pmuserenr_el0(uint64_t v);
uint64_t armv8_read_mdcr_el2(void);
void armv8_write_mdcr_el2(uint64_t v);
void armv8_isb(void);
uint64_t armv8_read_pmevcntr_el0(unsigned int n);
void armv8_write_pmevcntr_el0(unsigned int n, uint64_t v);
void armv8_write_pmevtyper_el0(unsigned int n, uint64_t v);

#endif /* MEMBW_TEST_FAKE_SYSREG_H */
