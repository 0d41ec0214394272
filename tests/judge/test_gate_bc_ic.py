"""Gate 2: coverage and count of boundary data, initial data, compatibility."""

from __future__ import annotations

import pytest

from simlab.judge import Status
from tests.judge.builders import advection, gate, heat, neumann, square

DIRICHLET = "left: {type: dirichlet, value: 0}\nright: {type: dirichlet, value: 0}"


def test_second_order_needs_data_at_both_ends() -> None:
    assert gate(heat(), "bc_ic").status == Status.PASS
    v = gate(heat(bc="left: {type: dirichlet, value: 0}"), "bc_ic")
    assert v.status == Status.FAIL and "x = 2 m has 0" in v.message


def test_two_conditions_at_one_end_are_over_specified_or_contradictory() -> None:
    both = "left:\n  - {type: dirichlet, value: 0}\n  - {type: neumann, value: 0}\n"
    v = gate(heat(bc=both + "right: {type: dirichlet, value: 0}"), "bc_ic")
    assert v.status == Status.FAIL and "over-specified" in v.message
    two = "left:\n  - {type: dirichlet, value: 0}\n  - {type: dirichlet, value: u0}\n"
    v = gate(heat(bc=two + "right: {type: dirichlet, value: 0}"), "bc_ic")
    assert v.status == Status.FAIL and "contradictory" in v.message


@pytest.mark.parametrize(
    ("a", "bc", "status"),
    [
        ("1 m/s", "left: {type: dirichlet, value: 0}", Status.PASS),
        ("1 m/s", "right: {type: dirichlet, value: 0}", Status.FAIL),
        ("1 m/s", DIRICHLET, Status.FAIL),
        ("-1 m/s", "right: {type: dirichlet, value: 0}", Status.PASS),
        ("-1 m/s", "left: {type: dirichlet, value: 0}", Status.FAIL),
    ],
)
def test_first_order_hyperbolic_takes_inflow_data_only(a: str, bc: str, status: Status) -> None:
    v = gate(advection(a=a, bc=bc, dt="0.001 s"), "bc_ic")
    assert v.status == status, v.message


def test_outflow_data_is_named_as_over_specified() -> None:
    v = gate(advection(bc=DIRICHLET, dt="0.001 s"), "bc_ic")
    assert "over-specified outflow" in v.message and "x = 1 m" in v.message


def test_advection_diffusion_is_second_order_and_needs_both_ends() -> None:
    text = advection(diffusion="0.01 m^2/s", dt="0.001 s")
    assert gate(text, "bc_ic").status == Status.FAIL
    both = advection(diffusion="0.01 m^2/s", dt="0.001 s", bc=DIRICHLET)
    assert gate(both, "bc_ic").status == Status.PASS


def test_periodic_pair_must_join_opposite_faces() -> None:
    ok = "left: {type: periodic, partner: right}\nright: {type: periodic, partner: left}\n"
    ok += "bottom: {type: dirichlet, value: 0}\ntop: {type: dirichlet, value: 0}"
    assert gate(square(equation="-laplacian(u) + u = f", bc=ok), "bc_ic").status == Status.PASS
    bad = ok.replace("partner: right", "partner: top")
    v = gate(square(equation="-laplacian(u) + u = f", bc=bad), "bc_ic")
    assert v.status == Status.FAIL and "opposite face" in v.message


def test_initial_data_iff_time_dependent() -> None:
    v = gate(heat(ic="initial: none"), "bc_ic")
    assert v.status == Status.FAIL and "needs initial data for u" in v.message
    v = gate(square(ic="u: 0"), "bc_ic")
    assert v.status == Status.FAIL and "stationary" in v.message
    v = gate(heat(ic="u: u0*sin(pi*x/L)\ndiff(u, t): 0"), "bc_ic")
    assert v.status == Status.FAIL and "over-specified initial data" in v.message


def test_second_order_in_time_needs_the_initial_rate() -> None:
    wave = heat(equation="diff(u, t, 2) = kappa/tau*diff(u, x, 2)", extra_params="  tau: 1 s\n")
    v = gate(wave, "bc_ic")
    assert v.status == Status.FAIL and "du/dt" in v.message
    full = wave.replace("u: u0*sin(pi*x/L)", "u: u0*sin(pi*x/L)\ndiff(u, t): 0")
    assert gate(full, "bc_ic").status == Status.PASS


@pytest.mark.parametrize(
    ("ic", "jump"),
    [("u: u0*sin(pi*x/L)", 0.0), ("u: u0*(sin(pi*x/L) + 0.001)", 1e-3), ("u: u0", 1.0)],
)
def test_initial_data_is_compared_with_dirichlet_data(ic: str, jump: float) -> None:
    v = gate(heat(ic=ic), "bc_ic")
    jumps = v.numbers["initial_boundary_jumps"]
    assert max(jumps.values()) == pytest.approx(jump, abs=1e-12)
    assert v.status == (Status.PASS if jump == 0 else Status.WARN)
    if jump:
        assert v.findings[-1].numbers["jump"] == pytest.approx(jump)


def test_pure_neumann_poisson_incompatible_source_fails_with_the_mismatch() -> None:
    v = gate(square(f="1", bc=neumann()), "bc_ic")
    assert v.status == Status.FAIL and v.condition == "S2"
    assert v.numbers["neumann_balance"]["mismatch"] == pytest.approx(1.0, rel=1e-9)


@pytest.mark.parametrize(
    ("flux", "status", "mismatch"), [("-0.5", Status.FAIL, 0.0), ("0.5", Status.FAIL, 4.0)]
)
def test_pure_neumann_flux_must_carry_the_source_away(
    flux: str, status: Status, mismatch: float
) -> None:
    v = gate(square(f="2", bc=neumann(flux)), "bc_ic")
    assert v.status == status
    assert v.numbers["neumann_balance"]["mismatch"] == pytest.approx(mismatch, abs=1e-9)


def test_compatible_pure_neumann_without_a_constraint_leaves_the_observable_undetermined() -> None:
    v = gate(square(f="cos(pi*x)*cos(pi*y)", bc=neumann()), "bc_ic")
    assert v.status == Status.FAIL and "additive constant" in v.message
    assert v.findings[-1].numbers["undetermined_observables"]
    assert "not determined" in v.message and "Dirichlet" in (v.findings[-1].fix or "")
    fixed = neumann() + "\nmean: {type: constraint, value: integral(u) = 0}"
    assert gate(square(f="cos(pi*x)*cos(pi*y)", bc=fixed), "bc_ic").status == Status.PASS


def test_segment_inside_the_domain_is_rejected() -> None:
    text = heat(bc="left: {type: dirichlet, value: 0}\nmid: {type: dirichlet, value: 0}")
    text = text.replace("  right: x = 2", "  mid: x = 1")
    v = gate(text, "bc_ic")
    assert v.status == Status.FAIL and "inside the domain" in v.message


ACOUSTICS = """# Specification: acoustics as a first-order system

## Domain
geometry: interval
coordinates:
  x: {{range: [0, 1], unit: m}}
time: {{range: [0, 0.5], unit: s}}
boundaries:
  left: x = 0
  right: x = 1

## Equations
unknowns:
  p: {{unit: Pa, depends_on: [t, x]}}
  v: {{unit: m/s, depends_on: [t, x]}}
parameters:
  K: 1 Pa
  rho: 1 kg/m^3
  p0: 1 Pa
  L: 1 m
equations:
  - diff(p, t) + K*diff(v, x) = 0
  - diff(v, t) + {sign}diff(p, x)/rho = 0

## Boundary Conditions
{bc}

## Initial Conditions
p: p0*sin(pi*x/L)**2
v: 0

## Observables
p_mid: {{definition: "p(t=0.5, x=0.5)", unit: Pa}}

## Tolerance
metric: relative_error
threshold: 1.0e-3
reference: extrapolation
"""
WALLS = (
    "left: {type: dirichlet, unknown: v, value: 0}\nright: {type: dirichlet, unknown: v, value: 0}"
)


@pytest.mark.parametrize(
    ("bc", "status", "needle"),
    [
        (WALLS, Status.PASS, "fits"),
        ("left: {type: dirichlet, unknown: v, value: 0}", Status.FAIL, "enter at x = 1 m"),
        (
            WALLS.replace(
                "right: {type: dirichlet, unknown: v, value: 0}",
                "right:\n  - {type: dirichlet, unknown: v, value: 0}\n"
                "  - {type: dirichlet, unknown: p, value: 0}",
            ),
            Status.FAIL,
            "over-specified outflow",
        ),
    ],
)
def test_first_order_system_counts_incoming_characteristics(bc, status, needle) -> None:
    # u_t + A u_x = 0 with speeds +-sqrt(K/rho): one characteristic enters at each end
    v = gate(ACOUSTICS.format(bc=bc, sign=""), "bc_ic")
    assert v.status == status and needle in v.message, v.message


def test_first_order_system_with_complex_speeds_is_not_hyperbolic() -> None:
    v = gate(ACOUSTICS.format(bc=WALLS, sign="-"), "bc_ic")
    assert v.status == Status.FAIL and "complex characteristic speeds" in v.message
