"""Gate 1: dimensional consistency of equations, boundary and initial values."""

from __future__ import annotations

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
