"""Temperatures and temperature differences: which one an expression is.

pint keeps ``degC`` (a point on a scale) apart from ``delta_degC`` (a difference); once a
spec's values are converted to SI both are kelvin numbers, and a difference written where a
temperature is prescribed silently becomes an absolute temperature near absolute zero
(``dT*sin(pi*x/L)`` with ``dT: 30 delta_degC`` as the initial value of a field in degC is
read as 30 K, i.e. -243 degC). This module tells the two kinds apart from the declared units,
so the dimensional gate can refuse a difference in a temperature's place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import sympy as sp

from simlab.spec.units import dimensionality

Kind = Literal["temperature", "difference", "plain"]


def unit_kind(unit: str | None) -> Kind:
    """``difference`` for ``delta_degC``-like units, ``temperature`` for other units of
    temperature (degC, degF, K), ``plain`` for everything else."""
    if unit is None:
        return "plain"
    try:
        dim = dimensionality(unit)
    except Exception:
        return "plain"
    if dim is None or dict(dim) != {"[temperature]": 1}:
        return "plain"
    return "difference" if "delta_" in unit.replace(" ", "") else "temperature"


def expression_kind(expr: sp.Expr, kinds: Mapping[sp.Symbol, Kind]) -> Kind:
    """What ``expr`` is: a sum with a temperature term is a temperature, a product with a
    temperature factor is one (kelvin is a ratio scale), otherwise a difference if any term
    or factor is one."""
    if isinstance(expr, sp.Symbol):
        return kinds.get(expr, "plain")
    if isinstance(expr, (sp.Add, sp.Mul)):
        found = {expression_kind(a, kinds) for a in expr.args}
        for kind in ("temperature", "difference"):
            if kind in found:
                return kind  # type: ignore[return-value]
        return "plain"
    if isinstance(expr, sp.Pow):
        return expression_kind(expr.base, kinds) if expr.exp == 1 else "plain"
    return "plain"  # numbers, and functions of (dimensionless) arguments


__all__ = ["Kind", "expression_kind", "unit_kind"]
