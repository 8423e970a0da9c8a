/* SPDX-License-Identifier: MIT */
/*
 * What the armv8 backend's QEMU tests share: the backend_ctx for EL1 on QEMU. (Which event
 * counters back a channel comes from the backend: armv8_channel_counters().)
 */
#ifndef QEMU_ARMV8_QEMU_H
#define QEMU_ARMV8_QEMU_H

#include "armv8.h"

/* An EL1 context handing the backend every event counter (PMCR_EL0.N of them) with @flags. */
void armv8_qemu_ctx(struct armv8_ctx *ctx, uint32_t flags, uint32_t want_channels);

#endif /* QEMU_ARMV8_QEMU_H */
