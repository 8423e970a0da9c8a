/* SPDX-License-Identifier: MIT */
/*
 * Entry of the bare-metal domU: an arm64 Linux "Image" header, which is what Xen's dom0less
 * loader accepts for a 64-bit domU kernel (docs/xen.md#xen-domu-image: code0 at 0, text_offset at
 * 8, image_size at 16, flags at 24, magic "ARM\x64" at 56). Xen loads the image at guest RAM
 * base + text_offset and enters it at EL1, MMU off, x0 = the device tree. Linked with the QEMU
 * platform's tests/qemu/platform/image.ld: the same address, 0x40080000, and the same
 * __bss_start, __bss_end and __stack_top. Every address is taken PC-relative (ADRP + ADD), so
 * the same entry serves tests/xen/dom0.c, which Xen loads wherever dom0's memory lies.
 */
	.section .text.boot, "ax"
	.globl _start
_start:
	b	1f			/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset: linked at 0x40080000 (domU RAM 0x40000000) */
	.quad	__stack_top - _start	/* image_size: all the image uses, BSS and stack included */
	.quad	0xa			/* flags: little-endian, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
1:
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:	bl	domu_main
4:	wfi
	b	4b

/* vCPU 1 of a two-vCPU domU (the "pair" image starts it with PSCI CPU_ON at this address, MMU
 * off, EL1): the upper half of the stack is vCPU 0's, the lower half its own. */
	.globl	domu_secondary_entry
domu_secondary_entry:
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	sub	sp, x1, #0x8000
	bl	domu_secondary_main
5:	wfi
	b	5b
