"""The time-only cross-solve (Runge-Kutta / Radau IIA on the first-order reduction) against
closed forms, on the engine's answers at several parameter points, and on a wrong primary."""

from __future__ import annotations

import math

import pytest

from simlab.certify.ode_cross import ReducedOdeSolver
from simlab.certify.study import run_study
from simlab.pipeline import certify_spec
from simlab.problem import compile_problem
from simlab.problem.ode import first_order_system, ode_system
from simlab.spec import parse
from simlab.spec.model import Spec
from tests.certify.wrong_primary import WrongEngine, cross_verdicts

OSCILLATOR = """# Specification: damped oscillator

## Domain
time: {{range: [0, {T}]}}

## Equations
nondimensional: true
unknowns:
  y: {{depends_on: [t]}}
parameters:
  c: {c}
  k: {k}
equations:
  - diff(y, t, 2) + c*diff(y, t) + k*y = 0

## Boundary Conditions
none

## Initial Conditions
y: {y0}
diff(y, t): {v0}

## Observables
y_end: {{definition: "y(t={T})"}}
y_mid: {{definition: "y(t={half})"}}

## Tolerance
metric: absolute_error
threshold: 1.0e-6
"""


def oscillator(c: float, k: float, y0: float, v0: float, T: float) -> Spec:
    return parse(OSCILLATOR.format(c=c, k=k, y0=y0, v0=v0, T=T, half=T / 2))


def exact(c: float, k: float, y0: float, v0: float, t: float) -> float:
    """Underdamped ``y'' + c y' + k y = 0``."""
    w = math.sqrt(k - c * c / 4)
    return math.exp(-c * t / 2) * (y0 * math.cos(w * t) + (v0 + c * y0 / 2) / w * math.sin(w * t))


POINTS = [(2.0, 5.0, 1.0, 0.0, 3.0), (0.3, 9.0, 0.5, 1.0, 4.0), (1.0, 2.0, -1.0, 2.0, 2.5)]


def test_a_second_order_equation_is_reduced_to_first_order() -> None:
    problem = compile_problem(oscillator(2.0, 5.0, 1.0, 0.0, 3.0))
    assert isinstance(ode_system(problem), str)  # the primary's ODE kernels take order 1 only
    system = first_order_system(problem)
    assert system.names == ("y", "diff(y, t)")
    assert list(system.y0) == [1.0, 0.0]
    assert list(system.rhs(0.0, [2.0, 3.0])) == [3.0, -2.0 * 3.0 - 5.0 * 2.0]


def test_a_missing_derivative_initial_value_is_named() -> None:
    text = OSCILLATOR.format(c=1, k=2, y0=1, v0=0, T=1, half=0.5).replace("diff(y, t): 0\n", "")
    reason = first_order_system(compile_problem(parse(text)))
    assert isinstance(reason, str) and "diff(y, t)" in reason


@pytest.mark.parametrize("point", POINTS)
def test_the_cross_solvers_bound_covers_its_true_error(point: tuple) -> None:
    c, k, y0, v0, T = point
    spec = oscillator(c, k, y0, v0, T)
    study = run_study(ReducedOdeSolver(), spec, lambda name, v: 1e-6)
    for name, t in (("y_end", T), ("y_mid", T / 2)):
        res = study.results[name]
        truth = exact(c, k, y0, v0, t)
        assert res.gci_fine_abs is not None
        assert abs(res.values[0] - truth) <= res.gci_fine_abs, (name, res.values[0], truth)


def test_a_stiff_system_switches_to_radau_and_stays_within_its_bound() -> None:
    # y'' + 1001 y' + 1000 y = 0: rates -1 and -1000 (explicit rk4 would need 40000 steps)
    spec = oscillator(1001.0, 1000.0, 1.0, 0.0, 5.0)
    solver = ReducedOdeSolver()
    assert solver.fit(spec).ok
    assert solver.problem(spec).method == "radau5"
    study = run_study(solver, spec, lambda name, v: 1e-8)
    for name, t in (("y_end", 5.0), ("y_mid", 2.5)):
        truth = 1000 / 999 * math.exp(-t) - 1 / 999 * math.exp(-1000 * t)
        res = study.results[name]
        assert abs(res.values[0] - truth) <= res.gci_fine_abs


@pytest.mark.parametrize("point", POINTS[:2])
def test_the_engines_answer_is_certified_by_the_cross_solve(point: tuple) -> None:
    c, k, y0, v0, T = point
    result = certify_spec(oscillator(c, k, y0, v0, T), time_budget=60.0)
    cert = result.certificate
    assert cert.solver == "mol_engine"
    assert cert.status.value == "PASS", cert.reasons
    for obs in cert.observables:
        cross = next(e for e in obs.evidence if e.kind.value == "cross_solve")
        assert cross.status.value == "confirms", cross.message
        assert cross.numbers["solver"] == "ode_reduced_rk"
        truth = exact(c, k, y0, v0, T if obs.name == "y_end" else T / 2)
        assert abs(obs.value - truth) <= obs.error_bound


def test_a_wrong_coefficient_in_the_primary_is_refuted() -> None:
    spec = oscillator(2.0, 5.0, 1.0, 0.0, 3.0)
    wrong = WrongEngine(oscillator(2.0, 5.0 * 1.001, 1.0, 0.0, 3.0))  # k 1.001 x too large
    result = certify_spec(spec, solver=wrong, time_budget=60.0)
    assert result.certificate.status.value != "PASS"
    assert "refutes" in cross_verdicts(result), result.certificate.reasons
