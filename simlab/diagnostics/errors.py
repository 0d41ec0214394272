"""Errors raised by the diagnostics (all under simlab's root exception)."""

from __future__ import annotations

from simlab.errors import ConvergenceError, SimlabError


class DiagnosticsError(SimlabError, ValueError):
    """Bad input to a diagnostic: wrong shapes, unknown parameter, empty ranges ..."""


__all__ = ["ConvergenceError", "DiagnosticsError"]
