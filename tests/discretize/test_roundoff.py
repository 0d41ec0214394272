"""The study's round-off floor follows the conditioning of the discrete problem.

Specs the engine solves exactly (a quadratic membrane under second-order differences; the
conserved mean of periodic diffusion) used to PASS or FLAG "diverging" by the luck of
SuperLU's column ordering: their differences (1e-15) sat around ``64 eps |f|``. The floor is
now the solve's forward-error bound carried through the observable, so no ordering and no
parameter point can move them out of "round-off"; resolved observables stay far above it.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sps
import scipy.sparse.linalg as spla

import simlab.discretize.linear as linear
from simlab.certify.convergence import ConvergenceType, grid_study
from simlab.certify.study import noise_floor
from simlab.discretize import solve_problem
from simlab.discretize.roundoff import EPS, observable_noise, solve_error
from simlab.problem import compile_problem
from simlab.spec import parse

ORDERINGS = ("COLAMD", "MMD_AT_PLUS_A", "MMD_ATA", "NATURAL")

MEMBRANE = """# Specification: membrane
## Domain
geometry: interval
coordinates:
  x: {{range: [0, {L}], unit: m}}
boundaries:
  a: x = 0
  b: x = {L}
## Equations
unknowns:
  w: {{unit: m, depends_on: [x]}}
parameters:
  p: {p} Pa
  Tn: {Tn} N/m
equations:
  - diff(w, x, 2) = -p/Tn
## Boundary Conditions
a: {{type: dirichlet, value: 0}}
b: {{type: dirichlet, value: 0}}
## Initial Conditions
initial: none
## Observables
sag: {{definition: "max(w)", unit: m}}
w_q: {{definition: "w(x={q})", unit: m}}
mean_w: {{definition: "mean(w)", unit: m}}
## Tolerance
metric: relative_error
threshold: 1.0e-6
"""


def _statuses(
    text: str, resolutions: tuple[int, ...], ordering: str, monkeypatch, order: int = 2
) -> dict:
    original = spla.splu
    monkeypatch.setattr(
        linear.spla, "splu", lambda a, **_: original(a, permc_spec=ordering), raising=True
    )
    problem = compile_problem(parse(text))
    sols = [solve_problem(problem, n, order=order) for n in resolutions]
    out = {}
    for name in sols[0].observables:
        result = grid_study(
            [s.observables[name] for s in sols],
            [s.h for s in sols],
            formal_order=float(order),
            noise_floor=noise_floor(sols, name),
        )
        out[name] = result.status
    return out


@pytest.mark.parametrize(
    ("length", "p", "tension", "q"),
    [(2.0, 300.0, 1500.0, 0.5), (1.0, 7.0, 3.0, 0.3), (35.0, 2.0e5, 10.0, 11.0)],
)
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_an_exactly_solved_membrane_is_round_off_under_every_ordering(
    length, p, tension, q, ordering, monkeypatch
) -> None:
    text = MEMBRANE.format(L=length, p=p, Tn=tension, q=q)
    statuses = _statuses(text, (16, 32, 64), ordering, monkeypatch)
    # node values of the quadratic are exact; its trapezoidal mean is not (O(h^2))
    assert statuses == {
        "sag": ConvergenceType.ROUND_OFF,
        "w_q": ConvergenceType.ROUND_OFF,
        "mean_w": ConvergenceType.MONOTONE,
    }


@pytest.mark.parametrize(
    ("length", "p", "tension", "q"),
    [(2.0, 300.0, 1500.0, 0.5), (1.0, 7.0, 3.0, 0.3), (35.0, 2.0e5, 10.0, 11.0)],
)
def test_the_fourth_order_scheme_solves_the_membrane_to_round_off(
    length, p, tension, q, monkeypatch
) -> None:
    """Wide stencils are exact on a quadratic too, and Gregory's rule integrates it exactly:
    every observable is round-off (the floor follows the wider stencils' conditioning)."""
    text = MEMBRANE.format(L=length, p=p, Tn=tension, q=q)
    statuses = _statuses(text, (16, 32, 64), "COLAMD", monkeypatch, order=4)
    assert set(statuses.values()) == {ConvergenceType.ROUND_OFF}, statuses


def test_the_floor_is_the_forward_error_bound_not_the_luck_of_one_ordering() -> None:
    """On the tridiagonal membrane matrix the bound holds against a solve in extended
    precision, grows like the condition number (n^2), and the actual errors of every
    ordering lie under it."""
    bounds = []
    for n in (32, 128, 512):
        h = 1.0 / n
        main = np.full(n - 1, -2.0 / h**2)
        off = np.full(n - 2, 1.0 / h**2)
        a = sps.diags([off, main, off], [-1, 0, 1], format="csc")
        b = np.full(n - 1, -1.0)
        nodes = np.arange(1, n, dtype=np.longdouble) / n
        exact = nodes * (1 - nodes) / 2  # second differences are exact on a quadratic
        for ordering in ORDERINGS:
            lu = spla.splu(a, permc_spec=ordering)
            x = lu.solve(b)
            bound = solve_error(a, lu.solve, x, b)[""]
            assert float(np.max(np.abs(x - exact))) <= bound
        bounds.append(bound / float(np.max(np.abs(x))))
    # relative bound grows with the conditioning ~ n^2 (4x per doubling; 16x per 4x)
    assert 8.0 < bounds[1] / bounds[0] < 32.0
    assert 8.0 < bounds[2] / bounds[1] < 32.0
    assert bounds[0] > 100 * EPS


def test_a_general_matrix_uses_the_hager_higham_estimate() -> None:
    """A nonsymmetric matrix that is no M-matrix: the estimate still bounds the error."""
    rng = np.random.default_rng(3)
    n = 60
    a = sps.csc_matrix(np.eye(n) * 4.0 + rng.standard_normal((n, n)) * 0.5)
    b = rng.standard_normal(n)
    lu = spla.splu(a)
    x = lu.solve(b)
    # two refinement steps with residuals in extended precision: the reference solution
    dense = a.toarray().astype(np.longdouble)
    exact = x.astype(np.longdouble)
    for _ in range(2):
        exact = exact + lu.solve(np.asarray(b - dense @ exact, dtype=float))
    bound = solve_error(a, lu.solve, x, b, transposed=lambda v: lu.solve(v, trans="T"))[""]
    assert float(np.max(np.abs(x - exact))) <= bound < 1e-10


def test_observable_noise_sees_a_spline_and_an_integral() -> None:
    """A node value moves by the bound; an integral by bound times length; an alternating
    pattern is what moves a difference quotient."""
    field = np.linspace(0.0, 1.0, 11)
    assert observable_noise(lambda v: float(v[3]), field, 1e-12) == pytest.approx(1e-12)
    assert observable_noise(lambda v: float(np.sum(v) * 2.0), field, 1e-12) == pytest.approx(22e-12)
    quotient = observable_noise(lambda v: float((v[4] - v[3]) / 0.1), field, 1e-12)
    assert quotient == pytest.approx(2e-11)


def test_resolved_observables_stay_far_above_the_floor(monkeypatch) -> None:
    """Periodic diffusion: the point value converges (monotone, order 2) under every
    ordering; the conserved mean is round-off under every ordering."""
    from pathlib import Path

    text = Path("specs/general/04_periodic_heat.md").read_text()
    for ordering in ORDERINGS:
        statuses = _statuses(text, (16, 32, 64), ordering, monkeypatch)
        assert statuses["u0"] is ConvergenceType.MONOTONE
        assert statuses["u_mean"] is ConvergenceType.ROUND_OFF
