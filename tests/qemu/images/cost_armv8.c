/* SPDX-License-Identifier: MIT */
/*
 * cost_armv8: the armv8 backend's hot hooks (arm, read, rearm) as a regression test on their
 * instruction counts, measured as bench_armv8's "hooks alone" (witness.h: EL1 instructions
 * retired, exact under -icount shift=0), the call through the descriptor included. "read" is a
 * read as the policy makes it since backend ABI version 3: a call of the direct reader the
 * backend handed for the channel (its function and argument loaded from memory); the read hook
 * is measured too, for backends' other callers. The read hook's 20 / 21 fails the read bound.
 *
 * The bounds hold for the build they were measured with: GCC 12 at -O2 with the tree's freestanding
 * flags. Another compiler SKIPs (its code differs by a few instructions either way). They are
 * bench/README.md's "armv8 hooks" figures plus 1; the backend before its per-counter code (a
 * 31-way switch on every counter access, a test for the shadow) took arm 63 / 74 (without / with
 * the shadow), read 32 and rearm 72 / 83, and fails every one of them.
 */
#include "armv8_qemu.h"
#include "cmdline.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"
#include "witness.h"

/* Instructions, the call included: without the QEMU shadow counter, and with it. */
/* A read as the policy makes it, through the direct reader: 8 with 64-bit counters, 9 with
 * 32-bit ones (the AND to 32 bits). Through the read hook, as before ABI version 3: 20 / 21. */
#define READ_MAX_64 9u
#define READ_MAX_32 10u
#define READ_HOOK_MAX 22u
#define ARM_MAX 41u
#define ARM_SHADOW_MAX 45u
#define REARM_MAX 58u
#define REARM_SHADOW_MAX 62u

static _Alignas(16) unsigned char priv[512];

static void measure(uint32_t flags, uint64_t arm_max, uint64_t rearm_max, const char *what)
{
	struct membw_counter_setup s = { .size = sizeof(s), .levels = MEMBW_COUNT_USER };
	struct membw_backend_info info = { .size = sizeof(info) };
	struct armv8_ctx ctx;
	struct hook_cost c;
	unsigned int read_max, witness = witness_start();
	uint64_t pair = witness_pair_cost();

	armv8_qemu_ctx(&ctx, flags, 1);
	ctx.ncounters = witness; /* every counter below the witness */
	s.event[MEMBW_CH_READ] = ARMV8_EVENT(PMU_EVENT_INST_RETIRED);
	memset(priv, 0, sizeof(priv));
	if (!CHECK_EQ(membw_armv8_backend.probe(&ctx, &info), 0, "probe (%s)", what) ||
	    !CHECK_EQ(membw_armv8_backend.cpu_init(&ctx, 0, priv, &s), 0, "cpu_init (%s)", what) ||
	    !CHECK(hook_cost_measure(priv, pair, &c), "arm, read and rearm succeed (%s)", what))
		return;
	pf_printf("NOTE cost_armv8 (%s, %u-bit counters): arm %llu, read %llu (direct reader; the "
		  "read hook: %llu), rearm %llu instructions (an empty hook: %llu)\n", what,
		  info.counter_bits, (unsigned long long)c.arm, (unsigned long long)c.read,
		  (unsigned long long)c.read_hook, (unsigned long long)c.rearm,
		  (unsigned long long)c.empty);
	read_max = info.counter_bits == 64 ? READ_MAX_64 : READ_MAX_32;
	CHECK(c.read <= read_max, "read through the direct reader: %llu instructions, at most %u (%s)",
	      (unsigned long long)c.read, read_max, what);
	CHECK(c.read_hook <= READ_HOOK_MAX, "the read hook: %llu instructions, at most %u (%s)",
	      (unsigned long long)c.read_hook, READ_HOOK_MAX, what);
	CHECK(c.arm <= arm_max, "arm: %llu instructions, at most %llu (%s)",
	      (unsigned long long)c.arm, (unsigned long long)arm_max, what);
	CHECK(c.rearm <= rearm_max, "rearm: %llu instructions, at most %llu (%s)",
	      (unsigned long long)c.rearm, (unsigned long long)rearm_max, what);
}

static void test_hook_cost(void)
{
#if !defined(__GNUC__) || defined(__clang__) || __GNUC__ != 12
	SKIP("the bounds hold for GCC 12 (the compiler they were measured with)");
#else
	if (!cmdline_icount()) {
		SKIP("exact instruction counts need -icount shift=N");
		return;
	}
	measure(0, ARM_MAX, REARM_MAX, "no shadow counter, as on hardware");
	measure(ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, ARM_SHADOW_MAX, REARM_SHADOW_MAX,
		"with the QEMU shadow counter");
#endif
}

int test_main(void)
{
	pf_printf("cost_armv8: EL%u, PMUVer %u\n", platform_el(), pmu_raw_version());
	report_test("arm, read and rearm within their instruction bounds", test_hook_cost);
	return report_finish("cost_armv8");
}
