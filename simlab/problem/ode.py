"""A compiled Problem as a system of first-order ODEs ``y' = f(t, y)``.

Read from the Problem's jets (the spec is not read again): every equation must hold exactly
one first-order time derivative of one unknown, entering linearly (``c(t, y) u' + g(t, y) =
0`` gives ``u' = -g / c``), and every unknown must have exactly one such equation. The
right-hand side keeps its parameters as symbols (``symbolic``) for continuation and
sensitivities; ``rhs``, ``jacobian`` (``df/dy``) and ``time_derivative`` (``df/dt``) are the
exact sympy derivatives lambdified at the Problem's parameter values.

Structure the audits use is computed from the equations, never from names:

* ``conserved_total``: the unknowns share one unit and ``sum_i f_i`` simplifies to 0 (with the
  parameters kept symbolic, so no float cancellation decides it);
* ``nonnegative``: the non-negative orthant is invariant, i.e. ``f_i >= 0`` wherever ``y_i = 0``
  and every other state is ``>= 0`` (quasi-positivity, decided by sympy with sign assumptions
  taken from the parameter values), and ``y(t0) >= 0``;
* ``monotone``: on that orthant ``f_i >= 0`` (``+1``, non-decreasing) or ``f_i <= 0`` (``-1``).

A sign sympy cannot decide (time-dependent coefficients, mixed-sign terms) makes no claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from simlab.problem.cache import IdentityCache
from simlab.problem.model import Problem

StateFn = Callable[[float, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class OdeSystem:
    """``y' = f(t, y)`` on ``[t0, t_end]`` (SI), with its structure.

    Attributes:
        names: the unknowns, in the order of ``y``; ``units``: their declared units.
        time: the time coordinate's name; ``t0``, ``t_end``: the interval in seconds.
        y0: the initial state (SI).
        t: the time symbol; ``y``: one symbol per unknown.
        symbolic: ``f_i`` with the parameters as symbols; ``parameters``: symbol -> SI value.
        rhs_exprs: ``f_i`` with the parameter values substituted.
        rhs, jacobian, time_derivative: numpy callables ``f``, ``df/dy``, ``df/dt`` of ``(t, y)``.
        conserved_total, nonnegative, monotone: see the module docstring.
    """

    names: tuple[str, ...]
    units: tuple[str | None, ...]
    time: str
    t0: float
    t_end: float
    y0: np.ndarray
    t: sp.Symbol
    y: tuple[sp.Symbol, ...]
    symbolic: tuple[sp.Expr, ...]
    parameters: dict[sp.Symbol, float]
    rhs_exprs: tuple[sp.Expr, ...]
    rhs: StateFn
    jacobian: StateFn
    time_derivative: StateFn
    conserved_total: bool
    nonnegative: bool
    monotone: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        return self.names.index(name)


_SYSTEMS: IdentityCache[OdeSystem | str] = IdentityCache(size=64)


_REDUCED: IdentityCache[OdeSystem | str] = IdentityCache(size=64)


def ode_system(problem: Problem) -> OdeSystem | str:
    """The problem as a first-order ODE system, or why it is not one (cached per Problem)."""
    return _SYSTEMS.get(problem, lambda: _read(problem, reduce=False))


def first_order_system(problem: Problem) -> OdeSystem | str:
    """The problem as a first-order system, higher-order equations reduced (cached).

    An unknown ``u`` whose equation holds ``diff(u, t, m)`` (``m > 1``, entering linearly)
    gets the states ``u, u', ..., u^(m-1)`` (named by :func:`derivative_state`), with
    ``(u^(k))' = u^(k+1)`` and the equation solved for ``u^(m)``; their initial values are the
    spec's ``diff(u, t, k)`` initial conditions. Without higher orders it is
    :func:`ode_system`'s system.
    """
    return _REDUCED.get(problem, lambda: _read(problem, reduce=True))


def derivative_state(unknown: str, time: str, order: int) -> str:
    """The state of ``diff(unknown, time, order)`` in a reduced system (order 0: ``unknown``)."""
    if order == 0:
        return unknown
    return f"diff({unknown}, {time})" if order == 1 else f"diff({unknown}, {time}, {order})"


def _read(problem: Problem, reduce: bool) -> OdeSystem | str:
    if problem.time is None:
        return "the problem has no time interval: not an initial-value ODE problem"
    if problem.geometry is not None and problem.geometry.names:
        names = ", ".join(problem.geometry.names)
        return f"the domain has space coordinates ({names}): a PDE, not an ODE system"
    if problem.reasons:
        return "; ".join(problem.reasons)
    t0, t_end = problem.time.start, problem.time.end
    if not t_end > t0:
        return f"the time interval [{t0}, {t_end}] is empty"
    time = problem.time.name
    if not problem.fields:
        return "the spec declares no unknowns"
    for f in problem.fields:
        if tuple(f.depends_on) != (time,):
            return (
                f"unknown '{f.name}' depends on {list(f.depends_on)}; an ODE unknown depends "
                f"on the time '{time}' only"
            )
    t_sym = problem.symbols[time]
    orders = _time_orders(problem) if reduce else {f.name: 1 for f in problem.fields}
    if isinstance(orders, str):
        return orders
    # one state per unknown and derivative below its order: (name, unknown, derivative)
    layout = [
        (derivative_state(f.name, time, k), f.name, k)
        for f in problem.fields
        for k in range(orders[f.name])
    ]
    states = tuple(sp.Dummy(name, real=True) for name, _, _ in layout)
    symbolic = _governing(problem, states, layout, orders)
    if isinstance(symbolic, str):
        return symbolic
    parameters = {
        problem.symbols[k]: float(v) for k, v in problem.parameters.items() if k in problem.symbols
    }
    exprs = tuple(e.xreplace({s: sp.Float(v) for s, v in parameters.items()}) for e in symbolic)
    allowed = {t_sym, *states}
    for (name, _, _), expr in zip(layout, exprs, strict=True):
        trouble = _unusable(expr, allowed)
        if trouble:
            return f"the right-hand side of diff({name}, {time}) {trouble}"
    y0 = _initial_state(problem, t_sym, parameters, layout)
    if isinstance(y0, str):
        return y0
    # parameters stay symbols and are passed as numbers: lambdify would print them with 15 digits
    order = tuple(parameters)
    numbers = np.array([parameters[p] for p in order], dtype=float)
    matrix = sp.Matrix(symbolic)

    def function(expr: sp.Matrix, shape: tuple[int, ...]) -> StateFn:
        return _vector_function(t_sym, states, order, numbers, expr, shape)

    reduced = len(layout) > len(problem.fields)
    unit_of = {f.name: f.unit for f in problem.fields}
    # a derivative state has its own unit (u / s^k): no shared unit, no conserved total
    units = tuple(unit_of[u] if k == 0 else None for _, u, k in layout)
    nonnegative, monotone = _sign_structure(parameters, list(symbolic), states, y0)
    return OdeSystem(
        names=tuple(name for name, _, _ in layout),
        units=units,
        time=time,
        t0=t0,
        t_end=t_end,
        y0=y0,
        t=t_sym,
        y=states,
        symbolic=tuple(symbolic),
        parameters=parameters,
        rhs_exprs=exprs,
        rhs=function(matrix, (len(states),)),
        jacobian=function(matrix.jacobian(list(states)), (len(states), len(states))),
        time_derivative=function(matrix.diff(t_sym), (len(states),)),
        conserved_total=not reduced and len(set(units)) == 1 and _is_zero(sum(symbolic)),
        nonnegative=nonnegative,
        monotone=monotone,
    )


Layout = list[tuple[str, str, int]]
"""One entry per state: (state name, unknown, order of its time derivative)."""


def _time_orders(problem: Problem) -> dict[str, int] | str:
    """Each unknown's highest time derivative in the equations (its number of states)."""
    time = problem.time.name  # type: ignore[union-attr]
    orders = {f.name: 0 for f in problem.fields}
    for eq in problem.equations:
        for jet in eq.jets:
            if jet.unknown in orders and jet.orders:
                by_axis = dict(jet.orders)
                if set(by_axis) != {time}:
                    return f"'{eq.text}' differentiates in {sorted(by_axis)}, not in time only"
                orders[jet.unknown] = max(orders[jet.unknown], by_axis[time])
    return orders


def _governing(
    problem: Problem, states: tuple[sp.Symbol, ...], layout: Layout, orders: dict[str, int]
) -> list[sp.Expr] | str:
    """``f_i`` (parameters symbolic): each equation solved for its one highest derivative.

    Without reduction every order is 1; a reduced unknown's lower derivatives are states.
    """
    time = problem.time.name  # type: ignore[union-attr]
    names = problem.unknown_names
    if len(problem.equations) != len(names):
        return (
            f"{len(problem.equations)} equations for {len(names)} unknowns; an ODE system "
            "needs one equation diff(u, t) = f per unknown"
        )
    index = {(u, k): i for i, (_, u, k) in enumerate(layout)}
    values = {
        jet.symbol: states[index[(jet.unknown, dict(jet.orders).get(time, 0))]]
        for eq in problem.equations
        for jet in eq.jets
        if (jet.unknown, dict(jet.orders).get(time, 0)) in index and set(dict(jet.orders)) <= {time}
    }
    found: dict[str, sp.Expr] = {}
    for eq in problem.equations:
        rates = [j for j in eq.jets if j.orders]
        if not rates:
            return (
                f"'{eq.text}' holds no time derivative: an algebraic equation (a DAE); the ODE "
                "solver needs diff(u, t) = f for every unknown"
            )
        top = [j for j in rates if dict(j.orders).get(time, 0) >= orders.get(j.unknown, 1)]
        if len(top) != 1 or (len(rates) > 1 and max(orders.values()) == 1):
            return f"'{eq.text}' holds several derivatives; write one diff(u, t) per equation"
        (rate,) = top
        by_axis = dict(rate.orders)
        if set(by_axis) != {time}:
            return f"'{eq.text}' differentiates in {sorted(by_axis)}, not in time only"
        if by_axis[time] != orders[rate.unknown]:
            return (
                f"'{eq.text}' is of order {by_axis[time]} in time; the ODE solver integrates "
                f"first-order systems: introduce v = diff({rate.unknown}, {time}) and write two "
                "first-order equations"
            )
        if rate.unknown in found:
            return f"two equations hold diff({rate.unknown}, {time}); each needs exactly one"
        coefficient = sp.diff(eq.jet_residual, rate.symbol)
        if coefficient.has(rate.symbol) or coefficient == 0:
            return f"'{eq.text}' is not linear in diff({rate.unknown}, {time}): an implicit ODE"
        rest = -eq.jet_residual.subs(rate.symbol, 0)
        f = rest if coefficient == 1 else sp.simplify(rest / coefficient)
        found[rate.unknown] = f.xreplace(values)
    # (u^(k))' = u^(k+1) below the top; the top derivative from its equation
    return [states[index[(u, k + 1)]] if k + 1 < orders[u] else found[u] for _, u, k in layout]


def _is_zero(expr: sp.Expr) -> bool:
    """``expr == 0`` identically: expanded, else simplified if random points cannot refute it."""
    expanded = sp.expand(expr)
    if expanded == 0:
        return True
    rng = np.random.default_rng(0)
    symbols = sorted(expanded.free_symbols, key=str)
    for _ in range(3):
        point = {s: sp.Float(rng.uniform(0.5, 2.0)) for s in symbols}
        value = complex(sp.N(expanded.subs(point)))
        if abs(value) > 1e-9:
            return False  # refuted at a point: simplify (slow) is not needed
    return sp.simplify(expanded) == 0


def _unusable(expr: sp.Expr, allowed: set[sp.Symbol]) -> str | None:
    """Why a right-hand side cannot be lambdified to a real function of ``(t, y)``."""
    undefined = sorted({str(f.func) for f in expr.atoms(AppliedUndef)})
    if undefined:
        return f"calls undefined function(s) {undefined}"
    if expr.atoms(sp.Derivative) or expr.atoms(sp.Integral):
        return "holds a derivative or an integral of an unknown"
    free = sorted(str(s) for s in expr.free_symbols - allowed)
    if free:
        return f"depends on {free}, which have no numeric value"
    if expr.has(sp.I):
        return "is complex; the ODE solver integrates real systems"
    return None


def _initial_state(
    problem: Problem, t_sym: sp.Symbol, parameters: dict[sp.Symbol, float], layout: Layout
) -> np.ndarray | str:
    """``y(t0)`` in SI from the Problem's initial data (``diff(u, t, k)`` for derivative states)."""
    state = []
    for name, unknown, k in layout:
        ic = problem.initial_of(unknown, k)
        if ic is None:
            return f"no initial value for '{name}' (Initial Conditions: {name}: <value>)"
        expr = sp.sympify(ic.value).xreplace({s: sp.Float(v) for s, v in parameters.items()})
        expr = expr.subs(t_sym, problem.time.start)  # type: ignore[union-attr]
        value = as_number(expr)
        if value is None:
            return (
                f"the initial value of '{name}' is not a real number "
                f"(free symbols {sorted(map(str, expr.free_symbols))})"
            )
        state.append(value)
    y0 = np.array(state, dtype=float)
    if not np.all(np.isfinite(y0)):
        return f"the initial state {y0} is not finite"
    return y0


def as_number(expr: sp.Expr) -> float | None:
    """``expr`` as a real float when it has no free symbols, else ``None``."""
    if expr.free_symbols:
        return None
    value = complex(sp.N(expr))
    if abs(value.imag) > 1e-14 * max(1.0, abs(value.real)):
        return None
    return value.real


def _vector_function(
    t_sym: sp.Symbol,
    states: tuple[sp.Symbol, ...],
    parameters: tuple[sp.Symbol, ...],
    numbers: np.ndarray,
    matrix: sp.Matrix,
    shape: tuple[int, ...],
) -> StateFn:
    raw = sp.lambdify((t_sym, list(states), list(parameters)), matrix, modules="numpy", cse=True)

    def call(t: float, y: np.ndarray) -> np.ndarray:
        return np.asarray(raw(t, y, numbers), dtype=float).reshape(shape)

    return call


def _sign_structure(
    parameters: dict[sp.Symbol, float],
    exprs: list[sp.Expr],
    states: tuple[sp.Symbol, ...],
    y0: np.ndarray,
) -> tuple[bool, tuple[int, ...]]:
    """(non-negative orthant invariant, monotonicity of each unknown on it)."""
    signs = {
        s: sp.Dummy(s.name, positive=True)
        if v > 0
        else -sp.Dummy(s.name, positive=True)
        if v < 0
        else sp.Integer(0)
        for s, v in parameters.items()
    }
    nonneg = {s: sp.Dummy(s.name, nonnegative=True) for s in states}
    on_orthant = [e.subs(signs).subs(nonneg) for e in exprs]
    quasi_positive = all(
        bool(e.subs(nonneg[s], 0).is_nonnegative) for e, s in zip(on_orthant, states, strict=True)
    )
    invariant = quasi_positive and bool(np.all(y0 >= 0.0))
    if not invariant:
        return False, (0,) * len(states)
    monotone = tuple(1 if e.is_nonnegative else -1 if e.is_nonpositive else 0 for e in on_orthant)
    return True, monotone
