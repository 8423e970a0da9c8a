/* SPDX-License-Identifier: MIT */
/*
 * At period start a CPU picks up what control paths changed: its domain and flags, the global
 * modes, its domain's budgets. Inline because it runs at every period start and almost always
 * finds nothing changed (three loads and compares); the update itself is in membership.c.
 */
#ifndef MEMBW_LIB_MEMBERSHIP_H
#define MEMBW_LIB_MEMBERSHIP_H

#include "internal.h"

void membership_update(struct membw *m, struct cpu *c, uint64_t assignment, uint64_t mode);
void membership_leave(struct membw *m, struct cpu *c);

hot_inline void membership_latch(struct membw *m, struct cpu *c)
{
	uint64_t assignment = load_acquire(&c->assignment);
	uint64_t mode = load_relaxed(&m->mode);

	if (__builtin_expect(!c->in_force || assignment != c->latched || mode != c->mode, 0) ||
	    (c->domain != MEMBW_NO_DOMAIN &&
	     load_acquire(&m->domains[c->domain].budget) != c->budget_seen))
		membership_update(m, c, assignment, mode);
}

#endif /* MEMBW_LIB_MEMBERSHIP_H */
