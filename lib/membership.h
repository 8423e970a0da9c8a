/* SPDX-License-Identifier: MIT */
/*
 * At period start a CPU picks up what control paths changed: its domain, the global
 * modes, its domain's budgets. Inline because it runs at every period start and almost always
 * finds nothing changed (one load and compare); the update itself is in membership.c.
 */
#ifndef MEMBW_LIB_MEMBERSHIP_H
#define MEMBW_LIB_MEMBERSHIP_H

#include "internal.h"

void membership_update(struct membw *m, struct cpu *c, uint64_t changes);
void membership_leave(struct membw *m, struct cpu *c);

/*
 * Every control path bumps membw::changes with release order after its store, so one acquire load
 * and compare tells a CPU whether anything may have changed since it last looked; the update then
 * reads everything. A change that lands after this load bumps the count again and is taken up at
 * the next period start.
 */
hot_inline void membership_latch(struct membw *m, struct cpu *c)
{
	uint64_t changes = load_acquire(&m->changes);

	if (__builtin_expect(changes != c->changes_seen, 0))
		membership_update(m, c, changes);
}

#endif /* MEMBW_LIB_MEMBERSHIP_H */
