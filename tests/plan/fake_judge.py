"""A small deterministic stand-in for the Judge, for testing the redesign loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from simlab.spec.model import Spec

EXPLICIT = {"rk4", "euler", "rk45", "ftcs"}


@dataclass
class FakeReport:
    accepted: bool
    violations: list[dict] = field(default_factory=list)

    def rejection_certificate(self) -> dict:
        return {"status": "REJECT", "violations": self.violations}


class StiffnessJudge:
    """Rejects an explicit integrator on a stiff kinetics system (the S3 stiffness gate)."""

    def __init__(self) -> None:
        self.seen: list[Spec] = []

    def __call__(self, spec: Spec) -> FakeReport:
        self.seen.append(spec)
        integrator = spec.discretization.integrator if spec.discretization else None
        stiff = {"y1", "y2", "y3"} <= {u.name for u in spec.equations.unknowns}
        if stiff and integrator in EXPLICIT:
            return FakeReport(
                False,
                [
                    {
                        "condition": "S3 stiffness",
                        "message": f"stiffness ratio ~1e11: the explicit integrator '{integrator}'"
                        " is not admissible",
                        "fix": "use an implicit integrator such as radau or bdf",
                    }
                ],
            )
        return FakeReport(True)


class AlwaysReject:
    def __init__(
        self, reason: str = "S2 compatibility: the IC disagrees with the Dirichlet data"
    ) -> None:
        self.reason = reason
        self.calls = 0

    def __call__(self, spec: Spec) -> FakeReport:
        self.calls += 1
        return FakeReport(False, [{"condition": self.reason.split(":")[0], "message": self.reason}])
