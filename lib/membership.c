/* SPDX-License-Identifier: MIT */
/*
 * Taking up changes made by control paths, and keeping two shared counts right: regulated online
 * CPUs per domain (the divisor of shares and chunks) and in total (for sharing modes).
 */
#include "membership.h"

static void count_member(struct membw *m, uint32_t domain, int32_t delta)
{
	add32(&m->domains[domain].nonline, delta);
	add32(&m->nregulated, delta);
}

/*
 * Which steady step the CPU's ticks may take until the next change (steady_tick(), period.h):
 * none while tracing, which needs the whole period step. Reclaim works only on limited channels,
 * so a CPU with none (no domain, or no budget on the instance's channels) takes the step with
 * reclaim off whatever the mode. With reclaim on and one channel, the key says that channel is
 * limited: the general open that follows every change works out `limited` from the same member
 * and budget (open_channel()), and nothing else writes it, so that step need not test it.
 */
static void steady_keys(struct membw *m, struct cpu *c, uint64_t changes, uint32_t member,
			uint64_t budget)
{
	/* A member has a budget on one channel at least (membership_update()): with two, one of
	 * them is limited; with one, it must be that one (control.c refuses a write budget then;
	 * tested all the same, since the step with reclaim on and one channel relies on it). */
	bool limited = member != MEMBW_NO_DOMAIN &&
		       (m->nch > 1 || budget_events(budget, MEMBW_CH_READ) != EVENTS_UNLIMITED);
	bool reclaim = (c->mode & MODE_RECLAIM) && limited;
	uint64_t key = tracing(m) ? CHANGES_NONE : changes;

	c->steady_at = reclaim ? CHANGES_NONE : key;
	c->steady_reclaim_at = reclaim && m->nch == 1 ? key : CHANGES_NONE;
	c->steady_reclaim2_at = reclaim && m->nch > 1 ? key : CHANGES_NONE;
}

/* Something changed: take the new assignment, modes and budgets; keep the counts right. */
void membership_update(struct membw *m, struct cpu *c, uint64_t changes)
{
	uint64_t budget = budget_word(EVENTS_UNLIMITED, EVENTS_UNLIMITED);
	uint64_t assignment = load_acquire(&c->assignment);
	uint32_t member = MEMBW_NO_DOMAIN;
	unsigned int ch;

	c->changes_seen = changes;
	store32_relaxed(&c->domain, (uint32_t)assignment);
	c->dom = c->domain == MEMBW_NO_DOMAIN ? NULL : &m->domains[c->domain];
	if (c->dom) {
		budget = load_acquire(&c->dom->budget);
		if (budget != budget_word(EVENTS_UNLIMITED, EVENTS_UNLIMITED))
			member = c->domain;
	}
	/* After the acquire loads above, so a mode set before a budget is never seen after it. */
	c->mode = load_relaxed(&m->mode);
	if (tracing(m) || m->counter_half < WIDE_COUNTER_HALF)
		c->mode |= MODE_THROTTLE_GENERAL;
	steady_keys(m, c, changes, member, budget);
	/* A new budget, a new pool chunk and reclaim share (grant_pool_chunk(), grant_share_of()):
	 * the cached ones are dropped. */
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		c->ch[ch].budget = budget_events(budget, ch);
		c->chunk_n[ch] = CHUNK_NONE;
		c->share_n[ch] = CHUNK_NONE;
	}
	if (member != c->member_of) {
		if (c->member_of != MEMBW_NO_DOMAIN)
			count_member(m, c->member_of, -1);
		if (member != MEMBW_NO_DOMAIN)
			count_member(m, member, 1);
		c->member_of = member;
		set_state(c, member == MEMBW_NO_DOMAIN ? c->state & ~MEMBW_CPU_REGULATED
						       : c->state | MEMBW_CPU_REGULATED);
	}
}

void membership_leave(struct membw *m, struct cpu *c)
{
	if (c->member_of != MEMBW_NO_DOMAIN)
		count_member(m, c->member_of, -1);
	c->member_of = MEMBW_NO_DOMAIN;
	c->changes_seen = CHANGES_NONE;
	c->steady_at = CHANGES_NONE;
	c->steady_reclaim_at = CHANGES_NONE;
	c->steady_reclaim2_at = CHANGES_NONE;
	set_state(c, c->state & ~MEMBW_CPU_REGULATED);
}
