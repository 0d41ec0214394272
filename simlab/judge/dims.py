"""Dimensions of sympy expressions, from the units of the symbols they contain.

A :class:`Dim` is a product of base dimensions with exact rational exponents (read from pint).
:func:`dimension_of` walks an expression: sums must agree term by term, products multiply,
derivatives divide by their variables, integrals multiply by their variables (whose dimension
comes from the limits when the variable is not a coordinate), and the arguments of
transcendental functions must be dimensionless. ``0`` fits any dimension; bare numbers are
dimensionless. A symbol without a unit makes the result unknown (``None`` with the names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from simlab.spec.units import parse_unit

_SI = {
    "[length]": "m",
    "[time]": "s",
    "[mass]": "kg",
    "[temperature]": "K",
    "[current]": "A",
    "[substance]": "mol",
    "[luminosity]": "cd",
    "[population]": "person",
}


@dataclass(frozen=True)
class Dim:
    """A physical dimension: sorted ``(base, exponent)`` pairs; ``()`` is dimensionless."""

    powers: tuple[tuple[str, Fraction], ...] = ()

    @staticmethod
    def of_unit(unit: str) -> Dim:
        return _dim_of_unit(unit)

    @property
    def dimensionless(self) -> bool:
        return not self.powers

    def __mul__(self, other: Dim) -> Dim:
        out = dict(self.powers)
        for k, v in other.powers:
            out[k] = out.get(k, Fraction(0)) + v
        return Dim(tuple(sorted((k, v) for k, v in out.items() if v != 0)))

    def __truediv__(self, other: Dim) -> Dim:
        return self * other**-1

    def __pow__(self, exponent: Fraction | int) -> Dim:
        e = Fraction(exponent)
        return Dim(tuple((k, v * e) for k, v in self.powers if v * e != 0))

    def __str__(self) -> str:
        if not self.powers:
            return "1 (dimensionless)"
        num = [_power(_SI.get(k, k), v) for k, v in self.powers if v > 0]
        den = [_power(_SI.get(k, k), -v) for k, v in self.powers if v < 0]
        text = "*".join(num) if num else "1"
        if den:
            text += "/" + (den[0] if len(den) == 1 else "(" + "*".join(den) + ")")
        return text


DIMENSIONLESS = Dim()


def _power(name: str, exp: Fraction) -> str:
    if exp == 1:
        return name
    return f"{name}^{exp}" if exp.denominator == 1 else f"{name}^({exp})"


@lru_cache(maxsize=512)
def _dim_of_unit(unit: str) -> Dim:
    dims = parse_unit(unit).dimensionality
    items = []
    for k, v in dims.items():
        exp = Fraction(v).limit_denominator(1000) if isinstance(v, float) else Fraction(v)
        if exp != 0:
            items.append((str(k), exp))
    return Dim(tuple(sorted(items)))


class DimensionMismatch(Exception):
    """Two parts of a sum (or a relation) have different dimensions."""

    def __init__(self, a: sp.Basic, da: Dim, b: sp.Basic, db: Dim) -> None:
        self.a, self.da, self.b, self.db = a, da, b, db
        super().__init__(f"'{a}' has {da} but '{b}' has {db}")


class NotDimensionless(Exception):
    """A transcendental function (or a symbolic exponent) got a dimensional argument."""

    def __init__(self, func: str, arg: sp.Basic, dim: Dim) -> None:
        self.func, self.arg, self.dim = func, arg, dim
        super().__init__(f"the argument '{arg}' of {func} has {dim}; it must be dimensionless")


@dataclass
class DimResult:
    """A known dimension, or ``None`` with the names whose units are missing."""

    dim: Dim | None
    missing: frozenset[str] = field(default_factory=frozenset)

    @property
    def known(self) -> bool:
        return self.dim is not None


_SAME_DIM_FUNCS = (sp.Abs, sp.re, sp.im, sp.conjugate)
_FREE_ARG_FUNCS = (sp.Heaviside, sp.sign)
#: operators with a known effect on dimension: the Radon transform integrates along lines
OPERATOR_LENGTH_POWER = {"radon": 1}


@dataclass
class DimEnv:
    """Dimensions of symbols and unknown functions (``None`` = unit not stated)."""

    symbols: dict[sp.Symbol, Dim | None]
    functions: dict[str, Dim | None]
    length: Dim | None
    undefined_is_dimensionless: bool = False


def dimension_of(expr: sp.Basic, env: DimEnv) -> DimResult:
    """The dimension of ``expr``; raises :class:`DimensionMismatch` or :class:`NotDimensionless`."""
    return _walk(expr, env, {})


def _walk(e: sp.Basic, env: DimEnv, bound: dict[sp.Symbol, Dim | None]) -> DimResult:
    if e.is_Number or isinstance(e, (sp.NumberSymbol, sp.core.numbers.ImaginaryUnit)):
        return DimResult(DIMENSIONLESS)
    if e in (sp.oo, -sp.oo, sp.zoo, sp.nan):
        return DimResult(DIMENSIONLESS)
    if isinstance(e, sp.Symbol):
        if e in bound:
            return _lookup(bound[e], e.name)
        if e in env.symbols:
            return _lookup(env.symbols[e], e.name)
        if env.undefined_is_dimensionless:
            return DimResult(DIMENSIONLESS)
        return DimResult(None, frozenset({e.name}))
    if isinstance(e, AppliedUndef):
        name = e.func.__name__
        if name in env.functions:
            return _lookup(env.functions[name], name)
        args = [_walk(a, env, bound) for a in e.args]
        if name in OPERATOR_LENGTH_POWER and len(args) == 1:
            inner = args[0]
            if inner.dim is None or env.length is None:
                return DimResult(None, inner.missing | _no_length(env))
            return DimResult(inner.dim * env.length ** OPERATOR_LENGTH_POWER[name])
        if env.undefined_is_dimensionless:
            return DimResult(DIMENSIONLESS)
        return DimResult(None, frozenset({f"{name}(...)"}))
    if isinstance(e, sp.Derivative):
        inner = _walk(e.expr, env, bound)
        missing = set(inner.missing)
        dim = inner.dim
        for var, n in e.variable_count:
            vd = _walk(var, env, bound)
            missing |= vd.missing
            dim = None if dim is None or vd.dim is None else dim / vd.dim ** int(n)
        return DimResult(dim, frozenset(missing))
    if isinstance(e, sp.Integral):
        return _integral(e, env, bound)
    if isinstance(e, sp.Add):
        return _same(list(e.args), env, bound)
    if isinstance(e, sp.Mul):
        dim: Dim | None = DIMENSIONLESS
        missing: set[str] = set()
        for a in e.args:
            r = _walk(a, env, bound)
            missing |= r.missing
            dim = None if dim is None or r.dim is None else dim * r.dim
        return DimResult(dim, frozenset(missing))
    if isinstance(e, sp.Pow):
        return _pow(e, env, bound)
    if isinstance(e, Relational):
        return _same([e.lhs, e.rhs], env, bound)
    if isinstance(e, sp.MatrixBase):
        return _same(list(e), env, bound)
    if isinstance(e, (sp.Min, sp.Max)):
        return _same(list(e.args), env, bound)
    if isinstance(e, _SAME_DIM_FUNCS):
        return _walk(e.args[0], env, bound)
    if isinstance(e, _FREE_ARG_FUNCS):
        missing = set()
        for a in e.args:
            missing |= _walk(a, env, bound).missing
        return DimResult(None if missing else DIMENSIONLESS, frozenset(missing))
    if isinstance(e, sp.Piecewise):
        parts = []
        for expr_i, cond in e.args:
            parts.append(expr_i)
            if isinstance(cond, Relational):
                _walk(cond, env, bound)
        return _same(parts, env, bound)
    if isinstance(e, sp.Function):
        missing = set()
        for a in e.args:
            r = _walk(a, env, bound)
            missing |= r.missing
            if r.dim is not None and not r.dim.dimensionless:
                raise NotDimensionless(type(e).__name__, a, r.dim)
        # an argument of unknown dimension is not assumed dimensionless: the names stay
        return DimResult(None if missing else DIMENSIONLESS, frozenset(missing))
    if isinstance(e, sp.Tuple):
        return _same(list(e.args), env, bound)
    return DimResult(None, frozenset({f"'{e}'"}))


def _lookup(dim: Dim | None, name: str) -> DimResult:
    return DimResult(dim) if dim is not None else DimResult(None, frozenset({name}))


def _no_length(env: DimEnv) -> frozenset[str]:
    return frozenset() if env.length is not None else frozenset({"coordinate unit"})


def _same(parts: list[sp.Basic], env: DimEnv, bound: dict) -> DimResult:
    """All parts must share one dimension (zeros fit anything)."""
    ref: tuple[sp.Basic, Dim] | None = None
    missing: set[str] = set()
    unknown = False
    for p in parts:
        if p == 0:
            continue
        r = _walk(p, env, bound)
        missing |= r.missing
        if r.dim is None:
            unknown = True
            continue
        if ref is None:
            ref = (p, r.dim)
        elif r.dim != ref[1]:
            raise DimensionMismatch(ref[0], ref[1], p, r.dim)
    if unknown:
        return DimResult(None, frozenset(missing))
    return DimResult(ref[1] if ref else DIMENSIONLESS, frozenset(missing))


def _pow(e: sp.Pow, env: DimEnv, bound: dict) -> DimResult:
    base, exp = e.args
    rb = _walk(base, env, bound)
    if exp.is_Number:
        if rb.dim is None:
            return rb
        if rb.dim.dimensionless:
            return DimResult(DIMENSIONLESS)
        try:
            frac = (
                Fraction(str(sp.nsimplify(exp)))
                if not exp.is_Rational
                else Fraction(int(exp.p), int(exp.q))
            )
        except (ValueError, TypeError):
            raise NotDimensionless("a power", exp, rb.dim) from None
        return DimResult(rb.dim**frac)
    rexp = _walk(exp, env, bound)
    missing = rb.missing | rexp.missing
    if rexp.dim is not None and not rexp.dim.dimensionless:
        raise NotDimensionless("an exponent", exp, rexp.dim)
    if rb.dim is not None and not rb.dim.dimensionless:
        raise NotDimensionless("a power with a symbolic exponent", base, rb.dim)
    if rb.dim is None or rexp.dim is None:
        return DimResult(None, missing)
    return DimResult(DIMENSIONLESS, missing)


def _integral(e: sp.Integral, env: DimEnv, bound: dict) -> DimResult:
    inner_bound = dict(bound)
    factor: Dim | None = DIMENSIONLESS
    missing: set[str] = set()
    for limit in e.limits:
        var = limit[0]
        ends = [x for x in limit[1:] if x is not None]
        var_dim: Dim | None = None
        if var in env.symbols and env.symbols[var] is not None:
            var_dim = env.symbols[var]
        nonzero = [x for x in ends if x != 0]
        if nonzero:
            r = _same(nonzero, env, inner_bound)
            missing |= r.missing
            if r.dim is not None:
                if var_dim is None:
                    var_dim = r.dim
                elif r.dim != var_dim:
                    raise DimensionMismatch(var, var_dim, nonzero[0], r.dim)
        inner_bound[var] = var_dim
        if var_dim is None:
            missing.add(var.name)
        factor = None if factor is None or var_dim is None else factor * var_dim
    body = _walk(e.function, env, inner_bound)
    missing |= body.missing
    if body.dim is None or factor is None:
        return DimResult(None, frozenset(missing))
    return DimResult(body.dim * factor, frozenset(missing))
