/* SPDX-License-Identifier: MIT */
/*
 * The test hypervisor's EL2 vector table, CPU 1's entry after PSCI CPU_ON, and the guest entry.
 *
 * Vector layout (Arm ARM D1.10.2): 16 entries of 0x80 bytes, table 2 KiB-aligned. The hypervisor
 * itself always runs with interrupts masked, so only exceptions from the guests (lower EL,
 * AArch64, or a guest's EL0 in AArch32) are expected: synchronous (HVC, a trapped SMC, a trapped
 * register, anything else a guest can make trap) and IRQ. The rest is fatal.
 *
 * The saved frame is struct platform_frame, saved and restored by the platform's macros
 * (tests/qemu/platform/frame.h) with ELR_EL2, SPSR_EL2 and ESR_EL2. The handlers may change it
 * (results in x0..x3, ELR past a trapped SMC); it is restored by ERET.
 */
#include "frame.h"

.macro VECTOR target
	.balign	0x80
	b	\target
.endm

	.text
	.balign	0x800
	.global	hyp_vectors
hyp_vectors:
	VECTOR	hyp_bad		/* current EL, SP_EL0: sync, IRQ, FIQ, SError */
	VECTOR	hyp_bad
	VECTOR	hyp_bad
	VECTOR	hyp_bad
	VECTOR	hyp_bad		/* current EL, SP_EL2: the hypervisor faulted */
	VECTOR	hyp_bad
	VECTOR	hyp_bad
	VECTOR	hyp_bad
	VECTOR	hyp_sync_lower	/* lower EL, AArch64: sync */
	VECTOR	hyp_irq_lower	/* IRQ */
	VECTOR	hyp_bad		/* FIQ */
	VECTOR	hyp_bad		/* SError */
	VECTOR	hyp_sync_lower	/* lower EL, AArch32 (a guest's EL0): sync, answered like AArch64's */
	VECTOR	hyp_irq_lower	/* IRQ */
	VECTOR	hyp_bad		/* FIQ */
	VECTOR	hyp_bad		/* SError */

	.balign	0x80
hyp_sync_lower:
	FRAME_SAVE 2
	mov	x0, sp
	bl	hyp_trap_sync
	FRAME_RESTORE_ERET 2

hyp_irq_lower:
	FRAME_SAVE 2
	mov	x0, sp
	bl	hyp_trap_irq
	FRAME_RESTORE_ERET 2

hyp_bad:
	FRAME_SAVE 2
	mov	x0, sp
	bl	hyp_trap_bad
	b	.

/*
 * CPU 1 starts here at EL2 (PSCI CPU_ON from CPU 0), MMU off, with x0 = the context id, which
 * CPU 0 set to CPU 1's stack top. SCTLR_EL2 gets its RES1 bits only (as the platform's start
 * code does for CPU 0: MMU, caches and alignment checks off); C does the rest.
 */
	.global	hyp_secondary_entry
hyp_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	sp, x0
	ldr	x1, =0x30c50830
	msr	sctlr_el2, x1
	isb
	bl	hyp_secondary_main
	b	.

/* hyp_enter_guest(entry, stack_top, arg): ERET to EL1h, interrupts masked at EL1 (physical
 * IRQs still reach EL2 through HCR_EL2.IMO). */
	.global	hyp_enter_guest
hyp_enter_guest:
	msr	elr_el2, x0
	msr	sp_el1, x1
	mov	x0, #0x3c5		/* SPSR_EL1H_MASKED */
	msr	spsr_el2, x0
	mov	x0, x2
	mov	x1, xzr
	mov	x2, xzr
	isb
	eret
