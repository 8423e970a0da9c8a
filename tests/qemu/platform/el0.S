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
	.text
	.global	platform_run_el0
platform_run_el0:
	adr	x9, el0_saved
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
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
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ldp	x10, x11, [x9, #96]
	mov	sp, x10
	msr	daif, x11
	ret

	.data
	.balign	16
el0_saved:
	.space	112
