/* SPDX-License-Identifier: MIT */
/* Boot continuation, exception dispatch and the fatal paths. */
#include "platform.h"
#include "internal.h"
#include "sysreg.h"

extern unsigned int platform_entry_el_value;

static platform_sync_fn sync_handler;

unsigned int platform_el(void)
{
	return (unsigned int)(read_currentel() >> CURRENTEL_EL_SHIFT) & 3u;
}

unsigned int platform_entry_el(void)
{
	return platform_entry_el_value;
}

void platform_set_sync_handler(platform_sync_fn fn)
{
	sync_handler = fn;
}

void platform_panic(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	pf_puts("\nPLATFORM PANIC: ");
	va_start(ap, fmt);
	pf_vprintf(fmt, ap);
	va_end(ap);
	pf_puts("\n");
	semihost_exit(99);
}

static uint64_t read_far(void)
{
	return platform_el() == 2 ? read_far_el2() : read_far_el1();
}

void platform_sync(struct platform_frame *frame, uint64_t kind)
{
	bool lower = kind == PLATFORM_EXC_SYNC_LOWER;
	uint64_t ec;

	/* frame->esr was saved by the vector entry (frame.h) */
	ec = (frame->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	if (lower && ec == ESR_EC_SVC64 && (frame->esr & 0xffffu) == 0 && platform_el() == 1)
		platform_el0_resume(frame->x[0]);
	if (sync_handler && sync_handler(frame, lower))
		return;
	platform_panic("unexpected synchronous exception from %s EL: ESR 0x%llx (EC 0x%llx) "
		       "ELR 0x%llx FAR 0x%llx",
		       lower ? "a lower" : "the current", (unsigned long long)frame->esr,
		       (unsigned long long)ec, (unsigned long long)frame->elr,
		       (unsigned long long)read_far());
}

void platform_bad_exception(struct platform_frame *frame, uint64_t kind)
{
	platform_panic("unexpected exception (FIQ, SError or AArch32) kind %llu: ESR 0x%llx ELR 0x%llx",
		       (unsigned long long)kind, (unsigned long long)frame->esr,
		       (unsigned long long)frame->elr);
}

void platform_main(void)
{
	int rc;

	timer_init();
	gic_init();
	rc = test_main();
	semihost_exit(rc < 0 ? 1u : (unsigned int)rc);
}
