/* SPDX-License-Identifier: MIT */
/*
 * What the armv8 backend's QEMU tests share: the backend_ctx for EL1 on QEMU, and the backend
 * under test on one CPU with one channel, with the overflow interrupt handler that records what
 * it saw. (Which event counters back a channel comes from the backend: armv8_channel_counters().)
 */
#ifndef QEMU_ARMV8_QEMU_H
#define QEMU_ARMV8_QEMU_H

#include <membw/membw.h>

#include "armv8.h"

/* An EL1 context handing the backend every event counter (PMCR_EL0.N of them) with @flags. */
void armv8_qemu_ctx(struct armv8_ctx *ctx, uint32_t flags, uint32_t want_channels);

/* The backend under test on the calling CPU, one channel (MEMBW_CH_READ). */
struct armv8_qemu_subject {
	struct armv8_ctx ctx; /* the caller fills it (armv8_qemu_ctx or an EL2 context) */
	struct membw_backend_info info;
	_Alignas(16) unsigned char priv[512];
	/* What armv8_qemu_on_overflow saw since armv8_qemu_irq_reset(). */
	volatile uint64_t irq_count;
	volatile uint64_t irq_value;     /* the channel's read in the last interrupt; ~0 if none */
	volatile unsigned int irq_acked; /* armv8_overflow_ack()'s channel mask in the last one */
};

/* Probe with @t->ctx into a cleared @t->info and @t->priv, checking that probe accepts and that
 * the backend's private state fits. True if both hold. */
bool armv8_qemu_probe(struct armv8_qemu_subject *t);
/* armv8_qemu_probe(), then cpu_init on CPU 0 with MEMBW_CH_READ counting @event at @levels
 * (MEMBW_COUNT_*), checked. True if every step succeeded. */
bool armv8_qemu_setup(struct armv8_qemu_subject *t, uint64_t event, uint32_t levels);
/* Forget earlier interrupts: count 0, value ~0, acked 0. */
void armv8_qemu_irq_reset(struct armv8_qemu_subject *t);
/* The PMU overflow handler (platform_irq_set_handler, @arg the subject): acks with
 * armv8_overflow_ack(), reads the channel, counts, and stops the channel so that a late second
 * wrap cannot interrupt again. */
void armv8_qemu_on_overflow(unsigned int intid, void *arg);
/* After arm(@budget) and a run past it with the late-overflow workaround: one interrupt came,
 * armv8_overflow_ack() named the read channel, and the handler read 0 (the interrupt came with
 * the @budget-th event, none counted past the wrap). One check per fact. */
void armv8_qemu_check_exact_overflow(const struct armv8_qemu_subject *t, uint64_t budget);

#endif /* QEMU_ARMV8_QEMU_H */
