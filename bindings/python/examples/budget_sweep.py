#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Sweep the memory hogs' budget over a scenario and plot the real-time core's slowdown.

    budget_sweep.py SCENARIO.ini [--rt-core 0] [--budgets 50MB/s,100MB/s,...] [--out sweep.png]

Every core but the real-time one gets each budget in turn (a domain of one CPU each); the
real-time core keeps what the scenario gives it. Prints a table and writes a PNG plot of the
real-time core's slowdown against the hogs' budget, with and without reclaim, and unregulated.
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import membw  # noqa: E402
from membw.sim import Simulation  # noqa: E402


def main(argv: list) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--rt-core", type=int, default=0)
    ap.add_argument("--budgets", default="50MB/s,100MB/s,150MB/s,200MB/s,300MB/s,400MB/s")
    ap.add_argument("--out", default="sweep.png")
    args = ap.parse_args(argv)
    budgets = [membw.parse_rate(b) for b in args.budgets.split(",")]
    sim = Simulation(args.scenario)
    rows = []
    print("%12s  %12s  %12s  %12s" % ("hog budget", "budgets", "reclaim", "none"))
    for b in budgets:
        for core in range(sim.ncores):
            if core != args.rt_core:
                sim.set_core_budget(core, b)
        res = sim.run()
        row = [res[v][args.rt_core].slowdown for v in ("budgets", "reclaim", "none")]
        rows.append(row)
        print("%12s  %11.3fx  %11.3fx  %11.3fx" % (membw.format_rate(b), *row))
    mbps = [b / 1e6 for b in budgets]
    fig, ax = plt.subplots(figsize=(6, 4))
    for i, label in enumerate(("budgets", "budgets + reclaim", "no regulation")):
        ax.plot(mbps, [r[i] for r in rows], marker="o", label=label)
    ax.set_xlabel("budget of each other core (MB/s)")
    ax.set_ylabel("slowdown of core %d vs. alone (x)" % args.rt_core)
    ax.set_title(args.scenario.rsplit("/", 1)[-1])
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out)
    print("plot: %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
