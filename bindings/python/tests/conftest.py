# SPDX-License-Identifier: MIT
"""Shared fixtures: the source tree, a scratch directory under build/, the package on sys.path.

make check-python sets MEMBW_LIBRARY, MEMBW_SIM_LIBRARY (the build tree's libraries),
MEMBW_SRCDIR (the repository) and MEMBW_SCRATCH (build/python); run by hand, the same variables
make it work from anywhere.
"""
import os
import pathlib
import sys

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
