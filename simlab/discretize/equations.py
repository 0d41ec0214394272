"""From a Problem's residuals to what the integrators need.

* stationary: ``F(u, p) = 0`` with equation ``i`` owned by unknown ``i``;
* evolution: the equations solved (sympy, linear in the highest time derivatives) for
  ``u_t`` / ``u_tt``; a second-order field ``u`` becomes ``(u, v = u_t)`` with ``u_t = v``;
* eigenproblem: the residual is linear in the unknowns and in the eigenvalue symbol.
"""

from __future__ import annotations

import sympy as sp

from simlab.discretize.system import (
    CompiledExpression,
    Discretization,
    EngineError,
    ResidualSet,
    compile_expression,
    velocity_name,
)
from simlab.judge.symbolic import Jet
from simlab.problem.cache import IdentityCache
from simlab.problem.model import Problem


def all_jets(problem: Problem) -> dict[tuple[str, tuple], Jet]:
    out: dict[tuple[str, tuple], Jet] = {}
    for eq in problem.equations:
        for j in eq.jets:
            out.setdefault((j.unknown, j.orders), j)
    return out


def _check_count(problem: Problem) -> None:
    if not problem.equations:
        raise EngineError("the problem has no equations the engine can read")
    if len(problem.equations) != len(problem.fields):
        raise EngineError(f"{len(problem.equations)} equations for {len(problem.fields)} unknowns")


def stationary(disc: Discretization, eigen_value: float | None = None) -> ResidualSet:
    """``F(u, p)``: equation ``i`` on the active nodes of unknown ``i``."""
    problem = disc.problem

    def make() -> list[CompiledExpression]:
        _check_count(problem)
        replace = None
        if problem.eigenvalue is not None:
            replace = {problem.symbols[problem.eigenvalue]: sp.Float(eigen_value or 0.0)}
        return [
            compile_expression(problem, field.name, eq.jet_residual, eq.jets, replace)
            for field, eq in zip(problem.fields, problem.equations, strict=True)
        ]

    return ResidualSet(disc, _STATIONARY.get(problem, make, eigen_value))


_STATIONARY: IdentityCache[list[CompiledExpression]] = IdentityCache(size=64)
_EVOLUTION: IdentityCache[list[CompiledExpression]] = IdentityCache(size=32)


def evolution(disc: Discretization) -> ResidualSet:
    """The right-hand side ``f(u, t)`` of ``du/dt = f`` on the state (fields and velocities).

    The sympy work (solving for the time derivatives, lambdify) is done once per problem."""
    problem = disc.problem
    return ResidualSet(disc, _EVOLUTION.get(problem, lambda: _evolution_parts(problem)))


def _evolution_parts(problem: Problem) -> list[CompiledExpression]:
    _check_count(problem)
    t = problem.time.name if problem.time else None
    if t is None:
        raise EngineError("an evolution problem needs a time interval")
    jets = all_jets(problem)
    top: dict[str, Jet] = {}
    for field in problem.fields:
        k = field.time_order
        if k not in (1, 2):
            raise EngineError(
                f"{field.name} is of order {k} in time; the engine takes first or second order"
            )
        jet = jets.get((field.name, ((t, k),)))
        if jet is None:
            raise EngineError(f"{field.name}: no pure time derivative of order {k} found")
        top[field.name] = jet
    residuals = [eq.jet_residual for eq in problem.equations]
    unknowns = [top[f.name].symbol for f in problem.fields]
    for r in residuals:
        for s in unknowns:
            if sp.diff(r, s, 2) != 0:
                raise EngineError("the equations are nonlinear in the highest time derivative")
    solved = sp.solve(residuals, unknowns, dict=True)
    if len(solved) != 1 or set(solved[0]) != set(unknowns):
        raise EngineError("the equations cannot be solved for the highest time derivatives")
    rates = solved[0]
    all_eq_jets = tuple(jets.values())
    parts: list[CompiledExpression] = []
    velocities: list[CompiledExpression] = []
    for field in problem.fields:
        expr = rates[top[field.name].symbol]
        if field.time_order == 1:
            parts.append(compile_expression(problem, field.name, expr, all_eq_jets))
            continue
        v = Jet(velocity_name(field.name), (), sp.Symbol(f"jetv_{field.name}"))
        first = jets.get((field.name, ((t, 1),)))
        mapping = {first.symbol: v.symbol} if first is not None else {}
        parts.append(compile_expression(problem, field.name, v.symbol, (v,)))
        velocities.append(
            compile_expression(problem, v.unknown, expr.xreplace(mapping), (*all_eq_jets, v))
        )
    for jet in all_eq_jets:
        if any(name == t for name, _ in jet.orders) and jet not in top.values():
            order = dict(jet.orders).get(t, 0)
            if not (
                order == 1
                and len(jet.orders) == 1
                and problem.field_of(jet.unknown).time_order == 2
            ):
                raise EngineError(f"{jet.label} is a time derivative the engine does not reduce")
    return parts + velocities
