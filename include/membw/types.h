/* SPDX-License-Identifier: MIT */
/**
 * @file types.h
 * @brief Integer types, export markers and compile-time facts shared by every public header.
 *
 * Public headers use only fixed-width integers, `bool` and `size_t`. Under `__KERNEL__` they come
 * from `<linux/types.h>`; everywhere else from the freestanding C headers, so the same headers serve
 * a Linux module, a hypervisor at EL2 and a userspace program.
 */
#ifndef MEMBW_TYPES_H
#define MEMBW_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

/**
 * @brief Marks a function exported from `libmembw.so`.
 *
 * The shared library is built with hidden visibility; only declarations carrying this marker (all of
 * them named `membw_...`) are visible to programs linking it.
 */
#if defined(__GNUC__) && !defined(__KERNEL__)
#define MEMBW_API __attribute__((visibility("default")))
#else
#define MEMBW_API
#endif

/** @brief Number of counter channels the policy knows: reads (line refills) and write-backs. */
#define MEMBW_NCHANNELS 2u
/** @brief Channel index of line refills from DRAM (reads). */
#define MEMBW_CH_READ 0u
/** @brief Channel index of line write-backs to DRAM (writes). */
#define MEMBW_CH_WRITE 1u

/** @brief "No domain": a CPU assigned here is counted but never throttled. */
#define MEMBW_NO_DOMAIN 0xFFFFFFFFu

/** @brief A rate in bytes per second meaning "no limit": counted, never throttled. */
#define MEMBW_UNLIMITED (~(uint64_t)0)

/** @brief Largest number of CPUs one policy instance manages. */
#define MEMBW_MAX_CPUS 4096u
/** @brief Largest number of domains one policy instance manages. */
#define MEMBW_MAX_DOMAINS 4096u

/**
 * @brief Largest budget of one domain and channel, in events (cache lines) per period.
 *
 * 2^32 - 2 lines is 256 GiB per period at 64-byte lines. Rates that convert to more are refused with
 * `-MEMBW_ERANGE`; use ::MEMBW_UNLIMITED for "no limit".
 */
#define MEMBW_MAX_EVENTS_PER_PERIOD 0xFFFFFFFEu

#endif /* MEMBW_TYPES_H */
