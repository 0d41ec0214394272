"""A spec read for the finite-element solver: ``c u_t = kappa laplacian(u) - b u - g`` in 2-D.

The compiled Problem gives the equation (its residual in jets) and, on boxes, the boundary
conditions per face and the point observables; on the dialect's shapes (disk, annulus,
L-shape) the Problem has no box, so the boundary conditions and point observables are read
here from the spec (values in SI through ``SpecValues``). Anything else is refused with a
reason: first derivatives, variable or anisotropic diffusion, nonlinear terms, systems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.errors import SimlabError
from simlab.fem.domain import Domain, box_domain, shape_domain
from simlab.problem import Problem, compile_problem
from simlab.solvers.spec_values import SpecValues, read_call
from simlab.spec.expressions import safe_name
from simlab.spec.model import Spec
from simlab.spec.shapes import is_shape, read_shape
from simlab.spec.units import to_base

Fn = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Condition:
    """A boundary condition on one segment: ``kind``, ``value(x, y, t)``, Robin ``alpha``."""

    kind: str
    value: Fn
    alpha: float = 0.0


@dataclass(frozen=True)
class FemProblem:
    """Everything the finite-element solve needs, in SI."""

    domain: Domain
    kappa: float
    reaction: float
    capacity: float  # coefficient of u_t (0: stationary)
    source: Fn  # g(x, y, t) in  c u_t - kappa lap(u) + b u + g = 0 ... see module doc
    conditions: dict[str, Condition]
    points: dict[str, tuple[float, float]]
    u0: Fn | None
    t_span: tuple[float, float] | None


def read_fem_problem(spec: Spec) -> FemProblem | str:
    """The FE problem of ``spec``, or why the solver does not fit."""
    try:
        return _read(spec)
    except SimlabError as exc:
        return exc.message
    except (ValueError, TypeError, KeyError, ZeroDivisionError) as exc:
        return f"the finite-element reader cannot read this spec: {exc}"


def _read(spec: Spec) -> FemProblem | str:
    problem = compile_problem(spec)
    if len(problem.fields) != 1 or len(problem.equations) != 1:
        return "the finite-element solver takes one unknown and one equation"
    coords = tuple(c.name for c in spec.domain.coordinates)
    if len(coords) != 2:
        return f"{len(coords)}-D: the finite-element solver is 2-D (triangles)"
    if problem.eigenvalue is not None:
        return "an eigenproblem: the finite-element solver solves boundary-value problems"
    coefficients = _coefficients(problem, coords)
    if isinstance(coefficients, str):
        return coefficients
    kappa, reaction, capacity, source = coefficients
    units = tuple(c.unit for c in spec.domain.coordinates)
    values = SpecValues(spec)
    if is_shape(spec.domain.geometry):
        shape = read_shape(spec)
        if isinstance(shape, str):
            return shape
        domain = shape_domain(shape, units)
        conditions = _spec_conditions(spec, values, problem, domain)
        points = _spec_points(spec, coords, units, problem)
    else:
        if problem.reasons:
            return "; ".join(problem.reasons)
        g = problem.geometry
        faces = {(f.axis, f.end): f.name for f in g.faces}
        if len(faces) != 4:
            return "the rectangle needs one segment per side"
        domain = box_domain(coords, g.lower, g.upper, faces)
        conditions = _problem_conditions(problem)
        points = _problem_points(problem)
    if isinstance(conditions, str):
        return conditions
    if isinstance(points, str):
        return points
    u0, span = None, None
    if capacity != 0.0:
        if problem.time is None:
            return "a time derivative but no time interval"
        span = (problem.time.start, problem.time.end)
        initial = problem.initial_of(problem.fields[0].name, 0)
        if initial is None:
            return "no initial value"
        u0 = _function(problem, initial.value, coords)
    return FemProblem(domain, kappa, reaction, capacity, source, conditions, points, u0, span)


def _coefficients(problem: Problem, coords: tuple[str, str]) -> tuple | str:
    eq = problem.equations[0]
    residual = problem.substitute(eq.jet_residual)
    by_orders = {j.orders: j.symbol for j in eq.jets}
    t = problem.time.name if problem.time else None
    allowed = {(), ((coords[0], 2),), ((coords[1], 2),)}
    if t:
        allowed.add(((t, 1),))
    extra = [o for o in by_orders if o not in allowed]
    if extra:
        return f"derivative(s) {extra}: the finite-element solver takes u, u_t and laplacian(u)"
    symbols = list(by_orders.values())
    for s in symbols:
        if sp.diff(residual, s, 2) != 0 or any(
            sp.diff(residual, s, r) != 0 for r in symbols if r != s
        ):
            return "the equation is nonlinear in the unknown"

    def coefficient(orders: tuple) -> float | str:
        s = by_orders.get(orders)
        if s is None:
            return 0.0
        c = sp.simplify(sp.diff(residual, s))
        if c.free_symbols:
            return f"coefficient {c} of {s} is not a constant"
        return float(c)

    axx = coefficient(((coords[0], 2),))
    ayy = coefficient(((coords[1], 2),))
    b = coefficient(())
    ct = coefficient(((t, 1),)) if t else 0.0
    for c in (axx, ayy, b, ct):
        if isinstance(c, str):
            return c
    if axx != ayy or axx == 0.0:
        return "the diffusion is not isotropic (or missing): u_xx and u_yy need one coefficient"
    rest = residual.subs({s: 0 for s in symbols})
    kappa = -axx  # residual = ct u_t - kappa lap(u) + b u + rest
    if ct != 0.0 and kappa * ct < 0:
        return "backward-parabolic (u_t and laplacian(u) on the same side with the same sign)"
    if ct == 0.0 and kappa < 0:
        kappa, b, rest = -kappa, -b, -rest
    if ct < 0:
        kappa, b, ct, rest = -kappa, -b, -ct, -rest
    return kappa, b, ct, _function(problem, rest, coords)


def _function(problem: Problem, expr: sp.Expr, coords: tuple[str, str]) -> Fn:
    """``f(x, y, t)`` (SI) broadcast to the shape of its arguments."""
    names = [*coords, *([problem.time.name] if problem.time else [])]
    symbols = [problem.symbols[safe_name(n)] for n in names]
    expr = problem.substitute(sp.sympify(expr))
    free = expr.free_symbols - set(symbols)
    if free:
        raise ValueError(f"'{expr}' depends on {sorted(map(str, free))}, which have no value")
    raw = sp.lambdify(symbols, expr, modules="numpy")

    def call(x: np.ndarray, y: np.ndarray, t: float = 0.0) -> np.ndarray:
        args = (x, y, t) if problem.time else (x, y)
        shape = np.broadcast(x, y).shape
        return np.broadcast_to(np.asarray(raw(*args), dtype=float), shape).copy()

    return call


def _problem_conditions(problem: Problem) -> dict[str, Condition] | str:
    coords = problem.geometry.names
    out = {}
    for bc in problem.boundary:
        if bc.kind not in ("dirichlet", "neumann", "robin"):
            return f"a {bc.kind} condition on '{bc.face.name}': the FE solver takes D/N/R"
        out[bc.face.name] = Condition(
            bc.kind, _function(problem, bc.value, coords), bc.alpha or 0.0
        )
    return out


def _spec_conditions(
    spec: Spec, values: SpecValues, problem: Problem, domain: Domain
) -> dict[str, Condition] | str:
    out = {}
    unknown = problem.fields[0].name
    for name in domain.segments:
        conds = [c for c in spec.boundary.on(name) if c.unknown in (None, unknown)]
        if len(conds) != 1:
            return f"boundary '{name}' has {len(conds)} conditions for {unknown}"
        c = conds[0]
        if c.type not in ("dirichlet", "neumann", "robin") or c.value is None:
            return f"boundary '{name}': a {c.type} condition with a value is needed"
        alpha = 0.0
        if c.type == "robin":
            alpha_expr = problem.substitute(values.expression(c.alpha or "0"))
            if alpha_expr.free_symbols:
                return f"boundary '{name}': alpha {alpha_expr} is not a constant"
            alpha = float(alpha_expr)
        out[name] = Condition(
            c.type, _function(problem, values.expression(c.value), domain.names), alpha
        )
    return out


def _problem_points(problem: Problem) -> dict[str, tuple[float, float]] | str:
    out = {}
    end = problem.time.end if problem.time else None
    for f in problem.functionals:
        if f.kind != "point":
            return f"observable '{f.name}' is a {f.kind}: the FE solver reports point values"
        if end is not None and f.time is not None and abs(f.time - end) > 1e-12 * max(1, abs(end)):
            return f"observable '{f.name}' at an intermediate time: the FE solver reports t_end"
        at = dict(f.at)
        out[f.name] = (at[problem.geometry.names[0]], at[problem.geometry.names[1]])
    return out or "the spec has no point observables"


def _spec_points(
    spec: Spec, coords: tuple[str, str], units: tuple, problem: Problem
) -> dict[str, tuple[float, float]] | str:
    out = {}
    t = problem.time.name if problem.time else None
    for obs in spec.observables:
        call = read_call(obs.definition or "")
        if call.head != problem.fields[0].name or set(call.kwargs) - {*coords, *([t] if t else [])}:
            return f"observable '{obs.name}' = {obs.definition}: the FE solver reports point values"
        if t and t in call.kwargs:
            end = problem.time.end
            try:
                at = to_base(float(call.kwargs[t]), problem.time.unit)
            except (TypeError, ValueError):
                return f"observable '{obs.name}': time '{call.kwargs[t]}' is not a number"
            if abs(at - end) > 1e-12 * max(1.0, abs(end)):
                return f"observable '{obs.name}' at t = {at:g}: the FE solver reports t_end"
        try:
            out[obs.name] = tuple(
                to_base(float(call.kwargs[c]), u) for c, u in zip(coords, units, strict=True)
            )
        except (KeyError, TypeError, ValueError):
            wanted = f"numeric {coords[0]} and {coords[1]}"
            return f"observable '{obs.name}' = {obs.definition}: needs {wanted}"
    return out or "the spec has no point observables"
