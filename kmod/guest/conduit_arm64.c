// SPDX-License-Identifier: MIT
/*
 * arm64: memtalk calls are SMCCC v1.1 HVC64 fast calls. HVC is only safe when a hypervisor is
 * known to trap it, which is what an HVC conduit (PSCI node "method = hvc", or ACPI FADT) says;
 * without one HVC is undefined at EL1, so nothing is issued.
 */
#include <linux/arm-smccc.h>
#include <linux/kernel.h>

#include "memtalk_kmod.h"

/* The call hook: X0..X4 in, X0..X3 out, through the kernel's own SMCCC v1.1 HVC helper. */
static void mtk_call_hvc(struct membw_memtalk_regs *regs)
{
	struct arm_smccc_res res;

	/* The helper passes X0 as a u32, which the ABI requires (bits 63:32 of the ID are 0). */
	arm_smccc_1_1_hvc(regs->r[0], regs->r[1], regs->r[2], regs->r[3], regs->r[4], &res);
	regs->r[0] = res.a0;
	regs->r[1] = res.a1;
	regs->r[2] = res.a2;
	regs->r[3] = res.a3;
}

void mtk_conduit_detect(struct mtk_conduit *c)
{
	u32 version = arm_smccc_get_version();

	c->call = NULL;
	c->name = "none";
	switch (arm_smccc_1_1_get_conduit()) {
	case SMCCC_CONDUIT_HVC:
		c->call = mtk_call_hvc;
		c->name = "hvc";
		c->why[0] = '\0';
		return;
	case SMCCC_CONDUIT_SMC:
		scnprintf(c->why, sizeof(c->why),
			  "SMCCC conduit is SMC, not HVC: no hypervisor to ask");
		return;
	default:
		/* SMCCC_VERSION: major in bits 30:16, minor in bits 15:0 (Arm DEN0028). */
		scnprintf(c->why, sizeof(c->why),
			  "no SMCCC v1.1 conduit: firmware reports SMCCC v%u.%u",
			  (version >> 16) & 0x7fff, version & 0xffff);
		return;
	}
}
