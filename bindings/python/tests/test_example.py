# SPDX-License-Identifier: MIT
"""The budget-sweep example runs on the default scenario, prints the slowdowns and writes a PNG."""
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def test_budget_sweep(srcdir: pathlib.Path, scratch: pathlib.Path) -> None:
    out = scratch / "sweep.png"
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"), MPLBACKEND="Agg",
               MPLCONFIGDIR=str(scratch / "mpl"))
    p = subprocess.run([sys.executable, str(HERE.parent / "examples" / "budget_sweep.py"),
                        str(srcdir / "scenarios" / "default.ini"), "--budgets",
                        "100MB/s,200MB/s", "--out", str(out)],
                       env=env, capture_output=True, text=True, check=True)
    lines = p.stdout.splitlines()
    # The README's figures for default.ini: 1.029x at 100 MB/s per hog, 1.058x at 200 MB/s,
    # 2.083x unregulated.
    assert lines[1].split() == ["100", "MB/s", "1.029x", "1.032x", "2.083x"]
    assert lines[2].split()[:3] == ["200", "MB/s", "1.058x"]
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000
