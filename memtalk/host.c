/* SPDX-License-Identifier: MIT */
/*
 * memtalk, host side: the dispatcher a hypervisor calls from its hypercall trap. The guest is
 * untrusted, so every register is checked before anything is read or changed, and each path
 * either answers OK after its one change or refuses having changed nothing. A VM's own state
 * (limits, rate-limit time, statistics snapshot) is guarded by a per-VM try-lock: a hypervisor at
 * EL2 must never wait on a guest.
 */
#include <membw/errors.h>
#include <membw/memtalk_host.h>
#include <membw/policy.h>
#include <membw/stats.h>

#include "../lib/atomic.h"

/* Not UINT64_MAX: kernel headers are not guaranteed to define it (kmod/guest builds this file). */
#define U64_MAX_VALUE (~(uint64_t)0)

/* Values of one statistics snapshot, in page order: page p is snap[3p .. 3p + 2]. */
#define SNAP_VALUES (3u * MEMBW_MEMTALK_STATS_PAGES)
#define BURST_MAX 1000u
#define MIN_INTERVAL_MAX_NS 1000000000000ull /* 1000 s: keeps (burst - 1) * interval in range */

struct vm_state {
	struct membw_memtalk_vm_limits lim;
	uint64_t lock;     /* 0 free, 1 held by a call or a limits change */
	uint64_t tat;      /* rate limit: the "theoretical arrival time" of GCRA, ns */
	uint64_t snap[SNAP_VALUES];
	/* Page-0 totals at the tenant's start (membw_memtalk_host_reset_vm()), snap[3..] order. */
	uint64_t base[SNAP_VALUES - 2];
};

struct membw_memtalk_host {
	struct membw *m;
	uint32_t nvms;
	uint32_t base;
	uint32_t flags;
	uint32_t ndomains;
	uint32_t line_size;
	uint64_t period_ns;
	uint64_t interval_ns;  /* 0: no rate limit */
	uint64_t tolerance_ns; /* (burst - 1) * interval_ns */
};

_Static_assert(sizeof(struct membw_memtalk_host) <= MEMBW_MEMTALK_HOST_BYTES,
	       "raise MEMBW_MEMTALK_HOST_BYTES");
_Static_assert(sizeof(struct vm_state) <= MEMBW_MEMTALK_VM_BYTES, "raise MEMBW_MEMTALK_VM_BYTES");
_Static_assert(MEMBW_MEMTALK_CH_READ == MEMBW_CH_READ && MEMBW_MEMTALK_CH_WRITE == MEMBW_CH_WRITE,
	       "memtalk channel numbers are the policy's");

static struct vm_state *vm_at(struct membw_memtalk_host *h, unsigned int vm_id)
{
	return (struct vm_state *)((char *)h + MEMBW_MEMTALK_HOST_BYTES +
				   (size_t)vm_id * MEMBW_MEMTALK_VM_BYTES);
}

/*
 * The per-VM lock word: LOCK_HELD while a call or a limits change runs; LOCK_ADMIN while the host
 * administrator waits for it. Guests' calls only ever try (they get BUSY), so a guest spinning on
 * calls could keep the administrator out; LOCK_ADMIN turns new guest calls away until the
 * administrator has had its turn, and it waits only for the call in progress, which is bounded
 * hypervisor code.
 */
#define LOCK_HELD 1u
#define LOCK_ADMIN 2u
/* How long the administrator waits for the call in progress, in attempts (each a few ns). */
#define ADMIN_TRIES 10000000u

static bool try_lock(struct vm_state *vm)
{
	uint64_t expected = 0;

	return cas(&vm->lock, &expected, LOCK_HELD);
}

static void unlock(struct vm_state *vm)
{
	uint64_t old = load_relaxed(&vm->lock);

	/* Keep LOCK_ADMIN if the administrator announced itself meanwhile. */
	while (!cas(&vm->lock, &old, old & ~(uint64_t)LOCK_HELD))
		;
}

/* The administrator's side: false (nothing held) if another administrator is at this VM, or if
 * the call in progress did not end within ADMIN_TRIES attempts. */
static bool admin_lock(struct vm_state *vm)
{
	uint64_t old = load_relaxed(&vm->lock);
	uint32_t tries;

	do {
		if (old & LOCK_ADMIN)
			return false;
	} while (!cas(&vm->lock, &old, old | LOCK_ADMIN));
	for (tries = 0; tries < ADMIN_TRIES; tries++) {
		uint64_t expected = LOCK_ADMIN;

		if (cas(&vm->lock, &expected, LOCK_ADMIN | LOCK_HELD))
			return true;
	}
	old = load_relaxed(&vm->lock);
	while (!cas(&vm->lock, &old, old & ~(uint64_t)LOCK_ADMIN))
		;
	return false;
}

static void admin_unlock(struct vm_state *vm)
{
	store_release(&vm->lock, 0);
}

static void copy_limits(struct membw_memtalk_vm_limits *to, const struct membw_memtalk_vm_limits *from)
{
	unsigned int ch;

	to->domain = from->domain;
	to->reserved = from->reserved;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		to->cap_bps[ch] = from->cap_bps[ch];
		to->floor_bps[ch] = from->floor_bps[ch];
	}
}

/* A rate the policy can enforce: 0, unlimited, or one that converts to 1 .. max events. */
static bool enforceable(const struct membw_memtalk_host *h, uint64_t bps)
{
	uint64_t events;

	return bps == 0 || bps == MEMBW_UNLIMITED ||
	       membw_bps_to_events(bps, h->period_ns, h->line_size, &events) == 0;
}

/* Checks of one VM's limits that need no other VM: 0, -EINVAL or -ERANGE. */
static int check_limits(const struct membw_memtalk_host *h, const struct membw_memtalk_vm_limits *lim)
{
	unsigned int ch;

	if (lim->reserved || (lim->domain != MEMBW_NO_DOMAIN && lim->domain >= h->ndomains))
		return -MEMBW_EINVAL;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (lim->floor_bps[ch] > lim->cap_bps[ch])
			return -MEMBW_EINVAL;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (!enforceable(h, lim->cap_bps[ch]) || !enforceable(h, lim->floor_bps[ch]))
			return -MEMBW_ERANGE;
	return 0;
}

/* Is @domain taken by a VM other than @self (among the first @n)? */
static bool domain_taken(struct membw_memtalk_host *h, const struct membw_memtalk_vm_limits *all,
			 uint32_t n, unsigned int self, uint32_t domain)
{
	uint32_t i;

	if (domain == MEMBW_NO_DOMAIN)
		return false;
	for (i = 0; i < n; i++) {
		uint32_t other = all ? all[i].domain : vm_at(h, i)->lim.domain;

		if (i != self && other == domain)
			return true;
	}
	return false;
}

size_t membw_memtalk_host_size(uint32_t nvms)
{
	if (nvms == 0 || nvms > MEMBW_MEMTALK_MAX_VMS)
		return 0;
	return MEMBW_MEMTALK_HOST_SIZE(nvms);
}

/*
 * A VM slot's tenant starts now: no rate-limit history, no statistics snapshot, and page-0
 * totals counted from @base (SNAP_VALUES - 2 values in stats_values() order; NULL: from 0).
 */
static void tenant_start(struct vm_state *vm, const uint64_t *base)
{
	unsigned int k;

	vm->tat = 0;
	for (k = 0; k < SNAP_VALUES; k++)
		vm->snap[k] = 0;
	for (k = 0; k < SNAP_VALUES - 2; k++)
		vm->base[k] = base ? base[k] : 0;
}

int membw_memtalk_host_init(struct membw_memtalk_host **out, void *storage, size_t storage_size,
			    struct membw *m, const struct membw_memtalk_host_config *cfg,
			    const struct membw_memtalk_vm_limits *vms)
{
	struct membw_config pcfg;
	struct membw_backend_info info;
	struct membw_memtalk_host facts;
	struct membw_memtalk_host *h;
	uint32_t i;
	unsigned int k;
	int err;

	if (!out || !storage || !m || !cfg || !vms ||
	    ((uintptr_t)storage & (MEMBW_MEMTALK_ALIGN - 1)) ||
	    cfg->size < sizeof(struct membw_memtalk_host_config) || cfg->nvms == 0 ||
	    cfg->nvms > MEMBW_MEMTALK_MAX_VMS || cfg->base > MEMBW_MEMTALK_BASE_MAX ||
	    (cfg->flags & ~MEMBW_MEMTALK_HOST_OWNS_RANGE) || cfg->burst == 0 ||
	    cfg->burst > BURST_MAX || cfg->min_interval_ns > MIN_INTERVAL_MAX_NS || cfg->reserved)
		return -MEMBW_EINVAL;
	if (storage_size < MEMBW_MEMTALK_HOST_SIZE(cfg->nvms))
		return -MEMBW_ENOSPC;
	pcfg.size = sizeof(pcfg);
	info.size = sizeof(info);
	err = membw_get_config(m, &pcfg);
	if (!err)
		err = membw_get_backend_info(m, &info);
	if (err)
		return err;

	/* Gather the facts in a local first: on error the storage is left as it was. */
	facts.m = m;
	facts.nvms = cfg->nvms;
	facts.base = cfg->base;
	facts.flags = cfg->flags;
	facts.ndomains = pcfg.ndomains;
	facts.line_size = info.line_size;
	facts.period_ns = pcfg.period_ns;
	facts.interval_ns = cfg->min_interval_ns;
	facts.tolerance_ns = (uint64_t)(cfg->burst - 1) * cfg->min_interval_ns;

	for (i = 0; i < cfg->nvms; i++) {
		err = check_limits(&facts, &vms[i]);
		if (err)
			return err;
		if (domain_taken(&facts, vms, cfg->nvms, i, vms[i].domain))
			return -MEMBW_EINVAL;
	}
	for (i = 0; i < cfg->nvms; i++) {
		uint64_t bps[MEMBW_NCHANNELS];

		if (vms[i].domain == MEMBW_NO_DOMAIN)
			continue;
		err = membw_domain_get_budget(m, vms[i].domain, &bps[MEMBW_CH_READ],
					      &bps[MEMBW_CH_WRITE]);
		if (err)
			return err;
		for (k = 0; k < MEMBW_NCHANNELS; k++)
			if (bps[k] > vms[i].cap_bps[k])
				return -MEMBW_ERANGE;
	}

	/* Field by field: a struct copy may become a memcpy call, and the core has no libc. */
	h = storage;
	h->m = facts.m;
	h->nvms = facts.nvms;
	h->base = facts.base;
	h->flags = facts.flags;
	h->ndomains = facts.ndomains;
	h->line_size = facts.line_size;
	h->period_ns = facts.period_ns;
	h->interval_ns = facts.interval_ns;
	h->tolerance_ns = facts.tolerance_ns;
	for (i = 0; i < cfg->nvms; i++) {
		struct vm_state *vm = vm_at(h, i);

		copy_limits(&vm->lim, &vms[i]);
		vm->lock = 0;
		tenant_start(vm, NULL);
	}
	*out = h;
	return 0;
}

/* Set @domain's budgets; the policy itself rides out a colliding host-side setter (bounded). */
static int set_budget(struct membw *m, uint32_t domain, const uint64_t bps[MEMBW_NCHANNELS])
{
	return membw_domain_set_budget(m, domain, bps[MEMBW_CH_READ], bps[MEMBW_CH_WRITE]);
}

int membw_memtalk_host_set_limits(struct membw_memtalk_host *h, uint32_t vm_id,
				  const struct membw_memtalk_vm_limits *lim)
{
	struct vm_state *vm;
	uint64_t bps[MEMBW_NCHANNELS], clamped[MEMBW_NCHANNELS];
	bool changed = false;
	unsigned int ch;
	int err;

	if (!h || !lim || vm_id >= h->nvms)
		return -MEMBW_EINVAL;
	err = check_limits(h, lim);
	if (err)
		return err;
	if (domain_taken(h, NULL, h->nvms, vm_id, lim->domain))
		return -MEMBW_EINVAL;
	vm = vm_at(h, vm_id);
	if (!admin_lock(vm))
		return -MEMBW_EAGAIN;
	if (lim->domain != MEMBW_NO_DOMAIN) {
		err = membw_domain_get_budget(h->m, lim->domain, &bps[MEMBW_CH_READ],
					      &bps[MEMBW_CH_WRITE]);
		if (err)
			goto out;
		/* The budget in force moves into the new [floor, cap]: lowered to a lower cap, and
		 * raised to a higher floor (a guest that set 0 is let out by its administrator). */
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			clamped[ch] = bps[ch];
			if (clamped[ch] > lim->cap_bps[ch])
				clamped[ch] = lim->cap_bps[ch];
			if (clamped[ch] < lim->floor_bps[ch])
				clamped[ch] = lim->floor_bps[ch];
			changed |= clamped[ch] != bps[ch];
		}
		if (changed) {
			err = set_budget(h->m, lim->domain, clamped);
			if (err)
				goto out;
		}
	}
	copy_limits(&vm->lim, lim);
out:
	admin_unlock(vm);
	return err;
}

int membw_memtalk_host_get_limits(struct membw_memtalk_host *h, uint32_t vm_id,
				  struct membw_memtalk_vm_limits *out)
{
	struct vm_state *vm;

	if (!h || !out || vm_id >= h->nvms)
		return -MEMBW_EINVAL;
	vm = vm_at(h, vm_id);
	if (!admin_lock(vm))
		return -MEMBW_EAGAIN;
	copy_limits(out, &vm->lim);
	admin_unlock(vm);
	return 0;
}

/* ------------------------------------------------------------------------------------------- */
/* The dispatcher. */

static void answer(struct membw_memtalk_regs *regs, int64_t status, uint64_t a, uint64_t b,
		   uint64_t c)
{
	regs->r[0] = (uint64_t)status;
	regs->r[1] = a;
	regs->r[2] = b;
	regs->r[3] = c;
}

static void refuse_call(struct membw_memtalk_regs *regs, int64_t status)
{
	answer(regs, status, 0, 0, 0);
}

/*
 * Rate limit as GCRA (one 64-bit time per VM, no division): a call at @now is allowed unless the
 * VM's theoretical arrival time (TAT) is more than the tolerance ahead of now; an allowed call
 * moves TAT to max(TAT, now) + interval. So an allowed call never leaves TAT more than
 * tolerance + interval ahead of the clock. A TAT more than twice that ahead means the clock went
 * back a long way (or one bogus time was passed): the limit restarts from now instead of locking
 * the VM out until the clock catches up; a step back within the bound earns no credit. Times within
 * tolerance + interval of the clock's end are refused, so that TAT cannot wrap.
 */
static uint64_t rate_tat(const struct membw_memtalk_host *h, const struct vm_state *vm,
			 uint64_t now)
{
	uint64_t ahead_max = h->tolerance_ns + h->interval_ns;

	return vm->tat > now && vm->tat - now > 2 * ahead_max ? now : vm->tat;
}

/* 0 if a call at @now is allowed, else the nanoseconds to wait. */
static uint64_t rate_wait(const struct membw_memtalk_host *h, const struct vm_state *vm, uint64_t now)
{
	uint64_t tat;

	if (h->interval_ns == 0)
		return 0;
	if (now > U64_MAX_VALUE - h->tolerance_ns - h->interval_ns)
		return h->interval_ns;
	tat = rate_tat(h, vm, now);
	if (tat <= now || tat - now <= h->tolerance_ns)
		return 0;
	return tat - now - h->tolerance_ns;
}

/* After rate_wait() said 0 for @now. */
static void rate_commit(const struct membw_memtalk_host *h, struct vm_state *vm, uint64_t now)
{
	uint64_t tat = rate_tat(h, vm, now);

	if (h->interval_ns == 0)
		return;
	vm->tat = (tat > now ? tat : now) + h->interval_ns;
}

/* A policy error as a memtalk answer. */
static void refuse_policy(struct membw_memtalk_regs *regs, int err)
{
	if (err == -MEMBW_EAGAIN)
		refuse_call(regs, MEMBW_MEMTALK_BUSY);
	else if (err == -MEMBW_ERANGE || err == -MEMBW_EOPNOTSUPP)
		refuse_call(regs, MEMBW_MEMTALK_RANGE);
	else
		answer(regs, MEMBW_MEMTALK_HOST_ERROR, (uint64_t)(int64_t)-err, 0, 0);
}

static void do_set_budget(struct membw_memtalk_host *h, struct vm_state *vm,
			  struct membw_memtalk_regs *regs, uint64_t now)
{
	const uint64_t bps[MEMBW_NCHANNELS] = {regs->r[2], regs->r[3]};
	unsigned int ch;
	uint64_t wait;
	int err;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (bps[ch] > vm->lim.cap_bps[ch] || bps[ch] < vm->lim.floor_bps[ch]) {
			refuse_call(regs, MEMBW_MEMTALK_DENIED);
			return;
		}
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (!enforceable(h, bps[ch])) {
			refuse_call(regs, MEMBW_MEMTALK_RANGE);
			return;
		}
	wait = rate_wait(h, vm, now);
	if (wait) {
		answer(regs, MEMBW_MEMTALK_RATE_LIMITED, wait, 0, 0);
		return;
	}
	err = set_budget(h->m, vm->lim.domain, bps);
	if (err) {
		refuse_policy(regs, err);
		return;
	}
	rate_commit(h, vm, now);
	answer(regs, MEMBW_MEMTALK_OK, bps[MEMBW_CH_READ], bps[MEMBW_CH_WRITE], 0);
}

static void do_get_budget(struct membw_memtalk_host *h, struct vm_state *vm,
			  struct membw_memtalk_regs *regs)
{
	uint64_t bps[MEMBW_NCHANNELS];
	uint64_t ch = regs->r[2];
	int err;

	err = membw_domain_get_budget(h->m, vm->lim.domain, &bps[MEMBW_CH_READ],
				      &bps[MEMBW_CH_WRITE]);
	if (err) {
		refuse_policy(regs, err);
		return;
	}
	answer(regs, MEMBW_MEMTALK_OK, bps[ch], vm->lim.cap_bps[ch], vm->lim.floor_bps[ch]);
}

static uint64_t bytes(const struct membw_memtalk_host *h, uint64_t events)
{
	return events > U64_MAX_VALUE / h->line_size ? U64_MAX_VALUE : events * h->line_size;
}

/*
 * Page-0 values of @st in their page order, without the period length: periods, then page 1's
 * three, then per channel used, allowance, overshoot in bytes (cur[0] periods, cur[1..] = snap[3..]).
 */
static void stats_values(const struct membw_memtalk_host *h, const struct membw_domain_stats *st,
			 uint64_t cur[SNAP_VALUES - 2])
{
	unsigned int ch;

	cur[0] = st->totals.periods;
	cur[1] = st->totals.throttled_ns;
	cur[2] = st->totals.throttle_count;
	cur[3] = st->totals.missed_periods;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		cur[4 + 3 * ch] = bytes(h, st->totals.ch[ch].used);
		cur[5 + 3 * ch] = bytes(h, st->totals.ch[ch].allowance);
		cur[6 + 3 * ch] = bytes(h, st->totals.ch[ch].overshoot);
	}
}

/* A counter's growth since the tenant's start; 0 if it shrank (a CPU left the domain). */
static uint64_t since(uint64_t now_value, uint64_t start)
{
	return now_value > start ? now_value - start : 0;
}

static void do_get_stats(struct membw_memtalk_host *h, struct vm_state *vm,
			 struct membw_memtalk_regs *regs, uint64_t now)
{
	struct membw_domain_stats st;
	uint64_t cur[SNAP_VALUES - 2];
	uint64_t page = regs->r[2];
	uint64_t wait;
	unsigned int k;
	int err;

	if (page != MEMBW_MEMTALK_STATS_SNAPSHOT) {
		const uint64_t *v = &vm->snap[3 * page];

		answer(regs, MEMBW_MEMTALK_OK, v[0], v[1], v[2]);
		return;
	}
	wait = rate_wait(h, vm, now);
	if (wait) {
		answer(regs, MEMBW_MEMTALK_RATE_LIMITED, wait, 0, 0);
		return;
	}
	st.size = sizeof(st);
	err = membw_domain_get_stats(h->m, vm->lim.domain, &st);
	if (err) {
		refuse_policy(regs, err);
		return;
	}
	rate_commit(h, vm, now);
	vm->snap[0]++; /* the snapshot's sequence number: snapshots taken */
	stats_values(h, &st, cur);
	vm->snap[1] = since(cur[0], vm->base[0]);
	vm->snap[2] = h->period_ns;
	for (k = 3; k < SNAP_VALUES; k++)
		vm->snap[k] = since(cur[k - 2], vm->base[k - 2]);
	answer(regs, MEMBW_MEMTALK_OK, vm->snap[0], vm->snap[1], vm->snap[2]);
}

/* A new tenant in a VM slot (memtalk_host.h). */
int membw_memtalk_host_reset_vm(struct membw_memtalk_host *h, uint32_t vm_id)
{
	struct membw_domain_stats st;
	uint64_t cur[SNAP_VALUES - 2];
	struct vm_state *vm;
	int err = 0;

	if (!h || vm_id >= h->nvms)
		return -MEMBW_EINVAL;
	vm = vm_at(h, vm_id);
	if (!admin_lock(vm))
		return -MEMBW_EAGAIN;
	if (vm->lim.domain == MEMBW_NO_DOMAIN) {
		tenant_start(vm, NULL);
	} else {
		st.size = sizeof(st);
		err = membw_domain_get_stats(h->m, vm->lim.domain, &st);
		if (!err) {
			stats_values(h, &st, cur);
			tenant_start(vm, cur);
		}
	}
	admin_unlock(vm);
	return err;
}

/* Registers a function leaves unused must be 0 (`first` .. r[4]). */
static bool unused_clear(const struct membw_memtalk_regs *regs, unsigned int first)
{
	unsigned int i;

	for (i = first; i < MEMBW_MEMTALK_NREGS; i++)
		if (regs->r[i])
			return false;
	return true;
}

/* A call in memtalk's window: function @fn (relative to the base). */
static void memtalk_call(struct membw_memtalk_host *h, unsigned int vm_id, uint32_t fn,
			 struct membw_memtalk_regs *regs, uint64_t now)
{
	struct vm_state *vm;
	uint64_t ctl = regs->r[1];

	if (fn == MEMBW_MEMTALK_FN_VERSION) {
		if (!unused_clear(regs, 1)) {
			refuse_call(regs, MEMBW_MEMTALK_INVALID_PARAMETER);
			return;
		}
		answer(regs, MEMBW_MEMTALK_OK, MEMBW_MEMTALK_VERSION_WORD, MEMBW_MEMTALK_MAGIC,
			      MEMBW_MEMTALK_FUNCTIONS_V1);
		return;
	}
	if (!(MEMBW_MEMTALK_FUNCTIONS_V1 & (1u << fn))) {
		refuse_call(regs, MEMBW_MEMTALK_NOT_SUPPORTED);
		return;
	}
	if ((ctl & MEMBW_MEMTALK_CTL_VERSION_MASK) != MEMBW_MEMTALK_VERSION_MAJOR) {
		answer(regs, MEMBW_MEMTALK_BAD_VERSION, MEMBW_MEMTALK_VERSION_WORD, 0, 0);
		return;
	}
	if (ctl & ~MEMBW_MEMTALK_CTL_VERSION_MASK) {
		refuse_call(regs, MEMBW_MEMTALK_INVALID_PARAMETER);
		return;
	}
	switch (fn) {
	case MEMBW_MEMTALK_FN_SET_BUDGET:
		if (!unused_clear(regs, 4)) {
			refuse_call(regs, MEMBW_MEMTALK_INVALID_PARAMETER);
			return;
		}
		break;
	case MEMBW_MEMTALK_FN_GET_BUDGET:
		if (!unused_clear(regs, 3) || regs->r[2] >= MEMBW_NCHANNELS) {
			refuse_call(regs, MEMBW_MEMTALK_INVALID_PARAMETER);
			return;
		}
		break;
	default: /* MEMBW_MEMTALK_FN_GET_STATS */
		if (!unused_clear(regs, 3) || regs->r[2] >= MEMBW_MEMTALK_STATS_PAGES) {
			refuse_call(regs, MEMBW_MEMTALK_INVALID_PARAMETER);
			return;
		}
		break;
	}

	vm = vm_at(h, vm_id);
	if (!try_lock(vm)) {
		refuse_call(regs, MEMBW_MEMTALK_BUSY);
		return;
	}
	if (vm->lim.domain == MEMBW_NO_DOMAIN)
		refuse_call(regs, MEMBW_MEMTALK_DENIED);
	else if (fn == MEMBW_MEMTALK_FN_SET_BUDGET)
		do_set_budget(h, vm, regs, now);
	else if (fn == MEMBW_MEMTALK_FN_GET_BUDGET)
		do_get_budget(h, vm, regs);
	else
		do_get_stats(h, vm, regs, now);
	unlock(vm);
}

/* SMCCC's general queries of the vendor hypervisor range, when memtalk owns it. */
static void range_query(uint32_t fid, struct membw_memtalk_regs *regs)
{
	switch (fid & ~MEMBW_MEMTALK_FID_SVE_HINT) {
	case MEMBW_MEMTALK_FID_CALL_UID: /* the four words of memtalk's UID in W0..W3 */
		answer(regs, MEMBW_MEMTALK_UID_0, MEMBW_MEMTALK_UID_1, MEMBW_MEMTALK_UID_2,
		       MEMBW_MEMTALK_UID_3);
		return;
	case MEMBW_MEMTALK_FID_REVISION:
		answer(regs, MEMBW_MEMTALK_VERSION_MAJOR, MEMBW_MEMTALK_VERSION_MINOR, 0, 0);
		return;
	default:
		refuse_call(regs, MEMBW_MEMTALK_NOT_SUPPORTED);
		return;
	}
}

int membw_memtalk_host_dispatch(struct membw_memtalk_host *h, uint32_t vm_id,
			   struct membw_memtalk_regs *regs, uint64_t now_ns)
{
	uint32_t fid, fn;

	if (!h || !regs || vm_id >= h->nvms)
		return -MEMBW_EINVAL;
	/*
	 * One rule for every path, the SMC Calling Convention's (docs/memtalk.md, section 2): the
	 * function ID is W0, so X0 bits 63:32 are ignored; a fast call with any of bits 23:17 set
	 * is no function of the range, so memtalk does not claim it (its owner answers it, with
	 * NOT_SUPPORTED when that is memtalk).
	 */
	fid = (uint32_t)regs->r[0];
	fn = (fid & MEMBW_MEMTALK_FID_NUMBER_MASK) - h->base; /* wraps above the window if below */
	if ((fid & MEMBW_MEMTALK_FID_PREFIX_MASK) == MEMBW_MEMTALK_FID_PREFIX &&
	    !(fid & MEMBW_MEMTALK_FID_MBZ_MASK) && fn < MEMBW_MEMTALK_WINDOW) {
		memtalk_call(h, vm_id, fn, regs, now_ns);
		return 0;
	}
	/* Fast calls (bit 31) of OEN 6, either convention (bit 30). */
	if ((h->flags & MEMBW_MEMTALK_HOST_OWNS_RANGE) && (fid & 0xBF000000u) == 0x86000000u) {
		range_query(fid, regs);
		return 0;
	}
	return -MEMBW_ENOENT;
}
