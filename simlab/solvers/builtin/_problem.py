"""What the adapters read from the compiled Problem besides the equation: box, sides, plan.

Everything is in SI base units (the Problem's). Each reader returns its result or a ``str``
saying why the problem does not fit the kernels (the adapters turn it into ``Fit.no``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.problem import BoundaryCondition, Problem
from simlab.problem.lambdas import numpy_lambda
from simlab.solvers.builtin._structure import as_number

LOWER, UPPER = "lower", "upper"


@dataclass(frozen=True)
class Side:
    """One end of one coordinate's range and the condition imposed there."""

    coordinate: str
    end: str
    segment: str
    condition: BoundaryCondition

    @property
    def kind(self) -> str:
        return self.condition.kind


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
        return {s.kind for s in self.sides.values()}

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


def read_box(problem: Problem, unknown: str) -> Box | str:
    """The rectangular domain and the condition for ``unknown`` on each of its sides."""
    geometry = problem.geometry
    if geometry is None:
        why = [r for r in problem.reasons if r.startswith("geometry ")]
        return why[0] if why else "the domain has no space coordinates"
    unlocated = [r for r in problem.reasons if r.startswith("boundary '")]
    if unlocated:
        return unlocated[0]
    sides: dict[tuple[str, str], Side] = {}
    for face in geometry.faces:
        located = (face.coordinate, face.end)
        if located in sides:
            return (
                f"boundaries '{sides[located].segment}' and '{face.name}' share the side "
                f"{located[0]} = {located[1]}; the kernels take one condition per side"
            )
        conditions = [c for c in problem.boundary if c.face == face and c.unknown == unknown]
        if len(conditions) != 1:
            return f"boundary '{face.name}' has {len(conditions)} conditions for {unknown}"
        sides[located] = Side(face.coordinate, face.end, face.name, conditions[0])
    names = geometry.names
    missing = [f"{x} {end}" for x in names for end in (LOWER, UPPER) if (x, end) not in sides]
    if missing:
        return f"no boundary condition on the side(s) {', '.join(missing)}"
    return Box(names=names, lower=geometry.lower, upper=geometry.upper, sides=sides)


def side_value(problem: Problem, side: Side, box: Box) -> float | str:
    """A boundary value that is one constant on its side (evaluated there, SI)."""
    expr = problem.substitute(side.condition.value)
    position = box.lower if side.end == LOWER else box.upper
    at = {problem.symbol(side.coordinate): position[box.names.index(side.coordinate)]}
    number = as_number(expr.subs(at))
    if number is None:
        return (
            f"boundary value '{side.condition.value}' on '{side.segment}' is not a constant "
            f"(it depends on {sorted(map(str, expr.subs(at).free_symbols))})"
        )
    return number


def time_span(problem: Problem) -> tuple[float, float] | str:
    """``(t0, t_end)`` in seconds, or why there is none."""
    if problem.time is None:
        return "the problem has no time interval"
    span = (problem.time.start, problem.time.end)
    if not span[1] > span[0]:
        return f"the time interval [{span[0]}, {span[1]}] is empty"
    return span


def initial_function(
    problem: Problem, unknown: str, box: Box, derivative: int = 0
) -> Callable[..., np.ndarray] | str:
    """The initial data (or its time derivative) as a function of kernel coordinates."""
    ic = problem.initial_of(unknown, derivative)
    what = "initial value" if derivative == 0 else f"initial {derivative}. time derivative"
    if ic is None:
        return f"no {what} of {unknown}"
    try:
        fn = numpy_function(problem, ic.value, box.names)
    except Exception as exc:
        return f"the {what} '{ic.value}' cannot be evaluated: {exc}"
    return fn if isinstance(fn, str) else box.shifted(fn)


def numpy_function(
    problem: Problem, expr: sp.Expr, names: tuple[str, ...]
) -> Callable[..., np.ndarray] | str:
    """A vectorised numpy callable of the coordinates ``names`` (SI) for ``expr``."""
    expr = problem.substitute(expr)
    symbols = [problem.symbol(n) for n in names]
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


def read_plan(problem: Problem) -> Plan | str:
    """The planned method, normalised (``None`` fields when the spec leaves them open)."""
    planned = problem.plan
    cfl = planned.get("cfl")
    if cfl is not None:
        try:
            cfl = float(cfl)
        except (TypeError, ValueError):
            return f"cfl '{cfl}' is not a number"
        if not (math.isfinite(cfl) and cfl > 0):
            return f"cfl must be a positive number, got {cfl}"
    dt = planned.get("dt")
    if dt is not None and not dt > 0:
        return f"dt must be positive, got {dt} s"
    return Plan(
        _normalise(planned.get("method")),
        _normalise(planned.get("scheme")),
        cfl,
        dt,
        planned.get("resolution"),
    )


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


def dirichlet_function(problem: Problem, box: Box) -> Callable[..., np.ndarray] | str:
    """Dirichlet data on every side of a rectangle as one function of kernel coordinates.

    A side's value may depend on the coordinate along the side, not on time. The function is
    only meaningful on the boundary; corners take the value of the ``x`` sides (the 5-point
    stencil never reaches them).
    """
    pieces: list[tuple[int, float, Callable[..., np.ndarray]]] = []
    for (coord, end), side in box.sides.items():
        if side.kind != "dirichlet":
            return (
                f"'{side.segment}' has a {side.kind} condition; this kernel takes "
                "Dirichlet data on every side"
            )
        fn = numpy_function(problem, side.condition.value, box.names)
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
