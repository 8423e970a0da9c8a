/* SPDX-License-Identifier: MIT */
/*
 * At period start a CPU picks up what control paths changed: its domain and flags, the global
 * modes, its domain's budgets. Inline because it runs at every period start and almost always
 * finds nothing changed (three loads and compares); the update itself is in membership.c.
 */
#ifndef MEMBW_LIB_MEMBERSHIP_H
#define MEMBW_LIB_MEMBERSHIP_H

#include "internal.h"

void membership_update(struct membw *m, struct cpu *c, uint64_t assignment);
void membership_leave(struct membw *m, struct cpu *c);

/*
 * The mode is loaded after the acquire loads of the assignment and the budget, so a change made
 * before them (set_reclaim, then set_budget) is never seen after them.
 */
hot_inline void membership_latch(struct membw *m, struct cpu *c)
{
	uint64_t assignment = load_acquire(&c->assignment);
	bool budget_changed = c->domain != MEMBW_NO_DOMAIN &&
			      load_acquire(&m->domains[c->domain].budget) != c->budget_seen;

	if (__builtin_expect(!c->in_force || assignment != c->latched || budget_changed ||
				     load_relaxed(&m->mode) != c->mode, 0))
		membership_update(m, c, assignment);
}

#endif /* MEMBW_LIB_MEMBERSHIP_H */
