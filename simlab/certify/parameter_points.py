"""Parameter points beyond calibration: a supplied solver checked where nobody tuned it.

A module can be right at the one point its author tried (or cached) and wrong everywhere
else. simlab draws ``COUNT`` points near the spec's own (every numeric coefficient of the
equations, directly or through a definition they use, scaled by ``exp(U(-SPREAD, SPREAD))``;
parameters only of the initial or boundary data, e.g. a length tying ``sin(pi x/L)`` to the
domain, are left alone so the drawn problem stays the same kind of problem) from a seed
derived from the spec's text (recorded, so a run is reproducible), solves each with the
module on its declared resolutions, and compares with
simlab's own cross-solve there. References are dropped at a drawn point: a number or a closed
form written for the spec's parameters need not hold at others.

Agreement at a drawn point *supports* the answer (it is about another point); disagreement
beyond the combined bounds of two clean studies *refutes* the solver. A study that is not
clean at the point (not monotone, order off) is inconclusive there, never a refutation.
"""

from __future__ import annotations

import hashlib
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
    """``count`` specs with perturbed numeric parameters, and the factors used."""
    rng = np.random.default_rng(seed)
    used = coefficients(spec)
    numeric = [
        p for p in spec.equations.parameters if p.is_numeric and p.value != 0 and p.name in used
    ]
    out = []
    for _ in range(count):
        factors = {p.name: float(np.exp(rng.uniform(-SPREAD, SPREAD))) for p in numeric}
        params = tuple(
            replace(p, value=float(p.value) * factors[p.name]) if p.name in factors else p
            for p in spec.equations.parameters
        )
        tol = replace(spec.tolerance, references={"*": Reference("extrapolation")})
        edited = replace(spec, equations=replace(spec.equations, parameters=params), tolerance=tol)
        out.append((edited, factors))
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
    # solvers may memoise solves by id(spec): keep the drawn specs alive as long as the solver
    kept = getattr(solver, "__dict__", {}).setdefault("_drawn_specs", [])
    kept += [p for pair in points for p, _ in pair]
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
