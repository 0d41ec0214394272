"""Non-box plane domains of the dialect: disk, annulus and L-shape, and their boundary parts.

Written in the Domain section next to the coordinates (numbers in the coordinates' unit)::

    geometry: disk        # center: [x0, y0], radius: R
    geometry: annulus     # center: [x0, y0], inner_radius: r, outer_radius: R
    geometry: l_shape     # the coordinate box minus one quadrant: notch: upper_right
                          # (upper_left, lower_left, lower_right); the cut is at the box centre

The boundary is a set of *parts* (a circle, or a straight edge). Each named boundary segment
is a relation ``g(x, y) = 0`` (``x**2 + y**2 = 1``, ``x = 0``); it covers the parts on which
``g`` vanishes (checked at sample points), and every part must be covered by exactly one
segment. :func:`read_shape` never raises: what is wrong is returned as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.spec.expressions import split_relation
from simlab.spec.model import Spec

SHAPES = ("disk", "annulus", "l_shape")
ALIASES = {"circle": "disk", "ring": "annulus", "lshape": "l_shape", "l-shape": "l_shape"}
NOTCHES = ("upper_right", "upper_left", "lower_left", "lower_right")
SAMPLES = 7


@dataclass(frozen=True)
class Part:
    """One piece of the boundary: a circle (center, radius) or a segment (two end points)."""

    label: str
    kind: str  # "circle" | "edge"
    data: tuple[float, ...]

    def points(self, count: int = SAMPLES) -> np.ndarray:
        s = (np.arange(count) + 0.37) / count  # avoid corners and symmetric points
        if self.kind == "circle":
            cx, cy, r = self.data
            a = 2.0 * np.pi * s
            return np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)])
        x0, y0, x1, y1 = self.data
        return np.column_stack([x0 + s * (x1 - x0), y0 + s * (y1 - y0)])


@dataclass(frozen=True)
class Shape:
    """A plane domain in the spec's coordinate units, its boundary parts and the segment map."""

    kind: str
    names: tuple[str, str]
    params: dict[str, float | str | tuple[float, ...]]
    parts: tuple[Part, ...]
    segment_of: dict[str, str]  # part label -> segment name


def is_shape(geometry: str | None) -> bool:
    """Whether ``geometry`` names one of the non-box shapes."""
    return _kind(geometry) in SHAPES


def _kind(geometry: str | None) -> str:
    key = (geometry or "").strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def _notch_signs(notch: str) -> tuple[int, int]:
    vertical, horizontal = notch.split("_")
    return (1 if horizontal == "right" else -1), (1 if vertical == "upper" else -1)


def read_shape(spec: Spec) -> Shape | str:
    """The spec's shape with every boundary part assigned to one segment, or why not."""
    d = spec.domain
    kind = _kind(d.geometry)
    if kind not in SHAPES:
        return f"geometry '{d.geometry}' is not one of {', '.join(SHAPES)}"
    coords = d.coordinates
    if len(coords) != 2:
        return f"a {kind} is a plane domain: it needs two coordinates, not {len(coords)}"
    names = (coords[0].name, coords[1].name)
    extra = d.extra
    params: dict[str, float | str | tuple[float, ...]] = {}
    if kind in ("disk", "annulus"):
        center = extra.get("center", [0, 0])
        if not (isinstance(center, list | tuple) and len(center) == 2):
            return f"{kind}: 'center' must be [x0, y0]"
        try:
            cx, cy = (float(v) for v in center)
            outer = float(extra.get("radius", extra.get("outer_radius", math.nan)))
            inner = float(extra.get("inner_radius", 0.0)) if kind == "annulus" else 0.0
        except (TypeError, ValueError):
            return f"{kind}: center and radii must be numbers (in the coordinates' unit)"
        if not outer > 0 or not math.isfinite(outer):
            key = "radius" if kind == "disk" else "outer_radius"
            return f"{kind}: '{key}' must be a positive number"
        if kind == "annulus" and not 0 < inner < outer:
            return f"annulus: need 0 < inner_radius < outer_radius (got {inner}, {outer})"
        params = {"center": (cx, cy), "outer_radius": outer, "inner_radius": inner}
        parts = [Part("outer circle", "circle", (cx, cy, outer))]
        if kind == "annulus":
            parts.append(Part("inner circle", "circle", (cx, cy, inner)))
    else:
        notch = str(extra.get("notch", "upper_right")).strip().lower()
        if notch not in NOTCHES:
            return f"l_shape: notch '{notch}' is not one of {', '.join(NOTCHES)}"
        (x0, x1), (y0, y1) = ((c.lower, c.upper) for c in coords)
        params = {"x_range": (x0, x1), "y_range": (y0, y1), "notch": notch}
        parts = _l_edges(x0, x1, y0, y1, notch)
    segment_of = _assign(spec, names, parts)
    if isinstance(segment_of, str):
        return segment_of
    return Shape(kind, names, params, tuple(parts), segment_of)


def _l_edges(x0: float, x1: float, y0: float, y1: float, notch: str) -> list[Part]:
    """The six edges of the box minus the notch quadrant, counter-clockwise from (x0, y0)."""
    xm, ym = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    sx, sy = _notch_signs(notch)
    corner = (x1 if sx > 0 else x0, y1 if sy > 0 else y0)
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    out: list[tuple[float, float]] = []
    for index, p in enumerate(ring):
        if p != corner:
            out.append(p)
        elif ring[index - 1][1] == p[1]:  # arriving along a horizontal edge
            out += [(xm, p[1]), (xm, ym), (p[0], ym)]
        else:  # arriving along a vertical edge
            out += [(p[0], ym), (xm, ym), (xm, p[1])]
    parts = []
    for k in range(len(out)):
        a, b = out[k], out[(k + 1) % len(out)]
        parts.append(Part(f"edge ({a[0]:g}, {a[1]:g})-({b[0]:g}, {b[1]:g})", "edge", (*a, *b)))
    return parts


def _assign(spec: Spec, names: tuple[str, str], parts: list[Part]) -> dict[str, str] | str:
    x, y = sp.symbols(names, real=True)
    owner: dict[str, str] = {}
    for seg in spec.domain.boundaries:
        try:
            lhs, rhs, op = split_relation(seg.where)
            g = sp.sympify(lhs, locals={names[0]: x, names[1]: y}) - sp.sympify(
                rhs, locals={names[0]: x, names[1]: y}
            )
            if op != "=" or g.free_symbols - {x, y}:
                raise ValueError(f"'{seg.where}' is not a relation g({names[0]}, {names[1]}) = 0")
            fn = sp.lambdify((x, y), g, modules="numpy")
        except Exception as exc:
            return f"boundary '{seg.name}': cannot read '{seg.where}' ({exc})"
        covered = []
        for part in parts:
            pts = part.points()
            scale = 1.0 + float(np.max(np.abs(pts)))
            values = np.broadcast_to(np.asarray(fn(pts[:, 0], pts[:, 1]), dtype=float), len(pts))
            if np.all(np.abs(values) <= 1e-9 * scale**2):
                covered.append(part.label)
        if not covered:
            return (
                f"boundary '{seg.name}: {seg.where}' lies on no part of the {spec.domain.geometry}"
                f" boundary (parts: {', '.join(p.label for p in parts)})"
            )
        for label in covered:
            if label in owner:
                return f"the boundary part {label} is named by '{owner[label]}' and '{seg.name}'"
            owner[label] = seg.name
    missing = [p.label for p in parts if p.label not in owner]
    if missing:
        return f"no boundary segment covers {', '.join(missing)}"
    return owner
