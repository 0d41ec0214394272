"""Proofs of sign and bounds over a whole closed box, by interval branch-and-bound.

:func:`lower_bound` encloses ``min f`` over a box ``prod [a_i, b_i]`` (space, time, and any
auxiliary variable such as a wave direction): every generation evaluates the interval
enclosure (:mod:`simlab.judge.intervals`) on all live boxes and ``f`` at their centres; a box
whose enclosure cannot go below the best centre value is discarded, the others are halved
along their widest (relative) side. The result is a rigorous lower bound, the best point found
(a *witness*: a real point with its value) and, when the budget ran out first, the hull of the
boxes still undecided. :func:`prove_sign` stops as soon as the sign question is settled:

* ``PROVEN``: the rigorous lower bound is above the threshold over the whole box;
* ``VIOLATED``: a point where ``f`` is below the threshold (confirmed by evaluating the sympy
  expression at that point with ``evalf``);
* ``UNDECIDED``: neither within the budget; the region where it stayed open is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import sympy as sp

from simlab.judge.intervals import Unsupported, compile_interval

#: boxes alive per generation and generations: 40 generations of <= 96 boxes stay ~ms
MAX_BOXES = 96
MAX_GENERATIONS = 40


class Outcome(StrEnum):
    PROVEN = "proven"
    VIOLATED = "violated"
    TOUCHES = "touches"  # attains the threshold somewhere, never goes below it there
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Bound:
    """Enclosure of ``min f`` over the box, a witness point and the undecided region."""

    lower: float  # rigorous: f >= lower on the whole box
    best: float  # f(witness), an attained value (>= lower)
    witness: dict[str, float]
    region: dict[str, tuple[float, float]] | None = None  # hull of undecided boxes
    boxes: int = 0
    generations: int = 0
    scale: float = 0.0  # largest |f| seen at the evaluated points (what "zero" is relative to)


@dataclass(frozen=True)
class SignProof:
    """The answer to ``f > threshold`` (or ``>=``) over the whole box."""

    outcome: Outcome
    bound: Bound | None
    problem: str | None = None

    @property
    def witness(self) -> dict[str, float] | None:
        return None if self.bound is None else self.bound.witness

    def to_numbers(self) -> dict:
        b = self.bound
        out: dict = {"proof": self.outcome.value, "method": "interval branch-and-bound"}
        if b is not None:
            out.update(
                {
                    "lower_bound": b.lower,
                    "min_found": b.best,
                    "witness": b.witness or "everywhere (independent of position and time)",
                    "boxes": b.boxes,
                }
            )
            if b.region is not None and self.outcome == Outcome.UNDECIDED:
                out["undecided_region"] = {k: list(v) for k, v in b.region.items()}
        if self.problem:
            out["problem"] = self.problem
        return out


def box_of(expr: sp.Expr, ranges: dict[sp.Symbol, tuple[float, float]]) -> dict:
    """The part of ``ranges`` that ``expr`` depends on (raises if a symbol has no range)."""
    free = expr.free_symbols
    missing = [s for s in free if s not in ranges]
    if missing:
        raise Unsupported("no range for " + ", ".join(sorted(str(s) for s in missing)))
    return {s: ranges[s] for s in sorted(free, key=str)}


def lower_bound(
    expr: sp.Expr,
    ranges: dict[sp.Symbol, tuple[float, float]],
    *,
    stop_above: float | None = None,
    stop_below: float | None = None,
    rtol: float = 1e-3,
) -> Bound:
    """Branch-and-bound enclosure of ``min expr`` over the box (raises :class:`Unsupported`).

    Stops early once the lower bound exceeds ``stop_above`` or a point value drops below
    ``stop_below``; otherwise when ``best - lower <= rtol*|best|`` or the budget is spent.
    """
    box = box_of(expr, ranges)
    fn = compile_interval(expr)
    syms = list(box)
    k = len(syms)
    if k == 0:
        lo, hi = fn({})
        v = float(lo[0]) if np.ndim(lo) else float(lo)
        v_hi = float(hi[0]) if np.ndim(hi) else float(hi)
        mid = 0.5 * (v + v_hi) if math.isfinite(v + v_hi) else math.nan
        return Bound(v, mid, {}, None, 1, 1, abs(mid) if math.isfinite(mid) else 0.0)
    a0 = np.array([box[s][0] for s in syms], dtype=float)
    b0 = np.array([box[s][1] for s in syms], dtype=float)
    width0 = np.where(b0 > a0, b0 - a0, 1.0)
    L = a0[None, :].copy()
    H = b0[None, :].copy()
    best, best_pt = math.inf, (a0 + b0) / 2
    lower = -math.inf
    total = 0
    gen = 0
    corners = _corners(a0, b0)
    cvals = _points(fn, syms, corners)
    scale = float(np.nanmax(np.abs(cvals))) if np.any(np.isfinite(cvals)) else 0.0
    if np.any(np.isfinite(cvals)):
        i = int(np.nanargmin(np.where(np.isfinite(cvals), cvals, np.inf)))
        best, best_pt = float(cvals[i]), corners[i]
    for gen in range(1, MAX_GENERATIONS + 1):
        env = {s: (L[:, j], H[:, j]) for j, s in enumerate(syms)}
        ilo, _ = fn(env)
        ilo = np.broadcast_to(ilo, (len(L),))
        total += len(L)
        centres = 0.5 * (L + H)
        cvals = _points(fn, syms, centres)
        finite = np.isfinite(cvals)
        if np.any(finite):
            scale = max(scale, float(np.max(np.abs(cvals[finite]))))
            i = int(np.argmin(np.where(finite, cvals, np.inf)))
            if cvals[i] < best:
                best, best_pt = float(cvals[i]), centres[i]
        lower = float(np.min(ilo))
        if stop_below is not None and best < stop_below:
            break
        if stop_above is not None and lower > stop_above:
            break
        tol = rtol * max(abs(best), 1e-300) if math.isfinite(best) else 0.0
        keep = ilo < best - tol
        if not np.any(keep):
            lower = max(lower, best - tol) if math.isfinite(best) else lower
            break
        L, H, ilo = L[keep], H[keep], ilo[keep]
        if len(L) > MAX_BOXES // 2:
            order = np.argsort(ilo)[: MAX_BOXES // 2]
            dropped_lower = float(np.min(ilo))  # the dropped boxes keep the bound honest
            L, H = L[order], H[order]
            lower = min(lower, dropped_lower)
        if gen == MAX_GENERATIONS:
            break
        rel = (H - L) / width0
        axis = np.argmax(rel, axis=1)
        rows = np.arange(len(L))
        mid = 0.5 * (L[rows, axis] + H[rows, axis])
        L2, H2 = L.copy(), H.copy()
        H[rows, axis] = mid
        L2[rows, axis] = mid
        L = np.vstack([L, L2])
        H = np.vstack([H, H2])
    region = None
    if not (stop_above is not None and lower > stop_above) and not (
        stop_below is not None and best < stop_below
    ):
        region = {str(s): (float(L[:, j].min()), float(H[:, j].max())) for j, s in enumerate(syms)}
    witness = {str(s): float(best_pt[j]) for j, s in enumerate(syms)}
    return Bound(lower, best, witness, region, total, gen, scale)


def _corners(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    k = len(a)
    if k > 4:
        return np.vstack([a, b])
    grid = np.array(np.meshgrid(*[[a[j], b[j]] for j in range(k)], indexing="ij"))
    return grid.reshape(k, -1).T


def _points(fn, syms: list[sp.Symbol], pts: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    env = {s: (pts[:, j], pts[:, j]) for j, s in enumerate(syms)}
    lo, hi = fn(env)
    lo = np.broadcast_to(lo, (len(pts),))
    hi = np.broadcast_to(hi, (len(pts),))
    with np.errstate(all="ignore"):
        v = 0.5 * (lo + hi)
    return np.where(np.isfinite(lo) & np.isfinite(hi), v, np.nan)


def prove_sign(
    expr: sp.Expr,
    ranges: dict[sp.Symbol, tuple[float, float]],
    threshold: float = 0.0,
    strict: bool = True,
) -> SignProof:
    """Is ``expr > threshold`` (``>=`` when not strict) everywhere on the box?"""
    try:
        b = lower_bound(expr, ranges, stop_above=threshold, stop_below=threshold)
    except Unsupported as exc:
        return SignProof(Outcome.UNDECIDED, None, str(exc))
    except (TypeError, ValueError, OverflowError) as exc:
        return SignProof(Outcome.UNDECIDED, None, f"{type(exc).__name__}: {exc}")
    holds = b.lower > threshold or (not strict and b.lower >= threshold)
    if holds:
        return SignProof(Outcome.PROVEN, b)
    if b.best <= threshold:
        value = confirm(expr, b.witness)
        if value is not None and value < threshold:
            witness = Bound(b.lower, value, b.witness, None, b.boxes, b.generations, b.scale)
            return SignProof(Outcome.VIOLATED, witness)
        if value is not None and value == threshold and strict:
            return SignProof(Outcome.TOUCHES, b)
    if strict and _numerically_touches(expr, b, threshold):
        return SignProof(Outcome.TOUCHES, b)
    return SignProof(Outcome.UNDECIDED, b)


def _numerically_touches(expr: sp.Expr, b: Bound, threshold: float) -> bool:
    """The minimum is the threshold up to round-off (``sin(pi)**2`` is 1.5e-32, not 0): the
    best value is within 1e-10 of the function's scale of the threshold, and the rigorous
    bound is not meaningfully below it."""
    if not (b.scale > 0 and math.isfinite(b.lower)):
        return False
    value = confirm(expr, b.witness)
    if value is None:
        return False
    return abs(value - threshold) <= 1e-10 * b.scale and b.lower >= threshold - 1e-6 * b.scale


def maximum(
    expr: sp.Expr, ranges: dict[sp.Symbol, tuple[float, float]], rtol: float = 1e-3
) -> tuple[float, float, dict[str, float]] | None:
    """``(attained max, rigorous upper bound, argmax)`` or ``None`` if not enclosable."""
    try:
        b = lower_bound(-expr, ranges, rtol=rtol)
    except (Unsupported, TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(b.best):
        return None
    return -b.best, -b.lower, b.witness


def confirm(expr: sp.Expr, point: dict[str, float]) -> float | None:
    """The value of ``expr`` at ``point`` by sympy's own evaluation (the witness check)."""
    subs = {s: sp.Float(point[str(s)], 30) for s in expr.free_symbols if str(s) in point}
    try:
        value = complex(sp.N(expr.xreplace(subs), 20))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if abs(value.imag) > 1e-9 * max(1.0, abs(value.real)) or not math.isfinite(value.real):
        return None
    return value.real
