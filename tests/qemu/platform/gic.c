/* SPDX-License-Identifier: MIT */
/*
 * The GIC of QEMU virt, v2 or v3, one core, SGIs and PPIs only (plus, for GICv3, the per-CPU
 * setup that code running on more cores, such as tests/qemu/hyp, calls on each). Which one is there comes from
 * ID_AA64PFR0_EL1.GIC (QEMU sets it exactly when a GICv3 CPU interface is connected; GICv3 code
 * on a GICv2 machine would abort at the redistributor).
 *
 * Register offsets: GICv3 architecture specification (IHI 0069) chapter 12; GICv2 (IHI 0048)
 * chapter 4. Addresses are QEMU virt's (hw/arm/virt.c memmap): GICD 0x08000000, GICC (v2)
 * 0x08010000, GICR (v3) 0x080A0000 with the SGI frame 64 KiB after each RD frame.
 */
#include "internal.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_BASE 0x08000000ul
#define GICC_BASE 0x08010000ul
#define GICR_BASE 0x080A0000ul
#define GICR_FRAME_STRIDE 0x20000ul /* RD_base + SGI_base, 64 KiB each (GICv3, not v4) */
#define GICR_SGI_OFFSET 0x10000ul

#define GICD_CTLR 0x0
#define GICD_CTLR_V2_ENABLE (1u << 0)
#define GICD_CTLR_V3_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_V3_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_V3_ARE (1u << 4)
#define GICD_CTLR_V3_RWP (1u << 31)
#define GICR_TYPER 0x8
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER 0x14
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
/* Same offsets in GICD (v2, banked for SGIs/PPIs) and in the GICR SGI frame (v3) */
#define GIC_IGROUPR0 0x80
#define GIC_ISENABLER0 0x100
#define GIC_ICENABLER0 0x180
#define GIC_IPRIORITYR 0x400
#define GICC_CTLR 0x0
#define GICC_CTLR_ENABLE (1u << 0)
#define GICC_PMR 0x4
#define GICC_BPR 0x8
#define GICC_IAR 0xc
#define GICC_EOIR 0x10
#define GICC_IAR_INTID_MASK 0x3ffu
#define ICC_SRE_EL1_SRE_DFB_DIB 0x7u
/* SRE | DFB | DIB | Enable: system registers at EL2, and EL1 may use ICC_SRE_EL1 untrapped. */
#define ICC_SRE_EL2_SRE_DFB_DIB_ENABLE 0xfu

#define IRQ_PRIORITY 0x80u

/* 32 bytes, so that the dispatch finds a slot with one shift. An unrouted INTID has
 * unhandled() as its handler, so that the dispatch needs no NULL test. */
struct irq_slot {
	platform_irq_fn fn;
	void *arg;
	uint64_t count;
	uint64_t unused;
};

static unsigned int version;
static uintptr_t ppi_base; /* GICD (v2) or this core's GICR SGI frame (v3) */
static struct irq_slot slots[PLATFORM_MAX_INTID];
static void (*exit_hook)(void);

static void unhandled(unsigned int intid, void *arg)
{
	(void)arg;
	platform_panic("interrupt %u has no handler", intid);
}

unsigned int gic_version(void)
{
	return version;
}

static uintptr_t gicr_find_self(void)
{
	uint64_t mpidr = read_mpidr();
	uint64_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	uintptr_t rd = GICR_BASE;

	for (;;) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			platform_panic("GICv3: no redistributor for MPIDR 0x%llx",
				       (unsigned long long)mpidr);
		rd += GICR_FRAME_STRIDE;
	}
}

void gicv3_cpu_init(void)
{
	uintptr_t rd = gicr_find_self();
	uintptr_t sgi = rd + GICR_SGI_OFFSET;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	/* Group 1 for every SGI/PPI: signalled as IRQ to the non-secure world. */
	mmio_write32(sgi + GIC_IGROUPR0, 0xffffffffu);
	mmio_write32(sgi + GIC_ICENABLER0, 0xffffffffu);
	dsb_sy();
	if (platform_el() == 1)
		write_icc_sre_el1(ICC_SRE_EL1_SRE_DFB_DIB);
	else
		write_icc_sre_el2(ICC_SRE_EL2_SRE_DFB_DIB_ENABLE);
	isb();
	write_icc_pmr(0xff);
	write_icc_bpr1(0);
	write_icc_igrpen1(1);
	isb();
}

static void gicv3_init(void)
{
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_V3_ARE);
	while (mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_V3_RWP)
		;
	mmio_write32(GICD_BASE + GICD_CTLR,
		     GICD_CTLR_V3_ARE | GICD_CTLR_V3_ENABLE_GRP1 | GICD_CTLR_V3_ENABLE_GRP0);
	gicv3_cpu_init();
	ppi_base = gicr_find_self() + GICR_SGI_OFFSET;
}

static void gicv2_init(void)
{
	ppi_base = GICD_BASE;
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_V2_ENABLE);
	mmio_write32(ppi_base + GIC_ICENABLER0, 0xffffffffu);
	mmio_write32(GICC_BASE + GICC_PMR, 0xff);
	mmio_write32(GICC_BASE + GICC_BPR, 0);
	mmio_write32(GICC_BASE + GICC_CTLR, GICC_CTLR_ENABLE);
}

void gic_init(void)
{
	unsigned int i;

	for (i = 0; i < PLATFORM_MAX_INTID; i++)
		slots[i].fn = unhandled;
	if ((read_id_aa64pfr0() >> ID_AA64PFR0_GIC_SHIFT) & ID_AA64PFR0_GIC_MASK) {
		version = 3;
		gicv3_init();
	} else {
		version = 2;
		gicv2_init();
	}
}

/* Give SGI/PPI @intid the platform's priority and enable it, in the GICD (v2) or a GICR SGI
 * frame (v3) at @base. */
static void enable_ppi(uintptr_t base, unsigned int intid)
{
	uintptr_t reg = base + GIC_IPRIORITYR + (intid & ~3u);
	unsigned int shift = (intid & 3u) * 8u;
	uint32_t v = mmio_read32(reg);

	v &= ~(0xffu << shift);
	v |= IRQ_PRIORITY << shift;
	mmio_write32(reg, v);
	dsb_sy();
	mmio_write32(base + GIC_ISENABLER0, 1u << intid);
	dsb_sy();
}

void gicv3_cpu_enable_ppi(unsigned int intid)
{
	if (intid >= PLATFORM_MAX_INTID)
		platform_panic("gicv3_cpu_enable_ppi: INTID %u is not an SGI or PPI", intid);
	enable_ppi(gicr_find_self() + GICR_SGI_OFFSET, intid);
}

void platform_irq_set_handler(unsigned int intid, platform_irq_fn fn, void *arg)
{
	if (intid >= PLATFORM_MAX_INTID || !fn)
		platform_panic("platform_irq_set_handler: INTID %u or handler invalid", intid);
	slots[intid].fn = fn;
	slots[intid].arg = arg;
	enable_ppi(ppi_base, intid);
}

void platform_irq_clear_handler(unsigned int intid)
{
	if (intid >= PLATFORM_MAX_INTID)
		return;
	mmio_write32(ppi_base + GIC_ICENABLER0, 1u << intid);
	dsb_sy();
	slots[intid].fn = unhandled;
}

void platform_irq_set_exit_hook(void (*hook)(void))
{
	exit_hook = hook;
}

uint64_t platform_irq_count(unsigned int intid)
{
	return intid < PLATFORM_MAX_INTID ? slots[intid].count : 0;
}

/* The acknowledge, the INTID it carries and the EOI of GIC version @v. @v is a constant wherever
 * handle_one() is inlined, so each version's path tests no version. */
static inline __attribute__((always_inline)) uint64_t ack(unsigned int v)
{
	return v == 3 ? read_icc_iar1() : mmio_read32(GICC_BASE + GICC_IAR);
}

static inline __attribute__((always_inline)) uint32_t iar_intid(unsigned int v, uint64_t iar)
{
	return v == 3 ? (uint32_t)iar : (uint32_t)iar & GICC_IAR_INTID_MASK;
}

static inline __attribute__((always_inline)) void eoi(unsigned int v, uint64_t iar)
{
	if (v == 3) {
		write_icc_eoir1(iar);
		isb();
	} else {
		mmio_write32(GICC_BASE + GICC_EOIR, (uint32_t)iar);
	}
}

/* Not an SGI or PPI: spurious (1020..1023: false), or a panic. */
static __attribute__((noinline, cold)) bool not_routed(uint64_t iar, uint32_t intid)
{
	if (intid >= 1020u)
		return false;
	eoi(version, iar);
	platform_panic("interrupt %u has no handler", intid);
}

/*
 * One interrupt per call. The acknowledge (GICC_IAR, ICC_IAR1_EL1) makes the highest-priority
 * pending interrupt active and returns its INTID, or 1023 if none is pending; the EOI (GICC_EOIR,
 * ICC_EOIR1_EL1, EOImode 0) drops the running priority and deactivates it. The CPU interface
 * keeps signalling IRQ to the PE for as long as a pending interrupt has a higher priority than
 * the running priority and the priority mask (GICv2 IHI 0048B, "Interrupt prioritization" and
 * "Interrupt handling and prioritization"; GICv3 IHI 0069, "Interrupt prioritization" and "The
 * CPU interface"): so an interrupt that is still pending after the EOI is signalled again, and is
 * taken as soon as the ERET unmasks PSTATE.I (or ends the WFI of an exit hook, whose
 * platform_irq_poll() then takes it). Acknowledging again before returning, until the spurious
 * INTID, would cost a second acknowledge (an MMIO read with GICv2) on every interrupt to save a
 * vector entry in the rare case of two at once (docs/porting.md, "The interrupt path on bare
 * metal").
 *
 * GICv2's IAR carries the source CPU of an SGI in bits [12:10], which the EOI must be given back;
 * GICv3's INTID is bits [23:0] with [31:24] RES0, so the value is the INTID. Only SGIs and PPIs
 * (INTID < 32) are routed; anything else is spurious (1020..1023) or a panic.
 */
static inline __attribute__((always_inline)) bool handle_one(unsigned int v)
{
	uint64_t iar = ack(v);
	uint32_t intid = iar_intid(v, iar);
	struct irq_slot *s;

	if (intid >= PLATFORM_MAX_INTID)
		return not_routed(iar, intid);
	s = &slots[intid];
	s->count++;
	s->fn(intid, s->arg);
	eoi(v, iar);
	return true;
}

bool platform_irq_poll(void)
{
	return version == 3 ? handle_one(3) : handle_one(2);
}

void platform_irq(void)
{
	void (*hook)(void);

	if (version == 3)
		handle_one(3);
	else
		handle_one(2);
	hook = exit_hook;
	if (hook)
		hook();
}
