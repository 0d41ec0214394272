"""Independent cross-solve: a different solver of simlab's own on the same spec.

The primary answer's limit is confirmed when another solver (another method, or simlab's own
solver against a supplied module), run with its own default method (the spec's planned
discretization removed, unless no solver fits without it), converges, by its own
convergence study, to a value within the two studies' combined bounds:
``|a - b| <= bound_a + bound_b``. The cross-solver is chosen by what fits the spec's
structure, never by whether it could run the primary's declared method: a supplied module
that declares a method simlab does not have is still cross-solved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import chain
from typing import Any

from simlab.certify.evidence import Evidence, Kind, Verdict
from simlab.solvers.protocol import SpecSolver, registered
from simlab.spec.model import Spec

CROSS_BUDGET = 120.0
"""Seconds allowed for the cross-solve's convergence study."""

SIBLINGS = {"ode": {"ode", "ode_stiff"}, "ode_stiff": {"ode", "ode_stiff"}}
"""Families that differ only in how hard they are to integrate (stiffness), not in kind."""

_CACHE: dict[tuple[str, str], Any] = {}
"""Cross-solve studies by (solver, rendered spec): the bench solves one point many times."""


def cross_only() -> tuple[type[SpecSolver], ...]:
    """Solvers that only check (never chosen to answer a spec): see their modules."""
    from simlab.certify.front_cross import FrontEngineSolver
    from simlab.certify.ode_cross import ReducedOdeSolver

    return (FrontEngineSolver, ReducedOdeSolver)


def independent_solvers(
    spec: Spec, primary: SpecSolver, family: str | None = None
) -> list[SpecSolver]:
    """simlab's registered solvers that fit ``spec``, other than the primary itself.

    With the Judge's ``family``: that family's kernels, then the check-only solvers (each
    fits by the Problem's structure, whatever the family), then the general engine and finite
    elements (other families' kernels cannot fit and are not asked).
    """
    return list(fitting_solvers(spec, primary, family))


def fitting_solvers(
    spec: Spec, primary: SpecSolver, family: str | None = None
) -> Iterator[SpecSolver]:
    """:func:`independent_solvers` one at a time, each fitted only when asked for (a fit
    analyses the spec, e.g. the finite-element reader's sympy work)."""
    from simlab.solvers.families import GENERAL

    kin = SIBLINGS.get(family, {family}) if family is not None else None
    every = list(registered().items())
    classes = [(n, c) for n, c in every if c.family != GENERAL and (kin is None or c.family in kin)]
    classes += [(c().name, c) for c in cross_only()]
    classes += [(n, c) for n, c in every if c.family == GENERAL]
    # another discretization method first: the same stencils share their error (a heat kernel
    # and the engine agree to 1e-15 on the same grid), so they check the code, not the limit
    same = getattr(primary, "discretization", None)
    classes.sort(key=lambda nc: same is not None and nc[1].discretization == same)
    for name, cls in classes:
        if name == getattr(primary, "name", None) or isinstance(primary, cls):
            continue
        solver = cls()
        if not solver.independent_of(primary):
            continue
        try:
            ok = solver.fit(spec).ok
        except Exception:  # a fit that breaks on an odd spec simply does not fit
            ok = False
        if ok:
            yield solver


def cross_solve(
    spec: Spec,
    primary: SpecSolver,
    observables: list[Any],
    tolerance: Callable[[str, float], float | None],
    *,
    family: str | None = None,
    time_budget: float = CROSS_BUDGET,
    tries: int = 2,
) -> dict[str, Evidence]:
    """A cross-solve evidence piece for every observable (``not applicable`` with the reason).

    Up to ``tries`` candidate solvers run, the next only for observables the previous one
    could not decide (it failed, or does not compute them).
    """
    names = [o.name for o in observables]
    # the planned method is the primary's: simlab's own solvers run their own method (a
    # solver reading the plan would otherwise repeat the primary's computation)
    # candidates are fitted lazily: the second is analysed only if the first left work
    first: SpecSolver | None = None
    if spec.discretization is not None:
        free = replace(spec, discretization=None)
        candidates = fitting_solvers(free, primary, family)
        first = next(candidates, None)
        spec = free if first is not None else spec
    if first is None:
        candidates = fitting_solvers(spec, primary, family)
        first = next(candidates, None)
    if first is None:
        reason = "no second simlab solver (another method or family) fits this spec's equations"
        return {n: Evidence.not_applicable(Kind.CROSS_SOLVE, reason) for n in names}
    candidates = chain([first], candidates)
    out: dict[str, Evidence] = {}
    for _ in range(tries):
        pending = [
            o for o in observables if o.name not in out or out[o.name].status == Verdict.FAILS
        ]
        if not pending:
            break
        cross = next(candidates, None)
        if cross is None:
            break
        try:
            study = _study(cross, spec, tolerance, time_budget)
        except Exception as exc:
            for o in pending:
                out[o.name] = Evidence(
                    Kind.CROSS_SOLVE,
                    Verdict.FAILS,
                    {"solver": cross.name},
                    f"the cross-solver {cross.name} failed: {exc}",
                )
            continue
        for o in pending:
            out[o.name] = _compare(o, cross.name, study, tolerance)
    return out


def _study(cross: SpecSolver, spec: Spec, tolerance: Any, time_budget: float) -> Any:
    from simlab.certify.study import run_study
    from simlab.spec.render import render

    key = (cross.name, render(spec))
    if key not in _CACHE:
        _CACHE[key] = run_study(cross, spec, tolerance, time_budget=time_budget)
        if len(_CACHE) > 64:
            _CACHE.pop(next(iter(_CACHE)))
    return _CACHE[key]


def independent_bound(res: Any) -> float | None:
    """The cross-solver's error bound: its study's GCI, or, when its values agree to round-off
    on every grid, its round-off floor.

    A primary whose values do not change with resolution gets no bound from that (a solver
    ignoring the resolution shows it too). A cross-solver is one of simlab's own methods,
    whose order is verified by the test suite, so equal values on three grids mean the
    problem lies in its discrete space (a quadratic for P2 elements, a linear profile for
    central differences): its error is the round-off the solve reports.
    """
    from simlab.certify.convergence import ConvergenceType

    if res.gci_fine_abs is not None:
        return res.gci_fine_abs
    if res.status == ConvergenceType.ROUND_OFF and len(res.values) >= 3:
        return res.noise_floor
    return None


def _compare(obs: Any, solver: str, study: Any, tolerance: Any) -> Evidence:
    res = study.results.get(obs.name)
    if res is None:
        return Evidence(
            Kind.CROSS_SOLVE,
            Verdict.FAILS,
            {"solver": solver},
            f"the cross-solver {solver} does not compute {obs.name}",
        )
    if not math.isfinite(obs.formal_order):
        return Evidence.not_applicable(
            Kind.CROSS_SOLVE, "the method has no formal order, so no bound to compare within"
        )
    b, bound_b = res.values[0], independent_bound(res)
    numbers = {"solver": solver, "value": obs.value, "cross_value": b, "cross_bound": bound_b}
    if bound_b is None:
        return Evidence(
            Kind.CROSS_SOLVE,
            Verdict.FAILS,
            numbers,
            f"the cross-solver {solver} gave no error bound ({res.status.value}: {res.message})",
        )
    allowed_cross = tolerance(obs.name, b)
    if allowed_cross is not None and bound_b > allowed_cross:
        return Evidence(
            Kind.CROSS_SOLVE,
            Verdict.FAILS,
            numbers,
            f"the cross-solver {solver} reached a bound {bound_b:.3g} only, above the "
            f"tolerance {allowed_cross:.3g}: too coarse to confirm",
        )
    gap = abs(obs.value - b) if math.isfinite(obs.value) else math.inf
    if obs.error_bound is not None:
        allowed = obs.error_bound + bound_b
        rule = "the combined bounds"
    else:  # no bound of its own (resolution-independent output): the tolerance decides
        allowed = (allowed_cross or 0.0) - bound_b
        rule = "the tolerance less the cross-solve's bound"
    numbers |= {"gap": gap, "allowed": allowed, "independent_bound": bound_b}
    ok = gap <= allowed
    scale = obs.scale or 1.0
    unit = f" {obs.unit}" if obs.unit else ""
    return Evidence(
        Kind.CROSS_SOLVE,
        Verdict.CONFIRMS if ok else Verdict.REFUTES,
        numbers,
        f"{solver} gives {obs.display(b):.10g}{unit} ± {bound_b / scale:.3g}; gap "
        f"{gap / scale:.3g} {'within' if ok else 'beyond'} {rule} {allowed / scale:.3g}",
    )
