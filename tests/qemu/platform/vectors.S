/* SPDX-License-Identifier: MIT */
/*
 * Vector tables for EL1 and EL2, made from one macro (the two differ only in the ELR/SPSR/ESR
 * registers they save). Layout (Arm ARM D1.10.2): 16 entries of 0x80 bytes; the table is
 * 2 KiB-aligned. Handled: synchronous and IRQ from the current EL with SP_ELx, and from a lower
 * EL in AArch64. Everything else is fatal (platform_bad_exception prints it and exits).
 *
 * Synchronous and unexpected exceptions save the full frame (struct platform_frame in
 * platform.h), which their C handler gets; an IRQ saves the IRQ frame, only what the call of
 * platform_irq() may clobber (frame.h and docs/porting.md, "The interrupt path on bare metal",
 * say why that is enough), and passes nothing: no IRQ handler reads or changes the interrupted
 * registers, and none switches context (platform_run_el0() returns from EL0 through a
 * synchronous SVC).
 */
#include "frame.h"

/* kind: 0 sync current EL, 2 sync lower EL, 4+ unexpected (internal.h) */
.macro HANDLER el, name, kind, cfunc
\name\()_el\el:
	FRAME_SAVE \el
	mov	x0, sp
	mov	x1, #\kind
	bl	\cfunc
	FRAME_RESTORE_ERET \el
.endm

#ifdef PLATFORM_IRQ_STAMPS
/*
 * The benchmark's variant (build/qemu/.../vectors_stamp.o, see platform.h "IRQ stamps"): an IRQ
 * reads PMXEVCNTR_EL0 (the counter PMSELR_EL0 selects: the benchmark's witness) once x0/x1 are
 * saved at entry, and again at exit once everything but x0..x3 is restored, and adds the
 * difference to platform_irq_stamps.total[bucket]. Outside the measured span: the 4 instructions
 * up to the entry read (the vector's B, SUB, STP, ISB) and the 16 after the exit read (this
 * bookkeeping, 2 LDP, ADD, ERET); the same in every stamped IRQ.
 */
	.bss
	.balign	8
	.global	platform_irq_stamps
platform_irq_stamps:			/* struct platform_irq_stamps: entry, bucket, total[2], count[2] */
	.skip	48
	.text

/* Entry: x0 and x1 saved, the others live. Exit: all but x0..x3 restored. */
.macro IRQ_STAMP_ENTRY
	isb
	mrs	x0, pmxevcntr_el0
	adrp	x1, platform_irq_stamps
	str	x0, [x1, :lo12:platform_irq_stamps]
.endm

.macro IRQ_STAMP_EXIT
	isb
	mrs	x0, pmxevcntr_el0
	adrp	x1, platform_irq_stamps
	add	x1, x1, :lo12:platform_irq_stamps
	ldr	x2, [x1, #0]		/* entry */
	sub	x0, x0, x2
	ldr	x2, [x1, #8]		/* bucket (0 or 1) */
	add	x1, x1, x2, lsl #3
	ldr	x2, [x1, #16]		/* total[bucket] */
	add	x2, x2, x0
	str	x2, [x1, #16]
	ldr	x2, [x1, #32]		/* count[bucket] */
	add	x2, x2, #1
	str	x2, [x1, #32]
.endm
#else
.macro IRQ_STAMP_ENTRY
.endm

.macro IRQ_STAMP_EXIT
.endm
#endif

/* The IRQ vector, the same with and without stamps but for them. */
.macro IRQ_HANDLER el, name
\name\()_el\el:
	FRAME_PUSH_X0_X1 PLATFORM_IRQ_FRAME_SIZE
	IRQ_STAMP_ENTRY
	IRQ_FRAME_SAVE_FROM_X2 \el
	bl	platform_irq
	IRQ_FRAME_RESTORE_TO_X4 \el
	IRQ_STAMP_EXIT
	FRAME_POP_X0_X3_ERET PLATFORM_IRQ_FRAME_SIZE
.endm

.macro ENTRY target
	.balign	0x80
	b	\target
.endm

.macro TABLE el
	.balign	0x800
	.global	vectors_el\el
vectors_el\el:
	ENTRY	bad_el\el		/* current EL, SP_EL0: sync */
	ENTRY	bad_el\el		/* IRQ */
	ENTRY	bad_el\el		/* FIQ */
	ENTRY	bad_el\el		/* SError */
	ENTRY	sync_cur_el\el		/* current EL, SP_ELx: sync */
	ENTRY	irq_cur_el\el		/* IRQ */
	ENTRY	bad_el\el		/* FIQ */
	ENTRY	bad_el\el		/* SError */
	ENTRY	sync_low_el\el		/* lower EL, AArch64: sync */
	ENTRY	irq_low_el\el		/* IRQ */
	ENTRY	bad_el\el		/* FIQ */
	ENTRY	bad_el\el		/* SError */
	ENTRY	bad_el\el		/* lower EL, AArch32: sync */
	ENTRY	bad_el\el
	ENTRY	bad_el\el
	ENTRY	bad_el\el
	.balign	0x80
	HANDLER	\el, sync_cur, 0, platform_sync
	IRQ_HANDLER \el, irq_cur
	HANDLER	\el, sync_low, 2, platform_sync
	IRQ_HANDLER \el, irq_low
	HANDLER	\el, bad, 4, platform_bad_exception
.endm

	.text
	TABLE	1
	TABLE	2
