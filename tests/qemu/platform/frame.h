/* SPDX-License-Identifier: MIT */
/*
 * The exception frames, saved on the stack by assembler macros shared by the platform's vectors
 * (vectors.S, EL1 and EL2) and the test hypervisor's EL2 vectors (tests/qemu/hyp/vectors.S), so
 * each layout is written once.
 *
 * The full frame (struct platform_frame in platform.h, synchronous exceptions): x0..x30, ELR,
 * SPSR, ESR = 34 x 8 = 272 bytes, which a handler may read and change.
 *
 * The IRQ frame (platform's vectors only): what the call into C may clobber and nothing more.
 * AAPCS64 (the Arm 64-bit procedure call standard, "General-purpose registers") makes a called
 * function preserve x19..x29 and SP, so an interrupt entry that only calls a C function (and does
 * not switch to another context) need not save them; x0..x18 and x30 (the link register the BL
 * overwrites) it must. The flags are in SPSR; no FP/SIMD register is touched (the platform is
 * built with -mgeneral-regs-only). ELR and SPSR are saved so that an exception taken inside the
 * handler cannot lose the interrupted context. Layout: x0..x17 at the full frame's offsets,
 * x18 and x30 at 144, ELR and SPSR at 160: 22 x 8 = 176 bytes (SP stays 16-byte aligned).
 */
#ifndef QEMU_PLATFORM_FRAME_H
#define QEMU_PLATFORM_FRAME_H

#define PLATFORM_FRAME_SIZE 272
#define PLATFORM_IRQ_FRAME_SIZE 176

#ifdef __ASSEMBLER__
/* @op (stp or ldp) on x4..x17 and x18..x29 at their frame offsets (the same in both frames for
 * x0..x17). */
.macro FRAME_PAIRS_X4_X17 op
	\op	x4, x5, [sp, #32]
	\op	x6, x7, [sp, #48]
	\op	x8, x9, [sp, #64]
	\op	x10, x11, [sp, #80]
	\op	x12, x13, [sp, #96]
	\op	x14, x15, [sp, #112]
	\op	x16, x17, [sp, #128]
.endm

.macro FRAME_PAIRS_X4_X29 op
	FRAME_PAIRS_X4_X17 \op
	\op	x18, x19, [sp, #144]
	\op	x20, x21, [sp, #160]
	\op	x22, x23, [sp, #176]
	\op	x24, x25, [sp, #192]
	\op	x26, x27, [sp, #208]
	\op	x28, x29, [sp, #224]
.endm

/* Entry, split so that code may run between the two halves with only x0 and x1 free. */
.macro FRAME_PUSH_X0_X1 size=PLATFORM_FRAME_SIZE
	sub	sp, sp, #\size
	stp	x0, x1, [sp, #0]
.endm

.macro FRAME_SAVE_FROM_X2 el
	stp	x2, x3, [sp, #16]
	FRAME_PAIRS_X4_X29 stp
	mrs	x0, elr_el\el
	stp	x30, x0, [sp, #240]
	mrs	x0, spsr_el\el
	mrs	x1, esr_el\el
	stp	x0, x1, [sp, #256]
.endm

.macro FRAME_SAVE el
	FRAME_PUSH_X0_X1
	FRAME_SAVE_FROM_X2 \el
.endm

/* Exit, split the same way: after FRAME_RESTORE_TO_X4, x0..x3 are still free. */
.macro FRAME_RESTORE_TO_X4 el
	ldp	x0, x1, [sp, #256]
	msr	spsr_el\el, x0
	ldp	x30, x0, [sp, #240]
	msr	elr_el\el, x0
	FRAME_PAIRS_X4_X29 ldp
.endm

.macro FRAME_POP_X0_X3_ERET size=PLATFORM_FRAME_SIZE
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #\size
	eret
.endm

.macro FRAME_RESTORE_ERET el
	FRAME_RESTORE_TO_X4 \el
	FRAME_POP_X0_X3_ERET
.endm

/* The IRQ frame, split the same way as the full one (FRAME_PUSH_X0_X1 and FRAME_POP_X0_X3_ERET
 * with PLATFORM_IRQ_FRAME_SIZE around these). */
.macro IRQ_FRAME_SAVE_FROM_X2 el
	stp	x2, x3, [sp, #16]
	FRAME_PAIRS_X4_X17 stp
	mrs	x0, elr_el\el
	mrs	x1, spsr_el\el
	stp	x18, x30, [sp, #144]
	stp	x0, x1, [sp, #160]
.endm

.macro IRQ_FRAME_RESTORE_TO_X4 el
	ldp	x0, x1, [sp, #160]
	msr	elr_el\el, x0
	msr	spsr_el\el, x1
	ldp	x18, x30, [sp, #144]
	FRAME_PAIRS_X4_X17 ldp
.endm
#endif /* __ASSEMBLER__ */

#endif /* QEMU_PLATFORM_FRAME_H */
