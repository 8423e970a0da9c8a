/* SPDX-License-Identifier: MIT */
/*
 * The simulated PMU and local APIC (model in fake_msr.h). Addresses and bit positions are
 * written here from the Intel SDM on purpose, not taken from backends/x86/msr_fields.h, so that a
 * wrong definition there cannot hide behind the same mistake here.
 */
#include "fake_msr.h"

#include <string.h>

struct fake_x86 fx;

/* SDM vol. 4, architectural MSRs; vol. 3B, performance monitoring; vol. 3A, APIC. */
#define APIC_BASE 0x1Bu
#define PMC0 0xC1u
#define EVTSEL0 0x186u
#define DEBUGCTL 0x1D9u
#define PERF_CAP 0x345u
#define GSTATUS 0x38Eu
#define GCTRL 0x38Fu
#define GOVF 0x390u   /* OVF_CTRL (v2, v3) = STATUS_RESET (v4+) */
#define GSET 0x391u   /* STATUS_SET, v4+ */
#define A_PMC0 0x4C1u
#define X2APIC_LVTPC 0x834u
#define LVT_MASK (1u << 16)
#define LVT_WRITABLE 0x107FFu /* vector [7:0], delivery mode [10:8], mask [16] */
#define EV_USR (1ull << 16)
#define EV_OS (1ull << 17)
#define EV_INT (1ull << 20)
#define EV_EN (1ull << 22)
#define CTR_FRZ (1ull << 59)
#define FREEZE_ON_PMI (1ull << 12)

static uint32_t version(void) { return fx.cpuida[0] & 0xFFu; }
static uint32_t ncounters(void) { return (fx.cpuida[0] >> 8) & 0xFFu; }
static uint32_t width(void) { return (fx.cpuida[0] >> 16) & 0xFFu; }

uint64_t fx_width_mask(void)
{
	return width() >= 64 ? ~0ull : (1ull << width()) - 1;
}

static void record(uint32_t msr, bool write, uint64_t value)
{
	if (fx.nlog < FX_LOG_MAX)
		fx.log[fx.nlog++] = (struct fx_access){ msr, write, value };
}

void fx_set_perfmon(uint32_t v, uint32_t n, uint32_t w, uint32_t ebx_unavailable)
{
	fx.cpuida[0] = v | n << 8 | w << 16 | 7u << 24;
	fx.cpuida[1] = ebx_unavailable;
	fx.cpuida[3] = v >= 2 ? 3u | 48u << 5 : 0; /* 3 fixed counters of 48 bits (unused) */
}

void fx_set_model(uint32_t model, uint32_t stepping)
{
	/* family 6 in [11:8], model low nibble [7:4], extended model [19:16], stepping [3:0] */
	fx.cpuid1[0] = (6u << 8) | ((model & 0xFu) << 4) | ((model >> 4) << 16) | stepping;
}

void fx_reset(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.cpuid0[0] = 0x20;          /* highest basic leaf */
	fx.cpuid0[1] = 0x756E6547u;   /* "Genu" */
	fx.cpuid0[3] = 0x49656E69u;   /* "ineI" */
	fx.cpuid0[2] = 0x6C65746Eu;   /* "ntel" */
	fx_set_model(0x8F, 8);        /* Sapphire Rapids */
	fx.cpuid1[1] = 8u << 8;       /* CLFLUSH line size 8 * 8 = 64 bytes */
	fx.cpuid1[2] = 1u << 15;      /* PDCM; no hypervisor bit */
	fx_set_perfmon(5, 8, 48, 0);  /* v5, 8 counters of 48 bits, every arch event */
	fx.perf_capabilities = 1ull << 13; /* FW_WRITE */
	fx.apic_base = FX_XAPIC_BASE | (1u << 11) | (1u << 8); /* enabled, BSP, xAPIC mode */
	fx.lvt = LVT_MASK;
}

void fx_log_clear(void)
{
	fx.nlog = 0;
}

int fx_find(unsigned int from, uint32_t msr, bool write)
{
	unsigned int i;

	for (i = from; i < fx.nlog; i++)
		if (fx.log[i].msr == msr && fx.log[i].write == write)
			return (int)i;
	return -1;
}

unsigned int fx_count(uint32_t msr, bool write)
{
	unsigned int i, k = 0;

	for (i = 0; i < fx.nlog; i++)
		k += fx.log[i].msr == msr && fx.log[i].write == write;
	return k;
}

static bool has_pdcm(void) { return (fx.cpuid1[2] >> 15) & 1u; }
static bool fw_write(void) { return has_pdcm() && ((fx.perf_capabilities >> 13) & 1u); }
static bool x2apic(void) { return (fx.apic_base >> 10) & 1u; }

/* Bits of GLOBAL_CTRL / STATUS that exist: the GP counters, 3 fixed counters (32-34). */
static uint64_t counter_bits(void)
{
	return ((1ull << ncounters()) - 1) | (7ull << 32);
}

static void gp(void)
{
	fx.gp++;
}

static bool counting(unsigned int i, unsigned int ring)
{
	uint64_t e = fx.evtsel[i];

	if (!(e & EV_EN) || !((fx.global_ctrl >> i) & 1u))
		return false;
	if (version() >= 4 && (fx.global_status & CTR_FRZ))
		return false;
	return ring == 0 ? (e & EV_OS) != 0 : (e & EV_USR) != 0;
}

static void deliver_pmi(void)
{
	if (fx.lvt & LVT_MASK) {
		fx.lost_pmis++;
		return;
	}
	fx.pmis++;
	fx.lvt |= LVT_MASK;
	if (fx.debugctl & FREEZE_ON_PMI) {
		if (version() >= 4)
			fx.global_status |= CTR_FRZ;
		else
			fx.global_ctrl = 0;
	}
	if (fx.on_pmi)
		fx.on_pmi(fx.pmi_arg);
}

void fx_events(uint16_t code, unsigned int ring, uint64_t n)
{
	uint64_t m = fx_width_mask();
	bool pmi = false;
	unsigned int i;

	for (i = 0; i < ncounters(); i++) {
		uint64_t old = fx.pmc[i];

		if ((fx.evtsel[i] & 0xFFFFu) != code || !counting(i, ring))
			continue;
		fx.pmc[i] = (old + n) & m;
		if (n > m - old) { /* passed 2^w - 1 -> 0 */
			fx.global_status |= 1ull << i;
			if (fx.evtsel[i] & EV_INT)
				pmi = true;
		}
	}
	if (pmi)
		deliver_pmi();
}

void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	const uint32_t *src = NULL;

	(void)subleaf;
	fx.cpuids++;
	record(FX_CPUID, false, leaf);
	if (leaf == 0)
		src = fx.cpuid0;
	else if (leaf == 1 && fx.cpuid0[0] >= 1)
		src = fx.cpuid1;
	else if (leaf == 0xA && fx.cpuid0[0] >= 0xA)
		src = fx.cpuida;
	if (src)
		memcpy(r, src, 4 * sizeof(uint32_t));
	else
		memset(r, 0, 4 * sizeof(uint32_t));
}

uint64_t x86_rdmsr(uint32_t msr)
{
	uint64_t v = 0;

	fx.reads++;
	if (msr == APIC_BASE) {
		v = fx.apic_base;
	} else if (msr >= EVTSEL0 && msr < EVTSEL0 + ncounters()) {
		v = fx.evtsel[msr - EVTSEL0];
	} else if (msr >= PMC0 && msr < PMC0 + ncounters()) {
		v = fx.pmc[msr - PMC0];
	} else if (msr >= A_PMC0 && msr < A_PMC0 + ncounters() && fw_write()) {
		v = fx.pmc[msr - A_PMC0];
	} else if (msr == DEBUGCTL) {
		v = fx.debugctl;
	} else if (msr == PERF_CAP && has_pdcm()) {
		v = fx.perf_capabilities;
	} else if (msr == GSTATUS && version() >= 2) {
		v = fx.global_status;
	} else if (msr == GCTRL && version() >= 2) {
		v = fx.global_ctrl;
	} else if (msr == X2APIC_LVTPC && x2apic()) {
		v = fx.lvt;
	} else {
		gp();
	}
	record(msr, false, v);
	return v;
}

void x86_wrmsr(uint32_t msr, uint64_t v)
{
	uint64_t m = fx_width_mask();

	fx.writes++;
	record(msr, true, v);
	if (msr == APIC_BASE) {
		fx.apic_base = v;
	} else if (msr >= EVTSEL0 && msr < EVTSEL0 + ncounters()) {
		if (v >> 32)
			gp(); /* bits 63:32 reserved */
		else
			fx.evtsel[msr - EVTSEL0] = v;
	} else if (msr >= PMC0 && msr < PMC0 + ncounters()) {
		/* EAX only, sign-extended from bit 31 */
		uint64_t low = v & 0xFFFFFFFFull;

		fx.pmc[msr - PMC0] = ((low & 0x80000000ull) ? low | ~0xFFFFFFFFull : low) & m;
	} else if (msr >= A_PMC0 && msr < A_PMC0 + ncounters() && fw_write()) {
		if (v & ~m)
			gp();
		else
			fx.pmc[msr - A_PMC0] = v;
	} else if (msr == DEBUGCTL) {
		fx.debugctl = v;
	} else if (msr == GCTRL && version() >= 2) {
		if (v & ~counter_bits())
			gp();
		else
			fx.global_ctrl = v;
	} else if (msr == GOVF && version() >= 2) {
		uint64_t ok = counter_bits() | (3ull << 62) | (version() >= 4 ? (0xFull << 58) | (1ull << 55) : 0);

		if (v & ~ok)
			gp();
		else
			fx.global_status &= ~v;
	} else if (msr == GSET && version() >= 4) {
		fx.global_status |= v & counter_bits();
	} else if (msr == X2APIC_LVTPC && x2apic()) {
		fx.lvt = (uint32_t)v & LVT_WRITABLE;
	} else {
		gp(); /* absent, or read-only (PERF_CAPABILITIES, GLOBAL_STATUS) */
	}
}

static bool mmio_ok(uintptr_t base)
{
	/* MMIO reaches the APIC only in xAPIC mode, at the base IA32_APIC_BASE names. */
	if (x2apic() || !((fx.apic_base >> 11) & 1u) || base != (fx.apic_base & ~0xFFFull)) {
		gp();
		return false;
	}
	return true;
}

uint32_t x86_xapic_read_lvt_pmc(uintptr_t base)
{
	uint32_t v = mmio_ok(base) ? fx.lvt : 0;

	fx.reads++;
	record(FX_MMIO_LVT, false, v);
	return v;
}

void x86_xapic_write_lvt_pmc(uintptr_t base, uint32_t v)
{
	fx.writes++;
	record(FX_MMIO_LVT, true, v);
	if (mmio_ok(base))
		fx.lvt = v & LVT_WRITABLE;
}

uint32_t x86_x2apic_read_lvt_pmc(void)
{
	return (uint32_t)x86_rdmsr(X2APIC_LVTPC);
}

void x86_x2apic_write_lvt_pmc(uint32_t v)
{
	x86_wrmsr(X2APIC_LVTPC, v);
}
