"""Parameter points beyond calibration: a supplied solver checked where nobody tuned it.

A module can be right at the one point its author tried (or cached) and wrong everywhere
else. simlab draws ``COUNT`` points near the spec's own from a seed derived from the spec's
text (recorded, so a run is reproducible): every numeric coefficient of the equations
(directly or through a definition they use), the time span with the observation times, an
initial amplitude when the equations are linear, and a domain length together with the
parameter naming it (``L`` in ``sin(pi x/L)``), each scaled by ``exp(U(-SPREAD, SPREAD))``:
whatever a solver could hard-code moves. It solves each with the module on its declared
resolutions and compares with simlab's own cross-solve there.
References are dropped at a drawn point: a number or a closed
form written for the spec's parameters need not hold at others.

Agreement at a drawn point *supports* the answer (it is about another point); disagreement
beyond the combined bounds of two clean studies *refutes* the solver. A study that is not
clean at the point (not monotone, order off) is inconclusive there, never a refutation.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from simlab.certify.evidence import Evidence, Kind, Verdict
from simlab.errors import SimlabError
from simlab.solvers.protocol import SpecSolver
from simlab.spec.model import Reference, Spec

COUNT = 2
SPREAD = 0.1
"""Each numeric parameter is scaled by a factor in [e^-0.1, e^0.1] (about ±10 %)."""


def seed_of(spec: Spec) -> int:
    """A seed from the spec's text: the same spec draws the same points."""
    from simlab.spec.render import render

    return int.from_bytes(hashlib.sha256(render(spec).encode()).digest()[:4], "big")


def draw(spec: Spec, seed: int, count: int = COUNT) -> list[tuple[Spec, dict[str, float]]]:
    """``count`` drawn specs and the factors used.

    Drawn, each by ``exp(U(-SPREAD, SPREAD))``: every coefficient of the equations; the time
    span (observation times move with it, relative to the start); an initial amplitude (a
    parameter only the initial data use) when the equations are linear in the unknowns; a
    domain length together with the parameter that names it (``L`` in ``sin(pi x/L)``), the
    boundaries and observation points moving with it. Everything a solver could hard-code.
    """
    rng = np.random.default_rng(seed)
    used = coefficients(spec)
    numeric = [
        p for p in spec.equations.parameters if p.is_numeric and p.value != 0 and p.name in used
    ]
    amplitudes = _amplitudes(spec, used)
    lengths = _lengths(spec, used)
    out = []
    for _ in range(count):
        factors = {p.name: float(np.exp(rng.uniform(-SPREAD, SPREAD))) for p in numeric}
        factors |= {name: float(np.exp(rng.uniform(-SPREAD, SPREAD))) for name in amplitudes}
        moved = {c: float(np.exp(rng.uniform(-SPREAD, SPREAD))) for c in lengths}
        time_factor = float(np.exp(rng.uniform(-SPREAD, SPREAD)))
        params = tuple(
            replace(p, value=float(p.value) * factors[p.name]) if p.name in factors else p
            for p in spec.equations.parameters
        )
        tol = replace(spec.tolerance, references={"*": Reference("extrapolation")})
        edited = replace(spec, equations=replace(spec.equations, parameters=params), tolerance=tol)
        for coordinate, factor in moved.items():
            edited = scale_coordinate(edited, coordinate, factor, lengths[coordinate])
            factors[f"length of {coordinate}"] = factor
        if spec.domain.time is not None:
            edited = scale_time(edited, time_factor)
            factors["time span"] = time_factor
        out.append((edited, factors))
    return out


def scale_time(spec: Spec, factor: float) -> Spec:
    """The time span scaled by ``factor`` from its start; observation times move with it."""
    time = spec.domain.time
    lo = time.lower
    domain = replace(spec.domain, time=replace(time, upper=lo + (time.upper - lo) * factor))
    observables = tuple(
        replace(o, definition=_move(o.definition, time.name, lo, factor)) for o in spec.observables
    )
    return replace(spec, domain=domain, observables=observables)


def scale_coordinate(spec: Spec, name: str, factor: float, parameters: list[str]) -> Spec:
    """A coordinate's range scaled from its lower end, with the length parameters naming it,
    the boundary at its upper end and the observation points along it."""
    coords = tuple(
        replace(c, upper=c.lower + (c.upper - c.lower) * factor) if c.name == name else c
        for c in spec.domain.coordinates
    )
    coord = next(c for c in spec.domain.coordinates if c.name == name)
    boundaries = tuple(
        replace(b, where=_move(b.where, name, coord.lower, factor)) for b in spec.domain.boundaries
    )
    params = tuple(
        replace(p, value=float(p.value) * factor) if p.name in parameters else p
        for p in spec.equations.parameters
    )
    observables = tuple(
        replace(o, definition=_move(o.definition, name, coord.lower, factor))
        for o in spec.observables
    )
    return replace(
        spec,
        domain=replace(spec.domain, coordinates=coords, boundaries=boundaries),
        equations=replace(spec.equations, parameters=params),
        observables=observables,
    )


def _move(text: str | None, name: str, origin: float, factor: float) -> str | None:
    """``name = value`` in ``text`` moved to ``origin + (value - origin) * factor``."""
    if text is None:
        return None

    def move(match: re.Match[str]) -> str:
        value = origin + (float(match.group(2)) - origin) * factor
        return f"{match.group(1)}{value:.12g}"

    return re.sub(
        rf"(\b{re.escape(name)}\s*=\s*)([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)", move, text
    )


def _amplitudes(spec: Spec, used: set[str]) -> list[str]:
    """Parameters that only scale the initial data, when the equations are linear."""
    if not _linear(spec):
        return []
    elsewhere = " ".join(
        [c.value or "" for c in spec.boundary.conditions]
        + [str(v) for v in spec.equations.definitions.values()]
        + [o.definition or "" for o in spec.observables]
    )
    out = []
    for p in spec.equations.parameters:
        if not p.is_numeric or p.value == 0 or p.name in used:
            continue
        pattern = rf"\b{re.escape(p.name)}\b"
        if re.search(pattern, elsewhere):
            continue
        starts = [c.value for c in spec.initial.conditions if re.search(pattern, c.value)]
        if starts and all(_proportional(text, p.name) for text in starts):
            out.append(p.name)
    return out


def _proportional(text: str, name: str) -> bool:
    """``text`` is ``name`` times an expression free of it."""
    import sympy as sp

    try:
        expr = sp.sympify(text.replace("^", "**"))
    except (sp.SympifyError, TypeError, SyntaxError):
        return False
    symbol = sp.Symbol(name)
    return symbol in expr.free_symbols and sp.simplify(expr - symbol * sp.diff(expr, symbol)) == 0


def _linear(spec: Spec) -> bool:
    """Every equation is linear in the unknowns and their derivatives."""
    import sympy as sp

    from simlab.problem import compile_problem

    problem = compile_problem(spec)
    if problem.reasons or not problem.equations:
        return False
    for e in problem.equations:
        jets = [j.symbol for j in e.jets]
        for a in jets:
            for b in jets:
                if sp.diff(e.jet_residual, a, b) != 0:
                    return False
    return True


def _lengths(spec: Spec, used: set[str]) -> dict[str, list[str]]:
    """Coordinates whose length a parameter names (``L`` = upper - lower), with the names.

    Only those: a domain scaled without the parameter tying the data to it (``sin(pi x)``
    on [0, 1]) would no longer be the same kind of problem.
    """
    from simlab.spec.units import to_base

    out: dict[str, list[str]] = {}
    for c in spec.domain.coordinates:
        try:
            length = to_base(c.upper - c.lower, c.unit)
        except (ValueError, TypeError, SimlabError):
            continue
        names = []
        for p in spec.equations.parameters:
            if not p.is_numeric or p.name in used:
                continue
            try:
                value = to_base(float(p.value), p.unit)
            except (ValueError, TypeError, SimlabError):
                continue
            if length and math.isclose(value, length, rel_tol=1e-12):
                names.append(p.name)
        if names:
            out[c.name] = names
    return out


def coefficients(spec: Spec) -> set[str]:
    """Names the equations use, directly or through the definitions they use."""
    names: set[str] = set()
    todo = [e.text for e in spec.equations.equations]
    while todo:
        for token in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", todo.pop()):
            if token in names:
                continue
            names.add(token)
            if token in spec.equations.definitions:
                todo.append(str(spec.equations.definitions[token]))
    return names


def parameter_point_evidence(
    spec: Spec,
    independent: Spec,
    solver: SpecSolver,
    tolerance: Callable[[Spec], Callable[[str, float], float | None]],
    observe: Callable[[Spec, str, Any], Any],
    *,
    family: str | None,
    time_budget: float,
) -> dict[str, list[Evidence]]:
    """Evidence pieces (one per drawn point) for every observable of ``spec``."""
    from simlab.certify.cross_solve import cross_solve
    from simlab.certify.study import run_study

    seed = seed_of(independent)
    names = [o.name for o in spec.observables]
    out: dict[str, list[Evidence]] = {n: [] for n in names}
    points = list(zip(draw(spec, seed), draw(independent, seed), strict=True))
    for k, ((point, factors), (free, _)) in enumerate(points, start=1):
        label = f"drawn point {k} (seed {seed})"
        numbers = {"seed": seed, "point": k, "factors": factors}
        try:
            # the module on its declared resolutions only: no refinement at drawn points
            study = run_study(solver, point, tolerance(point), time_budget=0.0)
        except SimlabError as exc:
            for n in names:
                out[n].append(Evidence(Kind.CROSS_SOLVE, Verdict.FAILS, numbers, f"{label}: {exc}"))
            continue
        observables = [observe(point, name, res) for name, res in study.results.items()]
        clean = {o.name: not any("(S3)" in r for r in o.reasons) for o in observables}
        crossed = cross_solve(
            free, solver, observables, tolerance(free), family=family, time_budget=time_budget
        )
        for obs in observables:
            piece = crossed.get(obs.name)
            if piece is None:
                continue
            status = piece.status
            if status == Verdict.CONFIRMS:
                status = Verdict.SUPPORTS
            elif status == Verdict.REFUTES and not clean[obs.name]:
                status = Verdict.FAILS
            message = f"{label}: {piece.message}"
            if piece.status == Verdict.REFUTES and status == Verdict.FAILS:
                message += "; the module's own study is not clean there, so inconclusive"
            out[obs.name].append(
                Evidence(Kind.CROSS_SOLVE, status, numbers | piece.numbers, message)
            )
    return out
