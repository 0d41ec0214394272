"""Which confinement a sandbox gets, from the parent's side: the launch command and the mode.

Isolation (``Sandbox(isolation=...)`` or ``SIMLAB_SANDBOX_ISOLATION``):

- ``auto`` (default): ``bwrap`` if Debian's bubblewrap is installed and works here, else
  ``process``;
- ``bwrap``: the fork server runs in bubblewrap's user, pid, ipc, uts and network
  namespaces as ``nobody``, with every capability dropped, the root file system read-only,
  secret files of the home masked and the scratch folders on a size-limited tmpfs;
- ``process``: no bubblewrap; the server leaves the network with ``unshare`` itself;
- ``none``: resource limits and the environment allow-list only (for measuring overhead).

In every mode but ``none`` each call's child applies Landlock and seccomp itself
(``_jail.py``). The server reports which layers it really got; :class:`SandboxMode` turns
that into ``full`` / ``partial`` (with what is missing and why) / ``none``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simlab.errors import SandboxError

ISOLATIONS = ("auto", "bwrap", "process", "none")
ISOLATION_ENV = "SIMLAB_SANDBOX_ISOLATION"
KERNEL_LAYERS = ("network", "filesystem", "processes", "ptrace", "signals", "disk")
"""Layers that must be enforced by the kernel for the mode to be ``full``."""
ESSENTIAL_LAYERS = ("network", "filesystem", "processes")
"""Without any of these the mode is ``none``."""
HOME_SECRETS = (
    ".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".config/gcloud", ".netrc",
    ".pgpass", ".git-credentials", ".pypirc", ".anthropic", ".config/anthropic",
)  # fmt: skip
"""Masked (empty) inside bubblewrap, besides Landlock keeping the home unreadable."""
SYSTEM_SECRETS = ("/etc/shadow", "/etc/gshadow", "/etc/sudoers")
NOBODY = 65534


@dataclass(frozen=True)
class SandboxMode:
    """The confinement a sandbox's calls ran under, as the certificate and bundle state it."""

    level: str
    isolation: str
    layers: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_ready(
        cls, event: dict[str, Any], isolation: str, notes: dict[str, str]
    ) -> SandboxMode:
        layers = {str(k): str(v) for k, v in (event.get("layers") or {}).items()}
        missing = {**notes, **{str(k): str(v) for k, v in (event.get("missing") or {}).items()}}
        lacking = [name for name in KERNEL_LAYERS if name not in layers]
        if "verification" in missing or all(name not in layers for name in ESSENTIAL_LAYERS):
            level = "none" if all(n not in layers for n in ESSENTIAL_LAYERS) else "partial"
        else:
            level = "partial" if lacking else "full"
        return cls(level, isolation, layers, missing)

    def summary(self) -> str:
        """One line: the level and what is missing."""
        if self.level == "full":
            return f"full ({self.isolation}: {', '.join(k for k in KERNEL_LAYERS)})"
        lacking = [name for name in KERNEL_LAYERS if name not in self.layers]
        return f"{self.level} ({self.isolation}; missing: {', '.join(lacking) or 'verification'})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "isolation": self.isolation,
            "layers": dict(self.layers),
            "missing": dict(self.missing),
        }


def chosen_isolation(requested: str | None) -> str:
    """The isolation asked for (argument, then environment, then ``auto``), checked."""
    value = (requested or os.environ.get(ISOLATION_ENV) or "auto").strip().lower()
    if value not in ISOLATIONS:
        raise SandboxError(
            f"unknown sandbox isolation {value!r}",
            hint=f"choose one of {', '.join(ISOLATIONS)} (argument or {ISOLATION_ENV})",
        )
    return value


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.cache
def bwrap_problem() -> str | None:
    """None if bubblewrap can make its namespaces here, else why not (cached per process)."""
    exe = bwrap_path()
    if exe is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        done = subprocess.run(
            [exe, *_namespace_args(), "--ro-bind", "/", "/", "--", "/bin/true"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap did not run: {exc}"
    if done.returncode != 0:
        why = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return f"bubblewrap cannot create its namespaces here: {why[0]}"
    return None


def _namespace_args() -> list[str]:
    return [
        "--unshare-user",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--disable-userns",
        "--uid",
        str(NOBODY),
        "--gid",
        str(NOBODY),
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
    ]


def bwrap_prefix(root: str, disk_bytes: int, home: str | None) -> list[str]:
    """The bubblewrap command line that wraps the fork server."""
    exe = bwrap_path()
    if exe is None:
        raise SandboxError("bubblewrap is not installed")
    args = [exe, *_namespace_args(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for path in SYSTEM_SECRETS:
        if os.path.isfile(path):
            args += ["--ro-bind", "/dev/null", path]
    if home and os.path.isdir(home):
        for name in HOME_SECRETS:
            path = os.path.join(home, name)
            if os.path.isdir(path) and not os.path.islink(path):
                args += ["--tmpfs", path]
            elif os.path.isfile(path) and not os.path.islink(path):
                args += ["--ro-bind", "/dev/null", path]
    args += ["--size", str(int(disk_bytes)), "--perms", "0700", "--tmpfs", root, "--chdir", root]
    return [*args, "--"]


def module_grants(module: Path, home: str | None) -> list[str]:
    """What a call may read of the supplied module: its folder (siblings import), or only
    the file when the folder is the home, contains it, or is the root."""
    folder = module.parent.resolve()
    real_home = os.path.realpath(home) if home else ""
    opens_home = bool(real_home) and (real_home + "/").startswith(os.path.join(str(folder), ""))
    if str(folder) == "/" or opens_home:
        return [str(module)]
    return [str(folder)]


def server_argv(server: Path, root: str, config: dict[str, Any], preload: tuple[str, ...]):
    import json

    return [sys.executable, "-I", "-B", str(server), root, json.dumps(config), *preload]
