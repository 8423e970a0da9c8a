/* SPDX-License-Identifier: MIT */
/**
 * @file memtalk.h
 * @brief memtalk ABI v1: how a guest asks its hypervisor for memory bandwidth, the guest-side
 *        calls, and the host-side dispatcher a hypervisor calls from its hypercall trap.
 *
 * The full specification (register layout of every call, discovery, coexistence with a
 * hypervisor that already owns the vendor range) is docs/memtalk.md. In short:
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
#ifndef MEMBW_MEMTALK_H
#define MEMBW_MEMTALK_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct membw;

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
MEMBW_API int membw_memtalk_set_budget(const struct membw_memtalk_guest *g, uint64_t read_bps,
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
MEMBW_API int membw_memtalk_get_budget(const struct membw_memtalk_guest *g, uint32_t channel,
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
MEMBW_API int membw_memtalk_get_stats(const struct membw_memtalk_guest *g,
				      struct membw_memtalk_stats *out);
/** @} */

/**
 * @name Host side
 * @{
 */

/**
 * @brief What the host administrator allows one VM. Fixed in ABI v1 (it is an array element of
 *        membw_memtalk_host_init()); a later version that needs more adds a new call.
 */
struct membw_memtalk_vm_limits {
	uint32_t domain;   /**< The VM's policy domain; ::MEMBW_NO_DOMAIN: not regulated (every call
			        but VERSION is DENIED). Two VMs never share a domain. */
	uint32_t reserved; /**< 0. */
	uint64_t cap_bps[MEMBW_NCHANNELS];   /**< Highest budget per channel, bytes/s;
					          ::MEMBW_UNLIMITED lets the VM ask for no limit. */
	uint64_t floor_bps[MEMBW_NCHANNELS]; /**< Lowest budget per channel, bytes/s; 0 lets the VM
					          block itself (a CPU with a 0 budget cannot run to
					          raise it again). */
};

/** Host flag: memtalk owns the whole vendor-specific hypervisor range (answers Call UID etc.). */
#define MEMBW_MEMTALK_HOST_OWNS_RANGE (1u << 0)

/** @brief The host's memtalk settings, fixed at membw_memtalk_host_init(). */
struct membw_memtalk_host_config {
	uint32_t size;  /**< sizeof(struct membw_memtalk_host_config). */
	uint32_t nvms;  /**< VMs, numbered 0 .. nvms - 1: 1 .. ::MEMBW_MEMTALK_MAX_VMS. */
	uint32_t base;  /**< Function-number base: 0 .. ::MEMBW_MEMTALK_BASE_MAX. */
	uint32_t flags; /**< 0 or ::MEMBW_MEMTALK_HOST_OWNS_RANGE. */
	/**
	 * Rate limit of the calls that cost the host work (SET_BUDGET, GET_STATS page 0), per VM:
	 * one per `min_interval_ns` on average (0: no limit; at most 10^12 ns) ...
	 */
	uint64_t min_interval_ns;
	uint32_t burst;    /**< ... with up to `burst` back to back (1 .. 1000). */
	uint32_t reserved; /**< 0. */
};

/** @brief A memtalk host instance, living in storage supplied by the caller. Opaque. */
struct membw_memtalk_host;

/** Largest number of VMs one host instance serves. */
#define MEMBW_MEMTALK_MAX_VMS 4096u
/** Required alignment of the host storage, in bytes. */
#define MEMBW_MEMTALK_ALIGN 64u
/** Bytes for the host instance itself. */
#define MEMBW_MEMTALK_HOST_BYTES 128u
/** Bytes per VM. */
#define MEMBW_MEMTALK_VM_BYTES 192u
/** Bytes of storage for a host instance serving @p nvms VMs. */
#define MEMBW_MEMTALK_HOST_SIZE(nvms)                                                             \
	(MEMBW_MEMTALK_HOST_BYTES + (size_t)(nvms) * MEMBW_MEMTALK_VM_BYTES)

/**
 * @brief Bytes of storage membw_memtalk_host_init() needs; same as MEMBW_MEMTALK_HOST_SIZE().
 * @param nvms VMs to serve.
 * @return The size, or 0 if @p nvms is 0 or above ::MEMBW_MEMTALK_MAX_VMS.
 */
MEMBW_API size_t membw_memtalk_host_size(uint32_t nvms);

/**
 * @brief Create a host instance in caller-supplied storage, serving VMs 0 .. `cfg->nvms - 1`.
 *
 * Reads the policy (period, line size, domain count, each VM's domain budget); changes nothing
 * in it. Set each VM domain's budget within its cap first (membw_domain_set_budget()).
 * @param out          Receives the instance (a pointer into @p storage).
 * @param storage      membw_memtalk_host_size() bytes, aligned to ::MEMBW_MEMTALK_ALIGN.
 * @param storage_size Size of @p storage.
 * @param m            The policy; must outlive the instance.
 * @param cfg          Settings; copied.
 * @param vms          `cfg->nvms` limits, indexed by VM id; copied.
 * @retval 0 Created.
 * @retval -MEMBW_EINVAL NULL pointer, misaligned storage, `cfg->size` too small, a field out of
 *         range or a reserved field not 0, unknown flags, a domain out of range or shared by two
 *         VMs, a floor above its cap.
 * @retval -MEMBW_ENOSPC @p storage_size too small.
 * @retval -MEMBW_ERANGE A cap or floor the policy cannot enforce (see membw_bps_to_events()), or a
 *         domain whose budget is above its VM's cap.
 * @retval -MEMBW_EAGAIN A domain's budget was being changed throughout (membw_domain_get_budget()).
 * On error `*out` is unchanged and @p storage holds no instance.
 */
MEMBW_API int membw_memtalk_host_init(struct membw_memtalk_host **out, void *storage,
				      size_t storage_size, struct membw *m,
				      const struct membw_memtalk_host_config *cfg,
				      const struct membw_memtalk_vm_limits *vms);

/**
 * @brief Change one VM's limits at run time (the administrator's path, not the guest's).
 *
 * If the domain's budget is above the new cap, the budget is lowered to the cap first (per
 * channel) with membw_domain_set_budget(); the VM's rate-limit state and statistics snapshot stay.
 * Callable from any CPU, concurrently with membw_memtalk_dispatch(); two calls of this function
 * must not run at once (the check that no other VM has the domain reads their limits unlocked).
 * @param h     The host instance.
 * @param vm_id 0 .. nvms - 1.
 * @param lim   The new limits; copied. Validated as in membw_memtalk_host_init().
 * @retval 0 Stored.
 * @retval -MEMBW_EINVAL NULL pointer, @p vm_id out of range, invalid limits, a domain another VM has.
 * @retval -MEMBW_ERANGE A cap or floor the policy cannot enforce.
 * @retval -MEMBW_EAGAIN A call of this VM is in progress, or the domain's budget is being changed.
 * @return Another error of membw_domain_set_budget(). On error nothing changes.
 */
MEMBW_API int membw_memtalk_host_set_limits(struct membw_memtalk_host *h, unsigned int vm_id,
					    const struct membw_memtalk_vm_limits *lim);

/**
 * @brief Read one VM's limits.
 * @param h     The host instance.
 * @param vm_id 0 .. nvms - 1.
 * @param out   Receives the limits.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer or @p vm_id out of range.
 * @retval -MEMBW_EAGAIN The limits were being changed (membw_memtalk_host_set_limits() or a call
 *         of this VM in progress).
 */
MEMBW_API int membw_memtalk_host_get_limits(struct membw_memtalk_host *h, unsigned int vm_id,
					    struct membw_memtalk_vm_limits *out);

/**
 * @brief Answer one hypercall of VM @p vm_id: the one function a hypervisor's trap handler calls.
 *
 * The hypervisor copies the guest's registers into @p regs (Arm: X0..X4; x86: RAX, RBX, RCX, RDX,
 * RSI), calls this, and on 0 copies `r[0..3]` back (X0..X3; RAX, RBX, RCX, RDX) and resumes the
 * guest after the call instruction. Every register is validated; a refused call changes nothing.
 * O(1) except GET_STATS page 0 (O(CPUs), membw_domain_stats()). Callable from any CPU, several at
 * once; calls of one VM are serialised by a try-lock (a second concurrent one gets BUSY), never
 * by waiting.
 * @param h      The host instance.
 * @param vm_id  The calling VM, as the hypervisor knows it (never taken from the guest).
 * @param regs   In: the guest's registers. Out (on 0): status and results.
 * @param now_ns The hypervisor's clock, nanoseconds, only for the rate limit; should not go
 *               backwards (if it does, no credit is earned until it passes the last value again).
 * @retval 0 A memtalk call (or, with ::MEMBW_MEMTALK_HOST_OWNS_RANGE, any fast call in the vendor
 *         hypervisor range, the SMCCC Call UID and Revision queries included): answered in
 *         @p regs, whatever its status.
 * @retval -MEMBW_ENOENT Not a memtalk function ID: @p regs unchanged; the hypervisor answers it
 *         (another service of its own, or SMCCC NOT_SUPPORTED, -1, in X0).
 * @retval -MEMBW_EINVAL NULL @p h or @p regs, or @p vm_id out of range: @p regs unchanged; the
 *         hypervisor should answer NOT_SUPPORTED.
 */
MEMBW_API int membw_memtalk_dispatch(struct membw_memtalk_host *h, unsigned int vm_id,
				     struct membw_memtalk_regs *regs, uint64_t now_ns);
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

#endif /* MEMBW_MEMTALK_H */
