"""What the adapters read from a spec besides the equation: box, boundary sides, time, plan.

Everything is returned in SI base units. Each reader returns its result or a ``str`` saying
why the spec does not fit the kernels (the adapters turn it into ``Fit.no(reason)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.solvers.builtin._structure import as_number
from simlab.solvers.spec_values import SpecValues, numpy_lambda
from simlab.spec.expressions import safe_name, split_relation
from simlab.spec.model import BoundaryCondition
from simlab.spec.units import to_base

RECTANGULAR_GEOMETRIES = frozenset(
    {"interval", "line", "segment", "rectangle", "square", "box", "cuboid", "cube"}
)
LOWER, UPPER = "lower", "upper"


@dataclass(frozen=True)
class Side:
    """One end of one coordinate's range and the condition imposed there."""

    coordinate: str
    end: str
    segment: str
    condition: BoundaryCondition


@dataclass(frozen=True)
class Box:
    """A tensor-product domain ``[lower, upper]`` per space coordinate (SI) and its sides."""

    names: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    sides: dict[tuple[str, str], Side]

    @property
    def lengths(self) -> tuple[float, ...]:
        return tuple(b - a for a, b in zip(self.lower, self.upper, strict=True))

    @property
    def dimension(self) -> int:
        return len(self.names)

    def types(self) -> set[str]:
        """The boundary-condition types used on the sides."""
        return {s.condition.type for s in self.sides.values()}

    def cells(self, resolution: int) -> tuple[int, ...]:
        """Cells per coordinate: ``resolution`` on the shortest side, whole multiples elsewhere.

        The multiples ``round(L_i / L_min)`` are fixed by the domain, so every coordinate's
        step halves exactly when ``resolution`` doubles and cells stay within a factor 1.5 of
        square.
        """
        shortest = min(self.lengths)
        return tuple(int(resolution) * max(1, round(L / shortest)) for L in self.lengths)

    def shifted(self, fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
        """``fn`` of spec coordinates as a function of kernel coordinates (origin at ``lower``)."""
        lower = self.lower

        def call(*coords: np.ndarray) -> np.ndarray:
            return fn(*(c + a for c, a in zip(coords, lower, strict=True)))

        return call


def read_box(values: SpecValues, unknown: str) -> Box | str:
    """The rectangular domain and the condition for ``unknown`` on each of its sides."""
    spec = values.spec
    geometry = (spec.domain.geometry or "").strip().lower()
    if geometry and geometry not in RECTANGULAR_GEOMETRIES:
        return f"geometry '{spec.domain.geometry}' is not an interval or rectangle"
    names = values.space
    if not names:
        return "the domain has no space coordinates"
    ranges = [values.coordinate_range(x) for x in names]
    sides: dict[tuple[str, str], Side] = {}
    for segment in spec.domain.boundaries:
        located = _locate(values, segment.where, names, ranges)
        if isinstance(located, str):
            return f"boundary '{segment.name}': {located}"
        if located in sides:
            return (
                f"boundaries '{sides[located].segment}' and '{segment.name}' share the side "
                f"{located[0]} = {located[1]}; the kernels take one condition per side"
            )
        conditions = [c for c in spec.boundary.on(segment.name) if c.unknown in (None, unknown)]
        if len(conditions) != 1:
            return f"boundary '{segment.name}' has {len(conditions)} conditions for {unknown}"
        sides[located] = Side(located[0], located[1], segment.name, conditions[0])
    missing = [f"{x} {end}" for x in names for end in (LOWER, UPPER) if (x, end) not in sides]
    if missing:
        return f"no boundary condition on the side(s) {', '.join(missing)}"
    return Box(
        names=names,
        lower=tuple(a for a, _ in ranges),
        upper=tuple(b for _, b in ranges),
        sides=sides,
    )


def _locate(
    values: SpecValues, where: str, names: tuple[str, ...], ranges: list[tuple[float, float]]
) -> tuple[str, str] | str:
    try:
        lhs, rhs, op = split_relation(where)
    except ValueError as exc:
        return f"'{where}' is not 'coordinate = value' ({exc})"
    coord = lhs.strip()
    if op != "=" or coord not in names:
        return f"'{where}' does not fix one space coordinate"
    position = _position_si(values, coord, rhs)
    if position is None:
        return f"'{where}' has no numeric value"
    lower, upper = ranges[names.index(coord)]
    scale = max(abs(lower), abs(upper), upper - lower)
    if abs(position - lower) <= 1e-9 * scale:
        return coord, LOWER
    if abs(position - upper) <= 1e-9 * scale:
        return coord, UPPER
    return f"'{where}' lies inside the domain, not on its boundary"


def _position_si(values: SpecValues, coord: str, text: str) -> float | None:
    """A boundary location: a plain number is in the coordinate's unit, an expression in SI."""
    try:
        number = float(text)
    except ValueError:
        try:
            return as_number(values.expression(text))
        except Exception:  # unreadable text: reported by the caller
            return None
    c = values.spec.domain.coordinate(coord)
    return to_base(number, c.unit if c else None)


def side_value(values: SpecValues, side: Side, box: Box) -> float | str:
    """A boundary value that is one constant on its side (evaluated there, SI)."""
    text = side.condition.value
    if text is None:
        return f"the {side.condition.type} condition on '{side.segment}' has no value"
    try:
        expr = values.expression(text)
    except Exception as exc:
        return f"boundary value '{text}' cannot be read: {exc}"
    position = box.lower if side.end == LOWER else box.upper
    at = {
        values.namespace.symbols[safe_name(side.coordinate)]: position[
            box.names.index(side.coordinate)
        ]
    }
    number = as_number(expr.subs(at))
    if number is None:
        return (
            f"boundary value '{text}' on '{side.segment}' is not a constant "
            f"(it depends on {sorted(map(str, expr.subs(at).free_symbols))})"
        )
    return number


def time_span(values: SpecValues) -> tuple[float, float] | str:
    """``(t0, t_end)`` in seconds, or why there is none."""
    span = values.time_range
    if span is None:
        return "the problem has no time interval"
    if not span[1] > span[0]:
        return f"the time interval [{span[0]}, {span[1]}] is empty"
    return span


def initial_function(
    values: SpecValues, unknown: str, box: Box, derivative: int = 0
) -> Callable[..., np.ndarray] | str:
    """The initial data (or its time derivative) as a function of kernel coordinates."""
    ic = values.spec.initial.of(unknown, derivative)
    what = "initial value" if derivative == 0 else f"initial {derivative}. time derivative"
    if ic is None:
        return f"no {what} of {unknown}"
    t0 = values.time_range[0] if values.time_range else 0.0
    try:
        expr = values.expression(ic.value)
        time = values.spec.domain.time
        if time is not None:
            expr = expr.subs(values.namespace.symbols[time.name], t0)
        fn = numpy_function(values, expr, box.names)
    except Exception as exc:
        return f"the {what} '{ic.value}' cannot be evaluated: {exc}"
    return fn if isinstance(fn, str) else box.shifted(fn)


def numpy_function(
    values: SpecValues, expr: sp.Expr, names: tuple[str, ...]
) -> Callable[..., np.ndarray] | str:
    """A vectorised numpy callable of the coordinates ``names`` (SI) for ``expr``."""
    symbols = [values.namespace.symbols[safe_name(n)] for n in names]
    free = {str(s) for s in expr.free_symbols - set(symbols)}
    if free:
        return f"'{expr}' depends on {sorted(free)}, which have no value"
    try:
        raw = numpy_lambda(tuple(symbols), expr)
    except TypeError:  # an unhashable expression
        raw = sp.lambdify(symbols, expr, modules="numpy")

    def call(*coords: np.ndarray) -> np.ndarray:
        shape = np.broadcast(*coords).shape
        return np.broadcast_to(np.asarray(raw(*coords), dtype=float), shape).copy()

    return call


# ------------------------------------------------------------------ the planned discretisation


SCHEME_ALIASES = {
    "cn": "crank_nicolson",
    "crank-nicolson": "crank_nicolson",
    "ftcs": "explicit_euler",
    "forward_euler": "explicit_euler",
    "implicit_euler": "backward_euler",
    "btcs": "backward_euler",
    "lax-wendroff": "lax_wendroff",
    "first_order_upwind": "upwind",
    "upwind_1": "upwind",
    "central_difference_leapfrog": "leapfrog",
    "five_point": "central_5_point",
    "5_point": "central_5_point",
    "three_point": "central_3_point",
    "3_point": "central_3_point",
}


@dataclass(frozen=True)
class Plan:
    """The spec's ``## Discretization``: method, scheme, Courant number, step (SI)."""

    method: str | None = None
    scheme: str | None = None
    cfl: float | None = None
    dt: float | None = None
    resolution: int | None = None


def read_plan(values: SpecValues) -> Plan | str:
    """The planned method, normalised (``None`` fields when the spec leaves them open)."""
    d = values.spec.discretization
    if d is None:
        return Plan()
    scheme = _normalise(d.scheme)
    cfl = d.extra.get("cfl", d.extra.get("courant"))
    if cfl is not None:
        try:
            cfl = float(cfl)
        except (TypeError, ValueError):
            return f"cfl '{cfl}' is not a number"
        if not (math.isfinite(cfl) and cfl > 0):
            return f"cfl must be a positive number, got {cfl}"
    dt = None
    if d.dt is not None:
        dt = to_base(d.dt.value, d.dt.unit)
        if not dt > 0:
            return f"dt must be positive, got {d.dt}"
    n = d.resolution.get("n") if isinstance(d.resolution, dict) else None
    resolution = int(n) if isinstance(n, int | float) and n >= 2 else None
    return Plan(_normalise(d.method), scheme, cfl, dt, resolution)


def _normalise(text: str | None) -> str | None:
    if text is None:
        return None
    key = text.strip().lower().replace(" ", "_")
    return SCHEME_ALIASES.get(key, key)


def plan_mismatch(
    plan: Plan, methods: tuple[str, ...], schemes: tuple[str, ...], what: str
) -> str | None:
    """Why the planned method or scheme is not one this kernel runs (``None`` if it is)."""
    if plan.method is not None and plan.method not in methods:
        return f"method '{plan.method}' planned; {what} runs {' or '.join(methods)}"
    if plan.scheme is not None and plan.scheme not in schemes:
        return f"scheme '{plan.scheme}' planned; {what} implements {', '.join(schemes)}"
    return None


def scaled_steps(
    t_span: float, dt_planned: float, n: int, n_reference: int, power: int, even: bool = False
) -> int:
    """Time steps at ``n`` cells when the planned ``dt`` holds at ``n_reference`` cells.

    ``dt`` scales like ``h^power`` along the refinement path (1: fixed Courant number,
    2: fixed diffusion number), so the stability number the Judge checked at the planned
    resolution is kept on every grid, and the step count is a whole number so the final time
    is reached exactly.
    """
    reference_steps = max(1, math.ceil(t_span / dt_planned * (1.0 - 1e-12)))
    steps = max(1, math.ceil(reference_steps * (n / n_reference) ** power - 1e-9))
    if even and steps % 2:
        steps += 1
    return steps


def dirichlet_function(values: SpecValues, box: Box) -> Callable[..., np.ndarray] | str:
    """Dirichlet data on every side of a rectangle as one function of kernel coordinates.

    A side's value may depend on the coordinate along the side, not on time. The function is
    only meaningful on the boundary; corners take the value of the ``x`` sides (the 5-point
    stencil never reaches them).
    """
    pieces: list[tuple[int, float, Callable[..., np.ndarray]]] = []
    for (coord, end), side in box.sides.items():
        if side.condition.type != "dirichlet":
            return (
                f"'{side.segment}' has a {side.condition.type} condition; this kernel takes "
                "Dirichlet data on every side"
            )
        if side.condition.value is None:
            return f"the Dirichlet condition on '{side.segment}' has no value"
        try:
            fn = numpy_function(values, values.expression(side.condition.value), box.names)
        except Exception as exc:
            return f"boundary value '{side.condition.value}' cannot be read: {exc}"
        if isinstance(fn, str):
            return f"boundary value on '{side.segment}': {fn}"
        axis = box.names.index(coord)
        position = 0.0 if end == LOWER else box.lengths[axis]
        pieces.append((axis, position, box.shifted(fn)))
    # y sides first, so the x sides own the corners.
    pieces.sort(key=lambda piece: -piece[0])

    def call(*coords: np.ndarray) -> np.ndarray:
        shape = np.broadcast(*coords).shape
        full = [np.broadcast_to(c, shape) for c in coords]
        out = np.zeros(shape)
        for axis, position, fn in pieces:
            mask = np.isclose(full[axis], position, rtol=0.0, atol=1e-12 * box.lengths[axis])
            if np.any(mask):
                out[mask] = fn(*(c[mask] for c in full))
        return out

    return call
