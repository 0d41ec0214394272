"""Compatibility of the data: initial vs boundary values at t = 0, and source vs flux.

* Initial data is compared with Dirichlet values (and Neumann data with the normal derivative
  of the initial data, periodic ends with each other) on each face at the initial time; the
  size of the jump, absolute and relative to the data's scale, is reported (WARN).
* A stationary problem whose operator annihilates constants (``sum c_i u_ii = s`` with Neumann
  data on the whole boundary) has a solution only if the source and the boundary flux balance
  (divergence theorem): ``sum_i c_i int_faces g dS + int R_0 dV = 0``, computed by Gauss-Legendre
  quadrature. When they balance, the solution is unique only up to a constant.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from simlab.judge.geometry import Face, faces
from simlab.judge.numeric import grid_points, real_part
from simlab.judge.report import Finding, Status

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.symbolic import ParsedCondition

JUMP_RTOL = 1e-6
BALANCE_RTOL = 1e-8


def face_samples(ctx: JudgeContext, face: Face, per_axis: int = 9) -> dict[sp.Symbol, np.ndarray]:
    s = ctx.sym
    others = [c for c in s.space if c.name != face.coord]
    axes = [np.linspace(*s.ranges_si[c.name], per_axis) for c in others]
    mesh = np.meshgrid(*axes, indexing="ij") if axes else []
    n = mesh[0].size if mesh else 1
    env: dict[sp.Symbol, np.ndarray] = {c: m.ravel() for c, m in zip(others, mesh, strict=True)}
    env[s.symbol(face.coord)] = np.full(n, face.position)
    if s.time is not None:
        env[s.time] = np.full(n, s.ranges_si[s.time.name][0])
    return env


def _values(
    ctx: JudgeContext, expr: sp.Expr, env: dict[sp.Symbol, np.ndarray]
) -> np.ndarray | None:
    n = len(next(iter(env.values())))
    value = ctx.sym.evaluator.substitute(expr)
    if not value.free_symbols:
        const = ctx.sym.evaluator.real_constant(value)
        return None if const is None else np.full(n, const)
    args = list(env)
    return real_part(ctx.sym.evaluator.sample(expr, args, [env[a] for a in args]))


def jumps(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    s = ctx.sym
    sampler = ctx.sampler
    located = {name: loc.face for name, loc in ctx.segments.items() if loc.face is not None}
    out: dict[str, float] = {}
    for pc in s.conditions:
        c = pc.cond
        face = located.get(c.boundary)
        u = c.unknown or (s.unknown_names[0] if len(s.unknown_names) == 1 else None)
        if face is None or u is None or s.time_order(u) == 0:
            continue
        u0 = sampler.initial_expr(u)
        if u0 is None:
            continue
        env = face_samples(ctx, face)
        if c.type == "dirichlet" and pc.value is not None:
            g = sampler_fix(ctx, pc.value, u)
            _compare(ctx, u, c.boundary, "Dirichlet", u0, g, env, findings, out)
        elif c.type == "neumann" and pc.value is not None:
            du0 = face.normal_sign * sp.diff(u0, s.symbol(face.coord))
            _compare(
                ctx, u, c.boundary, "Neumann", du0, pc.value, env, findings, out, derivative=True
            )
        elif c.type == "periodic" and c.partner in located and face.side == "lower":
            other = located[c.partner]
            env2 = face_samples(ctx, other)
            a, b = _values(ctx, u0, env), _values(ctx, u0, env2)
            if a is not None and b is not None:
                _report_jump(
                    ctx,
                    u,
                    f"{c.boundary}/{c.partner}",
                    "periodic",
                    a,
                    b,
                    _scale(ctx, u0),
                    findings,
                    out,
                )
    if out:
        numbers["initial_boundary_jumps"] = out


def sampler_fix(ctx: JudgeContext, value: sp.Expr, unknown: str) -> sp.Expr:
    from simlab.judge.sampling import _literal_fix, _unknown_unit

    return _literal_fix(value, _unknown_unit(ctx.sym, unknown, 0))


def _scale(ctx: JudgeContext, expr: sp.Expr) -> float:
    """max |expr| over a fine grid of the domain (fronts and layers are not missed)."""
    s = ctx.sym
    per_axis = {0: 1, 1: 257, 2: 41}.get(len(s.space), 13)
    pts = grid_points([s.ranges_si[c.name] for c in s.space], per_axis)
    env: dict[sp.Symbol, np.ndarray] = dict(zip(s.space, pts, strict=True))
    if s.time is not None:
        env[s.time] = np.full(len(pts[0]) if pts else 1, s.ranges_si[s.time.name][0])
    if not env:
        value = s.evaluator.real_constant(expr)
        return abs(value) if value is not None else 0.0
    values = _values(ctx, expr, env)
    return float(np.max(np.abs(values))) if values is not None and values.size else 0.0


def _compare(
    ctx: JudgeContext,
    u: str,
    where: str,
    kind: str,
    initial_expr: sp.Expr,
    boundary_expr: sp.Expr,
    env: dict[sp.Symbol, np.ndarray],
    findings: list[Finding],
    out: dict[str, float],
    derivative: bool = False,
) -> None:
    a = _values(ctx, initial_expr, env)
    b = _values(ctx, boundary_expr, env)
    if a is None or b is None:
        return
    _report_jump(ctx, u, where, kind, a, b, _scale(ctx, initial_expr), findings, out, derivative)


def _report_jump(
    ctx: JudgeContext,
    u: str,
    where: str,
    kind: str,
    a: np.ndarray,
    b: np.ndarray,
    scale: float,
    findings: list[Finding],
    out: dict[str, float],
    derivative: bool = False,
) -> None:
    jump = float(np.max(np.abs(a - b)))
    ref = max(scale, float(np.max(np.abs(b))), float(np.max(np.abs(a))))
    rel = jump / ref if ref > 0 else 0.0
    out[f"{where} ({kind})"] = jump
    if rel <= JUMP_RTOL:
        return
    unit = _si_unit(ctx, u, derivative)
    what = "normal derivative of the initial data" if derivative else "initial data"
    findings.append(
        Finding(
            Status.WARN,
            "S2",
            f"{what} of {u} differs from the {kind} data on '{where}' by {jump:.3g} {unit} "
            f"(relative {rel:.3g}): the solution is discontinuous at t = 0 there",
            {"jump": jump, "unit": unit, "relative_jump": rel, "boundary": where},
            fix="make the initial data satisfy the boundary condition (or accept a corner "
            "singularity, which lowers the observed convergence order)",
            where=f"Initial Conditions, {u}",
        )
    )


def _si_unit(ctx: JudgeContext, u: str, derivative: bool) -> str:
    from simlab.judge.dims import Dim

    unit = ctx.spec.equations.unknown(u).unit if ctx.spec.equations.unknown(u) else None
    if unit is None:
        return ""
    try:
        d = Dim.of_unit(unit)
        if derivative:
            d = d / Dim.of_unit("m")
        return str(d) if not d.dimensionless else ""
    except Exception:
        return unit


# ---------------------------------------------------------------- pure Neumann problems


def neumann_balance(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    s = ctx.sym
    if ctx.spec.equations.eigenvalue is not None or len(s.unknown_names) != 1 or not ctx.parts:
        return
    part = ctx.parts[0]
    u = part.unknown
    if part.max_space_order != 2 or part.C is None or part.c0 is None or part.b is None:
        return
    if np.any(part.c0 != 0) or np.any(part.b != 0) or not s.linear:
        return  # a zero-order or first-order term: constants are not in the kernel
    located = {name: loc.face for name, loc in ctx.segments.items() if loc.face is not None}
    conds = [pc for pc in s.conditions if pc.cond.type != "constraint"]
    if not conds or any(flux_kind(ctx, pc) not in ("neumann", "periodic") for pc in conds):
        return
    covered = {located.get(pc.cond.boundary) for pc in conds} - {None}
    if covered != set(faces(s)):
        return
    C = part.C
    if not np.allclose(C, C[0]) or not np.allclose(C[0], np.diag(np.diag(C[0]))):
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                "pure Neumann problem with variable or mixed "
                "coefficients: source/flux balance not computed",
                where="Boundary Conditions",
            )
        )
        return
    coeff = np.diag(C[0])
    source = part.equation.jet_residual.xreplace({j.symbol: sp.S.Zero for j in part.equation.jets})
    vol = _integrate(ctx, source, s.space)
    if vol is None:
        return
    flux, flux_abs = 0.0, 0.0
    for pc in conds:
        face = located.get(pc.cond.boundary)
        if flux_kind(ctx, pc) != "neumann" or face is None or pc.value is None:
            continue
        others = tuple(c for c in s.space if c.name != face.coord)
        g = pc.value
        integral = _integrate(ctx, g.xreplace({s.symbol(face.coord): face.position}), others)
        integral_abs = _integrate(
            ctx, sp.Abs(g.xreplace({s.symbol(face.coord): face.position})), others
        )
        if integral is None or integral_abs is None:
            return
        i = s.coordinate_names.index(face.coord)
        flux += coeff[i] * integral
        flux_abs += abs(coeff[i]) * integral_abs
    vol_abs = _integrate(ctx, sp.Abs(source), s.space) or 0.0
    mismatch = abs(flux + vol)
    scale = flux_abs + vol_abs
    rel = mismatch / scale if scale > 0 else 0.0
    nums = {
        "source_integral": -vol,
        "flux_integral": flux,
        "mismatch": mismatch,
        "relative_mismatch": rel,
    }
    numbers["neumann_balance"] = nums
    if rel > BALANCE_RTOL:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"pure Neumann problem for {u}: the source integrates to {-vol:.6g} but the "
                f"boundary flux to {flux:.6g} (mismatch {mismatch:.3g}, relative {rel:.2g}); "
                "by the divergence theorem no solution exists",
                nums,
                fix="make the source and the boundary flux balance, or prescribe u (Dirichlet) "
                "on part of the boundary",
                where="Boundary Conditions",
            )
        )
        return
    fixed = any(pc.cond.type == "constraint" and _mentions(pc, u) for pc in s.conditions)
    if fixed:
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                f"pure Neumann problem: source and flux "
                f"balance (relative {rel:.1e}); a constraint fixes the constant",
                nums,
            )
        )
    else:
        undetermined = _observables_of(ctx, u)
        findings.append(
            Finding(
                Status.FAIL if undetermined else Status.WARN,
                "S2",
                f"pure Neumann problem: source and flux balance (relative mismatch {rel:.1e}), "
                f"but {u} is unique only up to an additive constant"
                + (
                    f"; the observable(s) {', '.join(undetermined)} read values of {u}, "
                    "which are therefore not determined"
                    if undetermined
                    else ""
                ),
                {**nums, "undetermined_observables": undetermined},
                fix=f"prescribe {u} on part of the boundary (Dirichlet), or add a constraint "
                f"such as 'mean: {{type: constraint, value: integral({u}) = 0}}'",
                where="Boundary Conditions",
            )
        )


def _observables_of(ctx: JudgeContext, u: str) -> list[str]:
    """Observables whose definition reads the values of ``u`` (a point value, a maximum, an
    integral ...): each changes when a constant is added to ``u``."""
    return [
        o.name
        for o in ctx.spec.observables
        if o.definition and u in re.findall(r"[A-Za-z_]\w*", o.definition)
    ]


def flux_kind(ctx: JudgeContext, pc: ParsedCondition) -> str:
    """The condition's type, with a Robin condition whose alpha is identically 0 read as the
    Neumann condition it is (``du/dn + 0*u = g``)."""
    c = pc.cond
    if c.type != "robin":
        return c.type
    if pc.alpha is None:
        return "neumann"
    alpha = ctx.sym.evaluator.substitute(pc.alpha)
    return "neumann" if alpha == 0 else "robin"


def _mentions(pc: ParsedCondition, u: str) -> bool:
    """Does a side condition (e.g. ``integral(u) = 0``) refer to the unknown ``u``?"""
    exprs = [pc.value] if pc.value is not None else []
    if pc.relation is not None:
        exprs += [pc.relation[0], pc.relation[1]]
    if not exprs:  # the dialect could not evaluate it (an integral without limits ...)
        return u in re.findall(r"[A-Za-z_]\w*", pc.cond.value or "")
    return any(
        getattr(getattr(a, "func", None), "__name__", None) == u or getattr(a, "name", None) == u
        for e in exprs
        for a in sp.preorder_traversal(e)
    )


def _integrate(ctx: JudgeContext, expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> float | None:
    """Gauss-Legendre quadrature (40 nodes per axis) of ``expr`` over the given coordinates."""
    s = ctx.sym
    nodes, weights = np.polynomial.legendre.leggauss(40)
    axes, wts = [], []
    for v in variables:
        lo, hi = s.ranges_si[v.name]
        axes.append(0.5 * (hi - lo) * nodes + 0.5 * (hi + lo))
        wts.append(0.5 * (hi - lo) * weights)
    value = s.evaluator.substitute(expr)
    if not value.free_symbols:
        c = s.evaluator.real_constant(value)
        if c is None:
            return None
        return c * float(np.prod([w.sum() for w in wts])) if wts else c
    if not variables:
        return None
    mesh = np.meshgrid(*axes, indexing="ij")
    w = np.ones_like(mesh[0])
    for k, wk in enumerate(wts):
        shape = [1] * len(wts)
        shape[k] = len(wk)
        w = w * wk.reshape(shape)
    vals = real_part(s.evaluator.sample(expr, list(variables), [m for m in mesh]))
    if vals is None:
        return None
    return float(np.sum(vals * w))
