# SPDX-License-Identifier: MIT
"""`pip install` works offline with Debian's setuptools (no index, no build isolation) into a
scratch target, and the installed package (with py.typed) is the one imported from there."""
import os
import pathlib
import shutil
import subprocess

HERE = pathlib.Path(__file__).resolve().parent


def test_pip_install_offline(scratch: pathlib.Path) -> None:
    src = scratch / "src"
    # a copy, so that the build's egg-info and build/ never land in the source tree
    shutil.copytree(HERE.parent, src, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    target = scratch / "target"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_CACHE_DIR=str(scratch / "cache"), HOME=str(scratch))
    subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--no-index",
                    "--no-build-isolation", "--no-deps", "--target", str(target), str(src)],
                   env=env, check=True, capture_output=True, text=True)
    assert (target / "membw" / "py.typed").exists()
    code = "import membw, sys; print(membw.__file__); print(membw.parse_rate('1.5GiB/s'))"
    out = subprocess.run(["/usr/bin/python3", "-c", code], cwd=scratch,
                         env=dict(env, PYTHONPATH=str(target)), check=True, capture_output=True,
                         text=True).stdout.split()
    assert out[0].startswith(str(target)) and out[1] == str(3 * 2**29)
    # Without MEMBW_LIBRARY the dynamic loader finds libmembw.so.0 by its SONAME, as it finds an
    # installed one (here through LD_LIBRARY_PATH, as ldconfig's cache would for /usr/lib).
    bare = {k: v for k, v in env.items() if not k.startswith("MEMBW_")}
    libdir = os.path.dirname(os.environ["MEMBW_LIBRARY"]) if "MEMBW_LIBRARY" in os.environ else ""
    if not libdir:
        return
    code = "import membw, membw._lib as l; print(l.library_path(), membw.format_rate(64))"
    out = subprocess.run(["/usr/bin/python3", "-c", code], cwd=scratch,
                         env=dict(bare, PYTHONPATH=str(target), LD_LIBRARY_PATH=libdir),
                         check=True, capture_output=True, text=True).stdout.split()
    assert out == ["libmembw.so.0", "64", "B/s"]
