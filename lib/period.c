/* SPDX-License-Identifier: MIT */
/* Out-of-line period steps for the cold entry points (online, offline). */
#include "period.h"

int period_close(struct membw *m, struct cpu *c, uint64_t now, uint64_t periods)
{
	return close_all(m, c, now, periods, true, false, false);
}

int period_open(struct membw *m, struct cpu *c, uint64_t now)
{
	return open_all(m, c, now, c->epoch, true, false, 0);
}
