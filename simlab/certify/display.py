"""Declared units at the edge: SI numbers shown in the unit the spec wrote.

For a multiplicative unit, ``display = si / scale``. An offset scale (degC, degF) has a zero
point of its own: ``display = (si - offset) / scale``, where ``scale`` is the SI size of one
degree (a difference: 1 for degC, 5/9 for degF) and ``offset`` the SI value of the unit's
zero (273.15 K for degC, 255.37 K for degF), as :class:`simlab.problem` keeps them.
Differences (error bounds, gaps) use ``scale`` alone. Logarithmic units (dB) are shown as
computed.
"""

from __future__ import annotations

import math

import numpy as np

from simlab.spec.units import parse_unit, ureg


def display_units(unit: str | None) -> tuple[float, float]:
    """``(scale, offset)`` of ``unit`` against its SI base unit."""
    if unit is None:
        return 1.0, 0.0
    parsed = parse_unit(unit)
    quantity = 1 * parsed
    if quantity._is_multiplicative:
        return float(quantity.to_base_units().magnitude), 0.0
    try:
        with np.errstate(all="ignore"):
            base = ureg.Quantity(1.0, parsed).to_base_units().units
            zero = float(ureg.Quantity(0.0, base).to(parsed).magnitude)
            hundred = float(ureg.Quantity(100.0, base).to(parsed).magnitude)
    except Exception:  # logarithmic units (dB): the solver reports them as displayed
        return 1.0, 0.0
    if not (math.isfinite(zero) and math.isfinite(hundred) and hundred != zero):
        return 1.0, 0.0
    scale = 100.0 / (hundred - zero)
    return scale, -zero * scale


def to_si(value: float, unit: str | None) -> float:
    """A number written in ``unit`` as SI (offsets included)."""
    scale, offset = display_units(unit)
    return value * scale + offset
