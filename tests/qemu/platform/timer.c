/* SPDX-License-Identifier: MIT */
/*
 * The generic timer (Arm ARM D11): CNTPCT_EL0 counts at CNTFRQ_EL0 Hz (QEMU 7.2: 62.5 MHz). The
 * platform timer is the EL1 physical timer (CNTP_*, PPI 30) at EL1 and the EL2 physical timer
 * (CNTHP_*, PPI 26) at EL2. Under -icount shift=0 one instruction is 1 ns of guest time.
 *
 * The conversions (clock.h) are set up once from CNTFRQ_EL0 by timer_init(), which
 * platform_main() calls before anything else: the clock read and the deadline of every tick
 * then cost a multiply or a shift instead of two divisions (docs/porting.md, "The interrupt path
 * on bare metal").
 */
#include "internal.h"
#include "sysreg.h"

struct clock_conv platform_timer_conv;

/* CurrentEL is 2 << 2 at EL2, 1 << 2 at EL1: bit 3 tells them apart (one MRS, one branch). */
static inline bool at_el2(void)
{
	return (read_currentel() >> (CURRENTEL_EL_SHIFT + 1)) & 1u;
}

void timer_init(void)
{
	clock_conv_init(&platform_timer_conv, read_cntfrq());
}

uint64_t timer_freq_hz(void)
{
	return read_cntfrq();
}

unsigned int timer_intid(void)
{
	return at_el2() ? PLATFORM_INTID_HYP_TIMER : PLATFORM_INTID_PHYS_TIMER;
}

void timer_set_deadline_ns(uint64_t ns)
{
	uint64_t cval = clock_ns_to_ticks(&platform_timer_conv, ns);

	if (at_el2()) {
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
	if (at_el2())
		write_cnthp_ctl(CNT_CTL_IMASK);
	else
		write_cntp_ctl(CNT_CTL_IMASK);
	isb();
}
