/* SPDX-License-Identifier: MIT */
/*
 * Checks of the platform itself (tests/qemu/platform), at EL1 or, linked with boot_el2.o, at
 * EL2: the boot EL, the timer interrupt at (not before) its deadline through the GIC, a call at
 * EL0 and back, the synchronous-exception hook, and the formatter. The runner passes the
 * expected facts: el=<EL the image runs at> entry_el=<EL QEMU starts at: 2 with
 * virtualization=on, else 1> gic=<2 or 3>.
 */
#include "cmdline.h"
#include "platform.h"
#include "report.h"

#define EL0_STACK_BYTES 4096

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static volatile uint64_t timer_irqs, timer_irq_at_ns;
static volatile uint64_t svc_seen, svc_esr;

static void test_boot_facts(void)
{
	CHECK_EQ(platform_el(), cmdline_u64("el", 1), "the image runs at EL%llu",
		 (unsigned long long)cmdline_u64("el", 1));
	CHECK_EQ(platform_entry_el(), cmdline_u64("entry_el", 1), "QEMU entered at EL%llu",
		 (unsigned long long)cmdline_u64("entry_el", 1));
	CHECK_EQ(gic_version(), cmdline_u64("gic", 2), "the GIC found is GICv%llu",
		 (unsigned long long)cmdline_u64("gic", 2));
	CHECK(timer_freq_hz() > 0, "CNTFRQ_EL0 is set (%llu Hz)",
	      (unsigned long long)timer_freq_hz());
}

static void on_timer(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	timer_irq_at_ns = timer_now_ns();
	timer_irqs++;
	timer_cancel(); /* level-triggered: mask it before the EOI */
}

static void test_timer_interrupt(void)
{
	uint64_t deadline;
	unsigned int i;

	platform_irq_set_handler(timer_intid(), on_timer, NULL);
	deadline = timer_now_ns() + 100000; /* 100 us */
	timer_set_deadline_ns(deadline);
	irq_enable();
	for (i = 0; i < 100000000u && !timer_irqs; i++)
		__asm__ volatile("" ::: "memory");
	irq_disable();
	platform_irq_clear_handler(timer_intid());
	CHECK_EQ(timer_irqs, 1, "one timer interrupt (INTID %u) arrives", timer_intid());
	CHECK(timer_irq_at_ns >= deadline,
	      "the timer interrupt is not early (%llu ns, deadline %llu ns)",
	      (unsigned long long)timer_irq_at_ns, (unsigned long long)deadline);
	CHECK_EQ(platform_irq_count(timer_intid()), 1,
		 "the platform counted one interrupt on INTID %u", timer_intid());
}

static uint64_t triple_plus_one(uint64_t x)
{
	return 3 * x + 1;
}

static void test_el0_call(void)
{
	if (platform_el() != 1) {
		SKIP("platform_run_el0 is for EL1 images");
		return;
	}
	CHECK_EQ(platform_run_el0(triple_plus_one, 14, el0_stack + sizeof(el0_stack)), 43,
		 "a function run at EL0 returns its result (3 * 14 + 1)");
	CHECK_EQ(platform_run_el0(triple_plus_one, 0, el0_stack + sizeof(el0_stack)), 1,
		 "a second EL0 call works too");
}

static bool on_sync(struct platform_frame *frame, bool lower)
{
	if (lower)
		return false;
	svc_seen++;
	svc_esr = frame->esr;
	return true; /* SVC's preferred return address is the next instruction already */
}

static void test_sync_hook(void)
{
	platform_set_sync_handler(on_sync);
	__asm__ volatile("svc #0x51" ::: "memory");
	platform_set_sync_handler(NULL);
	CHECK_EQ(svc_seen, 1, "an SVC at the running EL reaches the sync hook once");
	CHECK_EQ(svc_esr >> 26, 0x15, "its ESR says SVC from AArch64 (EC 0x15)");
	CHECK_EQ(svc_esr & 0xffff, 0x51, "its ESR carries the immediate 0x51");
}

static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	pf_vsnprintf(buf, size, f, ap);
	va_end(ap);
}

static bool same(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && !memcmp(a, b, strlen(a));
}

static void test_formatter(void)
{
	char buf[64];

	fmt(buf, sizeof(buf), "%llu", ~0ull);
	CHECK(same(buf, "18446744073709551615"), "%%llu of 2^64 - 1 (got %s)", buf);
	fmt(buf, sizeof(buf), "%d|%d", -2147483647 - 1, 42);
	CHECK(same(buf, "-2147483648|42"), "%%d of INT_MIN and 42 (got %s)", buf);
	fmt(buf, sizeof(buf), "%08x|%x|%s|%c%%", 0xbeefu, 0u, "ok", 'z');
	CHECK(same(buf, "0000beef|0|ok|z%"), "%%08x %%x %%s %%c %%%% (got %s)", buf);
	fmt(buf, 5, "%s", "truncated");
	CHECK(same(buf, "trun"), "output is cut to the buffer, NUL included (got %s)", buf);
}

extern const unsigned int platform_boot_el __attribute__((weak));

static const char *platform_boot_el_name(void)
{
	return &platform_boot_el && platform_boot_el == 2 ? "platform_check_el2" : "platform_check";
}

int test_main(void)
{
	pf_printf("platform_check: EL%u (entered at EL%u), GICv%u\n", platform_el(),
		  platform_entry_el(), gic_version());
	report_test("boot facts", test_boot_facts);
	report_test("timer interrupt", test_timer_interrupt);
	report_test("EL0 call and return", test_el0_call);
	report_test("synchronous exception hook", test_sync_hook);
	report_test("formatter", test_formatter);
	/* The EL2 build (platform_check_el2.elf) reports under its own image name. */
	return report_finish(platform_boot_el_name());
}
