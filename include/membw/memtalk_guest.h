/* SPDX-License-Identifier: MIT */
/**
 * @file memtalk_guest.h
 * @brief memtalk, the guest's side: discovery and the calls a guest makes, over a call hook.
 *
 * Freestanding like the policy core: a guest kernel driver, a bare-metal guest and a test on a
 * host all use it. The wire format is memtalk_abi.h; docs/memtalk.md is the specification.
 */
#ifndef MEMBW_MEMTALK_GUEST_H
#define MEMBW_MEMTALK_GUEST_H

#include <membw/memtalk_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name Guest side
 * @{
 */

/** @brief What membw_memtalk_guest_probe() found; pass it to the other guest calls. */
struct membw_memtalk_guest {
	membw_memtalk_call_fn call; /**< The call hook given to membw_memtalk_guest_probe(). */
	uint32_t base;              /**< Function-number base in use. */
	uint32_t version;           /**< Host's version word (major << 16 | minor). */
	uint32_t functions;         /**< Host's bitmap of implemented function numbers. */
	uint32_t reserved;          /**< 0. */
};

/** Pass as `base` to membw_memtalk_guest_probe(): ask the range's Call UID first. */
#define MEMBW_MEMTALK_BASE_AUTO 0xFFFFFFFFu

/**
 * @brief Find memtalk: is it there, which version, which functions. No side effects on the host.
 *
 * With ::MEMBW_MEMTALK_BASE_AUTO it first issues the SMCCC Call UID query of the vendor-specific
 * hypervisor range and goes on only if the UID is memtalk's (then the base is 0); any other owner
 * (KVM, Xen, an absent service answering NOT_SUPPORTED) gives -MEMBW_ENODEV without a second call,
 * so no function of another owner is ever issued. With an explicit base (agreed with the
 * hypervisor out of band, e.g. a device-tree property) the UID query is skipped. Either way the
 * VERSION answer must carry ::MEMBW_MEMTALK_MAGIC and major version 1.
 *
 * The caller must know that a hypervisor is there to trap the call instruction at all (Arm: the
 * SMCCC conduit is HVC; x86: CPUID.1:ECX bit 31), otherwise the instruction is undefined.
 * @param g    Receives what was found; on error it is left unchanged.
 * @param call The call hook.
 * @param base ::MEMBW_MEMTALK_BASE_AUTO or a base 0 .. ::MEMBW_MEMTALK_BASE_MAX.
 * @retval 0 memtalk v1 is there; @p g filled.
 * @retval -MEMBW_EINVAL NULL @p g or @p call, or @p base out of range.
 * @retval -MEMBW_ENODEV No memtalk: the UID is not memtalk's, VERSION answered NOT_SUPPORTED or
 *         anything without the magic.
 * @retval -MEMBW_EOPNOTSUPP memtalk is there but speaks another major version.
 */
MEMBW_API int membw_memtalk_guest_probe(struct membw_memtalk_guest *g, membw_memtalk_call_fn call,
					uint32_t base);

/**
 * @brief Ask the host for this VM's read and write budgets (the `membw_set_budget()` of a guest).
 *
 * The host applies both or neither, from each CPU's next period on.
 * @param g         From membw_memtalk_guest_probe().
 * @param read_bps  Read budget, bytes per second (::MEMBW_UNLIMITED only if the cap is unlimited).
 * @param write_bps Write-back budget, likewise.
 * @retval 0 Applied.
 * @retval -MEMBW_EINVAL NULL or unprobed @p g.
 * @return Otherwise the host's refusal as membw_memtalk_status_to_errno() translates it
 *         (-MEMBW_EPERM above the cap, -MEMBW_EAGAIN rate-limited or busy, ...); nothing changed.
 */
MEMBW_API int membw_memtalk_guest_set_budget(const struct membw_memtalk_guest *g, uint64_t read_bps,
				       uint64_t write_bps);

/** @brief One channel's budget as the host reports it, bytes per second. */
struct membw_memtalk_budget {
	uint32_t size;        /**< In: sizeof(struct membw_memtalk_budget) as the caller knows it. */
	uint32_t reserved;    /**< 0. */
	uint64_t current_bps; /**< Budget in force (::MEMBW_UNLIMITED: none). */
	uint64_t cap_bps;     /**< Highest budget the host lets this VM set. */
	uint64_t floor_bps;   /**< Lowest budget the host lets this VM set. */
};

/**
 * @brief Read one channel's current budget, cap and floor.
 * @param g       From membw_memtalk_guest_probe().
 * @param channel ::MEMBW_MEMTALK_CH_READ or ::MEMBW_MEMTALK_CH_WRITE.
 * @param out     Receives the values; `out->size` must be set by the caller (at least this
 *                version's size). Unchanged on error.
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL pointer, unprobed @p g, unknown @p channel, `out->size` too small.
 * @return Otherwise the host's refusal (membw_memtalk_status_to_errno()).
 */
MEMBW_API int membw_memtalk_guest_get_budget(const struct membw_memtalk_guest *g, uint32_t channel,
				       struct membw_memtalk_budget *out);

/** @brief This VM's statistics, from one snapshot the host took (sums over the VM's CPUs). */
struct membw_memtalk_stats {
	uint32_t size;           /**< In: sizeof(struct membw_memtalk_stats) as the caller knows it. */
	uint32_t reserved;       /**< 0. */
	uint64_t sequence;       /**< Snapshots this VM has taken, this one included. */
	uint64_t periods;        /**< Periods closed (summed over the VM's CPUs). */
	uint64_t period_ns;      /**< The host's period, nanoseconds. */
	uint64_t throttled_ns;   /**< Nanoseconds the VM's CPUs spent throttled (summed). */
	uint64_t throttle_count; /**< Periods in which a CPU was throttled (summed). */
	uint64_t missed_periods; /**< Periods that passed without a tick (summed). */
	uint64_t used_bytes[MEMBW_NCHANNELS];      /**< Bytes moved, per channel. */
	uint64_t allowance_bytes[MEMBW_NCHANNELS]; /**< Bytes allowed, per channel. */
	uint64_t overshoot_bytes[MEMBW_NCHANNELS]; /**< Bytes moved past the allowance. */
};

/**
 * @brief Take a statistics snapshot and read all of its pages.
 *
 * Byte counts are the host's line counts times its line size, saturating at UINT64_MAX. A VM
 * with several vCPUs must not read statistics from two of them at once (the pages of one could
 * come from the other's snapshot; `sequence` tells them apart).
 * @param g   From membw_memtalk_guest_probe().
 * @param out Receives the statistics; `out->size` must be set by the caller (at least this
 *            version's size). Unchanged on error.
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL pointer, unprobed @p g, or `out->size` too small.
 * @return Otherwise the host's refusal (membw_memtalk_status_to_errno()).
 */
MEMBW_API int membw_memtalk_guest_get_stats(const struct membw_memtalk_guest *g,
				      struct membw_memtalk_stats *out);
/** @} */


/**
 * @name Default call hooks (inline assembly; only on the architecture they are for)
 * @{
 */
#if defined(__aarch64__) || defined(MEMBW_DOXYGEN)
/**
 * @brief Call hook for an AArch64 guest at EL1: `HVC #0` under SMCCC v1.1.
 *
 * X0..X4 carry `r[0..4]`; X0..X3 come back. X4..X17 are treated as clobbered because SMCCC v1.0
 * did not require the callee to keep them.
 * @param regs The call, in and out.
 */
static inline void membw_memtalk_call_hvc(struct membw_memtalk_regs *regs)
{
	register uint64_t x0 __asm__("x0") = regs->r[0];
	register uint64_t x1 __asm__("x1") = regs->r[1];
	register uint64_t x2 __asm__("x2") = regs->r[2];
	register uint64_t x3 __asm__("x3") = regs->r[3];
	register uint64_t x4 __asm__("x4") = regs->r[4];

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
			 :
			 : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "memory");
	regs->r[0] = x0;
	regs->r[1] = x1;
	regs->r[2] = x2;
	regs->r[3] = x3;
}
#endif

#if defined(__x86_64__) || defined(MEMBW_DOXYGEN)
/**
 * @brief Call hook for an x86-64 guest on Intel VT-x: `VMCALL`.
 *
 * RAX, RBX, RCX, RDX, RSI carry `r[0..4]`; RAX..RDX come back.
 * @param regs The call, in and out.
 */
static inline void membw_memtalk_call_vmcall(struct membw_memtalk_regs *regs)
{
	__asm__ volatile("vmcall"
			 : "+a"(regs->r[0]), "+b"(regs->r[1]), "+c"(regs->r[2]), "+d"(regs->r[3]),
			   "+S"(regs->r[4])
			 :
			 : "memory");
}

/**
 * @brief Call hook for an x86-64 guest on AMD-V: `VMMCALL`. Registers as membw_memtalk_call_vmcall().
 * @param regs The call, in and out.
 */
static inline void membw_memtalk_call_vmmcall(struct membw_memtalk_regs *regs)
{
	__asm__ volatile("vmmcall"
			 : "+a"(regs->r[0]), "+b"(regs->r[1]), "+c"(regs->r[2]), "+d"(regs->r[3]),
			   "+S"(regs->r[4])
			 :
			 : "memory");
}
#endif
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_MEMTALK_GUEST_H */
