"""Interval arithmetic over sympy expressions, vectorised over many boxes at once.

``compile_interval(expr, symbols)`` turns a sympy expression into a function of interval
arguments ``(lo, hi)`` (numpy arrays, one entry per box) that returns an enclosure ``(lo, hi)``
of the expression's range over each box. Every operation rounds outward by one ulp
(``np.nextafter``), so the enclosure holds in floating point too.

Hand-written, not ``mpmath.iv``: mpmath's interval context has no ``tanh``, ``sinh``,
``cosh``, ``atan``, ``Abs``, ``Heaviside``, ``Min``/``Max`` or ``Piecewise``, and it evaluates
one box at a time with multiprecision numbers; branch-and-bound here evaluates a whole
generation of boxes in one numpy call, which keeps a proof at a few milliseconds.

An expression with a node the evaluator does not know raises :class:`Unsupported`; the
caller then reports the condition as unverifiable (never as proven).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

Interval = tuple[np.ndarray, np.ndarray]
IFn = Callable[[dict[sp.Symbol, Interval]], Interval]

_TWO_PI = 2.0 * math.pi


class Unsupported(Exception):
    """The expression holds a function or node the interval evaluator cannot enclose."""


def _out(lo: np.ndarray, hi: np.ndarray) -> Interval:
    """Round outward and replace undefined results (nan) by the whole line."""
    lo = np.nextafter(lo, -np.inf)
    hi = np.nextafter(hi, np.inf)
    bad = np.isnan(lo) | np.isnan(hi)
    if np.any(bad):
        lo = np.where(bad, -np.inf, lo)
        hi = np.where(bad, np.inf, hi)
    return lo, hi


def _mul(a: Interval, b: Interval) -> Interval:
    with np.errstate(all="ignore"):
        p = np.stack([a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]])
    p = np.where(np.isnan(p), 0.0, p)  # 0 * inf: the zero factor is exact
    return _out(p.min(axis=0), p.max(axis=0))


def _recip(a: Interval) -> Interval:
    lo, hi = a
    with np.errstate(all="ignore"):
        straddles = (lo <= 0) & (hi >= 0)
        rlo = np.where(straddles, -np.inf, 1.0 / hi)
        rhi = np.where(straddles, np.inf, 1.0 / lo)
        # [0, b] -> [1/b, inf); [a, 0] -> (-inf, 1/a]
        rlo = np.where((lo == 0) & (hi > 0), 1.0 / hi, rlo)
        rhi = np.where((lo == 0) & (hi > 0), np.inf, rhi)
        rlo = np.where((hi == 0) & (lo < 0), -np.inf, rlo)
        rhi = np.where((hi == 0) & (lo < 0), 1.0 / lo, rhi)
    return _out(rlo, rhi)


def _int_pow(a: Interval, n: int) -> Interval:
    if n == 0:
        return np.ones_like(a[0]), np.ones_like(a[0])
    if n < 0:
        return _recip(_int_pow(a, -n))
    lo, hi = a
    with np.errstate(all="ignore"):
        plo, phi = lo**n, hi**n
    if n % 2:
        return _out(plo, phi)
    low = np.where(lo >= 0, plo, np.where(hi <= 0, phi, 0.0))
    high = np.where(lo >= 0, phi, np.where(hi <= 0, plo, np.maximum(plo, phi)))
    return _out(low, high)


def _monotone(f: Callable[[np.ndarray], np.ndarray]) -> Callable[[Interval], Interval]:
    def apply(a: Interval) -> Interval:
        with np.errstate(all="ignore"):
            return _out(f(a[0]), f(a[1]))

    return apply


def _log(a: Interval) -> Interval:
    lo, hi = a
    with np.errstate(all="ignore"):
        out_lo = np.where(lo > 0, np.log(np.maximum(lo, 1e-320)), -np.inf)
        out_hi = np.where(hi > 0, np.log(np.maximum(hi, 1e-320)), np.nan)  # log of x <= 0: none
    return _out(out_lo, out_hi)


def _sqrt(a: Interval) -> Interval:
    lo, hi = a
    with np.errstate(all="ignore"):
        out_lo = np.sqrt(np.maximum(lo, 0.0))
        out_hi = np.where(hi >= 0, np.sqrt(np.maximum(hi, 0.0)), np.nan)
    return _out(out_lo, out_hi)


def _cos(a: Interval) -> Interval:
    lo, hi = a
    with np.errstate(all="ignore"):
        clo, chi = np.cos(lo), np.cos(hi)
        top = np.ceil(lo / _TWO_PI) * _TWO_PI <= hi  # a maximum 2k*pi inside
        bottom = np.ceil((lo - math.pi) / _TWO_PI) * _TWO_PI + math.pi <= hi
        low = np.where(bottom, -1.0, np.minimum(clo, chi))
        high = np.where(top, 1.0, np.maximum(clo, chi))
        wide = ~np.isfinite(lo) | ~np.isfinite(hi) | (hi - lo >= _TWO_PI)
    low = np.where(wide, -1.0, low)
    high = np.where(wide, 1.0, high)
    lo2, hi2 = _out(low, high)
    return np.maximum(lo2, -1.0), np.minimum(hi2, 1.0)


def _sin(a: Interval) -> Interval:
    return _cos((a[0] - math.pi / 2, a[1] - math.pi / 2))


def _tan(a: Interval) -> Interval:
    lo, hi = a
    k = np.ceil((lo - math.pi / 2) / math.pi)
    pole = k * math.pi + math.pi / 2 <= hi
    with np.errstate(all="ignore"):
        out_lo = np.where(pole, -np.inf, np.tan(lo))
        out_hi = np.where(pole, np.inf, np.tan(hi))
    return _out(out_lo, out_hi)


def _cosh(a: Interval) -> Interval:
    lo, hi = a
    with np.errstate(all="ignore"):
        clo, chi = np.cosh(lo), np.cosh(hi)
    low = np.where((lo <= 0) & (hi >= 0), 1.0, np.minimum(clo, chi))
    return _out(low, np.maximum(clo, chi))


def _abs(a: Interval) -> Interval:
    lo, hi = a
    low = np.where(lo >= 0, lo, np.where(hi <= 0, -hi, 0.0))
    high = np.maximum(np.abs(lo), np.abs(hi))
    return low, high


def _step(a: Interval, at_zero: float) -> Interval:
    lo, hi = a

    def h(v: np.ndarray) -> np.ndarray:
        return np.where(v > 0, 1.0, np.where(v < 0, 0.0, at_zero))

    return h(lo), h(hi)


def _sign(a: Interval) -> Interval:
    lo, hi = a
    return np.sign(lo).astype(float), np.sign(hi).astype(float)


def _erf(a: Interval) -> Interval:
    from scipy.special import erf

    return _monotone(erf)(a)


_UNARY: dict[type, Callable[[Interval], Interval]] = {
    sp.exp: _monotone(np.exp),
    sp.log: _log,
    sp.sin: _sin,
    sp.cos: _cos,
    sp.tan: _tan,
    sp.sinh: _monotone(np.sinh),
    sp.cosh: _cosh,
    sp.tanh: _monotone(np.tanh),
    sp.atan: _monotone(np.arctan),
    sp.asinh: _monotone(np.arcsinh),
    sp.erf: _erf,
    sp.Abs: _abs,
    sp.sign: _sign,
}


def compile_interval(expr: sp.Basic) -> IFn:
    """An interval function of a symbol environment (raises :class:`Unsupported`)."""
    e = expr
    if isinstance(e, sp.Symbol):
        sym = e

        def var(env: dict[sp.Symbol, Interval]) -> Interval:
            if sym not in env:
                raise Unsupported(f"no range for symbol '{sym}'")
            return env[sym]

        return var
    if e.is_Number or isinstance(e, sp.NumberSymbol):
        if not e.is_real:
            raise Unsupported(f"complex constant {e}")
        v = float(e)
        lo_c, hi_c = (v, v) if e.is_Integer or e.is_Float else _out(np.array(v), np.array(v))
        if not math.isfinite(v):
            raise Unsupported(f"infinite constant {e}")
        return lambda env: _const(env, lo_c, hi_c)
    if isinstance(e, sp.Add):
        parts = [compile_interval(a) for a in e.args]

        def add(env: dict[sp.Symbol, Interval]) -> Interval:
            lo, hi = parts[0](env)
            for p in parts[1:]:
                plo, phi = p(env)
                with np.errstate(all="ignore"):
                    lo, hi = _out(lo + plo, hi + phi)
            return lo, hi

        return add
    if isinstance(e, sp.Mul):
        parts = [compile_interval(a) for a in e.args]

        def mul(env: dict[sp.Symbol, Interval]) -> Interval:
            acc = parts[0](env)
            for p in parts[1:]:
                acc = _mul(acc, p(env))
            return acc

        return mul
    if isinstance(e, sp.Pow):
        return _compile_pow(e)
    for kind, fn in _UNARY.items():
        if isinstance(e, kind) and len(e.args) == 1:
            inner = compile_interval(e.args[0])
            return lambda env, fn=fn, inner=inner: fn(inner(env))
    if isinstance(e, sp.Heaviside):
        inner = compile_interval(e.args[0])
        at0 = float(e.args[1]) if len(e.args) > 1 and e.args[1].is_Number else 0.5
        return lambda env: _step(inner(env), at0)
    if isinstance(e, (sp.Min, sp.Max)):
        parts = [compile_interval(a) for a in e.args]
        pick = np.minimum if isinstance(e, sp.Min) else np.maximum

        def minmax(env: dict[sp.Symbol, Interval]) -> Interval:
            lo, hi = parts[0](env)
            for p in parts[1:]:
                plo, phi = p(env)
                lo, hi = pick(lo, plo), pick(hi, phi)
            return lo, hi

        return minmax
    if isinstance(e, sp.Piecewise):
        return _compile_piecewise(e)
    raise Unsupported(f"no interval rule for {type(e).__name__}")


def _const(env: dict[sp.Symbol, Interval], lo: float, hi: float) -> Interval:
    n = len(next(iter(env.values()))[0]) if env else 1
    return np.full(n, lo), np.full(n, hi)


def _compile_pow(e: sp.Pow) -> IFn:
    base, exp = e.args
    fb = compile_interval(base)
    if exp.is_Integer:
        n = int(exp)
        return lambda env: _int_pow(fb(env), n)
    if exp.is_Rational or exp.is_Float:
        q = float(exp)
        if q == 0.5:
            return lambda env: _sqrt(fb(env))
        if exp.is_Rational and int(exp.q) % 2 == 1:  # odd root: defined for negative bases
            p_num, q_den = int(exp.p), int(exp.q)

            def odd_root(env: dict[sp.Symbol, Interval]) -> Interval:
                lo, hi = fb(env)
                r = _out(
                    np.cbrt(lo) if q_den == 3 else _odd_root(lo, q_den),
                    np.cbrt(hi) if q_den == 3 else _odd_root(hi, q_den),
                )
                return _int_pow(r, p_num)

            return odd_root

        def real_pow(env: dict[sp.Symbol, Interval]) -> Interval:
            lo, hi = fb(env)
            with np.errstate(all="ignore"):
                low = np.where(lo >= 0, np.maximum(lo, 0.0) ** q, np.nan)
                high = np.where(hi >= 0, np.maximum(hi, 0.0) ** q, np.nan)
            if q < 0:
                low, high = high, low
            return _out(low, high)

        return real_pow
    fe = compile_interval(exp)
    exp_fn = _UNARY[sp.exp]
    return lambda env: exp_fn(_mul(fe(env), _log(fb(env))))


def _odd_root(v: np.ndarray, q: int) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.sign(v) * np.abs(v) ** (1.0 / q)


def _compile_piecewise(e: sp.Piecewise) -> IFn:
    branches = []
    for value, cond in e.args:
        branches.append((compile_interval(value), _compile_condition(cond)))

    def piecewise(env: dict[sp.Symbol, Interval]) -> Interval:
        lo = hi = None
        settled = None  # boxes where an earlier condition certainly held
        for fv, fc in branches:
            maybe, surely = fc(env)
            active = maybe if settled is None else (maybe & ~settled)
            vlo, vhi = fv(env)
            if lo is None:
                lo = np.where(active, vlo, np.inf)
                hi = np.where(active, vhi, -np.inf)
            else:
                lo = np.where(active, np.minimum(lo, vlo), lo)
                hi = np.where(active, np.maximum(hi, vhi), hi)
            settled = surely if settled is None else (settled | surely)
        assert lo is not None and hi is not None
        empty = lo > hi  # no branch applies: undefined there
        return np.where(empty, -np.inf, lo), np.where(empty, np.inf, hi)

    return piecewise


def _compile_condition(cond: sp.Basic) -> Callable[[dict], tuple[np.ndarray, np.ndarray]]:
    """``(maybe, surely)`` boolean arrays for a relational condition over each box."""
    if cond is sp.true or cond == True:  # noqa: E712 - sympy's true
        return lambda env: _bools(env, True)
    if cond is sp.false or cond == False:  # noqa: E712
        return lambda env: _bools(env, False)
    if isinstance(cond, (sp.And, sp.Or)):
        parts = [_compile_condition(c) for c in cond.args]
        both = isinstance(cond, sp.And)

        def combine(env: dict) -> tuple[np.ndarray, np.ndarray]:
            results = [p(env) for p in parts]
            maybe, surely = results[0]
            for m, s in results[1:]:
                maybe = (maybe & m) if both else (maybe | m)
                surely = (surely & s) if both else (surely | s)
            return maybe, surely

        return combine
    if isinstance(cond, Relational):
        diff = compile_interval(cond.lhs - cond.rhs)
        op = cond.rel_op

        def relation(env: dict) -> tuple[np.ndarray, np.ndarray]:
            lo, hi = diff(env)
            if op in (">", ">="):
                return (hi >= 0, lo > 0) if op == ">=" else (hi > 0, lo > 0)
            if op in ("<", "<="):
                return (lo <= 0, hi < 0) if op == "<=" else (lo < 0, hi < 0)
            if op == "==":
                return (lo <= 0) & (hi >= 0), (lo == 0) & (hi == 0)
            return ~((lo == 0) & (hi == 0)), (lo > 0) | (hi < 0)

        return relation
    raise Unsupported(f"no interval rule for the condition {cond}")


def _bools(env: dict, value: bool) -> tuple[np.ndarray, np.ndarray]:
    n = len(next(iter(env.values()))[0]) if env else 1
    arr = np.full(n, value)
    return arr, arr
