/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal platform for QEMU `virt` (aarch64) test images: start code, vector tables, the
 * GIC (v2 or v3, found at boot), the PL011 console, semihosting, the generic timer, and a way to
 * run a function at EL0. One core (CPU 0) for now.
 *
 * EL-agnostic where it was cheap: every call below works at EL1 and at EL2, except
 * platform_run_el0() (EL1 only). The start code drops from EL2 to EL1 unless the image defines
 *     const unsigned int platform_boot_el = 2;
 * (link platform/boot_el2.c) in which case it stays at EL2 (QEMU `-M virt,virtualization=on`),
 * with VBAR_EL2 on the EL2 table, HCR_EL2 = RW|AMO|IMO|FMO (physical interrupts taken to EL2) and
 * the EL2 timer (CNTHP, PPI 26) as the platform timer: the base a hypervisor test builds on (it
 * then adds to HCR_EL2 for its guests and uses platform_irq_set_handler() for its interrupts).
 *
 * An image provides `int test_main(void)`; its return value is the semihosting exit code.
 * Memory: MMU off, so all of RAM is Device memory: build with -mstrict-align.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "frame.h"

/* ---- the image ---------------------------------------------------------------------------- */

/* The image's entry, called at the boot EL with interrupts masked and the GIC initialised. */
int test_main(void);

/* Exception level the image runs at (1 or 2). */
unsigned int platform_el(void);

/* Exception level QEMU started the image at (1, or 2 with virtualization=on). */
unsigned int platform_entry_el(void);

/* ---- console and exit ---------------------------------------------------------------------- */

/* Print to the PL011 (0x09000000). Formats: %s %c %d %u %x %ld %lu %lx %lld %llu %llx %p %%,
 * with an optional zero-pad width (%08x). No floating point. */
void pf_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pf_vprintf(const char *fmt, va_list ap);
/* Format into @buf (always NUL-terminated, truncated to @size). Returns the untruncated length. */
size_t pf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void pf_putc(char c);
void pf_puts(const char *s);

/* Semihosting SYS_EXIT (ADP_Stopped_ApplicationExit with @code): QEMU exits with @code. */
void __attribute__((noreturn)) semihost_exit(unsigned int code);
/* Semihosting SYS_GET_CMDLINE: the command line (QEMU: the kernel name and -append) into @buf.
 * Returns 0, or -1 if the host refused. */
int semihost_cmdline(char *buf, size_t size);

/* Print "PLATFORM PANIC: ..." and exit with code 99. */
void __attribute__((noreturn, format(printf, 1, 2))) platform_panic(const char *fmt, ...);

/* ---- interrupts ---------------------------------------------------------------------------- */

/* INTIDs on QEMU virt (PPIs: 16 + the PPI number). */
#define PLATFORM_INTID_PMU 23u       /* PMU overflow (PMUIRQ) */
#define PLATFORM_INTID_HYP_TIMER 26u /* CNTHP, EL2 physical timer */
#define PLATFORM_INTID_VIRT_TIMER 27u
#define PLATFORM_INTID_PHYS_TIMER 30u /* CNTP, EL1 physical timer */
#define PLATFORM_MAX_INTID 32u       /* SGIs and PPIs only: all a one-core test needs */

typedef void (*platform_irq_fn)(unsigned int intid, void *arg);

/* GIC architecture version in use (2 or 3). */
unsigned int gic_version(void);
/* GICv3 only, for code that runs on more than one core (the rest of this section serves CPU 0
 * alone). On the calling CPU: wake its redistributor, put its SGIs/PPIs in group 1, disabled,
 * and enable the system-register CPU interface at the running EL (priority mask open, group 1
 * on; at EL2 also for EL1's use). The distributor is set up once, by the platform on CPU 0. */
void gicv3_cpu_init(void);
/* GICv3 only: give SGI/PPI @intid (< PLATFORM_MAX_INTID, else a panic) the platform's priority
 * and enable it in the calling CPU's redistributor. Routes no handler. */
void gicv3_cpu_enable_ppi(unsigned int intid);
/* Route PPI/SGI @intid (< PLATFORM_MAX_INTID) to @fn and enable it at the GIC. */
void platform_irq_set_handler(unsigned int intid, platform_irq_fn fn, void *arg);
/* Disable @intid at the GIC and forget its handler. */
void platform_irq_clear_handler(unsigned int intid);
/* Called after every IRQ's handler and EOI, with interrupts still masked. A runtime uses it to
 * hold a throttled CPU in WFI (see platform_irq_poll()). It must not unmask interrupts (an IRQ
 * taken inside it would call it again). NULL: none. */
void platform_irq_set_exit_hook(void (*hook)(void));
/* Acknowledge and handle the highest-priority pending interrupt, if any, with interrupts masked
 * (from an exit hook, typically after a WFI). Returns true if it handled one; loop while it
 * does to handle every pending one. An IRQ exception handles one interrupt the same way (a
 * second pending one is taken again at once; gic.c says why). */
bool platform_irq_poll(void);
/* Interrupts handled since boot, per INTID (diagnostics). */
uint64_t platform_irq_count(unsigned int intid);

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
}

/*
 * IRQ stamps: only in images linked with vectors_stamp.o (the benchmark; mk/qemu.mk). Every IRQ
 * taken through the vectors adds the instructions between a read of PMXEVCNTR_EL0 at entry and
 * one just before ERET (vectors.S says which few lie outside) to total[bucket] and counts it in
 * count[bucket]; the image selects the witness counter with PMSELR_EL0 and may set bucket (0/1)
 * from its handlers, or move entry forward to leave out a span (e.g. an idle wait).
 */
struct platform_irq_stamps {
	uint64_t entry;
	uint64_t bucket;
	uint64_t total[2];
	uint64_t count[2];
};
extern struct platform_irq_stamps platform_irq_stamps;

/* ---- generic timer ------------------------------------------------------------------------- */

/* Counter frequency (CNTFRQ_EL0), Hz. */
uint64_t timer_freq_hz(void);
/* The tick/ns conversions for CNTFRQ_EL0, set up once at boot (timer.c); read only. */
extern struct clock_conv platform_timer_conv;
/* The physical count (CNTPCT_EL0) in nanoseconds since it was 0. Resolution 10^9/freq ns.
 * Inline: every interrupt of a runtime reads the clock (an ISB first, so that the count is not
 * read before earlier instructions). */
static inline uint64_t timer_now_ns(void)
{
	uint64_t ticks;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(ticks) : : "memory");
	return clock_ticks_to_ns(&platform_timer_conv, ticks);
}
/* Fire the platform timer (CNTP at EL1, CNTHP at EL2) once when the count reaches @ns. */
void timer_set_deadline_ns(uint64_t ns);
void timer_cancel(void);
/* The INTID of the platform timer at the running EL. */
unsigned int timer_intid(void);

/* ---- EL0 ----------------------------------------------------------------------------------- */

/* Run @fn(@arg) at EL0 (SP_EL0 = @stack_top, interrupts unmasked) and come back when it returns
 * (it ends with SVC #0). Returns @fn's result. EL1 only; one core. */
uint64_t platform_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top);

/* ---- exceptions ---------------------------------------------------------------------------- */

/* The registers saved on exception entry (saved and restored by frame.h's macros). */
struct platform_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
};
_Static_assert(sizeof(struct platform_frame) == PLATFORM_FRAME_SIZE,
	       "struct platform_frame and frame.h's PLATFORM_FRAME_SIZE agree");
_Static_assert(PLATFORM_IRQ_FRAME_SIZE == 22 * 8 && PLATFORM_IRQ_FRAME_SIZE % 16 == 0,
	       "the IRQ frame holds x0..x18, x30, ELR, SPSR and keeps SP 16-byte aligned");

/* A handler for synchronous exceptions the platform does not handle itself (the platform handles
 * SVC #0 from EL0 as the end of platform_run_el0). Returns true if it handled the exception (the
 * frame is then restored, so advance frame->elr to skip the instruction). */
typedef bool (*platform_sync_fn)(struct platform_frame *frame, bool from_lower_el);
void platform_set_sync_handler(platform_sync_fn fn);

/* ---- memory (the compiler may call these) -------------------------------------------------- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif /* PLATFORM_H */
