/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

#define WIDTH 40
#define DELAY_S 1.0

void progress_start(struct progress *p, const char *label)
{
	p->enabled = isatty(STDERR_FILENO);
	p->shown = false;
	p->last = -1;
	p->label = label;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void progress_update(void *ctx, double fraction)
{
	struct progress *p = ctx;
	struct timespec now;
	int pct, i, fill;

	if (!p->enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->shown && (double)(now.tv_sec - p->start.tv_sec) +
				 (double)(now.tv_nsec - p->start.tv_nsec) / 1e9 < DELAY_S)
		return;
	pct = (int)(fraction * 100.0);
	if (pct > 100)
		pct = 100;
	if (pct == p->last)
		return;
	p->last = pct;
	p->shown = true;
	fill = pct * WIDTH / 100;
	fprintf(stderr, "\r%s [", p->label);
	for (i = 0; i < WIDTH; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%%", pct);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->shown = false;
}
