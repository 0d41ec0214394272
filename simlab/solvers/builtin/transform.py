"""Spec-driven solver for integral transforms ``U(x) = F(x, integral(g(xi, x), (xi, a, b)))``.

The equation is read as sympy: the unknown alone on one side; on the other, an expression of
the coordinates and of one or more definite one-dimensional integrals whose limits are
constants. Each integral is evaluated by a composite Newton-Cotes rule on equal panels
(``composite_simpson``: order 4; ``composite_trapezoid``: order 2) applied to the lambdified
integrand, then the outer expression is evaluated with the quadrature values. For Fresnel's
slit this is the same sum as :mod:`simlab.solvers.kernels.fresnel` (agreement ~1e-15).

Resolution = Simpson segments (each two panels, so every resolution the study asks for is
valid) or trapezoid panels; ``h`` = the largest panel width. The default segments follow the
integrand's oscillation: the largest ``|dg/dxi| / |g|`` at the observable points times the
interval length is the phase (in radians) the integrand turns through, and the coarsest grid
gets about one segment per radian.

Observables: ``intensity(x=...)`` = ``|U|^2`` and ``U(x=...)`` when ``U`` is real there.
Audit: ``|U(x)|^2 <= |c(x)|^2 (b - a) integral |g|^2`` (Cauchy-Schwarz) on the domain,
when the transform has the product form ``U = c(x) * integral(g)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from simlab.certify.audit_checks import CheckResult
from simlab.errors import SolverError
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._structure import as_number
from simlab.solvers.families import INTEGRAL_TRANSFORM
from simlab.solvers.solution import Solution
from simlab.solvers.spec_values import SpecValues, read_call
from simlab.spec.expressions import safe_name
from simlab.spec.model import Spec

RULES = {"simpson": 4.0, "trapezoid": 2.0}
RULE_ALIASES = {
    "composite_simpson": "simpson",
    "simpson": "simpson",
    "simpsons_rule": "simpson",
    "composite_trapezoid": "trapezoid",
    "trapezoid": "trapezoid",
    "trapezoidal": "trapezoid",
}
MIN_SEGMENTS = 8
AUDIT_POINTS = 401
BOUND_ROOM = 1e-9
ComplexFn = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Quadrature:
    """One definite integral: its integrand as ``g(xi, *coords)`` and constant limits (SI)."""

    integrand: ComplexFn
    lower: float
    upper: float


@dataclass(frozen=True)
class PointRequest:
    """``intensity(x=..)`` (``square=True``) or ``U(x=..)`` at a point (SI)."""

    name: str
    point: tuple[float, ...]
    square: bool


@dataclass(frozen=True)
class TransformProblem:
    """The transform, its quadratures and the observables."""

    unknown: str
    coordinates: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    quadratures: tuple[Quadrature, ...]
    outer: ComplexFn
    prefactor: ComplexFn | None
    integrand_square: ComplexFn | None
    rule: str
    requests: tuple[PointRequest, ...]
    phase: float


class QuadratureTransformSolver(SpecDrivenSolver[TransformProblem]):
    """Definite integrals of the spec's integrand by composite Simpson (or trapezoid) rules."""

    name = "integral_quadrature"
    family = INTEGRAL_TRANSFORM
    formal_order = 4.0
    resolutions = (MIN_SEGMENTS, 2 * MIN_SEGMENTS, 4 * MIN_SEGMENTS)
    max_resolution = 1 << 16

    def analyse(self, problem: Problem) -> TransformProblem | str:
        # Integral transforms are not in the Problem (their integrands are free text): this
        # family still reads the spec through SpecValues.
        spec = problem.spec
        values = SpecValues(spec)
        rule = _rule(spec)
        if rule not in RULES:
            return rule
        transform = _read_transform(values, rule)
        if isinstance(transform, str):
            return transform
        self.formal_order = RULES[rule]
        base = max(MIN_SEGMENTS, math.ceil(transform.phase))
        self.resolutions = (base, 2 * base, 4 * base)
        return transform

    def solve(self, spec: Spec, resolution: int) -> Solution:
        problem = self.problem(spec)
        n = int(resolution)
        if n < 1:
            raise SolverError(f"the resolution must be >= 1, got {resolution}")
        points = np.array([r.point for r in problem.requests], dtype=float)
        field, h = _field(problem, points, n)
        observables = {}
        for request, value in zip(problem.requests, field, strict=True):
            if request.square:
                observables[request.name] = float(abs(value) ** 2)
                continue
            if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
                raise SolverError(
                    f"observable '{request.name}': {problem.unknown} = {value:.6g} is complex "
                    f"there; ask for intensity(...) = |{problem.unknown}|^2"
                )
            observables[request.name] = float(value.real)
        return self.remember(
            Solution(
                grid={c: points[:, i] for i, c in enumerate(problem.coordinates)},
                fields={"field_re": field.real, "field_im": field.imag},
                resolution=float(n),
                h=h,
                order=RULES[problem.rule],
                observables=observables,
                meta={
                    "rule": problem.rule,
                    "panels": _panels(problem.rule, n),
                    "h_meaning": "largest panel width of the quadratures (SI)",
                    "phase_per_panel": problem.phase / _panels(problem.rule, n),
                },
            )
        )

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """``|U|^2 <=`` the Cauchy-Schwarz bound over the domain (product form only).

        ``|U|^2 >= 0`` holds by construction and is not reported as a check.
        """
        problem = self.problem(spec)
        if problem.prefactor is None or problem.integrand_square is None:
            return []
        n = int(solution.resolution)
        axes = [np.linspace(lo, hi, AUDIT_POINTS) for lo, hi in problem.ranges]
        mesh = np.stack([a.ravel() for a in np.meshgrid(*axes, indexing="ij")], axis=1)
        if len(axes) > 1:  # keep the audit cheap in 2-D: a diagonal and the axes would do too
            mesh = mesh[:: max(1, mesh.shape[0] // AUDIT_POINTS)]
        field, _ = _field(problem, mesh, n)
        intensity = np.abs(field) ** 2
        (quad,) = problem.quadratures
        nodes, weights = _nodes(problem.rule, n, quad.lower, quad.upper)
        energy = np.real(_integrate(problem.integrand_square, mesh, nodes, weights))
        c2 = np.abs(_call(problem.prefactor, mesh)) ** 2
        bound = c2 * (quad.upper - quad.lower) * energy
        excess = float(np.max((intensity - bound) / np.maximum(bound, np.finfo(float).tiny)))
        return [
            CheckResult(
                name="Cauchy-Schwarz bound",
                passed=excess <= BOUND_ROOM,
                value=excess,
                threshold=BOUND_ROOM,
                condition="S4",
                message=(
                    f"max over {mesh.shape[0]} screen points of (|U|^2 - bound) / bound = "
                    f"{excess:.3g}; bound |c|^2 (b - a) integral |g|^2 (allowed {BOUND_ROOM:g})"
                ),
            ),
        ]


def _rule(spec: Spec) -> str:
    d = spec.discretization
    scheme = (d.scheme or d.method) if d is not None else None
    if scheme is None or (d is not None and d.scheme is None and d.method == "quadrature"):
        return "simpson"
    key = scheme.strip().lower().replace("-", "_").replace(" ", "_")
    if key in RULE_ALIASES:
        return RULE_ALIASES[key]
    return f"quadrature scheme '{scheme}' is not available (known: {', '.join(RULE_ALIASES)})"


def _read_transform(values: SpecValues, rule: str) -> TransformProblem | str:
    spec = values.spec
    if spec.domain.time is not None:
        return "time-dependent; the quadrature solver evaluates stationary transforms"
    if len(spec.equations.unknowns) != 1 or len(spec.equations.equations) != 1:
        return "the quadrature solver takes one unknown defined by one equation"
    coordinates = values.space
    if not coordinates:
        return "the domain has no coordinates to evaluate the transform at"
    unknown = spec.equations.unknowns[0]
    try:
        relation = values.relations[0]
    except Exception as exc:
        return f"the equation cannot be read: {exc}"
    if relation.op != "=":
        return f"the equation is a relation '{relation.op}', not a definition U = ..."
    applied = values.namespace.symbols[safe_name(unknown.name)]
    if relation.lhs == applied:
        definition = relation.rhs
    elif relation.rhs == applied:
        definition = relation.lhs
    else:
        return f"the equation does not define {unknown.name} explicitly ({unknown.name} = ...)"
    if any(f.func == applied.func for f in definition.atoms(AppliedUndef)):
        return (
            f"{unknown.name} appears inside its own definition: an integral equation, not a "
            "transform the quadrature solver can evaluate"
        )
    integrals = sorted(definition.atoms(sp.Integral), key=str)
    if not integrals:
        return "the definition holds no integral"
    coord_syms = [values.namespace.symbols[safe_name(c)] for c in coordinates]
    parameters = values.substitutions
    quadratures = []
    placeholders = []
    squares = []
    for integral in integrals:
        read = _quadrature(integral, coord_syms, parameters)
        if isinstance(read, str):
            return f"integral {integral}: {read}"
        quadratures.append(read[0])
        squares.append(read[1])
        placeholders.append(sp.Dummy("J"))
    outer_expr = definition.subs(dict(zip(integrals, placeholders, strict=True))).subs(parameters)
    extra = outer_expr.free_symbols - set(coord_syms) - set(placeholders)
    if extra or outer_expr.atoms(AppliedUndef):
        return f"the definition depends on {sorted(map(str, extra))}, which have no value"
    outer = sp.lambdify([*coord_syms, *placeholders], outer_expr, modules="numpy")
    prefactor = square = None
    if len(placeholders) == 1:
        c = sp.simplify(outer_expr / placeholders[0])
        if not c.has(placeholders[0]):
            prefactor = sp.lambdify(coord_syms, c, modules="numpy")
            square = squares[0]
    ranges = tuple(values.coordinate_range(c) for c in coordinates)
    requests = _requests(values, unknown.name, coordinates, ranges)
    if isinstance(requests, str):
        return requests
    phase = _phase(integrals, coord_syms, parameters, requests, quadratures)
    return TransformProblem(
        unknown=unknown.name,
        coordinates=coordinates,
        ranges=ranges,
        quadratures=tuple(quadratures),
        outer=outer,
        prefactor=prefactor,
        integrand_square=square,
        rule=rule,
        requests=requests,
        phase=phase,
    )


def _quadrature(
    integral: sp.Integral, coords: list[sp.Symbol], parameters: dict
) -> tuple[Quadrature, ComplexFn] | str:
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return "only definite one-dimensional integrals (integral(g, (xi, a, b))) are evaluated"
    variable, lower, upper = integral.limits[0]
    a = as_number(sp.sympify(lower).subs(parameters))
    b = as_number(sp.sympify(upper).subs(parameters))
    if a is None or b is None:
        return "the limits are not constants (they may not depend on the coordinates)"
    if not (math.isfinite(a) and math.isfinite(b)) or not b > a:
        return f"the limits must be finite with lower < upper, got [{a}, {b}]"
    integrand = integral.function.subs(parameters)
    if integrand.atoms(sp.Integral) or integrand.atoms(AppliedUndef):
        return "the integrand holds another integral or an undefined function"
    extra = integrand.free_symbols - {variable, *coords}
    if extra:
        return f"the integrand depends on {sorted(map(str, extra))}, which have no value"
    fn = sp.lambdify([variable, *coords], integrand, modules="numpy")
    square = sp.lambdify([variable, *coords], sp.Abs(integrand) ** 2, modules="numpy")
    return Quadrature(fn, a, b), square


def _requests(
    values: SpecValues, unknown: str, coordinates: tuple[str, ...], ranges: tuple
) -> tuple[PointRequest, ...] | str:
    out = []
    for obs in values.spec.observables:
        try:
            call = read_call(obs.definition or "")
        except Exception as exc:
            return f"observable '{obs.name}': {exc}"
        square = call.head == "intensity"
        if not (square or call.head == unknown) or call.args not in ((), (unknown,)):
            return (
                f"observable '{obs.name}' = {obs.definition}: not computable by the quadrature "
                f"solver (supported: intensity({', '.join(c + '=..' for c in coordinates)}), "
                f"{unknown}(...))"
            )
        if set(call.kwargs) != set(coordinates):
            return f"observable '{obs.name}': give every coordinate ({', '.join(coordinates)})"
        point = []
        for c, (lo, hi) in zip(coordinates, ranges, strict=True):
            value = values.kwarg_in_si(c, call.kwargs[c])
            if not lo - 1e-12 * (hi - lo) <= value <= hi + 1e-12 * (hi - lo):
                return f"observable '{obs.name}': {c} = {call.kwargs[c]} is outside the domain"
            point.append(value)
        out.append(PointRequest(obs.name, tuple(point), square))
    if not out:
        return "the spec has no observables"
    return tuple(out)


def _phase(
    integrals: list[sp.Integral],
    coords: list[sp.Symbol],
    parameters: dict,
    requests: tuple[PointRequest, ...],
    quadratures: list[Quadrature],
) -> float:
    """Largest ``|dg/dxi| / |g| * (b - a)`` at the observable points: the radians to resolve."""
    worst = 0.0
    for integral, quad in zip(integrals, quadratures, strict=True):
        variable = integral.limits[0][0]
        g = integral.function.subs(parameters)
        rate = sp.lambdify([variable, *coords], sp.diff(g, variable) / g, modules="numpy")
        xi = np.linspace(quad.lower, quad.upper, 257)
        for r in requests:
            with np.errstate(all="ignore"):
                values = np.abs(np.broadcast_to(rate(xi, *r.point), xi.shape))
            finite = values[np.isfinite(values)]
            if finite.size:
                worst = max(worst, float(finite.max()) * (quad.upper - quad.lower))
    return worst


def _panels(rule: str, n: int) -> int:
    return 2 * n if rule == "simpson" else n


def _nodes(rule: str, n: int, lower: float, upper: float) -> tuple[np.ndarray, np.ndarray]:
    panels = _panels(rule, n)
    nodes = np.linspace(lower, upper, panels + 1)
    weights = np.ones(panels + 1)
    if rule == "trapezoid":
        weights[[0, -1]] = 0.5
    else:
        weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
        weights /= 3.0
    return nodes, weights * (upper - lower) / panels


def _call(fn: ComplexFn, points: np.ndarray, *extra: np.ndarray) -> np.ndarray:
    coords = [points[:, i] for i in range(points.shape[1])]
    out = fn(*coords, *extra)
    return np.broadcast_to(np.asarray(out, dtype=complex), (points.shape[0],))


def _integrate(
    integrand: ComplexFn, points: np.ndarray, nodes: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """``sum_k w_k g(xi_k, point)`` for every point, in row blocks (bounded memory)."""
    out = np.empty(points.shape[0], dtype=complex)
    block = max(1, 2_000_000 // nodes.size)
    for start in range(0, points.shape[0], block):
        rows = points[start : start + block]
        coords = [rows[:, i, None] for i in range(rows.shape[1])]
        values = np.broadcast_to(
            np.asarray(integrand(nodes[None, :], *coords), dtype=complex),
            (rows.shape[0], nodes.size),
        )
        out[start : start + block] = values @ weights
    return out


def _field(problem: TransformProblem, points: np.ndarray, n: int) -> tuple[np.ndarray, float]:
    """``U`` at ``points`` with ``n`` segments (Simpson) or panels, and the largest panel."""
    sums = []
    h = 0.0
    for quad in problem.quadratures:
        nodes, weights = _nodes(problem.rule, n, quad.lower, quad.upper)
        sums.append(_integrate(quad.integrand, points, nodes, weights))
        h = max(h, (quad.upper - quad.lower) / _panels(problem.rule, n))
    return _call(problem.outer, points, *sums), h
