// SPDX-License-Identifier: MIT
/*
 * x86-64: memtalk calls are VMCALL (Intel VT-x) or VMMCALL (AMD-V). Both raise #UD without a
 * hypervisor, so nothing is issued unless CPUID.1:ECX[31] ("hypervisor present") is set, as
 * docs/memtalk.md requires. A hypervisor can set that bit and still not trap the instruction the
 * kernel picks (an emulator, or the other vendor's instruction), so the call also carries an
 * exception-table entry: a #UD there becomes NOT_SUPPORTED instead of an oops.
 *
 * ASSUMPTION: Linux 6.1 looks up the exception table for a #UD in kernel mode (exc_invalid_op ->
 * do_error_trap -> fixup_exception) as it does for #GP; the amd64/max test exercises it (QEMU TCG
 * sets CPUID.1:ECX[31] and raises #UD on VMMCALL) and the kernel logs no oops.
 */
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <linux/kernel.h>

#include "memtalk_kmod.h"

/* RAX, RBX, RCX, RDX, RSI in; RAX..RDX out. @faulted is cleared only when the call returned. */
#define MTK_X86_CALL(insn, regs, faulted)                                                         \
	asm volatile("1: " insn "\n\t"                                                             \
		     "xor %k[f], %k[f]\n"                                                          \
		     "2:\n" _ASM_EXTABLE(1b, 2b)                                                   \
		     : "+a"((regs)->r[0]), "+b"((regs)->r[1]), "+c"((regs)->r[2]),                 \
		       "+d"((regs)->r[3]), "+S"((regs)->r[4]), [f] "+r"(faulted)                   \
		     :                                                                             \
		     : "memory")

static void mtk_answer_not_supported(struct membw_memtalk_regs *regs)
{
	mtk_call_faults++;
	regs->r[0] = (u64)(s64)MEMBW_MEMTALK_NOT_SUPPORTED;
	regs->r[1] = regs->r[2] = regs->r[3] = 0;
}

static void mtk_call_vmcall(struct membw_memtalk_regs *regs)
{
	unsigned long faulted = 1;

	MTK_X86_CALL("vmcall", regs, faulted);
	if (faulted)
		mtk_answer_not_supported(regs);
}

static void mtk_call_vmmcall(struct membw_memtalk_regs *regs)
{
	unsigned long faulted = 1;

	MTK_X86_CALL("vmmcall", regs, faulted);
	if (faulted)
		mtk_answer_not_supported(regs);
}

void mtk_conduit_detect(struct mtk_conduit *c)
{
	c->why[0] = '\0';
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		c->call = NULL;
		c->name = "none";
		scnprintf(c->why, sizeof(c->why), "no hypervisor: CPUID.1:ECX[31] is clear");
		return;
	}
	/* The kernel's own choice for KVM hypercalls: AMD and Hygon prefer VMMCALL. */
	if (boot_cpu_has(X86_FEATURE_VMMCALL)) {
		c->call = mtk_call_vmmcall;
		c->name = "vmmcall";
	} else {
		c->call = mtk_call_vmcall;
		c->name = "vmcall";
	}
}
