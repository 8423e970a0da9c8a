/* SPDX-License-Identifier: MIT */
/*
 * What the guests (EL1 programs, one per CPU) share: an assertion layer that prints one line per
 * fact through the shared console, raw memtalk calls, the guest's own PMU counters, and the call
 * that hands the verdict to the hypervisor.
 */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include <membw/memtalk_guest.h>

#include "hyp.h"

struct guest_report {
	const char *name; /* "vm0", "vm1" */
	unsigned int passed, failed;
};

/* "PASS <name>: <fact>" or "FAIL <name>: <fact>"; returns @ok. */
bool g_check(struct guest_report *r, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As g_check(got == want), printing both values on failure. */
bool g_check_eq(struct guest_report *r, uint64_t got, uint64_t want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Format into @buf (NUL-terminated, truncated to @size). */
void g_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void g_note(struct guest_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the counts to the hypervisor (HYP_TEST_DONE); does not return. */
void __attribute__((noreturn)) g_done(const struct guest_report *r);

/* One SMCCC HVC #0 with x0..x4 as given; the answer comes back in @out (x0..x3). */
void g_call(struct membw_memtalk_regs *out, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
	    uint64_t x4);
/* Its status, x0, as the signed value memtalk defines. */
static inline int64_t g_status(const struct membw_memtalk_regs *regs)
{
	return (int64_t)regs->r[0];
}

/* ---- the guest's own PMU counters (below MDCR_EL2.HPMN) ----------------------------------- */
/* PMEVTYPER<n>_EL0 (Arm ARM; docs/armv8-pmu.md#armv8-pmu-evtyper): P [31] excludes EL1, U [30]
 * excludes EL0, NSH [27] includes EL2; event number in [15:0]. */
#define G_PMEVTYPER_EXCLUDE_EL1 (1u << 31)
#define G_PMEVTYPER_EXCLUDE_EL0 (1u << 30)
#define G_PMEVTYPER_INCLUDE_EL2 (1u << 27)
#define G_EVENT_INST_RETIRED 0x08u
/* Program counter @n (0 or 1) with @type, zero it and enable it (PMCR_EL0.E too, leaving the
 * rest of PMCR_EL0 alone: its P bit would reset counters). */
void g_pmu_start(unsigned int n, uint32_t type);
uint64_t g_pmu_read(unsigned int n);

static inline uint64_t g_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

#endif /* HYP_GUEST_H */
