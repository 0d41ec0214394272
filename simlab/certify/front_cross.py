"""The front-speed cross-solve: the general engine run at front-resolving resolutions.

The built-in Fisher-KPP kernel splits (exact logistic half steps around Crank-Nicolson
diffusion). The engine does not split: second-order finite differences with ghost-eliminated
zero-flux ends, the whole right-hand side stepped by Crank-Nicolson with ``dt`` proportional to
``h``, and the front speed evaluated by the engine's ``front_speed`` functional (the level
crossing at ``t0 + T/2`` and ``t_end``, as the kernel defines it). It differs from the kernel
only in its resolutions: the registered engine starts its study at 16 cells, far coarser than
a front; this one starts at 400 (h = L/400). Not registered, so the registry never chooses it
to answer a spec, only to check one.
"""

from __future__ import annotations

from simlab.discretize import FORMAL_ORDER, EngineError, solve_problem
from simlab.errors import SolverError
from simlab.problem import compile_problem
from simlab.solvers.builtin.general import GeneralEngineSolver
from simlab.solvers.protocol import Fit, SpecSolver
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec


class FrontEngineSolver(SpecSolver):
    """Front speeds by the method-of-lines engine at front-resolving grids (cross-solve only)."""

    family = "parabolic"
    formal_order = FORMAL_ORDER
    discretization = "finite_difference"  # the engine's stencils on finer grids
    resolutions = (400, 800, 1600)
    max_resolution = 6400

    def __init__(self) -> None:
        self.name = "front_engine"  # an instance attribute: never registered

    def fit(self, spec: Spec) -> Fit:
        problem = compile_problem(spec)
        if not any(f.kind == "front_speed" for f in problem.functionals):
            return Fit.no("no front-speed observable")
        return GeneralEngineSolver().fit(spec)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        try:
            return solve_problem(compile_problem(spec), int(resolution))
        except EngineError as exc:
            raise SolverError(f"the engine failed at resolution {resolution}: {exc}") from None
