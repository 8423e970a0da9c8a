/* SPDX-License-Identifier: MIT */
/*
 * A policy for kctl_apply() (kmod/control_parse.h) that records every change and fails the one it
 * is told to, shared by the host suites and the fuzz target.
 */
#ifndef MEMBW_TEST_FAKE_POLICY_H
#define MEMBW_TEST_FAKE_POLICY_H

#include "control_parse.h"

#define FAKE_MAX_CPUS 8u

struct fake_policy {
	uint64_t budget[2 * FAKE_MAX_CPUS][MEMBW_NCHANNELS]; /* per domain */
	uint32_t domain[FAKE_MAX_CPUS];                      /* per CPU */
	bool reclaim;
	unsigned int sharing;
	unsigned int changes; /* changes asked for so far */
	unsigned int fail_at; /* the change (1, 2, ...) that fails with -MEMBW_EAGAIN; 0: none */
};

extern struct fake_policy fake_policy;
/* The operations on fake_policy. */
extern const struct kctl_ops fake_ops;

#endif
