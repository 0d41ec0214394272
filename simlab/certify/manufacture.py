"""Manufactured specs: a smooth solution of the spec's own equations, written back as a spec.

simlab picks ``u_m = A T(t) Phi(x)``: ``Phi`` a product of boundary modes (a sine where the
spec holds the unknown, a cosine where it holds the flux, a shifted sine at a periodic pair),
so the spec's boundary *types* are kept and their data derived from ``u_m``; ``T`` follows
the time span. Two ways to make it exact (Roache; Salari and Knupp):

* **source**: an equation has a source slot, a definition it uses linearly (``-laplacian(u)
  = f``): sympy derives the slot's expression that makes ``u_m`` exact;
* **exact family**: no slot but linear homogeneous equations: the time factor's rate (or
  a travelling wave's speed) is solved so that ``u_m`` satisfies the equations as written.

Either way the equations' coefficients are moved off the spec's values, the time span is
shortened (observation times move with it), and the amplitude and lengths enter as new
parameters (``mms_amplitude``, ``mms_length_<x>``) so the data stay in the spec's units.
A solver that reads its spec solves the manufactured one; one that hard-codes a
coefficient, an end time or an answer does not. What cannot be manufactured this way
(systems without a slot per equation, nonlinear equations without a slot, offset units,
Robin ends, eigenproblems) is returned as a reason.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp
from scipy import integrate as quad
from scipy.optimize import minimize, minimize_scalar

from simlab.certify.parameter_points import coefficients, scale_time
from simlab.problem import compile_problem
from simlab.problem.model import Functional, Problem
from simlab.spec.model import (
    BoundaryCondition,
    InitialCondition,
    Parameter,
    Reference,
    Spec,
)
from simlab.spec.parse import parse
from simlab.spec.render import render

TIME_FACTOR = 0.8
"""The manufactured time span is this fraction of the spec's (observation times move too)."""
MODES = (2, 3, 1)
"""Mode numbers tried, first the one a solver written for the spec's own mode cannot mimic;
in 2-D and 3-D unequal modes per axis come first, so a transposed or symmetrized solver
cannot pass."""
MIN_PROBE = 0.2
"""|Phi| (relative to the amplitude) at every observed point must be at least this ..."""
MIN_DECAY = 0.01
"""... and the time factor at every observed time at least this."""
FIELD_KINDS = ("max", "min", "mean", "integral", "l2_norm")
"""Functionals over the box that are evaluated on the manufactured field."""
SAMPLES = 401


@dataclass(frozen=True)
class Manufactured:
    """A manufactured spec (parsed from its own text) and its exact observables (SI)."""

    spec: Spec
    text: str
    exact: dict[str, float]
    strategy: str
    solution: str
    factors: dict[str, float]
    skipped: dict[str, str]
    """Observables that are not point values, with the reason."""


def compiled(spec: Spec) -> Problem | str:
    """The compiled problem, or why no manufactured solution can be written for it."""
    problem = compile_problem(spec)
    if problem.reasons:
        return "the spec does not compile to sympy equations: " + "; ".join(problem.reasons)
    if problem.eigenvalue:
        return "an eigenproblem: its observables are eigenvalues, not point values of a field"
    offset = [f.name for f in problem.fields if f.offset]
    if offset:
        return f"the unit of {', '.join(offset)} has an offset (manufactured data are affine)"
    return problem


def manufacture(spec: Spec) -> Manufactured | str:
    """The manufactured spec of ``spec``, or why none can be written."""
    problem = compiled(spec)
    if isinstance(problem, str):
        return problem
    if len(problem.fields) != 1:
        return (
            f"a system of {len(problem.fields)} unknowns without a source slot in every "
            "equation (a manufactured solution needs a source term the solver reads)"
        )
    unknown = problem.fields[0]
    points = {f.name: f for f in problem.functionals if f.kind in ("point", *FIELD_KINDS)}
    skipped = {
        f.name: f"the observable is a {f.kind} ({f.definition}), not a functional of a field"
        for f in problem.functionals
        if f.name not in points
    }
    if not points:
        return "no observable is a point value of the field: " + "; ".join(skipped.values())
    if problem.geometry is None or not problem.geometry.dimension:
        return "no spatial domain: the equations have no source slot and no mode to manufacture"
    modes = _mode_kinds(problem, unknown.name)
    if isinstance(modes, str):
        return modes
    factors = _coefficient_factors(spec)
    slot = _source_slot(spec)
    time_order = unknown.time_order
    if slot is None and time_order == 0:
        return (
            "stationary equations without a source slot (a definition the equation uses "
            "linearly, e.g. '-laplacian(u) = f'): nothing to manufacture with"
        )
    for m in _mode_numbers(problem.geometry.dimension):
        made = _attempt(spec, problem, modes, m, slot, factors)
        if isinstance(made, Manufactured):
            return replace(made, skipped=skipped)
        reason = made
    return reason


# ---------------------------------------------------------------- pieces


def _mode_kinds(problem: Problem, unknown: str) -> dict[str, str] | str:
    """Per coordinate: 'DD', 'NN', 'DN', 'ND' or 'P' from the boundary condition types."""
    conditions = problem.conditions_on(unknown)
    letters = {"dirichlet": "D", "neumann": "N", "robin": "R", "periodic": "P"}
    out = {}
    for name in problem.geometry.names:
        ends = [conditions.get((name, end)) for end in ("lower", "upper")]
        if any(c is None for c in ends):
            return f"no boundary condition on a face of '{name}'"
        kinds = "".join(letters.get(c.kind, "?") for c in ends)
        if "?" in kinds:
            return f"a {ends[0].kind}/{ends[1].kind} boundary on '{name}' (no mode for it)"
        out[name] = "P" if kinds == "PP" else kinds
    return out


def _mode_numbers(dimension: int) -> list[tuple[int, ...]]:
    """Mode numbers per axis, in the order tried."""
    if dimension == 1:
        return [(m,) for m in MODES]
    tuples = itertools.product(sorted(MODES), repeat=dimension)
    return sorted(tuples, key=lambda ms: (len(set(ms)) < dimension, sum(ms), ms))


def _mode(kind: str, m: int, xi: sp.Expr) -> sp.Expr:
    """A mode of ``xi`` in [0, 1] that satisfies the homogeneous boundary types.

    With a Robin end the data are derived from the mode instead: neither the value nor the
    slope vanishes there, so both terms of ``du/dn + alpha u`` are exercised.
    """
    if "R" in kind:
        k = (m - sp.Rational(1, 4)) * sp.pi
        if kind[0] == "D":
            return sp.sin(k * xi)
        if kind[0] == "N":
            return sp.cos(k * xi)
        return sp.sin(k * xi + sp.Rational(1, 3))
    if kind == "DD":
        return sp.sin(m * sp.pi * xi)
    if kind == "NN":
        return sp.cos(m * sp.pi * xi)
    if kind == "DN":
        return sp.sin((m - sp.Rational(1, 2)) * sp.pi * xi)
    if kind == "ND":
        return sp.cos((m - sp.Rational(1, 2)) * sp.pi * xi)
    return sp.sin(2 * m * sp.pi * xi + sp.Rational(1, 3))  # periodic: a phase off the nodes


def _coefficient_factors(spec: Spec) -> dict[str, float]:
    """Each coefficient of the equations moved by 5-15 % (seeded by the spec's text)."""
    seed = int.from_bytes(hashlib.sha256(("mms" + render(spec)).encode()).digest()[:4], "big")
    rng = np.random.default_rng(seed)
    used = coefficients(spec)
    out = {}
    for p in spec.equations.parameters:
        if p.is_numeric and p.value != 0 and p.name in used:
            out[p.name] = float(np.exp(rng.choice((-1.0, 1.0)) * rng.uniform(0.05, 0.15)))
    return out


def _source_slot(spec: Spec) -> str | None:
    """A definition that one equation uses and that depends on no unknown (a source term)."""
    unknowns = {u.name for u in spec.equations.unknowns}
    for name, text in spec.equations.definitions.items():
        tokens = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", str(text)))
        if tokens & (unknowns | {"diff", "laplacian", "grad", "div"}):
            continue
        users = [
            e for e in spec.equations.equations if re.search(rf"\b{re.escape(name)}\b", e.text)
        ]
        if len(users) == 1:
            return name
    return None


def _attempt(
    spec: Spec,
    problem: Problem,
    modes: dict[str, str],
    m: tuple[int, ...],
    slot: str | None,
    factors: dict[str, float],
) -> Manufactured | str:
    geometry = problem.geometry
    unknown = problem.fields[0]
    amp = sp.Symbol("mms_amplitude")
    t = problem.time_symbol
    t0 = problem.time.start if problem.time else 0.0
    span = problem.time.span * TIME_FACTOR if problem.time else 0.0
    lengths = {n: sp.Symbol(f"mms_length_{n}") for n in geometry.names}
    phi = sp.Integer(1)
    for n, lo, k in zip(geometry.names, geometry.lower, m, strict=True):
        xi = (problem.symbols[n] - _num(lo)) / lengths[n]
        phi *= _mode(modes[n], k, xi)
    values = {k: v * factors.get(k, 1.0) for k, v in problem.parameters.items()}
    values |= {f"mms_length_{n}": hi - lo for n, lo, hi in _box(problem)}
    values["mms_amplitude"] = _amplitude(problem) * unknown.scale
    numeric = {problem.symbols.get(k, sp.Symbol(k)): v for k, v in values.items()}
    residuals = [e.residual for e in problem.equations]
    if slot is not None:
        strategy = "source"
        variant = compile_problem(_with_slot(spec, slot))
        if variant.reasons:
            return "the source slot does not compile: " + "; ".join(variant.reasons)
        slot_symbol = variant.symbols.get("mms_source", sp.Symbol("mms_source"))
        time_part = sp.Integer(1)
        if t is not None:
            tau = sp.Symbol("mms_time")
            values["mms_time"] = numeric[tau] = span
            time_part = sp.cos(sp.pi * (t - _num(t0)) / (3 * tau))
        u_m = amp * time_part * phi
        residual = _substitute(variant.equations[0].residual, unknown.name, u_m)
        solved = sp.solve(residual, slot_symbol)
        if len(solved) != 1:
            return f"the equation is not linear in its source slot '{slot}'"
        source = sp.simplify(solved[0])
    else:
        if len(residuals) != 1:
            return "more equations than unknowns without a source slot"
        made = _exact_family(
            residuals[0],
            unknown.name,
            unknown.time_order,
            amp,
            phi,
            t,
            t0,
            modes,
            problem,
            lengths,
            m,
            numeric,
        )
        if isinstance(made, str):
            return made
        strategy, u_m = made
        source = None
    # the observables: points at the moved times, far enough from the nodes of u_m
    exact = {}
    for f in problem.functionals:
        if f.kind in FIELD_KINDS:
            at_time = u_m.xreplace(numeric)
            if t is not None:
                moment = f.time if f.time is not None else problem.time.end
                at_time = at_time.xreplace({t: _moved_time(moment, t0)})
            exact[f.name] = _over_box(f, at_time, problem)
            continue
        if f.kind != "point":
            continue
        when = _moved_time(f.time, t0) if t is not None else None
        where = dict(f.at)
        at = {problem.symbols[n]: where[n] for n in geometry.names}
        if t is not None:
            at[t] = when
        value = float(u_m.xreplace(numeric).xreplace(at).evalf())
        shape = abs(float(phi.xreplace(numeric).xreplace(at).evalf()))
        size = values["mms_amplitude"]
        if not math.isfinite(value) or shape < MIN_PROBE or abs(value) < MIN_DECAY * size * shape:
            return f"modes {m}: '{f.name}' sits near a node of the manufactured solution"
        exact[f.name] = value
    mspec = _write(spec, problem, u_m, source, slot, factors, values, t0, span)
    text = render(mspec)
    parsed = parse(text)
    check = _verify(parsed, u_m, unknown.name, values)
    if check:
        return f"the manufactured spec does not hold its own solution: {check}"
    return Manufactured(parsed, text, exact, strategy, str(u_m), factors, {})


def _exact_family(
    residual: sp.Expr,
    name: str,
    time_order: int,
    amp: sp.Symbol,
    phi: sp.Expr,
    t: sp.Symbol | None,
    t0: float,
    modes: dict[str, str],
    problem: Problem,
    lengths: dict[str, sp.Symbol],
    m: tuple[int, ...],
    numeric: dict,
) -> tuple[str, sp.Expr] | str:
    """A separable (or travelling) solution of the homogeneous equation, its rate solved."""
    w = sp.Symbol("mms_rate")
    tau = t - _num(t0)
    candidates = []
    if time_order == 1:
        candidates.append(amp * sp.exp(-w * tau) * phi)
        if len(modes) == 1 and "P" in modes.values():
            (n,) = problem.geometry.names
            xi = (problem.symbols[n] - _num(problem.geometry.lower[0])) / lengths[n]
            candidates.append(amp * sp.sin(2 * m[0] * sp.pi * xi - w * tau + sp.Rational(1, 3)))
    elif time_order == 2:
        candidates.append(amp * sp.cos(w * tau) * phi)
    for u_m in candidates:
        r = _substitute(residual, name, u_m)
        for root in _roots(r, w, u_m):
            made = u_m.xreplace({w: root})
            if _vanishes(_substitute(residual, name, made), numeric, made):
                return "exact family", made
    return (
        "no source slot, and the equations have no solution in the separable or travelling "
        "families (nonlinear, or an inhomogeneous term)"
    )


def _roots(r: sp.Expr, w: sp.Symbol, u_m: sp.Expr) -> list[sp.Expr]:
    """Candidate rates: roots of the residual free of coordinates, real ones first."""
    try:
        ratio = sp.simplify(r / u_m)
        found = sp.solve(ratio, w) if w in ratio.free_symbols else []
        if not found:
            found = sp.solve(r, w)
    except (NotImplementedError, ValueError, TypeError):
        return []
    return sorted(
        (s for s in found if not (s.free_symbols & set(u_m.free_symbols) - {*s.free_symbols})),
        key=lambda s: -int(bool(s.is_positive)),
    )


def _substitute(residual: sp.Expr, name: str, u_m: sp.Expr) -> sp.Expr:
    """The residual with the unknown function replaced by ``u_m``, derivatives done."""
    return residual.replace(
        lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func.__name__ == name,
        lambda e: u_m,
    ).doit()


def _vanishes(residual: sp.Expr, numeric: dict, u_m: sp.Expr, samples: int = 6) -> bool:
    """``residual`` is zero (to round-off of ``u_m``'s terms) at a few points."""
    expr = residual.xreplace(numeric)
    scale = u_m.xreplace(numeric)
    free = sorted(expr.free_symbols | scale.free_symbols, key=str)
    rng = np.random.default_rng(0)
    for _ in range(samples):
        at = {s: float(rng.uniform(0.1, 0.9)) for s in free}
        try:
            r = complex(expr.xreplace(at).evalf())
            size = abs(complex(scale.xreplace(at).evalf()))
        except (TypeError, ValueError):
            return False
        if not abs(r) <= 1e-9 * max(size, 1e-300) * 1e3:
            return False
    return True


def _verify(spec: Spec, u_m: sp.Expr, name: str, values: dict[str, float]) -> str:
    """Check that the written spec's equations hold ``u_m`` (as the solver will read it)."""
    problem = compile_problem(spec)
    if problem.reasons:
        return "; ".join(problem.reasons)
    numeric = {problem.symbols.get(k, sp.Symbol(k)): v for k, v in problem.parameters.items()}
    # u_m uses the same symbol names; rebuild it over the compiled problem's symbols
    by_name = {s.name: problem.symbols.get(s.name, s) for s in u_m.free_symbols}
    u = u_m.xreplace({s: by_name[s.name] for s in u_m.free_symbols})
    for e in problem.equations:
        if not _vanishes(_substitute(e.residual, name, u), numeric, u):
            return f"equation '{e.text}' is not satisfied"
    for key, v in values.items():
        if key.startswith("mms_") and not math.isclose(problem.parameters.get(key, math.nan), v):
            return f"parameter {key} reads {problem.parameters.get(key)} instead of {v}"
    return ""


def _write(
    spec: Spec,
    problem: Problem,
    u_m: sp.Expr,
    source: sp.Expr | None,
    slot: str | None,
    factors: dict[str, float],
    values: dict[str, float],
    t0: float,
    span: float,
) -> Spec:
    """The manufactured spec in the spec's own grammar and units."""
    unknown = problem.fields[0]
    params = [
        replace(p, value=float(p.value) * factors[p.name]) if p.name in factors else p
        for p in spec.equations.parameters
    ]
    coords = {c.name: c for c in spec.domain.coordinates}
    for n in problem.geometry.names:
        declared = coords[n]
        params.append(Parameter(f"mms_length_{n}", declared.upper - declared.lower, declared.unit))
    params.append(Parameter("mms_amplitude", values["mms_amplitude"] / unknown.scale, unknown.unit))
    if "mms_time" in values and spec.domain.time is not None:
        params.append(Parameter("mms_time", _declared_span(spec), spec.domain.time.unit))
    definitions = dict(spec.equations.definitions)
    if slot is not None and source is not None:
        definitions[slot] = _text(source)
    equations = replace(spec.equations, parameters=tuple(params), definitions=definitions)
    t = problem.time_symbol
    start = u_m.xreplace({t: _num(t0)}) if t is not None else u_m
    initial = []
    if t is not None:
        initial.append(InitialCondition(unknown.name, _text(start)))
        if unknown.time_order == 2:
            rate = sp.diff(u_m, t).xreplace({t: _num(t0)})
            initial.append(InitialCondition(unknown.name, _text(rate), derivative=1))
    boundary = tuple(
        c if c.type == "periodic" else replace(c, value=_face_data(problem, c, u_m))
        for c in spec.boundary.conditions
    )
    tolerance = replace(
        spec.tolerance, references={"*": Reference("analytic", _text(u_m))}, thresholds={}
    )
    made = replace(
        spec,
        title=f"{spec.title} (manufactured)",
        equations=equations,
        boundary=replace(spec.boundary, conditions=boundary),
        initial=replace(spec.initial, conditions=tuple(initial)) if initial else spec.initial,
        tolerance=tolerance,
    )
    return scale_time(made, TIME_FACTOR) if spec.domain.time is not None else made


def _face_data(problem: Problem, condition: BoundaryCondition, u_m: sp.Expr) -> str:
    """Dirichlet, Neumann or Robin data of ``u_m`` on the face (``du/dn + alpha u`` with the
    spec's own ``alpha``); zero for homogeneous modes."""
    face = next((f for f in problem.geometry.faces if f.name == condition.boundary), None)
    if face is None:
        return condition.value or "0"
    x = problem.symbols[face.coordinate]
    on_face = u_m if condition.type == "dirichlet" else face.normal_sign * sp.diff(u_m, x)
    if condition.type == "robin":
        alpha = sp.sympify(condition.alpha or "0", locals=dict(problem.symbols))
        on_face += alpha * u_m
    lower = problem.geometry.lower[problem.geometry.names.index(face.coordinate)]
    where = _num(lower)
    if face.end == "upper":  # exactly one mode length on: the modes' zeros are exact
        where += sp.Symbol(f"mms_length_{face.coordinate}")
    value = sp.simplify(on_face.xreplace({x: where}))
    return _text(value)


def _box(problem: Problem) -> list[tuple[str, float, float]]:
    g = problem.geometry
    return list(zip(g.names, g.lower, g.upper, strict=True))


def _amplitude(problem: Problem) -> float:
    """A size for ``u_m`` in the unknown's declared unit: 3/4 of the spec's initial data."""
    unknown = problem.fields[0]
    start = problem.initial_of(unknown.name)
    size = 0.0
    if start is not None:
        try:
            f = problem.function(start.value)
            grid = [np.linspace(lo, hi, 9) for _, lo, hi in _box(problem)]
            args = list(np.meshgrid(*grid, indexing="ij"))
            if problem.time is not None:
                args.append(np.full_like(args[0], problem.time.start))
            size = float(np.max(np.abs(f(*args)))) / unknown.scale
        except (ValueError, TypeError):
            size = 0.0
    return 0.75 * size if size > 0 and math.isfinite(size) else 1.0


def _declared_span(spec: Spec) -> float:
    time = spec.domain.time
    return (time.upper - time.lower) * TIME_FACTOR


def _moved_time(when: float | None, t0: float) -> float | None:
    return None if when is None else t0 + (when - t0) * TIME_FACTOR


def _with_slot(spec: Spec, slot: str) -> Spec:
    """``spec`` with its source definition replaced by a parameter ``mms_source``."""
    definitions = dict(spec.equations.definitions)
    definitions[slot] = "mms_source"
    params = (*spec.equations.parameters, Parameter("mms_source", 1.0, None))
    return replace(
        spec, equations=replace(spec.equations, definitions=definitions, parameters=params)
    )


def _num(value: float) -> sp.Expr:
    """A coordinate value as an exact number where it is one (0, 1, 2 ...)."""
    return sp.Integer(int(value)) if float(value).is_integer() else sp.Float(value)


def _text(expr: sp.Expr) -> str:
    """A sympy expression as spec text (``**`` powers, functions numpy knows)."""
    return sp.sstr(sp.nsimplify(expr, rational=False), full_prec=False)


def _peak_time(
    u: sp.Expr, t: sp.Symbol, numeric: dict, t0: float, end: float | None, sign: float = 1.0
) -> float:
    """The time of the maximum (``sign = -1``: minimum) of ``u(t)`` on the (moved) span:
    dense samples, then Brent."""
    fn = sp.lambdify(t, sign * u.xreplace(numeric), "numpy")
    ts = np.linspace(t0, end, SAMPLES)
    k = int(np.argmax(np.broadcast_to(fn(ts), ts.shape)))
    lo, hi = ts[max(k - 1, 0)], ts[min(k + 1, ts.size - 1)]
    best = minimize_scalar(
        lambda s: -float(fn(s)), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12 * end}
    )
    return float(best.x)


def _over_box(f: Functional, u: sp.Expr, problem: Problem) -> float:
    """Extremum, mean, integral or L2 norm of ``u`` over the box (adaptive quadrature)."""
    names = problem.geometry.names
    xs = [problem.symbols[n] for n in names]
    box = [(lo, hi) for _, lo, hi in _box(problem)]
    fn = sp.lambdify(xs, u, "numpy")
    if f.kind in ("max", "min"):
        sign = 1.0 if f.kind == "max" else -1.0
        grids = np.meshgrid(*[np.linspace(lo, hi, SAMPLES) for lo, hi in box], indexing="ij")
        vals = np.broadcast_to(sign * np.asarray(fn(*grids), dtype=float), grids[0].shape)
        k = np.unravel_index(int(np.argmax(vals)), vals.shape)
        start = [g[k] for g in grids]
        res = minimize(
            lambda p: -sign * float(fn(*p)),
            start,
            bounds=box,
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-13},
        )
        return sign * max(float(vals[k]), -float(res.fun))
    square = f.kind == "l2_norm"
    integrand = (lambda *p: float(fn(*p)) ** 2) if square else (lambda *p: float(fn(*p)))
    total = quad.nquad(integrand, box, opts={"epsabs": 0, "epsrel": 1e-12, "limit": 200})[0]
    if f.kind == "integral":
        return total
    if f.kind == "mean":
        return total / float(np.prod([hi - lo for lo, hi in box]))
    return math.sqrt(total)
