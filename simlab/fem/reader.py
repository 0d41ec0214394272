"""A spec read for the finite-element solver, in 1, 2 or 3 dimensions:
``c u_t = sum_i d_i(kappa_i d_i u) - beta . grad(u) - b u - g``.

The compiled Problem gives the equation (its residual in jets) and, on boxes (intervals,
rectangles, boxes), the boundary conditions per face and the point observables; on the
dialect's plane shapes (disk, annulus, L-shape) the Problem has no box, so the boundary
conditions and point observables are read here from the spec (values in SI through
``SpecValues``). The coefficients of ``u_{x_i x_i}``, ``u_{x_i}`` and ``u`` may vary in
space (not in time); a residual ``a_i u_ii + e_i u_i`` is read in divergence form, ``kappa_i =
-a_i`` and ``beta_i = e_i + d_i kappa_i``. Refused with a reason: mixed second derivatives,
coefficients that vary in time or with the unknown, nonlinear terms, systems, a diffusion
that is not positive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

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
    """Everything the finite-element solve needs, in SI.

    ``c u_t - sum_i d_i(kappa_i d_i u) + beta . grad(u) + b u + g = 0``; every coefficient is
    a function of the coordinates (``f(*x)``; ``g`` also of ``t``). ``kappa`` is the largest
    diffusion coefficient on the domain (it sets the time-step plan).
    """

    domain: Domain
    diffusion: tuple[Fn, ...]
    advection: tuple[Fn, ...] | None  # None: no first-derivative term
    reaction: Fn
    capacity: float  # coefficient of u_t (0: stationary)
    source: Fn
    conditions: dict[str, Condition]
    points: dict[str, tuple[float, ...]]
    u0: Fn | None
    t_span: tuple[float, float] | None
    kappa: float
    constant: bool  # every coefficient is a constant
    times: dict[str, float] = field(default_factory=dict)
    """Observation time of each point observable (evolution; the end time if not given)."""
    eigen_weight: Fn | None = None
    """An eigenproblem ``-div(K grad u) + ... = lambda m(x) u``: the weight ``m`` (> 0)."""
    eigenvalues: dict[str, int] = field(default_factory=dict)
    """Each eigenvalue observable's index (1: the smallest)."""
    functionals: dict[str, str] = field(default_factory=dict)
    """Observables over the whole domain: name -> integral, mean, l2_norm, max or min."""

    @property
    def dimension(self) -> int:
        return len(self.domain.names)


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
    shape = is_shape(spec.domain.geometry)
    if not 1 <= len(coords) <= (2 if shape else 3):
        return f"{len(coords)}-D: the finite-element solver meshes 1-D, 2-D and 3-D boxes"
    eigen = _eigen_split(problem) if problem.eigenvalue is not None else None
    if isinstance(eigen, str):
        return eigen
    units = tuple(c.unit for c in spec.domain.coordinates)
    if shape:
        shape_ = read_shape(spec)
        if isinstance(shape_, str):
            return shape_
        domain = shape_domain(shape_, units)
        conditions = _spec_conditions(spec, SpecValues(spec), problem, domain)
        points = _spec_points(spec, coords, units, problem)
    else:
        if problem.reasons:
            return "; ".join(problem.reasons)
        g = problem.geometry
        faces = {(f.axis, f.end): f.name for f in g.faces}
        if len(faces) != 2 * len(coords):
            return "the box needs one segment per side"
        domain = box_domain(coords, g.lower, g.upper, faces)
        conditions = _problem_conditions(problem)
        points = _problem_points(problem) if eigen is None else _eigen_points(problem)
    if isinstance(conditions, str):
        return conditions
    if isinstance(points, str):
        return points
    if domain.kind == "box" and eigen is None:  # points as mesh nodes (meshes.axis_nodes)
        at = [p for p, _, kind in points.values() if kind == "point"]
        cuts = tuple(tuple(sorted({p[i] for p in at})) for i in range(len(coords)))
        domain = replace(domain, cuts=cuts)
    residual = problem.substitute(problem.equations[0].jet_residual)
    coefficients = _coefficients(
        problem, residual if eigen is None else eigen[0], coords, domain.ranges
    )
    if isinstance(coefficients, str):
        return coefficients
    weight, indices = None, {}
    if eigen is not None:
        weight = _eigen_weight(problem, eigen[1], coefficients.sign, coords, domain.ranges)
        if isinstance(weight, str):
            return weight
        bad = [c for c in problem.boundary if not sp.sympify(c.value).is_zero]
        if bad:
            return f"an eigenproblem with inhomogeneous data on '{bad[0].face.name}'"
        indices = {n: int(at[0]) for n, (at, _, _) in points.items()}
        points = {}
    times = {}
    if coefficients.capacity != 0.0 and problem.time is not None:
        end = problem.time.end
        times = {n: end if when is None else when for n, (_, when, _) in points.items()}
    u0, span = None, None
    if coefficients.capacity != 0.0:
        if problem.time is None:
            return "a time derivative but no time interval"
        span = (problem.time.start, problem.time.end)
        initial = problem.initial_of(problem.fields[0].name, 0)
        if initial is None:
            return "no initial value"
        u0 = _function(problem, initial.value, coords)
    c = coefficients
    return FemProblem(
        domain,
        c.diffusion,
        c.advection,
        c.reaction,
        c.capacity,
        c.source,
        conditions,
        {n: at for n, (at, _, kind) in points.items() if kind == "point"},
        u0,
        span,
        c.kappa,
        c.constant,
        times,
        weight,
        indices,
        {n: kind for n, (_, _, kind) in points.items() if kind in DOMAIN_FUNCTIONALS},
    )


@dataclass(frozen=True)
class _Coefficients:
    diffusion: tuple[Fn, ...]
    advection: tuple[Fn, ...] | None
    reaction: Fn
    capacity: float
    source: Fn
    kappa: float
    constant: bool
    sign: int  # +1 or -1: the residual was multiplied by it (kappa > 0, c >= 0)


def _eigen_split(problem: Problem) -> tuple[sp.Expr, sp.Expr] | str:
    """``(R0, R1)`` with residual ``R0 + lambda R1`` (``R1 = c(x) u``), or why not."""
    lam = problem.symbols[safe_name(problem.eigenvalue)]
    eq = problem.equations[0]
    residual = problem.substitute(eq.jet_residual)
    if sp.diff(residual, lam, 2) != 0:
        return "the equation is not linear in the eigenvalue"
    r1 = sp.expand(sp.diff(residual, lam))
    u = next((j.symbol for j in eq.jets if not j.orders), None)
    if u is None or sp.expand(r1 - sp.diff(r1, u) * u) != 0 or sp.diff(r1, u).has(u):
        return "the eigenvalue multiplies more than the unknown itself (lambda m(x) u)"
    return sp.expand(residual.subs(lam, 0)), sp.diff(r1, u)


def _eigen_weight(
    problem: Problem, c: sp.Expr, sign: int, coords: tuple[str, ...], ranges: Ranges
) -> Fn | str:
    """``m = -sign c``: the operator is ``sign R0``, so ``sign R0 = lambda m u``."""
    m = sp.simplify(-sign * c)
    if _sign_of(m, problem, coords, ranges) <= 0:
        return f"the eigenvalue's weight {m} is not positive on the domain"
    return _function(problem, m, coords, time=False)


def _eigen_points(problem: Problem) -> Points | str:
    """Eigenvalue observables by index (in the Points slot: the index, no time)."""
    out: Points = {}
    for f in problem.functionals:
        if f.kind != "eigenvalue":
            return f"observable '{f.name}' is a {f.kind}: the FE eigen solve reports eigenvalues"
        out[f.name] = ((float(f.index),), None, "eigenvalue")
    return out or "the spec has no eigenvalue observables"


def _coefficients(
    problem: Problem,
    residual: sp.Expr,
    coords: tuple[str, ...],
    ranges: tuple[tuple[float, float], ...],
) -> _Coefficients | str:
    eq = problem.equations[0]
    by_orders = {j.orders: j.symbol for j in eq.jets}
    t = problem.time.name if problem.time else None
    second = [((c, 2),) for c in coords]
    first = [((c, 1),) for c in coords]
    allowed = {(), *second, *first}
    if t:
        allowed.add(((t, 1),))
    extra = [o for o in by_orders if o not in allowed]
    if extra:
        return (
            f"derivative(s) {extra}: the finite-element solver takes u, u_t, first and second "
            "derivatives along each axis (no mixed or higher derivatives)"
        )
    symbols = list(by_orders.values())
    for s in symbols:
        if sp.diff(residual, s, 2) != 0 or any(
            sp.diff(residual, s, r) != 0 for r in symbols if r != s
        ):
            return "the equation is nonlinear in the unknown"
    space = {problem.symbols[safe_name(c)] for c in coords}

    def coefficient(orders: tuple) -> sp.Expr | str:
        s = by_orders.get(orders)
        if s is None:
            return sp.Integer(0)
        c = sp.simplify(sp.diff(residual, s))
        if c.free_symbols - space:
            return f"coefficient {c} of {s} depends on {sorted(map(str, c.free_symbols - space))}"
        return c

    a = [coefficient(o) for o in second]
    e = [coefficient(o) for o in first]
    b = coefficient(())
    ct = coefficient(((t, 1),)) if t else sp.Integer(0)
    for c in (*a, *e, b, ct):
        if isinstance(c, str):
            return c
    if ct.free_symbols:
        return f"the coefficient {ct} of the time derivative varies in space"
    rest = residual.subs({s: 0 for s in symbols})
    sign = 1
    ct_value = float(ct)
    if ct_value < 0 or (ct_value == 0 and _sign_of(a[0], problem, coords, ranges) > 0):
        sign = -1  # residual = c u_t - sum kappa_i u_ii + ...: keep kappa > 0, c >= 0
    kappa = [-sign * ai for ai in a]
    for axis, k in enumerate(kappa):
        if _sign_of(k, problem, coords, ranges) <= 0:
            return (
                f"the diffusion along {coords[axis]} ({k}) is not positive on the domain"
                if ct_value == 0 or k.is_zero
                else "backward-parabolic (u_t and the second derivative on the same side with "
                "the same sign)"
            )
    beta = [
        sign * ei + sp.diff(k, problem.symbols[safe_name(c)])
        for ei, k, c in zip(e, kappa, coords, strict=True)
    ]
    beta = [sp.simplify(x) for x in beta]
    values = [*kappa, *beta, sign * b]
    constant = all(not v.free_symbols for v in values)
    scale = _largest(kappa, problem, coords, ranges)
    return _Coefficients(
        diffusion=tuple(_function(problem, k, coords, time=False) for k in kappa),
        advection=None
        if all(x.is_zero for x in beta)
        else tuple(_function(problem, x, coords, time=False) for x in beta),
        reaction=_function(problem, sign * b, coords, time=False),
        capacity=sign * ct_value,
        source=_function(problem, sign * rest, coords),
        kappa=scale,
        constant=constant,
        sign=sign,
    )


Ranges = tuple[tuple[float, float], ...]


def _samples(problem: Problem, coords: tuple[str, ...], ranges: Ranges, expr: sp.Expr):
    """``expr`` at 9 points per axis of the domain's bounding box."""
    fn = _function(problem, expr, coords, time=False)
    axes = [np.linspace(lo, hi, 9) for lo, hi in ranges]
    return fn(*np.meshgrid(*axes, indexing="ij"))


def _sign_of(expr: sp.Expr, problem: Problem, coords: tuple[str, ...], ranges: Ranges) -> int:
    """+1 / -1 when ``expr`` has that sign at every sample of the domain, else 0."""
    values = _samples(problem, coords, ranges, expr)
    if np.all(values > 0):
        return 1
    if np.all(values < 0):
        return -1
    return 0


def _largest(
    kappa: list[sp.Expr], problem: Problem, coords: tuple[str, ...], ranges: Ranges
) -> float:
    return max(float(np.max(np.abs(_samples(problem, coords, ranges, k)))) for k in kappa)


def _function(problem: Problem, expr: sp.Expr, coords: tuple[str, ...], time: bool = True) -> Fn:
    """``f(*x, t)`` (SI; ``f(*x)`` with ``time=False``) broadcast to its arguments' shape."""
    with_time = time and problem.time is not None
    names = [*coords, *([problem.time.name] if with_time else [])]
    symbols = [problem.symbols[safe_name(n)] for n in names]
    expr = problem.substitute(sp.sympify(expr))
    free = expr.free_symbols - set(symbols)
    if free:
        raise ValueError(f"'{expr}' depends on {sorted(map(str, free))}, which have no value")
    raw = sp.lambdify(symbols, expr, modules="numpy")
    dim = len(coords)

    def call(*args: np.ndarray | float) -> np.ndarray:
        xs = args[:dim]
        t = args[dim] if len(args) > dim else 0.0
        shape = np.broadcast(*xs).shape
        values = raw(*xs, t) if with_time else raw(*xs)
        return np.broadcast_to(np.asarray(values, dtype=float), shape).copy()

    return call


def _problem_conditions(problem: Problem) -> dict[str, Condition] | str:
    coords = problem.geometry.names
    out = {}
    for bc in problem.boundary:
        if bc.kind not in ("dirichlet", "neumann", "robin"):
            return f"a {bc.kind} condition on '{bc.face.name}': the FE solver takes D/N/R"
        alpha = problem.substitute(sp.sympify(bc.alpha)) if bc.alpha is not None else 0.0
        if isinstance(alpha, sp.Expr) and alpha.free_symbols:
            return f"boundary '{bc.face.name}': Robin alpha {alpha} is not a constant"
        out[bc.face.name] = Condition(bc.kind, _function(problem, bc.value, coords), float(alpha))
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


Points = dict[str, tuple[tuple[float, ...], float | None, str]]
"""Each observable's coordinates (SI; a point value's), time (``None``: the end, or
stationary) and kind (``point`` or one of :data:`DOMAIN_FUNCTIONALS`)."""

DOMAIN_FUNCTIONALS = ("integral", "mean", "l2_norm", "max", "min")


def _problem_points(problem: Problem) -> Points | str:
    out = {}
    for f in problem.functionals:
        if f.kind not in ("point", *DOMAIN_FUNCTIONALS):
            return f"observable '{f.name}' is a {f.kind}: the FE solver reports point values"
        at = dict(f.at)
        time = f.time if problem.time is not None else None
        where = tuple(at[n] for n in problem.geometry.names) if f.kind == "point" else ()
        out[f.name] = (where, time, f.kind)
    return out or "the spec has no observables"


def _spec_points(
    spec: Spec, coords: tuple[str, str], units: tuple, problem: Problem
) -> Points | str:
    out = {}
    t = problem.time.name if problem.time else None
    for obs in spec.observables:
        call = read_call(obs.definition or "")
        if call.head != problem.fields[0].name or set(call.kwargs) - {*coords, *([t] if t else [])}:
            return f"observable '{obs.name}' = {obs.definition}: the FE solver reports point values"
        when = None
        if t and t in call.kwargs:
            try:
                when = to_base(float(call.kwargs[t]), problem.time.unit)
            except (TypeError, ValueError):
                return f"observable '{obs.name}': time '{call.kwargs[t]}' is not a number"
            if not problem.time.start <= when <= problem.time.end:
                return f"observable '{obs.name}' at t = {when:g}: outside the time interval"
        try:
            out[obs.name] = (
                tuple(
                    to_base(float(call.kwargs[c]), u) for c, u in zip(coords, units, strict=True)
                ),
                when,
                "point",
            )
        except (KeyError, TypeError, ValueError):
            wanted = f"numeric {coords[0]} and {coords[1]}"
            return f"observable '{obs.name}' = {obs.definition}: needs {wanted}"
    return out or "the spec has no point observables"
