"""Coercivity of stationary scalar operators and the distance of Helmholtz problems to resonance.

The operator is brought to the form ``L u = -div(A grad u) + c u`` (``A`` positive definite).
With ``c >= 0`` (and Dirichlet data somewhere, or ``c > 0``) ``L`` is coercive (Lax-Milgram).
With ``c = -k^2 < 0`` it is not, and the problem is well-posed only if ``k^2`` is not an
eigenvalue of ``-div(A grad)`` with the problem's boundary conditions. On a box with constant
``A`` the eigenvalues are ``sum_i a_i (pi m_i / L_i)^2`` (Dirichlet ``m >= 1``, Neumann
``m >= 0``, mixed ``m - 1/2``, periodic ``2m``). The solution operator then has norm ``1/d``,
``d = min |lambda - k^2|``, so relative errors in the data or the operator are amplified by
``kappa = k^2/d``. A discretisation that resolves the operator to the tolerance ``eps`` then
leaves a relative error ``~ kappa*eps``: ``kappa*eps >= 1`` means no digit is certain (FAIL),
``kappa*eps >= 0.1`` eats most of it (WARN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simlab.judge.geometry import nearest_box_eigenvalue
from simlab.judge.principal import definiteness

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.principal import PrincipalPart


@dataclass(frozen=True)
class Standard:
    """``-div(A grad u) + b.grad u + c u`` with ``A`` positive definite (per sample)."""

    A: np.ndarray
    b: np.ndarray
    c: np.ndarray
    sign: int  # +1 if the residual already had -A, -1 if it was multiplied by -1


def standard_form(part: PrincipalPart) -> Standard | None:
    if part.C is None or part.b is None or part.c0 is None:
        return None
    if not (np.all(np.isfinite(part.C)) and np.all(np.isfinite(part.c0))):
        return None
    kind = definiteness(part.C)[0]
    if kind == "negative":
        sign = 1
    elif kind == "positive":
        sign = -1
    else:
        return None
    return Standard(-sign * part.C, sign * part.b, sign * part.c0, sign)


def direction_kinds(ctx: JudgeContext, unknown: str) -> list[str] | None:
    """Per coordinate: 'dirichlet' | 'neumann' | 'mixed' | 'periodic' (None if not a box one)."""
    s = ctx.sym
    faces_of = {name: loc.face for name, loc in ctx.segments.items() if loc.face is not None}
    kinds = []
    for x in s.coordinate_names:
        ends = {}
        for pc in s.conditions:
            c = pc.cond
            face = faces_of.get(c.boundary)
            if face is None or face.coord != x or c.unknown not in (None, unknown):
                continue
            ends.setdefault(face.side, set()).add(c.type)
        lo, hi = ends.get("lower", set()), ends.get("upper", set())
        if len(lo) != 1 or len(hi) != 1:
            return None
        a, b = next(iter(lo)), next(iter(hi))
        if a == b == "periodic":
            kinds.append("periodic")
        elif a == b and a in ("dirichlet", "neumann"):
            kinds.append(a)
        elif {a, b} == {"dirichlet", "neumann"}:
            kinds.append("mixed")
        else:
            return None
    return kinds


@dataclass(frozen=True)
class Resonance:
    k2: float
    nearest: float
    distance: float
    amplification: float
    kinds: list[str]
    lowest: float


def resonance(ctx: JudgeContext, part: PrincipalPart, std: Standard) -> Resonance | str:
    """Distance of ``k^2 = -c`` to the spectrum (or why it could not be computed)."""
    s = ctx.sym
    if not (np.allclose(std.A, std.A[0]) and np.allclose(std.c, std.c[0])):
        return "variable coefficients"
    A0 = std.A[0]
    if not np.allclose(A0, np.diag(np.diag(A0))):
        return "anisotropic coefficients with mixed derivatives"
    if np.any(std.b != 0):
        return "first-order terms present"
    kinds = direction_kinds(ctx, part.unknown)
    if kinds is None:
        return "boundary conditions are not of one type per direction (or Robin)"
    lengths = [s.ranges_si[x][1] - s.ranges_si[x][0] for x in s.coordinate_names]
    k2 = float(-std.c[0])
    found = nearest_box_eigenvalue(lengths, kinds, list(np.diag(A0)), k2)
    if found is None:
        return "k^2 is too large for the spectrum to be searched"
    nearest, lowest = found
    distance = abs(nearest - k2)
    amp = k2 / distance if distance > 0 else float("inf")
    return Resonance(k2, nearest, distance, amp, kinds, lowest)
