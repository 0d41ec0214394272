"""The spec -> problem bridge: grids, Jacobians, ODE fields and parameters, against known answers.

Manufactured solutions check the finite differences (order 2 in 1-D with Dirichlet and
Neumann sides and in 2-D); the analytic Jacobians are compared with central differences; the
ODE bridge reproduces the Lorenz equilibria and the Brusselator's Hopf point b = 1 + a^2.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from simlab.diagnostics.corrector import newton_fixed_parameter
from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.spec_bridge import (
    candidate_parameters,
    continuations,
    equilibria,
    flow,
    influential_inputs,
    input_values,
    parameter_info,
    spec_with,
    stationary_continuation,
)
from simlab.diagnostics.spec_engine import engine_grid
from simlab.diagnostics.types import ContinuationProblem
from simlab.spec import parse, parse_file

SPECS = Path(__file__).resolve().parents[2] / "specs"

ONE_D = """# Specification: manufactured 1-D problem

## Domain
geometry: interval
coordinates:
  x: {{range: [0, 1]}}
boundaries:
  left: x = 0
  right: x = 1

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x]}}
parameters:
  c: {c}
equations:
  - {equation}

## Boundary Conditions
left: {left}
right: {right}

## Initial Conditions
initial: none

## Observables
u_mid: {{definition: "u(x=0.5)"}}

## Tolerance
metric: relative_error
threshold: 1.0e-4
reference: extrapolation
"""


def _solve(spec_text: str, cells: int) -> tuple[np.ndarray, np.ndarray]:
    grid = engine_grid(parse(spec_text), None, cells)
    assert not isinstance(grid, str), grid
    problem = ContinuationProblem(grid.residual, grid.jacobian, grid.dparam)
    return grid.coords[0], newton_fixed_parameter(problem, grid.guess, 0.0)


@pytest.mark.parametrize(
    ("equation", "left", "right", "exact"),
    [
        # u = sin(pi x): Dirichlet at both ends, nonlinear term
        (
            "diff(u, x, 2) + c*u**3 = -pi**2*sin(pi*x) + c*sin(pi*x)**3",
            "{type: dirichlet, value: 0}",
            "{type: dirichlet, value: 0}",
            lambda x: np.sin(np.pi * x),
        ),
        # u = cos(pi x): Neumann (outward du/dn = 0) on the left, Dirichlet -1 on the right
        (
            "diff(u, x, 2) - c*u = -pi**2*cos(pi*x) - c*cos(pi*x)",
            "{type: neumann, value: 0}",
            "{type: dirichlet, value: -1}",
            lambda x: np.cos(np.pi * x),
        ),
        # u = exp(x): Neumann data du/dn = -1 on the left (u' = 1), first derivative term
        (
            "diff(u, x, 2) + c*diff(u, x) = (1 + c)*exp(x)",
            "{type: neumann, value: -1}",
            "{type: dirichlet, value: exp(1)}",
            np.exp,
        ),
    ],
)
def test_grid_is_second_order_on_manufactured_solutions(equation, left, right, exact) -> None:
    text = ONE_D.format(c=2, equation=equation, left=left, right=right)
    errors = []
    for cells in (16, 32, 64):
        x, u = _solve(text, cells)
        errors.append(float(np.max(np.abs(u - exact(x)))))
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(np.abs(orders - 2.0) < 0.15), (errors, orders)


def test_two_dimensional_grid_is_second_order() -> None:
    text = (SPECS / "dev" / "poisson_2d.md").read_text()
    spec = parse(text)
    errors = []
    for cells in (8, 16, 32):
        grid = engine_grid(spec, None, cells)
        problem = ContinuationProblem(grid.residual, grid.jacobian, grid.dparam)
        u = newton_fixed_parameter(problem, grid.guess, 0.0)
        x, y = grid.coords
        errors.append(float(np.max(np.abs(u - np.sin(np.pi * x) * np.sin(np.pi * y)))))
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(np.abs(orders - 2.0) < 0.1), (errors, orders)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("boundary/euler_buckling_post.md", "P"),
        ("interior/bratu_2d_lam2.md", "lam"),
        ("interior/neumann_logistic_1d.md", "r"),
    ],
)
def test_jacobian_and_parameter_derivative_match_central_differences(path, parameter) -> None:
    grid = engine_grid(parse_file(SPECS / path), parameter, 8)
    rng = np.random.default_rng(1)
    u, lam, eps = 0.1 * rng.random(grid.size), 1.3, 1e-7
    jac = grid.jacobian(u, lam).toarray()
    columns = [
        (grid.residual(u + eps * e, lam) - grid.residual(u - eps * e, lam)) / (2 * eps)
        for e in np.eye(grid.size)
    ]
    assert np.max(np.abs(jac - np.array(columns).T)) <= 1e-6 * np.max(np.abs(jac))
    slope = (grid.residual(u, lam + eps) - grid.residual(u, lam - eps)) / (2 * eps)
    assert np.max(np.abs(slope - grid.dparam(u, lam))) <= 1e-6 * (1 + np.max(np.abs(slope)))


def test_candidate_parameters_rank_the_nonlinear_coefficient_first() -> None:
    names = [p.name for p in candidate_parameters(parse_file(SPECS / "boundary/euler_buckling.md"))]
    assert names == ["P", "EI"]  # P multiplies y sqrt(1 - y'^2), EI the linear y''
    info = parameter_info(parse_file(SPECS / "dev/bratu_1d.md"), None)
    assert (info.name, info.rank, info.scale) == ("lam", 0, 1.0)
    # a dimensional parameter is measured against its own value
    assert parameter_info(parse_file(SPECS / "boundary/euler_buckling.md"), "P").scale == 19.2
    # so is a small dimensionless one (scale-free: no unit of 1 is special)
    small = parse_file(SPECS / "interior/pitchfork_normal_form_small_mu.md")
    assert parameter_info(small, "mu").scale == 0.01


def test_influential_inputs_skip_parameters_only_used_by_references() -> None:
    params, initial = influential_inputs(parse_file(SPECS / "dev/waveguide_te.md"))
    assert params == [] and initial == []  # a, b appear only in the analytic references
    params, initial = influential_inputs(parse_file(SPECS / "dev/seird.md"))
    assert set(params) == {"beta", "sigma", "gamma", "mu", "N", "I0"} and initial == []
    _, initial = influential_inputs(parse_file(SPECS / "boundary/lorenz_rho28.md"))
    assert initial == ["x", "y", "z"]


def test_spec_with_changes_parameters_and_initial_values_only() -> None:
    spec = parse_file(SPECS / "boundary/lorenz_rho28.md")
    inputs = input_values(spec, ["rho"], ["x"])
    assert inputs == {"rho": 28.0, "x@t0": 1.0}
    changed = spec_with(spec, {"rho": 30.0, "x@t0": 2.0})
    assert changed.equations.parameter("rho").value == 30.0
    assert changed.initial.of("x").value == "2.0"
    assert replace(changed, equations=spec.equations, initial=spec.initial) == spec


def test_lorenz_equilibria_and_flow() -> None:
    spec = parse_file(SPECS / "boundary/lorenz_rho28.md")
    found = equilibria(spec, np.array([[0.1, 0.1, 0.1], [8.0, 8.0, 27.0], [-8.0, -8.0, 27.0]]))
    c = np.sqrt(8.0 / 3.0 * 27.0)
    expected = [np.zeros(3), np.array([c, c, 27.0]), np.array([-c, -c, 27.0])]
    for e in expected:
        assert min(np.max(np.abs(f - e)) for f in found) < 1e-10
    rhs, jac, _ = flow(spec)
    v = np.array([[1.0, 2.0, 3.0]])
    assert np.allclose(rhs(v), [[10.0, 1 * (28 - 3) - 2, 2 - 8.0 / 3.0 * 3]])
    assert np.allclose(np.trace(jac(v)[0]), -(10 + 1 + 8.0 / 3.0))


def test_brusselator_hopf_point_is_one_plus_a_squared() -> None:
    spec = parse_file(SPECS / "boundary/brusselator_near_hopf.md")
    (run,) = continuations(spec, "b")
    branch = run.run(1, window=0.25, n_eigs=2, stop_at_first=True)
    (hopf,) = branch.of_type("hopf")
    assert abs(run.value(hopf.value) - 2.0) < 1e-10
    assert abs(hopf.frequency - 1.0) < 1e-8  # Im mu = a at the Hopf point


def test_not_continuable_specs_say_why() -> None:
    with pytest.raises(DiagnosticsError, match="time-dependent PDE"):
        continuations(parse_file(SPECS / "dev/heat_1d.md"))
    with pytest.raises(DiagnosticsError, match="no numeric parameter"):
        continuations(parse_file(SPECS / "dev/poisson_2d.md"))
    with pytest.raises(DiagnosticsError, match="no isolated equilibrium"):
        continuations(parse_file(SPECS / "dev/seird.md"))
    with pytest.raises(DiagnosticsError, match="not a numeric parameter"):
        stationary_continuation(parse_file(SPECS / "dev/bratu_1d.md"), "mu")
    with pytest.raises(DiagnosticsError, match="complex"):
        stationary_continuation(parse_file(SPECS / "dev/fresnel.md"))
