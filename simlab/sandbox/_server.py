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

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and sys.path[0] == HERE:
    del sys.path[0]  # the server's folder is not the supplied module's import path


def _load_jail():
    spec = importlib.util.spec_from_file_location("_simlab_jail", os.path.join(HERE, "_jail.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


jail = _load_jail()
NPROC = 64
"""RLIMIT_NPROC of a call: threads (new processes are denied by seccomp); root ignores it."""
SYSTEM_READ = (
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/etc/ld.so.cache", "/etc/localtime",
    "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
    "/proc/cpuinfo", "/proc/meminfo", "/sys/devices/system/cpu",
)  # fmt: skip
"""Read-only paths every call may open besides Python's own (loader cache, time zone, what
numeric libraries read about the CPU); the call's own /proc entry is added per call."""
IMPORTABLE = ("simlab", "numpy", "scipy", "sympy", "skimage", "numba", "jax", "torch")
"""Packages a supplied module may import although the server did not preload them."""

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


class Confinement:
    """The kernel layers this server applies to every call, decided once by a probe child.

    ``layers`` maps a layer name to the mechanism that enforces it; ``missing`` maps a layer
    name to why it could not be had. A call whose child fails to apply a layer the probe had
    is refused (kind ``sandbox``): the mode reported is never stronger than what ran.
    """

    def __init__(self, config: dict, root: str) -> None:
        self.isolation = config.get("isolation", "auto")
        self.home = config.get("home") or ""
        self.disk = int(config.get("disk", 0))
        self.root = root
        self.layers: dict[str, str] = {}
        self.missing: dict[str, str] = {}
        self.read: list[str] = []
        self.landlock = 0
        self.seccomp = False
        self.pidns = self.isolation == "bwrap"

    def setup(self) -> None:
        """Server-level layers (network namespace), the read list, then the probe."""
        self.read = base_read_paths(self.home)
        self.layers["environment"] = "allow-list set by the parent (no secrets)"
        self.layers["descriptors"] = "closed in every call but the result pipe"
        self.layers["limits"] = "rlimits: memory, CPU, file size, core dumps; wall-time kill"
        if self.isolation == "none":
            for name in ("network", "filesystem", "processes", "ptrace", "signals", "disk"):
                self.missing[name] = "confinement switched off (isolation='none')"
            return
        net: list[str] = []
        if self.isolation == "bwrap":
            net.append("bubblewrap network namespace")
            self.layers["namespaces"] = "bubblewrap: user, pid, ipc, uts, network; root read-only"
        else:
            try:
                net.append(jail.unshare_network())
            except OSError as exc:
                self.missing["network-namespace"] = str(exc)
        probe = self.probe()
        self.landlock = int(probe.get("landlock", 0))
        self.seccomp = bool(probe.get("seccomp"))
        for name, reason in probe.get("failed", {}).items():
            self.missing[name] = reason
        if self.seccomp:
            net.append("seccomp: no socket()")
        if self.landlock >= 4:
            net.append(f"Landlock ABI {self.landlock}: no TCP")
        self._layer("network", net, "no network namespace and no seccomp filter")
        self._layer(
            "filesystem",
            [f"Landlock ABI {self.landlock}: read-only allow-list, writes in the call folder"]
            if self.landlock
            else [],
            self.missing.get("landlock", "the kernel has no Landlock"),
        )
        self._layer(
            "processes",
            ["seccomp: no fork, exec or namespaces; threads only"] if self.seccomp else [],
            self.missing.get("seccomp", "no seccomp filter"),
        )
        tracer = ["seccomp: no ptrace"] if self.seccomp else []
        tracer += ["Landlock: no tracing outside the call"] if self.landlock else []
        self._layer("ptrace", tracer, "no seccomp filter and no Landlock")
        signals = ["seccomp: signals to itself only"] if self.seccomp else []
        signals += ["pid namespace"] if self.pidns else []
        signals += ["Landlock scope"] if self.landlock >= 6 else []
        self._layer("signals", signals, "no seccomp filter, pid namespace or Landlock scope")
        if self.isolation == "bwrap" and self.disk:
            self.layers["disk"] = f"tmpfs of {self.disk // 2**20} MB for the scratch folders"
        else:
            self.missing["disk"] = (
                "no size-limited scratch file system (needs bubblewrap); a watchdog kills a "
                "call whose folder outgrows the disk limit"
            )
        if probe.get("verified") is False:
            self.missing["verification"] = probe.get("why", "the probe could escape")

    def _layer(self, name: str, mechanisms: list[str], reason: str) -> None:
        if mechanisms:
            self.layers[name] = "; ".join(mechanisms)
        else:
            self.missing[name] = reason

    def probe(self) -> dict:
        """Apply every layer in a throw-away child and check that the kernel enforces them."""
        read_fd, write_fd = os.pipe()
        workdir = tempfile.mkdtemp(prefix="probe-", dir=self.root)
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            report: dict = {"failed": {}}
            try:
                report = self.apply(workdir, [], write_fd, probing=True)
                report["verified"], report["why"] = verify(self.root, report)
            except BaseException as exc:  # report, never raise in the probe child
                report["failed"]["probe"] = repr(exc)
            os.write(write_fd, json.dumps(report).encode())
            os._exit(0)
        os.close(write_fd)
        data = b""
        while chunk := os.read(read_fd, 65536):
            data += chunk
        os.close(read_fd)
        os.waitpid(pid, 0)
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            return json.loads(data.decode())
        except ValueError:
            return {"failed": {"probe": "the probe child died"}}

    def apply(self, workdir: str, extra_read: list[str], result_fd: int, probing: bool = False):
        """In a child: close descriptors, drop privileges, Landlock, seccomp (in that order)."""
        jail.close_inherited_fds((0, 1, 2, result_fd))
        report: dict = {"failed": {}}
        if self.isolation == "none":
            return report
        steps = [("privileges", jail.no_new_privs), ("capabilities", jail.drop_capabilities)]
        abi = jail.landlock_abi() if probing else self.landlock
        if abi:
            read = [*self.read, *extra_read]
            steps.append(("landlock", lambda: jail.landlock_restrict(read, [workdir], abi)))
        elif probing:
            report["failed"]["landlock"] = "the kernel has no Landlock (ABI 0)"
        reason = jail.seccomp_supported()
        if (probing and reason is None) or (not probing and self.seccomp):
            steps.append(("seccomp", jail.install_seccomp))
        elif probing:
            report["failed"]["seccomp"] = reason
        for name, step in steps:
            try:
                step()
            except OSError as exc:
                if not probing:
                    raise
                report["failed"][name] = str(exc)
                if name == "privileges":
                    break  # Landlock and seccomp need no_new_privs
            else:
                if name == "landlock":
                    report["landlock"] = abi
                if name == "seccomp":
                    report["seccomp"] = True
        return report


def verify(root: str, report: dict) -> tuple[bool, str]:
    """In the probe child: do the layers it reports hold? (a socket, a write outside)."""
    import socket

    if report.get("seccomp"):
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
            return False, "a socket could be created under the seccomp filter"
        except OSError:
            pass
    if report.get("landlock"):
        try:
            with open(os.path.join(root, "probe-outside"), "w"):
                pass
            return False, "a file outside the call's folder could be written under Landlock"
        except OSError:
            pass
    return True, ""


def base_read_paths(home: str) -> list[str]:
    """What every call may read: Python, the loaded packages, the system's libraries.

    A path that is the user's home or contains it is left out (it would open the home).
    """
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found.add(os.path.dirname(os.path.realpath(sys.executable)))
    found.update(p for p in sys.path if p)
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if "." in name or not isinstance(file, str):
            continue
        found.add(os.path.dirname(file) if file.endswith("__init__.py") else file)
    for name in IMPORTABLE:  # importable by supplied code without being preloaded
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(name)
            if spec is not None:
                found.update(spec.submodule_search_locations or [])
    found.update(SYSTEM_READ)
    home = os.path.realpath(home) if home else ""
    out: list[str] = []
    for real in sorted({os.path.realpath(p) for p in found}):
        if not os.path.exists(real) or real == "/":
            continue
        if home and (home + "/").startswith(os.path.join(real, "")):
            continue
        if out and real.startswith(os.path.join(out[-1], "")):
            continue  # below a folder already granted: one Landlock rule covers it
        out.append(real)
    return out


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
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NPROC, (NPROC, NPROC))
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


def readable(request: dict) -> list[str]:
    """The supplied module's own read grants (its folder, or only the file)."""
    return [p for p in request.get("read", []) if isinstance(p, str)]


def child(
    request: dict, result_fd: int, workdir: str, capture: str, confinement: Confinement
) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    own = [os.path.realpath("/proc/self")]  # this process's own entry, nobody else's
    recorder = jail.Recorder([*confinement.read, *readable(request), *own], [workdir])
    try:
        confine(request["limits"], workdir, capture)
        try:
            confinement.apply(workdir, [*readable(request), *own], result_fd)
        except OSError as exc:
            data = json.dumps(
                {"ok": False, "kind": "sandbox", "message": f"confinement failed: {exc}"}
            )
            os.write(result_fd, data.encode())
            os._exit(5)
        recorder.install()
        module = load(request["module"])
        value = call(module, request["call"], request.get("payload") or {})
        recorder.active = False
        try:
            data = json.dumps(
                {"ok": True, "value": value, "violations": recorder.violations}, allow_nan=True
            )
        except (TypeError, ValueError) as exc:
            data = json.dumps(
                {"ok": False, "kind": "protocol", "message": f"the result is not JSON data: {exc}"}
            )
            code = 3
    except MemoryError as exc:
        recorder.active = False
        recorder.add(
            "memory", f"MemoryError under the {request['limits']['memory'] // 2**20} MB limit"
        )
        data = json.dumps(
            {
                "ok": False,
                "kind": "memory",
                "message": f"MemoryError: {exc}",
                "violations": recorder.violations,
            }
        )
        code = 4
    except BaseException as exc:  # the supplied code's failure is the report, whatever it is
        recorder.active = False
        jail.classify_failure(exc, recorder)
        tb = supplied_traceback(exc)
        data = json.dumps(
            {
                "ok": False,
                "kind": "exception",
                "message": f"{type(exc).__name__}: {exc}",
                "traceback": tb[-4000:],
                "violations": recorder.violations,
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


def folder_bytes(path: str) -> int:
    """Bytes a call's folder occupies on disk (the watchdog without a sized tmpfs)."""
    total = 0
    for base, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(base, name)).st_blocks * 512
    return total


def serve_one(request: dict, root: str, emit, confinement: Confinement) -> dict:
    limits = request["limits"]
    workdir = tempfile.mkdtemp(prefix="run-", dir=root)
    capture = tempfile.mkdtemp(prefix="out-", dir=root)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        child(request, write_fd, workdir, capture, confinement)
    os.close(write_fd)
    emit({"event": "started", "pid": pid})
    chunks: list[bytes] = []
    size = 0
    deadline = started + float(limits["wall"])
    disk = int(limits.get("disk", 0)) if "disk" in confinement.missing else 0
    outcome: dict | None = None
    status = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                outcome = {
                    "kind": "timeout",
                    "message": f"wall-time limit of {limits['wall']:g} s reached",
                    "violations": [{"kind": "time", "detail": f"ran past {limits['wall']:g} s"}],
                }
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 0.25))
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
            elif disk and folder_bytes(workdir) > disk:
                used = folder_bytes(workdir) // 2**20
                outcome = {
                    "kind": "disk",
                    "message": f"the call's folder grew past the {disk // 2**20} MB disk limit",
                    "violations": [{"kind": "disk", "detail": f"{used} MB written"}],
                }
                break
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
        if os.WIFSIGNALED(status or 0) and os.WTERMSIG(status or 0) == signal.SIGXCPU:
            outcome["violations"] = [{"kind": "cpu", "detail": message}]
        if os.WIFSIGNALED(status or 0) and os.WTERMSIG(status or 0) == signal.SIGSYS:
            outcome["violations"] = [{"kind": "syscall", "detail": message}]
    response.update({"ok": False, **outcome})
    return response


def main() -> None:
    root = sys.argv[1]
    config = json.loads(sys.argv[2])
    preload(sys.argv[3:])
    out = sys.stdout

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    confinement = Confinement(config, root)
    confinement.setup()
    emit(
        {
            "event": "ready",
            "pid": os.getpid(),
            "pidns": confinement.pidns,
            "layers": confinement.layers,
            "missing": confinement.missing,
        }
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            emit(serve_one(request, root, emit, confinement))
        except Exception as exc:  # a malformed request must not stop the server
            emit({"event": "done", "ok": False, "kind": "server", "message": repr(exc)})


if __name__ == "__main__":
    main()
