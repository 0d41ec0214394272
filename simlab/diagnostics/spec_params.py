"""A spec's numeric inputs: continuation candidates, what the solution depends on, edits.

:func:`candidate_parameters` ranks the numeric parameters by how they enter the equations:
first those multiplying a nonlinear term (Bratu's ``lam``, the elastica's load), then those
multiplying a term linear in the unknown (eigen-like), then the rest (sources).

Scale of a parameter: its own magnitude ``|value|``, in any units. Distances to special points
are then relative changes of the input (the probe's +- 5 % is one too), the same in every
system of units: Bratu on (0, 10) at lam = 0.01 is Bratu on (0, 1) at lam = 1, and both are
251 % below their fold. (Session 2 measured a dimensionless parameter against
``max(|value|, 1)``: not scale-free, it flagged that rescaled Bratu.) A parameter whose value
is 0 has no magnitude of its own: a dimensionless one steps in units of 1, a dimensional one
is not a candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sympy

from simlab.diagnostics.errors import DiagnosticsError
from simlab.judge.symbolic import build
from simlab.solvers.spec_values import SpecValues
from simlab.spec.expressions import safe_name
from simlab.spec.model import InitialCondition, Spec
from simlab.spec.units import to_base


@dataclass(frozen=True)
class ParameterInfo:
    """A numeric parameter as a continuation candidate.

    Attributes:
        name: as declared.
        value: as written (in ``unit``).
        unit: the declared unit.
        si: SI size of one ``unit``.
        scale: distance scale in ``unit`` (see the module docstring).
        rank: 0 multiplies a nonlinear term, 1 a term linear in the unknowns, 2 neither.
    """

    name: str
    value: float
    unit: str | None
    si: float
    scale: float
    rank: int

    @property
    def role(self) -> str:
        return ("multiplies a nonlinear term", "multiplies a linear term", "enters no unknown")[
            self.rank
        ]


def _dimensionless(spec: Spec, unit: str | None) -> bool:
    if unit is None:
        return spec.equations.nondimensional
    return unit.strip() in ("1", "dimensionless")


def _residuals(spec: Spec) -> tuple[list[sympy.Expr], list[sympy.Symbol]]:
    """The jet residuals of every readable scalar equation and all jet symbols."""
    symbolic = build(spec)
    exprs, jets = [], []
    for eq in symbolic.equations:
        if isinstance(eq.jet_residual, sympy.MatrixBase) or eq.wrapped:
            continue
        exprs.append(eq.jet_residual)
        jets.extend(j.symbol for j in eq.jets)
    return exprs, jets


def candidate_parameters(spec: Spec) -> list[ParameterInfo]:
    """Numeric parameters that appear in the equations, best continuation candidate first."""
    values = SpecValues(spec)
    exprs, jets = _residuals(spec)
    jet_set = set(jets)
    out = []
    for p in spec.equations.parameters:
        if not isinstance(p.value, float):
            continue
        symbol = values.namespace.symbols.get(safe_name(p.name))
        derivatives = [sympy.diff(e, symbol) for e in exprs if symbol in e.free_symbols]
        if not derivatives:
            continue
        nonlinear = any(sympy.diff(d, j).free_symbols & jet_set for d in derivatives for j in jets)
        linear = any(d.free_symbols & jet_set for d in derivatives)
        rank = 0 if nonlinear else 1 if linear else 2
        try:
            si = to_base(1.0, p.unit)
        except Exception:  # an offset unit: its value is not a scale
            continue
        scale = abs(p.value) or (1.0 if _dimensionless(spec, p.unit) else 0.0)
        if scale > 0.0:
            out.append(ParameterInfo(p.name, float(p.value), p.unit, si, scale, rank))
    return sorted(out, key=lambda q: q.rank)


def parameter_info(spec: Spec, name: str | None) -> ParameterInfo:
    """The named candidate (the best one when ``name`` is None), or a clear error."""
    candidates = candidate_parameters(spec)
    if not candidates:
        raise DiagnosticsError(
            "the equations contain no numeric parameter to continue in",
            hint="declare the parameter under Equations/parameters with a nonzero value",
        )
    if name is None:
        return candidates[0]
    for c in candidates:
        if c.name == name:
            return c
    raise DiagnosticsError(
        f"'{name}' is not a numeric parameter of the equations",
        hint=f"candidates: {', '.join(c.name for c in candidates)}",
    )


def influential_inputs(spec: Spec) -> tuple[list[str], list[str]]:
    """(parameters, unknowns with a numeric initial value) that the solution depends on.

    A parameter counts when it appears in an equation (definitions expanded), a boundary or
    initial value or the initial guess; one used only by a reference does not.
    """
    values = SpecValues(spec)
    ns = values.namespace
    texts = [c.value for c in spec.boundary.conditions if c.value]
    texts += [c.alpha for c in spec.boundary.conditions if c.alpha]
    texts += [c.value for c in spec.initial.conditions]
    texts += list(spec.initial.initial_guess.values())
    free: set[sympy.Symbol] = set()
    for relation in values.relations:
        free |= _free(relation.lhs) | _free(relation.rhs)
    for text in texts:
        try:
            free |= _free(ns.parse(text))
        except Exception:  # unreadable text is the Judge's business, not a diagnostic's
            continue
    params = [
        p.name
        for p in spec.equations.parameters
        if isinstance(p.value, float)
        and p.value != 0.0
        and ns.symbols.get(safe_name(p.name)) in free
    ]
    initial = []
    for c in spec.initial.conditions:
        if c.derivative == 0 and spec.domain.time is not None and not spec.domain.coordinates:
            try:
                if float(c.value) != 0.0:
                    initial.append(c.unknown)
            except ValueError:
                continue
    return params, initial


def _free(expr: Any) -> set[sympy.Symbol]:
    items = list(expr) if isinstance(expr, sympy.MatrixBase) else [expr]
    out: set[sympy.Symbol] = set()
    for item in items:
        out |= getattr(item, "free_symbols", set())
    return out


INITIAL_SUFFIX = "@t0"


def spec_with(spec: Spec, inputs: dict[str, float]) -> Spec:
    """``spec`` with new parameter values (by name, in their units) and initial values
    (``"<unknown>@t0"``, in the unknown's unit)."""
    params = tuple(
        replace(p, value=float(inputs[p.name])) if p.name in inputs else p
        for p in spec.equations.parameters
    )
    conditions = tuple(
        InitialCondition(c.unknown, repr(float(inputs[c.unknown + INITIAL_SUFFIX])), c.derivative)
        if c.derivative == 0 and c.unknown + INITIAL_SUFFIX in inputs
        else c
        for c in spec.initial.conditions
    )
    return replace(
        spec,
        equations=replace(spec.equations, parameters=params),
        initial=replace(spec.initial, conditions=conditions),
    )


def input_values(spec: Spec, parameters: Sequence[str], initial: Sequence[str]) -> dict[str, float]:
    """The current values of the named inputs, keyed as :func:`spec_with` reads them."""
    out = {p.name: float(p.value) for p in spec.equations.parameters if p.name in parameters}
    for c in spec.initial.conditions:
        if c.derivative == 0 and c.unknown in initial:
            out[c.unknown + INITIAL_SUFFIX] = float(c.value)
    return out
