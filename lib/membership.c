/* SPDX-License-Identifier: MIT */
/*
 * At period start a CPU picks up what control paths changed (its domain and flags, the global
 * modes, its domain's budgets) and keeps two shared counts right: regulated online CPUs per domain
 * (the divisor of shares and chunks) and in total (for sharing modes).
 */
#include "internal.h"

static void count_member(struct membw *m, uint32_t domain, int32_t delta)
{
	add32(&m->domains[domain].nonline, delta);
	add32(&m->nregulated, delta);
}

void membership_latch(struct membw *m, struct cpu *c)
{
	uint64_t word = load_acquire(&c->assignment);
	uint64_t budget = budget_word(EVENTS_UNLIMITED, EVENTS_UNLIMITED);
	uint32_t member = MEMBW_NO_DOMAIN;
	unsigned int ch;

	if (word != c->latched) {
		c->latched = word;
		store32_relaxed(&c->domain, (uint32_t)word);
		store32_relaxed(&c->flags, (uint32_t)(word >> 32));
	}
	c->mode = (uint32_t)load_relaxed(&m->mode);
	if (c->domain != MEMBW_NO_DOMAIN && !(c->flags & MEMBW_CPU_REALTIME)) {
		budget = load_acquire(&m->domains[c->domain].budget);
		if (budget != budget_word(EVENTS_UNLIMITED, EVENTS_UNLIMITED))
			member = c->domain;
	}
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		c->ch[ch].budget = budget_events(budget, ch);
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
	set_state(c, c->state & ~MEMBW_CPU_REGULATED);
}
