/* SPDX-License-Identifier: MIT */
/**
 * @file membw.h
 * @brief libmembw: memory-bandwidth regulation in the MemGuard tradition, as a portable library.
 *
 * Include this one header. It pulls in:
 * - types.h: integer types, channel numbers, limits;
 * - errors.h: error codes (negative errno values, Linux's numbers);
 * - config.h: what is fixed at creation (period, CPUs, domains, counted levels, modes);
 * - backend.h: the counter-backend interface hardware backends implement;
 * - env.h: the runtime's services (throttle, unthrottle, kick) and trace records;
 * - policy.h: storage, creation, the entry points a runtime calls, budget and mode changes;
 * - stats.h: statistics per CPU and per domain;
 * - units.h: parsing and printing "500MB/s" and "1ms";
 * - version.h: the version of these headers and of the library loaded.
 *
 * memtalk, the guest-to-hypervisor bandwidth call, is a library of its own with its own headers:
 * memtalk_abi.h (the wire format), memtalk_guest.h (a guest's calls) and memtalk_host.h (the
 * hypervisor's dispatcher). Include the ones you need.
 */
#ifndef MEMBW_MEMBW_H
#define MEMBW_MEMBW_H

#include <membw/types.h>
#include <membw/errors.h>
#include <membw/config.h>
#include <membw/backend.h>
#include <membw/env.h>
#include <membw/policy.h>
#include <membw/stats.h>
#include <membw/units.h>
#include <membw/version.h>

#endif /* MEMBW_MEMBW_H */
