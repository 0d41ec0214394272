"""The general solver: the method-of-lines engine on whatever Problem the family kernels miss.

Registered under the family ``general``: the registry tries the family kernels of the Judge's
class first (fast paths) and falls back to this solver. Second order in ``h`` for every
problem kind (central differences, Crank–Nicolson with the step proportional to ``h``), fourth
order where the plan asks it and the Problem's solution is smooth (simlab.discretize.order).
"""

from __future__ import annotations

from dataclasses import dataclass

from simlab.discretize import FORMAL_ORDER, EngineError, solve_problem, step_plan
from simlab.discretize import equations as engine_equations
from simlab.discretize.order import formal_order
from simlab.discretize.solve import StepPlan, first_resolution, kind_of
from simlab.discretize.system import Discretization
from simlab.errors import SolverError
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.families import GENERAL
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

ENGINE_FUNCTIONALS = (
    *("point", "max", "min", "mean", "integral", "l2_norm", "eigenvalue", "front_speed"),
)
"""Functionals the engine evaluates (trajectory ones, ``peak_time`` ..., are the ODE kernels')."""
PLANNED_METHODS = (None, "finite_difference", "finite_differences", "method_of_lines", "fd", "mol")
TRIPLES = {0: (16, 32, 64), 1: (16, 32, 64), 2: (16, 32, 64), 3: (8, 16, 32)}
MAX_RESOLUTION = {0: 65536, 1: 16384, 2: 1024, 3: 128}


@dataclass(frozen=True)
class EngineProblem:
    problem: Problem
    kind: str
    plan: StepPlan | None


class GeneralEngineSolver(SpecDrivenSolver[EngineProblem]):
    """Any box problem the Judge accepts: structured-grid finite differences, order 2 or 4."""

    name = "mol_engine"
    discretization = "finite_difference"
    family = GENERAL
    formal_order = FORMAL_ORDER
    resolutions = (16, 32, 64)
    max_resolution = 1024
    honours_forcing = True  # it compiles every term of the spec's equations
    priority = 0  # the box engine before the finite elements (which also cover non-boxes)

    def analyse(self, problem: Problem) -> EngineProblem | str:
        if problem.reasons:
            return "; ".join(problem.reasons)
        method = (problem.plan.get("method") or "").lower() or None
        if method not in PLANNED_METHODS:
            return f"method '{method}' planned; the engine runs finite differences"
        bad = [f for f in problem.functionals if f.kind not in ENGINE_FUNCTIONALS]
        if bad:
            why = bad[0].reason or f"a {bad[0].kind} functional is not evaluated by the engine"
            return f"observable '{bad[0].name}' = {bad[0].definition}: {why}"
        if not problem.functionals:
            return "the spec has no observables"
        kind = kind_of(problem)
        dim = problem.dimension
        self.max_resolution = MAX_RESOLUTION[dim]
        self.resolutions = TRIPLES[dim]
        try:
            disc = Discretization(problem, 4)
            if kind == "evolution":
                engine_equations.evolution(disc)
                # the first grid resolves the reaction-diffusion length; the reaction step
                # limit then holds on that grid (dt halves with h from there)
                first = first_resolution(problem, TRIPLES[dim][0])
                if first > TRIPLES[dim][0]:
                    first = min(first, self.max_resolution // 4)
                    self.resolutions = (first, 2 * first, 4 * first)
                    plan = step_plan(problem, first)
                else:
                    plan = step_plan(problem)
            else:
                engine_equations.stationary(disc)
                plan = None
        except EngineError as exc:
            return str(exc)
        except (ValueError, TypeError, KeyError, NotImplementedError) as exc:
            return f"the engine cannot compile this problem: {exc}"
        self.formal_order = formal_order(problem)  # 1 upwinded (cell Péclet), 4 smooth
        return EngineProblem(problem, kind, plan)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        try:
            sol = solve_problem(p.problem, int(resolution), p.plan)
        except EngineError as exc:
            raise SolverError(f"the engine failed at resolution {resolution}: {exc}") from None
        return self.remember(sol)
