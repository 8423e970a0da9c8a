/* SPDX-License-Identifier: MIT */
/**
 * @file agent.h
 * @brief The guest-agent API (`libmembw-agent.so`, pkg-config `membw-agent`): a program in a VM
 *        asks its hypervisor for memory bandwidth with one function call.
 *
 * Linux userspace only; it is no part of the freestanding core and does not link `libmembw`.
 * Each call opens the memtalk guest driver's device (::MEMBW_AGENT_DEVICE, kmod/guest/), issues
 * one ioctl (include/membw/memtalk_dev.h) and closes it again, so nothing is kept between calls
 * and a driver reloaded in between is simply found again. The device's file mode and group decide
 * who may call (docs/memtalk.md, "The guest-agent API"); no root is needed.
 *
 * Every function returns 0 or a negated `MEMBW_AGENT_E...` code. A refusal of the host has a code
 * of its own per memtalk status (docs/memtalk.md §4): code = 100 - status, so DENIED (-5) is
 * -::MEMBW_AGENT_EDENIED (-105). membw_agent_strerror() describes any code. Thread-safe: calls
 * share no state but each thread's membw_agent_detail().
 */
#ifndef MEMBW_AGENT_H
#define MEMBW_AGENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Marks a function exported from `libmembw-agent.so` (hidden visibility otherwise).
 *
 * Distinct from `MEMBW_API`, which marks the exports of the core library `libmembw.so`.
 */
#if defined(__GNUC__)
#define MEMBW_AGENT_API __attribute__((visibility("default")))
#else
#define MEMBW_AGENT_API
#endif

/** @brief The device the library opens unless ::MEMBW_AGENT_DEVICE_ENV names another. */
#define MEMBW_AGENT_DEVICE "/dev/membw_memtalk"
/** @brief Environment variable that, when set and not empty, replaces ::MEMBW_AGENT_DEVICE. */
#define MEMBW_AGENT_DEVICE_ENV "MEMBW_MEMTALK_DEV"

/** @brief A rate in bytes per second meaning "no limit" (same value as `MEMBW_UNLIMITED`). */
#define MEMBW_AGENT_UNLIMITED (~(uint64_t)0)
/**
 * @brief Pass to membw_set_budget() for a channel whose budget in force is to be kept.
 *
 * 2^64 - 2 bytes per second, a rate no host can enforce (it exceeds 2^32 - 2 lines per period),
 * so it never stands for a real budget. The driver reads the kept budget and sets both channels
 * under one lock.
 */
#define MEMBW_AGENT_KEEP (~(uint64_t)0 - 1)

/** @name Channels (array indices of the structures below)
 * @{ */
#define MEMBW_AGENT_READ 0u      /**< Reads: line refills from DRAM. */
#define MEMBW_AGENT_WRITE 1u     /**< Write-backs to DRAM. */
#define MEMBW_AGENT_NCHANNELS 2u /**< Number of channels. */
/** @} */

/**
 * @name Error codes (returned negated)
 *
 * 1..9 are found in the guest, before or instead of a host's answer; nothing was asked of the
 * host. 101..110 are the host's refusals, one per memtalk status: code = 100 - status. On every
 * error nothing changed on the host.
 * @{
 */
#define MEMBW_AGENT_EINVAL 1  /**< An argument is wrong (NULL pointer, `size` too small, both
				   channels ::MEMBW_AGENT_KEEP); nothing was sent. */
#define MEMBW_AGENT_ENODEV 2  /**< No device: the membw_memtalk driver is not loaded (or was
				   unloaded), or ::MEMBW_AGENT_DEVICE_ENV names no file. */
#define MEMBW_AGENT_EACCES 3  /**< The device is there but this user may not open it: not in the
				   device's group (docs/memtalk.md says how to grant it). */
#define MEMBW_AGENT_EABSENT 4 /**< The driver is loaded but no hypervisor answers memtalk in this
				   VM; membw_agent_status() gives the reason. */
#define MEMBW_AGENT_EDRIVER 5 /**< The file is not the membw_memtalk device, or the driver speaks
				   another interface version. */
#define MEMBW_AGENT_ESYSTEM 6 /**< Any other system error; membw_agent_detail() is its errno. */
#define MEMBW_AGENT_ENOTSUPPORTED 101 /**< memtalk NOT_SUPPORTED (-1): the host lacks the call. */
#define MEMBW_AGENT_EPARAMETER 103 /**< memtalk INVALID_PARAMETER (-3): the host refused a
					parameter (driver and host disagree on the ABI). */
#define MEMBW_AGENT_EVERSION 104 /**< memtalk BAD_VERSION (-4): the host speaks another major
				      version; membw_agent_detail() is its version word. */
#define MEMBW_AGENT_EDENIED 105  /**< memtalk DENIED (-5): outside this VM's floor..cap, or the VM
				      is not regulated. */
#define MEMBW_AGENT_ERANGE 106   /**< memtalk RANGE (-6): the host cannot enforce the rate. */
#define MEMBW_AGENT_ERATELIMITED 107 /**< memtalk RATE_LIMITED (-7): asked too often;
					  membw_agent_detail() is the nanoseconds to wait. */
#define MEMBW_AGENT_EBUSY 108    /**< memtalk BUSY (-8): another call of this VM or a host-side
				      change is in progress; try again. */
#define MEMBW_AGENT_EHOST 109    /**< memtalk HOST_ERROR (-9): the host's policy failed;
				      membw_agent_detail() is the host's errno. */
#define MEMBW_AGENT_EBADSTATUS 110 /**< The host answered a status memtalk v1 does not define;
					membw_agent_detail() is that status. */
/** @} */

/** @brief What membw_agent_status() reports. */
struct membw_agent_info {
	uint32_t size;      /**< In: sizeof(struct membw_agent_info) as the caller knows it. */
	uint32_t present;   /**< 1: a hypervisor answers memtalk; 0: not (see `reason`). */
	uint32_t version;   /**< The host's memtalk version word (major << 16 | minor); 0 if absent. */
	uint32_t base;      /**< memtalk function-number base in use; 0 if absent. */
	uint32_t functions; /**< The host's bitmap of implemented function numbers; 0 if absent. */
	uint32_t interface; /**< The device's interface version (::MEMBW_MEMTALK_DEV_VERSION). */
	uint64_t budget_bps[MEMBW_AGENT_NCHANNELS]; /**< Budget in force per channel, bytes/s
						       (::MEMBW_AGENT_UNLIMITED: none); 0 if absent. */
	uint64_t cap_bps[MEMBW_AGENT_NCHANNELS];    /**< Highest budget this VM may set, bytes/s. */
	uint64_t floor_bps[MEMBW_AGENT_NCHANNELS];  /**< Lowest budget this VM may set, bytes/s. */
	char conduit[16];   /**< The call instruction: "hvc", "vmcall", "vmmcall", "none", ... */
	char reason[160];   /**< When `present` is 0: why, as the driver logged it; else "". */
};

/**
 * @brief This VM's statistics from one snapshot the host took (sums over the VM's CPUs).
 *
 * The same fields as `struct membw_memtalk_stats` (memtalk_guest.h), declared again on purpose:
 * this header includes nothing of libmembw (a program using it need not link libmembw), and the
 * structure's size is versioned with this library (MEMBW_AGENT_0.1), so a field libmembw adds to
 * its own structure does not change this library's ABI.
 */
struct membw_agent_stats {
	uint32_t size;           /**< In: sizeof(struct membw_agent_stats) as the caller knows it. */
	uint32_t reserved;       /**< 0. */
	uint64_t sequence;       /**< Snapshots this VM has taken, this one included. */
	uint64_t periods;        /**< Periods closed (summed over the VM's CPUs). */
	uint64_t period_ns;      /**< The host's period, nanoseconds. */
	uint64_t throttled_ns;   /**< Nanoseconds the VM's CPUs spent throttled (summed). */
	uint64_t throttle_count; /**< Periods in which a CPU was throttled (summed). */
	uint64_t missed_periods; /**< Periods that passed without a tick (summed). */
	uint64_t used_bytes[MEMBW_AGENT_NCHANNELS];      /**< Bytes moved, per channel. */
	uint64_t allowance_bytes[MEMBW_AGENT_NCHANNELS]; /**< Bytes allowed, per channel. */
	uint64_t overshoot_bytes[MEMBW_AGENT_NCHANNELS]; /**< Bytes moved past the allowance. */
};

/**
 * @brief Ask the hypervisor for this VM's read and write-back budgets.
 *
 * One memtalk SET_BUDGET: the host applies both or neither, from each CPU's next period on.
 * Rate-limited by the host (-::MEMBW_AGENT_ERATELIMITED).
 * @param read_bps  Read budget, bytes per second; ::MEMBW_AGENT_UNLIMITED for none (only if the
 *                  cap is unlimited); ::MEMBW_AGENT_KEEP keeps the read budget in force.
 * @param write_bps Write-back budget, likewise.
 * @retval 0 Applied.
 * @return Otherwise a negated `MEMBW_AGENT_E...` code; nothing changed.
 */
MEMBW_AGENT_API int membw_set_budget(uint64_t read_bps, uint64_t write_bps);

/**
 * @brief Read the budgets in force (memtalk GET_BUDGET, not rate-limited).
 * @param read_bps  Receives the read budget, bytes per second (::MEMBW_AGENT_UNLIMITED: none), or
 *                  NULL if not wanted.
 * @param write_bps Receives the write-back budget likewise, or NULL.
 * @retval 0 Done.
 * @retval -MEMBW_AGENT_EINVAL Both pointers NULL.
 * @return Otherwise a negated `MEMBW_AGENT_E...` code; the outputs are unchanged.
 */
MEMBW_AGENT_API int membw_get_budget(uint64_t *read_bps, uint64_t *write_bps);

/**
 * @brief Take a statistics snapshot on the host and read it (memtalk GET_STATS, pages 0..3).
 *
 * The snapshot is rate-limited by the host like membw_set_budget().
 * @param out Receives the statistics; `out->size` must be set by the caller, at least
 *            sizeof(struct membw_agent_stats) of this version. Unchanged on error.
 * @retval 0 Done.
 * @retval -MEMBW_AGENT_EINVAL NULL @p out or `out->size` too small.
 * @return Otherwise a negated `MEMBW_AGENT_E...` code.
 */
MEMBW_AGENT_API int membw_get_stats(struct membw_agent_stats *out);

/**
 * @brief Is memtalk there; its version, base and functions; per channel budget, cap and floor.
 *
 * Succeeds whether or not a hypervisor answers memtalk: `present` says which. Issues GET_BUDGET
 * for both channels when present (not rate-limited), nothing otherwise.
 * @param out Receives the answer; `out->size` must be set by the caller, at least
 *            sizeof(struct membw_agent_info) of this version. Unchanged on error.
 * @retval 0 Done (present or not).
 * @retval -MEMBW_AGENT_EINVAL NULL @p out or `out->size` too small.
 * @return Otherwise a negated `MEMBW_AGENT_E...` code (-::MEMBW_AGENT_ENODEV: no driver).
 */
MEMBW_AGENT_API int membw_agent_status(struct membw_agent_info *out);

/**
 * @brief A sentence describing an error code of this library.
 * @param err A code, either sign (`-MEMBW_AGENT_EDENIED` and `MEMBW_AGENT_EDENIED` give the same
 *            text), or 0.
 * @return A static NUL-terminated string, never NULL; "unknown error" for a code not listed.
 */
MEMBW_AGENT_API const char *membw_agent_strerror(int err);

/**
 * @brief The detail of the calling thread's last error from this library.
 * @return For -::MEMBW_AGENT_ERATELIMITED the nanoseconds until the host would accept the call;
 *         -::MEMBW_AGENT_EVERSION the host's version word; -::MEMBW_AGENT_EHOST the host's errno;
 *         -::MEMBW_AGENT_EBADSTATUS the status as a 64-bit pattern; -::MEMBW_AGENT_ESYSTEM the
 *         errno; 0 after a success or any other error.
 */
MEMBW_AGENT_API uint64_t membw_agent_detail(void);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_AGENT_H */
