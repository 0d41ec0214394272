"""The engine's residual, Jacobian and parameter derivative, and its order on each BC kind."""

from __future__ import annotations

import numpy as np
import pytest

from simlab.discretize import discretize, solve_problem
from simlab.discretize.system import EngineError
from simlab.paths import SPECS_DIR
from simlab.problem import compile_problem
from simlab.spec import parse_file

GENERAL = SPECS_DIR / "general"


def _problem(name: str):
    return compile_problem(parse_file(GENERAL / f"{name}.md"))


@pytest.mark.parametrize(
    "name", ["39_bratu_2d", "40_chafee_infante_unverifiable", "15_poisson_2d_robin"]
)
def test_sparse_jacobian_matches_finite_differences_of_the_residual(name) -> None:
    d = discretize(_problem(name), 6)
    rng = np.random.default_rng(1)
    u = 0.3 * rng.standard_normal(d.size)
    jac = d.jacobian(u).toarray()
    eps = 1e-7
    fd = np.column_stack(
        [(d.residual(u + eps * e) - d.residual(u - eps * e)) / (2 * eps) for e in np.eye(d.size)]
    )
    assert np.allclose(jac, fd, rtol=1e-6, atol=1e-6 * np.abs(fd).max())


def test_parameter_derivative_matches_finite_differences() -> None:
    d = discretize(_problem("39_bratu_2d"), 8)
    u = 0.05 * np.ones(d.size)
    dfdp = d.parameter_derivative(u, "lam")
    fd = (d.residual(u, {"lam": 1.0 + 1e-6}) - d.residual(u, {"lam": 1.0 - 1e-6})) / 2e-6
    assert np.allclose(dfdp, fd, rtol=1e-6)
    assert np.allclose(dfdp, np.exp(u))  # d/dlam (laplacian u + lam e^u)


@pytest.mark.parametrize(
    ("name", "observable"),
    [
        ("11_mixed_poisson_1d", "tip"),  # Neumann end
        ("15_poisson_2d_robin", "u_east"),  # Robin edge
        ("04_periodic_heat", "u0"),  # periodic
        ("46_organ_pipe", "p_quarter"),  # second order in time, intermediate time
        ("24_reversible_reaction_system", "B_mid"),  # coupled system
    ],
)
def test_error_falls_at_second_order(name, observable) -> None:
    import sympy as sp

    problem = _problem(name)
    spec = problem.spec
    f = problem.functional(observable)
    ref = spec.tolerance.reference_for(observable).value
    point = {problem.symbols[k]: v for k, v in f.at}
    if problem.time is not None:
        point[problem.time_symbol] = f.time
    exact = float(problem.substitute(sp.sympify(ref, locals=problem.symbols)).subs(point))
    # second order stays available (the engine runs these at fourth order by default)
    sols = [solve_problem(problem, n, order=2) for n in (16, 32)]
    assert all(s.order == 2.0 for s in sols)
    errors = [abs(s.observables[observable] - exact) for s in sols]
    order = np.log2(errors[0] / errors[1])
    assert 1.8 < order < 2.3, (errors, order)


def test_a_free_ode_field_needs_no_boundary_condition() -> None:
    d = discretize(_problem("27_fitzhugh_nagumo_cable"), 4)
    assert d.disc.layouts["w"].count == d.grid.size  # every node is an unknown
    assert d.disc.layouts["v"].count == d.grid.size  # Neumann ends are unknowns too


def test_a_missing_condition_is_reported() -> None:
    problem = _problem("50_missing_boundary_refused")
    with pytest.raises(EngineError, match="no boundary condition"):
        discretize(problem, 8)


def test_high_cell_peclet_is_upwinded_monotone_and_first_order() -> None:
    """Pe = 3.1 on the decision grid: upwind, no wiggles, observed order -> 1, reported 1."""
    import math
    from pathlib import Path

    from simlab.discretize.upwind import formal_order, upwind_plan
    from simlab.solvers.protocol import registered

    spec = parse_file(Path(__file__).parent / "data" / "peclet_boundary_layer.md")
    problem = compile_problem(spec)
    (term,) = upwind_plan(problem)
    assert term.axis == "x" and math.isclose(term.peclet, 200.0 / 64)
    assert formal_order(problem) == 1.0
    engine = registered()["mol_engine"]()
    assert engine.fit(spec).ok and engine.formal_order == 1.0
    exact = math.exp(-2.0)  # u(0.99) to 1e-87
    errors = []
    for n in (256, 512, 1024):
        sol = solve_problem(problem, n)
        assert sol.order == 1.0
        assert sol.observables["u_min"] >= 0.0  # central differences wiggle below 0 here
        errors.append(sol.observables["u_layer"] - exact)
    orders = [math.log2(errors[i] / errors[i + 1]) for i in range(2)]
    assert all(0.85 < p < 1.15 for p in orders), orders


@pytest.mark.parametrize(
    "name",
    [
        "21_advection_diffusion_steady",
        "22_advection_diffusion_periodic",
        "55_advection_diffusion_2d",
    ],
)
def test_resolved_cell_peclet_stays_centred(name) -> None:
    from simlab.discretize.upwind import formal_order, upwind_plan

    problem = compile_problem(parse_file(SPECS_DIR / "general" / f"{name}.md"))
    assert upwind_plan(problem) == () and formal_order(problem) == 2.0
