/* SPDX-License-Identifier: MIT */
/*
 * Guest side: the encoder against the SMC Calling Convention, discovery (present, absent, another
 * owner, wrong version) and round trips through the dispatcher.
 *
 * Function-ID goldens, from the SMC Calling Convention (Arm DEN0028, "Function Identifier"):
 * bit 31 = 1 fast call (0x80000000), bit 30 = 1 SMC64/HVC64 (0x40000000), bits 29:24 = owning
 * entity 6 "Vendor Specific Hypervisor Service" (6 << 24 = 0x06000000), bits 15:0 function
 * number. So function n at base b is 0xC6000000 + b + n. The Call UID query of that range is
 * fast, SMC32, OEN 6, number 0xFF01: 0x80000000 | 0x06000000 | 0xFF01 = 0x8600FF01 (also the
 * value KVM documents as ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "world.h"

static void test_function_ids_follow_smccc(void)
{
	struct membw_memtalk_regs regs;

	membw_memtalk_encode_version(&regs, 0);
	CU_ASSERT_EQUAL(regs.r[0], 0xC6000000u); /* VERSION at base 0 is vendor-hyp function 0 */
	membw_memtalk_encode_set_budget(&regs, 0x100, 1, 2);
	CU_ASSERT_EQUAL(regs.r[0], 0xC6000101u); /* SET_BUDGET (1) at base 0x100 */
	membw_memtalk_encode_get_budget(&regs, 0x100, 1);
	CU_ASSERT_EQUAL(regs.r[0], 0xC6000102u); /* GET_BUDGET (2) at base 0x100 */
	membw_memtalk_encode_get_stats(&regs, 0x100, 3);
	CU_ASSERT_EQUAL(regs.r[0], 0xC6000103u); /* GET_STATS (3) at base 0x100 */
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_FID_CALL_UID, 0x8600FF01u); /* SMCCC Call UID, OEN 6 */
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_FID_REVISION, 0x8600FF03u); /* SMCCC Revision, OEN 6 */
}

/* The UID words: 8c8bad7d-b757-4586-af33-3f85009e76a2, four bytes per word in string order with
 * the first in bits 7:0 (how KVM's documented UID 28b46fb6-... reads 0xb66fb428 in W0). */
static void test_uid_words_pack_the_uuid(void)
{
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_UID_0, 0x7dad8b8cu); /* bytes 8c 8b ad 7d */
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_UID_1, 0x864557b7u); /* bytes b7 57 45 86 */
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_UID_2, 0x853f33afu); /* bytes af 33 3f 85 */
	CU_ASSERT_EQUAL(MEMBW_MEMTALK_UID_3, 0xa2769e00u); /* bytes 00 9e 76 a2 */
}

static void test_arguments_land_in_their_registers(void)
{
	struct membw_memtalk_regs regs;

	memset(&regs, 0xA5, sizeof(regs));
	membw_memtalk_encode_set_budget(&regs, 0, 111, 222);
	CU_ASSERT_EQUAL(regs.r[1], MEMBW_MEMTALK_CTL_V1); /* r1: control word, version 1 */
	CU_ASSERT_EQUAL(regs.r[2], 111);                  /* r2: read bytes/s */
	CU_ASSERT_EQUAL(regs.r[3], 222);                  /* r3: write bytes/s */
	CU_ASSERT_EQUAL(regs.r[4], 0);                    /* r4: reserved, 0 */
	memset(&regs, 0xA5, sizeof(regs));
	membw_memtalk_encode_version(&regs, 0);
	CU_ASSERT(regs.r[1] == 0 && regs.r[2] == 0 && regs.r[3] == 0 && regs.r[4] == 0);
	membw_memtalk_encode_get_stats(&regs, 0, 2);
	CU_ASSERT_EQUAL(regs.r[2], 2); /* r2: page */
	CU_ASSERT(regs.r[3] == 0 && regs.r[4] == 0);
}

static void test_status_to_errno(void)
{
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno(0), 0);
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno(UINT64_MAX), -MEMBW_EOPNOTSUPP); /* -1 */
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno((uint64_t)-5), -MEMBW_EPERM);
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno((uint64_t)-7), -MEMBW_EAGAIN);
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno((uint64_t)-8), -MEMBW_EAGAIN);
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno((uint64_t)-1000), -MEMBW_EIO); /* KVM x86 ENOSYS */
	CU_ASSERT_EQUAL(membw_memtalk_status_to_errno(5), -MEMBW_EIO); /* no such status */
}

/* ---- discovery ---- */

static int fake_calls;
static uint64_t fake_answer[4];
static uint64_t fake_fid[4];

/* A hypervisor that answers every call with fake_answer. */
static void fake_call(struct membw_memtalk_regs *regs)
{
	if (fake_calls < 4)
		fake_fid[fake_calls] = regs->r[0];
	fake_calls++;
	memcpy(regs->r, fake_answer, sizeof(fake_answer));
}

static void fake(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3)
{
	fake_calls = 0;
	fake_answer[0] = r0;
	fake_answer[1] = r1;
	fake_answer[2] = r2;
	fake_answer[3] = r3;
}

static void test_probe_absent_service_is_clean(void)
{
	struct membw_memtalk_guest g;

	memset(&g, 0x5A, sizeof(g));
	fake(UINT64_MAX, 0, 0, 0); /* SMCCC NOT_SUPPORTED (-1) for everything */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, MEMBW_MEMTALK_BASE_AUTO),
			-MEMBW_ENODEV);
	CU_ASSERT_EQUAL(fake_calls, 1); /* only the UID query was issued */
	CU_ASSERT_EQUAL(fake_fid[0], 0x8600FF01u);
	CU_ASSERT_EQUAL(g.base, 0x5A5A5A5Au); /* g unchanged on error */
	fake(UINT64_MAX, 0, 0, 0);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, 0x200), -MEMBW_ENODEV);
	CU_ASSERT_EQUAL(fake_fid[0], 0xC6000200u); /* explicit base: VERSION at 0x200 directly */
}

/* KVM answers the Call UID with its own UID: the guest must not issue memtalk calls there. */
static void test_probe_other_owner_issues_nothing_else(void)
{
	struct membw_memtalk_guest g;

	fake(0xb66fb428u, 0xe911c52eu, 0x564bcaa9u, 0x743a004du); /* KVM's UID, documented */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, MEMBW_MEMTALK_BASE_AUTO),
			-MEMBW_ENODEV);
	CU_ASSERT_EQUAL(fake_calls, 1);
	fake((uint64_t)-1000, 0, 0, 0); /* KVM on x86: -KVM_ENOSYS for an unknown hypercall */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, MEMBW_MEMTALK_BASE_AUTO),
			-MEMBW_ENODEV);
}

static void test_probe_needs_magic_and_major(void)
{
	struct membw_memtalk_guest g;

	fake(0, 0x10000, 0x1234, 0xF); /* OK, version 1.0, but no magic */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, 0), -MEMBW_ENODEV);
	fake(0, 0x20000, MEMBW_MEMTALK_MAGIC, 0xF); /* version 2.0 */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, 0), -MEMBW_EOPNOTSUPP);
	fake(0, 0x10003, MEMBW_MEMTALK_MAGIC, 0xF); /* version 1.3: a newer minor is fine */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, 0), 0);
	CU_ASSERT_EQUAL(g.version, 0x10003);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, fake_call, MEMBW_MEMTALK_BASE_MAX + 1),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(NULL, fake_call, 0), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, NULL, 0), -MEMBW_EINVAL);
}

static void test_probe_real_host_owning_range(void)
{
	struct membw_memtalk_guest g;

	world_start(MEMBW_MEMTALK_HOST_OWNS_RANGE, 0, 1);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, world_call, MEMBW_MEMTALK_BASE_AUTO), 0);
	CU_ASSERT_EQUAL(w.calls, 2); /* UID, then VERSION */
	CU_ASSERT_EQUAL(g.base, 0);
	CU_ASSERT_EQUAL(g.version, 0x10000); /* 1.0 */
	CU_ASSERT_EQUAL(g.functions, 0xF);   /* functions 0..3 */
	world_stop();
}

/* A host that does not own the range: the UID query is not memtalk's, so AUTO finds nothing,
 * while the base agreed out of band works. */
static void test_probe_real_host_sharing_range(void)
{
	struct membw_memtalk_guest g;

	world_start(0, 0, 1);
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, world_call, MEMBW_MEMTALK_BASE_AUTO),
			-MEMBW_ENODEV);
	CU_ASSERT_EQUAL(w.last_dispatch, -MEMBW_ENOENT); /* the hypervisor answered the UID query */
	CU_ASSERT_EQUAL(membw_memtalk_guest_probe(&g, world_call, 0), 0);
	world_stop();
}

/* ---- round trips ---- */

static void test_set_then_get_budget(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = {.size = sizeof(b)};
	uint64_t r = 0, wr = 0;

	world_start(MEMBW_MEMTALK_HOST_OWNS_RANGE, 0, 1);
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_guest_probe(&g, world_call, MEMBW_MEMTALK_BASE_AUTO), 0);
	CU_ASSERT_EQUAL(membw_memtalk_guest_set_budget(&g, 500000000ull, 64000000ull), 0);
	CU_ASSERT_EQUAL(membw_domain_get_budget(w.f.m, 0, &r, &wr), 0);
	CU_ASSERT_EQUAL(r, 500000000ull); /* the policy holds what the guest set */
	CU_ASSERT_EQUAL(wr, 64000000ull);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_READ, &b), 0);
	CU_ASSERT_EQUAL(b.current_bps, 500000000ull);
	CU_ASSERT_EQUAL(b.cap_bps, CAP0_READ);
	CU_ASSERT_EQUAL(b.floor_bps, FLOOR0_READ);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, MEMBW_MEMTALK_CH_WRITE, &b), 0);
	CU_ASSERT_EQUAL(b.current_bps, 64000000ull);
	CU_ASSERT_EQUAL(b.cap_bps, CAP0_WRITE);
	CU_ASSERT_EQUAL(b.floor_bps, 0);
	/* 500 MB/s at 1 ms, 64-byte lines: floor(500e6 * 1e-3 / 64) = 7812 lines per period */
	CU_ASSERT_EQUAL(fx_domain_stats(&w.f, 0).budget_events[MEMBW_CH_READ], 7812);
	CU_ASSERT_EQUAL(membw_memtalk_guest_set_budget(&g, CAP0_READ + 1, 0), -MEMBW_EPERM);
	world_stop();
}

/* The statistics a guest reads are the domain's, in bytes: lines counted times 64. */
static void test_stats_in_bytes(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_stats s = {.size = sizeof(s)};
	struct membw_domain_stats d;

	world_start(0, 0, 1);
	w.vm = 0;
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_guest_probe(&g, world_call, 0), 0);
	CU_ASSERT_EQUAL(fx_count(&w.f, 0, MEMBW_CH_READ, 300), 0);
	CU_ASSERT_EQUAL(fx_count(&w.f, 1, MEMBW_CH_READ, 200), 0);
	CU_ASSERT_EQUAL(fx_count(&w.f, 0, MEMBW_CH_WRITE, 7), 0);
	CU_ASSERT_EQUAL(fx_next_period(&w.f), 0);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_stats(&g, &s), 0);
	CU_ASSERT_EQUAL(s.sequence, 1); /* first snapshot */
	CU_ASSERT_EQUAL(s.period_ns, 1000000); /* the fixture's 1 ms */
	CU_ASSERT_EQUAL(s.used_bytes[MEMBW_CH_READ], 500 * 64); /* 300 + 200 lines of 64 bytes */
	CU_ASSERT_EQUAL(s.used_bytes[MEMBW_CH_WRITE], 7 * 64);
	d = fx_domain_stats(&w.f, 0);
	CU_ASSERT_EQUAL(s.periods, d.totals.periods);
	CU_ASSERT_EQUAL(s.allowance_bytes[MEMBW_CH_READ], d.totals.ch[MEMBW_CH_READ].allowance * 64);
	CU_ASSERT_EQUAL(s.overshoot_bytes[MEMBW_CH_READ], d.totals.ch[MEMBW_CH_READ].overshoot * 64);
	CU_ASSERT_EQUAL(s.throttled_ns, d.totals.throttled_ns);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_stats(&g, &s), 0);
	CU_ASSERT_EQUAL(s.sequence, 2); /* second snapshot */
	world_stop();
}

/* A VM the host gave no domain finds memtalk but may change nothing. */
static void test_unregulated_vm_is_denied(void)
{
	struct membw_memtalk_guest g;
	struct membw_memtalk_budget b = {.size = sizeof(b)};

	world_start(0, 0, 1);
	w.vm = 2;
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_guest_probe(&g, world_call, 0), 0);
	CU_ASSERT_EQUAL(membw_memtalk_guest_set_budget(&g, 1000000, 1000000), -MEMBW_EPERM);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, 0, &b), -MEMBW_EPERM);
	world_stop();
}

static void test_guest_calls_validate(void)
{
	struct membw_memtalk_guest g = {0};
	struct membw_memtalk_budget b = {.size = sizeof(b)};
	struct membw_memtalk_stats s = {.size = sizeof(s)};

	CU_ASSERT_EQUAL(membw_memtalk_guest_set_budget(&g, 1, 1), -MEMBW_EINVAL); /* not probed */
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(NULL, 0, &b), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_stats(&g, &s), -MEMBW_EINVAL);
	world_start(0, 0, 1);
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_guest_probe(&g, world_call, 0), 0);
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, 2, &b), -MEMBW_EINVAL); /* no channel 2 */
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, 0, NULL), -MEMBW_EINVAL);
	b.size = 4;
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_budget(&g, 0, &b), -MEMBW_EINVAL); /* size too small */
	s.size = 8;
	CU_ASSERT_EQUAL(membw_memtalk_guest_get_stats(&g, &s), -MEMBW_EINVAL); /* size too small */
	CU_ASSERT_EQUAL(w.calls, 1); /* nothing but the probe's VERSION reached the host */
	world_stop();
}

static const struct named_test tests[] = {
	{"function IDs follow SMCCC", test_function_ids_follow_smccc},
	{"UID words pack the UUID", test_uid_words_pack_the_uuid},
	{"arguments land in their registers", test_arguments_land_in_their_registers},
	{"status to errno", test_status_to_errno},
	{"probe: absent service is clean", test_probe_absent_service_is_clean},
	{"probe: another owner gets nothing else", test_probe_other_owner_issues_nothing_else},
	{"probe: needs magic and major 1", test_probe_needs_magic_and_major},
	{"probe: host owning the range", test_probe_real_host_owning_range},
	{"probe: host sharing the range", test_probe_real_host_sharing_range},
	{"set then get budget", test_set_then_get_budget},
	{"statistics in bytes", test_stats_in_bytes},
	{"unregulated VM is denied", test_unregulated_vm_is_denied},
	{"guest calls validate", test_guest_calls_validate},
};

int suite_guest(void);
int suite_guest(void)
{
	return add_suite("memtalk guest", tests, sizeof(tests) / sizeof(tests[0]));
}
