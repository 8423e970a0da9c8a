/* SPDX-License-Identifier: MIT */
/**
 * @file memtalk_abi.h
 * @brief memtalk ABI v1, the wire format: how a guest asks its hypervisor for memory bandwidth.
 *
 * Function IDs, registers, statuses, and the pure encoders and status decoder both ends use. The
 * guest side is in memtalk_guest.h, the host's dispatcher in memtalk_host.h. The full
 * specification (register layout of every call, discovery, coexistence with a hypervisor that
 * already owns the vendor range) is docs/memtalk.md. In short:
 *
 * - A call is five 64-bit registers, struct membw_memtalk_regs: `r[0]` is the function ID on the
 *   way in and the status on the way out; `r[1]..r[4]` are arguments; results come back in
 *   `r[1]..r[3]`. `r[4]` is never written. On Arm `r[n]` is `Xn` of an SMCCC HVC64 fast call; on
 *   x86 `r[0..4]` are RAX, RBX, RCX, RDX, RSI of a VMCALL (Intel) or VMMCALL (AMD).
 * - Function IDs are SMCCC fast SMC64 calls in the vendor-specific hypervisor service range
 *   (OEN 6): `0xC6000000 | (base + n)`. `base` is 0 when the hypervisor's whole vendor range is
 *   memtalk's (the range's Call UID is ::MEMBW_MEMTALK_UID_0 ..); under a hypervisor that owns the
 *   range for itself (KVM does), `base` is agreed out of band.
 * - The guest is untrusted: the dispatcher validates every register, keeps each VM between the
 *   floor and cap the host set, rate-limits the calls that cost the host work, and a refused call
 *   changes nothing.
 */
#ifndef MEMBW_MEMTALK_ABI_H
#define MEMBW_MEMTALK_ABI_H

#include <membw/errors.h>
#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name Registers and the call hook
 * @{
 */
/** Registers a memtalk call carries: the function ID / status and four arguments. */
#define MEMBW_MEMTALK_NREGS 5u

/**
 * @brief The registers of one memtalk call, in and out.
 *
 * In: `r[0]` function ID, `r[1]..r[4]` arguments (unused ones must be 0). Out: `r[0]` status
 * (a MEMBW_MEMTALK_* status, sign-extended to 64 bits), `r[1]..r[3]` results; `r[4]` keeps its value.
 */
struct membw_memtalk_regs {
	uint64_t r[MEMBW_MEMTALK_NREGS]; /**< Arm: X0..X4. x86: RAX, RBX, RCX, RDX, RSI. */
};

/**
 * @brief The per-architecture hook that issues the call instruction.
 *
 * Loads `regs->r[0..4]` into the call registers, traps to the hypervisor, and stores the result
 * registers back into `regs->r[0..3]` (it may store `r[4]` too). The guest functions below never
 * issue a call instruction themselves, so the library stays freestanding and testable on a host:
 * pass membw_memtalk_call_hvc() or membw_memtalk_call_vmcall() from this header, a kernel's own
 * helper (Linux: `arm_smccc_1_1_hvc()`), or a test double.
 */
typedef void (*membw_memtalk_call_fn)(struct membw_memtalk_regs *regs);
/** @} */

/**
 * @name Function IDs (SMCCC fast call, SMC64, vendor-specific hypervisor service)
 *
 * Bit 31 set: fast call. Bit 30 set: SMC64/HVC64 convention. Bits 29:24 = 6: the
 * vendor-specific hypervisor service range. Bits 23:17 must be zero; bit 16 is the SMCCC v1.3
 * "no live SVE state" hint and is ignored. Bits 15:0: `base + n`.
 * @{
 */
#define MEMBW_MEMTALK_FID_PREFIX 0xC6000000u /**< Fast, SMC64, OEN 6, function number 0. */
#define MEMBW_MEMTALK_FID_PREFIX_MASK 0xFF000000u /**< Bits a memtalk ID shares with the prefix. */
#define MEMBW_MEMTALK_FID_MBZ_MASK 0x00FE0000u /**< Bits 23:17: must be zero. */
#define MEMBW_MEMTALK_FID_SVE_HINT 0x00010000u /**< Bit 16: SMCCC v1.3 SVE hint, ignored. */
#define MEMBW_MEMTALK_FID_NUMBER_MASK 0x0000FFFFu /**< Bits 15:0: function number. */
/** Function ID of function @p n at function-number @p base. */
#define MEMBW_MEMTALK_FID(base, n)                                                                \
	(MEMBW_MEMTALK_FID_PREFIX | (((uint32_t)(base) + (uint32_t)(n)) & MEMBW_MEMTALK_FID_NUMBER_MASK))

#define MEMBW_MEMTALK_FN_VERSION 0u    /**< Discovery: version, magic, functions. No side effects. */
#define MEMBW_MEMTALK_FN_SET_BUDGET 1u /**< Set this VM's read and write budgets, bytes/s. */
#define MEMBW_MEMTALK_FN_GET_BUDGET 2u /**< Read one channel's budget, cap and floor. */
#define MEMBW_MEMTALK_FN_GET_STATS 3u  /**< Read one page of this VM's statistics. */
/** Function numbers memtalk reserves from `base` on; those past GET_STATS answer NOT_SUPPORTED. */
#define MEMBW_MEMTALK_WINDOW 16u
/** Function-number base when memtalk owns the whole vendor-specific hypervisor range. */
#define MEMBW_MEMTALK_BASE_DEFAULT 0u
/** Largest base: the window must end below 0xFF00, where SMCCC's general queries start. */
#define MEMBW_MEMTALK_BASE_MAX (0xFF00u - MEMBW_MEMTALK_WINDOW)
/** Bitmap of the function numbers (relative to base) v1 implements, as VERSION reports it. */
#define MEMBW_MEMTALK_FUNCTIONS_V1                                                                \
	((1u << MEMBW_MEMTALK_FN_VERSION) | (1u << MEMBW_MEMTALK_FN_SET_BUDGET) |                  \
	 (1u << MEMBW_MEMTALK_FN_GET_BUDGET) | (1u << MEMBW_MEMTALK_FN_GET_STATS))
/** @} */

/**
 * @name SMCCC general queries of the vendor-specific hypervisor range (SMC32 fast calls)
 *
 * The SMC Calling Convention (Arm DEN0028) reserves function numbers 0xFF00..0xFFFF of every
 * service range for queries; a guest asks the range's owner for its UID before it issues any other
 * call there. KVM documents its own UID for this range (28b46fb6-2ec5-11e9-a9ca-4b564d003a74).
 * @{
 */
#define MEMBW_MEMTALK_FID_CALL_UID 0x8600FF01u /**< Returns the range owner's UID in W0..W3. */
#define MEMBW_MEMTALK_FID_REVISION 0x8600FF03u /**< Returns the owner's revision: major W0, minor W1. */
/**
 * @brief memtalk's UID (8c8bad7d-b757-4586-af33-3f85009e76a2, made with uuidgen), as the Call UID
 *        query returns it: bytes in string order, four per register, first byte in bits 7:0.
 */
#define MEMBW_MEMTALK_UID_0 0x7dad8b8cu
#define MEMBW_MEMTALK_UID_1 0x864557b7u /**< Second word of the UID (see ::MEMBW_MEMTALK_UID_0). */
#define MEMBW_MEMTALK_UID_2 0x853f33afu /**< Third word of the UID. */
#define MEMBW_MEMTALK_UID_3 0xa2769e00u /**< Fourth word of the UID. */
/** @} */

/**
 * @name Version, magic and the control word
 * @{
 */
#define MEMBW_MEMTALK_VERSION_MAJOR 1u /**< ABI major version; a change breaks old guests. */
#define MEMBW_MEMTALK_VERSION_MINOR 0u /**< ABI minor version; grows when calls are added. */
/** VERSION's `r[1]`: major in bits 31:16, minor in bits 15:0. */
#define MEMBW_MEMTALK_VERSION_WORD                                                                \
	(((uint64_t)MEMBW_MEMTALK_VERSION_MAJOR << 16) | MEMBW_MEMTALK_VERSION_MINOR)
/** VERSION's `r[2]`: the ASCII bytes "MEMTALK" and a 0, so a stray answer is not taken for us. */
#define MEMBW_MEMTALK_MAGIC 0x4D454D54414C4B00ull
/**
 * Control word, `r[1]` of every call but VERSION: bits 7:0 the ABI major version the guest
 * speaks (must be ::MEMBW_MEMTALK_VERSION_MAJOR); bits 63:8 reserved, must be 0.
 */
#define MEMBW_MEMTALK_CTL_VERSION_MASK 0xFFull
/** The control word a v1 guest sends. */
#define MEMBW_MEMTALK_CTL_V1 ((uint64_t)MEMBW_MEMTALK_VERSION_MAJOR)
/** @} */

/**
 * @name Statuses, returned in `r[0]` as a signed 64-bit value
 *
 * On any status but OK, `r[1]..r[3]` are 0 except where noted, and nothing changed on the host.
 * @{
 */
#define MEMBW_MEMTALK_OK 0                /**< Done; results in `r[1]..r[3]`. */
#define MEMBW_MEMTALK_NOT_SUPPORTED (-1)  /**< Unknown function (also what SMCCC answers when no
					       service is there). */
#define MEMBW_MEMTALK_INVALID_PARAMETER (-3) /**< A reserved bit or register is not 0, or a
						  selector (channel, page) is out of range. */
#define MEMBW_MEMTALK_BAD_VERSION (-4) /**< The control word names another ABI major version;
					    `r[1]` = ::MEMBW_MEMTALK_VERSION_WORD. */
#define MEMBW_MEMTALK_DENIED (-5)      /**< Outside the VM's floor..cap, or the VM is not
					    regulated (the host gave it no domain). */
#define MEMBW_MEMTALK_RANGE (-6)       /**< The host cannot enforce the value: not 0 but under one
					    line per period, over ::MEMBW_MAX_EVENTS_PER_PERIOD
					    lines per period, or a finite write budget on a host
					    without a write-back counter. */
#define MEMBW_MEMTALK_RATE_LIMITED (-7) /**< Faster than the host allows; `r[1]` = nanoseconds
					     until the call would be accepted. */
#define MEMBW_MEMTALK_BUSY (-8)        /**< Another call of this VM, or a host-side change, is in
					    progress; try again. */
#define MEMBW_MEMTALK_HOST_ERROR (-9)  /**< The host policy failed unexpectedly; `r[1]` = its
					    (positive) errno value. */
/** @} */

/**
 * @name Call arguments and pages
 * @{
 */
/** GET_BUDGET's channel selector (`r[2]`): read budget. Same value as ::MEMBW_CH_READ. */
#define MEMBW_MEMTALK_CH_READ 0u
/** GET_BUDGET's channel selector (`r[2]`): write-back budget. Same value as ::MEMBW_CH_WRITE. */
#define MEMBW_MEMTALK_CH_WRITE 1u
/** GET_STATS page 0: takes a fresh snapshot; `r[1..3]` = sequence, periods, period_ns. */
#define MEMBW_MEMTALK_STATS_SNAPSHOT 0u
/** GET_STATS page 1: `r[1..3]` = throttled_ns, throttle_count, missed_periods. */
#define MEMBW_MEMTALK_STATS_TIME 1u
/** GET_STATS page 2: `r[1..3]` = read used, allowance, overshoot, in bytes. */
#define MEMBW_MEMTALK_STATS_READ 2u
/** GET_STATS page 3: `r[1..3]` = write-back used, allowance, overshoot, in bytes. */
#define MEMBW_MEMTALK_STATS_WRITE 3u
/** Number of GET_STATS pages in v1. */
#define MEMBW_MEMTALK_STATS_PAGES 4u
/** @} */

/**
 * @name Encoder and decoder (pure functions: no call, no state)
 * @{
 */

/**
 * @brief Fill @p regs for a VERSION call (no side effects on the host).
 * @param regs Receives the function ID in `r[0]` and zeros in `r[1..4]`.
 * @param base Function-number base (::MEMBW_MEMTALK_BASE_DEFAULT unless agreed otherwise).
 */
MEMBW_API void membw_memtalk_encode_version(struct membw_memtalk_regs *regs, uint32_t base);

/**
 * @brief Fill @p regs for SET_BUDGET.
 * @param regs      Receives the call.
 * @param base      Function-number base.
 * @param read_bps  Read budget, bytes per second; ::MEMBW_UNLIMITED for none.
 * @param write_bps Write-back budget, bytes per second; ::MEMBW_UNLIMITED for none.
 */
MEMBW_API void membw_memtalk_encode_set_budget(struct membw_memtalk_regs *regs, uint32_t base,
					       uint64_t read_bps, uint64_t write_bps);

/**
 * @brief Fill @p regs for GET_BUDGET of one channel.
 * @param regs    Receives the call.
 * @param base    Function-number base.
 * @param channel ::MEMBW_MEMTALK_CH_READ or ::MEMBW_MEMTALK_CH_WRITE (encoded as given: the host
 *                refuses other values).
 */
MEMBW_API void membw_memtalk_encode_get_budget(struct membw_memtalk_regs *regs, uint32_t base,
					       uint32_t channel);

/**
 * @brief Fill @p regs for GET_STATS of one page.
 * @param regs Receives the call.
 * @param base Function-number base.
 * @param page 0 .. ::MEMBW_MEMTALK_STATS_PAGES - 1 (encoded as given: the host refuses others).
 */
MEMBW_API void membw_memtalk_encode_get_stats(struct membw_memtalk_regs *regs, uint32_t base,
					      uint32_t page);

/**
 * @brief Translate a memtalk status (`r[0]` after a call) to a libmembw error code.
 * @param status The 64-bit value the call returned in `r[0]`.
 * @retval 0 ::MEMBW_MEMTALK_OK.
 * @retval -MEMBW_EOPNOTSUPP NOT_SUPPORTED: the function (or memtalk itself) is not there.
 * @retval -MEMBW_EINVAL INVALID_PARAMETER.
 * @retval -MEMBW_ENODEV BAD_VERSION: the host speaks another major version.
 * @retval -MEMBW_EPERM DENIED: outside the VM's floor..cap, or the VM is not regulated.
 * @retval -MEMBW_ERANGE RANGE: the host cannot enforce the value.
 * @retval -MEMBW_EAGAIN RATE_LIMITED or BUSY: try again later.
 * @retval -MEMBW_EIO HOST_ERROR, or a value that is no memtalk status.
 */
MEMBW_API int membw_memtalk_status_to_errno(uint64_t status);
/** @} */


#ifdef __cplusplus
}
#endif

#endif /* MEMBW_MEMTALK_ABI_H */
