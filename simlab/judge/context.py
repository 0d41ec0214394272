"""One judge call's shared state: the spec, its symbolic form, the plan, cached analyses.

Gates read from a :class:`JudgeContext` instead of re-parsing the spec, so the symbolic work
(parsing, jets, principal parts, the ODE probe) is done once per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from simlab.judge.budget import Budget, default_budget
from simlab.judge.geometry import Located
from simlab.judge.methods import SpaceScheme, TimeMethod, space_scheme, time_method
from simlab.judge.numeric import unit_factor
from simlab.judge.principal import PrincipalPart, governing_parts
from simlab.judge.report import PlannedMethod
from simlab.judge.sampling import StateSampler
from simlab.judge.symbolic import SymbolicSpec
from simlab.judge.tolerance import relative_tolerance
from simlab.spec.dialect import to_number
from simlab.spec.model import Spec
from simlab.spec.units import split_quantity, to_base

if TYPE_CHECKING:
    from simlab.judge.classify import Analysis
    from simlab.judge.stiffness import OdeProbe
    from simlab.problem.model import Problem


@dataclass(frozen=True)
class Plan:
    """The planned discretization, read from ``## Discretization`` (SI numbers)."""

    scheme_name: str | None
    integrator_name: str | None
    scheme: SpaceScheme | None
    integrator: TimeMethod | None
    dt: float | None
    cfl: float | None
    cells: dict[str, int]
    spacing: dict[str, float]

    @property
    def explicit(self) -> bool | None:
        if self.scheme is not None and self.scheme.advection in ("lax_wendroff", "lax_friedrichs"):
            return True
        if self.scheme is not None and self.scheme.two_level_second_order:
            return True
        return None if self.integrator is None else self.integrator.explicit

    @property
    def space_order(self) -> float | None:
        return None if self.scheme is None else self.scheme.order

    @property
    def time_order(self) -> float | None:
        if self.scheme is not None and self.scheme.advection in ("lax_wendroff",):
            return 2.0
        if self.scheme is not None and self.scheme.two_level_second_order:
            return 2.0
        if self.scheme is not None and self.scheme.advection == "lax_friedrichs":
            return 1.0
        return None if self.integrator is None else self.integrator.order


class JudgeContext:
    """The compiled Problem plus everything computed from it that more than one gate needs.

    The symbolic parse and the located boundary segments are the Problem's
    (:func:`simlab.problem.compile_problem`, cached per spec object): the Judge, the solvers
    and certify share one parse of the spec.
    """

    def __init__(self, spec: Spec, budget: Budget | None = None, problem: Problem | None = None):
        self.spec = spec
        self.budget = budget or default_budget()
        if problem is not None:
            self.__dict__["problem"] = problem

    @cached_property
    def problem(self) -> Problem:
        from simlab.problem import compile_problem  # the Problem is compiled from judge parts

        return compile_problem(self.spec)

    @cached_property
    def sym(self) -> SymbolicSpec:
        return self.problem.symbolic

    @cached_property
    def sampler(self) -> StateSampler:
        return StateSampler(self.sym)

    @cached_property
    def segments(self) -> dict[str, Located]:
        return self.problem.segments

    @cached_property
    def parts(self) -> list[PrincipalPart]:
        if not self.sym.parsed or not self.sym.has_space_derivatives:
            return []  # principal parts describe differential operators in space
        return governing_parts(self.sym, self.sampler)

    @cached_property
    def analysis(self) -> Analysis:
        from simlab.judge.classify import analyse

        return analyse(self)

    @cached_property
    def ode(self) -> OdeProbe | None:
        from simlab.judge.stiffness import probe

        return probe(self)

    @cached_property
    def plan(self) -> Plan:
        return read_plan(self.spec)

    @cached_property
    def cache(self) -> dict[str, Any]:
        return {}

    @cached_property
    def tolerance(self) -> tuple[float, str] | None:
        """The tolerance as a relative error and how it was read (``None``: not stated)."""
        return relative_tolerance(self.spec)

    def planned_method(self) -> PlannedMethod:
        p = self.plan
        notes = []
        if p.cfl is not None:
            notes.append(f"cfl = {p.cfl:g}")
        if p.cells:
            notes.append("cells: " + ", ".join(f"{k}={v}" for k, v in p.cells.items()))
        order = p.space_order if p.space_order is not None else p.time_order
        return PlannedMethod(
            scheme=p.scheme_name,
            integrator=p.integrator.name if p.integrator else p.integrator_name,
            explicit=p.explicit,
            order=order,
            dt=p.dt,
            notes=tuple(notes),
        )


def read_plan(spec: Spec) -> Plan:
    disc = spec.discretization
    scheme_name = disc.scheme if disc else None
    scheme = space_scheme(scheme_name) or space_scheme(disc.method if disc else None)
    integrator_name = disc.integrator if disc else None
    integrator = time_method(integrator_name)
    if integrator is None and scheme is not None and scheme.integrator not in (None, "leapfrog"):
        integrator = time_method(scheme.integrator)
    if integrator is None and scheme_name:
        integrator = time_method(scheme_name)
    dt = None
    if disc is not None and disc.dt is not None:
        t = spec.domain.time
        unit = disc.dt.unit or (t.unit if t is not None else None)
        try:
            dt = to_base(disc.dt.value, unit)
        except Exception:
            dt = disc.dt.value
    cfl = None
    if disc is not None:
        for key in ("cfl", "courant", "courant_number"):
            if key in disc.extra:
                cfl = _finest(disc.extra[key], smallest=True)
    cells, spacing = _resolution(spec)
    return Plan(scheme_name, integrator_name, scheme, integrator, dt, cfl, cells, spacing)


def _resolution(spec: Spec) -> tuple[dict[str, int], dict[str, float]]:
    """Cells per coordinate and spacings (SI) from ``resolution`` and the domain ``grid``."""
    data: dict[str, Any] = dict(spec.domain.grid)
    if spec.discretization is not None:
        data.update(spec.discretization.resolution)
    cells: dict[str, int] = {}
    spacing: dict[str, float] = {}
    coords = {c.name: c for c in spec.domain.coordinates}
    for key, raw in data.items():
        k = key.strip().lower()
        for name, c in coords.items():
            lname = name.lower()
            if k in (f"n{lname}", f"n_{lname}", lname, f"cells_{lname}", f"points_{lname}"):
                value = _finest(raw)
                if value is not None:
                    cells[name] = max(1, round(value))
            elif k in (f"d{lname}", f"h_{lname}", f"h{lname}"):
                h = _length(raw, c.unit)
                if h is not None:
                    spacing[name] = h
        if k in ("n", "cells", "points", "nodes", "n_cells", "n_points"):
            value = _finest(raw)
            if value is not None:
                for name in coords:
                    cells.setdefault(name, max(1, round(value)))
        elif k in ("h", "dx_all", "spacing"):
            for name, c in coords.items():
                h = _length(raw, c.unit)
                if h is not None:
                    spacing.setdefault(name, h)
    for name, c in coords.items():
        if name in spacing and name not in cells:
            lo, hi = to_base(c.lower, c.unit), to_base(c.upper, c.unit)
            cells[name] = max(1, math.ceil((hi - lo) / spacing[name]))
        elif name in cells and name not in spacing:
            length = (c.upper - c.lower) * unit_factor(c.unit)
            spacing[name] = length / cells[name]
    return cells, spacing


def _finest(raw: Any, smallest: bool = False) -> float | None:
    """A number, or the finest entry of a list (largest count / smallest value)."""
    if isinstance(raw, list):
        values = [v for v in (_finest(x, smallest) for x in raw) if v is not None]
        if not values:
            return None
        return min(values) if smallest else max(values)
    value = to_number(raw)
    return value if value is not None and value > 0 else None


def _length(raw: Any, unit: str | None) -> float | None:
    if isinstance(raw, list):
        values = [v for v in (_length(x, unit) for x in raw) if v is not None]
        return min(values) if values else None
    number = to_number(raw)
    if number is not None:
        return number * unit_factor(unit) if number > 0 else None
    split = split_quantity(str(raw))
    if split is None:
        return None
    try:
        value = to_base(split[0], split[1] or unit)
    except Exception:
        return None
    return value if value > 0 else None
