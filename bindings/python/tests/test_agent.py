# SPDX-License-Identifier: MIT
"""The guest-agent API from Python over libmembw-agent.so.0.

Against the real library: no device (ENODEV), a file that is not the device (EDRIVER, detail
ENOTTY), every code's sentence, the structures against the C compiler, and, through a stand-in
device whose requests the real memtalk host dispatcher answers (loopback_device.c, LD_PRELOAD),
the calls end to end. With no agent library in the tree the module is skipped, saying so; the
real driver is proven by the agent library's own suites (fake device, kernel tests)."""
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


def test_layout(c_view: Dict[str, int]) -> None:
    import ctypes
    for cname, py in (("membw_agent_info", agent._Info), ("membw_agent_stats", agent._Stats)):
        assert ctypes.sizeof(py) == c_view["size " + cname]
        assert ctypes.alignment(py) == c_view["align " + cname]
        for f, _ in py._fields_:
            key = "offset %s.%s" % (cname, f)
            if key in c_view:
                assert getattr(py, f).offset == c_view[key], key
    for name in agent.__all__:
        if name.startswith("E") or name in ("UNLIMITED", "KEEP"):
            assert getattr(agent, name) == c_view["const MEMBW_AGENT_" + name], name


def test_loopback_end_to_end(srcdir: pathlib.Path, scratch: pathlib.Path) -> None:
    """membw.set_budget() through libmembw-agent, unchanged, into a stand-in device
    (tests/loopback_device.c, LD_PRELOAD) whose requests the real memtalk host dispatcher answers
    over a real policy: budgets stored, a refusal above the cap with its own code, status and
    statistics decoded."""
    import subprocess
    import sys
    if not (srcdir / "include" / "membw" / "memtalk_dev.h").exists():
        pytest.skip("include/membw/memtalk_dev.h is not in this tree yet")
    lib = pathlib.Path(os.environ["MEMBW_LIBRARY"]).parent
    so = scratch / "loopback.so"
    subprocess.run([os.environ.get("CC", "gcc"), "-std=c11", "-Wall", "-Wextra", "-Werror",
                    "-shared", "-fPIC", "-I", str(srcdir / "include"),
                    str(pathlib.Path(__file__).parent / "loopback_device.c"), "-o", str(so),
                    "-L", str(lib), "-lmembw", "-ldl"], check=True)
    code = r"""
import membw
from membw import agent
info = agent.status()
print(info.present, hex(info.version), info.functions, info.conduit, info.budget_bps,
      info.cap_bps, info.floor_bps)
membw.set_budget("500MB/s")
print(membw.get_budget())
membw.set_budget(agent.KEEP, 200_000_000)
print(membw.get_budget())
try:
    membw.set_budget("2GB/s")
except agent.AgentError as e:
    print(e.name, e.code, e.detail)
s = membw.get_stats()
print(s.sequence, s.periods, s.period_ns)
"""
    env = dict(os.environ, LD_PRELOAD=str(so), LD_LIBRARY_PATH=str(lib), MEMBW_LOOPBACK="1",
               MEMBW_MEMTALK_DEV=str(scratch / "membw_memtalk"),
               PYTHONPATH=str(pathlib.Path(membw.__file__).parents[1]))
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                         text=True).stdout.splitlines()
    # docs/memtalk.md: version word 1 << 16, functions 0..3 (0xF); the limits set above.
    assert out[0] == ("True 0x10000 15 loopback (100000000, 100000000) (1000000000, 1000000000)"
                      " (10000000, 10000000)")
    assert out[1] == "(500000000, 100000000)", "read set, write kept"
    assert out[2] == "(500000000, 200000000)", "write set, read kept"
    assert out[3] == "EDENIED 105 0", "above the cap: memtalk DENIED, code 100 + 5"
    assert out[4] == "1 1 1000000", "first snapshot: one closed period of 1 ms"
