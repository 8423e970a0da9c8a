/* SPDX-License-Identifier: MIT */
/*
 * What the armv8 backend's QEMU tests share: the backend_ctx for EL1 on QEMU, and which event
 * counters back a channel (to make SW_INCR events on them).
 */
#ifndef QEMU_ARMV8_QEMU_H
#define QEMU_ARMV8_QEMU_H

#include "armv8.h"

/* An EL1 context handing the backend every event counter (PMCR_EL0.N of them) with @flags. */
void armv8_qemu_ctx(struct armv8_ctx *ctx, uint32_t flags, uint32_t want_channels);

/* PMSWINC_EL0 / PMCNTEN bits of the counters behind channel @ch after a successful probe of
 * @ctx: the channel's counter and, with the workaround, its shadow. */
uint32_t armv8_qemu_channel_bits(const struct armv8_ctx *ctx, unsigned int ch);

#endif /* QEMU_ARMV8_QEMU_H */
