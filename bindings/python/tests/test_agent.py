# SPDX-License-Identifier: MIT
"""The guest-agent API from Python over libmembw-agent.so.0.

Without a guest driver here, the paths that need no device are tested against the real library:
no device (ENODEV), a file that is not the device (EDRIVER, detail ENOTTY), every code's sentence,
and the structures against the C compiler when include/membw/agent.h is in the tree. With no
agent library in the tree the module is skipped, saying so. The device paths are proven by the
agent library's own suites (fake device, kernel tests)."""
import errno
import os
import pathlib
from typing import Dict

import pytest

import membw
from membw import agent

if not os.environ.get("MEMBW_AGENT_LIBRARY"):
    pytest.skip("no MEMBW_AGENT_LIBRARY: this tree has no libmembw-agent (include/membw/agent.h)",
                allow_module_level=True)


@pytest.fixture
def no_device(monkeypatch: pytest.MonkeyPatch, scratch: pathlib.Path) -> pathlib.Path:
    path = scratch / "no-such-device"
    monkeypatch.setenv("MEMBW_MEMTALK_DEV", str(path))
    return path


def test_no_device(no_device: pathlib.Path) -> None:
    for call in (lambda: membw.set_budget("500MB/s"), membw.get_budget, membw.get_stats,
                 agent.status):
        with pytest.raises(agent.AgentError) as e:
            call()
        assert e.value.code == agent.ENODEV and e.value.name == "ENODEV"
        assert e.value.message == agent.strerror(agent.ENODEV) and e.value.detail == 0
        assert isinstance(e.value, membw.MembwError)


def test_not_the_device(monkeypatch: pytest.MonkeyPatch, scratch: pathlib.Path) -> None:
    plain = scratch / "plain-file"
    plain.write_bytes(b"")
    monkeypatch.setenv("MEMBW_MEMTALK_DEV", str(plain))
    with pytest.raises(agent.AgentError) as e:
        agent.set_budget(500 * 10**6, agent.KEEP)
    assert e.value.code == agent.EDRIVER
    assert e.value.detail == errno.ENOTTY, "a plain file answers no ioctl"


def test_refused_before_sending(no_device: pathlib.Path) -> None:
    with pytest.raises(agent.AgentError) as e:
        agent.set_budget(agent.KEEP, agent.KEEP)
    assert e.value.code == agent.EINVAL, "both channels kept: nothing to ask"
    with pytest.raises(membw.MembwError) as e2:
        agent.set_budget("fast")
    assert e2.value.code == membw.errors.EINVAL and e2.value.reason


def test_every_code_has_its_sentence() -> None:
    codes = [getattr(agent, n) for n in agent.__all__ if n.startswith("E")]
    texts = {agent.strerror(c) for c in codes}
    assert len(texts) == len(codes) and "unknown error" not in texts
    assert agent.strerror(-agent.EDENIED) == agent.strerror(agent.EDENIED)
    assert agent.strerror(999) == "unknown error"


def test_layout(srcdir: pathlib.Path, scratch: pathlib.Path) -> None:
    import ctypes
    import subprocess
    if not (srcdir / "include" / "membw" / "agent.h").exists():
        pytest.skip("include/membw/agent.h is not in this tree yet")
    exe = scratch / "layout"
    subprocess.run([os.environ.get("CC", "gcc"), "-std=c11", "-I", str(srcdir / "include"), "-I",
                    str(srcdir / "bindings" / "simlib"), str(srcdir / "bindings" / "abi" / "layout.c"),
                    "-o", str(exe)], check=True)
    view: Dict[str, int] = {}
    for line in subprocess.run([str(exe)], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        k1, k2, v = line.split()
        view[k1 + " " + k2] = int(v)
    for cname, py in (("membw_agent_info", agent._Info), ("membw_agent_stats", agent._Stats)):
        assert ctypes.sizeof(py) == view["size " + cname]
        assert ctypes.alignment(py) == view["align " + cname]
        for f, _ in py._fields_:
            key = "offset %s.%s" % (cname, f)
            if key in view:
                assert getattr(py, f).offset == view[key], key
    for name in agent.__all__:
        if name.startswith("E") or name in ("UNLIMITED", "KEEP"):
            assert getattr(agent, name) == view["const MEMBW_AGENT_" + name], name
