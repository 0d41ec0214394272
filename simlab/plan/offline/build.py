"""Small constructors shared by the family templates."""

from __future__ import annotations

from simlab.plan.offline.conditions import Condition, Interval
from simlab.plan.offline.reading import Reading
from simlab.spec.model import (
    BoundaryCondition,
    BoundaryConditions,
    BoundarySegment,
    Coordinate,
    Parameter,
    Quantity,
)
from simlab.spec.units import to_base


def num(value: float) -> str:
    """A number as spec text, rounded to 12 significant digits (no float noise)."""
    return str(Quantity(float(f"{value:.12g}")))


def coordinate(name: str, iv: Interval) -> Coordinate:
    return Coordinate(name, iv.lower, iv.upper, iv.unit)


def in_si(q: Quantity) -> float:
    """The value in SI base units, 12 significant digits."""
    return float(f"{to_base(q.value, q.unit):.12g}")


def parameters(
    values: dict[str, Quantity], keys: tuple[str, ...], dimensional: bool
) -> tuple[Parameter, ...]:
    """The named values in order; in a dimensional spec a unitless value gets unit ``1``."""
    out = []
    for k in keys:
        q = values.get(k)
        if q is None:
            continue
        unit = q.unit if q.unit is not None or not dimensional else "1"
        out.append(Parameter(k, float(q.value), unit))
    return tuple(out)


def segments_1d(x: Interval) -> tuple[BoundarySegment, ...]:
    return (
        BoundarySegment("left", f"x = {num(x.lower)}"),
        BoundarySegment("right", f"x = {num(x.upper)}"),
    )


def segments_2d(x: Interval, y: Interval) -> tuple[BoundarySegment, ...]:
    return (
        BoundarySegment("left", f"x = {num(x.lower)}"),
        BoundarySegment("right", f"x = {num(x.upper)}"),
        BoundarySegment("bottom", f"y = {num(y.lower)}"),
        BoundarySegment("top", f"y = {num(y.upper)}"),
    )


def conditions(found: dict[str, Condition]) -> BoundaryConditions:
    partner = {"left": "right", "right": "left", "bottom": "top", "top": "bottom"}
    return BoundaryConditions(
        tuple(
            BoundaryCondition(
                side,
                c.type,
                None if c.type == "periodic" else c.value,
                partner=partner[side] if c.type == "periodic" else None,
            )
            for side, c in found.items()
        )
    )


def describe(r: Reading, summary: str) -> str:
    """The spec's description: what the problem is, and the drafter's account of it."""
    lines = [summary, "", "Drafted offline by simlab's deterministic drafter (no language model)."]
    if r.read:
        lines.append("Read from the request: " + "; ".join(r.read) + ".")
    if r.defaults:
        lines.append("Defaults used, as the request allowed: " + "; ".join(r.defaults) + ".")
    if r.choices:
        lines.append("Chosen by the drafter: " + "; ".join(r.choices) + ".")
    return "\n".join(lines)
