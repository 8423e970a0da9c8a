/* SPDX-License-Identifier: MIT */
/*
 * The simulated register file (model in fake_sysreg.h). Bit positions are written here from the
 * Arm ARM register descriptions on purpose, not taken from backends/armv8/pmu_fields.h, so a
 * wrong field there cannot hide behind the same mistake here.
 */
#include "fake_sysreg.h"

#include <string.h>

struct fake_cpu fake;

/* Arm ARM field positions used by the model. */
#define PMUVER(dfr0) (((dfr0) >> 8) & 0xFu)          /* ID_AA64DFR0_EL1.PMUVer [11:8] */
#define HAS_EL2(pfr0) ((((pfr0) >> 8) & 0xFu) != 0)  /* ID_AA64PFR0_EL1.EL2 [11:8] */
#define PMCR_E 0x1u                                   /* PMCR_EL0.E, bit 0 */
#define PMCR_P 0x2u                                   /* PMCR_EL0.P, bit 1 */
#define PMCR_LP 0x80u                                 /* PMCR_EL0.LP, bit 7 */
#define PMCR_WRITABLE 0xFFu                           /* E P C D X DP LC LP: bits [7:0] */
#define MDCR_HPMN(mdcr) ((unsigned int)((mdcr) & 0x1Fu)) /* MDCR_EL2.HPMN [4:0] */
#define MDCR_HPME 0x80u                               /* MDCR_EL2.HPME, bit 7 */
#define MDCR_HLP (1u << 26)                           /* MDCR_EL2.HLP, bit 26 */
#define TYPER_P (1u << 31)                            /* PMEVTYPER: P excludes EL1 */
#define TYPER_U (1u << 30)                            /* U excludes EL0 */
#define TYPER_NSH (1u << 27)                          /* NSH includes EL2 */

static void record(enum fake_reg reg, bool write, unsigned int index, uint64_t value)
{
	if (fake.nlog < FAKE_LOG_MAX)
		fake.log[fake.nlog++] = (struct fake_access){ reg, write, index, value };
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.id_aa64dfr0 = 0x1u << 8;  /* PMUVer 1: PMUv3 */
	fake.id_aa64pfr0 = 0x1u << 8;  /* EL2 implemented, AArch64 only */
	fake.midr = 0x411FD070u;       /* Cortex-A57 r1p0 (A57 TRM, MIDR_EL1) */
	fake.ctr = 0x4u << 16;         /* DminLine 4: 16 words = 64 bytes */
	fake.pmceid0 = 0xFFFFFFFFu;    /* common events 0x00-0x1F */
	fake.pmceid1 = 0;
	fake.el = 1;
	fake.n = 6;
	fake.mdcr_el2 = 6; /* HPMN = N: nothing reserved for EL2 (reset value) */
}

void fake_set_pmu_version(uint32_t pmuver)
{
	fake.id_aa64dfr0 = (fake.id_aa64dfr0 & ~(uint64_t)0xF00u) | ((uint64_t)pmuver << 8);
}

void fake_log_clear(void)
{
	fake.nlog = 0;
}

int fake_find_index(unsigned int from, enum fake_reg reg, bool write, unsigned int index)
{
	unsigned int i;

	for (i = from; i < fake.nlog; i++)
		if (fake.log[i].reg == reg && fake.log[i].write == write && fake.log[i].index == index)
			return (int)i;
	return -1;
}

int fake_find(unsigned int from, enum fake_reg reg, bool write)
{
	unsigned int i;

	for (i = from; i < fake.nlog; i++)
		if (fake.log[i].reg == reg && fake.log[i].write == write)
			return (int)i;
	return -1;
}

unsigned int fake_count_accesses(enum fake_reg reg, bool write)
{
	unsigned int i, k = 0;

	for (i = 0; i < fake.nlog; i++)
		k += fake.log[i].reg == reg && fake.log[i].write == write;
	return k;
}

static bool has_pmu(void)
{
	unsigned int v = PMUVER(fake.id_aa64dfr0);

	return v != 0 && v != 0xF;
}

static bool v3p5(void)
{
	unsigned int v = PMUVER(fake.id_aa64dfr0);

	return v >= 6 && v != 0xF;
}

/* First counter reserved for EL2 (n when EL2 is absent). */
static unsigned int hpmn(void)
{
	return HAS_EL2(fake.id_aa64pfr0) ? MDCR_HPMN(fake.mdcr_el2) : fake.n;
}

/* Counters the running code may reach: all at EL2, those below HPMN at EL1. */
static uint32_t reachable(void)
{
	unsigned int top = fake.el >= 2 ? fake.n : hpmn();

	if (top > fake.n)
		top = fake.n;
	return top >= 32 ? 0xFFFFFFFFu : (1u << top) - 1;
}

static bool pmu_access(void)
{
	if (has_pmu())
		return true;
	fake.undefined++;
	return false;
}

static bool enabled(unsigned int i)
{
	bool el2_range = HAS_EL2(fake.id_aa64pfr0) && i >= hpmn();

	return el2_range ? (fake.mdcr_el2 & MDCR_HPME) != 0 : (fake.pmcr & PMCR_E) != 0;
}

static bool long_counter(unsigned int i)
{
	bool el2_range = HAS_EL2(fake.id_aa64pfr0) && i >= hpmn();

	if (!v3p5())
		return false;
	return el2_range ? (fake.mdcr_el2 & MDCR_HLP) != 0 : (fake.pmcr & PMCR_LP) != 0;
}

static bool admits(uint64_t typer, unsigned int el)
{
	switch (el) {
	case 0:
		return !(typer & TYPER_U);
	case 1:
		return !(typer & TYPER_P);
	default:
		return (typer & TYPER_NSH) != 0;
	}
}

void fake_events(uint16_t event, unsigned int el, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < fake.n; i++) {
		uint64_t old = fake.evcntr[i];
		bool wrapped;

		if (!(fake.cnten & (1u << i)) || !enabled(i) || (fake.evtyper[i] & 0xFFFFu) != event ||
		    !admits(fake.evtyper[i], el))
			continue;
		if (long_counter(i)) {
			fake.evcntr[i] = old + n;
			wrapped = fake.evcntr[i] < old;
		} else {
			wrapped = (old & 0xFFFFFFFFu) + n > 0xFFFFFFFFu;
			fake.evcntr[i] = old + n;
			if (!v3p5())
				fake.evcntr[i] &= 0xFFFFFFFFu;
		}
		if (wrapped)
			fake.ovs |= 1u << i;
	}
}

bool fake_irq(void)
{
	unsigned int i;

	for (i = 0; i < fake.n; i++)
		if ((fake.ovs & fake.inten & (1u << i)) && enabled(i))
			return true;
	return false;
}

uint64_t armv8_read_id_aa64dfr0_el1(void)
{
	record(FR_ID_AA64DFR0, false, 0, fake.id_aa64dfr0);
	return fake.id_aa64dfr0;
}

uint64_t armv8_read_id_aa64pfr0_el1(void)
{
	record(FR_ID_AA64PFR0, false, 0, fake.id_aa64pfr0);
	return fake.id_aa64pfr0;
}

uint64_t armv8_read_midr_el1(void)
{
	record(FR_MIDR, false, 0, fake.midr);
	return fake.midr;
}

uint64_t armv8_read_ctr_el0(void)
{
	record(FR_CTR, false, 0, fake.ctr);
	return fake.ctr;
}

uint64_t armv8_read_currentel(void)
{
	uint64_t v = (uint64_t)fake.el << 2;

	record(FR_CURRENTEL, false, 0, v);
	return v;
}

uint64_t armv8_read_pmcr_el0(void)
{
	unsigned int n = fake.n;
	uint64_t v;

	if (!pmu_access())
		return 0;
	if (fake.el == 1 && HAS_EL2(fake.id_aa64pfr0))
		n = hpmn();
	/* P and C are write-only actions and read as 0. */
	v = (fake.pmcr & ~(uint64_t)0x6u) | ((uint64_t)n << 11);
	record(FR_PMCR, false, 0, v);
	return v;
}

void armv8_write_pmcr_el0(uint64_t v)
{
	unsigned int i;

	record(FR_PMCR, true, 0, v);
	if (!pmu_access())
		return;
	if (v & PMCR_P)
		for (i = 0; i < fake.n; i++)
			fake.evcntr[i] = 0;
	fake.pmcr = v & PMCR_WRITABLE & ~(uint64_t)0x6u;
	if (!v3p5())
		fake.pmcr &= ~(uint64_t)PMCR_LP;
}

uint64_t armv8_read_pmceid0_el0(void)
{
	if (!pmu_access())
		return 0;
	record(FR_PMCEID0, false, 0, fake.pmceid0);
	return fake.pmceid0;
}

uint64_t armv8_read_pmceid1_el0(void)
{
	if (!pmu_access())
		return 0;
	record(FR_PMCEID1, false, 0, fake.pmceid1);
	return fake.pmceid1;
}

/* A set/clear register write: bits of counters out of reach are ignored (RAZ/WI). */
static uint32_t set_bits(uint64_t v)
{
	return (uint32_t)v & reachable();
}

void armv8_write_pmcntenset_el0(uint64_t v)
{
	record(FR_PMCNTENSET, true, 0, v);
	if (pmu_access())
		fake.cnten |= set_bits(v);
}

void armv8_write_pmcntenclr_el0(uint64_t v)
{
	record(FR_PMCNTENCLR, true, 0, v);
	if (pmu_access())
		fake.cnten &= ~set_bits(v);
}

void armv8_write_pmintenset_el1(uint64_t v)
{
	record(FR_PMINTENSET, true, 0, v);
	if (pmu_access())
		fake.inten |= set_bits(v);
}

void armv8_write_pmintenclr_el1(uint64_t v)
{
	record(FR_PMINTENCLR, true, 0, v);
	if (pmu_access())
		fake.inten &= ~set_bits(v);
}

uint64_t armv8_read_pmovsset_el0(void)
{
	uint64_t v;

	if (!pmu_access())
		return 0;
	v = fake.ovs & reachable();
	record(FR_PMOVSSET, false, 0, v);
	return v;
}

void armv8_write_pmovsclr_el0(uint64_t v)
{
	record(FR_PMOVSCLR, true, 0, v);
	if (pmu_access())
		fake.ovs &= ~set_bits(v);
}

void armv8_write_pmovsset_el0(uint64_t v)
{
	record(FR_PMOVSSET, true, 0, v);
	if (pmu_access())
		fake.ovs |= set_bits(v);
}

uint64_t armv8_read_pmuserenr_el0(void)
{
	if (!pmu_access())
		return 0;
	record(FR_PMUSERENR, false, 0, fake.pmuserenr);
	return fake.pmuserenr;
}

void armv8_write_pmuserenr_el0(uint64_t v)
{
	record(FR_PMUSERENR, true, 0, v);
	if (pmu_access())
		fake.pmuserenr = v & 0xFu;
}

uint64_t armv8_read_mdcr_el2(void)
{
	if (fake.el < 2) {
		fake.undefined++;
		return 0;
	}
	record(FR_MDCR_EL2, false, 0, fake.mdcr_el2);
	return fake.mdcr_el2;
}

void armv8_write_mdcr_el2(uint64_t v)
{
	record(FR_MDCR_EL2, true, 0, v);
	if (fake.el < 2) {
		fake.undefined++;
		return;
	}
	fake.mdcr_el2 = v;
}

void armv8_isb(void)
{
	record(FR_ISB, true, 0, 0);
}

static bool counter_access(unsigned int n)
{
	if (!pmu_access())
		return false;
	if (n >= fake.n || !(reachable() & (1u << n))) {
		fake.undefined++;
		return false;
	}
	return true;
}

uint64_t armv8_read_pmevcntr_el0(unsigned int n)
{
	if (!counter_access(n))
		return 0;
	record(FR_PMEVCNTR, false, n, fake.evcntr[n]);
	return fake.evcntr[n];
}

void armv8_write_pmevcntr_el0(unsigned int n, uint64_t v)
{
	record(FR_PMEVCNTR, true, n, v);
	if (counter_access(n))
		fake.evcntr[n] = v3p5() ? v : v & 0xFFFFFFFFu;
}

void armv8_write_pmevtyper_el0(unsigned int n, uint64_t v)
{
	record(FR_PMEVTYPER, true, n, v);
	if (counter_access(n))
		fake.evtyper[n] = v;
}
