/* SPDX-License-Identifier: MIT */
/**
 * @file x86.h
 * @brief The `x86` counter backend: Intel architectural performance monitoring (versions 2 and
 *        later) through the general-purpose counters IA32_PMCx / IA32_PERFEVTSELx.
 *
 * Runs at ring 0 on the CPU it programs: in a kernel, a bare-metal runtime or a VMX hypervisor
 * (VMX root operation). It needs no libc and no allocation; per-CPU state lives in the policy's
 * storage (membw_backend::priv_size bytes). Facts and sources: docs/x86-perfmon.md.
 *
 * Use: fill a struct x86_ctx (size, the general-purpose counters you hand over, how the PMI is
 * wired), pass it as `backend_ctx` to membw_init() with &membw_x86_backend, and call
 * x86_overflow_ack() first thing in the PMI handler, before membw_overflow().
 *
 * Counter layout on each CPU: channel c uses general-purpose counter first_counter + c.
 *
 * Event codes (membw_config::event, membw_counter_setup::event): 0 selects the CPU's default read
 * or write-back event (from the event table for its family/model, else the architectural LLC
 * Misses event); a nonzero value is `event | umask << 8` in bits [15:0] (Linux perf's raw
 * encoding, without its other fields). X86_EVENT(event, umask) marks a code as explicit so that
 * event 0x00 / umask 0x00 can be named too. Any other bit set is refused with -MEMBW_EOPNOTSUPP.
 */
#ifndef MEMBW_X86_H
#define MEMBW_X86_H

#include <membw/backend.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The backend descriptor; name "x86". */
extern const struct membw_backend membw_x86_backend;

/** @name How the PMI reaches the CPU (x86_ctx::apic)
 * @{ */
/** The runtime programs the LVT performance-counter entry itself (e.g. a kernel that owns it). */
#define X86_APIC_NONE 0u
/** xAPIC mode: the backend programs the entry at x86_ctx::xapic_base + 0x340 (MMIO). */
#define X86_APIC_XAPIC 1u
/** x2APIC mode: the backend programs the entry through its MSR (0x834). */
#define X86_APIC_X2APIC 2u
/** @} */

/** @name LVT delivery mode (x86_ctx::lvt_delivery)
 * @{ */
#define X86_LVT_FIXED 0u /**< An ordinary interrupt with vector x86_ctx::lvt_vector (16..255). */
#define X86_LVT_NMI 1u   /**< An NMI (the vector is ignored), as Linux uses it. */
/** @} */

/** @name Flags (x86_ctx::flags)
 * @{ */
/**
 * Set IA32_DEBUGCTL.Freeze_PerfMon_On_PMI in cpu_init (and put it back in cpu_exit): the CPU
 * freezes the counters when it delivers a PMI (perfmon v2/v3: it clears IA32_PERF_GLOBAL_CTRL;
 * v4+: it sets IA32_PERF_GLOBAL_STATUS.CTR_FRZ), so the handler's own traffic is not counted.
 * x86_overflow_ack() unfreezes: it sets the owned GLOBAL_CTRL bits again (v2/v3; other owners'
 * bits it cannot know, they stay cleared) or clears CTR_FRZ (v4+). Use it only when the backend
 * is the PMU's sole user on that CPU.
 */
#define X86_FLAG_FREEZE_ON_PMI (1u << 0)
/**
 * The backend runs in a VMX hypervisor (VMX root operation): MEMBW_COUNT_HYP is offered, and
 * guest-only counting is done by loading IA32_PERF_GLOBAL_CTRL on VM entry and exit with the
 * values x86_vmx_global_ctrl() gives (backends/x86/README.md says what the hypervisor sets).
 */
#define X86_FLAG_VMX (1u << 1)
/** cpu_exit also masks the LVT performance-counter entry (the backend programs it). */
#define X86_FLAG_EXIT_MASKS_LVT (1u << 2)
/** @} */

/** @brief Marks an event code as explicit, so that event 0x00 with umask 0x00 can be asked for. */
#define X86_EVENT_EXPLICIT (1ull << 32)
/** @brief Event code for event select @p ev and unit mask @p umask (each 0..0xFF). */
#define X86_EVENT(ev, umask) \
	(X86_EVENT_EXPLICIT | (uint64_t)(uint8_t)(ev) | ((uint64_t)(uint8_t)(umask) << 8))

/** @brief x86_ctx::default_event value when the CPU has no usable default for a channel. */
#define X86_NO_EVENT 0xFFFFFFFFu

/**
 * @brief The backend_ctx given to membw_init() (and so to probe and cpu_init).
 *
 * The caller fills the inputs (zero the rest); probe fills the outputs. cpu_init only reads it
 * (its refusals are kept per CPU: x86_cpu_reason()). probe and cpu_init refuse with -MEMBW_EINVAL
 * a `size` smaller than this header's struct.
 */
struct x86_ctx {
	uint32_t size;          /**< In: sizeof(struct x86_ctx). */
	uint32_t first_counter; /**< In: first general-purpose counter the backend may use. */
	uint32_t ncounters;     /**< In: how many consecutive counters from first_counter. */
	uint32_t want_channels; /**< In: 0 automatic (2 if the counters and a write-back event allow), 1 or 2. */
	uint32_t flags;         /**< In: X86_FLAG_*. */
	uint32_t apic;          /**< In: X86_APIC_*. */
	uintptr_t xapic_base;   /**< In, X86_APIC_XAPIC: virtual address of the mapped APIC page. */
	uint32_t lvt_vector;    /**< In, X86_LVT_FIXED: the PMI's vector, 16..255. */
	uint32_t lvt_delivery;  /**< In: X86_LVT_FIXED or X86_LVT_NMI. */
	/* filled by probe (outputs): */
	uint32_t version;        /**< Out: CPUID.0AH:EAX[7:0], the perfmon version. */
	uint32_t family;         /**< Out: display family (CPUID.01H, SDM rule). */
	uint32_t model;          /**< Out: display model. */
	uint32_t stepping;       /**< Out: stepping. */
	uint32_t counters_total; /**< Out: CPUID.0AH:EAX[15:8], general-purpose counters. */
	uint32_t counter_width;  /**< Out: CPUID.0AH:EAX[23:16], their width in bits. */
	uint32_t full_width_writes; /**< Out: 1 if IA32_PERF_CAPABILITIES.FW_WRITE (IA32_A_PMCx). */
	/**
	 * Out: width reported to the policy: counter_width with full-width writes; without them 31
	 * when counter_width > 32 (a legacy IA32_PMCx write sets bits [31:0] and sign-extends bit 31,
	 * so exactly the presets 2^w - n with n < 2^31 can be written; see README.md), else
	 * counter_width.
	 */
	uint32_t counter_bits;
	uint32_t channels;       /**< Out: channels reported to the policy (1 or 2). */
	const char *core_name;   /**< Out: from the event table, or "generic (architectural events)". */
	uint32_t fell_back;      /**< Out: 1 when a default event is the architectural fallback. */
	uint32_t default_event[MEMBW_NCHANNELS]; /**< Out: `event | umask << 8`, or X86_NO_EVENT. */
	/** Out: why probe refused (a static sentence that says what to do); NULL after success. */
	const char *reason;
};

/**
 * @brief Why this CPU's most recent cpu_init refused.
 * @param priv The CPU's private state (membw_cpu_get_priv()).
 * @return A static English sentence, or NULL if that cpu_init succeeded, was never called, or
 *         @p priv is NULL.
 */
const char *x86_cpu_reason(const void *priv);

/**
 * @brief Acknowledge this CPU's backend counter overflows; call first thing in the PMI handler,
 *        before membw_overflow().
 *
 * Reads IA32_PERF_GLOBAL_STATUS and clears (through IA32_PERF_GLOBAL_OVF_CTRL, v2/v3, or
 * IA32_PERF_GLOBAL_STATUS_RESET, v4+) the bits of this CPU's backend counters only; another
 * owner's overflow is never acknowledged. With X86_FLAG_FREEZE_ON_PMI it unfreezes the counters.
 * When the backend programs the LVT entry (x86_ctx::apic), it unmasks it again last: delivering a
 * PMI sets its mask bit.
 * @param priv The CPU's private state; the caller runs on that CPU.
 * @return Bit mask of channels (1 << MEMBW_CH_READ, 1 << MEMBW_CH_WRITE) whose counter had
 *         overflowed; 0 if none, or if @p priv has not been through cpu_init.
 */
unsigned int x86_overflow_ack(void *priv);

/**
 * @brief The IA32_PERF_GLOBAL_CTRL value a VMX hypervisor loads on VM entry (@p guest = 1) or
 *        VM exit (@p guest = 0), so that the backend's counters count only where the counted
 *        levels say (X86_FLAG_VMX; README.md, "A VMX hypervisor").
 *
 * Put the guest value in the VMCS guest IA32_PERF_GLOBAL_CTRL field (encoding 0x2808) and the
 * host value in the host field (0x2C04), with the VM-entry control "load IA32_PERF_GLOBAL_CTRL"
 * (bit 13) and the VM-exit control of the same name (bit 12) set.
 * @param priv   The CPU's private state (after cpu_init).
 * @param others The value for the bits the backend does not own (the other users' enables).
 * @param guest  1: the value while the guest runs; 0: while the host runs.
 * @return @p others with the backend's counter bits set or cleared; @p others unchanged when
 *         @p priv has not been through cpu_init.
 */
uint64_t x86_vmx_global_ctrl(const void *priv, uint64_t others, unsigned int guest);

/**
 * @brief The general-purpose counter behind @p channel on this CPU, as an
 *        IA32_PERF_GLOBAL_CTRL-style bit mask (bit n = IA32_PMCn); 0 if none.
 * @param priv    The CPU's private state.
 * @param channel ::MEMBW_CH_READ or ::MEMBW_CH_WRITE.
 */
uint64_t x86_channel_counters(const void *priv, unsigned int channel);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_X86_H */
