/* SPDX-License-Identifier: MIT */
/*
 * Compile-only check of the default call hooks in memtalk.h: built for aarch64 and x86-64
 * (freestanding, -Werror), then tests/memtalk/hooks/check-hooks looks for the call instruction
 * in the object. Running them needs a hypervisor; the EL2 harness in tests/qemu/ does that.
 */
#include <membw/memtalk_guest.h>

#if defined(__aarch64__)
membw_memtalk_call_fn memtalk_hook_hvc(void);
membw_memtalk_call_fn memtalk_hook_hvc(void)
{
	return membw_memtalk_call_hvc;
}
#elif defined(__x86_64__)
membw_memtalk_call_fn memtalk_hook_vmcall(void);
membw_memtalk_call_fn memtalk_hook_vmcall(void)
{
	return membw_memtalk_call_vmcall;
}

membw_memtalk_call_fn memtalk_hook_vmmcall(void);
membw_memtalk_call_fn memtalk_hook_vmmcall(void)
{
	return membw_memtalk_call_vmmcall;
}
#else
#error "hooks.c is built for aarch64 and x86-64 only"
#endif
