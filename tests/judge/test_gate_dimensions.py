"""Gate 1: dimensional consistency of equations, boundary and initial values."""

from __future__ import annotations

import pytest

from simlab.judge import Status
from tests.judge.builders import gate, heat, square


def test_consistent_heat_equation_passes() -> None:
    v = gate(heat(), "dimensions")
    assert v.status == Status.PASS and v.condition == "S1"
    assert v.numbers["terms"] == 2


def test_wrong_diffusivity_unit_names_the_term_and_both_dimensions() -> None:
    v = gate(heat(kappa="0.5 m/s"), "dimensions")
    assert v.status == Status.FAIL
    assert "kappa*diff(u, x, 2)" in v.message
    assert "K/(m*s)" in v.message and "K/s" in v.message


def test_first_derivative_where_the_second_belongs_fails() -> None:
    v = gate(heat(equation="diff(u, t) = kappa*diff(u, x)"), "dimensions")
    assert v.status == Status.FAIL and "m*K/s" in v.message


def test_missing_unit_is_unverifiable_not_pass() -> None:
    v = gate(heat(kappa="0.5"), "dimensions")
    assert v.status == Status.UNVERIFIABLE and "kappa" in v.message


def test_nondimensional_spec_needs_no_units() -> None:
    assert gate(square(), "dimensions").status == Status.PASS


def test_bare_number_as_an_additive_term_is_dimensionless() -> None:
    v = gate(heat(equation="diff(u, t) = kappa*diff(u, x, 2) + 1"), "dimensions")
    assert v.status == Status.FAIL and "1 (dimensionless)" in v.message


def test_bare_number_as_a_whole_boundary_value_is_read_in_the_unknowns_unit() -> None:
    bc = "left: {type: dirichlet, value: 300}\nright: {type: dirichlet, value: 300}"
    assert gate(heat(bc=bc), "dimensions").status == Status.PASS


def test_neumann_and_robin_values_carry_the_normal_derivative_unit() -> None:
    ok = "left: {type: neumann, value: g}\nright: {type: robin, value: g, alpha: h}"
    params = "  g: 2 K/m\n  h: 3 1/m\n"
    assert gate(heat(bc=ok, extra_params=params), "dimensions").status == Status.PASS
    bad = gate(heat(bc=ok, extra_params="  g: 2 K\n  h: 3 1/m\n"), "dimensions")
    assert bad.status == Status.FAIL and "expected K/m" in bad.message
    bad_alpha = gate(heat(bc=ok, extra_params="  g: 2 K/m\n  h: 3 1/s\n"), "dimensions")
    assert bad_alpha.status == Status.FAIL and "alpha" in bad_alpha.message


def test_initial_rate_has_the_unit_of_u_per_time() -> None:
    text = heat(
        equation="diff(u, t, 2) = kappa/tau*diff(u, x, 2)",
        ic="u: u0*sin(pi*x/L)\ndiff(u, t): r0",
        extra_params="  tau: 1 s\n  r0: 1 K/s\n",
    )
    assert gate(text, "dimensions").status == Status.PASS
    bad = text.replace("r0: 1 K/s", "r0: 1 K")
    v = gate(bad, "dimensions")
    assert v.status == Status.FAIL and "diff(u, t)" in v.message


def test_transcendental_function_of_a_length_fails() -> None:
    v = gate(heat(ic="u: u0*exp(x)"), "dimensions")
    assert v.status == Status.FAIL and "argument 'x' of exp" in v.message


def test_undeclared_symbol_fails() -> None:
    v = gate(heat(equation="diff(u, t) = alpha*diff(u, x, 2)"), "dimensions")
    assert v.status == Status.FAIL and "alpha" in v.message


WALL = """# Specification: wall in Celsius

## Domain
geometry: interval
coordinates:
  x: {{range: [0, 20], unit: cm}}
time: {{range: [0, 3], unit: hour}}
boundaries:
  inside: x = 0
  outside: x = 20

## Equations
unknowns:
  T: {{unit: {unit}, depends_on: [t, x]}}
parameters:
  alpha: 5.0e-7 m^2/s
  L: 20 cm
  Tb: 20 degC
  dT: 30 delta_degC
  Tk: 290 K
equations:
  - diff(T, t) = alpha*diff(T, x, 2)

## Boundary Conditions
inside: {{type: dirichlet, value: {bc}}}
outside: {{type: dirichlet, value: 20}}

## Initial Conditions
T: {ic}

## Observables
T_mid: {{definition: "T(t=1, x=10)", unit: {unit}}}

## Tolerance
metric: absolute_error
threshold: 0.001
"""


@pytest.mark.parametrize(
    ("unit", "bc", "ic", "refused"),
    [
        ("degC", "20", "Tb + dT*sin(pi*x/L)", None),
        ("degC", "20", "dT*sin(pi*x/L)", "initial value of T"),
        ("degC", "dT", "Tb", "dirichlet value on 'inside'"),
        ("degF", "68", "dT*(1 - x/L)", "initial value of T"),
        ("K", "293.15", "Tk + dT*sin(pi*x/L)", None),
        ("K", "293.15", "Tk*(1 + 0.01*sin(pi*x/L))", None),
        ("K", "293.15", "2*dT*sin(pi*x/L)", "initial value of T"),
    ],
)
def test_a_temperature_difference_cannot_prescribe_a_temperature(unit, bc, ic, refused) -> None:
    v = gate(WALL.format(unit=unit, bc=bc, ic=ic), "dimensions")
    if refused is None:
        assert v.status == Status.PASS, v.message
    else:
        assert v.status == Status.FAIL and refused in v.message
        assert "temperature difference" in v.message and v.findings[-1].fix
