/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the memtalk host dispatcher. Each input is a script: hypercalls from any of
 * three VMs (and from a VM id the host does not know) with registers made of input bytes, time
 * steps, counted events, period ticks, the administrator's limit changes, CPU moves and tenant resets. After every step
 * the invariants below are checked; a violation aborts, which libFuzzer reports as a finding.
 *
 *   - no VM's domain budget is ever above its cap (nor below its floor, once the VM set it);
 *   - a call changes nothing that belongs to another VM: their memtalk state is byte-identical,
 *     their domains' budgets too, and the domain no VM owns never changes;
 *   - a refused call (any status but OK, or a call the dispatcher leaves to the hypervisor)
 *     changes nothing at all: host storage and policy storage byte-identical;
 *   - an accepted SET_BUDGET stored exactly what was asked;
 *   - r4 is never written; every status is one the ABI defines;
 *   - rate limit (GCRA, docs/memtalk.md): over any run of time that only moves forward, the calls
 *     a VM had accepted that the limiter counts (SET_BUDGET, GET_STATS page 0) number at most
 *     burst + elapsed / min_interval;
 *   - statistics: GET_STATS pages say what membw_domain_get_stats() said at page 0, minus the
 *     values at the tenant's start (membw_memtalk_host_reset_vm()): nothing of an old tenant;
 *   - SMCCC: the function ID is W0 (X0[63:32] change nothing); bits 23:17 set is NOT_SUPPORTED
 *     from the range's owner and not claimed otherwise; the owner answers Call UID; a refusal's
 *     results are 0;
 *   - (ASan, UBSan) no memory error, no undefined behaviour.
 *
 * Setup (the same for every input, so a finding replays alone; see setup()): 4 CPUs, 4 domains,
 * 1 ms periods, the test backend (64-byte lines, two channels).
 *   VM 0: domain 0 (CPUs 0, 1), read cap 640 MB/s floor 6.4 MB/s, write cap 320 MB/s.
 *   VM 1: domain 1 (CPU 2), no caps.   VM 2: no domain.
 *   Domain 2 (CPU 3) and domain 3 (no CPU): no VM.
 * The input's first byte picks the host's flags, function-number base and rate limit. Time
 * starts at 1000 periods and the input moves it forward, backward, or near 2^64.
 */
#include <membw/membw.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_backend.h"

#define NCPUS 4u
#define NDOMAINS 4u
#define NVMS 3u
#define LINE 64u
#define PERIOD_NS 1000000ull

static _Alignas(64) unsigned char policy_mem[MEMBW_STORAGE_SIZE(NCPUS, NDOMAINS, 512)];
static _Alignas(64) unsigned char host_mem[MEMBW_MEMTALK_HOST_SIZE(NVMS)];
static unsigned char policy_before[sizeof(policy_mem)];
static unsigned char host_before[sizeof(host_mem)];
static size_t policy_size;

static struct membw *m;
static struct membw_memtalk_host *h;
static struct tb tb;
static struct membw_memtalk_vm_limits lim[NVMS];
static uint32_t base;
static bool owns_range;
static uint64_t now;
static uint64_t min_interval, burst;
/* The current forward run of time: where it started, and each VM's accepted rate-limited calls
 * since then. */
static uint64_t run_start;
static uint64_t limited_calls[NVMS];

#define FAIL(...)                                                                                 \
	do {                                                                                      \
		fprintf(stderr, "memtalk invariant broken: " __VA_ARGS__);                        \
		fputc('\n', stderr);                                                              \
		abort();                                                                          \
	} while (0)

static void no_throttle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
}

/* ---- reading the input ---- */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t u64(struct input *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | u8(in);
	return v;
}

/* Values near every boundary the dispatcher checks. */
static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 15, 16, MEMBW_MEMTALK_CTL_V1, 0x101, 1000, 64000, 63999,
	6400000, 6399999, 6400001, 320000000, 320000001, 640000000, 640000001, 500000000,
	274877906816000ull, 274877906880000ull, UINT64_MAX, UINT64_MAX - 1, 1ull << 32,
	1ull << 63, MEMBW_MEMTALK_MAGIC,
};

static uint64_t arg(struct input *in)
{
	uint8_t k = u8(in);

	switch (k & 3) {
	case 0:
		return 0;
	case 1:
		return interesting[(k >> 2) % (sizeof(interesting) / sizeof(interesting[0]))];
	case 2:
		return u64(in);
	default:
		return k >> 2;
	}
}

static uint64_t function_id(struct input *in)
{
	uint8_t k = u8(in);

	switch (k & 7) {
	case 0: case 1: case 2: case 3:
		return MEMBW_MEMTALK_FID(base, k & 3);
	case 4:
		return MEMBW_MEMTALK_FID(base, k >> 3); /* the whole window and just past it */
	case 5:
		return u64(in);
	case 6: {
		static const uint64_t queries[] = {0x8600FF01u, 0x8600FF03u, 0x8600FF00u,
						   0x86000000u, 0xC600FF01u, 0x84000000u, 0x8601FF01u,
						   0x06000000u};
		return queries[(k >> 3) % 8];
	}
	default: /* a memtalk ID with a reserved bit set */
		return MEMBW_MEMTALK_FID(base, (k >> 3) & 3) | (1ull << (16 + u8(in) % 48));
	}
}

/* ---- the world ---- */

/* The policy every input starts from; it does not depend on the input. */
static void build_policy(void)
{
	struct membw_config cfg;
	struct membw_env env = {.size = sizeof(env), .throttle = no_throttle,
				.unthrottle = no_throttle};
	unsigned int cpu;

	tb_defaults(&tb);
	membw_config_init(&cfg);
	cfg.ncpus = NCPUS;
	cfg.ndomains = NDOMAINS;
	policy_size = membw_storage_size(NCPUS, NDOMAINS, tb_backend.priv_size);
	if (policy_size > sizeof(policy_mem))
		FAIL("policy storage too small for the test backend");
	memset(policy_mem, 0, sizeof(policy_mem));
	if (membw_init(&m, policy_mem, policy_size, &cfg, &tb_backend, &tb, &env))
		FAIL("membw_init");
	for (cpu = 0; cpu < NCPUS; cpu++)
		membw_cpu_set_domain(m, cpu, cpu < 2 ? 0 : cpu - 1);
	for (cpu = 0; cpu < NCPUS; cpu++)
		if (membw_cpu_online(m, cpu, 1000 * PERIOD_NS, NULL))
			FAIL("online");
	if (membw_domain_set_budget(m, 0, 640000000, 320000000) ||
	    membw_domain_set_budget(m, 3, 128000000, MEMBW_UNLIMITED))
		FAIL("budgets");
}

/*
 * Setup is deterministic, and most of an input's time went into it (membw_init() zeroes its
 * storage a byte at a time, each byte a traced comparison), so it runs once: the policy is built
 * on the first input and the host once per value of the knob byte, and every input starts from a
 * copy of what they built. The state is the same bytes either way (the policy and the host keep
 * pointers only to static objects: the backend, its context, the policy), so a finding still
 * replays alone.
 */
static _Alignas(64) unsigned char policy_built[sizeof(policy_mem)];
static struct tb tb_built;
static _Alignas(64) unsigned char host_built[256][sizeof(host_mem)];
static bool have_policy, have_host[256];

static void setup(uint8_t knobs)
{
	struct membw_memtalk_host_config hc = {.size = sizeof(hc), .nvms = NVMS};

	if (!have_policy) {
		build_policy();
		memcpy(policy_built, policy_mem, policy_size);
		tb_built = tb;
		have_policy = true;
	}
	memcpy(policy_mem, policy_built, policy_size);
	tb = tb_built;
	now = 1000 * PERIOD_NS;
	lim[0] = (struct membw_memtalk_vm_limits){
		.domain = 0, .cap_bps = {640000000, 320000000}, .floor_bps = {6400000, 0}};
	lim[1] = (struct membw_memtalk_vm_limits){
		.domain = 1, .cap_bps = {MEMBW_UNLIMITED, MEMBW_UNLIMITED}};
	lim[2] = (struct membw_memtalk_vm_limits){.domain = MEMBW_NO_DOMAIN};
	base = knobs & 1 ? 0x100 : 0;
	hc.base = base;
	hc.flags = knobs & 2 ? MEMBW_MEMTALK_HOST_OWNS_RANGE : 0;
	owns_range = knobs & 2;
	hc.min_interval_ns = knobs & 4 ? (uint64_t)(knobs >> 3) * 100000 : 0;
	hc.burst = 1 + (knobs >> 5);
	min_interval = hc.min_interval_ns;
	burst = hc.burst;
	if (have_host[knobs]) {
		memcpy(host_mem, host_built[knobs], sizeof(host_mem));
		return;
	}
	memset(host_mem, 0, sizeof(host_mem));
	if (membw_memtalk_host_init(&h, host_mem, sizeof(host_mem), m, &hc, lim) ||
	    (void *)h != host_mem)
		FAIL("host init");
	memcpy(host_built[knobs], host_mem, sizeof(host_mem));
	have_host[knobs] = true;
}

static void budget(uint32_t domain, uint64_t bps[2])
{
	if (membw_domain_get_budget(m, domain, &bps[0], &bps[1]))
		FAIL("get budget of domain %u", domain);
}

/* The memtalk state of VM @vm: its slot in the host storage (header, then one slot per VM). */
static const unsigned char *slot(const unsigned char *mem, unsigned int vm)
{
	return mem + MEMBW_MEMTALK_HOST_BYTES + (size_t)vm * MEMBW_MEMTALK_VM_BYTES;
}

static void check_caps(const char *after)
{
	for (unsigned int vm = 0; vm < NVMS; vm++) {
		uint64_t b[2];

		if (lim[vm].domain == MEMBW_NO_DOMAIN)
			continue;
		budget(lim[vm].domain, b);
		for (int ch = 0; ch < 2; ch++)
			if (b[ch] > lim[vm].cap_bps[ch])
				FAIL("after %s: VM %u channel %d budget %llu above cap %llu", after, vm,
				     ch, (unsigned long long)b[ch],
				     (unsigned long long)lim[vm].cap_bps[ch]);
	}
}

/* The VM that owns domain @d, or NVMS if none. */
static unsigned int owner(uint32_t d)
{
	unsigned int vm;

	for (vm = 0; vm < NVMS && lim[vm].domain != d; vm++)
		;
	return vm;
}

/* What each VM's statistics pages must say: its domain's statistics when it took page 0,
 * read here independently with membw_domain_get_stats(), lines converted to bytes. */
static uint64_t expect_page[NVMS][MEMBW_MEMTALK_STATS_PAGES][3];
/* The domain's values, in page layout, when the VM's tenant started (zero at setup). */
static uint64_t tenant_start[NVMS][MEMBW_MEMTALK_STATS_PAGES][3];

static void record_snapshot(unsigned int vm, uint64_t sequence)
{
	struct membw_domain_stats st = {.size = sizeof(st)};

	if (membw_domain_get_stats(m, lim[vm].domain, &st))
		FAIL("domain stats");
	uint64_t v[MEMBW_MEMTALK_STATS_PAGES][3] = {
		{sequence, st.totals.periods, PERIOD_NS},
		{st.totals.throttled_ns, st.totals.throttle_count, st.totals.missed_periods},
		{st.totals.ch[0].used * LINE, st.totals.ch[0].allowance * LINE,
		 st.totals.ch[0].overshoot * LINE},
		{st.totals.ch[1].used * LINE, st.totals.ch[1].allowance * LINE,
		 st.totals.ch[1].overshoot * LINE},
	};
	/* Only what was counted since the tenant's start (membw_memtalk_host_reset_vm()): a value
	 * that fell below its start (a CPU left the domain) reads 0. */
	for (unsigned int p = 0; p < MEMBW_MEMTALK_STATS_PAGES; p++)
		for (unsigned int i = 0; i < 3; i++) {
			if ((p == 0 && i != 1))
				continue;
			v[p][i] = v[p][i] > tenant_start[vm][p][i] ? v[p][i] - tenant_start[vm][p][i] : 0;
		}
	memcpy(expect_page[vm], v, sizeof(v));
}

static bool known_status(int64_t s)
{
	return s == MEMBW_MEMTALK_OK || s == MEMBW_MEMTALK_NOT_SUPPORTED ||
	       (s <= MEMBW_MEMTALK_INVALID_PARAMETER && s >= MEMBW_MEMTALK_HOST_ERROR);
}

/*
 * SMCCC (Arm DEN0028, docs/memtalk.md section 2): the function ID is W0 alone; a fast call with
 * any of bits 23:17 set is no function, so memtalk claims it only as the range's owner, and then
 * answers NOT_SUPPORTED; the owner answers Call UID with the UID. Refusals carry zeros.
 */
static void smccc_checks(unsigned int vm, int ret, const struct membw_memtalk_regs *sent,
			 const struct membw_memtalk_regs *got)
{
	uint32_t w0 = (uint32_t)sent->r[0];
	bool vendor_fast = (w0 & 0xBF000000u) == 0x86000000u;
	int64_t st = (int64_t)got->r[0];

	if (vm >= NVMS)
		return;
	if (vendor_fast && (w0 & MEMBW_MEMTALK_FID_MBZ_MASK)) {
		if (!owns_range && ret != -MEMBW_ENOENT)
			FAIL("ID 0x%08x with bits 23:17 set claimed (%d) without owning the range", w0, ret);
		if (owns_range && (ret != 0 || st != MEMBW_MEMTALK_NOT_SUPPORTED))
			FAIL("owner answered ID 0x%08x (bits 23:17 set) with %lld, not NOT_SUPPORTED",
			     w0, (long long)st);
	}
	if (owns_range && (w0 & ~MEMBW_MEMTALK_FID_SVE_HINT) == MEMBW_MEMTALK_FID_CALL_UID &&
	    (ret != 0 || got->r[0] != MEMBW_MEMTALK_UID_0 || got->r[3] != MEMBW_MEMTALK_UID_3))
		FAIL("Call UID (X0 0x%016llx) not answered with memtalk's UID",
		     (unsigned long long)sent->r[0]);
	if (!owns_range && vendor_fast && (w0 & 0xFFFFu) >= 0xFF00u && ret != -MEMBW_ENOENT)
		FAIL("general query 0x%08x claimed without owning the range", w0);
	if (ret == 0 && st < 0 && st != MEMBW_MEMTALK_BAD_VERSION && st != MEMBW_MEMTALK_RATE_LIMITED &&
	    st != MEMBW_MEMTALK_HOST_ERROR && (got->r[1] || got->r[2] || got->r[3]))
		FAIL("refusal %lld carried non-zero results", (long long)st);
}

static void hypercall(struct input *in)
{
	unsigned int vm = u8(in) % (NVMS + 1); /* NVMS: a VM id the host does not know */
	struct membw_memtalk_regs regs, sent;
	uint64_t before[NDOMAINS][2], after[2];
	int ret;

	uint8_t k = u8(in);

	if (k & 0x80) {
		/* Well formed, so the fuzzer reaches the value checks and the policy often. */
		uint32_t fn = k & 3;

		regs.r[0] = MEMBW_MEMTALK_FID(base, fn);
		regs.r[1] = fn == MEMBW_MEMTALK_FN_VERSION ? 0 : MEMBW_MEMTALK_CTL_V1;
		regs.r[2] = fn == MEMBW_MEMTALK_FN_SET_BUDGET ? arg(in) : (k >> 2) % 5;
		regs.r[3] = fn == MEMBW_MEMTALK_FN_SET_BUDGET ? arg(in) : 0;
		regs.r[4] = 0;
	} else {
		regs.r[0] = function_id(in);
		for (unsigned int i = 1; i < MEMBW_MEMTALK_NREGS; i++)
			regs.r[i] = arg(in);
	}
	sent = regs;
	for (uint32_t d = 0; d < NDOMAINS; d++)
		budget(d, before[d]);
	memcpy(policy_before, policy_mem, policy_size);
	memcpy(host_before, host_mem, sizeof(host_mem));

	ret = membw_memtalk_host_dispatch(h, vm, &regs, now);

	if (regs.r[4] != sent.r[4])
		FAIL("r4 written");
	if (vm >= NVMS && ret != -MEMBW_EINVAL)
		FAIL("unknown VM id answered %d", ret);
	if (ret != 0 && ret != -MEMBW_ENOENT && ret != -MEMBW_EINVAL)
		FAIL("dispatch returned %d", ret);
	if (ret != 0 && memcmp(&regs, &sent, sizeof(regs)))
		FAIL("registers written on a call left to the hypervisor");
	if (memcmp(host_before, host_mem, MEMBW_MEMTALK_HOST_BYTES))
		FAIL("host header changed");
	for (unsigned int other = 0; other < NVMS; other++) {
		if (other == vm)
			continue;
		if (memcmp(slot(host_before, other), slot(host_mem, other), MEMBW_MEMTALK_VM_BYTES))
			FAIL("VM %u's call changed VM %u's memtalk state", vm, other);
		if (lim[other].domain != MEMBW_NO_DOMAIN) {
			budget(lim[other].domain, after);
			if (memcmp(after, before[lim[other].domain], sizeof(after)))
				FAIL("VM %u's call changed VM %u's budget", vm, other);
		}
	}
	for (uint32_t d = 0; d < NDOMAINS; d++) {
		if (owner(d) < NVMS)
			continue;
		budget(d, after);
		if (memcmp(after, before[d], sizeof(after)))
			FAIL("a call changed the budget of domain %u, which no VM owns", d);
	}

	bool ours = ret == 0 && ((uint32_t)sent.r[0] & 0xFF000000u) == 0xC6000000u &&
		    ((sent.r[0] & 0xFFFF) - base) < MEMBW_MEMTALK_WINDOW;
	if (ours && !known_status((int64_t)regs.r[0]))
		FAIL("status %lld is not in the ABI", (long long)regs.r[0]);
	if (ret != 0 || (ours && regs.r[0] != MEMBW_MEMTALK_OK) ||
	    (!ours && regs.r[0] == (uint64_t)(int64_t)MEMBW_MEMTALK_NOT_SUPPORTED)) {
		if (memcmp(policy_before, policy_mem, policy_size) ||
		    memcmp(host_before, host_mem, sizeof(host_mem)))
			FAIL("a refused call (status %lld) changed state", (long long)regs.r[0]);
	}
	if (ours && regs.r[0] == MEMBW_MEMTALK_OK &&
	    ((uint32_t)sent.r[0] & 0xFFFF) == base + MEMBW_MEMTALK_FN_SET_BUDGET) {
		budget(lim[vm].domain, after);
		if (after[0] != sent.r[2] || after[1] != sent.r[3])
			FAIL("SET_BUDGET accepted but stored %llu/%llu for %llu/%llu",
			     (unsigned long long)after[0], (unsigned long long)after[1],
			     (unsigned long long)sent.r[2], (unsigned long long)sent.r[3]);
		for (int ch = 0; ch < 2; ch++)
			if (after[ch] < lim[vm].floor_bps[ch])
				FAIL("SET_BUDGET accepted below the floor");
	}
	if (ours && regs.r[0] == MEMBW_MEMTALK_OK &&
	    (((uint32_t)sent.r[0] & 0xFFFF) == base + MEMBW_MEMTALK_FN_SET_BUDGET ||
	     (((uint32_t)sent.r[0] & 0xFFFF) == base + MEMBW_MEMTALK_FN_GET_STATS &&
	      sent.r[2] == MEMBW_MEMTALK_STATS_SNAPSHOT))) {
		limited_calls[vm]++;
		if (min_interval && limited_calls[vm] > burst + (now - run_start) / min_interval)
			FAIL("VM %u had %llu rate-limited calls accepted in %llu ns of forward time: "
			     "more than burst %llu + elapsed / %llu ns", vm,
			     (unsigned long long)limited_calls[vm],
			     (unsigned long long)(now - run_start), (unsigned long long)burst,
			     (unsigned long long)min_interval);
	}
	if (ours && regs.r[0] == MEMBW_MEMTALK_OK &&
	    ((uint32_t)sent.r[0] & 0xFFFF) == base + MEMBW_MEMTALK_FN_GET_STATS) {
		if (sent.r[2] == MEMBW_MEMTALK_STATS_SNAPSHOT)
			record_snapshot(vm, regs.r[1]);
		if (memcmp(&regs.r[1], expect_page[vm][sent.r[2]], 3 * sizeof(uint64_t)))
			FAIL("GET_STATS page %llu of VM %u disagrees with membw_domain_get_stats()",
			     (unsigned long long)sent.r[2], vm);
	}
	smccc_checks(vm, ret, &sent, &regs);
	check_caps("a hypercall");
}

static void admin_set_limits(struct input *in)
{
	unsigned int vm = u8(in) % NVMS;
	struct membw_memtalk_vm_limits l = lim[vm];
	uint8_t k = u8(in);

	if (k & 1)
		l.cap_bps[0] = arg(in);
	if (k & 2)
		l.cap_bps[1] = arg(in);
	if (k & 4)
		l.floor_bps[0] = arg(in);
	if (k & 8)
		l.domain = u8(in) % 6; /* 4, 5: out of range */
	memcpy(policy_before, policy_mem, policy_size);
	memcpy(host_before, host_mem, sizeof(host_mem));
	if (membw_memtalk_host_set_limits(h, vm, &l) == 0) {
		lim[vm] = l;
	} else if (memcmp(policy_before, policy_mem, policy_size) ||
		   memcmp(host_before, host_mem, sizeof(host_mem))) {
		FAIL("a refused limits change changed state");
	}
	check_caps("a limits change");
}

/* The administrator moves a CPU to another domain (or to none). */
static void admin_move_cpu(struct input *in)
{
	uint8_t k = u8(in);
	uint32_t d = (k >> 2) % (NDOMAINS + 1);

	if (membw_cpu_set_domain(m, k % NCPUS, d == NDOMAINS ? MEMBW_NO_DOMAIN : d))
		FAIL("membw_cpu_set_domain refused a valid move");
	check_caps("a CPU move");
}

/* A new tenant in a VM slot: it must see no statistic of the old one, and no earlier traffic. */
static void new_run(uint64_t t);

static void admin_reset_vm(struct input *in)
{
	unsigned int vm = u8(in) % NVMS;
	struct membw_domain_stats st = {.size = sizeof(st)};

	memcpy(policy_before, policy_mem, policy_size);
	memcpy(host_before, host_mem, sizeof(host_mem));
	if (membw_memtalk_host_reset_vm(h, vm))
		FAIL("membw_memtalk_host_reset_vm refused VM %u", vm);
	if (memcmp(policy_before, policy_mem, policy_size))
		FAIL("a tenant reset changed the policy");
	for (unsigned int other = 0; other < NVMS; other++)
		if (other != vm &&
		    memcmp(slot(host_before, other), slot(host_mem, other), MEMBW_MEMTALK_VM_BYTES))
			FAIL("VM %u's tenant reset changed VM %u's memtalk state", vm, other);
	memset(tenant_start[vm], 0, sizeof(tenant_start[vm]));
	memset(expect_page[vm], 0, sizeof(expect_page[vm]));
	limited_calls[vm] = 0;
	new_run(now);
	if (lim[vm].domain == MEMBW_NO_DOMAIN)
		return;
	if (membw_domain_get_stats(m, lim[vm].domain, &st))
		FAIL("domain stats");
	uint64_t v[MEMBW_MEMTALK_STATS_PAGES][3] = {
		{0, st.totals.periods, 0},
		{st.totals.throttled_ns, st.totals.throttle_count, st.totals.missed_periods},
		{st.totals.ch[0].used * LINE, st.totals.ch[0].allowance * LINE,
		 st.totals.ch[0].overshoot * LINE},
		{st.totals.ch[1].used * LINE, st.totals.ch[1].allowance * LINE,
		 st.totals.ch[1].overshoot * LINE},
	};
	memcpy(tenant_start[vm], v, sizeof(v));
}

static void count(struct input *in)
{
	uint8_t k = u8(in);
	unsigned int cpu = k % NCPUS;

	if (tb_count(m, cpu, (k >> 2) & 1, (uint64_t)u8(in) << (k >> 5)))
		if (tb_take_overflow(m, cpu))
			membw_overflow(m, cpu, now);
}

/* A new forward run of time starts at @t (time went backwards or jumped over the top). */
static void new_run(uint64_t t)
{
	now = run_start = t;
	memset(limited_calls, 0, sizeof(limited_calls));
}

/* Time steps: op >> 3 in 0..23 moves forward by a byte << that much; 24..27 moves backward by a
 * byte << (0..63); 28..31 jumps to 2^64 - 1 less a byte << (0..39), where now + interval
 * overflows. A forward step past 2^64 wraps, which is a move backwards too. */
static void move_time(struct input *in, uint8_t op)
{
	unsigned int sel = op >> 3;
	uint64_t d;

	if (sel < 24) {
		d = (uint64_t)u8(in) << sel;
		if (now + d < now)
			new_run(now + d);
		else
			now += d;
	} else if (sel < 28) {
		d = (uint64_t)u8(in);
		d <<= u8(in) % 64;
		new_run(now - (d < now ? d : now));
	} else {
		d = (uint64_t)u8(in);
		d <<= u8(in) % 40;
		new_run(UINT64_MAX - d);
	}
}

static void tick_all(void)
{
	for (unsigned int cpu = 0; cpu < NCPUS; cpu++)
		membw_tick(m, cpu, now, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	setup(u8(&in));
	new_run(now);
	memset(expect_page, 0, sizeof(expect_page));
	memset(tenant_start, 0, sizeof(tenant_start));
	while (in.n) {
		uint8_t op = u8(&in);

		switch (op % 8) {
		case 5:
			move_time(&in, op);
			break;
		case 6:
			count(&in);
			break;
		case 7:
			if (op & 8)
				admin_set_limits(&in);
			else if (op & 16)
				admin_move_cpu(&in);
			else if (op & 32)
				admin_reset_vm(&in);
			else
				tick_all();
			break;
		default:
			hypercall(&in);
			break;
		}
	}
	check_caps("the input");
	return 0;
}
