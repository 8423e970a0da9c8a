/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's interrupt acknowledge and end of interrupt, per CPU: the platform's gic.c
 * acknowledges into one handler table (one core). The setup of each CPU's redistributor and CPU
 * interface is the platform's gicv3_cpu_init()/gicv3_cpu_enable_ppi(). GICv3 was chosen over
 * GICv2 because at EL2 the ICC_* registers need no memory map and no per-CPU banking by address.
 */
#include "hyp.h"
#include "sysreg.h"

#define ICC_IAR_INTID_MASK 0xffffffu

uint32_t gic_cpu_ack(void)
{
	return (uint32_t)read_icc_iar1() & ICC_IAR_INTID_MASK;
}

void gic_cpu_eoi(uint32_t intid)
{
	write_icc_eoir1(intid);
	isb();
}
