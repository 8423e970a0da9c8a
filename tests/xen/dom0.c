/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal hardware domain (dom0) for the Xen test's "dom0" case (tests/xen/README.md,
 * docs/xen.md "Run-time control by dom0"): EL1, MMU off, one vCPU. Xen loads dom0's kernel at
 * the start of the memory it gives dom0 (mapped 1:1, wherever the allocator found it) plus the
 * Image header's text_offset, so this image is position-independent: mk/xen.mk links it as a
 * static PIE and refuses it if it needs any relocation. Its console is Xen's console_io
 * hypercall, which prints the hardware domain's text as it is (xen/drivers/char/console.c).
 *
 * At DOM0_ADMIN_AT_NS of its guest time it gives domain 1 the numbers of tests/xen/domu.h with
 * the admin call (OK), then sends three sets Xen must refuse (INVALID_PARAMETER): a floor above
 * the budget, domain id 8 (one past the last), and domain id 2^32 + 1 (domain 1 if the id were
 * cut to 32 bits). The refused sets carry other numbers than the accepted one, so the domU
 * (DOMU_ADMINED in tests/xen/domu.c) would see any of them land. Every line it prints starts
 * with "dom0"; the last is "RESULT dom0: PASS|FAIL".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <membw/memtalk_guest.h>

#include "domu.h"

size_t pf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void domu_main(void);
void domu_secondary_main(void);

/* Xen's hypercall ABI on arm64 (xen/arch/arm/traps.c, do_trap_hypercall()): HVC with the
 * immediate XEN_HYPERCALL_TAG 0xEA1, the hypercall number in X16, arguments in X0..X4, the
 * result in X0; a debug Xen overwrites the argument registers it did not return in.
 * __HYPERVISOR_console_io is 18, its command CONSOLEIO_write 0 (X1 = count, X2 = buffer), in
 * xen/include/public/xen.h. */
#define XEN_HYPERVISOR_CONSOLE_IO 18ull
#define XEN_CONSOLEIO_WRITE 0ull

static unsigned int passed, failed;

static void console_write(const char *s, uint64_t n)
{
	register uint64_t x0 __asm__("x0") = XEN_CONSOLEIO_WRITE;
	register uint64_t x1 __asm__("x1") = n;
	register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)s;
	register uint64_t x16 __asm__("x16") = XEN_HYPERVISOR_CONSOLE_IO;

	__asm__ volatile("hvc #0xea1"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16)
			 :
			 : "x3", "x4", "memory");
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = pf_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

static void check(bool ok, const char *fact, long long got, long long want)
{
	if (ok) {
		passed++;
		say("PASS dom0: %s\n", fact);
	} else {
		failed++;
		say("FAIL dom0: %s (got %lld, expected %lld)\n", fact, got, want);
	}
}

static uint64_t now_ns(void)
{
	uint64_t f, t;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t) : : "memory");
	return t / f * 1000000000ull + t % f * 1000000000ull / f;
}

/* The admin call for domain @domain with read budget, cap and floor in lines per period (sent
 * as bytes per second): Xen's answer in X0. BUSY (domain 1 was in its own memtalk call on the
 * other pCPU) is retried. */
static int64_t admin(uint64_t domain, uint64_t budget, uint64_t cap, uint64_t floor)
{
	struct membw_memtalk_regs r;
	unsigned int tries;

	for (tries = 0; tries < 100; tries++) {
		r = (struct membw_memtalk_regs){ .r = { DOMU_FID_ADMIN_SET, domain, DOMU_BPS(budget),
							DOMU_BPS(cap), DOMU_BPS(floor) } };
		membw_memtalk_call_hvc(&r);
		if ((int64_t)r.r[0] != MEMBW_MEMTALK_BUSY)
			break;
	}
	say("dom0: admin call for domain %llu: read budget %llu B/s, cap %llu B/s, floor %llu B/s: "
	    "answered %lld\n", (unsigned long long)domain, DOMU_BPS(budget), DOMU_BPS(cap),
	    DOMU_BPS(floor), (long long)r.r[0]);
	return (int64_t)r.r[0];
}

void domu_main(void)
{
	uint64_t el;
	int64_t a;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	say("dom0: up at EL%llu\n", (unsigned long long)(el >> 2));
	/* domain 1 reads membw='s numbers first (tests/xen/domu.c) */
	while (now_ns() < DOM0_ADMIN_AT_NS)
		__asm__ volatile("yield");
	a = admin(1, DOMU_ADMIN_BUDGET_LINES, DOMU_ADMIN_CAP_LINES, DOMU_ADMIN_FLOOR_LINES);
	check(a == MEMBW_MEMTALK_OK, "the hardware domain's admin call for domain 1: OK", (long long)a,
	      MEMBW_MEMTALK_OK);
	a = admin(1, DOMU_REFUSED_FLOOR_LINES - 1, DOMU_REFUSED_CAP_LINES, DOMU_REFUSED_FLOOR_LINES);
	check(a == MEMBW_MEMTALK_INVALID_PARAMETER,
	      "a floor above the budget: INVALID_PARAMETER", (long long)a,
	      MEMBW_MEMTALK_INVALID_PARAMETER);
	a = admin(8, DOMU_REFUSED_BUDGET_LINES, DOMU_REFUSED_CAP_LINES, DOMU_REFUSED_FLOOR_LINES);
	check(a == MEMBW_MEMTALK_INVALID_PARAMETER, "domain id 8 (out of range): INVALID_PARAMETER",
	      (long long)a, MEMBW_MEMTALK_INVALID_PARAMETER);
	a = admin((1ull << 32) + 1, DOMU_REFUSED_BUDGET_LINES, DOMU_REFUSED_CAP_LINES,
		  DOMU_REFUSED_FLOOR_LINES);
	check(a == MEMBW_MEMTALK_INVALID_PARAMETER,
	      "domain id 2^32 + 1 (domain 1 if cut to 32 bits): INVALID_PARAMETER", (long long)a,
	      MEMBW_MEMTALK_INVALID_PARAMETER);
	say("SUMMARY dom0: %u passed, %u failed\n", passed, failed);
	say("RESULT dom0: %s\n", failed ? "FAIL" : "PASS");
	for (;;)
		__asm__ volatile("wfi");
}

/* domu_start.S's entry for a second vCPU: dom0 has one */
void domu_secondary_main(void)
{
}
