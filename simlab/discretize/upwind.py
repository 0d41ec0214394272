"""Upwinding by cell Péclet number for advection–diffusion terms.

For an equation holding ``a u_x`` and ``d u_xx`` of the same unknown along the same axis (any
time term), the flow runs towards ``sign(-a/d)`` and the cell Péclet number is
``Pe = |a/d| h``. Central differences are second order but lose the discrete maximum principle
(odd-even wiggles) when ``Pe > 2``; first-order upwind differences keep it at the price of
order 1 (numerical diffusion ``|v| h / 2``).

The choice is made once per problem, on the finest grid of the engine's first study triple
(``DECISION_RESOLUTION``), so every grid of a convergence study runs the same scheme and
the study is told one formal order (:func:`formal_order`): centred (2) when that grid resolves
the cell Péclet number, else upwind (1) on every grid. Only velocities that do not depend on
the solution or on time are upwinded (their direction is then known at every node); a
solution-dependent one (Burgers) stays centred. Pure advection (no diffusion along the axis)
stays centred: Crank–Nicolson is stable for it, and it has no cell Péclet number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.problem.cache import IdentityCache
from simlab.problem.model import Problem

PECLET_LIMIT = 2.0
DECISION_RESOLUTION = 64
"""Cells on the shortest side of the grid the choice is made on (the engine triple's finest
in 1-D and 2-D)."""


@dataclass(frozen=True)
class Upwinded:
    """One first-derivative term to upwind: ``direction`` > 0 means flow towards +axis."""

    owner: str
    unknown: str
    axis: str
    direction: sp.Expr
    peclet: float


_PLANS: IdentityCache[tuple[Upwinded, ...]] = IdentityCache(size=64)


def upwind_plan(problem: Problem) -> tuple[Upwinded, ...]:
    """The first-derivative terms the engine differences upwind (cached per problem)."""
    return _PLANS.get(problem, lambda: _plan(problem))


def formal_order(problem: Problem) -> float:
    """2 with central differences everywhere, 1 when a term is upwinded."""
    return 1.0 if upwind_plan(problem) else 2.0


def _plan(problem: Problem) -> tuple[Upwinded, ...]:
    g = problem.geometry
    if g is None or not g.names or len(problem.equations) != len(problem.fields):
        return ()
    t = problem.time_symbol
    cells = g.cells(DECISION_RESOLUTION)
    out = []
    for field, eq in zip(problem.fields, problem.equations, strict=True):
        jets = {(j.unknown, j.orders): j for j in eq.jets}
        state = {j.symbol for j in eq.jets}
        for (unknown, orders), jet in jets.items():
            if len(orders) != 1 or orders[0][1] != 1 or orders[0][0] not in g.names:
                continue
            x = orders[0][0]
            second = jets.get((unknown, ((x, 2),)))
            if second is None:
                continue  # pure advection along x: no cell Péclet number
            a = problem.substitute(sp.diff(eq.jet_residual, jet.symbol))
            d = problem.substitute(sp.diff(eq.jet_residual, second.symbol))
            if (a.free_symbols | d.free_symbols) & (state | ({t} if t is not None else set())):
                continue  # solution- or time-dependent velocity: direction not known a priori
            ratio = sp.simplify(-a / d)
            axis = g.names.index(x)
            peclet = _max_abs(problem, ratio, cells) * g.lengths[axis] / cells[axis]
            if peclet > PECLET_LIMIT:
                out.append(Upwinded(field.name, unknown, x, ratio, peclet))
    return tuple(out)


def _max_abs(problem: Problem, expr: sp.Expr, cells: tuple[int, ...]) -> float:
    """max |expr| over the nodes of the decision grid (space only)."""
    g = problem.geometry
    axes = [np.linspace(lo, hi, n + 1) for lo, hi, n in zip(g.lower, g.upper, cells, strict=True)]
    mesh = [m.ravel() for m in np.meshgrid(*axes, indexing="ij")]
    args = mesh + ([np.zeros_like(mesh[0])] if problem.time else [])
    with np.errstate(all="ignore"):
        values = np.abs(problem.function(expr)(*args))
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else float("inf")
