/* SPDX-License-Identifier: MIT */
/**
 * @file memtalk_dev.h
 * @brief The memtalk guest driver's character device `/dev/membw_memtalk` (Linux): ioctl numbers
 *        and structures, shared by the driver (kmod/guest/) and the agent library (agent.h).
 *
 * Every structure starts with the same header: `size` (the caller's sizeof, at least this
 * version's), `version` (::MEMBW_MEMTALK_DEV_VERSION), then `status` and `detail`, which the
 * driver fills with the host's memtalk answer. A later version only appends fields; the driver
 * reads a command's type, number and direction and ignores the size its number encodes, so a
 * newer caller's larger structure reaches the same command. docs/memtalk.md ("The guest-agent API") specifies
 * each field and the errno values; an agent in another language can follow it without this file.
 */
#ifndef MEMBW_MEMTALK_DEV_H
#define MEMBW_MEMTALK_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

/** @brief Name of the misc device (the node is `/dev/` followed by it). */
#define MEMBW_MEMTALK_DEV_NAME "membw_memtalk"
/** @brief Interface version this header describes; every structure's `version` field. */
#define MEMBW_MEMTALK_DEV_VERSION 1u
/** @brief ioctl type byte of the device (its commands reach no other driver: a misc device). */
#define MEMBW_MEMTALK_IOC_MAGIC 0xB7

/** @brief What the driver knows without a call: presence, version, base, functions. */
struct membw_memtalk_dev_info {
	__u32 size;      /**< In: sizeof(struct membw_memtalk_dev_info) as the caller knows it. */
	__u32 version;   /**< In: ::MEMBW_MEMTALK_DEV_VERSION. */
	__s64 status;    /**< Out: 0 (no call is made). */
	__u64 detail;    /**< Out: 0. */
	__u32 present;   /**< Out: 1 if a hypervisor answers memtalk, else 0. */
	__u32 host_version; /**< Out: the host's version word (major << 16 | minor), 0 if absent. */
	__u32 base;      /**< Out: function-number base in use, 0 if absent. */
	__u32 functions; /**< Out: the host's bitmap of implemented functions, 0 if absent. */
	char conduit[16]; /**< Out: "hvc", "vmcall", "vmmcall", "loopback" or "none", NUL-ended. */
	char reason[160]; /**< Out: why memtalk is not present, NUL-ended; "" when present. */
};

/** @brief SET_BUDGET: the channels named in `flags` change, the others keep their budget. */
struct membw_memtalk_dev_set {
	__u32 size;      /**< In: sizeof(struct membw_memtalk_dev_set) as the caller knows it. */
	__u32 version;   /**< In: ::MEMBW_MEMTALK_DEV_VERSION. */
	__s64 status;    /**< Out: the host's memtalk status (0 OK, or a refusal). */
	__u64 detail;    /**< Out: the answer's `r1` on a refusal (docs/memtalk.md §4), else 0. */
	__u32 flags;     /**< In: ::MEMBW_MEMTALK_DEV_SET_READ and/or ::MEMBW_MEMTALK_DEV_SET_WRITE. */
	__u32 reserved;  /**< In: 0. */
	__u64 read_bps;  /**< In: read budget, bytes/s, if flagged. Out (status 0): the one stored. */
	__u64 write_bps; /**< In: write-back budget, bytes/s, if flagged. Out (status 0): stored. */
};
#define MEMBW_MEMTALK_DEV_SET_READ 1u  /**< `flags`: set the read budget to `read_bps`. */
#define MEMBW_MEMTALK_DEV_SET_WRITE 2u /**< `flags`: set the write-back budget to `write_bps`. */

/** @brief GET_BUDGET of both channels: budget in force, cap and floor, bytes/s. */
struct membw_memtalk_dev_budget {
	__u32 size;      /**< In: sizeof(struct membw_memtalk_dev_budget) as the caller knows it. */
	__u32 version;   /**< In: ::MEMBW_MEMTALK_DEV_VERSION. */
	__s64 status;    /**< Out: the host's memtalk status. */
	__u64 detail;    /**< Out: the answer's `r1` on a refusal, else 0. */
	__u64 budget_bps[2]; /**< Out: budget in force, [0] read, [1] write-back. */
	__u64 cap_bps[2];    /**< Out: the VM's cap per channel. */
	__u64 floor_bps[2];  /**< Out: the VM's floor per channel. */
};

/** @brief GET_STATS: one snapshot, all four pages (docs/memtalk.md §3). */
struct membw_memtalk_dev_stats {
	__u32 size;      /**< In: sizeof(struct membw_memtalk_dev_stats) as the caller knows it. */
	__u32 version;   /**< In: ::MEMBW_MEMTALK_DEV_VERSION. */
	__s64 status;    /**< Out: the host's memtalk status. */
	__u64 detail;    /**< Out: the answer's `r1` on a refusal, else 0. */
	__u64 sequence;       /**< Out: snapshot sequence number. */
	__u64 periods;        /**< Out: periods closed. */
	__u64 period_ns;      /**< Out: the host's period, ns. */
	__u64 throttled_ns;   /**< Out: throttled time, ns. */
	__u64 throttle_count; /**< Out: periods with throttling. */
	__u64 missed_periods; /**< Out: missed periods. */
	__u64 used_bytes[2];      /**< Out: bytes moved, [0] read, [1] write-back. */
	__u64 allowance_bytes[2]; /**< Out: bytes allowed. */
	__u64 overshoot_bytes[2]; /**< Out: bytes past the allowance. */
};

/** @name ioctl commands (argument: a pointer to the structure)
 * @{ */
/** @brief No call is made; works when memtalk is not present. */
#define MEMBW_MEMTALK_IOC_INFO _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 0, struct membw_memtalk_dev_info)
/**
 * @brief SET_BUDGET; a channel not flagged is read with GET_BUDGET first, under the same lock.
 *        Needs the file open for writing.
 */
#define MEMBW_MEMTALK_IOC_SET_BUDGET _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 1, struct membw_memtalk_dev_set)
/** @brief GET_BUDGET of both channels. */
#define MEMBW_MEMTALK_IOC_GET_BUDGET \
	_IOWR(MEMBW_MEMTALK_IOC_MAGIC, 2, struct membw_memtalk_dev_budget)
/** @brief GET_STATS, pages 0..3 (page 0 is rate-limited by the host). */
#define MEMBW_MEMTALK_IOC_GET_STATS _IOWR(MEMBW_MEMTALK_IOC_MAGIC, 3, struct membw_memtalk_dev_stats)
/** @} */

#endif /* MEMBW_MEMTALK_DEV_H */
