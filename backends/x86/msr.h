/* SPDX-License-Identifier: MIT */
/*
 * Accessors of the x86 backend: CPUID, RDMSR/WRMSR and the local APIC's LVT performance-counter
 * entry (xAPIC MMIO or x2APIC MSR). One line each, and the only inline assembly in the backend:
 * the logic (x86.c) calls these with the names of msr_fields.h and never an address of its own.
 *
 * Test builds define X86_FAKE_REGS: the same functions then come from tests/x86/fake_msr.h, a
 * simulated MSR file and local APIC that records every access and raises #GP where the hardware
 * would. That is the one switch between hardware and the host tests.
 *
 * RDMSR/WRMSR are ring-0 instructions (#GP(0) at CPL > 0) and fault on an MSR the CPU does not
 * implement; the backend reads CPUID before it touches any MSR (docs/x86-perfmon.md).
 */
#ifndef MEMBW_X86_MSR_H
#define MEMBW_X86_MSR_H

#include <stdint.h>

#include "msr_fields.h"

#ifdef X86_FAKE_REGS
#include "fake_msr.h"
#else

#if !defined(__x86_64__)
#error "backends/x86 uses RDMSR/WRMSR/CPUID: build it for x86-64, or define X86_FAKE_REGS for the host tests"
#endif

static inline uint64_t x86_rdmsr(uint32_t msr) { uint32_t lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr)); return ((uint64_t)hi << 32) | lo; }
static inline void x86_wrmsr(uint32_t msr, uint64_t v) { __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory"); }
/* r[0..3] = EAX, EBX, ECX, EDX of CPUID(@leaf, @subleaf). */
static inline void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]) { __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf)); }
/* The LVT performance-counter entry: xAPIC MMIO at @base (the mapped APIC page) + 0x340, or the
 * x2APIC MSR. MMIO is a 32-bit volatile access: the APIC page is uncached. */
static inline uint32_t x86_xapic_read_lvt_pmc(uintptr_t base) { return *(volatile uint32_t *)(base + X86_XAPIC_LVT_PMC_OFFSET); }
static inline void x86_xapic_write_lvt_pmc(uintptr_t base, uint32_t v) { *(volatile uint32_t *)(base + X86_XAPIC_LVT_PMC_OFFSET) = v; }
static inline uint32_t x86_x2apic_read_lvt_pmc(void) { return (uint32_t)x86_rdmsr(X86_MSR_X2APIC_LVT_PMC); }
static inline void x86_x2apic_write_lvt_pmc(uint32_t v) { x86_wrmsr(X86_MSR_X2APIC_LVT_PMC, v); }

#endif /* X86_FAKE_REGS */

#endif /* MEMBW_X86_MSR_H */
