"""The sandbox's fork server: a trusted helper process, stdlib only, started by the parent.

Started as ``python -I _server.py`` with a minimal environment. It preloads the heavy numeric
libraries once, then answers one JSON request per line on stdin: for each it forks a child
that confines itself (new session, rlimits, a fresh working directory, captured output),
imports the supplied module from its file and calls one function. The server collects the
child's result, kills it on timeout, and answers with one JSON line on stdout. The server
itself never imports the supplied module, so a crash there cannot take it down.

Request: ``{"module": path, "call": "describe" | "solve", "payload": {...},
"limits": {"wall": s, "cpu": s, "memory": bytes, "file_size": bytes, "output": chars}}``.
Events (one JSON line each): ``{"event": "started", "pid": pid}`` then ``{"event": "done",
"ok": bool, ...}``.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback

if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]  # the server's folder is not the supplied module's import path

RESULT_LIMIT = 64 * 1024 * 1024
PRELOAD = (
    "numpy",
    "scipy.linalg",
    "scipy.sparse",
    "scipy.sparse.linalg",
    "scipy.integrate",
    "scipy.special",
    "scipy.optimize",
    "scipy.interpolate",
)


def preload(extra: list[str]) -> None:
    """Import the numeric libraries once, so every forked child starts with them loaded."""
    for name in (*PRELOAD, *extra):
        # a missing optional library only costs the child an import
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def confine(limits: dict, workdir: str, capture: str) -> None:
    """In the child: own session, resource limits, working directory, captured output."""
    os.setsid()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    memory = int(limits["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(limits["cpu"]))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    size = int(limits["file_size"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    os.chdir(workdir)
    os.environ["HOME"] = workdir
    os.environ["TMPDIR"] = workdir
    tempfile.tempdir = workdir
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    out = os.open(os.path.join(capture, "stdout"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(os.path.join(capture, "stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(err, 2)
    for fd in (null, out, err):
        os.close(fd)


def load(path: str) -> object:
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)  # siblings in the module's folder may be imported
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def call(module: object, what: str, payload: dict) -> object:
    if what == "describe":
        declared = getattr(module, "SOLVER", None)
        plan = getattr(module, "plan", None)
        return {
            "solver": declared,
            "plan": plan(payload["spec"]) if callable(plan) else None,
            "has_solve": callable(getattr(module, "solve", None)),
        }
    if what == "solve":
        solve = getattr(module, "solve", None)
        if not callable(solve):
            raise TypeError("the module has no function solve(spec, resolution)")
        return solve(payload["spec"], payload["resolution"])
    raise ValueError(f"unknown call {what!r}")


def child(request: dict, result_fd: int, workdir: str, capture: str) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        confine(request["limits"], workdir, capture)
        module = load(request["module"])
        value = call(module, request["call"], request.get("payload") or {})
        try:
            data = json.dumps({"ok": True, "value": value}, allow_nan=True)
        except (TypeError, ValueError) as exc:
            data = json.dumps(
                {"ok": False, "kind": "protocol", "message": f"the result is not JSON data: {exc}"}
            )
            code = 3
    except MemoryError as exc:
        data = json.dumps({"ok": False, "kind": "memory", "message": f"MemoryError: {exc}"})
        code = 4
    except BaseException as exc:  # the supplied code's failure is the report, whatever it is
        tb = supplied_traceback(exc)
        data = json.dumps(
            {
                "ok": False,
                "kind": "exception",
                "message": f"{type(exc).__name__}: {exc}",
                "traceback": tb[-4000:],
            }
        )
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        view = memoryview(data.encode())
        while view:
            written = os.write(result_fd, view[:65536])
            view = view[written:]
    finally:
        os._exit(code)


def supplied_traceback(exc: BaseException) -> str:
    """The traceback without the server's own frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    lines = traceback.format_list(frames[-8:])
    return "".join(lines) + "".join(traceback.format_exception_only(type(exc), exc))


def describe_status(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGXCPU:
            return "timeout", f"killed by {name}: the CPU-time limit was reached"
        return "crash", f"killed by signal {name}"
    code = os.WEXITSTATUS(status)
    return "crash", f"exited with status {code} before returning a result"


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n... [{len(text) - limit} characters cut] ...\n{text[-half:]}"


def read_capture(capture: str, name: str, limit: int) -> str:
    path = os.path.join(capture, name)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > 4 * limit:
                head = fh.read(2 * limit)
                fh.seek(size - 2 * limit)
                raw = head + b"\n...\n" + fh.read()
            else:
                raw = fh.read()
    except OSError:
        return ""
    return truncate(raw.decode("utf-8", "replace"), limit)


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def serve_one(request: dict, root: str, emit) -> dict:
    limits = request["limits"]
    workdir = tempfile.mkdtemp(prefix="run-", dir=root)
    capture = tempfile.mkdtemp(prefix="out-", dir=root)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        child(request, write_fd, workdir, capture)
    os.close(write_fd)
    emit({"event": "started", "pid": pid})
    chunks: list[bytes] = []
    size = 0
    deadline = started + float(limits["wall"])
    outcome: dict | None = None
    status = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                outcome = {
                    "kind": "timeout",
                    "message": f"wall-time limit of {limits['wall']:g} s reached",
                }
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > RESULT_LIMIT:
                    outcome = {
                        "kind": "protocol",
                        "message": f"the result exceeds {RESULT_LIMIT // 2**20} MB",
                    }
                    break
                chunks.append(chunk)
        kill_group(pid)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(read_fd)
    seconds = time.monotonic() - started
    response: dict = {
        "event": "done",
        "seconds": seconds,
        "stdout": read_capture(capture, "stdout", int(limits["output"])),
        "stderr": read_capture(capture, "stderr", int(limits["output"])),
    }
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(capture, ignore_errors=True)
    if outcome is None and chunks:
        try:
            data = json.loads(b"".join(chunks).decode())
        except (ValueError, UnicodeDecodeError) as exc:
            data = {"ok": False, "kind": "protocol", "message": f"unreadable result: {exc}"}
        response.update(data)
        return response
    if outcome is None:
        kind, message = describe_status(status if status is not None else 0)
        if kind == "crash" and os.WIFSIGNALED(status or 0):
            message += (
                " (a crash in native code, or memory exhausted under the "
                f"{int(limits['memory']) // 2**20} MB limit)"
            )
        outcome = {"kind": kind, "message": message}
    response.update({"ok": False, **outcome})
    return response


def main() -> None:
    root = sys.argv[1]
    preload(sys.argv[2:])
    out = sys.stdout

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    emit({"event": "ready", "pid": os.getpid()})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            emit(serve_one(request, root, emit))
        except Exception as exc:  # a malformed request must not stop the server
            emit({"event": "done", "ok": False, "kind": "server", "message": repr(exc)})


if __name__ == "__main__":
    main()
