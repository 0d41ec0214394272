"""Fourth-order stencils, quadrature and time march: exactness, observed orders, the decision."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from simlab.discretize import solve_problem
from simlab.discretize.observe import quadrature_weights
from simlab.discretize.order import space_order, why_second_order
from simlab.discretize.stencils4 import first_derivative4, second_derivative4
from simlab.paths import SPECS_DIR
from simlab.problem import compile_problem
from simlab.spec import parse, parse_file

KINDS = [
    ("dirichlet", "dirichlet"),
    ("neumann", "neumann"),
    ("dirichlet", "robin"),
    ("robin", "neumann"),
]


def _apply(op, u: np.ndarray, ux: np.ndarray, kinds) -> np.ndarray:
    """The operator on nodal values with the end slopes as flux data (du/dn = q)."""
    v = op.matrix @ u
    if kinds[0] != "dirichlet":
        v[0] += op.lower_flux * (-ux[0])
    if kinds[1] != "dirichlet":
        v[-1] += op.upper_flux * ux[-1]
    return v


@pytest.mark.parametrize("kinds", KINDS)
def test_stencils_are_exact_on_polynomials_of_their_degree(kinds) -> None:
    n, h = 11, 0.3
    x = 1.7 + h * np.arange(n)
    for degree in range(6):
        c = np.polynomial.Polynomial(np.arange(1.0, degree + 2.0))
        u, ux, uxx = c(x), c.deriv(1)(x), c.deriv(2)(x)
        if degree <= 4:
            d1 = _apply(first_derivative4(n, h, *kinds), u, ux, kinds)
            assert np.allclose(d1, ux, rtol=1e-9, atol=1e-8 * max(np.abs(ux).max(), 1)), degree
        d2 = _apply(second_derivative4(n, h, *kinds), u, ux, kinds)
        assert np.allclose(d2, uxx, rtol=1e-9, atol=1e-8 * max(np.abs(uxx).max(), 1)), degree


@pytest.mark.parametrize("kinds", KINDS)
def test_stencils_converge_at_fourth_order_on_a_smooth_function(kinds) -> None:
    errors = {1: [], 2: []}
    for n in (32, 64):
        x = np.linspace(0.0, 1.0, n + 1)
        u = np.exp(np.sin(2 * x))
        ux = 2 * np.cos(2 * x) * u
        uxx = -4 * np.sin(2 * x) * u + 2 * np.cos(2 * x) * ux
        for k, op, exact in ((1, first_derivative4, ux), (2, second_derivative4, uxx)):
            errors[k].append(np.abs(_apply(op(n + 1, 1 / n, *kinds), u, ux, kinds) - exact).max())
    for k, (e1, e2) in errors.items():
        assert 3.6 < math.log2(e1 / e2) < 5.5, (k, kinds, e1, e2)


def test_periodic_stencils_wrap() -> None:
    n = 40
    x = 2 * np.pi * np.arange(n) / n
    h = 2 * np.pi / n
    u = np.sin(3 * x)
    d1 = first_derivative4(n, h, "periodic", "periodic").matrix @ u
    d2 = second_derivative4(n, h, "periodic", "periodic").matrix @ u
    # the 5-point symbols: (8 sin(kh) - sin(2kh)) / 6h and -(cos(2kh) - 16 cos(kh) + 15) / 6h^2
    k = 3
    assert np.allclose(d1, (8 * np.sin(k * h) - np.sin(2 * k * h)) / (6 * h) * np.cos(3 * x))
    assert np.allclose(d2, (np.cos(2 * k * h) - 16 * np.cos(k * h) + 15) / (-6 * h**2) * u)


def test_heat_operators_are_stable_with_real_spectra_at_neumann_ends() -> None:
    """Every eigenvalue has a negative real part (0 for the constant mode of a pure Neumann
    operator), so the heat march is stable; Neumann-only operators keep a real spectrum."""
    for kinds in (("dirichlet", "dirichlet"), ("neumann", "dirichlet"), ("neumann", "neumann")):
        for n in (8, 32, 128):
            a = second_derivative4(n + 1, 1 / n, *kinds).matrix.toarray()
            keep = [i for i, k in ((0, kinds[0]), (n, kinds[1])) if k == "dirichlet"]
            free = [i for i in range(n + 1) if i not in keep]
            ev = np.linalg.eigvals(a[np.ix_(free, free)])
            assert ev.real.max() < 1e-9 * np.abs(ev).max(), (kinds, n)
            if "dirichlet" not in kinds:
                assert np.abs(ev.imag).max() < 1e-8 * np.abs(ev).max()
            if kinds == ("dirichlet", "dirichlet") and n >= 32:  # -pi^2 to O(h^4)
                assert abs(ev.real.max() + np.pi**2) < 100 * n**-4.0


def test_gregory_quadrature_is_exact_for_cubics_and_fourth_order() -> None:
    for n in (7, 12, 13):
        x = np.linspace(0.0, 2.0, n)
        w = quadrature_weights(n, 2.0 / (n - 1), 4)
        assert math.isclose(w @ (x**3 - x), 4.0 - 2.0, rel_tol=1e-12)
    errs = [
        abs(quadrature_weights(n + 1, np.pi / n, 4) @ np.sin(np.linspace(0, np.pi, n + 1)) - 2)
        for n in (16, 32)
    ]
    assert 3.7 < math.log2(errs[0] / errs[1]) < 4.3


# ----------------------------------------------------------------------------- the engine
HEAT = """# Specification: heat {kind}
## Domain
geometry: interval
coordinates:
  x: {{range: [0, 1]}}
time: {{range: [0, {T}]}}
boundaries:
  left: x = 0
  right: x = 1
## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [t, x]}}
parameters:
  D: {D}
equations:
  - diff(u, t) = D*diff(u, x, 2)
## Boundary Conditions
left: {left}
right: {right}
## Initial Conditions
u: {u0}
## Observables
u_probe: {{definition: "u(t={T}, x=0.3)"}}
## Tolerance
metric: relative_error
threshold: 1.0e-6
reference: {{kind: analytic, value: "{exact}"}}
## Discretization
order: 4
"""

CASES = {
    # insulated ends: cos modes; Dirichlet: sin modes; Robin-free mixed: a quarter wave
    "dirichlet": (
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        "sin(pi*x) + 0.5*sin(3*pi*x)",
        "exp(-D*pi**2*t)*sin(pi*x) + 0.5*exp(-9*D*pi**2*t)*sin(3*pi*x)",
    ),
    "sine": (
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        "sin(pi*x)",
        "exp(-D*pi**2*t)*sin(pi*x)",
    ),
    "neumann": (
        "{type: neumann, value: 0}",
        "{type: neumann, value: 0}",
        "1 + cos(pi*x)",
        "1 + exp(-D*pi**2*t)*cos(pi*x)",
    ),
    "mixed": (
        "{type: dirichlet, value: 0}",
        "{type: neumann, value: 0}",
        "sin(pi*x/2)",
        "exp(-D*pi**2*t/4)*sin(pi*x/2)",
    ),
}


def _heat(kind: str, D: float, T: float):
    left, right, u0, exact = CASES[kind]
    text = HEAT.format(kind=kind, D=D, T=T, left=left, right=right, u0=u0, exact=_at(exact, D))
    return compile_problem(parse(text)), sp.sympify(exact)


def _at(exact: str, D: float) -> str:
    """The reference with the diffusivity's value (the reference reads no parameters)."""
    return exact.replace("D", f"({D})")


def _exact(expr: sp.Expr, x: float, t: float, D: float) -> float:
    return float(expr.subs({"x": x, "t": t, "D": D}))


@pytest.mark.parametrize(
    ("kind", "D", "T"),
    [("dirichlet", 1.0, 0.1), ("dirichlet", 0.3, 0.2), ("neumann", 0.5, 0.1), ("mixed", 2.0, 0.05)],
)
def test_heat_solve_converges_at_fourth_order_in_space_and_time(kind, D, T) -> None:
    problem, exact = _heat(kind, D, T)
    assert space_order(problem) == 4, why_second_order(problem)
    truth = _exact(exact, 0.3, T, D)
    # coarser pairs are pre-asymptotic here: the error changes sign near n = 50 (measured)
    sols = [solve_problem(problem, n) for n in (128, 256)]
    assert all(s.order == 4.0 and s.meta["space_order"] == 4 for s in sols)
    errors = [abs(s.observables["u_probe"] - truth) for s in sols]
    assert 3.6 < math.log2(errors[0] / errors[1]) < 4.4, errors
    # the same problem at second order: order 2, and a far larger error on the same grid
    second = solve_problem(problem, 128, order=2)
    assert second.order == 2.0
    assert abs(second.observables["u_probe"] - truth) > 100 * errors[0]


@pytest.mark.parametrize(
    ("name", "observable"),
    [
        ("15_poisson_2d_robin", "u_in"),  # 2-D, Robin edges
        ("04_periodic_heat", "u0"),  # periodic, time-dependent
        ("24_reversible_reaction_system", "B_mid"),  # coupled system
        ("20_variable_conductivity", "u_q"),  # variable coefficient
        ("03_poisson_1d_source", "u_third"),  # a point between nodes (quintic spline)
    ],
)
def test_corpus_problems_converge_at_fourth_order_when_asked(name, observable) -> None:
    problem = compile_problem(parse_file(SPECS_DIR / "general" / f"{name}.md"))
    problem = dataclasses.replace(problem, plan={**problem.plan, "order": 4})
    assert space_order(problem) == 4, why_second_order(problem)
    f = problem.functional(observable)
    ref = problem.spec.tolerance.reference_for(observable).value
    point = {problem.symbols[k]: v for k, v in f.at}
    if problem.time is not None:
        point[problem.time_symbol] = f.time if f.time is not None else problem.time.end
    exact = float(problem.substitute(sp.sympify(ref, locals=problem.symbols)).subs(point))
    errors = [abs(solve_problem(problem, n).observables[observable] - exact) for n in (32, 64)]
    assert 3.6 < math.log2(errors[0] / errors[1]) < 4.4, errors


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("order: 4", "order: 2"), "asks order 2"),
        (("order: 4", "method: finite_difference"), "unless the plan asks"),
        (("order: 4", "order: 4\nscheme: crank_nicolson"), "scheme"),
        (("1 + cos(pi*x)", "1 + Abs(x - 0.5)"), "non-smooth"),
        (("1 + cos(pi*x)", "1 + cos(pi*x/2)"), "incompatible"),  # slope -pi/2 at x = 1
        (("D*diff(u, x, 2)", "D*diff(u, x, 2) - Heaviside(x - 0.5)*u"), "non-smooth"),
    ],
)
def test_second_order_where_fourth_would_not_pay(change, reason) -> None:
    left, right, u0, exact = CASES["neumann"]
    text = HEAT.format(kind="n", D=0.5, T=0.1, left=left, right=right, u0=u0, exact=_at(exact, 0.5))
    problem = compile_problem(parse(_with(text, *change)))
    assert space_order(problem) == 2
    assert reason in why_second_order(problem)
    assert solve_problem(problem, 16).order == 2.0


def test_incompatible_dirichlet_data_stay_second_order() -> None:
    """u0 = 1 with u = 0 held on the ends: a corner singularity at t = 0."""
    left, right, _, exact = CASES["dirichlet"]
    text = HEAT.format(kind="d", D=1.0, T=0.1, left=left, right=right, u0="1", exact=_at(exact, 1))
    problem = compile_problem(parse(text))
    assert space_order(problem) == 2 and "incompatible" in why_second_order(problem)


@pytest.mark.parametrize(("kind", "D", "T"), [("sine", 1.0, 0.1), ("sine", 0.3, 0.4)])
def test_a_planned_fourth_order_is_certified_by_the_engine_with_an_honest_bound(kind, D, T):
    """Dirichlet sine modes: the default triple (16, 32, 64) is in the asymptotic range. On
    Neumann ends it is not yet (the error changes sign between 16 and 64): the study says so
    (FLAG: oscillatory, or an order off by more than 0.5), see simlab.discretize.order."""
    from simlab.pipeline import certify_spec

    left, right, u0, exact = CASES[kind]
    text = HEAT.format(kind=kind, D=D, T=T, left=left, right=right, u0=u0, exact=_at(exact, D))
    cert = certify_spec(parse(text)).certificate
    assert cert.status.value == "PASS", cert.reasons
    assert cert.solver == "mol_engine"  # the second-order heat kernel does not reach order 4
    probe = next(o for o in cert.observables if o.name == "u_probe")
    truth = _exact(sp.sympify(exact), 0.3, T, D)
    assert abs(probe.value - truth) <= probe.error_bound
