"""Which order of accuracy the engine runs a Problem at: 4 where the solution is smooth, else 2.

Fourth-order stencils (:mod:`simlab.discretize.stencils4`) and a fourth-order time march
(Crank–Nicolson extrapolated in time, :func:`simlab.discretize.integrate.richardson_march`)
pay only when the exact solution has the derivatives their error terms need. That is read
from the Problem, once:

* every expression the solution is built from (equations, coefficients, sources, boundary
  and initial data, initial guesses) is smooth: none of Heaviside, Abs, sign, Piecewise,
  Min/Max, floor/ceiling, DiracDelta (a discontinuous coefficient or a kink in the data
  leaves the scheme first or second order whatever its stencil);
* no advection term is upwinded (a cell Péclet number above 2: first order, reported as 1);
* fields are first order in time (second-order fields stay with Crank–Nicolson, order 2);
* the initial data meet the boundary data at ``t0`` (Dirichlet values; Neumann/Robin fluxes)
  and, on Dirichlet faces, the equation (``u_t = dg/dt``): the zeroth and first
  compatibility conditions. Otherwise the solution has a weak
  singularity at the corner ``t = t0`` on the face, which bounds every scheme's order;
* every observable has a fourth-order evaluation (front speeds are measured by linear
  crossing interpolation, order 2); eigenproblems stay second order (the symmetric pencils
  the eigensolvers rely on);
* the plan asks for it, ``order: 4`` in its Discretization section, and names no scheme of
  its own (``scheme: crank_nicolson`` runs as planned). Opt-in for now: the engine's 16/32/64
  triple is still pre-asymptotic at order 4 for some specs of specs/general (observed orders
  3.2-3.4, or oscillatory), which the study FLAGs; see the CHANGELOG, session 4, issue 18.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from simlab.discretize.upwind import upwind_plan
from simlab.problem.cache import IdentityCache
from simlab.problem.model import Problem

FOURTH_ORDER_KINDS = frozenset({"point", "max", "min", "mean", "integral", "l2_norm"})
NON_SMOOTH = (
    sp.Heaviside,
    sp.Abs,
    sp.sign,
    sp.Piecewise,
    sp.Min,
    sp.Max,
    sp.floor,
    sp.ceiling,
    sp.DiracDelta,
)
COMPATIBILITY_RTOL = 1e-8
"""Relative mismatch (to the size of the terms) above which data count as incompatible."""
FACE_SAMPLES = 7

_ORDERS: IdentityCache[int] = IdentityCache(size=128)


def space_order(problem: Problem) -> int:
    """4 when the Problem's solution is smooth enough for fourth-order stencils, else 2."""
    return _ORDERS.get(problem, lambda: _decision(problem)[0])


def why_second_order(problem: Problem) -> str:
    """The reason the engine runs ``problem`` at second order ('' when it runs fourth)."""
    return _decision(problem)[1]


_DECISIONS: dict[tuple, tuple[int, str]] = {}
DECISION_CACHE = 256


def _decision(problem: Problem) -> tuple[int, str]:
    """:func:`_decide`, remembered by the Problem's content (a spec parsed again compiles to a
    new Problem with equal expressions: the sympy work of the checks is done once)."""
    key = _content_key(problem)
    if key is None:
        return _decide(problem)
    if key not in _DECISIONS:
        if len(_DECISIONS) >= DECISION_CACHE:
            _DECISIONS.pop(next(iter(_DECISIONS)))
        _DECISIONS[key] = _decide(problem)
    return _DECISIONS[key]


def _content_key(problem: Problem) -> tuple | None:
    try:
        key = (
            tuple(sorted((str(k), str(v)) for k, v in (problem.plan or {}).items())),
            problem.geometry,
            problem.time,
            problem.eigenvalue,
            tuple((f.name, f.time_order) for f in problem.fields),
            tuple((f.name, f.kind) for f in problem.functionals),
            tuple(eq.jet_residual for eq in problem.equations),
            tuple(eq.residual for eq in problem.equations),
            tuple((c.unknown, c.face, c.kind, c.value, c.alpha) for c in problem.boundary),
            tuple(problem.initial),
            tuple(problem.initial_guess),
            tuple(sorted(problem.parameters.items())),
            tuple(sorted(problem.symbols.items())),
        )
        hash(key)
    except TypeError:
        return None
    return key


def formal_order(problem: Problem) -> float:
    """The order the convergence study is told: 1 upwinded, 4 smooth, 2 otherwise."""
    if upwind_plan(problem):
        return 1.0
    return float(space_order(problem))


def _decide(problem: Problem) -> tuple[int, str]:
    plan = problem.plan or {}
    asked = str(plan.get("order", "")).strip()
    if asked not in ("4", "4.0", "fourth"):
        why = f"the plan asks order {asked}" if asked else "second order unless the plan asks"
        return 2, why + " (order: 4 in the Discretization section)"
    if plan.get("scheme"):
        return 2, f"the plan names the scheme '{plan['scheme']}'"
    g = problem.geometry
    if g is None or not g.names:
        return 2, "no space dimension"
    if problem.eigenvalue is not None:
        return 2, "eigenproblem (symmetric second-order pencils)"
    if any(f.time_order > 1 for f in problem.fields):
        return 2, "a field of second order in time"
    bad = [f.name for f in problem.functionals if f.kind not in FOURTH_ORDER_KINDS]
    if bad:
        return 2, f"observable '{bad[0]}' has no fourth-order evaluation"
    if upwind_plan(problem):
        return 2, "an upwinded advection term"
    for expr in _expressions(problem):
        if sp.sympify(expr).has(*NON_SMOOTH):
            return 2, f"a non-smooth expression: {expr}"
    if problem.time is not None and not _compatible(problem):
        return 2, "initial data incompatible with the Dirichlet data at t0"
    return 4, ""


def _expressions(problem: Problem) -> list[sp.Expr]:
    out: list[sp.Expr] = [eq.residual for eq in problem.equations]
    for c in problem.boundary:
        out.append(c.value)
        if c.alpha is not None:
            out.append(c.alpha)
    out += [i.value for i in problem.initial]
    out += [v for _, v in problem.initial_guess]
    return out


def _compatible(problem: Problem) -> bool:
    """Zeroth and first compatibility of the initial data with the Dirichlet data at ``t0``.

    On every Dirichlet face of a first-order field, ``u0 = g(t0)`` and each equation, with
    the jets of ``u0`` for the space derivatives and ``dg/dt`` for ``u_t``, holds at ``t0``
    (checked at sample points of the face, parameters substituted).
    """
    t = problem.time_symbol
    t0 = problem.time.start
    initial = {i.unknown: i.value for i in problem.initial if i.derivative == 0}
    for cond in problem.boundary:
        if cond.kind in ("neumann", "robin") and cond.unknown in initial:
            u0 = initial[cond.unknown]
            x = problem.symbols[cond.face.coordinate]
            flux = cond.face.normal_sign * sp.diff(u0, x)
            lhs = flux + (cond.alpha * u0 if cond.kind == "robin" and cond.alpha else 0)
            points = _face_points(problem, cond.face.axis, cond.face.position)
            if not _vanishes(problem, lhs - cond.value, [lhs, cond.value], points, t0):
                return False
        if cond.kind != "dirichlet" or cond.unknown not in initial:
            continue
        points = _face_points(problem, cond.face.axis, cond.face.position)
        u0 = initial[cond.unknown]
        if not _vanishes(problem, u0 - cond.value, [u0, cond.value], points, t0):
            return False
        rates = {cond.unknown: sp.diff(cond.value, t)}
        for eq in problem.equations:
            replace = {}
            known = True
            for jet in eq.jets:
                orders = dict(jet.orders)
                if t is not None and t.name in orders:
                    if jet.unknown not in rates or orders != {t.name: 1}:
                        known = False
                        break
                    replace[jet.symbol] = rates[jet.unknown]
                    continue
                base = initial.get(jet.unknown)
                if base is None:
                    known = False
                    break
                derivative = base
                for name, k in jet.orders:
                    derivative = sp.diff(derivative, problem.symbols[name], k)
                replace[jet.symbol] = derivative
            if not known:
                continue
            residual = eq.jet_residual.xreplace(replace)
            terms = sp.Add.make_args(sp.expand(residual))
            if not _vanishes(problem, residual, terms, points, t0):
                return False
    return True


def _face_points(problem: Problem, axis: int, position: float) -> list[np.ndarray]:
    g = problem.geometry
    grids = []
    for a, (lo, hi) in enumerate(zip(g.lower, g.upper, strict=True)):
        if a == axis:
            grids.append(np.array([position]))
        else:
            grids.append(np.linspace(lo, hi, FACE_SAMPLES)[1:-1])
    return [m.ravel() for m in np.meshgrid(*grids, indexing="ij")]


def _vanishes(problem: Problem, expr: sp.Expr, terms, points: list[np.ndarray], t0: float) -> bool:
    """``|expr|`` on the face is at most ``COMPATIBILITY_RTOL`` times the size of its terms
    (the largest ``sum |term|`` over the face and a sample of the whole box: a sine vanishing
    on the face leaves round-off there, not zero)."""
    g = problem.geometry
    box = [
        m.ravel()
        for m in np.meshgrid(
            *[np.linspace(lo, hi, FACE_SAMPLES) for lo, hi in zip(g.lower, g.upper, strict=True)],
            indexing="ij",
        )
    ]

    def at(e: sp.Expr, where: list[np.ndarray]) -> np.ndarray:
        args = [*where, *([np.full(where[0].shape, t0)] if problem.time else [])]
        with np.errstate(all="ignore"):
            return np.abs(problem.function(e)(*args))

    try:
        value = at(expr, points)
        scale = max(
            (float(np.max(sum(at(term, w) for term in terms))) for w in (points, box)),
            default=0.0,
        )
    except (ValueError, TypeError, KeyError, NameError):
        return False  # not evaluable here: do not claim compatibility
    if not np.all(np.isfinite(value)) or not np.isfinite(scale):
        return False
    return bool(np.all(value <= COMPATIBILITY_RTOL * scale))
