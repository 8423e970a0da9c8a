/* SPDX-License-Identifier: MIT */
/*
 * Intel architectural performance monitoring: CPUID leaves, MSR addresses and register fields as
 * named constants (never C bitfields), polarity in the name. Every fact, with its source (the
 * Intel SDM, cross-checked against Linux 6.1's msr-index.h, perf_event.h, apicdef.h and vmx.h),
 * is in docs/x86-perfmon.md; the section is named beside each group.
 */
#ifndef MEMBW_X86_MSR_FIELDS_H
#define MEMBW_X86_MSR_FIELDS_H

/* ---- CPUID (docs/x86-perfmon.md#x86-perfmon-cpuid) ---------------------------------------- */
#define X86_CPUID_VENDOR 0x00u   /* EAX: highest basic leaf; EBX, EDX, ECX: vendor string */
#define X86_CPUID_SIGNATURE 0x01u /* EAX: family/model/stepping; ECX: feature flags */
#define X86_CPUID_PERFMON 0x0Au  /* architectural performance monitoring */
/* "GenuineIntel" as CPUID.0 returns it in EBX, EDX, ECX (little-endian ASCII). */
#define X86_VENDOR_INTEL_EBX 0x756E6547u /* "Genu" */
#define X86_VENDOR_INTEL_EDX 0x49656E69u /* "ineI" */
#define X86_VENDOR_INTEL_ECX 0x6C65746Eu /* "ntel" */
#define X86_VENDOR_AMD_EBX 0x68747541u   /* "Auth" of "AuthenticAMD" */
/* CPUID.01H */
#define X86_SIG_STEPPING_MASK 0xFu
#define X86_SIG_MODEL_SHIFT 4
#define X86_SIG_FAMILY_SHIFT 8
#define X86_SIG_EXT_MODEL_SHIFT 16
#define X86_SIG_EXT_FAMILY_SHIFT 20
#define X86_SIG_NIBBLE_MASK 0xFu
#define X86_SIG_EXT_FAMILY_MASK 0xFFu
#define X86_CPUID1_EBX_CLFLUSH_SHIFT 8   /* EBX[15:8]: CLFLUSH line size in 8-byte units */
#define X86_CPUID1_EBX_CLFLUSH_MASK 0xFFu
#define X86_CPUID1_ECX_PDCM (1u << 15)   /* IA32_PERF_CAPABILITIES exists */
#define X86_CPUID1_ECX_HYPERVISOR (1u << 31) /* running under a hypervisor */
/* CPUID.0AH */
#define X86_PERFMON_EAX_VERSION_MASK 0xFFu     /* EAX[7:0] */
#define X86_PERFMON_EAX_NGP_SHIFT 8            /* EAX[15:8]: GP counters per logical CPU */
#define X86_PERFMON_EAX_WIDTH_SHIFT 16         /* EAX[23:16]: GP counter width */
#define X86_PERFMON_EAX_EBX_LEN_SHIFT 24       /* EAX[31:24]: valid bits of EBX */
#define X86_PERFMON_EAX_FIELD_MASK 0xFFu
/* EBX bit i set = architectural event i NOT available (valid for i < EAX[31:24]). */
#define X86_ARCH_EV_CORE_CYCLES 0u   /* UnHalted Core Cycles        0x3C/0x00 */
#define X86_ARCH_EV_INST_RETIRED 1u  /* Instructions Retired        0xC0/0x00 */
#define X86_ARCH_EV_REF_CYCLES 2u    /* UnHalted Reference Cycles   0x3C/0x01 */
#define X86_ARCH_EV_LLC_REFERENCE 3u /* LLC Reference               0x2E/0x4F */
#define X86_ARCH_EV_LLC_MISSES 4u    /* LLC Misses                  0x2E/0x41 */
#define X86_ARCH_EV_BRANCHES 5u      /* Branch Instructions Retired 0xC4/0x00 */
#define X86_ARCH_EV_BRANCH_MISSES 6u /* Branch Misses Retired       0xC5/0x00 */
#define X86_ARCH_EV_COUNT 7u
/* Their event | umask << 8 codes, in the order of the EBX bits above. The event tables carry the
 * same numbers with citations; these name what armv8.c would call "the fallback chain", which
 * must not depend on a table row. */
#define X86_ARCH_CODE_CORE_CYCLES 0x003Cu
#define X86_ARCH_CODE_INST_RETIRED 0x00C0u
#define X86_ARCH_CODE_REF_CYCLES 0x013Cu
#define X86_ARCH_CODE_LLC_REFERENCE 0x4F2Eu
#define X86_ARCH_CODE_LLC_MISSES 0x412Eu
#define X86_ARCH_CODE_BRANCHES 0x00C4u
#define X86_ARCH_CODE_BRANCH_MISSES 0x00C5u

/* ---- MSRs (docs/x86-perfmon.md#x86-perfmon-msrs) ------------------------------------------ */
#define X86_MSR_IA32_APIC_BASE 0x01Bu
#define X86_MSR_IA32_PMC0 0x0C1u              /* + x: legacy counter access */
#define X86_MSR_IA32_PERFEVTSEL0 0x186u       /* + x */
#define X86_MSR_IA32_DEBUGCTL 0x1D9u
#define X86_MSR_IA32_PERF_CAPABILITIES 0x345u /* if CPUID.01H:ECX.PDCM */
#define X86_MSR_IA32_PERF_GLOBAL_STATUS 0x38Eu /* perfmon v2+ */
#define X86_MSR_IA32_PERF_GLOBAL_CTRL 0x38Fu   /* perfmon v2+ */
#define X86_MSR_IA32_PERF_GLOBAL_OVF_CTRL 0x390u      /* v2, v3: write 1 to clear a status bit */
#define X86_MSR_IA32_PERF_GLOBAL_STATUS_RESET 0x390u  /* v4+: the same address, renamed */
#define X86_MSR_IA32_PERF_GLOBAL_STATUS_SET 0x391u    /* v4+ only (never used by the backend) */
#define X86_MSR_IA32_A_PMC0 0x4C1u            /* + x: full-width writes, if FW_WRITE */
#define X86_MSR_X2APIC_LVT_PMC 0x834u         /* x2APIC mode: 0x800 + (0x340 >> 4) */

/* IA32_PERFEVTSELx */
#define X86_EVTSEL_EVENT_MASK 0xFFu        /* [7:0] event select */
#define X86_EVTSEL_UMASK_SHIFT 8           /* [15:8] unit mask */
#define X86_EVTSEL_UMASK_MASK (0xFFu << X86_EVTSEL_UMASK_SHIFT)
#define X86_EVTSEL_USR (1u << 16)          /* count at CPL > 0 */
#define X86_EVTSEL_OS (1u << 17)           /* count at CPL 0 */
#define X86_EVTSEL_EDGE (1u << 18)         /* E: edge detect (left 0) */
#define X86_EVTSEL_INT (1u << 20)          /* PMI through the local APIC on overflow */
#define X86_EVTSEL_ANY_THREAD (1u << 21)   /* AnyThread, v3 (left 0) */
#define X86_EVTSEL_EN (1u << 22)           /* counter enabled */
#define X86_EVTSEL_INV (1u << 23)          /* invert CMASK (left 0) */
#define X86_EVTSEL_CMASK_SHIFT 24          /* [31:24] counter mask (left 0) */

/* IA32_PERF_CAPABILITIES */
#define X86_PERF_CAP_FW_WRITE (1ull << 13) /* IA32_A_PMCx exist: full-width counter writes */

/* IA32_PERF_GLOBAL_STATUS (and the _RESET / OVF_CTRL bit that clears each) */
#define X86_GLOBAL_STATUS_CTR_FRZ (1ull << 59) /* v4+: counters frozen by Freeze_PerfMon_On_PMI */

/* IA32_DEBUGCTL */
#define X86_DEBUGCTL_FREEZE_PERFMON_ON_PMI (1ull << 12)

/* IA32_APIC_BASE */
#define X86_APIC_BASE_EXTD (1ull << 10)   /* x2APIC mode */
#define X86_APIC_BASE_ENABLE (1ull << 11) /* APIC globally enabled */

/* ---- Local APIC, LVT performance-counter entry (docs/x86-perfmon.md#x86-perfmon-lvt) ------- */
#define X86_XAPIC_LVT_PMC_OFFSET 0x340u   /* xAPIC MMIO: base + 0x340 */
#define X86_LVT_VECTOR_MASK 0xFFu         /* [7:0] */
#define X86_LVT_DELIVERY_FIXED (0x0u << 8) /* [10:8] = 000 */
#define X86_LVT_DELIVERY_NMI (0x4u << 8)   /* [10:8] = 100 */
#define X86_LVT_DELIVERY_MASK (0x7u << 8)
#define X86_LVT_MASKED (1u << 16)          /* set by the CPU when it delivers a PMI */
#define X86_LVT_MIN_VECTOR 16u             /* vectors 0-15 are illegal for fixed delivery */

/* ---- VMX controls a hypervisor sets (docs/x86-perfmon.md#x86-perfmon-vmx); not used by the
 * backend itself, named for x86.h's documentation and the tests. */
#define X86_VMX_EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12)  /* VM-exit controls */
#define X86_VMX_ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13) /* VM-entry controls */
#define X86_VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808u
#define X86_VMCS_HOST_PERF_GLOBAL_CTRL 0x2C04u

#endif /* MEMBW_X86_MSR_FIELDS_H */
