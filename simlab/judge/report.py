"""Typed results of the Judge: findings, gate verdicts, the report and the rejection certificate.

A gate collects :class:`Finding` objects (every failure, not only the first) and folds them into
one :class:`GateVerdict`. The report is accepted when no verdict is ``FAIL``; a rejected report
yields a :class:`RejectionCertificate` naming the violated conditions (S1-S4) and what would fix
them, which is what the planner's redesign loop reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any


class Status(StrEnum):
    """Outcome of one check; ``UNVERIFIABLE`` means the spec does not say enough to decide."""

    PASS = "PASS"
    WARN = "WARN"
    UNVERIFIABLE = "UNVERIFIABLE"
    FAIL = "FAIL"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Status.PASS: 0, Status.WARN: 1, Status.UNVERIFIABLE: 2, Status.FAIL: 3}


def worst(statuses: list[Status] | tuple[Status, ...]) -> Status:
    """The most severe status (``FAIL`` > ``UNVERIFIABLE`` > ``WARN`` > ``PASS``)."""
    return max(statuses, key=lambda s: s.severity, default=Status.PASS)


@dataclass(frozen=True)
class Finding:
    """One computed observation inside a gate, with the numbers behind it and a fix."""

    status: Status
    condition: str
    message: str
    numbers: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "condition": self.condition,
            "message": self.message,
            "numbers": _jsonable(self.numbers),
            "fix": self.fix,
            "where": self.where,
        }


@dataclass(frozen=True)
class GateVerdict:
    """The result of one gate: status, the S-condition it stands for, a one-line reason."""

    gate: str
    title: str
    status: Status
    condition: str
    message: str
    numbers: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    conditions: tuple[str, ...] = ()
    elapsed_ms: float = 0.0

    @classmethod
    def from_findings(
        cls,
        gate: str,
        title: str,
        conditions: tuple[str, ...],
        findings: list[Finding],
        numbers: dict[str, Any] | None = None,
        pass_message: str = "all checks passed",
    ) -> GateVerdict:
        """Fold findings into a verdict: the most severe finding decides status and reason."""
        status = worst([f.status for f in findings])
        decisive = [f for f in findings if f.status == status and status != Status.PASS]
        if decisive:
            first = decisive[0]
            more = len(decisive) - 1
            message = first.message + (f" (and {more} more)" if more else "")
            condition = first.condition
        else:
            passes = [f for f in findings if f.status == Status.PASS]
            message = "; ".join(f.message for f in passes[:2]) if passes else pass_message
            condition = conditions[0]
        return cls(
            gate=gate,
            title=title,
            status=status,
            condition=condition,
            message=message,
            numbers=dict(numbers or {}),
            findings=tuple(findings),
            conditions=conditions,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "title": self.title,
            "status": self.status.value,
            "condition": self.condition,
            "conditions": list(self.conditions),
            "message": self.message,
            "numbers": _jsonable(self.numbers),
            "findings": [f.to_dict() for f in self.findings],
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


@dataclass(frozen=True)
class Classification:
    """What kind of problem the equations are, and the solver family to use."""

    family: str
    description: str
    solver: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "description": self.description,
            "solver": self.solver,
            "details": _jsonable(self.details),
        }


@dataclass(frozen=True)
class PlannedMethod:
    """The discretization the spec plans (or the Judge's default for the family)."""

    scheme: str | None
    integrator: str | None
    explicit: bool | None
    order: float | None
    dt: float | None = None
    dt_unit: str = "s"
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "integrator": self.integrator,
            "explicit": self.explicit,
            "order": self.order,
            "dt": self.dt,
            "dt_unit": self.dt_unit,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Violation:
    """One reason for rejection: the condition, the gate, what was computed, how to fix it."""

    condition: str
    gate: str
    message: str
    fix: str | None
    numbers: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "gate": self.gate,
            "message": self.message,
            "fix": self.fix,
            "numbers": _jsonable(self.numbers),
        }


@dataclass(frozen=True)
class RejectionCertificate:
    """Why a spec is outside the simulability class as written, and what would bring it in."""

    file: str | None
    title: str
    violations: tuple[Violation, ...]

    @property
    def conditions(self) -> tuple[str, ...]:
        """The violated conditions, sorted (e.g. ``("S2", "S3")``)."""
        return tuple(sorted({v.condition for v in self.violations}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "conditions": list(self.conditions),
            "violations": [v.to_dict() for v in self.violations],
        }

    def __str__(self) -> str:
        lines = [f"Rejection certificate for '{self.title}': violates {', '.join(self.conditions)}"]
        for v in self.violations:
            lines.append(f"  [{v.condition}] {v.gate}: {v.message}")
            if v.fix:
                lines.append(f"      fix: {v.fix}")
        return "\n".join(lines)


@dataclass(frozen=True)
class JudgeReport:
    """All five verdicts for one spec, its classification and the planned method."""

    file: str | None
    title: str
    verdicts: tuple[GateVerdict, ...]
    classification: Classification | None
    method: PlannedMethod | None
    budget: dict[str, Any] = field(default_factory=dict)
    elapsed_ms: float = 0.0

    @property
    def accepted(self) -> bool:
        """True when no gate failed (WARN and UNVERIFIABLE do not reject)."""
        return all(v.status != Status.FAIL for v in self.verdicts)

    def verdict(self, gate: str) -> GateVerdict | None:
        return next((v for v in self.verdicts if v.gate == gate), None)

    def rejection_certificate(self) -> RejectionCertificate | None:
        """The violated conditions with fixes, or ``None`` when the spec is accepted."""
        if self.accepted:
            return None
        items = [
            Violation(f.condition, v.gate, f.message, f.fix, f.numbers)
            for v in self.verdicts
            for f in v.findings
            if f.status == Status.FAIL
        ]
        return RejectionCertificate(self.file, self.title, tuple(items))

    def to_dict(self) -> dict[str, Any]:
        cert = self.rejection_certificate()
        return {
            "file": self.file,
            "title": self.title,
            "accepted": self.accepted,
            "gates": [v.to_dict() for v in self.verdicts],
            "classification": self.classification.to_dict() if self.classification else None,
            "method": self.method.to_dict() if self.method else None,
            "budget": _jsonable(self.budget),
            "rejection_certificate": cert.to_dict() if cert else None,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


def _jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars to floats, non-finite floats to strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isfinite(number):
        return int(number) if isinstance(value, int) else number
    return str(number)
