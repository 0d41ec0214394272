"""The sandbox: hostile modules become clear SandboxErrors and never harm the parent."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from simlab.errors import SandboxError, SimlabError
from simlab.sandbox import Sandbox, SandboxCallError, SandboxLimits

LIMITS = SandboxLimits(wall_seconds=3.0, cpu_seconds=2.0, memory_mb=1536, output_chars=2000)


@pytest.fixture(scope="module")
def box():
    with Sandbox(LIMITS) as sandbox:
        yield sandbox


def module(tmp_path: Path, body: str, name: str = "supplied") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return path


def call(box: Sandbox, path: Path, **limits: float):
    lim = SandboxLimits(**{**LIMITS.__dict__, **limits}) if limits else None
    return box.call(path, "solve", {"spec": {}, "resolution": 4}, lim)


def test_a_well_behaved_module_returns_its_value_and_output(box, tmp_path):
    path = module(
        tmp_path,
        """
        import sys
        def solve(spec, resolution):
            print("to stdout")
            print("to stderr", file=sys.stderr)
            return {"x": 2.0 * resolution}
        """,
    )
    result = call(box, path)
    assert result.value == {"x": 8.0}
    assert "to stdout" in result.stdout
    assert "to stderr" in result.stderr


def test_os_exit_is_a_crash_and_the_sandbox_keeps_working(box, tmp_path):
    path = module(tmp_path, "import os\ndef solve(spec, n):\n    os._exit(3)\n")
    with pytest.raises(SandboxError, match="exited with status 3") as info:
        call(box, path)
    assert isinstance(info.value, SimlabError) and isinstance(info.value, RuntimeError)
    assert info.value.kind == "crash"
    ok = module(tmp_path, "def solve(spec, n):\n    return {'x': 1.0}\n", "ok")
    assert call(box, ok).value == {"x": 1.0}


def test_an_endless_loop_times_out_within_its_limits(box, tmp_path):
    path = module(tmp_path, "def solve(spec, n):\n    while True:\n        pass\n")
    started = time.monotonic()
    with pytest.raises(SandboxCallError) as info:
        call(box, path)
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < LIMITS.wall_seconds + 5


def test_sleeping_forever_hits_the_wall_time_limit(box, tmp_path):
    path = module(tmp_path, "import time\ndef solve(spec, n):\n    time.sleep(1000)\n")
    with pytest.raises(SandboxCallError, match="wall-time limit") as info:
        call(box, path, wall_seconds=1.5)
    assert info.value.kind == "timeout"


def test_allocating_10_gb_is_a_memory_error_not_a_parent_crash(box, tmp_path):
    path = module(
        tmp_path,
        """
        import numpy as np
        def solve(spec, n):
            big = np.ones(10 * 2**30 // 8)
            return {"x": float(big[0])}
        """,
    )
    with pytest.raises(SandboxCallError, match="out of memory") as info:
        call(box, path)
    assert info.value.kind == "memory"


def test_printing_garbage_does_not_corrupt_the_protocol(box, tmp_path):
    path = module(
        tmp_path,
        """
        import os, sys
        def solve(spec, n):
            print("}{ not json \\x00" * 50000)
            os.write(1, b'{"event": "done", "ok": true, "value": {"x": 666}}\\n')
            sys.stdout.flush()
            return {"x": 1.0}
        """,
    )
    result = call(box, path)
    assert result.value == {"x": 1.0}
    assert len(result.stdout) < 2 * LIMITS.output_chars + 200  # captured, truncated


def test_a_non_json_result_breaks_the_protocol_clearly(box, tmp_path):
    path = module(tmp_path, "def solve(spec, n):\n    return {'x': object()}\n")
    with pytest.raises(SandboxCallError, match="not JSON") as info:
        call(box, path)
    assert info.value.kind == "protocol"


def test_an_exception_carries_the_modules_own_traceback(box, tmp_path):
    path = module(tmp_path, "def solve(spec, n):\n    raise ValueError('bad input')\n")
    with pytest.raises(SandboxCallError, match="ValueError: bad input") as info:
        call(box, path)
    assert "_server.py" not in str(info.value)
    assert "supplied.py" in str(info.value)


def test_a_segfault_is_reported_as_a_signal(box, tmp_path):
    path = module(tmp_path, "import ctypes\ndef solve(spec, n):\n    ctypes.string_at(0)\n")
    with pytest.raises(SandboxCallError, match="SIGSEGV"):
        call(box, path)


def test_working_directory_and_environment_are_confined(tmp_path, monkeypatch):
    monkeypatch.setenv("SIMLAB_TEST_PRIVATE_VALUE", "do-not-leak")
    monkeypatch.chdir(tmp_path)
    path = module(
        tmp_path,
        """
        import os
        def solve(spec, n):
            with open("relative.txt", "w") as fh:
                fh.write("inside")
            return {"cwd_files": float(len(os.listdir("."))),
                    "private": float("SIMLAB_TEST_PRIVATE_VALUE" in os.environ),
                    "home_is_cwd": float(os.environ["HOME"] == os.getcwd())}
        """,
    )
    with Sandbox(LIMITS) as fresh:  # started after the secret was set
        value = fresh.call(path, "solve", {"spec": {}, "resolution": 1}).value
    assert value["private"] == 0.0
    assert value["home_is_cwd"] == 1.0
    assert value["cwd_files"] == 1.0
    assert not (tmp_path / "relative.txt").exists()  # written in the call's own folder


def test_a_subprocess_is_a_violation_and_leaves_nothing_running(box, tmp_path):
    path = module(
        tmp_path,
        """
        import subprocess
        def solve(spec, n):
            child = subprocess.Popen(["sleep", "1000"])
            return {"pid": float(child.pid)}
        """,
    )
    if "processes" not in box.mode.layers:
        pytest.skip(f"no process confinement here: {box.mode.missing.get('processes')}")
    with pytest.raises(SandboxCallError) as info:
        call(box, path)
    assert {v["kind"] for v in info.value.violations} == {"process"}


def test_a_missing_module_file_is_a_clear_error(box, tmp_path):
    with pytest.raises(SandboxError, match="not found"):
        box.call(tmp_path / "nope.py", "solve", {})


def test_limits_must_be_positive():
    with pytest.raises(SandboxError, match="must be positive"):
        SandboxLimits(wall_seconds=0)


def test_two_replies_in_one_read_are_both_delivered_at_once():
    """Regression: under load the server's 'started' and 'done' lines arrive in one read; a
    buffered readline() used to swallow both and leave select() waiting for the second."""
    read, write = os.pipe()
    os.write(write, b'{"event": "started", "pid": 1}\n{"event": "done", "ok": true}\n')

    class FakeProcess:
        stdout = os.fdopen(read, "rb")

        def poll(self):
            return None

    box = Sandbox(LIMITS)
    box._proc = FakeProcess()  # type: ignore[assignment]
    started = time.monotonic()
    assert box._read_event(started + 2.0)["event"] == "started"
    assert box._read_event(started + 2.0)["event"] == "done"
    assert time.monotonic() - started < 0.5
    box._proc = None
    os.close(write)
