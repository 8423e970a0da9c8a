/* SPDX-License-Identifier: MIT */
/*
 * One console for two CPUs (both guests at EL1 and the hypervisor at EL2 print through it).
 * With the MMU off all memory is Device memory, where the Arm ARM leaves exclusive loads and
 * stores IMPLEMENTATION DEFINED, so the lock is Peterson's two-party algorithm: plain loads and
 * stores ordered by DMB, correct on any memory type. The hypervisor never prints from an
 * interrupt, so a guest holding the lock cannot be interrupted by a printer on its own CPU.
 */
#include "el2.h"
#include "hyp.h"

static volatile uint32_t wants[HYP_NCPUS];
static volatile uint32_t turn;

static void full_barrier(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* MPIDR_EL1.Aff0; at EL1 this reads VMPIDR_EL2, which the hypervisor sets to the CPU's own MPIDR.
 * ASSUMPTION: QEMU virt gives CPU n (n < 8) MPIDR Aff0 = n, Aff1..3 = 0 (as seen here: CPU_ON of
 * MPIDR 1 starts the second CPU). */
static unsigned int this_cpu(void)
{
	return (unsigned int)(read_mpidr() & MPIDR_AFF0_MASK) & 1u;
}

void con_printf(const char *fmt, ...)
{
	unsigned int me = this_cpu(), other = 1u - me;
	va_list ap;

	wants[me] = 1;
	full_barrier();
	turn = other;
	full_barrier();
	while (wants[other] && turn == other)
		cpu_wait_step();
	va_start(ap, fmt);
	pf_vprintf(fmt, ap);
	va_end(ap);
	full_barrier();
	wants[me] = 0;
	cpu_publish();
}
