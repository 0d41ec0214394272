"""A typed ODE of order m in time written as the first-order system the pipeline integrates.

The Judge's stiffness probe, its cost estimate and the built-in ODE solvers read a spec's
ODEs as ``diff(u, t) = f(t, u)``, one first-order equation per unknown; a spec holding
``diff(y, t, 2) + y = 0`` as typed is neither probed (gates S3/S4 UNVERIFIABLE) nor run (no
built-in solver fits). So the drafter writes the standard reduction: the states ``y``,
``dydt``, ``d2ydt2``..., the equations ``diff(y, t) = dydt``..., the typed equation with its
highest derivative as the derivative of the last state, and the initial derivatives as the
states' initial values. The unknowns' units follow: ``dydt`` is in ``unit(y)/unit(t)``.
Nothing is computed or chosen here; the typed equation is kept in the spec's description.
"""

from __future__ import annotations

import re
from dataclasses import replace

from simlab.spec.model import Equation, InitialCondition, Spec, Unknown


def state_name(unknown: str, order: int) -> str:
    """``y`` (order 0), ``dydt`` (1), ``d2ydt2`` (2)..."""
    if order == 0:
        return unknown
    return f"d{unknown}dt" if order == 1 else f"d{order}{unknown}dt{order}"


def _derivative(unknown: str, time: str, order: int | None) -> re.Pattern[str]:
    tail = r"\s*\)" if order is None else rf"\s*,\s*{order}\s*\)"
    return re.compile(rf"\bdiff\(\s*{re.escape(unknown)}\s*,\s*{re.escape(time)}{tail}")


def first_order(spec: Spec, unknown: str, order: int) -> Spec:
    """``spec`` with the ODE of ``unknown`` (order ``order`` > 1 in time) reduced to first order."""
    time = spec.domain.time.name if spec.domain.time is not None else "t"
    states = [state_name(unknown, k) for k in range(order)]
    taken = {u.name for u in spec.equations.unknowns} | {p.name for p in spec.equations.parameters}
    base = next(u for u in spec.equations.unknowns if u.name == unknown)
    time_unit = spec.domain.time.unit if spec.domain.time is not None else None
    if taken & set(states[1:]) or (base.unit is not None and time_unit is None):
        return spec  # a name in use, or no unit for the rates: keep the typed form
    rewrite = {}
    for k in range(order, 0, -1):  # highest first: diff(y, t, 2) before diff(y, t)
        pattern = _derivative(unknown, time, k if k > 1 else None)
        rewrite[pattern] = f"diff({states[-1]}, {time})" if k == order else states[k]
    equations = []
    for eq in spec.equations.equations:
        text = eq.text
        for pattern, new in rewrite.items():
            text = pattern.sub(new, text)
        equations.append(replace(eq, text=text))
    chain = [Equation(f"diff({states[k]}, {time}) = {states[k + 1]}") for k in range(order - 1)]
    unknowns = [u for u in spec.equations.unknowns if u.name != unknown]
    unknowns[:0] = [
        Unknown(name, _rate_unit(base.unit, time_unit, k), base.depends_on)
        for k, name in enumerate(states)
    ]
    initial = tuple(
        InitialCondition(states[ic.derivative], ic.value, 0)
        if ic.unknown == unknown and ic.derivative < order
        else ic
        for ic in spec.initial.conditions
    )
    meaning = ", ".join(f"{s} = diff({unknown}, {time}, {k})" for k, s in enumerate(states) if k)
    return replace(
        spec,
        description=spec.description
        + f"\nWritten as a first-order system for the ODE solvers: states {', '.join(states)}"
        + f" ({meaning}).",
        equations=replace(
            spec.equations,
            unknowns=tuple(unknowns),
            equations=tuple(equations + chain),
        ),
        initial=replace(spec.initial, conditions=initial),
    )


def _rate_unit(unit: str | None, time_unit: str, order: int) -> str | None:
    if order == 0 or unit is None:
        return unit
    rate = time_unit if order == 1 else f"{time_unit}^{order}"
    return f"1/{rate}" if unit == "1" else f"({unit})/{rate}"
