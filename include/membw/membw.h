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
 * - env.h: the runtime's services (throttle, unthrottle, kick) and trace events;
 * - policy.h: storage, creation, the entry points a runtime calls, budget and mode changes;
 * - stats.h: statistics per CPU and per domain;
 * - units.h: parsing and printing "500MB/s" and "1ms";
 * - memtalk.h: the guest-to-hypervisor bandwidth ABI, its guest calls and host dispatcher.
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
#include <membw/memtalk.h>

#endif /* MEMBW_MEMBW_H */
