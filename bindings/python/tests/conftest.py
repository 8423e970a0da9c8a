# SPDX-License-Identifier: MIT
"""Shared fixtures: the source tree, a scratch directory under build/, the package on sys.path.

make check-python sets MEMBW_LIBRARY, MEMBW_SIM_LIBRARY (the build tree's libraries),
MEMBW_SRCDIR (the repository) and MEMBW_SCRATCH (build/python); run by hand, the same variables
make it work from anywhere.
"""
import os
import pathlib
import subprocess
import sys
from typing import Dict

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = pathlib.Path(os.environ.get("MEMBW_SRCDIR", HERE.parents[2]))
sys.path.insert(0, str(HERE.parent / "src"))


@pytest.fixture
def srcdir() -> pathlib.Path:
    """The repository's top directory."""
    return SRCDIR


@pytest.fixture
def scratch(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> pathlib.Path:
    """An empty directory for this test, under MEMBW_SCRATCH (build/python) when make runs us."""
    root = os.environ.get("MEMBW_SCRATCH")
    if not root:
        return tmp_path_factory.mktemp("scratch")
    d = pathlib.Path(root) / request.node.name
    if d.exists():
        import shutil
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


@pytest.fixture(scope="session")
def c_view(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, int]:
    """Every line of bindings/abi/layout.c's output ("size NAME", "align NAME",
    "offset NAME.FIELD", "const NAME" -> the number), compiled with the system C compiler."""
    exe = tmp_path_factory.mktemp("layout") / "layout"
    subprocess.run([os.environ.get("CC", "gcc"), "-std=c11", "-Wall", "-Werror",
                    "-I", str(SRCDIR / "include"), "-I", str(SRCDIR / "bindings" / "simlib"),
                    str(SRCDIR / "bindings" / "abi" / "layout.c"), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return {" ".join(line.split()[:2]): int(line.split()[2]) for line in out.splitlines()}
