"""What a sandboxed call may use: wall time, CPU time, memory, file size, output, environment."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from simlab.errors import SandboxError

ENVIRONMENT_KEPT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")
"""Variables copied from the parent; everything else (API keys, tokens, proxies) is dropped."""

ENVIRONMENT_SET = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}
"""Variables always set: single-threaded BLAS (the parent decides the parallelism). The
server runs ``python -I -B``: PYTHON* variables are ignored and no bytecode is written."""


@dataclass(frozen=True)
class SandboxLimits:
    """Per-call limits of a supplied solver.

    Attributes:
        wall_seconds: wall-clock time of one call; the process group is killed after it.
        cpu_seconds: CPU time of one call (``RLIMIT_CPU``; SIGXCPU ends the process).
        memory_mb: address space of the call's process (``RLIMIT_AS``), including the
            numeric libraries already loaded (about 0.25 GB of virtual memory).
        file_size_mb: largest file the call may write (``RLIMIT_FSIZE``).
        output_chars: captured stdout / stderr kept per call (head and tail).
        disk_mb: what one call may write in its folder (all files together): the size of
            the scratch tmpfs under bubblewrap (set when the server starts), else a watchdog.
    """

    wall_seconds: float = 120.0
    cpu_seconds: float = 240.0
    memory_mb: int = 3072
    file_size_mb: int = 64
    output_chars: int = 4000
    disk_mb: int = 512

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value > 0:
                raise SandboxError(f"sandbox limit {name} must be positive, got {value!r}")

    def for_server(self) -> dict[str, float]:
        return {
            "wall": float(self.wall_seconds),
            "cpu": float(self.cpu_seconds),
            "memory": int(self.memory_mb) * 2**20,
            "file_size": int(self.file_size_mb) * 2**20,
            "output": int(self.output_chars),
            "disk": int(self.disk_mb) * 2**20,
        }


def minimal_environment() -> dict[str, str]:
    """The environment a supplied solver sees: PATH and locale, nothing secret."""
    env = {k: os.environ[k] for k in ENVIRONMENT_KEPT if k in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(ENVIRONMENT_SET)
    return env
