"""Independent evidence for an observable's limit, as typed objects on the certificate.

A convergence study shows that an answer settles; it cannot show that it settles on the
answer of the spec (a solver of the wrong equations converges too). An observable is
certified only when at least one *independent* kind of evidence confirms its limit:

* ``reference``: an exact (analytic) or data reference evaluated by simlab;
* ``cross_solve``: a different solver of simlab's own (another method or family) run on the
  same spec, agreeing within the two studies' combined bounds;
* ``mms``: the solver reproduces a manufactured solution of the spec's own equations at its
  declared order (Roache; Salari and Knupp);
* ``residual``: the returned trajectory or field satisfies the spec's equations, boundary and
  initial data (evaluated by simlab), and the observable recomputed from it is the reported one.

``conservation`` (a law derived from the equations) can refute an answer but never confirms
a limit alone: a trajectory can conserve a total and still follow other equations.

Each piece says ``confirms``, ``refutes``, ``supports`` (consistent, not a confirmation),
``fails`` (the check itself could not be passed: no evidence either way, e.g. a solver that
ignores a manufactured spec) or ``not applicable`` (with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    REFERENCE = "reference"
    CROSS_SOLVE = "cross_solve"
    MMS = "mms"
    RESIDUAL = "residual"
    CONSERVATION = "conservation"


class Verdict(StrEnum):
    CONFIRMS = "confirms"
    REFUTES = "refutes"
    SUPPORTS = "supports"
    FAILS = "fails"
    NOT_APPLICABLE = "not applicable"


CONFIRMING = frozenset({Kind.REFERENCE, Kind.CROSS_SOLVE, Kind.MMS, Kind.RESIDUAL})
"""Kinds that can confirm a limit on their own."""

UNVERIFIED = "unverified limit"
UNAUDITABLE = "unauditable"
FIX = (
    "give an analytic or data reference in ## Tolerance, or (a supplied solver) return the "
    "trajectory or field from solve() so simlab can evaluate the spec's equations on it"
)


@dataclass
class Evidence:
    """One independent check of one observable."""

    kind: Kind
    status: Verdict
    numbers: dict[str, Any] = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "status": self.status.value,
            "numbers": {k: _plain(v) for k, v in self.numbers.items()},
            "message": self.message,
        }

    @classmethod
    def not_applicable(cls, kind: Kind, reason: str) -> Evidence:
        return cls(kind, Verdict.NOT_APPLICABLE, {}, f"not applicable: {reason}")


def confirming(evidence: list[Evidence]) -> list[Evidence]:
    """The pieces that confirm the limit."""
    return [e for e in evidence if e.status == Verdict.CONFIRMS and e.kind in CONFIRMING]


def evidence_reasons(name: str, evidence: list[Evidence]) -> list[str]:
    """Why an observable cannot be certified on this evidence (empty: it can)."""
    refuted = [e for e in evidence if e.status == Verdict.REFUTES]
    if refuted:
        return [f"{name}: {e.kind.value} refutes the answer: {e.message} (S4)" for e in refuted]
    if confirming(evidence):
        return []
    possible = [e for e in evidence if e.kind in CONFIRMING and e.status != Verdict.NOT_APPLICABLE]
    if possible:
        tried = "; ".join(f"{e.kind.value} {e.status.value}: {e.message}" for e in possible)
        return [
            f"{name}: {UNVERIFIED}: converged, but no independent evidence confirms the limit "
            f"({tried}) (S4)"
        ]
    return [
        f"{name}: {UNAUDITABLE}: no independent evidence is possible here (no reference, no "
        f"independent solver, nothing returned to evaluate); fix: {FIX} (S4)"
    ]


def _plain(value: Any) -> Any:
    """JSON-ready numbers (numpy scalars become floats)."""
    if hasattr(value, "item") and callable(value.item):
        try:
            return value.item()
        except (TypeError, ValueError):
            return str(value)
    return value
