"""The sandbox tests report the confinement mode they reached (issue 17)."""

from __future__ import annotations

MODES_REACHED: dict[str, str] = {}
"""isolation -> SandboxMode.summary(), filled by the escape suite's fixture."""


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MODES_REACHED:
        terminalreporter.section("sandbox confinement reached on this machine")
        for isolation, summary in MODES_REACHED.items():
            terminalreporter.write_line(f"{isolation}: {summary}")
