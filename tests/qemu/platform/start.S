/* SPDX-License-Identifier: MIT */
/*
 * Start code. QEMU's -kernel loads the ELF and enters _start at EL1 (plain virt) or at EL2
 * (virt,virtualization=on), MMU off, interrupts masked. We configure EL2 if we are there, drop to
 * EL1 unless the image asked to stay (platform_boot_el == 2), set the stack and vector table,
 * clear .bss, and call platform_main().
 *
 * Register values are from the Arm ARM (DDI 0487) register descriptions:
 *   HCR_EL2.RW [31] = 1: EL1 is AArch64; staying at EL2 also AMO [5], IMO [4], FMO [3].
 *   CNTHCTL_EL2 (E2H = 0): EL1PCTEN [0], EL1PCEN [1] = 1: EL1/EL0 may use the physical counter
 *     and timer without trapping.
 *   CPTR_EL2 (E2H = 0) = 0x33ff: RES1 bits [13:12], [9:0]; TFP [10] = 0, no FP/SIMD trap.
 *   MDCR_EL2.HPMN [4:0] = PMCR_EL0.N [15:11]: every event counter belongs to EL1/EL0.
 *   ICC_SRE_EL2 = 0xf: SRE, DFB, DIB, Enable (EL1 may use the GICv3 system registers).
 *   SCTLR_EL1 = 0x30d00800, SCTLR_EL2 = 0x30c50830: the RES1 bits only (MMU, caches and alignment
 *     checks off; little-endian).
 *   SPSR_EL2 = 0x3c5: EL1h with D, A, I, F masked.
 */
	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	adr	x1, platform_entry_el_value
	str	w0, [x1]
	cmp	x0, #2
	b.eq	at_el2
	cmp	x0, #1
	b.eq	at_el1
	b	.			/* EL3 (secure=on) is not supported: hang, the runner's timeout reports it */

at_el2:
	mov	x0, #(1 << 31)
	msr	hcr_el2, x0
	mov	x0, #3
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* MDCR_EL2.HPMN = PMCR_EL0.N, only if a PMU is implemented (ID_AA64DFR0_EL1.PMUVer [11:8]
	 * is neither 0 nor 0xf), since PMCR_EL0 is UNDEFINED without one. */
	mrs	x0, id_aa64dfr0_el1
	ubfx	x0, x0, #8, #4
	cbz	x0, 1f
	cmp	x0, #0xf
	b.eq	1f
	mrs	x0, pmcr_el0
	ubfx	x0, x0, #11, #5
	msr	mdcr_el2, x0
1:	/* GICv3 system-register interface present: ID_AA64PFR0_EL1.GIC [27:24] != 0 */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mov	x0, #0xf
	msr	S3_4_C12_C9_5, x0	/* ICC_SRE_EL2 */
	isb
2:	ldr	x0, =platform_boot_el
	cbz	x0, drop_to_el1		/* weak, undefined: the default, EL1 */
	ldr	w0, [x0]
	cmp	w0, #2
	b.ne	drop_to_el1
	ldr	x0, =0x30c50830
	msr	sctlr_el2, x0
	/* Staying at EL2: physical IRQ/FIQ/SError must route to EL2 (HCR_EL2.IMO/FMO/AMO), else
	 * they target EL1, below the current EL, and are never taken here (Arm ARM, "Asynchronous
	 * exception routing"). A hypervisor wants them anyway. */
	ldr	x0, =((1 << 31) | (1 << 5) | (1 << 4) | (1 << 3))
	msr	hcr_el2, x0
	isb
	adr	x0, vectors_el2
	msr	vbar_el2, x0
	b	common

drop_to_el1:
	ldr	x0, =0x30d00800
	msr	sctlr_el1, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	adr	x0, at_el1
	msr	elr_el2, x0
	eret

at_el1:
	ldr	x0, =0x30d00800
	msr	sctlr_el1, x0
	isb
	adr	x0, vectors_el1
	msr	vbar_el1, x0

common:
	msr	spsel, #1
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:	isb
	bl	platform_main
	b	.

	.weak	platform_boot_el

	.data
	.balign	4
	.global	platform_entry_el_value
platform_entry_el_value:
	.word	0
