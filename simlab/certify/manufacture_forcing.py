"""Manufactured specs by an explicit forcing term: equations without a source slot.

ODE systems (Robertson, SEIR-D) and nonlinear PDEs (Bratu, Fisher-KPP) have no definition a
solver reads that could carry a source, and no closed-form family. The manufactured spec
then adds one term per equation, written into the equation's text::

    diff(y1, t) = -k1*y1 + k3*y2*y3 + mms_forcing_y1
    mms_forcing_y1: <sympy's residual of the manufactured y1, y2, y3>

with ``mms_forcing_<unknown>`` a definition of the coordinates and time (Roache; Salari and
Knupp). simlab's own compile reads it as any definition; a supplied module reads it from
``spec["si"]["forcing"]`` and declares ``SOLVER["forcing"] = True`` (simlab.sandbox.protocol).
Each unknown's manufactured solution is a smooth bump in time, ``A_k (c_k + sin(arc)
exp(s_k tau))`` (``arc`` from 0.15 pi to 0.85 pi as ``tau`` covers the span; one interior
maximum, at a different time for each unknown, so a swapped compartment shows; nonzero at
both ends) times the boundary modes in space (a different mode per unknown); a
front-speed observable gets a travelling ``2 level / (1 + exp(2 (x - x_s - c t)/w))`` instead.
Observables that are not point values are evaluated on the manufactured solution too:
extrema, means, integrals and L2 norms over the box, the time of a peak, a front's speed.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import replace

import numpy as np
import sympy as sp

from simlab.certify.manufacture import (
    FIELD_KINDS,
    MIN_DECAY,
    MODES,
    TIME_FACTOR,
    Manufactured,
    _box,
    _coefficient_factors,
    _face_data,
    _mode,
    _mode_kinds,
    _moved_time,
    _num,
    _over_box,
    _peak_time,
    _substitute,
    _text,
    _vanishes,
    compiled,
)
from simlab.certify.parameter_points import scale_time
from simlab.problem import compile_problem
from simlab.problem.model import Problem
from simlab.sandbox.protocol import FORCING_PREFIX
from simlab.spec.model import (
    BoundaryCondition,
    Equation,
    InitialCondition,
    Parameter,
    Spec,
)
from simlab.spec.parse import parse
from simlab.spec.render import render

PEAK = re.compile(r"^\s*peak_time\(\s*([A-Za-z_]\w*)\s*\)\s*$")
TIME_KINDS = ("peak_time", "time_max", "time_min")
"""Functionals of a trajectory that are times of its extremum."""


def forced(spec: Spec) -> Manufactured | str:
    """The manufactured spec of ``spec`` with one forcing term per equation, or why not."""
    problem = compiled(spec)
    if isinstance(problem, str):
        return problem
    owners = _owners(problem)
    if isinstance(owners, str):
        return owners
    geometry = problem.geometry
    modes: dict[str, dict[str, str]] = {}
    if geometry is not None and geometry.dimension:
        for f in problem.fields:
            kinds = _mode_kinds(problem, f.name)
            if isinstance(kinds, str):
                return kinds
            modes[f.name] = kinds
    elif problem.time is None:
        return "neither space nor time: nothing to manufacture"
    factors = _coefficient_factors(spec)
    fronts = {f.unknown for f in problem.functionals if f.kind == "front_speed"}
    reason = ""
    for offset in range(len(MODES)):  # modes whose nodes miss every observed point
        rng = np.random.default_rng(_seed(spec))
        values = {k: v * factors.get(k, 1.0) for k, v in problem.parameters.items()}
        solutions, symbols = _solutions(problem, modes, fronts, values, rng, offset)
        if isinstance(solutions, str):
            return solutions
        numeric = {problem.symbols.get(k, sp.Symbol(k)): v for k, v in values.items()}
        exact, skipped = _exact(problem, solutions, numeric, values)
        if not isinstance(exact, str):
            break
        reason = exact
    else:
        return reason
    forcing = _forcing(problem, owners, solutions)
    if not exact:
        return "no observable can be evaluated on the manufactured solution: " + "; ".join(
            skipped.values()
        )
    made = _write(spec, problem, owners, solutions, forcing, factors, values, symbols)
    text = render(made)
    parsed = parse(text)
    check = _verify(parsed, solutions)
    if check:
        return f"the manufactured spec does not hold its own solution: {check}"
    shown = "; ".join(f"{n} = {u}" for n, u in solutions.items())
    return Manufactured(parsed, text, exact, "forcing", shown, factors, skipped)


# ---------------------------------------------------------------- which equation is whose


def _owners(problem: Problem) -> dict[int, str] | str:
    """Each equation's unknown: the one it differentiates in time, else to the highest order."""
    owners: dict[int, str] = {}
    time = problem.time.name if problem.time else None
    for e in problem.equations:
        timed = [j.unknown for j in e.jets if any(a == time for a, _ in j.orders)]
        ranked = sorted(e.jets, key=lambda j: -sum(k for _, k in j.orders))
        owner = timed[0] if timed else (ranked[0].unknown if ranked else None)
        if owner is None or owner in owners.values():
            return (
                f"equation '{e.text}' has no unknown of its own (each equation needs one for "
                "its forcing term)"
            )
        owners[e.index] = owner
    if set(owners.values()) != set(problem.unknown_names):
        return "the equations do not pair one to one with the unknowns"
    return owners


def _seed(spec: Spec) -> int:
    return int.from_bytes(hashlib.sha256(("forcing" + render(spec)).encode()).digest()[:4], "big")


# ---------------------------------------------------------------- the manufactured fields


def _solutions(
    problem: Problem,
    modes: dict[str, dict[str, str]],
    fronts: set[str | None],
    values: dict[str, float],
    rng: np.random.Generator,
    offset: int = 0,
) -> tuple[dict[str, sp.Expr] | str, dict[str, str]]:
    """``u_m`` per unknown (SI symbols), and the new parameters' declared units."""
    t = problem.time_symbol
    t0 = problem.time.start if problem.time else 0.0
    units: dict[str, str] = {}
    tau = None
    if t is not None:
        values["mms_time"] = problem.time.span * TIME_FACTOR
        tau = (t - _num(t0)) / sp.Symbol("mms_time")
    lengths = {}
    if problem.geometry is not None:
        for n, lo, hi in _box(problem):
            lengths[n] = sp.Symbol(f"mms_length_{n}")
            values[f"mms_length_{n}"] = hi - lo
    skews = rng.permutation(np.array([-1.2, -0.6, 0.0, 0.6, 1.2, 1.8, -1.8]))
    out: dict[str, sp.Expr] = {}
    for k, f in enumerate(problem.fields):
        amp = sp.Symbol(f"mms_amplitude_{f.name}")
        values[f"mms_amplitude_{f.name}"] = _amplitude(problem, f.name) * f.scale
        units[f"mms_amplitude_{f.name}"] = f.unit or ""
        if f.name in fronts:
            front = _front(problem, f.name, tau, lengths, values)
            if isinstance(front, str):
                return front, units
            out[f.name] = front
            continue
        shape = sp.Integer(1)
        if tau is not None:
            base = sp.Float(round(float(rng.uniform(0.3, 0.6)), 3))
            skew = sp.Float(float(skews[k % skews.size]))
            # nonzero at both ends, one interior maximum (moved by the skew)
            arc = sp.pi * (sp.Rational(3, 20) + sp.Rational(7, 10) * tau)
            shape = base + sp.sin(arc) * sp.exp(skew * tau)
        if f.name in modes:  # unequal modes per unknown and per axis
            for a, (n, lo, _hi) in enumerate(_box(problem)):
                xi = (problem.symbols[n] - _num(lo)) / lengths[n]
                shape *= _mode(modes[f.name][n], MODES[(k + a + offset) % len(MODES)], xi)
        out[f.name] = amp * shape
    return out, units


def _front(
    problem: Problem,
    name: str,
    tau: sp.Expr | None,
    lengths: dict[str, sp.Symbol],
    values: dict[str, float],
) -> sp.Expr | str:
    """A travelling front: it crosses ``level`` at ``x_s + c (t - t0)``, so its speed is ``c``.

    A front invading an unstable state is stable only when it moves at least as fast as the
    linear spreading speed ``c* = 2 sqrt(D a)`` of that state (``D`` the diffusivity, ``a`` the
    growth rate of ``u_t = D u_xx + a u`` linearized there; van Saarloos 2003): a slower
    manufactured front is overtaken by the natural one. It moves at ``max(1/4 of the box per
    span, 1.25 c*)`` from 3/20 of the box, and must stay inside 17/20 of it; its tail decays
    like ``exp(-sqrt(a/D) x)``, a shape whose perturbations shrink at that speed.
    """
    functional = next(f for f in problem.functionals if f.kind == "front_speed")
    if problem.geometry is None or problem.geometry.dimension != 1 or tau is None:
        return "a front speed needs one space coordinate and time"
    (n, lo, hi) = _box(problem)[0]
    x = problem.symbols[n]
    level = float(functional.level if functional.level is not None else 0.5)
    spread, steepness = _spreading_speed(problem, name, n, values)
    span, length = values["mms_time"], hi - lo
    fraction = max(0.25, 1.25 * spread * span / length)
    if fraction > 0.7:
        return (
            f"a stable manufactured front (speed >= 1.25 x the spreading speed {spread:.3g}) "
            "would leave the box within the time span"
        )
    values["mms_front_speed"] = fraction * length / span
    size = lengths[n]
    centre = _num(lo) + size * (sp.Rational(3, 20) + sp.Float(round(fraction, 12)) * tau)
    # the tail decays like exp(-lam* x), lam* = sqrt(a / D): a perturbation of that shape
    # then decays at a rate 2a - c lam* = -a/2 for c = 1.25 c* (with no growth: 1/25 of the box)
    width = sp.Float(round(2.0 / steepness / length, 12)) if steepness else sp.Rational(1, 25)
    # level (1 - tanh z) as a logistic: no cancellation where it is tiny, so the forcing ahead
    # of the front is as small as the front, not round-off of 1 - 1 (which e^{a t} amplifies)
    return 2 * level / (1 + sp.exp(2 * (x - centre) / (size * width)))


def _spreading_speed(
    problem: Problem, name: str, axis: str, values: dict[str, float]
) -> tuple[float, float]:
    """``2 sqrt(D a)`` and ``sqrt(a / D)`` of ``u_t = D u_xx + a u`` (linearized at ``u = 0``);
    zeros when that state does not grow."""
    equation = next((e for e in problem.equations if any(j.unknown == name for j in e.jets)), None)
    if equation is None:
        return 0.0, 0.0
    numeric = {problem.symbols.get(k, sp.Symbol(k)): v for k, v in values.items()}
    jets = {tuple(sorted(j.orders)): j.symbol for j in equation.jets if j.unknown == name}
    at_zero = {s: 0 for s in jets.values()}
    time = problem.time.name

    def coefficient(orders: tuple) -> float:
        symbol = jets.get(orders)
        if symbol is None:
            return 0.0
        value = sp.diff(equation.jet_residual, symbol).xreplace(at_zero).xreplace(numeric)
        try:
            return float(value)
        except TypeError:
            return 0.0

    rate_t = coefficient(((time, 1),))
    if rate_t == 0.0:
        return 0.0, 0.0
    diffusivity = -coefficient(((axis, 2),)) / rate_t
    growth = -coefficient(()) / rate_t
    if diffusivity > 0 and growth > 0:
        return 2.0 * math.sqrt(diffusivity * growth), math.sqrt(growth / diffusivity)
    return 0.0, 0.0


def _amplitude(problem: Problem, name: str) -> float:
    """A size in the unknown's declared unit: 3/4 of the largest initial value among the
    unknowns sharing its unit (a product that starts at zero gets its reactant's scale)."""
    field = problem.field_of(name)
    same = [f for f in problem.fields if f.unit == field.unit] or [field]
    size = 0.0
    for f in same:
        start = problem.initial_of(f.name)
        if start is None:
            continue
        try:
            fn = problem.function(start.value)
            args: list[np.ndarray] = []
            if problem.geometry is not None and problem.geometry.dimension:
                grid = [np.linspace(lo, hi, 9) for _, lo, hi in _box(problem)]
                args = list(np.meshgrid(*grid, indexing="ij"))
            if problem.time is not None:
                args.append(np.full_like(args[0], problem.time.start) if args else np.array(0.0))
            size = max(size, float(np.max(np.abs(fn(*args)))) / f.scale)
        except (ValueError, TypeError, KeyError):
            continue
    return 0.75 * size if size > 0 and math.isfinite(size) else 1.0


# ---------------------------------------------------------------- the forcing terms


def _forcing(
    problem: Problem, owners: dict[int, str], solutions: dict[str, sp.Expr]
) -> dict[str, sp.Expr]:
    """``F_u`` such that each equation, with ``+ F_u`` on its right side, holds ``u_m``."""
    out = {}
    for e in problem.equations:
        owner = owners[e.index]
        residual = e.residual
        for name, u_m in solutions.items():
            residual = _substitute(residual, name, u_m)
        # lhs - (rhs + F) = 0  =>  F = lhs - rhs at u_m
        out[owner] = residual
    return out


# ---------------------------------------------------------------- the exact observables


def _exact(
    problem: Problem,
    solutions: dict[str, sp.Expr],
    numeric: dict,
    values: dict[str, float],
) -> tuple[dict[str, float] | str, dict[str, str]]:
    t = problem.time_symbol
    t0 = problem.time.start if problem.time else 0.0
    end = _moved_time(problem.time.end, t0) if problem.time else None
    exact: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for f in problem.functionals:
        name = f.unknown
        peak = PEAK.match(f.definition or "")
        if f.kind == "unsupported" and peak and peak.group(1) in solutions and t is not None:
            exact[f.name] = _peak_time(solutions[peak.group(1)], t, numeric, t0, end)
            continue
        if f.kind in TIME_KINDS and name in solutions and t is not None:
            sign = -1.0 if f.kind == "time_min" else 1.0
            exact[f.name] = _peak_time(solutions[name], t, numeric, t0, end, sign)
            continue
        if f.kind == "final" and name in solutions and t is not None:
            exact[f.name] = float(solutions[name].xreplace(numeric).xreplace({t: end}).evalf())
            continue
        if name not in solutions:
            skipped[f.name] = (
                f"the observable is a {f.kind} ({f.definition}) simlab cannot evaluate"
            )
            continue
        u = solutions[name].xreplace(numeric)
        when = _moved_time(f.time, t0) if f.time is not None else end
        if f.kind == "front_speed":
            exact[f.name] = values["mms_front_speed"]
            continue
        at_time = u.xreplace({t: when}) if t is not None and when is not None else u
        if f.kind == "point":
            where = {problem.symbols[n]: v for n, v in f.at}
            value = float(at_time.xreplace(where).evalf())
            size = values[f"mms_amplitude_{name}"]
            if not math.isfinite(value) or abs(value) < MIN_DECAY * size:
                return f"'{f.name}' sits near a zero of the manufactured solution", skipped
            exact[f.name] = value
        elif f.kind in FIELD_KINDS and problem.geometry is not None:
            exact[f.name] = _over_box(f, at_time, problem)
        else:
            skipped[f.name] = f"the observable is a {f.kind} ({f.definition})"
    return exact, skipped


# ---------------------------------------------------------------- the spec, written


def _write(
    spec: Spec,
    problem: Problem,
    owners: dict[int, str],
    solutions: dict[str, sp.Expr],
    forcing: dict[str, sp.Expr],
    factors: dict[str, float],
    values: dict[str, float],
    units: dict[str, str],
) -> Spec:
    params = [
        replace(p, value=float(p.value) * factors[p.name]) if p.name in factors else p
        for p in spec.equations.parameters
    ]
    coords = {c.name: c for c in spec.domain.coordinates}
    if problem.geometry is not None:
        for n in problem.geometry.names:
            c = coords[n]
            params.append(Parameter(f"mms_length_{n}", c.upper - c.lower, c.unit))
    for f in problem.fields:
        key = f"mms_amplitude_{f.name}"
        params.append(Parameter(key, values[key] / f.scale, units.get(key) or f.unit))
    if spec.domain.time is not None:
        time = spec.domain.time
        params.append(Parameter("mms_time", (time.upper - time.lower) * TIME_FACTOR, time.unit))
    definitions = dict(spec.equations.definitions)
    for owner, term in forcing.items():
        definitions[FORCING_PREFIX + owner] = _text(term)
    equations = tuple(
        Equation(f"{e.text} + {FORCING_PREFIX}{owners[i]}", e.name)
        for i, e in enumerate(spec.equations.equations)
    )
    t = problem.time_symbol
    t0 = problem.time.start if problem.time else 0.0
    initial = []
    if t is not None:
        for f in problem.fields:
            u = solutions[f.name]
            initial.append(InitialCondition(f.name, _text(u.xreplace({t: _num(t0)}))))
            if f.time_order == 2:
                rate = sp.diff(u, t).xreplace({t: _num(t0)})
                initial.append(InitialCondition(f.name, _text(rate), derivative=1))
    boundary = tuple(_face(problem, c, solutions) for c in spec.boundary.conditions)
    made = replace(
        spec,
        title=f"{spec.title} (manufactured, forced)",
        equations=replace(
            spec.equations,
            parameters=tuple(params),
            definitions=definitions,
            equations=equations,
        ),
        boundary=replace(spec.boundary, conditions=boundary),
        initial=replace(spec.initial, conditions=tuple(initial)) if initial else spec.initial,
        tolerance=replace(spec.tolerance, references={}, thresholds={}),
    )
    return scale_time(made, TIME_FACTOR) if spec.domain.time is not None else made


def _face(
    problem: Problem, condition: BoundaryCondition, solutions: dict[str, sp.Expr]
) -> BoundaryCondition:
    """Dirichlet, Neumann or Robin data of the manufactured unknown on the face."""
    if condition.type not in ("dirichlet", "neumann", "robin") or problem.geometry is None:
        return condition
    name = condition.unknown or (problem.unknown_names[0] if problem.fields else None)
    if name not in solutions:
        return condition
    return replace(condition, value=_face_data(problem, condition, solutions[name]))


def _verify(spec: Spec, solutions: dict[str, sp.Expr]) -> str:
    """The written spec's equations (as a solver reads them) hold every ``u_m``."""
    problem = compile_problem(spec)
    if problem.reasons:
        return "; ".join(problem.reasons)
    numeric = {problem.symbols.get(k, sp.Symbol(k)): v for k, v in problem.parameters.items()}
    for e in problem.equations:
        residual = e.residual
        scale = sp.Integer(0)
        for name, u_m in solutions.items():
            by_name = {s: problem.symbols.get(s.name, s) for s in u_m.free_symbols}
            u = u_m.xreplace(by_name)
            residual = _substitute(residual, name, u)
            scale += sp.Abs(u)
        if not _vanishes(residual, numeric, scale):
            return f"equation '{e.text}' is not satisfied"
    return ""
