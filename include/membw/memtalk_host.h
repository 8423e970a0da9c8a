/* SPDX-License-Identifier: MIT */
/**
 * @file memtalk_host.h
 * @brief memtalk, the host's side: the dispatcher a hypervisor calls from its hypercall trap, and
 *        the per-VM limits an administrator sets.
 *
 * The dispatcher applies a guest's requests to a policy instance (policy.h) after validating
 * every register. The wire format is memtalk_abi.h; docs/memtalk.md is the specification.
 */
#ifndef MEMBW_MEMTALK_HOST_H
#define MEMBW_MEMTALK_HOST_H

#include <membw/memtalk_abi.h>
#include <membw/policy.h>

#ifdef __cplusplus
extern "C" {
#endif

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
#define MEMBW_MEMTALK_VM_BYTES 256u
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
 * Callable from any CPU, concurrently with membw_memtalk_host_dispatch(); two calls of this function
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
MEMBW_API int membw_memtalk_host_set_limits(struct membw_memtalk_host *h, uint32_t vm_id,
					    const struct membw_memtalk_vm_limits *lim);

/**
 * @brief Start a new tenant in VM slot @p vm_id: it sees nothing of the slot's previous tenant.
 *
 * Call it when the slot is given to another guest (after membw_memtalk_host_set_limits() if the
 * limits change too). Clears the VM's statistics snapshot (GET_STATS pages 1-3 answer 0 until its
 * first page-0 call) and its rate-limit state, and makes the totals GET_STATS page 0 reports
 * count from now: the domain's totals at this call become the tenant's zero. Same locking as
 * membw_memtalk_host_set_limits(). docs/memtalk.md section 5 says what the totals include.
 * @param h     The host instance.
 * @param vm_id 0 .. nvms - 1.
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL @p h or @p vm_id out of range.
 * @retval -MEMBW_EAGAIN A call of this VM or a limits change is in progress, or the domain's
 *         budget was being changed; try again. On error nothing changes.
 */
MEMBW_API int membw_memtalk_host_reset_vm(struct membw_memtalk_host *h, uint32_t vm_id);

/**
 * @brief Read one VM's limits.
 * @param h     The host instance.
 * @param vm_id 0 .. nvms - 1.
 * @param out   Receives the limits.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer or @p vm_id out of range.
 * @retval -MEMBW_EAGAIN The limits were being changed (membw_memtalk_host_set_limits() or a call
 *         of this VM in progress).
 */
MEMBW_API int membw_memtalk_host_get_limits(struct membw_memtalk_host *h, uint32_t vm_id,
					    struct membw_memtalk_vm_limits *out);

/**
 * @brief Answer one hypercall of VM @p vm_id: the one function a hypervisor's trap handler calls.
 *
 * The hypervisor copies the guest's registers into @p regs (Arm: X0..X4; x86: RAX, RBX, RCX, RDX,
 * RSI), calls this, and on 0 copies `r[0..3]` back (X0..X3; RAX, RBX, RCX, RDX) and resumes the
 * guest after the call instruction. Every register is validated; a refused call changes nothing.
 * O(1) except GET_STATS page 0 (O(CPUs), membw_domain_get_stats()). Callable from any CPU, several at
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
MEMBW_API int membw_memtalk_host_dispatch(struct membw_memtalk_host *h, uint32_t vm_id,
				     struct membw_memtalk_regs *regs, uint64_t now_ns);
/** @} */


#ifdef __cplusplus
}
#endif

#endif /* MEMBW_MEMTALK_HOST_H */
