"""Typed outcomes of the sensitivity diagnostics: flags with the numbers behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Flag:
    """One reason to distrust a result, with the measured value and the threshold it crossed.

    Attributes:
        diagnostic: which diagnostic raised it ('ensemble', 'probe', ...).
        quantity: what was measured (e.g. 'coefficient_of_variation', 'relative_jump[b+5%]').
        value: the measured value (inf for a failed solve).
        threshold: the value above which the diagnostic flags.
        message: one sentence for a person.
    """

    diagnostic: str
    quantity: str
    value: float
    threshold: float
    message: str


@dataclass(frozen=True)
class DiagnosticResult:
    """Everything one diagnostic computed.

    Attributes:
        diagnostic: name of the diagnostic.
        flags: the reasons to distrust the result; empty when none was found.
        evidence: the numbers the verdict rests on (JSON-ready).
    """

    diagnostic: str
    flags: tuple[Flag, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def summary(self) -> str:
        """A one-line verdict followed by one line per flag."""
        if not self.flags:
            return f"{self.diagnostic}: no flag"
        lines = [f"{self.diagnostic}: {len(self.flags)} flag(s)"]
        lines += [f"  - {f.message}" for f in self.flags]
        return "\n".join(lines)
