"""Closed forms the drafter may state as analytic references, checked with sympy.

A reference is written only when it truly holds for the drafted data: an initial profile
that is an eigenfunction of the Laplacian and vanishes on a homogeneous Dirichlet boundary
decays (heat) or oscillates (wave from rest) as one mode; a periodic profile is advected
unchanged. Anything else gets ``extrapolation`` (Richardson), never a guessed formula.
"""

from __future__ import annotations

import functools
import math
import re

import sympy as sp

from simlab.spec.expressions import ExpressionError, Namespace


def _namespace(space: list[str], params: list[str]) -> Namespace:
    ns = Namespace.build(space=space, time="t", parameters=params)
    for name in params:  # lengths, speeds, amplitudes: positive, so sqrt and Abs simplify
        ns.symbols[name] = sp.Symbol(name, positive=True)
    return ns


def _positive(name: str) -> sp.Symbol:
    return sp.Symbol(name, positive=True)


def laplace_mode(
    profile: str,
    bounds: dict[str, tuple[float, float]],
    params: dict[str, float],
) -> tuple[sp.Expr, sp.Expr] | None:
    """``(f, mu)`` with ``laplacian(f) = -mu f``, ``mu > 0`` constant and ``f = 0`` on every
    side of the box ``bounds``; ``None`` when ``profile`` is not such a mode."""
    ns = _namespace(list(bounds), list(params))
    try:
        f = ns.parse(profile)
    except ExpressionError:
        return None
    if f == 0:
        return None
    space = [ns.symbols[x] for x in bounds]
    lap = sum((sp.diff(f, x, 2) for x in space), sp.Integer(0))
    mu = sp.simplify(-lap / f)
    if mu.free_symbols & set(space):
        return None
    values = _exact(ns, params)
    if not float(mu.subs(values)) > 0 or not _vanishes(f.subs(values), space, bounds):
        return None
    return f, mu


def _exact(ns: Namespace, params: dict[str, float]) -> dict:
    """Parameter values as rationals, so sin(pi*L/L) is exactly zero."""
    return {ns.symbols[k]: sp.nsimplify(v, rational=True) for k, v in params.items()}


def _vanishes(f: sp.Expr, space: list[sp.Symbol], bounds: dict[str, tuple[float, float]]) -> bool:
    for x, (lo, hi) in zip(space, bounds.values(), strict=True):
        for edge in (lo, hi):
            if sp.simplify(f.subs(x, sp.nsimplify(edge, rational=True))) != 0:
                return False
    return True


def vanishes_on_box(profile: str, bounds: dict[str, tuple[float, float]]) -> bool:
    """Whether ``profile`` is zero on every side of the box (checked symbolically)."""
    ns = _namespace(list(bounds), [])
    try:
        f = ns.parse(profile)
    except ExpressionError:
        return False
    return _vanishes(f, [ns.symbols[x] for x in bounds], bounds)


def heat_reference(profile: str, bounds, params, kappa: str) -> str | None:
    mode = laplace_mode(profile, bounds, params)
    if mode is None:
        return None
    f, mu = mode
    k, t = _positive(kappa), sp.Symbol("t", real=True)
    return sp.sstr(f * sp.exp(-k * mu * t))


def wave_reference(profile: str, bounds, params, speed: str) -> str | None:
    """The standing wave from rest: ``f cos(c sqrt(mu) t)``."""
    mode = laplace_mode(profile, bounds, params)
    if mode is None:
        return None
    f, mu = mode
    c, t = _positive(speed), sp.Symbol("t", real=True)
    return sp.sstr(f * sp.cos(c * sp.sqrt(mu) * t))


def advected_reference(
    profile: str, length: float, params: dict[str, float], speed: str
) -> str | None:
    """``f(x - a t)`` when ``f`` is periodic with the domain's length."""
    ns = _namespace(["x"], list(params))
    try:
        f = ns.parse(profile)
    except ExpressionError:
        return None
    x = ns.symbols["x"]
    values = _exact(ns, params)
    period = sp.nsimplify(length, rational=True)
    shifted = sp.simplify((f.subs(x, x + period) - f).subs(values))
    if shifted != 0:
        return None
    a, t = _positive(speed), sp.Symbol("t", real=True)
    return sp.sstr(f.subs(x, x - a * t))


def manufactured_source(solution: str, space: list[str], params: list[str]) -> str | None:
    """``-laplacian(u)`` for a manufactured solution ``u``."""
    ns = _namespace(space, params)
    try:
        u = ns.parse(solution)
    except ExpressionError:
        return None
    lap = sum((sp.diff(u, ns.symbols[x], 2) for x in space), sp.Integer(0))
    return sp.sstr(sp.simplify(-lap))


def bratu_midpoint(lam: float) -> float | None:
    """u(1/2) on the lower branch of u'' + lam e^u = 0, u(0) = u(1) = 0 (closed form:
    theta = sqrt(2 lam) cosh(theta/4), u(1/2) = 2 ln cosh(theta/4)); ``None`` above the fold."""
    from scipy.optimize import brentq

    if lam <= 0:
        return None
    theta_c = 4.798714560  # where the two roots merge (KNOWN_ANSWERS: Bratu 1D)

    def g(theta: float) -> float:
        return theta - math.sqrt(2 * lam) * math.cosh(theta / 4)

    if g(theta_c) < 0:
        return None  # no root: lam above the fold lam_c = 3.5138...
    theta = brentq(g, 0.0, theta_c, xtol=1e-15, rtol=1e-15)
    return 2 * math.log(math.cosh(theta / 4))


#: the sympy hints of linear ODEs with constant coefficients (solved exactly, quickly)
_LINEAR_CONSTANT = (
    "nth_linear_constant_coeff_homogeneous",
    "nth_linear_constant_coeff_undetermined_coefficients",
)


def ode_reference(
    equation: str, unknown: str, initial: dict[int, str], params: dict[str, float]
) -> str | None:
    """See :func:`_ode_reference` (memoised: a pure function of its arguments)."""
    return _ode_reference(
        equation, unknown, tuple(sorted(initial.items())), tuple(sorted(params.items()))
    )


@functools.lru_cache(maxsize=256)
def _ode_reference(
    equation: str,
    unknown: str,
    initial_items: tuple[tuple[int, str], ...],
    param_items: tuple[tuple[str, float], ...],
) -> str | None:
    """The exact solution of a linear ODE with constant coefficients and numeric initial
    values (sympy ``dsolve``), checked by substitution (``checkodesol`` and the initial values);
    ``None`` for any other equation. Parameters stay symbols (positive), so the reference
    keeps their units; no value is guessed."""
    initial, params = dict(initial_items), dict(param_items)
    t = sp.Symbol("t", real=True)
    y = sp.Function(unknown)
    names = set(re.findall(r"[A-Za-z_]\w*", equation)) - {"diff", unknown, "t"} - MATH_NAMES
    if names - set(params):
        return None
    symbols = {n: sp.Symbol(n, positive=True) for n in params}
    text = re.sub(rf"\b{re.escape(unknown)}\b(?!\s*\()", f"{unknown}(t)", equation)
    try:
        lhs, rhs = (
            sp.sympify(side, locals={**symbols, unknown: y, "t": t, "diff": sp.diff})
            for side in text.split("=")
        )
        ode = sp.nsimplify(sp.Eq(lhs, rhs), rational=True)  # 0.4 -> 2/5: exact, and fast
        order = sp.ode_order(ode, y(t))
        if order < 1 or sorted(initial) != list(range(order)):
            return None
        values = {k: _initial_value(v) for k, v in initial.items()}
        ics = {(y(t).diff(t, k).subs(t, 0) if k else y(0)): v for k, v in values.items()}
        solution = None
        for hint in _LINEAR_CONSTANT:  # a hint that does not apply raises ValueError
            try:
                solution = sp.dsolve(ode, y(t), ics=ics, hint=hint)
                break
            except ValueError:
                continue
        if solution is None:
            return None
        if isinstance(solution, list) or solution.rhs.has(sp.I):
            return None
        ok, _ = sp.checkodesol(ode, solution)
        f = solution.rhs
        for k, v in values.items():
            if sp.simplify(f.diff(t, k).subs(t, 0) - v) != 0:
                return None
    except Exception:
        return None
    return sp.sstr(f) if ok else None


def _initial_value(v: str) -> sp.Expr:
    """A number (exact rational), or a name standing for one (kept symbolic)."""
    try:
        return sp.nsimplify(float(v), rational=True)
    except ValueError:
        return sp.Symbol(v, real=True)


MATH_NAMES = frozenset(
    {"sin", "cos", "exp", "log", "sqrt", "pi", "E", "tan", "sinh", "cosh", "tanh"}
)
