/* SPDX-License-Identifier: MIT */
/*
 * The test hypervisor's EL2 vector table, CPU 1's entry after PSCI CPU_ON, and the guest entry.
 *
 * Vector layout (Arm ARM D1.10.2): 16 entries of 0x80 bytes, table 2 KiB-aligned. The hypervisor
 * itself always runs with interrupts masked, so only exceptions from the guests (lower EL,
 * AArch64, or a guest's EL0 in AArch32) are expected: synchronous (HVC, a trapped SMC, a trapped
 * register, anything else a guest can make trap) and IRQ. The rest is fatal.
 *
 * The saved frame is struct platform_frame: x0..x30, ELR_EL2, SPSR_EL2, ESR_EL2 (272 bytes). The
 * handlers may change it (results in x0..x3, ELR past a trapped SMC); it is restored by ERET.
 */
#define FRAME_SIZE 272

.macro SAVE_FRAME
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, elr_el2
	stp	x30, x0, [sp, #240]
	mrs	x0, spsr_el2
	mrs	x1, esr_el2
	stp	x0, x1, [sp, #256]
.endm

.macro RESTORE_FRAME_ERET
	ldp	x0, x1, [sp, #256]
	msr	spsr_el2, x0
	ldp	x30, x0, [sp, #240]
	msr	elr_el2, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

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
	SAVE_FRAME
	mov	x0, sp
	bl	hyp_trap_sync
	RESTORE_FRAME_ERET

hyp_irq_lower:
	SAVE_FRAME
	mov	x0, sp
	bl	hyp_trap_irq
	RESTORE_FRAME_ERET

hyp_bad:
	SAVE_FRAME
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
