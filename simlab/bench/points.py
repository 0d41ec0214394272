"""Parameter points: a dev spec edited (parameters, data, observables, references, domain).

The spec's own point is the empty edit. Other points change what a person would change to
ask a neighbouring question: a parameter value (sometimes written in another unit), the
initial data, an observable's location, the time span or the box. A reference that only
holds at the spec's own point (a number, a data set) is replaced by one valid at the new
point, or by ``extrapolation`` when no closed form exists (the bench then computes a trusted
reference with a built-in solver, see :mod:`simlab.bench.reference`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from simlab.errors import SimlabError
from simlab.spec.model import (
    BoundarySegment,
    Coordinate,
    InitialCondition,
    Parameter,
    Reference,
    Spec,
)
from simlab.spec.units import split_quantity


class PointError(SimlabError, ValueError):
    """A parameter point names something its spec does not have."""


@dataclass(frozen=True)
class Point:
    """One edit of a spec. Every mapping is optional; the empty point is the spec itself.

    Attributes:
        label: short name for tables (``spec`` for the unedited spec).
        parameters: ``name -> "value unit"`` (or a number, keeping the unit as written);
            a new name adds a parameter.
        definitions: ``name -> expression`` (added or replaced).
        initial: ``unknown -> expression`` for the initial value (derivative 0).
        observables: ``name -> definition``.
        references: ``name -> (kind, value)``; kind ``analytic``, ``data`` or
            ``extrapolation`` (value None).
        time: new ``(t0, t1)`` in the time coordinate's unit.
        coordinates: ``name -> (lower, upper)`` in the coordinate's unit.
        boundaries: ``segment -> where`` (e.g. ``"x = 0.03"``).
    """

    label: str
    parameters: dict[str, Any] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    initial: dict[str, str] = field(default_factory=dict)
    observables: dict[str, str] = field(default_factory=dict)
    references: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    time: tuple[float, float] | None = None
    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    boundaries: dict[str, str] = field(default_factory=dict)

    def apply(self, spec: Spec) -> Spec:
        """The edited spec (a new object; ``spec`` is not changed)."""
        spec = _parameters(spec, self.parameters)
        if self.definitions:
            eq = spec.equations
            spec = replace(
                spec, equations=replace(eq, definitions={**eq.definitions, **self.definitions})
            )
        spec = _initial(spec, self.initial)
        spec = _observables(spec, self.observables)
        spec = _references(spec, self.references)
        return _domain(spec, self.time, self.coordinates, self.boundaries)


def _parameters(spec: Spec, edits: dict[str, Any]) -> Spec:
    if not edits:
        return spec
    params = list(spec.equations.parameters)
    names = [p.name for p in params]
    for name, raw in edits.items():
        old = params[names.index(name)] if name in names else None
        if isinstance(raw, int | float):
            new = Parameter(name, float(raw), old.unit if old else None)
        else:
            split = split_quantity(str(raw))
            if split is None:
                raise PointError(f"parameter edit {name} = {raw!r} is not a number with a unit")
            new = Parameter(name, float(split[0]), split[1] or None)
        if old is None:
            params.append(new)
            names.append(name)
        else:
            params[names.index(name)] = new
    return replace(spec, equations=replace(spec.equations, parameters=tuple(params)))


def _initial(spec: Spec, edits: dict[str, str]) -> Spec:
    if not edits:
        return spec
    conds = list(spec.initial.conditions)
    for unknown, text in edits.items():
        index = next(
            (i for i, c in enumerate(conds) if c.unknown == unknown and c.derivative == 0), None
        )
        if index is None:
            raise PointError(f"the spec has no initial value of {unknown}")
        conds[index] = InitialCondition(unknown, text, 0)
    return replace(spec, initial=replace(spec.initial, conditions=tuple(conds)))


def _observables(spec: Spec, edits: dict[str, str]) -> Spec:
    if not edits:
        return spec
    obs = []
    for o in spec.observables:
        obs.append(replace(o, definition=edits[o.name]) if o.name in edits else o)
    unknown = set(edits) - {o.name for o in spec.observables}
    if unknown:
        raise PointError(f"the spec has no observable {sorted(unknown)}")
    return replace(spec, observables=tuple(obs))


def _references(spec: Spec, edits: dict[str, tuple[str, str | None]]) -> Spec:
    if not edits:
        return spec
    tol = spec.tolerance
    refs = dict(tol.references)
    shared = refs.pop("*", None)
    if shared is not None:  # one reference for all: spell it out per observable
        refs = {o.name: shared for o in spec.observables} | refs
    for name, (kind, value) in edits.items():
        refs[name] = Reference(kind, value)
    return replace(spec, tolerance=replace(tol, references=refs))


def _domain(
    spec: Spec,
    time: tuple[float, float] | None,
    coordinates: dict[str, tuple[float, float]],
    boundaries: dict[str, str],
) -> Spec:
    d = spec.domain
    if time is not None:
        if d.time is None:
            raise PointError("the spec has no time interval to edit")
        d = replace(d, time=replace(d.time, lower=float(time[0]), upper=float(time[1])))
    if coordinates:
        coords: list[Coordinate] = []
        for c in d.coordinates:
            lo, hi = coordinates.get(c.name, (c.lower, c.upper))
            coords.append(replace(c, lower=float(lo), upper=float(hi)))
        d = replace(d, coordinates=tuple(coords))
    if boundaries:
        segs = [BoundarySegment(b.name, boundaries.get(b.name, b.where)) for b in d.boundaries]
        d = replace(d, boundaries=tuple(segs))
    return replace(spec, domain=d)
