/* SPDX-License-Identifier: MIT */
/* Drawing an experiment with gnuplot (Debian package gnuplot-nox): a PNG with DRAM bandwidth per
 * core over time, without and with regulation, and the real-time core's progress. */
#ifndef MEMBW_TOOL_PLOT_H
#define MEMBW_TOOL_PLOT_H

#include "experiment.h"

/* Cores drawn in the bandwidth panels; more would be unreadable. */
#define PLOT_MAX_CORES 8

/* Write @png from @x (run with series). Returns 0, or -1 with a message in @err. */
int plot_png(const char *png, const struct experiment *x, char *err, size_t errlen);

#endif /* MEMBW_TOOL_PLOT_H */
