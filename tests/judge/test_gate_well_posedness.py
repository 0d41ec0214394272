"""Gate 3: type and sign, coercivity and resonance, explicit stability, stiffness, outcomes.

Every numeric check is tested on both sides of its limit.
"""

from __future__ import annotations

import math

import pytest

from simlab.judge import Status
from tests.judge.builders import advection, gate, heat, neumann, ode, run, square

WP = "well_posedness"


@pytest.mark.parametrize(
    ("equation", "kappa", "status"),
    [
        ("diff(u, t) = kappa*diff(u, x, 2)", "0.5 m^2/s", Status.PASS),
        ("diff(u, t) = -kappa*diff(u, x, 2)", "0.5 m^2/s", Status.FAIL),
        ("diff(u, t) = kappa*diff(u, x, 2)", "-0.5 m^2/s", Status.FAIL),
        ("-diff(u, t) = -kappa*diff(u, x, 2)", "0.5 m^2/s", Status.PASS),
    ],
)
def test_sign_of_diffusion(equation: str, kappa: str, status: Status) -> None:
    v = gate(heat(equation=equation, kappa=kappa), WP)
    assert v.status == status
    if status == Status.FAIL:
        assert v.condition == "S2" and "backward" in v.message
        proof = v.numbers["u_principal_symbol"]
        assert proof["proof"] == "violated" and proof["min_found"] == pytest.approx(-0.5)


def test_wave_equation_with_the_wrong_sign_is_ill_posed() -> None:
    ic = "u: u0*sin(pi*x/L)\ndiff(u, t): 0"
    good = heat(
        equation="diff(u, t, 2) = kappa/tau*diff(u, x, 2)", ic=ic, extra_params="  tau: 1 s\n"
    )
    assert gate(good, WP).status == Status.PASS
    bad = good.replace("= kappa/tau", "= -kappa/tau")
    v = gate(bad, WP)
    assert v.status == Status.FAIL and "Hadamard" in v.message


# ---------------------------------------------------------------- explicit schemes


@pytest.mark.parametrize(("dt", "stable"), [("0.0099 s", True), ("0.0101 s", False)])
def test_upwind_courant_limit_is_one(dt: str, stable: bool) -> None:
    v = gate(advection(dt=dt), WP)
    assert (v.status != Status.FAIL) == stable
    numbers = v.numbers["stability"]
    assert numbers["courant_number"] == pytest.approx(float(dt.split()[0]) / 0.01)
    assert numbers["dt_max_s"] == pytest.approx(0.01, rel=1e-4)
    if not stable:
        assert v.condition == "S3" and "Courant number 1.01" in v.message


@pytest.mark.parametrize(("cfl", "stable"), [(0.95, True), (1.05, False)])
def test_lax_wendroff_with_cfl(cfl: float, stable: bool) -> None:
    v = gate(advection(scheme="lax_wendroff", cfl=cfl), WP)
    assert (v.status != Status.FAIL) == stable
    assert v.numbers["stability"]["courant_number"] == pytest.approx(cfl)


def test_ftcs_is_unstable_for_advection() -> None:
    v = gate(advection(scheme="ftcs", dt="0.001 s"), WP)
    assert v.status == Status.FAIL
    assert v.numbers["stability"]["max_amplification"] == pytest.approx(math.sqrt(1 + 0.1**2))


@pytest.mark.parametrize(("r", "stable"), [(0.49, True), (0.51, False)])
def test_ftcs_diffusion_number_limit_one_half(r: float, stable: bool) -> None:
    dx = 2 / 100
    dt = r * dx**2 / 0.5
    disc = f"method: finite_difference\nscheme: ftcs\ndt: {dt!r} s\nresolution: {{n: 100}}"
    v = gate(heat(disc=disc), WP)
    assert (v.status != Status.FAIL) == stable
    assert v.numbers["stability"]["diffusion_number"] == pytest.approx(r)
    assert v.numbers["stability"]["dt_max_s"] == pytest.approx(0.5 * dx**2 / 0.5, rel=1e-4)


@pytest.mark.parametrize(("r", "stable"), [(0.24, True), (0.26, False)])
def test_ftcs_in_two_dimensions_limit_one_quarter_per_direction(r: float, stable: bool) -> None:
    text = square(
        equation="diff(u, t) = laplacian(u)",
        f="0",
        ic="u: sin(pi*x)*sin(pi*y)",
        extra=f"\n## Discretization\nscheme: ftcs\ndt: {r * 1e-4!r}\nresolution: {{n: 100}}\n",
    )
    text = text.replace("  u: {depends_on: [x, y]}", "  u: {depends_on: [t, x, y]}")
    text = text.replace("  y: {range: [0, 1]}\n", "  y: {range: [0, 1]}\ntime: {range: [0, 0.1]}\n")
    v = gate(text, WP)
    assert (v.status != Status.FAIL) == stable, v.message


@pytest.mark.parametrize(("r", "stable"), [(0.24, True), (0.26, False)])
def test_upwind_advection_diffusion_combined_limit(r: float, stable: bool) -> None:
    # Courant 0.5 alone and r alone are fine; upwind/FTCS needs C + 2r <= 1
    dt = 0.005
    diffusion = r * 0.01**2 / dt
    v = gate(
        advection(
            dt=f"{dt} s",
            diffusion=f"{diffusion!r} m^2/s",
            bc="left: {type: dirichlet, value: 0}\nright: {type: dirichlet, value: 0}",
        ),
        WP,
    )
    assert (v.status != Status.FAIL) == stable, v.message


@pytest.mark.parametrize(("cfl", "stable"), [(0.99, True), (1.01, False)])
def test_leapfrog_wave_courant_limit(cfl: float, stable: bool) -> None:
    ic = "u: u0*sin(pi*x/L)\ndiff(u, t): 0"
    disc = f"method: finite_difference\nscheme: leapfrog\ncfl: {cfl}\nresolution: {{n: 50}}"
    text = heat(
        equation="diff(u, t, 2) = c**2*diff(u, x, 2)", ic=ic, disc=disc, extra_params="  c: 3 m/s\n"
    )
    v = gate(text, WP)
    assert (v.status != Status.FAIL) == stable, v.message


def test_implicit_scheme_has_no_step_limit() -> None:
    v = gate(heat(), WP)
    assert v.status == Status.PASS and "implicit" in v.message


# ---------------------------------------------------------------- Helmholtz and coercivity

HELMHOLTZ = "-laplacian(u) - k2*u = f"


def helmholtz(k2: float, bc: str | None = None, threshold: str = "1.0e-3") -> str:
    return square(
        equation=HELMHOLTZ,
        f="exp(-10*((x - 0.3)**2 + (y - 0.4)**2))",
        params=f"parameters:\n  k2: {k2!r}\n",
        bc=bc,
        threshold=threshold,
    )


@pytest.mark.parametrize(
    ("k2", "status"),
    [
        (2 * math.pi**2, Status.FAIL),  # at the first Dirichlet eigenvalue
        (2 * math.pi**2 * (1 + 1e-6), Status.FAIL),  # near: amplification 1e6 > 1/eps
        (2 * math.pi**2 * (1 + 5e-3), Status.WARN),  # amplification 200: eats the tolerance
        (30.0, Status.PASS),  # between 2 pi^2 and 5 pi^2
        (5.0, Status.PASS),  # below the spectrum
    ],
)
def test_helmholtz_distance_to_the_dirichlet_spectrum(k2: float, status: Status) -> None:
    v = gate(helmholtz(k2), WP)
    assert v.status == status, v.message
    res = v.numbers["resonance"]
    assert res["nearest_eigenvalue"] == pytest.approx(
        min((2 * math.pi**2, 5 * math.pi**2), key=lambda e: abs(e - k2))
    )
    assert res["distance"] == pytest.approx(abs(res["nearest_eigenvalue"] - k2), abs=1e-9)


def test_helmholtz_uses_the_spectrum_of_its_own_boundary_conditions() -> None:
    # with Neumann data the first non-zero eigenvalue is pi^2, not 2 pi^2
    v = gate(helmholtz(math.pi**2, bc=neumann()), WP)
    assert v.status == Status.FAIL
    assert v.numbers["resonance"]["nearest_eigenvalue"] == pytest.approx(math.pi**2)
    assert gate(helmholtz(math.pi**2), WP).status == Status.PASS  # Dirichlet: far from it


def test_positive_zero_order_term_is_coercive() -> None:
    v = gate(square(equation="-laplacian(u) + u = f"), WP)
    assert v.status == Status.PASS and "coercive" in v.message


def test_hyperbolic_operator_with_data_on_the_whole_boundary_fails() -> None:
    v = gate(square(equation="diff(u, x, 2) - diff(u, y, 2) = f", f="0"), WP)
    assert v.status == Status.FAIL and "indefinite" in v.message


# ---------------------------------------------------------------- systems

ELASTIC = """# Specification: plate

## Domain
geometry: rectangle
coordinates:
  x: {{range: [0, 1], unit: m}}
  y: {{range: [0, 1], unit: m}}
boundaries:
  left: x = 0
  right: x = 1
  bottom: y = 0
  top: y = 1

## Equations
unknowns:
  ux: {{unit: m, depends_on: [x, y]}}
  uy: {{unit: m, depends_on: [x, y]}}
parameters:
  E: 1 GPa
  nu: {nu} dimensionless
definitions:
  mu: E/(2*(1 + nu))
  lam: E*nu/((1 + nu)*(1 - 2*nu))
equations:
  - mu*laplacian(ux) + (lam + mu)*diff(diff(ux, x) + diff(uy, y), x) = 0
  - mu*laplacian(uy) + (lam + mu)*diff(diff(ux, x) + diff(uy, y), y) = 0

## Boundary Conditions
{bc}

## Initial Conditions
initial: none

## Observables
d: {{definition: "uy(x=1, y=0.5)", unit: m}}

## Tolerance
metric: relative_error
threshold: 1.0e-3
reference: extrapolation

## Discretization
scheme: {scheme}
"""
ELASTIC_BC = "\n".join(
    f"{s}:\n  - {{type: dirichlet, unknown: ux, value: 0}}\n  - {{type: dirichlet, unknown: uy, "
    "value: 0}"
    for s in ("left", "right", "bottom", "top")
)


@pytest.mark.parametrize(
    ("nu", "scheme", "status"),
    [
        (0.3, "p1_fem", Status.PASS),
        (0.49, "p1_fem", Status.PASS),  # ratio 51 < 100
        (0.4999, "p1_fem", Status.WARN),  # ratio 5001: locking
        (0.4999, "taylor_hood", Status.PASS),  # a mixed method does not lock
        (0.6, "p1_fem", Status.FAIL),  # not elliptic
    ],
)
def test_elasticity_symbol(nu: float, scheme: str, status: Status) -> None:
    v = gate(ELASTIC.format(nu=nu, bc=ELASTIC_BC, scheme=scheme), WP)
    assert v.status == status, v.message
    if status != Status.FAIL:
        ratio = v.numbers["system_symbol"]["symbol_condition"]
        assert ratio == pytest.approx(2 * (1 - nu) / (1 - 2 * nu), rel=1e-6)


# ---------------------------------------------------------------- ODE systems


@pytest.mark.parametrize(("fast", "stiff"), [("10 1/s", False), ("1.0e5 1/s", True)])
def test_explicit_integrator_rejected_above_the_stiffness_threshold(fast: str, stiff: bool) -> None:
    text = ode(
        ["diff(y1, t) = -a*(y1 - y2)", "diff(y2, t) = -b*y2"],
        {"y1": "0", "y2": "1"},
        {"a": fast, "b": "1 1/s"},
        t_end=5.0,
        integrator="rk45",
    )
    report = run(text)
    v = report.verdict(WP)
    assert (v.status == Status.FAIL) == stiff, v.message
    assert report.classification.family == ("ode_stiff" if stiff else "ode")
    ratio = v.numbers["ode"]["stiffness_ratio"]
    assert (ratio > 1e3) == stiff
    if stiff:
        assert "radau5" in v.findings[0].fix


@pytest.mark.parametrize(("dt", "stable"), [("0.019 s", True), ("0.021 s", False)])
def test_forward_euler_fixed_step_interval(dt: str, stable: bool) -> None:
    text = ode(
        ["diff(y, t) = -k*y"],
        {"y": "1"},
        {"k": "100 1/s"},
        t_end=0.05,
        integrator="forward_euler",
        dt=dt,
    )
    v = gate(text, WP)
    assert (v.status != Status.FAIL) == stable, v.message
    assert v.numbers["ode"]["fixed_step_amplification"] == pytest.approx(
        abs(1 - 100 * float(dt.split()[0])), rel=1e-6
    )


def test_implicit_integrator_on_a_stiff_system_passes() -> None:
    text = ode(
        ["diff(y1, t) = -a*(y1 - y2)", "diff(y2, t) = -b*y2"],
        {"y1": "0", "y2": "1"},
        {"a": "1.0e5 1/s", "b": "1 1/s"},
        t_end=5.0,
        integrator="radau",
    )
    assert gate(text, WP).status == Status.PASS


@pytest.mark.parametrize(("t_end", "status"), [(0.5, Status.PASS), (60.0, Status.WARN)])
def test_chaotic_growth_beyond_the_predictability_horizon(t_end: float, status: Status) -> None:
    text = ode(
        [
            "diff(X, t) = s*(Y - X)",
            "diff(Y, t) = X*(r - Z)/tau - Y/tau",
            "diff(Z, t) = X*Y/tau - b*Z",
        ],
        {"X": "1", "Y": "1", "Z": "1"},
        {"s": "10 1/s", "r": "28 dimensionless", "b": "2.6666666666666665 1/s", "tau": "1 s"},
        t_end=t_end,
        integrator="rk45",
        threshold="1.0e-6",
    )
    v = gate(text, WP)
    assert v.status == status, v.message
    if status == Status.WARN:
        assert v.condition == "S4"


# ---------------------------------------------------------------- single outcomes

PHOTON = """# Specification: photon

## Domain
geometry: interval
coordinates:
  x: {{range: [-2, 2], unit: mm}}

## Equations
unknowns:
  U: {{unit: 1, depends_on: [x]}}
parameters:
  w1: {w1} mm
  w2: {w2} mm
  d: 0.5 mm
  z: 1 m
  wavelength: 500 nm
equations:
  - U = sqrt(1/(I*wavelength*z))*integral(exp(I*pi*(x - xi)**2/(wavelength*z)), (xi, -d, d))

## Boundary Conditions
boundaries: none

## Initial Conditions
initial: none

## Observables
which:
  definition: "outcome({density}, (x, -d/2 - 1e-4, -d/2 + 1e-4), (x, d/2 - 2e-4, d/2 + 2e-4))"
  unit: 1

## Tolerance
metric: relative_error
threshold: 1.0e-3
reference: extrapolation
"""
APERTURE = "heaviside(w1/2 - abs(x + d/2)) + heaviside(w2/2 - abs(x - d/2))"


@pytest.mark.parametrize(
    ("w1", "w2", "p_upper", "status"),
    [
        ("0.1", "0.1", 0.5, Status.FAIL),
        ("0.1", "0.3", 0.75, Status.FAIL),
        ("0", "0.1", 1.0, Status.PASS),  # lower slit closed: the outcome is determined
    ],
)
def test_single_outcome_probabilities(w1: str, w2: str, p_upper: float, status: Status) -> None:
    v = gate(PHOTON.format(w1=w1, w2=w2, density=APERTURE), WP)
    assert v.status == status, v.message
    probs = v.numbers["outcome_which"]["probabilities"]
    assert probs[1] == pytest.approx(p_upper, abs=0.02)
    if status == Status.FAIL:
        assert v.condition == "S2" and "no unique answer" in v.message
