/* SPDX-License-Identifier: MIT */
/* Links between the platform's own files (not for images). */
#ifndef PLATFORM_INTERNAL_H
#define PLATFORM_INTERNAL_H

#include <stdint.h>

#include "platform.h"

/* Exception kinds passed by vectors.S (an IRQ passes none) */
#define PLATFORM_EXC_SYNC_CURRENT 0u
#define PLATFORM_EXC_SYNC_LOWER 2u

void platform_main(void);
void platform_sync(struct platform_frame *frame, uint64_t kind);
/* An IRQ, from the current or a lower EL (the IRQ frame of frame.h is saved, not passed). */
void platform_irq(void);
void platform_bad_exception(struct platform_frame *frame, uint64_t kind);
void __attribute__((noreturn)) platform_el0_resume(uint64_t result);
void gic_init(void);
/* Set up the tick/ns conversions from CNTFRQ_EL0 (timer.c); before any other timer call. */
void timer_init(void);

#endif /* PLATFORM_INTERNAL_H */
