/* SPDX-License-Identifier: MIT */
/*
 * The generic timer (Arm ARM D11): CNTPCT_EL0 counts at CNTFRQ_EL0 Hz (QEMU 7.2: 62.5 MHz). The
 * platform timer is the EL1 physical timer (CNTP_*, PPI 30) at EL1 and the EL2 physical timer
 * (CNTHP_*, PPI 26) at EL2. Under -icount shift=0 one instruction is 1 ns of guest time.
 */
#include "platform.h"
#include "sysreg.h"

#define NS_PER_S 1000000000ull

uint64_t timer_freq_hz(void)
{
	return read_cntfrq();
}

/* Split into whole seconds and the rest so nothing overflows: the rest times a frequency below
 * 2^34 Hz stays below 2^64. */
uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	uint64_t f = timer_freq_hz();

	return ticks / f * NS_PER_S + ticks % f * NS_PER_S / f;
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	uint64_t f = timer_freq_hz();

	/* rounded up, so a deadline is never before the time asked for */
	return ns / NS_PER_S * f + (ns % NS_PER_S * f + NS_PER_S - 1) / NS_PER_S;
}

uint64_t timer_now_ns(void)
{
	isb(); /* so the count is not read before earlier instructions */
	return timer_ticks_to_ns(read_cntpct());
}

unsigned int timer_intid(void)
{
	return platform_el() == 2 ? PLATFORM_INTID_HYP_TIMER : PLATFORM_INTID_PHYS_TIMER;
}

void timer_set_deadline_ns(uint64_t ns)
{
	uint64_t cval = timer_ns_to_ticks(ns);

	if (platform_el() == 2) {
		write_cnthp_cval(cval);
		write_cnthp_ctl(CNT_CTL_ENABLE);
	} else {
		write_cntp_cval(cval);
		write_cntp_ctl(CNT_CTL_ENABLE);
	}
	isb();
}

void timer_cancel(void)
{
	if (platform_el() == 2)
		write_cnthp_ctl(CNT_CTL_IMASK);
	else
		write_cntp_ctl(CNT_CTL_IMASK);
	isb();
}
