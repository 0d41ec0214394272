"""The escape suite (issue 17): hostile modules fail, are reported by kind, and harm nothing.

Runs under every isolation this machine supports (bubblewrap, and the in-process fallback);
a layer the machine lacks skips the escapes only that layer stops, with the reason (the
mode reached is printed in the test summary by ``conftest.py``).

The parent gets a fake ``~/.ssh/id_rsa`` and a fake API key in its environment, to prove
that neither can be read.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from simlab.sandbox import Sandbox, SandboxCallError, SandboxLimits
from simlab.sandbox.confinement import bwrap_problem
from tests.sandbox.conftest import MODES_REACHED

FAKE_KEY = "sk-ant-api03-FAKE-do-not-leak-0123456789"
FAKE_SSH = "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-do-not-leak\n"
LIMITS = SandboxLimits(
    wall_seconds=8.0, cpu_seconds=1.0, memory_mb=1024, file_size_mb=8, disk_mb=24
)


@pytest.fixture(scope="module", params=["bwrap", "process"])
def jail(request, tmp_path_factory):
    """(sandbox, home, modules folder, outside folder) with a fake secret in the parent."""
    if request.param == "bwrap" and bwrap_problem():
        pytest.skip(f"bubblewrap unavailable here: {bwrap_problem()}")
    home = tmp_path_factory.mktemp("home")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_rsa").write_text(FAKE_SSH)
    (home / ".ssh" / "id_rsa").chmod(0o600)
    outside = tmp_path_factory.mktemp("outside")
    modules = tmp_path_factory.mktemp("modules")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        box = Sandbox(LIMITS, isolation=request.param)
        mode = box.mode
        MODES_REACHED[request.param] = mode.summary()
        try:
            yield box, home, modules, outside
        finally:
            box.close()


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return path


def needs(box: Sandbox, *layers: str) -> None:
    missing = [name for name in layers if name not in box.mode.layers]
    if missing:
        reasons = "; ".join(f"{n}: {box.mode.missing.get(n, '?')}" for n in missing)
        pytest.skip(f"this machine's sandbox lacks {', '.join(missing)} ({reasons})")


def escape(
    box: Sandbox, path: Path, *kinds: str, caught: bool = False, **payload: object
) -> SandboxCallError:
    """Call the module; it must fail as a violation of one of ``kinds``, leaking nothing.

    Unless the module catches the error itself (``caught``), the call must have *failed*:
    a call that returned means the kernel let the operation through and only the report
    saw it.
    """
    with pytest.raises(SandboxCallError) as info:
        box.call(path, "solve", {"spec": payload, "resolution": 1})
    err = info.value
    found = {v["kind"] for v in err.violations}
    assert found & set(kinds), f"expected a {kinds} violation, got {err.violations}: {err}"
    assert caught or err.kind != "violation", f"the operation was not stopped: {err}"
    text = f"{err}\n{err.stdout}\n{err.stderr}"
    assert FAKE_KEY not in text
    assert "FAKE-do-not-leak" not in text
    # the parent and the sandbox are unharmed: a well-behaved call still works
    ok = write(path.parent, "well_behaved", "def solve(spec, n):\n    return {'x': 1.0}\n")
    assert box.call(ok, "solve", {"spec": {}, "resolution": 1}).value == {"x": 1.0}
    return err


# ---------------------------------------------------------------- network


def test_opening_a_socket_fails(jail):
    box, _, modules, _ = jail
    needs(box, "network")
    path = write(
        modules,
        "net_socket",
        """
        import socket
        def solve(spec, n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(2)
            s.connect(("1.1.1.1", 53))
            return {"x": 1.0}
        """,
    )
    escape(box, path, "network")


def test_resolving_a_host_name_fails(jail):
    box, _, modules, _ = jail
    needs(box, "network")
    path = write(
        modules,
        "net_resolve",
        """
        import socket
        def solve(spec, n):
            return {"x": float(len(socket.getaddrinfo("pypi.org", 443)))}
        """,
    )
    escape(box, path, "network")


def test_ctypes_calling_socket_directly_fails(jail):
    box, _, modules, _ = jail
    needs(box, "network")
    path = write(
        modules,
        "net_ctypes",
        """
        import ctypes
        def solve(spec, n):
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.socket(2, 1, 0)  # AF_INET, SOCK_STREAM
            if fd < 0:
                raise OSError(ctypes.get_errno(), "socket() refused")
            return {"x": float(fd)}
        """,
    )
    escape(box, path, "network")


# ---------------------------------------------------------------- files and secrets


def test_reading_the_users_ssh_key_fails(jail):
    box, home, modules, _ = jail
    needs(box, "filesystem")
    key = home / ".ssh" / "id_rsa"
    path = write(
        modules,
        "read_ssh",
        f"""
        def solve(spec, n):
            text = open({str(key)!r}).read()
            print(text)
            return {{"x": float(len(text))}}
        """,
    )
    escape(box, path, "file-read")


def test_reading_etc_shadow_fails(jail):
    box, _, modules, _ = jail
    needs(box, "filesystem")
    if not Path("/etc/shadow").exists():
        pytest.skip("this machine has no /etc/shadow")
    path = write(
        modules,
        "read_shadow",
        """
        def solve(spec, n):
            text = open("/etc/shadow").read()
            print(text)
            return {"x": float(len(text))}
        """,
    )
    escape(box, path, "file-read")


def test_writing_outside_the_scratch_folder_fails(jail):
    box, _, modules, outside = jail
    needs(box, "filesystem")
    target = outside / "planted.txt"
    path = write(
        modules,
        "write_outside",
        f"""
        def solve(spec, n):
            with open({str(target)!r}, "w") as fh:
                fh.write("planted")
            return {{"x": 1.0}}
        """,
    )
    escape(box, path, "file-write")
    assert not target.exists()


def test_a_caught_violation_is_still_reported(jail):
    box, home, modules, _ = jail
    needs(box, "filesystem")
    key = home / ".ssh" / "id_rsa"
    path = write(
        modules,
        "sneaky",
        f"""
        def solve(spec, n):
            try:
                open({str(key)!r}).read()
            except OSError:
                pass
            return {{"x": 1.0}}
        """,
    )
    err = escape(box, path, "file-read", caught=True)
    assert err.kind == "violation"


def test_the_api_key_is_not_in_the_environment(jail):
    box, _, modules, _ = jail
    path = write(
        modules,
        "env_key",
        """
        import os
        def solve(spec, n):
            key = os.environ["ANTHROPIC_API_KEY"]
            print(key)
            return {"x": float(len(key))}
        """,
    )
    escape(box, path, "secret")


def test_the_parents_environ_cannot_be_read(jail):
    box, _, modules, _ = jail
    needs(box, "filesystem")
    path = write(
        modules,
        "proc_environ",
        """
        def solve(spec, n):
            text = open(f"/proc/{int(spec['parent'])}/environ", "rb").read()
            print(text)
            return {"x": float(len(text))}
        """,
    )
    escape(box, path, "secret", parent=os.getpid())


# ---------------------------------------------------------------- processes


def test_a_fork_bomb_fails(jail):
    box, _, modules, _ = jail
    needs(box, "processes")
    path = write(
        modules,
        "fork_bomb",
        """
        import os
        def solve(spec, n):
            while True:
                os.fork()
        """,
    )
    escape(box, path, "process")


def test_execv_of_a_shell_fails(jail):
    box, _, modules, outside = jail
    needs(box, "processes")
    target = outside / "shell-was-here"
    path = write(
        modules,
        "exec_shell",
        f"""
        import os
        def solve(spec, n):
            os.execv("/bin/sh", ["sh", "-c", "touch {target}"])
        """,
    )
    escape(box, path, "process")
    assert not target.exists()


def test_ptrace_of_the_parent_fails(jail):
    box, _, modules, _ = jail
    needs(box, "ptrace")
    path = write(
        modules,
        "ptrace_parent",
        """
        import ctypes
        def solve(spec, n):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.ptrace(16, int(spec["parent"]), None, None) != 0:  # PTRACE_ATTACH
                raise OSError(ctypes.get_errno(), "ptrace refused")
            return {"x": 1.0}
        """,
    )
    escape(box, path, "ptrace", parent=os.getpid())


# ---------------------------------------------------------------- resources


def test_filling_the_disk_fails(jail):
    box, _, modules, _ = jail
    path = write(
        modules,
        "fill_disk",
        """
        def solve(spec, n):
            block = b"x" * 2**20
            for i in range(100000):
                with open(f"fill-{i}.bin", "wb") as fh:
                    for _ in range(4):
                        fh.write(block)
        """,
    )
    escape(box, path, "disk")


def test_allocating_past_the_memory_limit_fails(jail):
    box, _, modules, _ = jail
    path = write(
        modules,
        "hog_memory",
        """
        import numpy as np
        def solve(spec, n):
            return {"x": float(np.ones(2 * 10**9).sum())}
        """,
    )
    escape(box, path, "memory")


def test_spinning_past_the_cpu_limit_fails(jail):
    box, _, modules, _ = jail
    path = write(
        modules,
        "spin_cpu",
        """
        def solve(spec, n):
            while True:
                pass
        """,
    )
    escape(box, path, "cpu", "time")


def test_without_confinement_the_suite_would_catch_the_escape(tmp_path_factory):
    """The suite can fail: with isolation 'none' the same modules read and write freely."""
    home = tmp_path_factory.mktemp("home-open")
    (home / "id_rsa").write_text(FAKE_SSH)
    outside = tmp_path_factory.mktemp("outside-open")
    modules = tmp_path_factory.mktemp("modules-open")
    target = outside / "planted.txt"
    path = write(
        modules,
        "escapes",
        f"""
        def solve(spec, n):
            with open({str(target)!r}, "w") as fh:
                fh.write(open({str(home / "id_rsa")!r}).read())
            return {{"x": 1.0}}
        """,
    )
    with Sandbox(LIMITS, isolation="none") as box:
        assert box.mode.level == "none"
        with pytest.raises(SandboxCallError) as info:
            box.call(path, "solve", {"spec": {}, "resolution": 1})
    assert info.value.kind == "violation"  # reported, but not stopped:
    assert target.read_text() == FAKE_SSH


def test_what_numeric_libraries_read_about_the_machine_stays_readable(jail):
    """/proc/cpuinfo, /proc/meminfo and the call's own /proc entry are no violation."""
    box, _, modules, _ = jail
    path = write(
        modules,
        "machine_facts",
        """
        import os
        def solve(spec, n):
            sizes = [len(open(p).read()) for p in
                     ("/proc/cpuinfo", "/proc/meminfo", "/proc/self/status")]
            return {"x": float(min(sizes) > 0), "cpus": float(os.cpu_count() or 0)}
        """,
    )
    value = box.call(path, "solve", {"spec": {}, "resolution": 1}).value
    assert value["x"] == 1.0 and value["cpus"] >= 1


def test_no_descriptor_is_inherited_but_the_result_pipe(jail, tmp_path):
    """Only stdin (/dev/null), the captured stdout/stderr and the result pipe are open."""
    box, _, modules, _ = jail
    with open(tmp_path / "parent-secret.txt", "w") as held:  # open in the parent meanwhile
        held.write("x")
        path = write(
            modules,
            "fds",
            """
            import os
            def solve(spec, n):
                targets = []
                for f in os.listdir("/proc/self/fd"):
                    try:
                        targets.append(os.readlink(f"/proc/self/fd/{f}"))
                    except OSError:
                        pass  # the listing's own descriptor, closed since
                held = any("parent-secret" in t for t in targets)
                return {"count": float(len(targets)), "held": float(held)}
            """,
        )
        value = box.call(path, "solve", {"spec": {}, "resolution": 1}).value
    assert value["held"] == 0.0
    assert value["count"] <= 4  # 0, 1, 2 and the result pipe
