"""What confinement this machine gives a sandboxed call, and why (``simlab doctor``)."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simlab.sandbox.confinement import KERNEL_LAYERS, SandboxMode, bwrap_path, bwrap_problem

_JAIL = Path(__file__).with_name("_jail.py")


@dataclass
class MachineReport:
    """The kernel's facts and the modes a sandbox reaches under each isolation."""

    facts: dict[str, str]
    modes: dict[str, SandboxMode] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": self.facts,
            "modes": {k: m.to_dict() for k, m in self.modes.items()},
            "errors": self.errors,
        }

    @property
    def best(self) -> SandboxMode | None:
        return self.modes.get("auto")


def kernel_facts() -> dict[str, str]:
    """Kernel, user, Landlock ABI, seccomp, user namespaces, bubblewrap: as found here."""
    from importlib import util

    spec = util.spec_from_file_location("_simlab_jail_probe", _JAIL)
    assert spec is not None and spec.loader is not None
    jail = util.module_from_spec(spec)
    spec.loader.exec_module(jail)
    abi = jail.landlock_abi()
    facts = {
        "kernel": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "user": f"uid {os.getuid()}"
        + (" (root: capabilities are dropped in every call)" if os.getuid() == 0 else ""),
        "landlock": f"ABI {abi}" if abi else "not available (kernel without Landlock)",
        "seccomp": jail.seccomp_supported() or "filter supported (x86_64)",
        "user namespaces": _read("/proc/sys/user/max_user_namespaces", "unknown"),
    }
    restrict = _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "")
    if restrict:
        facts["apparmor userns restriction"] = restrict
    exe = bwrap_path()
    if exe:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
        facts["bubblewrap"] = f"{exe} ({version.stdout.strip()})"
        facts["bubblewrap works"] = bwrap_problem() or "yes"
    else:
        facts["bubblewrap"] = "not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    return facts


def _read(path: str, default: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return default


def examine(isolations: tuple[str, ...] = ("auto", "process")) -> MachineReport:
    """Start a sandbox under each isolation and read the mode its server really got."""
    from simlab.errors import SimlabError
    from simlab.sandbox.runner import Sandbox

    report = MachineReport(kernel_facts())
    for isolation in isolations:
        try:
            with Sandbox(isolation=isolation) as box:
                report.modes[isolation] = box.mode
        except SimlabError as exc:
            report.errors[isolation] = str(exc)
    return report


def render(report: MachineReport) -> str:
    """The report as text: facts, then per isolation each layer with its mechanism or gap."""
    lines = ["machine"]
    lines += [f"  {k:<28} {v}" for k, v in report.facts.items()]
    for isolation, mode in report.modes.items():
        lines.append("")
        lines.append(f"isolation {isolation!r} -> {mode.isolation}: mode {mode.summary()}")
        for name in (*KERNEL_LAYERS, "environment", "descriptors", "limits", "namespaces"):
            if name in mode.layers:
                lines.append(f"  ok   {name:<12} {mode.layers[name]}")
            elif name in mode.missing:
                lines.append(f"  --   {name:<12} {mode.missing[name]}")
        for name, why in mode.missing.items():
            if name not in (*KERNEL_LAYERS, "namespaces"):
                lines.append(f"  note {name:<12} {why}")
    for isolation, error in report.errors.items():
        lines.append(f"isolation {isolation!r}: could not start: {error}")
    return "\n".join(lines)
