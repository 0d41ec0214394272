"""A seeded wrong primary for cross-solve tests: the general engine solving another spec.

``engine_solving(wrong)`` answers every spec it is given with the engine's solution of
``wrong`` (e.g. the same problem with one coefficient 1.001 x too large): a solver that
converges cleanly to the wrong limit, which only independent evidence can catch.
"""

from __future__ import annotations

from simlab.problem import Problem, compile_problem
from simlab.solvers.builtin.general import GeneralEngineSolver
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec


class WrongEngine(GeneralEngineSolver, register=False):
    """The engine, solving ``self.wrong`` whatever spec it is asked about."""

    name = "engine_seeded_wrong"

    def __init__(self, wrong: Spec) -> None:
        super().__init__()
        self.wrong = wrong

    def analyse(self, problem: Problem):  # type: ignore[no-untyped-def]
        return super().analyse(compile_problem(self.wrong))

    def solve(self, spec: Spec, resolution: int) -> Solution:
        return super().solve(self.wrong, resolution)


def cross_verdicts(result) -> list[str]:  # type: ignore[no-untyped-def]
    """The cross-solve verdict of every observable of a pipeline result."""
    return [
        e.status.value
        for o in result.certificate.observables
        for e in o.evidence
        if e.kind.value == "cross_solve"
    ]
