"""Run functions of a supplied module in confined child processes, from the parent's side.

A :class:`Sandbox` owns one fork server (``_server.py``, started with ``python -I`` and a
minimal environment, in a private temporary folder). Each :meth:`Sandbox.call` is one fresh
forked child: the numeric libraries are already loaded, so a call costs milliseconds of
overhead instead of the seconds a cold interpreter needs to import scipy. Calls are
serialised per sandbox (one lock); use one sandbox per worker for parallel runs.

Every failure of the supplied code (exception, crash, signal, timeout, memory, a result that
is not JSON) becomes a :class:`~simlab.errors.SandboxError` with the captured stderr tail.
If the server itself stops answering, it is killed and restarted on the next call.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simlab.errors import SandboxError
from simlab.sandbox.confinement import (
    SandboxMode,
    bwrap_prefix,
    bwrap_problem,
    chosen_isolation,
    module_grants,
    server_argv,
)
from simlab.sandbox.limits import SandboxLimits, minimal_environment

SERVER = Path(__file__).with_name("_server.py")
SERVER_GRACE = 15.0
"""Seconds the parent waits beyond the wall limit before it gives up on the server."""
STARTUP_SECONDS = 120.0
DEFAULT_PRELOAD: tuple[str, ...] = ()


class SandboxCallError(SandboxError):
    """A supplied module's call failed; ``kind`` says how, with its captured output."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        stdout: str = "",
        stderr: str = "",
        hint: str | None = None,
        violations: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.stdout = stdout
        self.stderr = stderr
        self.violations = list(violations or [])


@dataclass
class CallResult:
    """What one sandboxed call returned, with its captured output."""

    value: Any
    seconds: float
    stdout: str = ""
    stderr: str = ""


@dataclass
class Sandbox:
    """A fork server for supplied modules; reuse it for many calls, close it at the end.

    ``isolation`` is ``auto`` / ``bwrap`` / ``process`` / ``none``
    (:mod:`simlab.sandbox.confinement`); :attr:`mode` says what the calls really ran under.
    """

    limits: SandboxLimits = field(default_factory=SandboxLimits)
    preload: tuple[str, ...] = DEFAULT_PRELOAD
    isolation: str | None = None

    def __post_init__(self) -> None:
        self.isolation = chosen_isolation(self.isolation)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._root: str | None = None
        self._child: int | None = None
        self._pidns = False
        self._buffer = b""
        self._mode: SandboxMode | None = None
        self._home = os.environ.get("HOME") or str(Path.home())

    @property
    def mode(self) -> SandboxMode:
        """The confinement of this sandbox's calls (starts the server if needed)."""
        with self._lock:
            self._start()
            assert self._mode is not None
            return self._mode

    # ---------------------------------------------------------------- public

    def call(
        self,
        module: str | Path,
        what: str,
        payload: dict[str, Any] | None = None,
        limits: SandboxLimits | None = None,
    ) -> CallResult:
        """Call ``what`` ("describe" or "solve") of the module file in a fresh child."""
        path = Path(module).resolve()
        if not path.is_file():
            raise SandboxError(f"supplied solver module not found: {path}")
        lim = limits or self.limits
        request = {
            "module": str(path),
            "call": what,
            "payload": payload or {},
            "limits": lim.for_server(),
            "read": module_grants(path, self._home),
        }
        try:
            line = json.dumps(request, allow_nan=True)
        except (TypeError, ValueError) as exc:
            raise SandboxError(f"the request for {path.name} is not JSON data: {exc}") from None
        with self._lock:
            response = self._exchange(line, lim.wall_seconds + SERVER_GRACE, path.name)
        return _result(response, path.name, what, lim)

    def close(self) -> None:
        """Stop the server and remove its folder (idempotent)."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- server

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        notes: dict[str, str] = {}
        isolation = str(self.isolation)
        if isolation == "auto":
            problem = bwrap_problem()
            isolation = "process" if problem else "bwrap"
            if problem:
                notes["namespaces"] = problem
        try:
            event = self._launch(isolation)
        except SandboxError as exc:
            if self.isolation != "auto" or isolation != "bwrap":
                raise
            notes["namespaces"] = f"bubblewrap failed to start the server: {exc}"
            isolation = "process"
            event = self._launch(isolation)
        self._pidns = bool(event.get("pidns"))
        self._mode = SandboxMode.from_ready(event, isolation, notes)
        assert self._proc is not None
        return self._proc

    def _launch(self, isolation: str) -> dict[str, Any]:
        """Start the server under ``isolation`` and return its ready event."""
        self._root = tempfile.mkdtemp(prefix="simlab-sandbox-")
        self._buffer = b""
        disk = self.limits.disk_mb * 2**20
        config = {"isolation": isolation, "home": self._home, "disk": disk}
        argv = server_argv(SERVER, self._root, config, self.preload)
        if isolation == "bwrap":
            argv = [*bwrap_prefix(self._root, disk, self._home), *argv]
        self._proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self._root,
            env={**minimal_environment(), "HOME": self._root, "TMPDIR": self._root},
            text=True,
            start_new_session=True,
        )
        event = self._read_event(time.monotonic() + STARTUP_SECONDS)
        if event is None or event.get("event") != "ready":
            self._stop()
            raise SandboxError(f"the sandbox server did not start (isolation {isolation})")
        return event

    def _exchange(self, line: str, timeout: float, name: str) -> dict[str, Any]:
        proc = self._start()
        assert proc.stdin is not None
        try:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._stop()
            raise SandboxError(f"the sandbox server died before running {name}") from None
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_event(deadline)
            if event is None:
                self._stop()
                raise SandboxError(
                    f"{name}: no answer from the sandbox within {timeout:g} s; the call and "
                    "its server were killed",
                    hint="raise SandboxLimits.wall_seconds or make the solver faster",
                )
            if event.get("event") == "started":
                # a pid inside the server's pid namespace means nothing out here
                self._child = None if self._pidns else int(event["pid"])
                continue
            self._child = None
            return event

    def _read_event(self, deadline: float) -> dict[str, Any] | None:
        """The next protocol line from the server, or None at the deadline or its exit.

        Reads the raw pipe into our own buffer: a buffered text reader could swallow two
        lines at once, and select() would then wait on an empty pipe for the second.
        """
        proc = self._proc
        if proc is None or proc.stdout is None:
            return None
        fd = proc.stdout.fileno()
        while True:
            if b"\n" in self._buffer:
                line, _, self._buffer = self._buffer.partition(b"\n")
                try:
                    return json.loads(line)
                except ValueError:
                    continue  # not a protocol line
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                if proc.poll() is not None:
                    return None
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk

    def _stop(self) -> None:
        if self._child is not None:
            _kill_group(self._child)
            self._child = None
        if self._proc is not None:
            _kill_group(self._proc.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            self._proc = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _result(response: dict[str, Any], name: str, what: str, lim: SandboxLimits) -> CallResult:
    stdout, stderr = response.get("stdout", ""), response.get("stderr", "")
    violations = [
        {"kind": str(v.get("kind")), "detail": str(v.get("detail"))}
        for v in response.get("violations") or []
        if isinstance(v, dict)
    ]
    if response.get("ok") and not violations:
        return CallResult(
            response.get("value"), float(response.get("seconds", 0.0)), stdout, stderr
        )
    kind = response.get("kind", "crash") if not response.get("ok") else "violation"
    message = response.get("message", "failed")
    if violations:
        kinds = sorted({v["kind"] for v in violations})
        listed = "; ".join(f"{v['kind']}: {v['detail']}" for v in violations[:6])
        message = f"sandbox violation ({', '.join(kinds)}): {listed}" + (
            f" [{message}]" if not response.get("ok") else ""
        )
    detail = response.get("traceback") or stderr
    text = {
        "exception": f"{name}: {what} raised {message}",
        "timeout": f"{name}: {what} timed out ({message})",
        "memory": f"{name}: {what} ran out of memory under the {lim.memory_mb} MB limit "
        f"({message})",
        "crash": f"{name}: {what} crashed: {message}",
        "protocol": f"{name}: {what} broke the protocol: {message}",
        "sandbox": f"{name}: {what} could not be confined as promised: {message}",
    }.get(kind, f"{name}: {what} failed in the sandbox: {message}")
    if violations and kind not in ("timeout", "memory"):
        text = f"{name}: {what}: {message}"
    if detail:
        text += "\n" + _tail(detail, 1500)
    raise SandboxCallError(
        text,
        kind=kind,
        stdout=stdout,
        stderr=stderr,
        hint=_HINTS.get("violation" if violations else kind),
        violations=violations,
    )


_HINTS = {
    "violation": "the module tried something the sandbox forbids (network, files outside its "
    "folder, secrets, processes, or a resource limit): remove it; docs/sandbox.md lists the rules",
    "sandbox": "run `simlab doctor` to see which confinement this machine supports",
    "timeout": "the call exceeded its time limit; check for an endless loop or reduce the work",
    "memory": "reduce the resolution or the memory the solver allocates",
    "protocol": "solve(spec, resolution) must return a dict of observable name -> float",
}


def _tail(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


_SHARED: dict[int, Sandbox] = {}
_SHARED_LOCK = threading.Lock()


def shared_sandbox() -> Sandbox:
    """One sandbox per process and thread, closed at exit (for callers that do not manage one)."""
    key = threading.get_ident()
    with _SHARED_LOCK:
        box = _SHARED.get(key)
        if box is None:
            box = _SHARED[key] = Sandbox()
        return box


@atexit.register
def _close_shared() -> None:
    for box in list(_SHARED.values()):
        box.close()
    _SHARED.clear()
