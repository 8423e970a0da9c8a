# SPDX-License-Identifier: MIT
"""docs/python.md's first example runs as written."""
import contextlib
import io
import pathlib


def test_first_example(srcdir: pathlib.Path) -> None:
    text = (srcdir / "docs" / "python.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/python.md", "exec"), {})
    assert out.getvalue() == "600 us throttled\n"
