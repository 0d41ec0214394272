"""Find the solver for a spec: the Judge's family kernels first, then the general engine."""

from __future__ import annotations

from simlab.errors import SolverError
from simlab.problem import compile_problem
from simlab.solvers.families import GENERAL
from simlab.solvers.protocol import SpecSolver, registered
from simlab.spec.model import Spec


def planned_order(spec: Spec) -> float | None:
    """The order of accuracy the spec's Discretization section asks for (``order: 4``)."""
    raw = compile_problem(spec).plan.get("order")
    try:
        return float(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def select(spec: Spec, family: str, name: str | None = None) -> SpecSolver:
    """The solver named ``name``, or the first registered one of ``family`` that fits ``spec``."""
    solvers = registered()
    if name is not None:
        if name not in solvers:
            raise SolverError(
                f"no solver named '{name}'",
                hint=f"registered: {', '.join(sorted(solvers))}",
            )
        solver = solvers[name]()
        fit = solver.fit(spec)
        if not fit.ok:
            raise SolverError(f"solver '{name}' does not fit this spec: {fit.reason}")
        return solver
    reasons = []
    # the family kernels first (fast paths), then the general engine
    ordered = [c for c in solvers.values() if c.family == family]
    general = [c for c in solvers.values() if c.family == GENERAL and family != GENERAL]
    ordered += sorted(general, key=lambda c: c.priority)  # stable: registration order ties
    wanted = planned_order(spec)
    fallback = None
    for cls in ordered:
        solver = cls()
        fit = solver.fit(spec)
        if fit.ok and (wanted is None or solver.formal_order >= wanted):
            return solver
        if fit.ok:  # fits, but below the planned order: used only if nothing reaches it
            fallback = fallback or solver
            continue
        reasons.append(f"{cls.name}: {fit.reason}")
    if fallback is not None:
        return fallback
    families = sorted({c.family for c in solvers.values()})
    raise SolverError(
        f"no built-in solver fits this {family} problem"
        + (f" ({'; '.join(reasons)})" if reasons else ""),
        hint=f"families with solvers: {', '.join(families)}; or supply a solver module "
        "(`simlab run --solver module.py`)",
    )
