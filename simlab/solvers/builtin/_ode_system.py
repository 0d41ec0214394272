"""A system of first-order ODEs ``y' = f(t, y)`` read from a spec's equations.

Every equation must hold exactly one first-order time derivative of one unknown, entering
linearly (``c(t, y) * diff(u, t) + g(t, y) = 0`` gives ``u' = -g / c``), and every unknown must
have exactly one such equation. Parameters are substituted by their SI values, so the
right-hand side, its Jacobian ``df/dy`` (``sympy.Matrix.jacobian``) and ``df/dt`` are exact
symbolic derivatives, lambdified to numpy.

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

from simlab.solvers.builtin._problem import time_span
from simlab.solvers.builtin._structure import as_number
from simlab.solvers.spec_values import SpecValues
from simlab.spec.expressions import safe_name
from simlab.spec.units import to_base

StateFn = Callable[[float, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class OdeSystem:
    """``y' = f(t, y)`` on ``[t0, t_end]`` (SI), with its structure.

    Attributes:
        names: the unknowns, in the order of ``y``.
        units: their declared units.
        time: the time coordinate's name.
        t0, t_end: the time interval in seconds.
        y0: the initial state (SI).
        t: the time symbol of ``rhs_exprs``; ``y``: one symbol per unknown.
        rhs_exprs: ``f_i`` with parameters substituted (SI).
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


def read_ode_system(values: SpecValues) -> OdeSystem | str:
    """The spec's equations as a first-order ODE system, or why they are not one."""
    spec = values.spec
    if spec.domain.time is None:
        return "the problem has no time interval: not an initial-value ODE problem"
    if spec.domain.coordinates:
        names = ", ".join(c.name for c in spec.domain.coordinates)
        return f"the domain has space coordinates ({names}): a PDE, not an ODE system"
    span = time_span(values)
    if isinstance(span, str):
        return span
    time = spec.domain.time.name
    unknowns = spec.equations.unknowns
    if not unknowns:
        return "the spec declares no unknowns"
    for u in unknowns:
        if tuple(u.depends_on) != (time,):
            return (
                f"unknown '{u.name}' depends on {list(u.depends_on)}; an ODE unknown depends "
                f"on the time '{time}' only"
            )
    ns = values.namespace.symbols
    t_sym = ns[safe_name(time)]
    applied = {u.name: ns[safe_name(u.name)] for u in unknowns}
    symbolic = _governing_equations(values, applied, t_sym)
    if isinstance(symbolic, str):
        return symbolic
    states = tuple(sp.Dummy(u.name, real=True) for u in unknowns)
    to_states = {applied[u.name]: s for u, s in zip(unknowns, states, strict=True)}
    exprs_symbolic = [symbolic[u.name].subs(to_states) for u in unknowns]
    exprs = tuple(e.subs(values.substitutions) for e in exprs_symbolic)
    allowed = {t_sym, *states}
    for u, expr in zip(unknowns, exprs, strict=True):
        problem = _unusable(expr, allowed)
        if problem:
            return f"the right-hand side of diff({u.name}, {time}) {problem}"
    y0 = _initial_state(values, unknowns)
    if isinstance(y0, str):
        return y0
    # parameters stay symbols and are passed as numbers: lambdify would print them with 15 digits
    parameters = tuple(values.substitutions)
    numbers = np.array([values.substitutions[p] for p in parameters], dtype=float)
    matrix = sp.Matrix(exprs_symbolic)
    units = tuple(u.unit for u in unknowns)

    def function(expr: sp.Matrix, shape: tuple[int, ...]) -> StateFn:
        return _vector_function(t_sym, states, parameters, numbers, expr, shape)

    nonnegative, monotone = _sign_structure(values, exprs_symbolic, states, y0)
    return OdeSystem(
        names=tuple(u.name for u in unknowns),
        units=units,
        time=time,
        t0=span[0],
        t_end=span[1],
        y0=y0,
        t=t_sym,
        y=states,
        rhs_exprs=exprs,
        rhs=function(matrix, (len(states),)),
        jacobian=function(matrix.jacobian(list(states)), (len(states), len(states))),
        time_derivative=function(matrix.diff(t_sym), (len(states),)),
        conserved_total=len(set(units)) == 1 and _is_zero(sum(exprs_symbolic)),
        nonnegative=nonnegative,
        monotone=monotone,
    )


def _governing_equations(
    values: SpecValues, applied: dict[str, sp.Expr], t_sym: sp.Symbol
) -> dict[str, sp.Expr] | str:
    """``{unknown: f}`` from ``diff(unknown, t) = f``, one equation per unknown."""
    spec = values.spec
    if len(spec.equations.equations) != len(applied):
        return (
            f"{len(spec.equations.equations)} equations for {len(applied)} unknowns; an ODE "
            "system needs one equation diff(u, t) = f per unknown"
        )
    try:
        relations = values.relations
    except Exception as exc:  # unreadable equations are reported, not raised
        return f"the equations cannot be read: {exc}"
    by_function = {expr: name for name, expr in applied.items()}
    found: dict[str, sp.Expr] = {}
    for equation, relation in zip(spec.equations.equations, relations, strict=True):
        text = equation.text
        if relation.op != "=":
            return f"'{text}' is a relation '{relation.op}', not an equation"
        residual = relation.lhs - relation.rhs
        derivatives = residual.atoms(sp.Derivative)
        if not derivatives:
            return (
                f"'{text}' holds no time derivative: an algebraic equation (a DAE); the ODE "
                "solver needs diff(u, t) = f for every unknown"
            )
        if len(derivatives) > 1:
            shown = ", ".join(sorted(map(str, derivatives)))
            return (
                f"'{text}' holds several derivatives ({shown}); write one diff(u, t) per equation"
            )
        (derivative,) = derivatives
        name = by_function.get(derivative.expr)
        if name is None:
            return f"'{text}' differentiates '{derivative.expr}', which is not an unknown"
        counts = dict(derivative.variable_count)
        order = counts.get(t_sym, 0)
        if set(counts) != {t_sym}:
            return f"'{text}' differentiates in {sorted(map(str, counts))}, not in time only"
        if order != 1:
            return (
                f"'{text}' is of order {order} in time; the ODE solver integrates first-order "
                f"systems: introduce v = diff({name}, {t_sym}) and write two first-order "
                "equations"
            )
        if name in found:
            return f"two equations hold diff({name}, {t_sym}); each unknown needs exactly one"
        slope = sp.Dummy("slope")
        linear = residual.subs(derivative, slope)
        coefficient = sp.diff(linear, slope)
        if coefficient.has(slope) or coefficient == 0:
            return f"'{text}' is not linear in diff({name}, {t_sym}): an implicit ODE"
        if relation.lhs == derivative:
            found[name] = relation.rhs
        else:
            found[name] = sp.simplify(-linear.subs(slope, 0) / coefficient)
    return found


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


def _initial_state(values: SpecValues, unknowns: tuple) -> np.ndarray | str:
    """``y(t0)`` in SI: a plain number is in the unknown's unit, an expression is in SI."""
    t0 = values.time_range[0] if values.time_range else 0.0
    time = values.spec.domain.time
    state = []
    for u in unknowns:
        ic = values.spec.initial.of(u.name)
        if ic is None:
            return f"no initial value for '{u.name}' (Initial Conditions: {u.name}: <value>)"
        try:
            number = float(ic.value)
        except ValueError:
            number = None
        if number is not None:
            state.append(to_base(number, u.unit))
            continue
        try:
            expr = values.expression(ic.value)
            if time is not None:
                expr = expr.subs(values.namespace.symbols[safe_name(time.name)], t0)
        except Exception as exc:
            return f"the initial value '{ic.value}' of '{u.name}' cannot be read: {exc}"
        value = as_number(expr)
        if value is None:
            return (
                f"the initial value '{ic.value}' of '{u.name}' is not a real number "
                f"(free symbols {sorted(map(str, expr.free_symbols))})"
            )
        state.append(value)
    y0 = np.array(state, dtype=float)
    if not np.all(np.isfinite(y0)):
        return f"the initial state {y0} is not finite"
    return y0


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
    values: SpecValues,
    exprs: list[sp.Expr],
    states: tuple[sp.Symbol, ...],
    y0: np.ndarray,
) -> tuple[bool, tuple[int, ...]]:
    """(non-negative orthant invariant, monotonicity of each unknown on it)."""
    signs = _signed_parameters(values)
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


def _signed_parameters(values: SpecValues) -> dict[sp.Symbol, sp.Expr]:
    """Each numeric parameter as a symbol carrying only its sign (0 where it is 0)."""
    out: dict[sp.Symbol, sp.Expr] = {}
    for symbol, value in values.substitutions.items():
        if value > 0:
            out[symbol] = sp.Dummy(symbol.name, positive=True)
        elif value < 0:
            out[symbol] = -sp.Dummy(symbol.name, positive=True)
        else:
            out[symbol] = sp.Integer(0)
    return out
