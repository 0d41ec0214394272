"""The cross-solve other packages call: a spec (or compiled Problem) and a resolution in,
observables out, by a method independent of the finite-difference kernels and engine."""

from __future__ import annotations

from simlab.errors import SolverError
from simlab.fem.reader import read_fem_problem
from simlab.fem.solve import solve_fem
from simlab.problem import Problem
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec


def fem_solution(spec: Spec | Problem, resolution: int, order: int = 2) -> Solution:
    """The finite-element Solution (P1 or P2) at ``resolution``; raises SolverError if unfit."""
    spec = spec.spec if isinstance(spec, Problem) else spec
    problem = read_fem_problem(spec)
    if isinstance(problem, str):
        raise SolverError(f"the finite-element solver does not fit this spec: {problem}")
    return solve_fem(problem, resolution, order)


def cross_solve(spec: Spec | Problem, resolution: int, order: int = 2) -> dict[str, float]:
    """Every point observable of ``spec`` (SI) by finite elements at ``resolution``."""
    return dict(fem_solution(spec, resolution, order).observables)
