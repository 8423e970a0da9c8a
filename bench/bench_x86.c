/* SPDX-License-Identifier: MIT */
/*
 * Cost of the x86 backend on the simulated PMU (tests/x86/fake_msr.c, X86_FAKE_REGS): MSR
 * accesses per hook (counted by the model's accessors: each is one RDMSR or WRMSR, or one APIC
 * MMIO access, on hardware), and, under callgrind (bench/run-x86-bench), the instructions of the
 * policy plus the backend per tick and per overflow (PMI handler: x86_overflow_ack() and
 * membw_overflow()). Reported, never asserted.
 *
 *   bench-x86          the MSR-access table
 *   bench-x86 --one P  P periods of one CPU running into its budget, for callgrind
 */
#include <membw/membw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_args.h"
#include "fake_msr.h"
#include "x86.h"

#define PERIOD_NS 1000000ull
#define RATE 64000000ull /* 1000 lines of 64 B per 1 ms */

static struct x86_ctx ctx;
static struct membw *m;
static unsigned int throttled;

static void on_throttle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	throttled = 1;
}

static void on_unthrottle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	throttled = 0;
}

/* Separate, not inlined, so that callgrind can collect inside each. */
static __attribute__((noipa)) void tick_call(uint64_t t)
{
	membw_tick(m, 0, t, NULL);
}

static unsigned long overflows;

static __attribute__((noipa)) void overflow_call(uint64_t t)
{
	overflows++;
	x86_overflow_ack(membw_cpu_get_priv(m, 0));
	membw_overflow(m, 0, t);
}

static uint64_t now;

static void pmi(void *arg)
{
	(void)arg;
	overflow_call(now);
}

static void setup(void)
{
	static const struct membw_env env = { .size = sizeof(env), .throttle = on_throttle,
					      .unthrottle = on_unthrottle };
	struct membw_config cfg;
	size_t size;
	void *storage;

	fx_reset();
	memset(&ctx, 0, sizeof(ctx));
	ctx.size = sizeof(ctx);
	ctx.ncounters = 2;
	ctx.apic = X86_APIC_XAPIC;
	ctx.xapic_base = FX_XAPIC_BASE;
	ctx.lvt_delivery = X86_LVT_NMI;
	membw_config_init(&cfg);
	cfg.ndomains = 1;
	size = membw_storage_size(1, 1, membw_x86_backend.priv_size);
	storage = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(size));
	if (!storage || membw_init(&m, storage, MEMBW_ALIGN_UP(size), &cfg, &membw_x86_backend, &ctx, &env) ||
	    membw_domain_set_budget(m, 0, RATE, RATE) || membw_cpu_set_domain(m, 0, 0) ||
	    membw_cpu_online(m, 0, 0, NULL)) {
		fprintf(stderr, "bench-x86: set-up failed\n");
		exit(1);
	}
	fx.on_pmi = pmi;
}

static unsigned long accesses(void)
{
	return fx.reads + fx.writes;
}

static void table(void)
{
	void *priv;
	uint64_t v;
	unsigned long a;

	setup();
	priv = membw_cpu_get_priv(m, 0);
	fx.on_pmi = NULL;
#define ROW(label, stmt)                                                                           \
	do {                                                                                       \
		a = accesses();                                                                    \
		stmt;                                                                              \
		printf("%-44s %lu\n", label, accesses() - a);                                      \
	} while (0)
	ROW("arm (GLOBAL_CTRL already right)", membw_x86_backend.arm(priv, MEMBW_CH_READ, 1000));
	fx.global_ctrl = 0;
	ROW("arm (GLOBAL_CTRL bit to set again)", membw_x86_backend.arm(priv, MEMBW_CH_READ, 1000));
	ROW("read", membw_x86_backend.read(priv, MEMBW_CH_READ, &v));
	ROW("rearm", membw_x86_backend.rearm(priv, MEMBW_CH_READ, 1000));
	fx_events(0x412E, 3, 1000);
	ROW("x86_overflow_ack (one channel overflowed)", x86_overflow_ack(priv));
	ROW("x86_overflow_ack (nothing of ours)", x86_overflow_ack(priv));
	ROW("stop", membw_x86_backend.stop(priv, MEMBW_CH_READ));
	printf("MSR or APIC accesses per hook on the simulated PMU (xAPIC MMIO for the LVT entry).\n");
}

static void one(unsigned int periods)
{
	unsigned int p, guard;

	setup();
	for (p = 1; p <= periods; p++) {
		now = p * PERIOD_NS;
		tick_call(now);
		for (guard = 0; !throttled && guard < 64; guard++)
			fx_events(0x412E, 3, 100); /* overflows delivered through pmi() */
	}
	printf("calls %u %lu\n", periods, overflows);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--one")) {
		one(bench_arg("bench-x86", "PERIODS", argv[2], 1, 100000));
		return 0;
	}
	table();
	return 0;
}
