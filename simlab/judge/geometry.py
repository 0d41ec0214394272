"""The boundary of a box domain: faces, and which face each named segment lies on.

The dialect's domains are intervals, rectangles and boxes (a product of coordinate ranges), so
the boundary is the set of faces ``x_i = lower_i`` and ``x_i = upper_i``. A segment written as
``x = 0`` is located by solving its equation for the coordinate; a segment that does not lie on
a face (``x = 0.5`` inside the interval) is reported, never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from simlab.judge.numeric import literal_in_unit
from simlab.judge.symbolic import SymbolicSpec
from simlab.spec.expressions import ExpressionError, split_relation


@dataclass(frozen=True)
class Face:
    """One face of the box: coordinate, side and position (SI)."""

    coord: str
    side: str  # "lower" | "upper"
    position: float

    @property
    def label(self) -> str:
        return f"{self.coord} = {self.coord}_{'min' if self.side == 'lower' else 'max'}"

    @property
    def normal_sign(self) -> int:
        """Sign of the outward normal along the coordinate axis."""
        return -1 if self.side == "lower" else 1


@dataclass(frozen=True)
class Located:
    """Where a named segment is: a face, or why it is not one."""

    segment: str
    face: Face | None
    problem: str | None = None
    interior: bool = False


def faces(s: SymbolicSpec) -> list[Face]:
    out = []
    for name in s.coordinate_names:
        lo, hi = s.ranges_si[name]
        out += [Face(name, "lower", lo), Face(name, "upper", hi)]
    return out


def locate_segments(s: SymbolicSpec) -> dict[str, Located]:
    """Each boundary segment of the Domain mapped to its face."""
    return {seg.name: _locate(s, seg.name, seg.where) for seg in s.spec.domain.boundaries}


def _locate(s: SymbolicSpec, name: str, where: str) -> Located:
    if s.ns is None:
        return Located(name, None, "the symbol table could not be built")
    try:
        lhs, rhs, op = split_relation(where)
        expr = s.ns.parse(lhs) - s.ns.parse(rhs)
    except ExpressionError as exc:
        return Located(name, None, f"cannot read '{where}': {exc}")
    except Exception as exc:
        return Located(name, None, f"cannot read '{where}': {type(exc).__name__}")
    if op != "=":
        return Located(name, None, f"'{where}' is not an equation 'coordinate = value'")
    coords = [c for c in s.space if c in expr.free_symbols]
    if len(coords) != 1:
        return Located(name, None, f"'{where}' does not fix exactly one coordinate")
    x = coords[0]
    solved = (
        sp.solve(expr, x)
        if not expr.is_polynomial(x) or sp.degree(expr, x) != 1
        else [-expr.coeff(x, 0) / expr.coeff(x, 1)]
    )
    if len(solved) != 1:
        return Located(name, None, f"'{where}' does not give a single position")
    value = solved[0]
    coord = next(c for c in s.spec.domain.coordinates if c.name == x.name)
    if value.free_symbols:
        pos = s.evaluator.real_constant(value)
    else:
        number = float(value) if value.is_real else None
        pos = literal_in_unit(number, coord.unit) if number is not None else None
    if pos is None:
        return Located(name, None, f"'{where}': the position is not a number")
    lo, hi = s.ranges_si[x.name]
    tol = 1e-9 * max(abs(lo), abs(hi), hi - lo)
    if math.isclose(pos, lo, abs_tol=tol):
        return Located(name, Face(x.name, "lower", lo))
    if math.isclose(pos, hi, abs_tol=tol):
        return Located(name, Face(x.name, "upper", hi))
    inside = lo < pos < hi
    where_text = "inside the domain" if inside else "outside the domain"
    return Located(
        name,
        None,
        f"segment '{name}: {where}' is {where_text} ({x.name} in [{coord.lower:g}, "
        f"{coord.upper:g}]), not on its boundary",
        interior=True,
    )


MAX_MODES = 5_000_000


def nearest_box_eigenvalue(
    lengths: list[float], kinds: list[str], coeffs: list[float], k2: float
) -> tuple[float, float] | None:
    """``(nearest eigenvalue to k2, lowest eigenvalue)`` of ``-sum a_i d^2/dx_i^2`` on a box.

    ``kinds[i]`` is ``dirichlet`` (both ends), ``neumann`` (both ends), ``mixed`` (one of
    each) or ``periodic``; the spectrum is the sum of the 1-D spectra (separation of
    variables). The sums are searched, not enumerated: for each partial sum of the first
    directions the last direction's closest value is found by bisection. ``None`` when the
    search would need more than a few million modes (a very large ``k2`` in 3-D).
    """
    per_dim: list[np.ndarray] = []
    for length, kind, a in zip(lengths, kinds, coeffs, strict=True):
        if a <= 0 or length <= 0:
            return None
        top = math.ceil(length / math.pi * math.sqrt(max(k2, 0.0) / a)) + 3
        if top > MAX_MODES:
            return None
        m = np.arange(0, top + 1, dtype=float)
        if kind == "dirichlet":
            ks = m[1:] * math.pi / length
        elif kind == "neumann":
            ks = m * math.pi / length
        elif kind == "mixed":
            ks = (m[1:] - 0.5) * math.pi / length
        else:  # periodic: cos and sin modes share k = 2 pi m / L
            ks = 2 * m * math.pi / length
        per_dim.append(np.sort(a * ks * ks))
    lowest = float(sum(v[0] for v in per_dim))
    partial = np.zeros(1)
    for values in per_dim[:-1]:
        partial = (partial[:, None] + values[None, :]).ravel()
        partial = partial[partial <= max(k2, 0.0) + per_dim[-1][-1]]
        if partial.size > MAX_MODES:
            return None
    last = per_dim[-1]
    target = k2 - partial
    idx = np.clip(np.searchsorted(last, target), 0, last.size - 1)
    below = np.clip(idx - 1, 0, last.size - 1)
    cand = np.concatenate([partial + last[idx], partial + last[below]])
    nearest = float(cand[np.argmin(np.abs(cand - k2))])
    return nearest, lowest
