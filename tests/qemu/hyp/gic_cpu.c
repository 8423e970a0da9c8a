/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU GICv3 for the hypervisor: the platform's gic.c serves one core (one redistributor, one
 * handler table), so each CPU here sets up its own redistributor and takes its interrupts through
 * the system-register CPU interface, which is banked per CPU. GICv3 was chosen over GICv2 for
 * that reason: at EL2 the ICC_* registers need no memory map and no per-CPU banking by address.
 * The distributor (GICD_CTLR.ARE, group enables) was set up once by the platform on CPU 0.
 *
 * Offsets: GICv3 architecture specification (IHI 0069) chapter 12; addresses are QEMU virt's.
 */
#include "hyp.h"
#include "mmio.h"
#include "sysreg.h"

#define GICR_BASE 0x080A0000ul
#define GICR_FRAME_STRIDE 0x20000ul /* RD_base + SGI_base, 64 KiB each (GICv3, not v4) */
#define GICR_SGI_OFFSET 0x10000ul
#define GICR_TYPER 0x8
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER 0x14
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_ICENABLER0 0x180
#define GICR_IPRIORITYR 0x400
#define ICC_IAR_INTID_MASK 0xffffffu
#define PPI_PRIORITY 0x80u

/* This CPU's redistributor: the frame whose GICR_TYPER.Affinity [63:32] is our MPIDR's
 * Aff3.Aff2.Aff1.Aff0. */
static uintptr_t my_redistributor(void)
{
	uint64_t mpidr = read_mpidr();
	uint64_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	uintptr_t rd = GICR_BASE;

	for (;;) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			platform_panic("hyp: no GICv3 redistributor for MPIDR 0x%llx",
				       (unsigned long long)mpidr);
		rd += GICR_FRAME_STRIDE;
	}
}

void gic_cpu_init(void)
{
	uintptr_t rd = my_redistributor();
	uintptr_t sgi = rd + GICR_SGI_OFFSET;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	mmio_write32(sgi + GICR_ICENABLER0, 0xffffffffu);
	mmio_write32(sgi + GICR_IGROUPR0, 0xffffffffu); /* group 1: non-secure IRQs */
	dsb_sy();
	/* ICC_SRE_EL2 = SRE | DFB | DIB | Enable: system registers at EL2 (and allowed at EL1). */
	write_icc_sre_el2(0xf);
	isb();
	write_icc_pmr(0xff);
	write_icc_bpr1(0);
	write_icc_igrpen1(1);
	isb();
}

void gic_cpu_enable_ppi(unsigned int intid)
{
	uintptr_t sgi = my_redistributor() + GICR_SGI_OFFSET;
	uintptr_t reg = sgi + GICR_IPRIORITYR + (intid & ~3u);
	unsigned int shift = (intid & 3u) * 8u;
	uint32_t v = mmio_read32(reg);

	v &= ~(0xffu << shift);
	mmio_write32(reg, v | PPI_PRIORITY << shift);
	dsb_sy();
	mmio_write32(sgi + GICR_ISENABLER0, 1u << intid);
	dsb_sy();
}

uint32_t gic_cpu_ack(void)
{
	return (uint32_t)read_icc_iar1() & ICC_IAR_INTID_MASK;
}

void gic_cpu_eoi(uint32_t intid)
{
	write_icc_eoir1(intid);
	isb();
}
