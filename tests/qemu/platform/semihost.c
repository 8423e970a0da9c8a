/* SPDX-License-Identifier: MIT */
/*
 * Arm semihosting (Arm "Semihosting for AArch32 and AArch64", version 2): on AArch64 the call is
 * HLT #0xF000 with the operation in W0 and the parameter (or a pointer to a parameter block) in
 * X1; the result comes back in X0. QEMU needs `-semihosting`, and serves calls from EL1 and EL2.
 */
#include "platform.h"

#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT 0x18u
/* AArch64 SYS_EXIT parameter block: { reason, subcode }; with this reason the subcode is the
 * exit status. */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint64_t semihost_call(uint64_t op, const volatile void *param)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)param;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void semihost_exit(unsigned int code)
{
	volatile uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };

	for (;;)
		semihost_call(SYS_EXIT, block);
}

int semihost_cmdline(char *buf, size_t size)
{
	volatile uint64_t block[2] = { (uint64_t)(uintptr_t)buf, size };

	if (!size)
		return -1;
	return semihost_call(SYS_GET_CMDLINE, block) == 0 ? 0 : -1;
}
