/* SPDX-License-Identifier: MIT */
/*
 * Multiboot entry of the x86-64 bare-metal test image (tests/x86/baremetal). QEMU's -kernel loads
 * a multiboot (v1) image and enters it in 32-bit protected mode with paging off (EAX =
 * 0x2BADB002). QEMU refuses 64-bit ELF multiboot kernels, so the header uses the "a.out kludge"
 * (flags bit 16: load addresses given here) and the image is a flat binary. The code below
 * identity-maps the first 4 GiB with 2 MiB pages (the local APIC page at 0xFEE00000 included),
 * enables PAE and long mode, loads a GDT with a 64-bit code segment and calls bm_main() in 64-bit
 * mode with an IDT whose 32 exception vectors all report and exit (bm_fault()).
 */
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0x00010000
	.section .multiboot, "ax"
	.code32
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header		/* header_addr */
	.long __image_start	/* load_addr */
	.long __data_end	/* load_end_addr */
	.long __bss_end		/* bss_end_addr */
	.long start32		/* entry_addr */

	.text
	.code32
	.globl start32
start32:
	cli
	movl $stack_top, %esp
	/* PML4[0] -> PDPT; PDPT[0..3] -> PD[0..3]; each PD entry a 2 MiB page (P | RW | PS). */
	movl $pdpt, %eax
	orl $0x3, %eax
	movl %eax, pml4
	movl $0, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $pd, %eax
	orl $0x3, %eax
	movl %eax, pdpt(,%ecx,8)
	incl %ecx
	cmpl $4, %ecx
	jne 1b
	movl $0, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, pd(,%ecx,8)
	movl $0, pd+4(,%ecx,8)	/* bits 63:32: 0 below 4 GiB */
	incl %ecx
	cmpl $2048, %ecx
	jne 2b
	movl $pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax	/* PAE */
	movl %eax, %cr4
	movl $0xC0000080, %ecx	/* IA32_EFER */
	rdmsr
	orl $(1 << 8), %eax	/* LME */
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax	/* PG | PE */
	movl %eax, %cr0
	lgdt gdt_ptr
	ljmp $0x08, $start64

	.code64
start64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movq $stack_top, %rsp
	call bm_main
3:	hlt
	jmp 3b

/* Exception stubs, 16 bytes apart: push the vector, go to the common path. */
	.align 16
	.globl bm_vectors
bm_vectors:
	.set vec, 0
	.rept 32
	.align 16
	pushq $vec
	jmp fault_common
	.set vec, vec + 1
	.endr
fault_common:
	movq (%rsp), %rdi	/* the vector */
	movq 8(%rsp), %rsi	/* error code or return RIP, as the vector has it */
	andq $-16, %rsp
	call bm_fault
4:	hlt
	jmp 4b

	.section .rodata
	.align 8
gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF	/* 0x08: 64-bit code, present, ring 0 */
	.quad 0x00CF92000000FFFF	/* 0x10: data */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.long gdt

	.section .bss
	.align 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096 * 4
	.align 16
	.skip 65536
stack_top:
