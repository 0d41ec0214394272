"""Method of manufactured solutions run on a supplied solver (Roache; Salari and Knupp).

The solver gets the manufactured spec (:mod:`simlab.certify.manufacture`) through the same
protocol as the user's, at the study's first resolutions (once more refined when those are
inconclusive). For each point observable, with ``e_i`` the true errors against the
manufactured solution on steps ``h_i``:

* the observed order ``log(e_2/e_3)/log(h_2/h_3)`` must reach the declared order ``p``
  (``>= p - 1/2``), or the error be at round-off;
* the finest error must lie within the bound the values give (``1.25 |v_3 - v_2| /
  (r^q - 1)``, ``q`` the smaller of ``p`` and the observed order) or the spec's tolerance.

Both: **confirms** (the solver solves the equations it is given at its declared order).
Neither (a wrong limit that does not move, e.g. a hard-coded coefficient or end time):
**refutes**. One of the two: **fails** (inconclusive). A crash on the manufactured spec
**fails** too: a solver may support less than the grammar, which is no evidence either way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from simlab.certify.evidence import Evidence, Kind, Verdict
from simlab.certify.manufacture import Manufactured, manufacture
from simlab.certify.manufacture_forcing import forced
from simlab.errors import SimlabError
from simlab.solvers.protocol import SpecSolver
from simlab.spec.model import Spec

SAFETY = 1.25
"""Roache's factor of safety on a bound from three grids at a confirmed order."""
ORDER_SLACK = 0.5
ROUND_OFF = 1e-11
"""Errors below this fraction of the manufactured amplitude count as round-off."""


def mms_evidence(
    spec: Spec,
    solver: SpecSolver,
    tolerance: Callable[[str, float], float | None],
) -> dict[str, list[Evidence]]:
    """One MMS evidence piece per observable of ``spec`` (``not applicable`` with a reason)."""
    names = [o.name for o in spec.observables]
    made = _manufactured(spec, solver)
    if isinstance(made, str):
        return {n: [Evidence.not_applicable(Kind.MMS, made)] for n in names}
    out: dict[str, list[Evidence]] = {
        n: [Evidence.not_applicable(Kind.MMS, why)] for n, why in made.skipped.items()
    }
    numbers = {"strategy": made.strategy, "solution": made.solution, "factors": made.factors}
    levels = list(solver.resolutions[:3])
    values: dict[str, list[float]] = {n: [] for n in made.exact}
    steps: list[float] = []
    try:
        for n in levels:
            _solve_into(solver, made, n, values, steps)
        verdicts = {
            n: _judge(made, n, values[n], steps, solver.formal_order, tolerance) for n in made.exact
        }
        finer = 2 * levels[-1]
        if any(v[0] == Verdict.FAILS for v in verdicts.values()) and finer <= getattr(
            solver, "max_resolution", finer
        ):
            _solve_into(solver, made, finer, values, steps)
            levels.append(finer)
            verdicts = {
                n: _judge(made, n, values[n][-3:], steps[-3:], solver.formal_order, tolerance)
                for n in made.exact
            }
    except (SimlabError, ValueError, ArithmeticError) as exc:
        message = f"the solver failed on the manufactured spec ({made.strategy}): {exc}"
        for n in made.exact:
            out[n] = [Evidence(Kind.MMS, Verdict.FAILS, numbers, message)]
        return out
    for n, (status, detail, figures) in verdicts.items():
        out[n] = [Evidence(Kind.MMS, status, numbers | figures | {"resolutions": levels}, detail)]
    return {n: out.get(n, []) for n in names}


def _manufactured(spec: Spec, solver: SpecSolver) -> Manufactured | str:
    """A source or exact-family manufactured spec; else one with forcing terms, when the
    solver declares that it adds them (simlab.sandbox.protocol); else why not."""
    failures = (SimlabError, ValueError, TypeError, KeyError, NotImplementedError)
    try:
        made = manufacture(spec)
    except failures as exc:
        made = f"simlab could not manufacture a solution for these equations ({exc})"
    if not isinstance(made, str) and not made.skipped:
        return made
    if not getattr(solver, "honours_forcing", False):
        return (
            made
            if not isinstance(made, str)
            else (
                f"{made}; a forcing term would do: declare SOLVER['forcing'] = True and add "
                "spec['si']['forcing'][unknown] to that unknown's equation"
            )
        )
    try:
        forced_made = forced(spec)
    except failures as exc:
        forced_made = f"simlab could not manufacture a forced solution ({exc})"
    if isinstance(forced_made, str):
        return made if not isinstance(made, str) else f"{made}; with forcing: {forced_made}"
    if not isinstance(made, str) and len(made.exact) >= len(forced_made.exact):
        return made
    return forced_made


def _solve_into(
    solver: SpecSolver,
    made: Manufactured,
    n: int,
    values: dict[str, list[float]],
    steps: list[float],
) -> None:
    solution = solver.solve(made.spec, n)
    for name in made.exact:
        value = solution.observables.get(name)
        if value is None or not math.isfinite(float(value)):
            raise ValueError(f"no finite value of '{name}' at resolution {n}")
        values[name].append(float(value))
    steps.append(float(solution.h))


def _judge(
    made: Manufactured,
    name: str,
    values: list[float],
    steps: list[float],
    formal: float,
    tolerance: Callable[[str, float], float | None],
) -> tuple[Verdict, str, dict[str, Any]]:
    exact = made.exact[name]
    errors = [abs(v - exact) for v in values]
    floor = ROUND_OFF * max(abs(exact), 1e-300)
    ratio = steps[-2] / steps[-1]
    if errors[-1] <= floor:
        observed = math.inf
    elif errors[-2] <= floor or ratio <= 1.0:
        observed = math.nan
    else:
        observed = math.log(errors[-2] / errors[-1]) / math.log(ratio)
    q = min(formal, observed) if math.isfinite(observed) and observed > 0.5 else formal
    bound = SAFETY * abs(values[-1] - values[-2]) / (ratio**q - 1.0) + floor
    allowed = tolerance(name, exact) or 0.0
    order_ok = observed >= formal - ORDER_SLACK  # nan compares False
    within = errors[-1] <= max(bound, allowed)
    figures = {
        "exact": exact,
        "values": values,
        "errors": errors,
        "h": steps,
        "observed_order": observed if math.isfinite(observed) else str(observed),
        "formal_order": formal,
        "bound": bound,
        "allowed": allowed,
    }
    said = (
        f"manufactured {made.strategy} solution {made.solution}: {name} = {values[-1]:.9g} vs "
        f"exact {exact:.9g} (error {errors[-1]:.3g}, bound {max(bound, allowed):.3g}), "
        f"observed order {observed:.2f} vs declared {formal:g}"
    )
    if order_ok and within:
        return Verdict.CONFIRMS, said, figures
    if not order_ok and not within:
        return Verdict.REFUTES, said + ": the solver does not solve the spec it is given", figures
    why = "the declared order is not shown" if not order_ok else "the error exceeds the bound"
    return Verdict.FAILS, f"{said}: inconclusive ({why})", figures
