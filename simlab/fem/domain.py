"""The domain a finite-element solve meshes (SI): a 1-D, 2-D or 3-D box, or the dialect's
plane disk, annulus or L-shape.

Built from the compiled Problem's box (faces named by the spec's segments) or from the
dialect's shapes (:mod:`simlab.spec.shapes`), converted to SI with the coordinates' unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simlab.spec.shapes import Shape
from simlab.spec.units import to_base


@dataclass(frozen=True)
class Edge:
    """A straight boundary part (``a`` to ``b``) or a circle (``radius`` > 0) and its segment."""

    segment: str
    a: tuple[float, float] = (0.0, 0.0)
    b: tuple[float, float] = (0.0, 0.0)
    radius: float = 0.0

    def distance(self, x: np.ndarray, y: np.ndarray, center: tuple[float, float]) -> np.ndarray:
        if self.radius > 0:
            return np.abs(np.hypot(x - center[0], y - center[1]) - self.radius)
        ax, ay = self.a
        dx, dy = self.b[0] - ax, self.b[1] - ay
        s = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        return np.hypot(x - ax - s * dx, y - ay - s * dy)


@dataclass(frozen=True)
class Domain:
    """What the mesher needs, in SI."""

    kind: str  # "box" | "disk" | "annulus" | "l_shape"
    names: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    parts: tuple[Edge, ...]
    center: tuple[float, float] = (0.0, 0.0)
    outer_radius: float = 0.0
    inner_radius: float = 0.0
    notch: str = ""
    faces: tuple[tuple[int, str, str], ...] = ()
    """A box's sides: (axis, "lower" | "upper", segment name)."""
    cuts: tuple[tuple[float, ...], ...] = ()
    """A box's coordinates, per axis, that must be mesh nodes (the observation points)."""

    @property
    def segments(self) -> tuple[str, ...]:
        if self.faces:
            return tuple(dict.fromkeys(name for _, _, name in self.faces))
        return tuple(dict.fromkeys(p.segment for p in self.parts))

    @property
    def size(self) -> float:
        return max(b - a for a, b in self.ranges)

    def contains(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether points lie in the closed domain (used for the L-shape's notch)."""
        (x0, x1), (y0, y1) = self.ranges
        box = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        if self.kind != "l_shape":
            return box
        vertical, horizontal = self.notch.split("_")
        sx = 1 if horizontal == "right" else -1
        sy = 1 if vertical == "upper" else -1
        xm, ym = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
        return box & ~((sx * (x - xm) > 0) & (sy * (y - ym) > 0))

    def segment_at(self, x: np.ndarray, y: np.ndarray, tolerance: float) -> np.ndarray:
        """The segment name of the nearest boundary part within ``tolerance`` ('' if none)."""
        distances = np.array([p.distance(x, y, self.center) for p in self.parts])
        nearest = np.argmin(distances, axis=0)
        names = np.array([p.segment for p in self.parts], dtype=object)[nearest]
        return np.where(distances.min(axis=0) <= tolerance, names, "")


def box_domain(
    names: tuple[str, ...],
    lower: tuple[float, ...],
    upper: tuple[float, ...],
    faces: dict[tuple[int, str], str],
) -> Domain:
    """An interval, rectangle or box; ``faces[(axis, "lower"|"upper")]`` names that side."""
    ranges = tuple((float(a), float(b)) for a, b in zip(lower, upper, strict=True))
    sides = tuple((axis, end, name) for (axis, end), name in sorted(faces.items()))
    return Domain("box", tuple(names), ranges, (), faces=sides)


def shape_domain(shape: Shape, units: tuple[str | None, str | None]) -> Domain:
    """The dialect's shape in SI (its numbers are in the coordinates' units)."""

    def si(value: float, axis: int) -> float:
        return to_base(float(value), units[axis])

    p = shape.params
    if shape.kind in ("disk", "annulus"):
        cx, cy = p["center"]
        center = (si(cx, 0), si(cy, 1))
        outer, inner = si(p["outer_radius"], 0), si(p["inner_radius"], 0)
        parts = [Edge(shape.segment_of["outer circle"], radius=outer)]
        if inner > 0:
            parts.append(Edge(shape.segment_of["inner circle"], radius=inner))
        ranges = ((center[0] - outer, center[0] + outer), (center[1] - outer, center[1] + outer))
        return Domain(shape.kind, shape.names, ranges, tuple(parts), center, outer, inner)
    (x0, x1), (y0, y1) = p["x_range"], p["y_range"]
    ranges = ((si(x0, 0), si(x1, 0)), (si(y0, 1), si(y1, 1)))
    parts = []
    for part in shape.parts:
        ax, ay, bx, by = part.data
        parts.append(
            Edge(shape.segment_of[part.label], (si(ax, 0), si(ay, 1)), (si(bx, 0), si(by, 1)))
        )
    return Domain("l_shape", shape.names, ranges, tuple(parts), notch=str(p["notch"]))
