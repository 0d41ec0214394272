"""Conditions of the spec proven over the whole closed domain x time interval.

A coefficient read from an equation (``dR/du_xx`` ...) becomes a sympy expression in the
coordinates and time only: parameters are replaced by their SI values, and the unknowns and
their derivatives (for state-dependent coefficients) by the initial data (or the initial
iterate), differentiated as needed, the state the sampler used before. The expression's sign
or maximum is then established on the box ``Omega x [t0, T]`` by interval branch-and-bound
(:mod:`simlab.judge.rangeproof`), never from samples.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import sympy as sp

from simlab.judge.rangeproof import SignProof, maximum, prove_sign

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.symbolic import Jet


def ranges(ctx: JudgeContext, with_time: bool = True) -> dict[sp.Symbol, tuple[float, float]]:
    """SI ranges of the coordinates (and of time) keyed by their sympy symbols."""
    s = ctx.sym
    out = {s.symbol(c): s.ranges_si[c] for c in s.coordinate_names}
    if with_time and s.time_name is not None:
        out[s.symbol(s.time_name)] = s.ranges_si[s.time_name]
    return out


def jet_expression(ctx: JudgeContext, jet: Jet) -> sp.Expr:
    """The value of a jet at the initial state, as an expression in the coordinates."""
    key = ("jet_expr", jet.symbol)
    if key in ctx.cache:
        return ctx.cache[key]
    s = ctx.sym
    t_order = jet.order(s.time_name) if s.time_name else 0
    base = ctx.sampler.initial_expr(jet.unknown, t_order if t_order <= 1 else 99)
    expr: sp.Expr = sp.Integer(0)
    if base is not None:
        expr = base
        for var, n in jet.orders:
            if var != s.time_name:
                expr = sp.diff(expr, s.symbol(var), n)
    ctx.cache[key] = expr
    return expr


def concrete(ctx: JudgeContext, expr: sp.Expr) -> sp.Expr:
    """``expr`` with parameters in SI and jets at the initial state (coordinates/time left)."""
    s = ctx.sym
    by_symbol = {j.symbol: j for j in s.jets.values()}
    jets = expr.free_symbols & set(by_symbol)
    if jets:
        expr = expr.xreplace({j: jet_expression(ctx, by_symbol[j]) for j in jets})
    return s.evaluator.substitute(expr)


def sign(
    ctx: JudgeContext,
    expr: sp.Expr,
    extra: dict[sp.Symbol, tuple[float, float]] | None = None,
    strict: bool = True,
    with_time: bool = True,
) -> SignProof:
    """Prove ``expr > 0`` (``>= 0``) on the closed domain x time box (plus ``extra`` ranges)."""
    box = ranges(ctx, with_time)
    if extra:
        box.update(extra)
    return prove_sign(concrete(ctx, expr), box, 0.0, strict)


def sup(
    ctx: JudgeContext, expr: sp.Expr, with_time: bool = True
) -> tuple[float, float, dict[str, float]] | None:
    """``(attained max, rigorous upper bound, argmax)`` of ``expr`` over the box."""
    out = maximum(concrete(ctx, expr), ranges(ctx, with_time))
    if out is None or not (math.isfinite(out[0]) and math.isfinite(out[1])):
        return None
    return out


def where(point: dict[str, float]) -> str:
    """A witness point written for people: ``x = 1.3, t = 0.25``."""
    return ", ".join(f"{k} = {v:.6g}" for k, v in point.items()) or "everywhere"


def at(point: dict[str, float]) -> str:
    """``at x = 1.3, t = 0.25`` (or ``everywhere`` for a constant)."""
    return "everywhere" if not point else "at " + where(point)
