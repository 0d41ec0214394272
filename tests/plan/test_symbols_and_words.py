"""Classes found on the session-4 tuning set (issue 15): Greek unknowns in typed equations,
plain words after an equation, an end that "stays 0 K", diffusion read from a concentration."""

from __future__ import annotations

import pytest

from simlab.plan import OfflinePlanner, SpecDraft
from simlab.plan.offline.equations import read_equations
from simlab.spec.units import to_base

GREEK = {"θ": "theta", "φ": "phi", "ψ": "psi", "ω": "omega", "α": "alpha", "η": "eta"}


@pytest.mark.parametrize(("letter", "name"), GREEK.items())
def test_a_greek_unknown_is_read_in_every_notation(letter: str, name: str) -> None:
    for typed in (f"{letter}'' + 4{letter} = 0", f"{name}'' + 4 {name} = 0"):
        (eq,) = read_equations(f"{typed}, {letter}(0) = 1, {letter}'(0) = 0, for t in [0, 3]")
        assert eq.text == f"diff({name}, t, 2) + 4*{name} = 0"
        assert eq.unknown == name


@pytest.mark.parametrize("words", ["w/", "with", "subject to", "given", "where"])
def test_words_after_an_equation_end_it(words: str) -> None:
    (eq,) = read_equations(f"solve y'' + 16 y = 0 {words} y(0)=1 and y'(0)=0")
    assert eq.text == "diff(y, t, 2) + 16*y = 0"


@pytest.mark.parametrize("rhs", ["-k y + sin t", "-k*y + 2 t^"])
def test_a_right_hand_side_is_never_cut_before_an_operator(rhs: str) -> None:
    assert [e.text for e in read_equations(f"y' = {rhs}, y(0) = 1") if "k" in e.text] == []


@pytest.mark.parametrize("verb", ["stay", "stays", "remain", "are kept", "are held"])
def test_an_end_that_stays_at_a_value_without_at(verb: str) -> None:
    d = OfflinePlanner().draft(
        f"rod 1 m, kappa 1e-4 m^2/s, both ends {verb} 0 K, initial temperature "
        "2 K * sin(pi x / 1 m), for 60 s"
    )
    assert isinstance(d, SpecDraft), d.question
    assert {c.value for c in d.spec.boundary.conditions} == {"0"}


@pytest.mark.parametrize(
    ("field", "unit"),
    [("concentration", "mol/m^3"), ("density", "kg/m^3"), ("temperature", "K")],
)
def test_diffusion_is_read_from_a_diffusivity_and_what_diffuses(field: str, unit: str) -> None:
    d = OfflinePlanner().draft(
        f"spreading in a 4 cm channel, D = 5e-10 m^2/s, ends held at zero, initial {field} "
        f"0.5 {unit} * sin(pi x / 4 cm), for 30 minutes"
    )
    assert isinstance(d, SpecDraft), d.question
    assert "diff(u, x, 2)" in d.spec.equations.equations[0].text.replace(" ", "").replace(",", ", ")
    t = d.spec.domain.time
    assert to_base(t.upper, t.unit) == pytest.approx(1800.0)


@pytest.mark.parametrize("name", ["N", "S", "I", "E", "Q", "beta", "gamma"])
def test_an_unknown_named_like_a_sympy_builtin_gets_its_coefficient_unit(name: str) -> None:
    """``N' = -0.7 N`` with t in s: 0.7 is in 1/s (N, S, I, E, Q, beta, gamma are sympy
    functions or constants when sympified bare)."""
    d = OfflinePlanner().draft(f"{name}' = -0.7 {name}, {name}(0) = 20, run it for 5 s")
    assert isinstance(d, SpecDraft), d.question
    (a1,) = [p for p in d.spec.equations.parameters if p.name == "a1"]
    assert to_base(float(a1.value), a1.unit) == pytest.approx(0.7)


@pytest.mark.parametrize("written", ["I(0) = 10", "I0 = 10", "10 infected at t = 0"])
def test_the_initial_infected_in_any_notation(written: str) -> None:
    d = OfflinePlanner().draft(
        f"SEIRD model, N = 1e5 people, {written}, beta 0.5/day, sigma 0.25/day, "
        "gamma 0.2/day, mu 0.001/day, run 100 days"
    )
    assert isinstance(d, SpecDraft), d.question
    assert float(d.spec.equations.parameter("I0").value) == 10.0


@pytest.mark.parametrize("shared", ["(all per second)", "(each per second)", "(all 1/s)"])
def test_a_shared_unit_written_in_words(shared: str) -> None:
    d = OfflinePlanner().draft(
        f"Robertson kinetics, k1 = 0.04, k2 = 3e7, k3 = 1e4 {shared}, y(0) = (1, 0, 0), to t = 40 s"
    )
    assert isinstance(d, SpecDraft), d.question
    k2 = d.spec.equations.parameter("k2")
    assert to_base(float(k2.value), k2.unit) == pytest.approx(3e7)
