/* SPDX-License-Identifier: MIT */
/* The guests' shared layer (contract in guest.h). Runs at EL1. */
#include "guest.h"

static void vline(struct guest_report *r, bool ok, const char *detail, const char *fmt, va_list ap)
{
	char fact[160];

	pf_vsnprintf(fact, sizeof(fact), fmt, ap);
	if (ok)
		r->passed++;
	else
		r->failed++;
	con_printf("%s %s: %s%s\n", ok ? "PASS" : "FAIL", r->name, fact, ok ? "" : detail);
}

bool g_check(struct guest_report *r, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(r, ok, "", fmt, ap);
	va_end(ap);
	return ok;
}

void g_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

bool g_check_eq(struct guest_report *r, uint64_t got, uint64_t want, const char *fmt, ...)
{
	char detail[96];
	va_list ap;

	g_format(detail, sizeof(detail), " (got %llu = 0x%llx, expected %llu = 0x%llx)",
	       (unsigned long long)got, (unsigned long long)got, (unsigned long long)want,
	       (unsigned long long)want);
	va_start(ap, fmt);
	vline(r, got == want, detail, fmt, ap);
	va_end(ap);
	return got == want;
}

void g_note(struct guest_report *r, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	pf_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	con_printf("NOTE %s: %s\n", r->name, text);
}

void g_done(const struct guest_report *r)
{
	register uint64_t x0 __asm__("x0") = HYP_TEST_DONE;
	register uint64_t x1 __asm__("x1") = r->failed;
	register uint64_t x2 __asm__("x2") = r->passed;

	__asm__ volatile("hvc %3" : : "r"(x0), "r"(x1), "r"(x2), "i"(HYP_TEST_HVC_IMM) : "memory");
	for (;;)
		;
}

void g_call(struct membw_memtalk_regs *out, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
	    uint64_t x4)
{
	out->r[0] = x0;
	out->r[1] = x1;
	out->r[2] = x2;
	out->r[3] = x3;
	out->r[4] = x4;
	membw_memtalk_call_hvc(out);
}

/* PMEVTYPER0/1_EL0 and PMEVCNTR0/1_EL0 by name: the guest uses only its first two counters. */
void g_pmu_start(unsigned int n, uint32_t type)
{
	uint64_t pmcr;

	if (n == 0) {
		__asm__ volatile("msr pmevtyper0_el0, %0" : : "r"((uint64_t)type));
		__asm__ volatile("msr pmevcntr0_el0, xzr");
	} else {
		__asm__ volatile("msr pmevtyper1_el0, %0" : : "r"((uint64_t)type));
		__asm__ volatile("msr pmevcntr1_el0, xzr");
	}
	__asm__ volatile("msr pmcntenset_el0, %0" : : "r"((uint64_t)1 << n));
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	/* PMCR_EL0.E [0]; P [1] and C [2] are written as 0 (no reset) */
	__asm__ volatile("msr pmcr_el0, %0\n\tisb" : : "r"((pmcr | 1u) & ~(uint64_t)6u) : "memory");
}

uint64_t g_pmu_read(unsigned int n)
{
	uint64_t v;

	if (n == 0)
		__asm__ volatile("isb\n\tmrs %0, pmevcntr0_el0" : "=r"(v) : : "memory");
	else
		__asm__ volatile("isb\n\tmrs %0, pmevcntr1_el0" : "=r"(v) : : "memory");
	return v;
}
