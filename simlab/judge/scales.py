"""Length and time scales of a problem, and the resolution a tolerance needs.

The smallest length the solution must resolve, ``ell``, is the minimum of:

* the domain: ``L_i / pi`` (the lowest mode of each direction);
* the physics, from coefficient ratios of the principal part: ``sqrt(D/|r|)`` (a reaction front
  or a Helmholtz wavelength over 2 pi) and, for stationary problems, ``D/|a|`` (a boundary layer);
* the data: ``sqrt(max|f| / max|lap f|)`` for the initial data, the source and the Dirichlet
  data, sampled on a fine grid (``L/pi`` for ``sin(pi x/L)``, about the width of a front),
  and for an integral transform the oscillation length of the integrand in the integration
  variable.

A method of order ``p`` resolves a mode of wavenumber ``1/ell`` with relative error about
``(h/ell)^p / c_p`` (``c_2 = 12``: the second difference of a sine; ``c_1 = 2``; ``c_4 = 360``),
so ``h = ell (c_p eps)^(1/p)``. Time scales: the span ``T``, ``ell^2/D``, ``ell/|a|``, ``1/|r|``.
These are estimates within a small factor, which is what a cost gate needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from simlab.judge.numeric import grid_points

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

ERROR_CONSTANTS = {1: 2.0, 2: 12.0, 3: 60.0, 4: 360.0}
DEFAULT_ORDER = 2.0


def error_constant(order: float) -> float:
    p = round(order)
    return ERROR_CONSTANTS.get(p, float(math.factorial(p + 1)))


@dataclass
class Scales:
    """The resolving length, its candidates, and the time scale (SI)."""

    length: float | None
    candidates: dict[str, float] = field(default_factory=dict)
    time: float | None = None
    time_candidates: dict[str, float] = field(default_factory=dict)


def scales(ctx: JudgeContext) -> Scales:
    cache = ctx.cache
    if "scales" in cache:
        return cache["scales"]
    s = ctx.sym
    cand: dict[str, float] = {}
    for c in s.space:
        lo, hi = s.ranges_si[c.name]
        cand[f"domain {c.name}: L/pi"] = (hi - lo) / math.pi
    tcand: dict[str, float] = {}
    if s.time_name:
        t0, t1 = s.ranges_si[s.time_name]
        tcand["time span"] = t1 - t0
    for part in ctx.parts:
        D, a, r = _coefficients(part)
        if D is None:
            continue
        if D > 0 and r is not None and r > 0:
            cand[f"{part.unknown}: sqrt(D/|r|)"] = math.sqrt(D / r)
        if D > 0 and a is not None and a > 0 and not s.is_time_dependent:
            cand[f"{part.unknown}: D/|a| (boundary layer)"] = D / a
    for label, expr in _data(ctx):
        ell = data_length(ctx, expr)
        if ell is not None:
            cand[label] = ell
    ell = _integrand_length(ctx)
    if ell is not None:
        cand["integrand oscillation"] = ell
    positive = [v for v in cand.values() if v > 0 and math.isfinite(v)]
    length = min(positive) if positive else None
    if length is not None:
        for part in ctx.parts:
            D, a, r = _coefficients(part)
            if D:
                tcand[f"{part.unknown}: ell^2/D"] = length**2 / D
            if a:
                tcand[f"{part.unknown}: ell/|a|"] = length / a
            if r:
                tcand[f"{part.unknown}: 1/|r|"] = 1 / r
    tpos = [v for v in tcand.values() if v > 0 and math.isfinite(v)]
    out = Scales(length, cand, min(tpos) if tpos else None, tcand)
    cache["scales"] = out
    return out


def _coefficients(part) -> tuple[float | None, float | None, float | None]:
    """Worst-case |D|, |a|, |r| of a principal part (evolution form when time-dependent)."""
    ev = part.evolution()
    if ev is not None:
        D, a, r = ev
    elif part.C is not None and part.b is not None and part.c0 is not None:
        D, a, r = -part.C, part.b, -part.c0
    else:
        return None, None, None
    with np.errstate(all="ignore"):
        if not (np.all(np.isfinite(D)) and np.all(np.isfinite(a)) and np.all(np.isfinite(r))):
            return None, None, None
        dmax = float(np.max(np.abs(np.diagonal(D, axis1=-2, axis2=-1)))) if D.size else 0.0
        amax = float(np.max(np.abs(a))) if a.size else 0.0
        rmax = float(np.max(np.abs(r))) if r.size else 0.0
    return dmax, amax, rmax


def _data(ctx: JudgeContext) -> list[tuple[str, sp.Expr]]:
    s = ctx.sym
    out: list[tuple[str, sp.Expr]] = []
    for u in s.unknown_names:
        e = ctx.sampler.initial_expr(u)
        if e is not None and s.is_time_dependent:
            out.append((f"initial data of {u}", e))
    for part in ctx.parts:
        if part.time_order == 0 and part.max_space_order > 0:
            eq = part.equation
            src = eq.jet_residual.xreplace({j.symbol: sp.S.Zero for j in eq.jets})
            if src != 0 and not isinstance(src, sp.MatrixBase):
                out.append((f"source of {part.unknown}", src))
    for pc in s.conditions:
        if pc.cond.type == "dirichlet" and pc.value is not None and pc.value.free_symbols:
            out.append((f"Dirichlet data on {pc.cond.boundary}", pc.value))
    return out


def data_length(ctx: JudgeContext, expr: sp.Expr) -> float | None:
    """``sqrt(max|f| / max|lap f|)`` of data on a grid (``None`` for constant or linear data).

    The Laplacian is the second difference on the grid, refined until the length is resolved
    by several grid steps, so no symbolic differentiation is needed.
    """
    s = ctx.sym
    if not s.space or not (expr.free_symbols & set(s.space)):
        return None
    per_axis = {1: 513, 2: 65, 3: 17}.get(len(s.space), 9)
    ranges = [s.ranges_si[c.name] for c in s.space]
    ell = None
    for _ in range(4):
        values = _grid_values(ctx, expr, ranges, per_axis)
        if values is None:
            return None
        h = [(hi - lo) / (per_axis - 1) for lo, hi in ranges]
        ell = _curvature_length(values, h)
        if ell is None or ell >= 3 * max(h):
            return ell
        per_axis = 2 * per_axis - 1 if len(s.space) > 1 else 4 * per_axis - 3
        if per_axis ** len(s.space) > 4_000_000:
            break
    return ell


def _grid_values(
    ctx: JudgeContext, expr: sp.Expr, ranges: list[tuple[float, float]], per_axis: int
) -> np.ndarray | None:
    s = ctx.sym
    pts = grid_points(ranges, per_axis)
    env = dict(zip(s.space, pts, strict=True))
    if s.time is not None:
        env[s.time] = np.full(len(pts[0]), s.ranges_si[s.time.name][0])
    args = list(env)
    f = s.evaluator.sample(expr, args, [env[a] for a in args])
    return None if f is None else f.reshape((per_axis,) * len(ranges))


def _curvature_length(f: np.ndarray, h: list[float]) -> float | None:
    """``sqrt(max|f| / max|second differences|)`` over the interior of a grid."""
    lap = np.zeros(tuple(n - 2 for n in f.shape), dtype=complex)
    inner = tuple(slice(1, -1) for _ in f.shape)
    for axis, step in enumerate(h):
        lo = list(inner)
        hi = list(inner)
        lo[axis] = slice(0, -2)
        hi[axis] = slice(2, None)
        lap = lap + (f[tuple(hi)] - 2 * f[inner] + f[tuple(lo)]) / step**2
    fmax, gmax = float(np.max(np.abs(f))), float(np.max(np.abs(lap))) if lap.size else 0.0
    if fmax == 0 or gmax == 0:
        return None
    return math.sqrt(fmax / gmax)


def _integrand_length(ctx: JudgeContext) -> float | None:
    """Oscillation length of an integral's integrand in its integration variable."""
    s = ctx.sym
    best = None
    for eq in s.equations:
        for integral in eq.residual.atoms(sp.Integral):
            for limit in integral.limits:
                if len(limit) != 3:
                    continue
                var, lo, hi = limit
                f = integral.function
                lo_v, hi_v = s.evaluator.real_constant(lo), s.evaluator.real_constant(hi)
                if lo_v is None or hi_v is None or hi_v <= lo_v:
                    continue
                ell = _length_1d(ctx, f, var, lo_v, hi_v)
                if ell is not None:
                    best = ell if best is None else min(best, ell)
    return best


def _length_1d(ctx: JudgeContext, f: sp.Expr, var: sp.Symbol, lo: float, hi: float) -> float | None:
    """Curvature length of ``f`` in ``var`` (other coordinates sampled), refined until resolved."""
    s = ctx.sym
    others = [c for c in s.space if c in f.free_symbols]
    grids = [np.linspace(*s.ranges_si[c.name], 9) for c in others]
    n = 401
    ell = None
    for _ in range(4):
        xs = np.linspace(lo, hi, n)
        mesh = np.meshgrid(xs, *grids, indexing="ij")
        fv = s.evaluator.sample(f, [var, *others], [m.ravel() for m in mesh])
        if fv is None:
            return None
        fv = fv.reshape(n, -1)
        h = (hi - lo) / (n - 1)
        second = (fv[2:] - 2 * fv[1:-1] + fv[:-2]) / h**2
        fmax, gmax = float(np.max(np.abs(fv))), float(np.max(np.abs(second)))
        if fmax == 0 or gmax == 0:
            return None
        ell = math.sqrt(fmax / gmax)
        if ell >= 3 * h:
            return ell
        n = 4 * n - 3
        if n * max(len(mesh[0].ravel()) // max(len(xs), 1), 1) > 4_000_000:
            break
    return ell


def needed_spacing(ctx: JudgeContext, order: float) -> float | None:
    """``h = ell (c_p eps)^(1/p)`` for the spec's tolerance (``None`` if unknown)."""
    sc = scales(ctx)
    if sc.length is None or ctx.tolerance is None:
        return None
    eps = ctx.tolerance[0]
    return sc.length * min(error_constant(order) * eps, 1.0) ** (1 / order)


def needed_time_step(ctx: JudgeContext, order: float) -> float | None:
    sc = scales(ctx)
    if sc.time is None or ctx.tolerance is None:
        return None
    eps = ctx.tolerance[0]
    return sc.time * min(error_constant(order) * eps, 1.0) ** (1 / order)
