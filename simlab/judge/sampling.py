"""Sample points for numeric checks: coordinates, time and the state of every jet.

Coefficients that depend on position, time or the solution itself (``u*u_x``, ``exp(u)``) are
evaluated on a small tensor grid of the domain at the initial time, with the unknowns and
their derivatives taken from the initial data (or the initial iterate of a stationary problem;
zero when neither is given). Checks then use the worst value over the samples.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import sympy as sp

from simlab.judge.numeric import grid_points, literal_in_unit, real_part
from simlab.judge.symbolic import Jet, SymbolicSpec
from simlab.spec.expressions import ExpressionError


class StateSampler:
    """Numeric values of coordinates, time and jets at a few sample points."""

    def __init__(self, s: SymbolicSpec, per_axis: int | None = None) -> None:
        self.s = s
        d = len(s.space)
        self.per_axis = per_axis or {0: 1, 1: 9, 2: 5, 3: 3}.get(d, 3)

    @cached_property
    def coords(self) -> dict[sp.Symbol, np.ndarray]:
        s = self.s
        ranges = [s.ranges_si[c.name] for c in s.space]
        pts = grid_points(ranges, self.per_axis)
        out = dict(zip(s.space, pts, strict=True))
        n = len(pts[0]) if pts else 1
        if s.time is not None:
            t0 = s.ranges_si[s.time.name][0]
            out[s.time] = np.full(n, t0)
        return out

    @property
    def size(self) -> int:
        return len(next(iter(self.coords.values()))) if self.coords else 1

    def initial_expr(self, unknown: str, derivative: int = 0) -> sp.Expr | None:
        """The initial value (or initial iterate) of ``unknown`` as an SI expression."""
        s = self.s
        unit = _unknown_unit(s, unknown, derivative)
        for p in s.initial:
            if (
                p.cond.unknown == unknown
                and p.cond.derivative == derivative
                and p.value is not None
            ):
                return _literal_fix(p.value, unit)
        if derivative == 0 and unknown in s.spec.initial.initial_guess and s.ns is not None:
            try:
                return _literal_fix(s.ns.parse(s.spec.initial.initial_guess[unknown]), unit)
            except (ExpressionError, Exception):
                return None
        return None

    @cached_property
    def _jet_cache(self) -> dict[sp.Symbol, np.ndarray]:
        return {}

    def jet_values(self, symbols: set[sp.Symbol]) -> dict[sp.Symbol, np.ndarray]:
        """Values of the given jet symbols at the samples (each computed once, on demand)."""
        by_symbol = {j.symbol: j for j in self.s.jets.values()}
        out = {}
        for sym in symbols:
            if sym not in by_symbol:
                continue
            if sym not in self._jet_cache:
                self._jet_cache[sym] = self._jet_values(by_symbol[sym])
            out[sym] = self._jet_cache[sym]
        return out

    def _jet_values(self, jet: Jet) -> np.ndarray:
        s = self.s
        zeros = np.zeros(self.size)
        t_order = jet.order(s.time_name) if s.time_name else 0
        base = self.initial_expr(jet.unknown, t_order if t_order <= 1 else 99)
        if base is None:
            return zeros
        expr = base
        for var, n in jet.orders:
            if var == s.time_name:
                continue
            expr = sp.diff(expr, s.symbol(var), n)
        values = self.evaluate(expr)
        return zeros if values is None else values

    def evaluate(self, expr: sp.Expr, with_jets: bool = False) -> np.ndarray | None:
        """Real values of ``expr`` at the sample points (``None`` if not evaluable/real)."""
        s = self.s
        const = s.evaluator.substitute(expr)
        if not const.free_symbols:
            value = s.evaluator.real_constant(const)
            return None if value is None else np.full(self.size, value)
        env = dict(self.coords)
        if with_jets:
            env.update(self.jet_values(const.free_symbols))
        args = list(env)
        raw = s.evaluator.sample(expr, args, [env[a] for a in args])
        return real_part(raw)


def _unknown_unit(s: SymbolicSpec, unknown: str, derivative: int) -> str | None:
    u = s.spec.equations.unknown(unknown)
    if u is None or u.unit is None:
        return None
    if derivative == 0:
        return u.unit
    t = s.spec.domain.time
    return f"({u.unit})/({t.unit})" if t is not None and t.unit else u.unit


def _literal_fix(expr: sp.Expr, unit: str | None) -> sp.Expr:
    """A bare-number value is read in the unknown's unit (converted to SI)."""
    if expr.free_symbols or not expr.is_number:
        return expr
    try:
        return sp.Float(literal_in_unit(float(expr), unit))
    except (TypeError, ValueError):
        return expr
