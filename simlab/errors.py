"""One root exception for simlab; subclasses also inherit the matching builtin.

Every error carries enough structure (file, line, section, hint) for any front end (CLI,
notebook widget, panel app) to show it well without parsing the message.
"""

from __future__ import annotations


class SimlabError(Exception):
    """Root of every error simlab raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        section: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.section = section
        self.hint = hint

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.section:
            where.append(f"section '{self.section}'")
        text = f"{': '.join([', '.join(where)]) + ': ' if where else ''}{self.message}"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view of the error."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "section": self.section,
            "hint": self.hint,
        }


class SpecError(SimlabError, ValueError):
    """A spec.md that cannot be read: structure, YAML, units or equations."""


class JudgeError(SimlabError, ValueError):
    """The Judge could not evaluate a spec."""


class SolverError(SimlabError, RuntimeError):
    """A solver failed or no solver fits the spec."""


class ConvergenceError(SolverError):
    """An iteration (Newton, linear solver, convergence study) did not converge."""


class SandboxError(SimlabError, RuntimeError):
    """A supplied solver crashed, timed out or broke the protocol in its sandbox."""


class PlanError(SimlabError, RuntimeError):
    """The planner could not produce a spec (model output invalid, replay miss ...)."""


class BundleError(SimlabError, OSError):
    """A run bundle is missing, unreadable or tampered with."""
