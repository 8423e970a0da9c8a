/* SPDX-License-Identifier: MIT */
/*
 * A simulated Intel performance-monitoring unit and local APIC for the host tests of backends/x86.
 * With X86_FAKE_REGS defined, backends/x86/msr.h includes this header instead of its inline
 * assembly, so the backend's logic runs unchanged against `fx`.
 *
 * The model implements the SDM's rules (docs/x86-perfmon.md), written here from the SDM and not
 * from backends/x86/msr_fields.h:
 * - CPUID leaves 0x0, 0x1 and 0x0A read what the test put there; the perfmon version, counter
 *   count and width come from leaf 0x0A;
 * - MSRs exist only as the SDM enumerates them: IA32_PERFEVTSELx / IA32_PMCx for x < n;
 *   IA32_PERF_GLOBAL_STATUS/CTRL/OVF_CTRL from version 2; IA32_PERF_GLOBAL_STATUS_SET from
 *   version 4; IA32_PERF_CAPABILITIES only with CPUID.01H:ECX.PDCM; IA32_A_PMCx only with
 *   PERF_CAPABILITIES.FW_WRITE; the x2APIC LVT MSR only in x2APIC mode. Any other access, a write
 *   to a read-only MSR, or a reserved bit set, is a #GP: counted in fx.gp and otherwise ignored
 *   (reads give 0), so a test that expects none fails;
 * - a counter holds w bits; a write to IA32_PMCx takes bits [31:0] and sign-extends bit 31, a
 *   write to IA32_A_PMCx takes all w bits (and #GPs beyond them);
 * - a counter counts an event when its EN, its IA32_PERF_GLOBAL_CTRL bit and the ring's USR/OS
 *   bit are set (and, from version 4, GLOBAL_STATUS.CTR_FRZ is clear); on the wrap from 2^w - 1
 *   to 0 it sets its GLOBAL_STATUS bit, which only a write of 1 to IA32_PERF_GLOBAL_OVF_CTRL
 *   (STATUS_RESET, v4) clears;
 * - a wrap with INT set raises a PMI through the LVT performance-counter entry: if the entry is
 *   masked the PMI is lost (fx.lost_pmis), else it is delivered (fx.pmis), the entry's mask bit
 *   is set, Freeze_PerfMon_On_PMI (IA32_DEBUGCTL bit 12) freezes the counters (v2/v3: GLOBAL_CTRL
 *   cleared; v4+: GLOBAL_STATUS.CTR_FRZ set), and the test's handler fx.on_pmi runs.
 */
#ifndef MEMBW_TEST_FAKE_MSR_H
#define MEMBW_TEST_FAKE_MSR_H

#include <stdbool.h>
#include <stdint.h>

#define FX_COUNTERS 8u
#define FX_LOG_MAX 1024u
#define FX_XAPIC_BASE 0xFEE00000u

struct fx_access {
	uint32_t msr;   /* MSR number; 0xFEE00340-style MMIO accesses log FX_MMIO_LVT */
	bool write;
	uint64_t value;
};
#define FX_MMIO_LVT 0xFFFF0340u /* pseudo-number for the xAPIC MMIO entry in the log */
#define FX_CPUID 0xFFFF0000u    /* pseudo-number for CPUID in the log (value: the leaf) */

struct fake_x86 {
	/* Fixed facts (fx_reset(): a Sapphire Rapids-like CPU, see fake_msr.c). */
	uint32_t cpuid0[4], cpuid1[4], cpuida[4];
	uint64_t perf_capabilities;
	uint64_t apic_base; /* IA32_APIC_BASE: base, EN bit 11, EXTD bit 10 */
	/* State. */
	uint64_t evtsel[FX_COUNTERS], pmc[FX_COUNTERS];
	uint64_t global_ctrl, global_status, debugctl;
	uint32_t lvt; /* LVT performance-counter entry, reset 0x00010000 (masked) */
	/* What happened. */
	unsigned int gp;          /* #GPs */
	unsigned int pmis;        /* PMIs delivered */
	unsigned int lost_pmis;   /* PMIs raised while the LVT entry was masked */
	unsigned long reads, writes, cpuids; /* accessor calls (the benchmark counts these) */
	struct fx_access log[FX_LOG_MAX];
	unsigned int nlog;
	/* The PMI handler (the runtime's), run at delivery. */
	void (*on_pmi)(void *arg);
	void *pmi_arg;
};

extern struct fake_x86 fx;

/* CPUID leaves per the SDM: leaf 0x0A EAX = version | n << 8 | width << 16 | len << 24. */
void fx_reset(void);
void fx_set_perfmon(uint32_t version, uint32_t n, uint32_t width, uint32_t ebx_unavailable);
/* CPUID.01H:EAX from display family 6 and @model, @stepping (SDM encoding). */
void fx_set_model(uint32_t model, uint32_t stepping);
void fx_log_clear(void);
int fx_find(unsigned int from, uint32_t msr, bool write);
unsigned int fx_count(uint32_t msr, bool write);

/* @n events (event | umask << 8) happen at ring @ring (0 or 3). */
void fx_events(uint16_t code, unsigned int ring, uint64_t n);
/* Counter width mask 2^w - 1. */
uint64_t fx_width_mask(void);

/* The accessors of backends/x86/msr.h, on the model above. */
uint64_t x86_rdmsr(uint32_t msr);
void x86_wrmsr(uint32_t msr, uint64_t v);
void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
uint32_t x86_xapic_read_lvt_pmc(uintptr_t base);
void x86_xapic_write_lvt_pmc(uintptr_t base, uint32_t v);
uint32_t x86_x2apic_read_lvt_pmc(void);
void x86_x2apic_write_lvt_pmc(uint32_t v);

#endif /* MEMBW_TEST_FAKE_MSR_H */
