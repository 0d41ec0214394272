"""The compiled problem: a spec's physics as typed, immutable objects, every number in SI.

A :class:`Problem` is what every solver, audit and diagnostic reads (built once per spec by
:func:`simlab.problem.compile_problem`). Expressions are sympy objects of the coordinate
symbols (and time) with parameter values kept separate (``Problem.parameters``), so a residual
can be evaluated at other parameter values (continuation, sensitivities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import sympy as sp

from simlab.judge.symbolic import Jet
from simlab.spec.expressions import safe_name
from simlab.spec.model import Reference

LOWER, UPPER = "lower", "upper"
BoundaryKind = Literal["dirichlet", "neumann", "robin", "periodic"]
FunctionalKind = Literal[
    "point",
    "max",
    "min",
    "mean",
    "integral",
    "eigenvalue",
    "l2_norm",
    "front_speed",
    "final",
    "peak_time",
    "time_max",
    "time_min",
    "unsupported",
]
TRAJECTORY_KINDS = ("final", "peak_time", "time_max", "time_min")
"""Functionals of a time-only problem's trajectory (``final(u)``, ``peak_time(u)``, and
``max(u)``/``min(u)`` over the time interval); the ODE integrators evaluate them."""


@dataclass(frozen=True)
class Face:
    """One face of the box: ``coordinate = lower`` or ``= upper`` (``name`` is the segment)."""

    name: str
    coordinate: str
    axis: int
    end: str
    position: float

    @property
    def normal_sign(self) -> int:
        """Sign of the outward normal along the face's axis."""
        return -1 if self.end == LOWER else 1


@dataclass(frozen=True)
class Geometry:
    """A box (interval, rectangle, cuboid) in SI: coordinate names, ranges, named faces."""

    names: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    faces: tuple[Face, ...]
    units: tuple[str | None, ...] = ()

    @property
    def dimension(self) -> int:
        return len(self.names)

    @property
    def lengths(self) -> tuple[float, ...]:
        return tuple(b - a for a, b in zip(self.lower, self.upper, strict=True))

    def face(self, coordinate: str, end: str) -> Face | None:
        return next((f for f in self.faces if f.coordinate == coordinate and f.end == end), None)

    def cells(self, resolution: int) -> tuple[int, ...]:
        """Cells per axis: ``resolution`` on the shortest side, whole multiples elsewhere."""
        if not self.names:
            return ()
        shortest = min(self.lengths)
        return tuple(int(resolution) * max(1, round(L / shortest)) for L in self.lengths)


@dataclass(frozen=True)
class TimeInterval:
    """The time coordinate: name, ``[start, end]`` in seconds, declared unit."""

    name: str
    start: float
    end: float
    unit: str | None = None

    @property
    def span(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Field:
    """An unknown: its declared unit, what it depends on, its order in time (0 stationary).

    ``offset`` is the SI value of the declared unit's zero (273.15 K for degC), so a display
    value is ``(si - offset) / scale``; ``scale`` is the SI size of one declared unit.
    """

    name: str
    unit: str | None
    depends_on: tuple[str, ...]
    time_order: int
    scale: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True)
class BoundaryCondition:
    """A condition on one face for one unknown, data in SI as sympy expressions of (x, t).

    ``dirichlet``: u = value; ``neumann``: du/dn = value (outward normal); ``robin``:
    du/dn + alpha u = value; ``periodic``: u matches on the opposite face.
    """

    unknown: str
    face: Face
    kind: BoundaryKind
    value: sp.Expr = sp.S.Zero
    alpha: sp.Expr | None = None


@dataclass(frozen=True)
class InitialData:
    """``d^k u/dt^k`` at the start time as a sympy expression of the coordinates (SI)."""

    unknown: str
    derivative: int
    value: sp.Expr


@dataclass(frozen=True)
class Equation:
    """One equation as the residual ``lhs - rhs`` (SI, parameters as symbols).

    ``jet_residual`` is the residual with each unknown and derivative replaced by the symbol
    of its :class:`Jet` (``u``, ``u_x``, ``u_xx``, ``u_t`` ...), so the coefficient of a jet is
    an ordinary derivative.
    """

    index: int
    text: str
    residual: sp.Expr
    jet_residual: sp.Expr
    jets: tuple[Jet, ...]


@dataclass(frozen=True)
class Functional:
    """An observable as an evaluable functional of the solution.

    ``point``: the unknown at ``at`` (SI coordinates) and ``time``; ``max``/``min``/``mean``/
    ``integral``/``l2_norm``: over the domain at ``time``; ``eigenvalue``: the ``index``-th
    smallest eigenvalue; ``front_speed``: mean speed of the rightmost crossing of ``level`` by a
    1-D field over ``window`` = ``(t0 + T/2, t_end)`` (as the Fisher-KPP kernel defines it);
    on a time-only problem (no space coordinates), ``final``/``peak_time``/``time_max``/
    ``time_min`` of the trajectory of ``unknown``.
    ``unsupported`` keeps the definition and the reason (reconstructions, typos ...).
    ``scale``/``offset`` convert SI to the display unit.
    """

    name: str
    kind: FunctionalKind
    definition: str
    unknown: str | None = None
    at: tuple[tuple[str, float], ...] = ()
    time: float | None = None
    index: int = 0
    unit: str | None = None
    scale: float = 1.0
    offset: float = 0.0
    reason: str = ""
    level: float | None = None
    window: tuple[float, float] | None = None
    head: str = ""
    """The function the definition calls (``u``, ``max``, ``psnr`` ...); empty if unreadable."""

    def point(self, names: tuple[str, ...]) -> tuple[float, ...]:
        """The point's coordinates in the order ``names``."""
        where = dict(self.at)
        return tuple(where[n] for n in names)

    def display(self, value_si: float) -> float:
        return (value_si - self.offset) / self.scale


@dataclass(frozen=True)
class Constraint:
    """A bound the solution must keep: ``unknown >= lower`` (as written, e.g. ``u >= 0``)."""

    unknown: str
    lower: float
    text: str


@dataclass(frozen=True)
class Tolerance:
    """The spec's ε: metric, default threshold, per-observable thresholds, references."""

    metric: str
    threshold: float | None
    thresholds: tuple[tuple[str, float], ...] = ()
    references: tuple[tuple[str, Reference], ...] = ()
    """Per observable (``*`` for all)."""

    def reference_for(self, name: str) -> Reference | None:
        refs = dict(self.references)
        return refs.get(name, refs.get("*"))

    def for_observable(self, name: str) -> float | None:
        return dict(self.thresholds).get(name, self.threshold)

    def allowed_error(self, name: str, value: float) -> float | None:
        """The absolute error allowed for ``value`` (``None`` for quality metrics)."""
        eps = self.for_observable(name)
        if eps is None:
            return None
        if self.metric.startswith("relative"):
            return eps * abs(value)
        if self.metric.startswith("absolute"):
            return eps
        return None


@dataclass(frozen=True)
class Problem:
    """A spec compiled once: geometry, time, unknowns, equations, conditions, observables.

    ``symbols`` maps every coordinate, time and parameter name to its sympy symbol;
    ``parameters`` holds the numeric parameter values in SI. ``reasons`` lists what the
    compile could not express (free-text equations, non-box geometry ...): a problem with
    reasons is still returned so that callers can report them.
    """

    title: str
    geometry: Geometry | None
    time: TimeInterval | None
    fields: tuple[Field, ...]
    parameters: dict[str, float]
    equations: tuple[Equation, ...]
    boundary: tuple[BoundaryCondition, ...]
    initial: tuple[InitialData, ...]
    functionals: tuple[Functional, ...]
    tolerance: Tolerance
    symbols: dict[str, sp.Symbol]
    eigenvalue: str | None = None
    eigen_count: int = 0
    """How many eigenvalues the spec asks for (its ``eigenvalue: {count: ..}``)."""
    initial_guess: tuple[tuple[str, sp.Expr], ...] = ()
    plan: dict[str, Any] = field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    unread_equations: tuple[str, ...] = ()
    """Why an equation is not in ``equations`` (also listed in ``reasons``)."""
    reasons: tuple[str, ...] = ()
    spec: Any = field(default=None, compare=False, repr=False)
    symbolic: Any = field(default=None, compare=False, repr=False)
    """The Judge's parse the Problem was compiled from (``judge.symbolic.SymbolicSpec``): the
    Judge reads it from here, so a spec is parsed once for judging, solving and certifying."""
    segments: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Every boundary segment located on a face (``judge.geometry.Located``), boxes or not."""

    # ---------------------------------------------------------------- lookups
    @property
    def dimension(self) -> int:
        return self.geometry.dimension if self.geometry else 0

    @property
    def is_time_dependent(self) -> bool:
        return any(f.time_order > 0 for f in self.fields)

    @property
    def unknown_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field_of(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def conditions_on(self, unknown: str) -> dict[tuple[str, str], BoundaryCondition]:
        """The condition for ``unknown`` on each face, keyed by ``(coordinate, end)``."""
        return {(c.face.coordinate, c.face.end): c for c in self.boundary if c.unknown == unknown}

    def initial_of(self, unknown: str, derivative: int = 0) -> InitialData | None:
        return next(
            (i for i in self.initial if i.unknown == unknown and i.derivative == derivative), None
        )

    def functional(self, name: str) -> Functional | None:
        return next((f for f in self.functionals if f.name == name), None)

    @property
    def space_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(self.symbols[n] for n in self.geometry.names) if self.geometry else ()

    @property
    def time_symbol(self) -> sp.Symbol | None:
        return self.symbols[self.time.name] if self.time else None

    def symbol(self, name: str) -> sp.Symbol:
        """The sympy symbol of a coordinate, time or parameter as the spec writes its name."""
        return self.symbols[safe_name(name)]

    def parameter_symbols(self) -> dict[str, sp.Symbol]:
        return {k: self.symbols[k] for k in self.parameters if k in self.symbols}

    def substitute(self, expr: sp.Expr, parameters: dict[str, float] | None = None) -> sp.Expr:
        """``expr`` with parameter values (SI; ``parameters`` overrides some of them)."""
        values = {**self.parameters, **(parameters or {})}
        return sp.sympify(expr).xreplace(
            {self.symbols[k]: sp.Float(v) for k, v in values.items() if k in self.symbols}
        )

    def function(
        self, expr: sp.Expr, parameters: dict[str, float] | None = None
    ) -> Callable[..., np.ndarray]:
        """A numpy callable ``f(*coords, t)`` of ``expr`` (time argument present if any)."""
        args = [*self.space_symbols, *((self.time_symbol,) if self.time else ())]
        sub = self.substitute(expr, parameters)
        free = sub.free_symbols - set(args)
        if free:
            raise ValueError(f"'{expr}' depends on {sorted(map(str, free))}, which have no value")
        raw = sp.lambdify(args, sub, modules="numpy")

        def call(*values: np.ndarray) -> np.ndarray:
            shape = np.broadcast(*values).shape if values else ()
            return np.broadcast_to(np.asarray(raw(*values), dtype=float), shape).copy()

        return call
