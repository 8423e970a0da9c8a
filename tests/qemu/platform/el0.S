/* SPDX-License-Identifier: MIT */
/*
 * uint64_t platform_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top)
 *
 * Saves the caller's callee-saved registers, SP and DAIF, then ERETs to el0_trampoline at EL0t
 * (SPSR_EL1 = 0: EL0, AArch64, D/A/I/F unmasked), which calls fn(arg) and ends with SVC #0.
 * platform_sync() sees the SVC from EL0 and calls platform_el0_resume(result), which restores
 * the saved context and returns to platform_run_el0's caller as if from a call. The exception
 * frame of the SVC is simply dropped with the stack pointer. EL1 only; one core.
 */

/* @op (stp or ldp) on x19..x30 in el0_saved (at x9): the layout of the saved context, written
 * once for the save and the restore. SP and DAIF follow at #96. */
.macro CALLEE_SAVED op
	\op	x19, x20, [x9, #0]
	\op	x21, x22, [x9, #16]
	\op	x23, x24, [x9, #32]
	\op	x25, x26, [x9, #48]
	\op	x27, x28, [x9, #64]
	\op	x29, x30, [x9, #80]
.endm

	.text
	.global	platform_run_el0
platform_run_el0:
	adr	x9, el0_saved
	CALLEE_SAVED stp
	mov	x10, sp
	mrs	x11, daif
	stp	x10, x11, [x9, #96]
	msr	sp_el0, x2
	adr	x10, el0_trampoline
	msr	elr_el1, x10
	msr	spsr_el1, xzr
	mov	x2, x0
	mov	x0, x1
	mov	x1, x2
	isb
	eret

el0_trampoline:
	blr	x1
	svc	#0
	b	.

	.global	platform_el0_resume
platform_el0_resume:
	adr	x9, el0_saved
	CALLEE_SAVED ldp
	ldp	x10, x11, [x9, #96]
	mov	sp, x10
	msr	daif, x11
	ret

	.data
	.balign	16
el0_saved:
	.space	112
