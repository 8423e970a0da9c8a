/* SPDX-License-Identifier: MIT */
/**
 * @file armv8.h
 * @brief The `armv8` counter backend: ARMv8 PMUv3 event counters through the system registers.
 *
 * Runs on the CPU it programs, at EL1 (a kernel or a bare-metal runtime) or at EL2 (a hypervisor).
 * It needs no libc and no allocation; per-CPU state lives in the policy's storage
 * (membw_backend::priv_size bytes).
 *
 * Use: fill a struct armv8_ctx (size, mode, and in EL1 mode the counters you hand over), pass it
 * as `backend_ctx` to membw_init() together with &membw_armv8_backend, and call
 * armv8_overflow_ack() first thing in the PMU overflow interrupt, before membw_overflow().
 *
 * Counter layout on each CPU: channel c uses event counter first_used + c (armv8_ctx::first_used);
 * with ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND its shadow is first_used + channels + c. Use
 * armv8_channel_counters() rather than this arithmetic.
 *
 * Event codes (membw_config::event, membw_counter_setup::event): 0 selects the core's default
 * read or write-back event (from the event table for the CPU's MIDR_EL1, else architectural
 * common events); a nonzero value is an event number in bits [15:0]. Because event number 0
 * (SW_INCR) cannot be written as 0, ARMV8_EVENT(n) marks a number as explicit: ARMV8_EVENT(0)
 * is SW_INCR. Any other bit set is refused with -MEMBW_EOPNOTSUPP.
 */
#ifndef MEMBW_ARMV8_H
#define MEMBW_ARMV8_H

#include <membw/backend.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The backend descriptor; name "armv8". */
extern const struct membw_backend membw_armv8_backend;

/** @name Modes (armv8_ctx::mode)
 * @{ */
/** Runs at EL1: uses the counters the caller hands it (first_counter, ncounters). */
#define ARMV8_MODE_EL1 1u
/** Runs at EL2: allocates from counters >= MDCR_EL2.HPMN (reads HPMN, sets HPME as needed). */
#define ARMV8_MODE_EL2 2u
/** @} */

/** @name Flags (armv8_ctx::flags)
 * @{ */
/**
 * QEMU (7.2) workaround, docs/qemu.md#qemu-late-overflow: QEMU raises an event counter's overflow
 * interrupt only at the next PMU register access or exception-level change, not at the wrap. With
 * this flag each channel takes a second counter, same event and filter, preset to overflow one
 * event after the real one and with its interrupt disabled; QEMU's wake-up for that shadow falls
 * exactly on the real counter's wrap, so the real interrupt comes with the n-th event. Needs twice
 * the counters. Probe reports MEMBW_CAP_LATE_OVERFLOW with it.
 */
#define ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND (1u << 0)
/**
 * Use 32-bit counters even on a PMUv3p5 CPU: clear PMCR_EL0.LP (EL1 mode) or MDCR_EL2.HLP (EL2
 * mode) instead of setting it. Without the flag a PMUv3p5 CPU gets 64-bit counters.
 */
#define ARMV8_FLAG_COUNTERS_32BIT (1u << 1)
/**
 * EL2 mode: also keep PMCR_EL0.E set. The Arm ARM gates the counters >= HPMN and their interrupt
 * on MDCR_EL2.HPME only, but QEMU 7.2 raises the PMU interrupt only while PMCR_EL0.E is 1. On
 * hardware this flag would start the guest's enabled counters: use it on QEMU only.
 */
#define ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E (1u << 2)
/**
 * EL1 mode: the runtime needs EL0 to keep access to the PMU (PMUSERENR_EL0.EN/SW/CR/ER). EL0
 * code with that access can clear PMCNTEN and PMOVS and rewrite the event counters and their
 * types, i.e. switch regulation off; so with this flag cpu_init refuses (-MEMBW_EPERM, see
 * armv8_cpu_reason()). Without it, cpu_init in EL1 mode clears those four bits
 * (docs/armv8-pmu.md#armv8-pmu-el0). EL2 mode does not need them: EL0 cannot reach the counters
 * at or above MDCR_EL2.HPMN.
 */
#define ARMV8_FLAG_EL0_ACCESS_OPEN (1u << 3)
/** @} */

/** @brief Marks an event number as explicit, so that event 0 (SW_INCR) can be asked for. */
#define ARMV8_EVENT_EXPLICIT (1ull << 32)
/** @brief Event code for PMU event number @p num (0 .. 0xFFFF), including 0 (SW_INCR). */
#define ARMV8_EVENT(num) (ARMV8_EVENT_EXPLICIT | (uint64_t)(uint16_t)(num))

/** @brief armv8_ctx::default_event value when the core has no usable default for a channel. */
#define ARMV8_NO_EVENT 0xFFFFFFFFu

/**
 * @brief The backend_ctx given to membw_init() (and so to probe and cpu_init).
 *
 * The caller fills the inputs (zero the rest); probe fills the outputs. cpu_init only reads it
 * (its refusals are kept per CPU: armv8_cpu_reason()). probe and cpu_init refuse with -MEMBW_EINVAL a `size` smaller than this
 * header's struct; fields added later will be used only when `size` covers them.
 */
struct armv8_ctx {
	uint32_t size;          /**< In: sizeof(struct armv8_ctx). */
	uint32_t mode;          /**< In: ARMV8_MODE_*. */
	uint32_t first_counter; /**< In, EL1 mode: first event-counter index the backend may use. */
	uint32_t ncounters;     /**< In, EL1 mode: how many consecutive counters from first_counter. */
	uint32_t flags;         /**< In: ARMV8_FLAG_*. */
	/* filled by probe (outputs): */
	uint32_t pmu_version;  /**< Out: ID_AA64DFR0_EL1.PMUVer (1 PMUv3, 4 v3p1, 5 v3p4, 6 v3p5...). */
	uint32_t midr;         /**< Out: MIDR_EL1 of the probing CPU. */
	uint32_t counters_total; /**< Out: PMCR_EL0.N as the probing CPU reads it. */
	const char *core_name; /**< Out: from the event table, or "generic (architectural events)". */
	uint32_t fell_back;    /**< Out: 1 when the default events are architectural common events. */
	/* --- end of the first contract; added below --- */
	/**
	 * In: channels wanted. 0 = automatic: 2 when the counters suffice and the core has a default
	 * write-back event, else 1. 1 or 2 = exactly that many (probe refuses with -MEMBW_ENODEV if the
	 * counters do not suffice; with 2, cpu_init refuses a write channel it cannot count). Set 2 when
	 * naming both events yourself (e.g. SW_INCR and INST_RETIRED on QEMU).
	 */
	uint32_t want_channels;
	uint32_t channels;     /**< Out: channels reported to the policy (1 or 2). */
	uint32_t counter_bits; /**< Out: 32, or 64 on PMUv3p5 unless ARMV8_FLAG_COUNTERS_32BIT. */
	uint32_t line_size;    /**< Out: bytes per line, 4 << CTR_EL0.DminLine. */
	uint32_t first_used;   /**< Out: first event-counter index the backend will use. */
	uint32_t nused;        /**< Out: counters used per CPU (channels, times 2 with the workaround). */
	/** Out: default event per channel on the probing CPU, or ARMV8_NO_EVENT. */
	uint32_t default_event[MEMBW_NCHANNELS];
	/**
	 * Out: why probe refused (a static English sentence that says what to do); NULL after a
	 * successful probe. A CPU's cpu_init refusal is armv8_cpu_reason(). Diagnostic only.
	 */
	const char *reason;
};

/**
 * @brief Why this CPU's most recent cpu_init refused.
 *
 * Each CPU keeps its own reason, so CPUs that refuse at the same time do not overwrite each
 * other's (armv8_ctx::reason is probe's alone).
 * @param priv The CPU's private state (membw_cpu_get_priv()).
 * @return A static English sentence that says what to do, or NULL if that cpu_init succeeded, was
 *         never called, or @p priv is NULL.
 */
const char *armv8_cpu_reason(const void *priv);

/**
 * @brief Optional setup step: claim this CPU's PMU interrupt from counters the backend does not
 *        own. Call it on each CPU after a successful probe, before or after that CPU's cpu_init.
 *
 * The contract: the runtime clears what it does not use. PMCR_EL0.E, which the backend sets in
 * EL1 mode, also starts every other enabled counter below HPMN, and after a warm reset the
 * PMINTEN and PMOVS bits of counters nobody programmed are UNKNOWN: one with both set keeps the
 * level-triggered PMU interrupt asserted, and armv8_overflow_ack() leaves other owners' flags
 * alone, so the interrupt would be taken again and again. This step clears the interrupt enable
 * (PMINTENCLR_EL1) and the overflow flag (PMOVSCLR_EL0) of every event counter the backend may
 * not use and of the cycle counter (bit 31). It leaves their enables and values alone. EL1 mode:
 * the counters outside [first_counter, first_counter + ncounters); EL2 mode: the counters from
 * MDCR_EL2.HPMN on that the backend does not use (those below HPMN are EL1's, not the
 * hypervisor's, to manage). Do not call it while another agent owns counters on this CPU and
 * relies on their interrupt.
 * @param ctx The context a successful probe filled.
 * @return 0; -MEMBW_EINVAL if @p ctx is NULL, too small or not probed.
 */
int armv8_claim_pmu(const struct armv8_ctx *ctx);

/**
 * @brief Acknowledge this CPU's backend counter overflows; call first thing in the PMU overflow
 *        interrupt (PPI 23 on QEMU virt), before membw_overflow().
 *
 * Clears (PMOVSCLR_EL0) the overflow flags of this CPU's backend counters only, so the
 * level-triggered PPI drops before the caller's EOI; other owners' flags are left alone.
 * @param priv The CPU's private state (membw_cpu_get_priv()); the caller runs on that CPU.
 * @return Bit mask of channels (1 << MEMBW_CH_READ, 1 << MEMBW_CH_WRITE) whose counter had
 *         overflowed; 0 if none, or if @p priv has not been through cpu_init.
 */
unsigned int armv8_overflow_ack(void *priv);

/**
 * @brief The event counters behind @p channel on this CPU, as a PMCNTENSET/PMSWINC-style bit mask
 *        (bit n = event counter n): the armed counter, plus its shadow with the QEMU workaround.
 *
 * For runtimes and tests that must drive or inspect those counters themselves (e.g. write
 * PMSWINC_EL0 to make SW_INCR events on them).
 * @param priv    The CPU's private state (membw_cpu_get_priv()).
 * @param channel ::MEMBW_CH_READ or ::MEMBW_CH_WRITE.
 * @return The mask; 0 if @p priv has not been through cpu_init or the channel is not run.
 */
uint32_t armv8_channel_counters(const void *priv, unsigned int channel);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_ARMV8_H */
