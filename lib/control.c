/* SPDX-License-Identifier: MIT */
/*
 * Changes made from any CPU at any time: validated in full, then published with one atomic store
 * each, which CPUs pick up at their next period start (membership.c).
 */
#include "internal.h"

static bool instance_bad(const struct membw *m)
{
	return !m || m->magic != MEMBW_MAGIC;
}

/* Tell every CPU to take up changes at its next period start (membership.h). */
static void changed(struct membw *m)
{
	add_release(&m->changes, 1);
}

/* Make @d's sequence odd (ours); false if other setters held it for MEMBW_BUSY_TRIES tries. */
static bool domain_budget_lock(struct domain *d, uint64_t *seq)
{
	unsigned int tries;

	*seq = load_relaxed(&d->seq);
	for (tries = 0; tries < MEMBW_BUSY_TRIES; tries++) {
		if (!(*seq & 1) && cas(&d->seq, seq, *seq + 1))
			return true;
		*seq = load_relaxed(&d->seq);
	}
	return false;
}

static int rate_to_events(const struct membw *m, uint64_t bps, uint64_t *events)
{
	if (bps == MEMBW_UNLIMITED) {
		*events = EVENTS_UNLIMITED;
		return 0;
	}
	return membw_bps_to_events(bps, m->period_ns, m->info.line_size, events);
}

int membw_domain_set_budget(struct membw *m, uint32_t domain, uint64_t read_bps,
			    uint64_t write_bps)
{
	uint64_t read_events, write_events, seq;
	struct domain *d;
	int err;

	if (instance_bad(m) || domain >= m->ndomains)
		return -MEMBW_EINVAL;
	if (write_bps != MEMBW_UNLIMITED && m->nch < 2)
		return -MEMBW_EOPNOTSUPP;
	err = rate_to_events(m, read_bps, &read_events);
	if (!err)
		err = rate_to_events(m, write_bps, &write_events);
	if (err)
		return err;
	/*
	 * The rates as set and the budget word enforced change together: a second setter of the
	 * same domain meanwhile waits its turn (MEMBW_BUSY_TRIES tries), and readers retry
	 * (domain_budget_read()). CPUs read only the budget word, with one acquire load.
	 */
	d = &m->domains[domain];
	if (!domain_budget_lock(d, &seq))
		return -MEMBW_EAGAIN;
	/*
	 * The CAS's release half orders only what came before it: without this fence arm64 may make
	 * the new rates visible before the odd sequence, and a reader would pair them with the old
	 * even sequence (tests/memtalk/seqlock/check-seqlock).
	 */
	fence_release();
	store_relaxed(&d->bps[MEMBW_CH_READ], read_bps);
	store_relaxed(&d->bps[MEMBW_CH_WRITE], write_bps);
	store_release(&d->budget, budget_word(read_events, write_events));
	store_release(&d->seq, seq + 2);
	changed(m);
	return 0;
}

bool domain_budget_read(const struct domain *d, uint64_t bps[MEMBW_NCHANNELS], uint64_t *word)
{
	unsigned int tries;
	uint64_t seq;

	for (tries = 0; tries < MEMBW_BUSY_TRIES; tries++) {
		seq = load_acquire(&d->seq);
		if (seq & 1)
			continue;
		/* acquire loads: the second look at seq cannot move before them */
		bps[MEMBW_CH_READ] = load_acquire(&d->bps[MEMBW_CH_READ]);
		bps[MEMBW_CH_WRITE] = load_acquire(&d->bps[MEMBW_CH_WRITE]);
		*word = load_acquire(&d->budget);
		fence_acquire(); /* pairs with the setter's fence_release() */
		if (load_relaxed(&d->seq) == seq)
			return true;
	}
	return false;
}

int membw_domain_get_budget(const struct membw *m, uint32_t domain, uint64_t *read_bps,
			    uint64_t *write_bps)
{
	uint64_t bps[MEMBW_NCHANNELS], word;

	if (instance_bad(m) || domain >= m->ndomains || !read_bps || !write_bps)
		return -MEMBW_EINVAL;
	if (!domain_budget_read(&m->domains[domain], bps, &word))
		return -MEMBW_EAGAIN;
	*read_bps = bps[MEMBW_CH_READ];
	*write_bps = bps[MEMBW_CH_WRITE];
	return 0;
}

int membw_cpu_set_domain(struct membw *m, uint32_t cpu, uint32_t domain)
{
	if (cpu_bad(m, cpu) || (domain >= m->ndomains && domain != MEMBW_NO_DOMAIN))
		return -MEMBW_EINVAL;
	store_release(&cpu_at(m, cpu)->assignment, assignment_word(domain));
	changed(m);
	return 0;
}

static void set_mode_bits(struct membw *m, uint64_t clear, uint64_t set)
{
	uint64_t old = load_relaxed(&m->mode);

	while (!cas(&m->mode, &old, (old & ~clear) | set))
		;
	changed(m);
}

int membw_set_sharing(struct membw *m, enum membw_sharing sharing)
{
	if (instance_bad(m) || (uint32_t)sharing > MEMBW_SHARE_PROPORTIONAL)
		return -MEMBW_EINVAL;
	if (sharing != MEMBW_SHARE_NONE && !m->env.kick_all)
		return -MEMBW_EOPNOTSUPP;
	set_mode_bits(m, MODE_SHARING_MASK, (uint32_t)sharing);
	return 0;
}

int membw_set_reclaim(struct membw *m, bool on)
{
	if (instance_bad(m))
		return -MEMBW_EINVAL;
	set_mode_bits(m, MODE_RECLAIM, on ? MODE_RECLAIM : 0);
	return 0;
}
