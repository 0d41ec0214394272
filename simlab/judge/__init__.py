"""The Judge: five pre-execution gates that compute on a spec before anything runs.

``judge(spec)`` runs, in order: dimensional consistency (S1), boundary/initial condition
compatibility (S2), well-posedness and stability (S2, S3), classification (S1) and cost (S3,
S4). Each returns a :class:`GateVerdict` (PASS, WARN, FAIL or UNVERIFIABLE) with the numbers
behind it; observers hear as each gate starts and ends. A rejected report carries a
rejection certificate naming the violated conditions and their fixes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simlab.errors import JudgeError
from simlab.judge.budget import Budget, default_budget
from simlab.judge.classify import FAMILIES
from simlab.judge.events import EventLog, GateFinished, GateStarted, JudgeDone, Observer
from simlab.judge.report import (
    Classification,
    Finding,
    GateVerdict,
    JudgeReport,
    PlannedMethod,
    RejectionCertificate,
    Status,
    Violation,
)
from simlab.judge.runner import GATE_IDS
from simlab.spec.model import Spec


def judge(
    spec: Spec, *, budget: Budget | None = None, observers: Iterable[Any] = ()
) -> JudgeReport:
    """Run the five gates on ``spec`` and return the report (never raises on odd specs)."""
    from simlab.judge.runner import run

    if not isinstance(spec, Spec):
        raise JudgeError(
            f"judge() takes a Spec, got {type(spec).__name__}",
            hint="read the file first: simlab.spec.parse_file('spec.md')",
        )
    return run(spec, budget, observers)


__all__ = [
    "FAMILIES",
    "GATE_IDS",
    "Budget",
    "Classification",
    "EventLog",
    "Finding",
    "GateFinished",
    "GateStarted",
    "GateVerdict",
    "JudgeDone",
    "JudgeReport",
    "Observer",
    "PlannedMethod",
    "RejectionCertificate",
    "Status",
    "Violation",
    "default_budget",
    "judge",
]
