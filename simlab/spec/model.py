"""The typed six-tuple S = (Ω, E, B, I, O, ε) and its extensions.

These objects are the authority; ``spec.md`` is a view produced by :mod:`simlab.spec.render`
and read back by :mod:`simlab.spec.parse`. Every section keeps the keys the dialect does not
know in ``extra`` so nothing a person wrote is lost, and free-text specs stay readable.

Line numbers and the source file are bookkeeping (``compare=False``): two specs are equal
when they say the same thing, wherever it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BCType = Literal["dirichlet", "neumann", "robin", "periodic", "constraint"]
BC_TYPES: tuple[str, ...] = ("dirichlet", "neumann", "robin", "periodic", "constraint")
REFERENCE_KINDS: tuple[str, ...] = ("analytic", "extrapolation", "data")


@dataclass(frozen=True)
class Quantity:
    """A number with a unit as written (``unit`` is a pint expression; ``None`` = not stated)."""

    value: float
    unit: str | None = None

    def __str__(self) -> str:
        number = _format_number(self.value)
        return number if self.unit is None else f"{number} {self.unit}"


@dataclass(frozen=True)
class Coordinate:
    """An independent variable with its range: a space coordinate or time."""

    name: str
    lower: float
    upper: float
    unit: str | None = None

    @property
    def length(self) -> float:
        return self.upper - self.lower


@dataclass(frozen=True)
class BoundarySegment:
    """A named piece of ∂Ω, located by an equation such as ``x = 0``."""

    name: str
    where: str


@dataclass(frozen=True)
class Domain:
    """Ω: geometry, coordinates with units, time interval, named boundary segments."""

    geometry: str | None = None
    coordinates: tuple[Coordinate, ...] = ()
    time: Coordinate | None = None
    boundaries: tuple[BoundarySegment, ...] = ()
    grid: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dimension(self) -> int:
        return len(self.coordinates)

    def coordinate(self, name: str) -> Coordinate | None:
        for c in (*self.coordinates, *((self.time,) if self.time else ())):
            if c.name == name:
                return c
        return None

    def boundary(self, name: str) -> BoundarySegment | None:
        return next((b for b in self.boundaries if b.name == name), None)


@dataclass(frozen=True)
class Unknown:
    """A dependent variable, its unit and the independent variables it depends on."""

    name: str
    unit: str | None = None
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parameter:
    """A named constant: a quantity (value and unit) or a setting (text, list)."""

    name: str
    value: float | str | tuple[Any, ...]
    unit: str | None = None

    @property
    def is_numeric(self) -> bool:
        return isinstance(self.value, float)


@dataclass(frozen=True)
class Equation:
    """One equation ``lhs = rhs`` (or a relation such as ``f >= 0``) in sympy notation."""

    text: str
    name: str | None = None


@dataclass(frozen=True)
class Eigenvalue:
    """The eigenvalue symbol of an eigenproblem, with its unit and how many are wanted."""

    symbol: str
    unit: str | None = None
    count: int = 1


@dataclass(frozen=True)
class Equations:
    """E: unknowns, parameters, equations and named definitions (sources, coefficients)."""

    unknowns: tuple[Unknown, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    equations: tuple[Equation, ...] = ()
    definitions: dict[str, str] = field(default_factory=dict)
    eigenvalue: Eigenvalue | None = None
    nondimensional: bool = False
    free_text: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def unknown(self, name: str) -> Unknown | None:
        return next((u for u in self.unknowns if u.name == name), None)


@dataclass(frozen=True)
class BoundaryCondition:
    """A condition on one named boundary segment for one unknown.

    ``dirichlet``: u = value; ``neumann``: ∂u/∂n = value (outward normal); ``robin``:
    ∂u/∂n + alpha·u = value; ``periodic``: u matches on ``partner``; ``constraint``: an
    inequality or side condition such as ``f >= 0`` (inverse problems).
    """

    boundary: str
    type: str
    value: str | None = None
    unknown: str | None = None
    alpha: str | None = None
    partner: str | None = None


@dataclass(frozen=True)
class BoundaryConditions:
    """B: conditions per segment; ``none`` means the problem has no spatial boundary."""

    conditions: tuple[BoundaryCondition, ...] = ()
    none: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def on(self, boundary: str) -> tuple[BoundaryCondition, ...]:
        return tuple(c for c in self.conditions if c.boundary == boundary)


@dataclass(frozen=True)
class InitialCondition:
    """Initial data for one unknown (``derivative`` = 1 for ∂u/∂t at t0)."""

    unknown: str
    value: str
    derivative: int = 0


@dataclass(frozen=True)
class InitialConditions:
    """I: initial data, or ``stationary`` with an optional initial iterate."""

    conditions: tuple[InitialCondition, ...] = ()
    stationary: bool = False
    initial_guess: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def of(self, unknown: str, derivative: int = 0) -> InitialCondition | None:
        for c in self.conditions:
            if c.unknown == unknown and c.derivative == derivative:
                return c
        return None


@dataclass(frozen=True)
class Observable:
    """O: a named output with its unit and definition (e.g. ``u(x=0.5, t=0.1)``)."""

    name: str
    definition: str | None = None
    unit: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Reference:
    """Where the truth for an observable comes from."""

    kind: str
    value: str | None = None


@dataclass(frozen=True)
class Tolerance:
    """ε: the metric, the threshold, and the reference for each observable.

    ``minimum``/``maximum`` are acceptance bounds on observables themselves (e.g. PSNR of a
    reconstruction at least 25 dB), as the paper's ``PSNR_minimum`` keys say.
    """

    metric: str | None = None
    threshold: float | None = None
    references: dict[str, Reference] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    #: units written with thresholds (``threshold: 1.0e-3 Pa``): ``"*"`` for ``threshold``
    threshold_units: dict[str, str] = field(default_factory=dict)

    def threshold_for(self, observable: str) -> float | None:
        return self.thresholds.get(observable, self.threshold)

    def reference_for(self, observable: str) -> Reference | None:
        return self.references.get(observable, self.references.get("*"))


@dataclass(frozen=True)
class Discretization:
    """The planned method: what will run (the Judge checks its stability and cost)."""

    method: str | None = None
    scheme: str | None = None
    integrator: str | None = None
    dt: Quantity | None = None
    resolution: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Extension:
    """Any other ``## Name`` section, kept as data (e.g. Primitives Required)."""

    name: str
    data: Any


@dataclass(frozen=True)
class Spec:
    """A whole spec.md: the six-tuple plus the planned discretization and extensions."""

    title: str
    domain: Domain
    equations: Equations
    boundary: BoundaryConditions
    initial: InitialConditions
    observables: tuple[Observable, ...]
    tolerance: Tolerance
    discretization: Discretization | None = None
    extensions: tuple[Extension, ...] = ()
    description: str = ""
    source: str | None = field(default=None, compare=False)
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_time_dependent(self) -> bool:
        return self.domain.time is not None

    def observable(self, name: str) -> Observable | None:
        return next((o for o in self.observables if o.name == name), None)

    def extension(self, name: str) -> Extension | None:
        key = name.strip().lower()
        return next((e for e in self.extensions if e.name.strip().lower() == key), None)

    def line_of(self, *path: str) -> int | None:
        """The 1-based line where ``path`` (section key, then nested keys) was written."""
        for n in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:n]))
            if line is not None:
                return line
        return None


def _format_number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
