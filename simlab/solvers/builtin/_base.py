"""A built-in solver: analyse the compiled Problem once into its own form, then solve per grid.

The spec is compiled once (:func:`simlab.problem.compile_problem`, cached);
``analyse(problem)`` reads only the Problem and returns the adapter's form of it (all numbers
in SI) or the reason it does not fit; ``fit`` reports that reason and ``solve`` uses the
cached analysis. The solves a study makes are remembered (``h`` and observables), so an
audit can use the study's own discretisation bound where a physics comparison needs one.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar, Generic, TypeVar

from simlab.certify.convergence import ConvergenceResult, grid_study
from simlab.errors import SolverError
from simlab.problem import Problem, compile_problem
from simlab.solvers.families import FAMILIES
from simlab.solvers.protocol import YES, Fit, SpecSolver
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

Analysed = TypeVar("Analysed")


class SpecDrivenSolver(SpecSolver, Generic[Analysed]):
    """Base of the built-in adapters: cached analysis, remembered solves."""

    family: ClassVar[str]

    def __init__(self) -> None:
        self._analysed: tuple[Spec, Analysed | str] | None = None
        self._solved: dict[float, dict[str, float]] = {}

    @abstractmethod
    def analyse(self, problem: Problem) -> Analysed | str:
        """What this solver would solve, read from the compiled Problem, or why it does not fit."""

    def fit(self, spec: Spec) -> Fit:
        if self.family not in FAMILIES:
            return Fit.no(f"unknown family '{self.family}'")
        result = self._analysis(spec)
        return Fit.no(result) if isinstance(result, str) else YES

    def problem(self, spec: Spec) -> Analysed:
        """The analysed problem; a spec that does not fit raises :class:`SolverError`."""
        result = self._analysis(spec)
        if isinstance(result, str):
            raise SolverError(f"solver '{self.name}' does not fit this spec: {result}")
        return result

    def remember(self, solution: Solution) -> Solution:
        """Record a solve's observables (for audits that need the study's bound)."""
        self._solved[solution.h] = dict(solution.observables)
        return solution

    def study_of(self, name: str) -> ConvergenceResult | None:
        """Grid study of one observable over the three finest solves remembered, if any."""
        steps = sorted(self._solved)[:3]
        if len(steps) < 3:
            return None
        return grid_study(
            [self._solved[h][name] for h in steps], steps, formal_order=self.formal_order
        )

    def _analysis(self, spec: Spec) -> Analysed | str:
        if self._analysed is None or self._analysed[0] is not spec:
            try:
                result: Any = self.analyse(compile_problem(spec))
            except SolverError as exc:
                result = exc.message
            self._analysed = (spec, result)
            self._solved = {}
        return self._analysed[1]
