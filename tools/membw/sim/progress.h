/* SPDX-License-Identifier: MIT */
/* A progress bar on stderr, shown only when stderr is a terminal and the work lasts over a second.
 */
#ifndef MEMBW_TOOL_PROGRESS_H
#define MEMBW_TOOL_PROGRESS_H

#include <stdbool.h>
#include <time.h>

struct progress {
	bool enabled;  /* stderr is a terminal */
	bool shown;
	int last;      /* last percentage drawn */
	struct timespec start;
	const char *label;
};

void progress_start(struct progress *p, const char *label);
/* @fraction of the work is done (0 .. 1). */
void progress_update(void *ctx, double fraction);
/* Erase the bar if it was drawn. */
void progress_end(struct progress *p);

#endif /* MEMBW_TOOL_PROGRESS_H */
